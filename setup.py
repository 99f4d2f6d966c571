#!/usr/bin/env python
# --------------------------------------------------------------------------------------------
# Packaging of the az deeplake extension: a wheel that holds azext_deeplake and nothing else.
# --------------------------------------------------------------------------------------------

from setuptools import setup

# Must match a HISTORY.rst section; a release is tagged v<VERSION> (.github/workflows/release.yml checks it).
VERSION = '1.0.0b1'

# The project's home, in this one place: the release asset URLs and the index URL are derived from it
# (scripts/release.py reads it back from the wheel; elsewhere `python setup.py --url`).
HOME = 'https://github.com/az-deeplake/az-deeplake'

# Python versions: those of the oldest supported azure-cli (2.50, from 3.7) to the newest (2.91, up to 3.14).
CLASSIFIERS = [
    'Development Status :: 4 - Beta',
    'Intended Audience :: Developers',
    'Intended Audience :: System Administrators',
    'Programming Language :: Python',
    'Programming Language :: Python :: 3',
    'Programming Language :: Python :: 3.7',
    'Programming Language :: Python :: 3.8',
    'Programming Language :: Python :: 3.9',
    'Programming Language :: Python :: 3.10',
    'Programming Language :: Python :: 3.11',
    'Programming Language :: Python :: 3.12',
    'Programming Language :: Python :: 3.13',
    'Programming Language :: Python :: 3.14',
    'License :: OSI Approved :: MIT License',
]

# The extension runs inside az and uses only what azure-cli ships (see README.md).
DEPENDENCIES = []

with open('README.md', 'r', encoding='utf-8') as f:
    README = f.read()
with open('HISTORY.rst', 'r', encoding='utf-8') as f:
    HISTORY = f.read()

setup(
    name='deeplake',
    version=VERSION,
    description='Set up Deep Lake (Activeloop) access to Azure Blob Storage with one command.',
    long_description=README + '\n\n' + HISTORY,
    long_description_content_type='text/markdown',
    license='MIT',
    author='az deeplake contributors',
    author_email='az-deeplake@users.noreply.github.com',
    url=HOME,
    project_urls={
        'Source': HOME,
        'Changelog': HOME + '/blob/main/HISTORY.rst',
        'Issues': HOME + '/issues',
    },
    classifiers=CLASSIFIERS,
    packages=['azext_deeplake'],
    install_requires=DEPENDENCIES,
    package_data={'azext_deeplake': ['azext_metadata.json']},
)
