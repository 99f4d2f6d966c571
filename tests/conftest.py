"""Test-wide setup: az loads this checkout as a development extension (for in-process tests); the wheel is built
once; one emulator on Cloud Shell's token port serves every test that runs the real az; a skipped test fails the
run, and so does a test that leaves an injected fault or throttle unfired."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if not any(name.endswith('.egg-info') for name in os.listdir(ROOT)):
    subprocess.run([sys.executable, 'setup.py', '-q', 'egg_info'], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.environ.setdefault('AZURE_EXTENSION_DEV_SOURCES', ROOT)
os.environ.setdefault('AZURE_CORE_COLLECT_TELEMETRY', 'no')


# The session's emulators (here and in tests/emulator_tests/conftest.py).
EMULATOR_FIXTURES = ('cloud_shell_emulator', 'shared_emulator')


@pytest.fixture(scope='session')
def wheel(tmp_path_factory):
    """The wheel of this checkout, built once."""
    from tests.cloudshell import build_wheel
    return build_wheel(str(tmp_path_factory.mktemp('wheel')))


@pytest.fixture(scope='session')
def cloud_shell_emulator():
    """The emulator on localhost:50342, Cloud Shell's token endpoint, which az cannot be pointed elsewhere for."""
    from tests.emulator import Emulator
    with Emulator(seed=2) as emulator:
        yield emulator


def pytest_sessionfinish(session, exitstatus):
    """Every test is required: a skipped one fails the run (pytest alone would exit 0)."""
    reporter = session.config.pluginmanager.get_plugin('terminalreporter')
    skipped = reporter.stats.get('skipped', []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(f'{len(skipped)} test(s) skipped: every test is required.', red=True)
        session.exitstatus = 1


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """A fault or throttle that never fired proves nothing: the test fails (in its teardown, once the fixtures have
    reset the emulator). A test that injects more than it needs says so with emulator.discard_injections()."""
    funcargs = getattr(item, 'funcargs', {})
    unfired = [rule for name in EMULATOR_FIXTURES if name in funcargs for rule in funcargs[name].unfired_injections()]
    result = yield
    if unfired:
        pytest.fail(f'{len(unfired)} injected fault(s) or throttle(s) never fired: {unfired}', pytrace=False)
    return result
