"""The real az binary in an emulated Cloud Shell session: the built wheel installed, logged in to the emulator.

Used by the end-to-end tests, the demo and the benchmark. Nothing leaves loopback: az reaches Graph, ARM and
login.microsoftonline.com through the emulator's CONNECT proxy, and Cloud Shell's token endpoint is the
emulator's.
"""
import json
import os
import subprocess
import sys
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# DEEPLAKE_TEST_AZ: the az binary to test with (CI: the oldest supported azure-cli, in its own venv).
AZ = os.environ.get('DEEPLAKE_TEST_AZ') or os.path.join(os.path.dirname(sys.executable), 'az')
# Settings of the calling shell that must not leak into the emulated session.
INHERITED_SETTINGS = ('AZURE_', 'AZUREPS_', 'ACC_CLOUD', 'MSI_', 'HTTP', 'http', 'NO_PROXY', 'no_proxy', 'REQUESTS_CA')


def build_wheel(destination, root=ROOT):
    """The wheel of the project at root (this checkout by default), built into destination; its path."""
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', '-w',
                    destination, root], check=True, cwd=root, stdout=subprocess.DEVNULL)
    wheels = [name for name in os.listdir(destination) if name.startswith('deeplake-') and name.endswith('.whl')]
    assert len(wheels) == 1, wheels
    return os.path.join(destination, wheels[0])


@dataclass
class Result:
    args: list
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


class CloudShell:
    def __init__(self, emulator, workdir):
        self.emulator = emulator
        self.config_dir = os.path.join(workdir, 'config')
        self.extension_dir = os.path.join(workdir, 'extensions')
        os.makedirs(self.config_dir, exist_ok=True)
        os.makedirs(self.extension_dir, exist_ok=True)

    @property
    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_SETTINGS)}
        env.update(self.emulator.env(self.config_dir))
        env['AZURE_EXTENSION_DIR'] = self.extension_dir
        return env

    def install(self, wheel):
        self.az('extension', 'add', '--source', wheel, '--yes', check=True)

    def login(self):
        return self.az('login', '--identity', check=True)

    def start(self, *args):
        """az as a running process (for tests that stop it half way)."""
        return subprocess.Popen([AZ] + list(args), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def az(self, *args, check=False, timeout=300):
        done = subprocess.run([AZ] + list(args), env=self.env, capture_output=True, text=True, timeout=timeout,
                              check=False)
        result = Result(list(args), done.returncode, done.stdout, done.stderr)
        if check and done.returncode != 0:
            raise AssertionError('az {} failed ({}):\n{}'.format(' '.join(args), done.returncode, done.stderr))
        return result
