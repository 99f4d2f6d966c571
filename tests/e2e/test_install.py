"""Install, pin and update az deeplake as a user does, offline: two releases (this checkout and a copy of it one
version newer) made by scripts/release.py into one cumulative index.json, served by a local HTTP server; the real
az (DEEPLAKE_TEST_AZ) with no terminal, in a throwaway configuration and extension folder per test."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from packaging.version import Version

from tests.cloudshell import AZ, INHERITED_SETTINGS, ROOT, build_wheel
from tests.static_server import serve

CHECKSUM_REFUSED = 'The checksum of the extension does not match the expected value.'
PROJECT_FILES = ('setup.py', 'README.md', 'HISTORY.rst', 'LICENSE', 'azext_deeplake')


def newer(version):
    """The next version after this one: 1.0.0b1 -> 1.0.0b2, 1.0.0 -> 1.0.1."""
    parsed = Version(version)
    if parsed.pre:
        return f'{parsed.base_version}{parsed.pre[0]}{parsed.pre[1] + 1}'
    return f'{parsed.major}.{parsed.minor}.{parsed.micro + 1}'


def copy_with_version(destination, version):
    """A copy of the project whose setup.py says this version; the working tree stays as it is."""
    for name in PROJECT_FILES:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(destination, name), ignore=shutil.ignore_patterns('__pycache__'))
        else:
            shutil.copy(source, destination)
    setup_py = os.path.join(destination, 'setup.py')
    with open(setup_py, encoding='utf-8') as f:
        text, count = re.subn(r"^VERSION = '[^']*'$", f"VERSION = '{version}'", f.read(), flags=re.MULTILINE)
    assert count == 1
    with open(setup_py, 'w', encoding='utf-8') as f:
        f.write(text)
    return destination


def release(wheel, base_url, previous_index=None):
    """scripts/release.py on a folder holding only this wheel; the index.json it wrote."""
    dist = os.path.dirname(wheel)
    previous = ['--previous-index', previous_index] if previous_index else []
    subprocess.run([sys.executable, 'scripts/release.py', '--dist', dist, '--base-url', base_url, *previous],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(dist, 'index.json')


def with_wrong_sha256(index_path, destination):
    with open(index_path, encoding='utf-8') as f:
        index = json.load(f)
    for entry in index['extensions']['deeplake']:
        entry['sha256Digest'] = '0' * 64
    with open(destination, 'w', encoding='utf-8') as f:
        json.dump(index, f)


class Releases:
    def __init__(self, base_url, old, new):
        self.base_url, self.old, self.new = base_url, old, new
        self.index = base_url + 'index.json'
        self.bad_index = base_url + 'bad-sha256-index.json'

    def wheel_url(self, version):
        return f'{self.base_url}deeplake-{version}-py3-none-any.whl'


@pytest.fixture(scope='module')
def releases(wheel, tmp_path_factory):
    """This checkout's release, then a newer one whose index keeps the first: both wheels, the cumulative index and
    a copy of it with wrong sha256 digests, served over HTTP."""
    served = str(tmp_path_factory.mktemp('served'))
    old_dist, new_dist = (str(tmp_path_factory.mktemp(name)) for name in ('old', 'new'))
    old_wheel = shutil.copy(wheel, old_dist)
    old = re.match(r'deeplake-(.+)-py3-none-any\.whl$', os.path.basename(wheel)).group(1)
    new = newer(old)
    new_wheel = build_wheel(new_dist, root=copy_with_version(str(tmp_path_factory.mktemp('project')), new))
    with serve(served) as base_url:
        index = release(new_wheel, base_url, previous_index=release(old_wheel, base_url))
        for path in (old_wheel, new_wheel, index):
            shutil.copy(path, served)
        with_wrong_sha256(index, os.path.join(served, 'bad-sha256-index.json'))
        yield Releases(base_url, old, new)


class ThrowawayAz:
    """The az under test with its own configuration and extension folders, no terminal and no network settings of
    the calling shell."""

    def __init__(self, workdir):
        self.extension_dir = os.path.join(workdir, 'extensions')
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_SETTINGS)}
        self.env.update(AZURE_CONFIG_DIR=os.path.join(workdir, 'config'), AZURE_EXTENSION_DIR=self.extension_dir,
                        AZURE_CORE_COLLECT_TELEMETRY='no', AZURE_CORE_NO_COLOR='true')

    def __call__(self, *args):
        return subprocess.run([AZ, *args], env=self.env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=300, check=False)

    def installed(self):
        """(name, version) of every installed extension."""
        listed = self('extension', 'list', '-o', 'json')
        assert listed.returncode == 0, listed.stderr
        return [(e['name'], e['version']) for e in json.loads(listed.stdout)]


@pytest.fixture
def az(tmp_path):
    return ThrowawayAz(str(tmp_path))


def assert_ok(result):
    assert result.returncode == 0, result.stderr
    assert 'Traceback' not in result.stderr


def test_add_by_name_gets_the_newest_then_pin_the_older_then_update_to_the_newest(releases, az):
    assert_ok(az('extension', 'add', '--name', 'deeplake', '--index', releases.index))
    assert az.installed() == [('deeplake', releases.new)]

    assert_ok(az('extension', 'add', '--name', 'deeplake', '--index', releases.index, '--version', releases.old,
                 '--upgrade'))
    assert az.installed() == [('deeplake', releases.old)]

    assert_ok(az('extension', 'update', '--name', 'deeplake', '--index', releases.index))
    assert az.installed() == [('deeplake', releases.new)]
    assert_ok(az('deeplake', '--help'))


def test_an_index_with_a_wrong_sha256_installs_nothing(releases, az):
    result = az('extension', 'add', '--name', 'deeplake', '--index', releases.bad_index)
    assert result.returncode == 1
    assert CHECKSUM_REFUSED in result.stderr
    assert az.installed() == []
    assert not os.path.exists(os.path.join(az.extension_dir, 'deeplake'))


def test_an_update_with_a_wrong_sha256_is_rolled_back(releases, az):
    assert_ok(az('extension', 'add', '--name', 'deeplake', '--index', releases.index, '--version', releases.old))
    result = az('extension', 'update', '--name', 'deeplake', '--index', releases.bad_index)
    assert result.returncode == 1
    assert CHECKSUM_REFUSED in result.stderr
    assert f'Failed to update. Rolled deeplake back to {releases.old}.' in result.stderr
    assert az.installed() == [('deeplake', releases.old)]
    assert_ok(az('deeplake', '--help'))


def test_add_by_the_url_of_a_release_asset_with_yes_then_update_from_the_index(releases, az):
    assert_ok(az('extension', 'add', '--source', releases.wheel_url(releases.old), '--yes'))
    assert az.installed() == [('deeplake', releases.old)]
    assert_ok(az('extension', 'update', '--name', 'deeplake', '--index', releases.index))
    assert az.installed() == [('deeplake', releases.new)]


def test_the_az_under_test_runs_on_the_python_asked_for(az):
    """CI also runs this suite with the newest az on Python 3.13: prove which Python ran it."""
    result = az('--version')
    python = re.search(r'^Python \([^)]*\) (\S+)', result.stdout, re.MULTILINE).group(1)
    assert python == (os.environ.get('DEEPLAKE_EXPECT_AZ_PYTHON') or python)
    assert Version(python) >= Version('3.7')
