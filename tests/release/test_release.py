"""scripts/release.py: SHA256SUMS and index.json for the built wheel, the index entry built as azdev builds it, the
default base URL, the cumulative index and its refusals."""
import email.parser
import hashlib
import json
import os
import shutil
import zipfile

import pytest

from scripts import release
from tests.static_server import serve

from . import setup_py

OTHER_EXTENSION = {'downloadUrl': 'https://example.org/other-1.0.0-py3-none-any.whl',
                   'filename': 'other-1.0.0-py3-none-any.whl', 'sha256Digest': '0' * 64,
                   'metadata': {'name': 'other', 'version': '1.0.0'}}


@pytest.fixture
def dist(tmp_path, wheel):
    shutil.copy(wheel, tmp_path)
    return str(tmp_path)


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def write_json(path, data):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(data, f)
    return str(path)


def released(dist, *args):
    """Run the release tooling as ./dev.sh release does; (exit code, the index it wrote or None)."""
    code = release.main(['--dist', dist, *args])
    index_path = os.path.join(dist, 'index.json')
    return code, (read_json(index_path) if os.path.exists(index_path) else None)


def older_entry(entry, version):
    filename = entry['filename'].replace(entry['metadata']['version'], version)
    return dict(entry, filename=filename, downloadUrl=entry['downloadUrl'].rsplit('/', 1)[0] + '/' + filename,
                metadata=dict(entry['metadata'], version=version))


def test_writes_the_index_and_checksums_next_to_the_wheel(dist, wheel):
    code, index = released(dist)
    filename, version = os.path.basename(wheel), setup_py('--version')
    assert code == 0
    assert filename == f'deeplake-{version}-py3-none-any.whl'
    assert sorted(os.listdir(dist)) == sorted(['SHA256SUMS', filename, 'index.json'])
    assert list(index) == ['extensions', 'formatVersion'] and index['formatVersion'] == '1'
    [entry] = index['extensions']['deeplake']
    assert sorted(entry) == ['downloadUrl', 'filename', 'metadata', 'sha256Digest']
    assert entry['filename'] == filename
    assert entry['sha256Digest'] == sha256(wheel)
    with open(os.path.join(dist, 'SHA256SUMS'), encoding='utf-8') as f:
        assert f.read() == (f'{sha256(wheel)}  {filename}\n'
                            f"{sha256(os.path.join(dist, 'index.json'))}  index.json\n")


def test_the_default_base_url_is_the_release_of_tag_v_version_under_setup_py_url(dist, wheel):
    _, index = released(dist)
    [entry] = index['extensions']['deeplake']
    assert entry['downloadUrl'] == (f"{setup_py('--url')}/releases/download/v{setup_py('--version')}/"
                                    f'{os.path.basename(wheel)}')
    assert os.path.basename(entry['downloadUrl']) == entry['filename']


@pytest.mark.parametrize('base_url', ['http://127.0.0.1:8080/assets/', 'http://127.0.0.1:8080/assets'])
def test_download_url_is_the_base_url_plus_the_file_name(dist, wheel, base_url):
    _, index = released(dist, '--base-url', base_url)
    [entry] = index['extensions']['deeplake']
    assert entry['downloadUrl'] == 'http://127.0.0.1:8080/assets/' + os.path.basename(wheel)


def test_metadata_is_the_wheels_metadata_merged_with_azext_metadata_as_azdev_builds_it(dist, wheel):
    """The fields azdev reads from METADATA (pkginfo) under its index names, plus azext_metadata.json."""
    _, index = released(dist)
    with zipfile.ZipFile(wheel) as whl:
        [metadata_name] = [n for n in whl.namelist() if n.endswith('.dist-info/METADATA')]
        metadata = email.parser.Parser().parsestr(whl.read(metadata_name).decode('utf-8'))
        azext = json.loads(whl.read('azext_deeplake/azext_metadata.json'))
    project_urls = dict(url.split(', ', 1) for url in metadata.get_all('Project-URL'))
    assert index['extensions']['deeplake'][0]['metadata'] == {
        'azext.isPreview': True,
        'azext.minCliCoreVersion': '2.50.0',
        'name': 'deeplake',
        'version': setup_py('--version'),
        'summary': metadata['Summary'],
        'license': 'MIT',
        'metadata_version': metadata['Metadata-Version'],
        'classifiers': metadata.get_all('Classifier'),
        'extras': [],
        'run_requires': [],
        'description_content_type': 'text/markdown',
        'extensions': {'python.details': {
            'contacts': [{'role': 'author', 'name': metadata['Author'], 'email': metadata['Author-email']}],
            'project_urls': dict({'Home': setup_py('--url')}, **project_urls)}},
    }
    assert azext == {'azext.isPreview': True, 'azext.minCliCoreVersion': '2.50.0'}


