#!/usr/bin/env bash
# The one entry point for developers and CI. Each command sets up what it needs first.
#   ./dev.sh demo     az deeplake federate against the bundled Azure emulator, in an emulated Cloud Shell
#   ./dev.sh test     lint (scripts/lint.sh all), then unit, recorded, emulator, e2e tests; then the e2e tests
#                     again with the oldest supported az (tests/requirements-az-oldest.txt) and with the newest
#                     on Python 3.13 (PYTHON313, else python3.13 on PATH or pyenv's)
#   ./dev.sh record   re-record the scenario tests against the emulator
#   ./dev.sh live     run the scenario tests against the subscription az is signed in to, re-recording them, then
#                     remove what they created (--sweep: only that); README "Testing against real Azure"
#   ./dev.sh bench    the benchmark in bench/ (prints a table)
#   ./dev.sh wheel    build dist/deeplake-<version>-py3-none-any.whl
#   ./dev.sh release [--base-url URL] [--previous-index FILE_OR_URL]
#                     the wheel, SHA256SUMS and index.json in dist/ (scripts/release.py; README: Releasing)
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-.venv}
export VENV
PY="$VENV/bin/python"

setup() {
  if [ ! -x "$PY" ] || ! cmp -s requirements-dev.txt "$VENV/.requirements"; then
    echo "Setting up $VENV (azure-cli and test tools; about two minutes the first time)..." >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt
    cp requirements-dev.txt "$VENV/.requirements"
  fi
  "$PY" setup.py -q egg_info >/dev/null 2>&1
}

OLDEST=${OLDEST_VENV:-.venv-az-oldest}
OLDEST_AZ_VERSION=$(sed -n 's/^azure-cli==//p' tests/requirements-az-oldest.txt)
PY313_VENV=${PY313_VENV:-.venv-py313}
NEWEST_AZ=$(grep '^azure-cli==' requirements-dev.txt)

setup_az() {  # venv, python, requirements text: an az in a venv of its own (its pins would break the dev venv)
  local venv=$1 python=$2 requirements=$3
  if [ ! -x "$venv/bin/az" ] || [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$requirements" ]; then
    echo "Setting up $venv ($(sed -n 's/^azure-cli==/azure-cli /p' <<<"$requirements"), $("$python" --version);" \
      "about two minutes the first time)..." >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r /dev/stdin <<<"$requirements"
    echo "$requirements" >"$venv/.requirements"
  fi
}

python313() {
  local candidate
  for candidate in ${PYTHON313:-} python3.13 "$HOME"/.pyenv/versions/3.13.*/bin/python3.13; do
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "dev.sh: no Python 3.13 found (install it, or set PYTHON313 to its interpreter)" >&2
  return 1
}

setup_oldest() { setup_az "$OLDEST" python3 "$(cat tests/requirements-az-oldest.txt)"; }
setup_py313() {
  local python
  python=$(python313)
  setup_az "$PY313_VENV" "$python" "$NEWEST_AZ"
}

e2e_on() {  # venv, az version, Python version or '', pytest args: the e2e tests with that venv's az
  local venv=$1 version=$2 python=$3
  shift 3
  echo "==================== end-to-end tests on azure-cli $version${python:+, Python $python} ====================" >&2
  DEEPLAKE_TEST_AZ="$PWD/$venv/bin/az" DEEPLAKE_EXPECT_AZ_VERSION="$version" DEEPLAKE_EXPECT_AZ_PYTHON="$python" \
    "$PY" -m pytest tests/e2e "$@"
}

e2e_on_oldest() { e2e_on "$OLDEST" "$OLDEST_AZ_VERSION" '' "$@"; }
e2e_on_py313() {
  local python
  python=$("$PY313_VENV/bin/python" -c 'import platform; print(platform.python_version())')
  e2e_on "$PY313_VENV" "${NEWEST_AZ#azure-cli==}" "$python" "$@"
}

wheel() {
  rm -rf build dist
  "$PY" -m pip wheel -q --no-deps --no-build-isolation -w dist . >/dev/null
  ls dist/deeplake-*-py3-none-any.whl
}

case "${1:-}" in
  demo)   setup; "$PY" -m tests.demo ;;
  test)   setup; setup_oldest; setup_py313; shift; scripts/lint.sh all; "$PY" -m pytest tests "$@"
          e2e_on_oldest "$@"; e2e_on_py313 "$@" ;;
  record) setup; shift; "$PY" -m tests.scenario.record "$@" ;;
  live)   setup; shift; "$PY" scripts/live.py "$@" ;;
  bench)  setup; shift; "$PY" -m bench.federate "$@" ;;
  wheel)  setup; wheel ;;
  release) setup; shift; wheel >/dev/null; "$PY" scripts/release.py "$@" ;;
  *) sed -n '2,/^set /{/^#/p}' "$0"; exit 2 ;;
esac
