#!/usr/bin/env bash
# The one entry point for developers and CI. Each command sets up what it needs first.
#   ./dev.sh demo     az deeplake federate against the bundled Azure emulator, in an emulated Cloud Shell
#   ./dev.sh test     lint (azdev linter and style; flake8 on tests), then unit, recorded, emulator, e2e tests;
#                     then the e2e tests again with the oldest supported az (tests/requirements-az-oldest.txt)
#   ./dev.sh record   re-record the scenario tests against the emulator
#   ./dev.sh live     run the scenario tests against the subscription az is signed in to, re-recording them, then
#                     remove what they created (--sweep: only that); README "Testing against real Azure"
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

OLDEST=${OLDEST_VENV:-.venv-az-oldest}
OLDEST_AZ_VERSION=$(sed -n 's/^azure-cli==//p' tests/requirements-az-oldest.txt)

setup_oldest() {  # the oldest supported azure-cli, in a venv of its own (its pins would break the dev venv)
  if [ ! -x "$OLDEST/bin/az" ] || ! cmp -s tests/requirements-az-oldest.txt "$OLDEST/.requirements"; then
    echo "Setting up $OLDEST (azure-cli $OLDEST_AZ_VERSION; about two minutes the first time)..." >&2
    rm -rf "$OLDEST"
    python3 -m venv "$OLDEST"
    "$OLDEST/bin/pip" install -q --disable-pip-version-check -r tests/requirements-az-oldest.txt
    cp tests/requirements-az-oldest.txt "$OLDEST/.requirements"
  fi
}

e2e_on_oldest() {
  echo "==================== end-to-end tests on azure-cli $OLDEST_AZ_VERSION ====================" >&2
  DEEPLAKE_TEST_AZ="$PWD/$OLDEST/bin/az" DEEPLAKE_EXPECT_AZ_VERSION="$OLDEST_AZ_VERSION" "$PY" -m pytest tests/e2e "$@"
}

wheel() {
  rm -rf build dist
  "$PY" -m pip wheel -q --no-deps --no-build-isolation -w dist . >/dev/null
  ls dist/deeplake-*-py3-none-any.whl
}

case "${1:-}" in
  demo)   setup; "$PY" -m tests.demo ;;
  test)   setup; setup_oldest; shift; scripts/lint.sh all tests; "$PY" -m pytest tests "$@"; e2e_on_oldest "$@" ;;
  record) setup; shift; "$PY" -m tests.scenario.record "$@" ;;
  live)   setup; shift; "$PY" scripts/live.py "$@" ;;
  bench)  setup; shift; "$PY" -m bench.federate "$@" ;;
  wheel)  setup; wheel ;;
  *) sed -n '2,/^set /{/^#/p}' "$0"; exit 2 ;;
esac
