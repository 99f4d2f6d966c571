#!/usr/bin/env python
# --------------------------------------------------------------------------------------------
# Packaging of the az deeplake extension: a wheel that holds azext_deeplake and nothing else.
# --------------------------------------------------------------------------------------------

from setuptools import setup

VERSION = '0.2.0'

CLASSIFIERS = [
    'Development Status :: 4 - Beta',
    'Intended Audience :: Developers',
    'Intended Audience :: System Administrators',
    'Programming Language :: Python',
    'Programming Language :: Python :: 3',
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
    classifiers=CLASSIFIERS,
    packages=['azext_deeplake'],
    install_requires=DEPENDENCIES,
    package_data={'azext_deeplake': ['azext_metadata.json']},
)
