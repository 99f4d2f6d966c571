#!/usr/bin/env bash
# Run the azdev checks that Azure/azure-cli-extensions CI runs on an extension, on this repo:
#   linter  azdev linter: help on every group, command and argument; examples that run the command (and,
#           added here, at least one per command); short options of one character; no `_` in options;
#           options over 22 characters need a short alias; ... Exclusions: linter_exclusions.yml.
#           All severities count (azdev itself fails only on high). Plus azdev's custom pylint checkers.
#   style   azdev style: pylint (pylintrc) on azext_deeplake/ and flake8 (.flake8) on the repo.
#   tests   flake8 (.flake8) on tests/ too. Not part of `all`: azure-cli-extensions lints no tests.
#
#   scripts/lint.sh [linter|style|tests|all]...     (default: all = linter style)
#
# Needs the dev venv at ${VENV:-.venv} (requirements-dev.txt) and no network: azdev's configuration,
# az's configuration and extension folders live in a temp dir that is removed afterwards. The only thing
# written to the repo is deeplake.egg-info (git-ignored), which az needs to load a source checkout.
# Environment: VENV, LINT_CHECK_LINKS=1 (also run the broken_site_link_* rules; needs network),
# LINT_KEEP_TMP=1 (keep the temp dir).
# Exit status: 0 if every check ran and found nothing; non-zero otherwise.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
WHAT=" ${*:-all} "
WHAT=${WHAT/ all / linter style }
for what in $WHAT; do
  case "$what" in
    linter|style|tests) ;;
    *) echo "usage: scripts/lint.sh [linter|style|tests|all]..." >&2; exit 2 ;;
  esac
done

VENV=${VENV:-.venv}
VENV=$(cd "$VENV" 2>/dev/null && pwd) || { echo "lint.sh: no virtualenv at ${VENV} (set VENV)" >&2; exit 2; }
PY="$VENV/bin/python"
if ! "$PY" -c 'import azdev, azure.cli.core, pylint, flake8' 2>/dev/null; then
  echo "lint.sh: $VENV lacks azdev, azure-cli, pylint or flake8 (pip install -r requirements-dev.txt)" >&2
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

if [[ $WHAT == *" linter "* ]]; then
  # All severities (CI's default, high, skips the medium and low rules). Not run: the command_test_coverage
  # rule type, whose rules only look at what changed between two git revisions (--src/--tgt); for examples,
  # scripts/azdev_rules/ checks every command instead.
  run_check "azdev linter" "$PY" scripts/run_azdev.py linter azext_deeplake --min-severity low \
    --rule-types params commands command_groups help_entries
fi
if [[ $WHAT == *" style "* ]]; then
  run_check "azdev style (pylint + flake8)" "$PY" scripts/run_azdev.py style azext_deeplake
fi
if [[ $WHAT == *" tests "* ]]; then
  flake8_tests() {  # .flake8's settings, but without its exclusion of tests/
    local out rc
    out=$("$PY" -m flake8 --config=.flake8 --exclude=__pycache__ --benchmark tests) && rc=0 || rc=$?
    echo "$out"
    if ! grep -Eq '^[1-9][0-9]* +total files processed' <<<"$out"; then
      echo "ERROR: flake8 checked no files in tests/" >&2
      return 3
    fi
    return "$rc"
  }
  run_check "flake8 tests/" flake8_tests
fi

echo
if [ "${#failed[@]}" -ne 0 ]; then
  echo "lint.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint.sh: all checks passed."
