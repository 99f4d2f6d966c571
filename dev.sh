#!/usr/bin/env bash
# The one entry point for developers and CI. Each command sets up what it needs first.
#   ./dev.sh demo     az deeplake federate against the bundled Azure emulator, in an emulated Cloud Shell
#   ./dev.sh test     lint (azdev linter and style; flake8 on tests), then unit, recorded, emulator, e2e tests
#   ./dev.sh record   re-record the scenario tests against the emulator
#   ./dev.sh bench    the benchmark in bench/ (prints a table)
#   ./dev.sh wheel    build dist/deeplake-<version>-py3-none-any.whl
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

wheel() {
  rm -rf build dist
  "$PY" -m pip wheel -q --no-deps --no-build-isolation -w dist . >/dev/null
  ls dist/deeplake-*-py3-none-any.whl
}

case "${1:-}" in
  demo)   setup; "$PY" -m tests.demo ;;
  test)   setup; shift; scripts/lint.sh all tests; "$PY" -m pytest tests "$@" ;;
  record) setup; shift; "$PY" -m tests.scenario.record "$@" ;;
  bench)  setup; shift; "$PY" -m bench.federate "$@" ;;
  wheel)  setup; wheel ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
