"""Tests of the release tooling (scripts/release.py) and of README's install instructions."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def setup_py(*options):
    """What setup.py says, e.g. setup_py('--url')."""
    return subprocess.run([sys.executable, 'setup.py', *options], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()
