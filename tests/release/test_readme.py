"""README's install instructions follow setup.py: the index URL and the asset URLs derive from its `url`, the
versioned ones name its version, and nothing links a versioned file under releases/latest."""
import os
import re

from . import ROOT, setup_py

with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
    README = f.read()


def stable_index_url():
    return f"{setup_py('--url')}/releases/latest/download/index.json"


def test_the_first_lines_for_a_user_install_update_and_pin_from_the_stable_index():
    first_block = re.search(r'\n\n((?:    .*\n)+)', README).group(1)
    assert first_block.splitlines() == [
        f'    az extension add --name deeplake --index {stable_index_url()}',
        f'    az extension update --name deeplake --index {stable_index_url()}',
        f"    az extension add --name deeplake --index {stable_index_url()} --version {setup_py('--version')} "
        '--upgrade',
    ]


def test_every_index_named_is_the_stable_one():
    indexes = re.findall(r'--index (https://\S+)', README)
    assert len(indexes) >= 4
    assert set(indexes) == {stable_index_url()}


def test_versioned_links_name_the_version_of_setup_py():
    version = setup_py('--version')
    tags = re.findall(r'/releases/download/v(\d[^/\s]*)/', README)
    wheels = re.findall(r'deeplake-(\d[^-\s]*)-py3-none-any\.whl', README)
    assert tags and wheels
    assert set(tags) == set(wheels) == {version}
    assert f"{setup_py('--url')}/releases/download/v{version}/deeplake-{version}-py3-none-any.whl" in README


def test_nothing_but_the_index_is_linked_under_releases_latest():
    assert set(re.findall(r'/releases/latest/download/([\w-]+(?:\.[\w-]+)*)', README)) == {'index.json'}
    assert 'deeplake-0.' not in README
