#!/usr/bin/env bash
# Run, on this repo, the checks that Azure/azure-cli-extensions CI runs on an extension, and ours on the workflows:
#   linter     azdev linter on the source: help on every group, command and argument; examples that run the
#              command (and, added here, at least one per command); short options of one character; no `_` in
#              options; options over 22 characters need a short alias; ... Exclusions: linter_exclusions.yml.
#              All severities count (azdev itself fails only on high). Plus azdev's custom pylint checkers.
#   style      azdev style: pylint (pylintrc) on azext_deeplake/ and flake8 (.flake8) on the whole repo, tests/
#              and scripts/ included: the files `azdev style` checks, with the stricter of the configurations
#              it may use (see .flake8).
#   wheel      the built wheel, installed with `az extension add --source`, then `azdev linter
#              --include-whl-extensions deeplake` on it: what Microsoft's index CI runs on an index-only pull
#              request (README.md, "Releasing"). Same rules and severities as `linter`.
#   workflows  actionlint (with shellcheck) and zizmor (offline) on .github/workflows/.
#   tests      the same as `style` (which checks tests/ now); kept for old callers.
#
#   scripts/lint.sh [linter|style|wheel|workflows|tests|all]...     (default: all = every check but `tests`)
#
# Needs the dev venv at ${VENV:-.venv} (requirements-dev.txt) and no network: azdev's configuration,
# az's configuration and extension folders live in a temp dir that is removed afterwards. What is written to the
# repo is deeplake.egg-info, which az needs to load a source checkout, and build/ (both git-ignored).
# Environment: VENV, LINT_CHECK_LINKS=1 (also run the broken_site_link_* rules; needs network),
# LINT_KEEP_TMP=1 (keep the temp dir).
# Exit status: 0 if every check ran and found nothing; non-zero otherwise.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
WHAT=" ${*:-all} "
WHAT=${WHAT/ all / linter style wheel workflows }
WHAT=${WHAT/ tests / style }
for what in $WHAT; do
  case "$what" in
    linter|style|wheel|workflows) ;;
    *) echo "usage: scripts/lint.sh [linter|style|wheel|workflows|tests|all]..." >&2; exit 2 ;;
  esac
done

VENV=${VENV:-.venv}
VENV=$(cd "$VENV" 2>/dev/null && pwd) || { echo "lint.sh: no virtualenv at ${VENV} (set VENV)" >&2; exit 2; }
PY="$VENV/bin/python"
if ! "$PY" -c 'import azdev, azure.cli.core, pylint, flake8' 2>/dev/null ||
    [ ! -x "$VENV/bin/actionlint" ] || [ ! -x "$VENV/bin/zizmor" ] || [ ! -x "$VENV/bin/shellcheck" ]; then
  echo "lint.sh: $VENV lacks azdev, azure-cli, pylint, flake8, actionlint, zizmor or shellcheck" \
    "(pip install -r requirements-dev.txt)" >&2
  exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/deeplake-lint.XXXXXX")
if [ "${LINT_KEEP_TMP:-0}" = 1 ]; then
  echo "lint.sh: temp dir $TMP"
else
  trap 'rm -rf "$TMP"' EXIT
fi
mkdir -p "$TMP/azure-cli" "$TMP/azure/cliextensions" "$TMP/home"

# azdev: no `azdev setup`; its config comes from the environment (knack's AZDEV_<SECTION>_<OPTION>).
# The azure-cli repo path is required but unused for an extension: an empty dir (run_azdev.py puts the
# one file azdev reads from it there). The extension repo is this one; azdev finds the extension by its
# egg-info and takes linter_exclusions.yml, pylintrc and .flake8 from its root.
export VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH"
export AZDEV_CONFIG_DIR="$TMP/azdev"
export AZDEV_CLI_REPO_PATH="$TMP/azure-cli"
export AZDEV_EXT_REPO_PATHS="$REPO"
# az: private config and extension dirs (nothing from ~/.azure), this checkout as its only extension.
export AZURE_CONFIG_DIR="$TMP/azure"
export AZURE_EXTENSION_DIR="$TMP/azure/cliextensions"
export AZURE_EXTENSION_DEV_SOURCES="$REPO"
export AZURE_CORE_COLLECT_TELEMETRY=no AZURE_CORE_NO_COLOR=true
unset AZURE_EXTENSION_SYS_DIR
# Whatever else writes under ~ (pylint's stats cache, SDKs loaded with az's command table) goes to the
# temp dir too.
export HOME="$TMP/home" PYLINTHOME="$TMP/home/.cache/pylint" XDG_CACHE_HOME="$TMP/home/.cache" \
  XDG_CONFIG_HOME="$TMP/home/.config"
export PYTHONDONTWRITEBYTECODE=1

if ! "$PY" setup.py -q egg_info >"$TMP/egg_info.log" 2>&1; then
  cat "$TMP/egg_info.log" >&2
  echo "lint.sh: python setup.py egg_info failed" >&2
  exit 1
fi

failed=()
run_check() {  # name, then the command; runs it, remembers a failure, carries on with the next check
  local name=$1 start=$SECONDS rc=0
  shift
  echo
  echo "==================== $name ===================="
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "---- $name: FAILED (exit $rc, $((SECONDS - start))s)"
    failed+=("$name")
  else
    echo "---- $name: passed ($((SECONDS - start))s)"
  fi
}

# All severities (CI's default, high, skips the medium and low rules). Not run: the command_test_coverage
# rule type, whose rules only look at what changed between two git revisions (--src/--tgt); for examples,
# scripts/azdev_rules/ checks every command instead.
LINTER_RULES=(--min-severity low --rule-types params commands command_groups help_entries)

if [[ $WHAT == *" linter "* ]]; then
  run_check "azdev linter" "$PY" scripts/run_azdev.py linter azext_deeplake "${LINTER_RULES[@]}"
fi
if [[ $WHAT == *" style "* ]]; then
  run_check "azdev style (pylint + flake8)" "$PY" scripts/run_azdev.py style azext_deeplake
fi
if [[ $WHAT == *" wheel "* ]]; then
  lint_wheel() {  # the wheel as a user installs it, linted as Microsoft's index CI lints an index-only PR
    local dist="$TMP/dist" wheel
    "$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$dist" . >/dev/null || return
    wheel=$(echo "$dist"/deeplake-*-py3-none-any.whl)
    echo "wheel: $(basename "$wheel")"
    (
      unset AZURE_EXTENSION_DEV_SOURCES
      export AZURE_EXTENSION_DIR="$TMP/wheel-extensions"
      "$VENV/bin/az" extension add --source "$wheel" --yes --only-show-errors &&
        "$PY" scripts/run_azdev.py linter deeplake --include-whl-extensions "${LINTER_RULES[@]}"
    )
  }
  run_check "azdev linter --include-whl-extensions (the built wheel)" lint_wheel
fi
if [[ $WHAT == *" workflows "* ]]; then
  lint_workflows() {  # offline; actionlint runs shellcheck on every `run:` script
    local workflows=(.github/workflows/*.yml)
    echo "workflows: ${workflows[*]}"
    [ -f "${workflows[0]}" ] || { echo "ERROR: no workflow in .github/workflows" >&2; return 3; }
    actionlint -no-color -shellcheck="$VENV/bin/shellcheck" "${workflows[@]}" &&
      zizmor --offline --no-progress --color never --persona pedantic "${workflows[@]}"
  }
  run_check "actionlint + zizmor (workflows)" lint_workflows
fi

echo
if [ "${#failed[@]}" -ne 0 ]; then
  echo "lint.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint.sh: all checks passed."