def test_classifiers_name_every_python_from_az_2_50s_to_the_newest_az_s(dist):
    _, index = released(dist)
    pythons = [c.rsplit(' ', 1)[1] for c in index['extensions']['deeplake'][0]['metadata']['classifiers']
               if c.startswith('Programming Language :: Python :: 3.')]
    assert pythons == ['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14']


def test_a_previous_index_is_kept_and_the_new_entry_appended(dist, tmp_path_factory):
    _, first = released(dist)
    [entry] = first['extensions']['deeplake']
    previous = dict(first, extensions={'deeplake': [older_entry(entry, '0.9.0b1')], 'other': [OTHER_EXTENSION]})
    os.remove(os.path.join(dist, 'index.json'))
    code, index = released(dist, '--previous-index', write_json(tmp_path_factory.mktemp('prev') / 'i.json', previous))
    assert code == 0
    assert index == {'formatVersion': '1',
                     'extensions': {'deeplake': [older_entry(entry, '0.9.0b1'), entry], 'other': [OTHER_EXTENSION]}}


def test_the_previous_index_can_be_a_url(dist, tmp_path_factory):
    _, first = released(dist)
    [entry] = first['extensions']['deeplake']
    served = tmp_path_factory.mktemp('served')
    write_json(served / 'index.json', dict(first, extensions={'deeplake': [older_entry(entry, '0.9.0b1')]}))
    with serve(str(served)) as base_url:
        code, index = released(dist, '--previous-index', base_url + 'index.json')
    assert code == 0
    assert index['extensions']['deeplake'] == [older_entry(entry, '0.9.0b1'), entry]


def test_a_version_the_previous_index_holds_is_refused_and_nothing_is_written(dist, tmp_path_factory, capsys):
    _, first = released(dist)
    for name in ('index.json', 'SHA256SUMS'):
        os.remove(os.path.join(dist, name))
    previous = write_json(tmp_path_factory.mktemp('prev') / 'index.json', first)
    code, index = released(dist, '--previous-index', previous)
    assert (code, index) == (1, None)
    assert sorted(os.listdir(dist)) == [first['extensions']['deeplake'][0]['filename']]
    assert capsys.readouterr().err == (
        f"release: the previous index already holds deeplake {setup_py('--version')}: a released version is never "
        'replaced; raise VERSION in setup.py and add its section to HISTORY.rst\n')


@pytest.mark.parametrize('content', [{'extensions': {}}, {'formatVersion': '1', 'extensions': []}, []])
def test_a_previous_index_that_is_no_az_index_is_refused(dist, tmp_path_factory, content, capsys):
    previous = write_json(tmp_path_factory.mktemp('prev') / 'index.json', content)
    assert released(dist, '--previous-index', previous) == (1, None)
    assert capsys.readouterr().err == (
        f'release: {previous} is not an az extension index (formatVersion "1" and an "extensions" object): give '
        'the index.json of the latest release\n')


def test_an_unreadable_previous_index_is_refused(dist, tmp_path, capsys):
    missing = str(tmp_path / 'missing.json')
    assert released(dist, '--previous-index', missing) == (1, None)
    assert capsys.readouterr().err.startswith(f'release: cannot read the previous index {missing}: ')


def test_without_exactly_one_wheel_nothing_is_released(tmp_path, capsys):
    assert released(str(tmp_path)) == (1, None)
    assert capsys.readouterr().err == (f'release: expected one deeplake-<version>-py3-none-any.whl in {tmp_path}, '
                                       'found none: build it with ./dev.sh wheel\n')


def test_azdev_update_index_writes_the_very_entry_of_our_release(dist, tmp_path_factory, monkeypatch):
    """What Microsoft's index gets (README: Releasing) whether our entry is pasted or made by `azdev extension
    update-index <downloadUrl>` in a clone of azure-cli-extensions."""
    from azdev.operations import extensions as azdev_extensions
    from azdev.operations.extensions import util as azdev_util
    _, index = released(dist)
    [entry] = index['extensions']['deeplake']
    clone = tmp_path_factory.mktemp('azure-cli-extensions')
    (clone / 'src').mkdir()
    write_json(clone / 'src' / 'index.json', {'formatVersion': '1', 'extensions': {}})
    monkeypatch.setattr(azdev_extensions, 'get_ext_repo_paths', lambda: [str(clone)])
    monkeypatch.setattr(azdev_util, 'get_whl_from_url', lambda url, filename, *_: os.path.join(dist, filename))
    azdev_extensions.update_extension_index([entry['downloadUrl']])
    assert read_json(clone / 'src' / 'index.json')['extensions'] == {'deeplake': [entry]}
