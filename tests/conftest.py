"""Test-wide setup: make az load this checkout as a development extension (for in-process tests)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if not any(name.endswith('.egg-info') for name in os.listdir(ROOT)):
    subprocess.run([sys.executable, 'setup.py', '-q', 'egg_info'], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.environ.setdefault('AZURE_EXTENSION_DEV_SOURCES', ROOT)
os.environ.setdefault('AZURE_CORE_COLLECT_TELEMETRY', 'no')
