#!/usr/bin/env python
# --------------------------------------------------------------------------------------------
# The release assets of az deeplake, next to the wheel that `./dev.sh release` builds into dist/:
#   SHA256SUMS   sha256 of the wheel and of index.json, in `sha256sum -c` format
#   index.json   az's extension index ({"formatVersion": "1", "extensions": {"deeplake": [...]}}), whose entry
#                is built the way azdev builds one (`azdev extension update-index`): downloadUrl, filename,
#                sha256Digest, and the wheel's METADATA merged with azext_metadata.json
#
#   python scripts/release.py [--dist DIR] [--base-url URL] [--previous-index FILE_OR_URL]
#
# downloadUrl is the base URL plus the wheel's file name; the default base URL is the release asset URL of tag
# v<version>, <home>/releases/download/v<version>/, where <home> is setup.py's `url` as the wheel records it.
# With --previous-index the index is cumulative: the older entries stay, so `az extension add --version` pins and
# downgrades keep working; a version that index already holds is refused.
# --------------------------------------------------------------------------------------------

import argparse
import hashlib
import json
import os
import sys
import tempfile
import urllib.request

EXTENSION = 'deeplake'
INDEX_FILE = 'index.json'
SUMS_FILE = 'SHA256SUMS'
INDEX_FORMAT = '1'


class ReleaseError(Exception):
    """A release that must not be made as asked; the message says what to do."""


def find_wheel(dist):
    wheels = sorted(name for name in os.listdir(dist)
                    if name.startswith(EXTENSION + '-') and name.endswith('-py3-none-any.whl'))
    if len(wheels) != 1:
        raise ReleaseError(f'expected one {EXTENSION}-<version>-py3-none-any.whl in {dist}, found '
                           f'{", ".join(wheels) or "none"}: build it with ./dev.sh wheel')
    return os.path.join(dist, wheels[0])


def sha256_of(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def wheel_metadata(wheel):
    """What azdev puts into an index entry's metadata: the wheel's METADATA merged with azext_metadata.json."""
    from azdev.operations.extensions.util import get_ext_metadata
    with tempfile.TemporaryDirectory() as unpacked:
        return get_ext_metadata(unpacked, wheel, EXTENSION)


def home_of(metadata):
    return metadata['extensions']['python.details']['project_urls']['Home']


def release_base_url(home, version):
    """Where GitHub serves the assets of release v<version>."""
    return f'{home}/releases/download/v{version}/'


def index_entry(wheel, base_url=None):
    filename = os.path.basename(wheel)
    metadata = wheel_metadata(wheel)
    base_url = base_url or release_base_url(home_of(metadata), metadata['version'])
    return {
        'downloadUrl': base_url.rstrip('/') + '/' + filename,
        'filename': filename,
        'metadata': metadata,
        'sha256Digest': sha256_of(wheel),
    }


def read_index(source):
    """The index in a file or at an http(s) URL; an empty one for None (the first release)."""
    if source is None:
        return {'formatVersion': INDEX_FORMAT, 'extensions': {}}
    try:
        if '://' in source:
            with urllib.request.urlopen(source, timeout=60) as response:
                text = response.read().decode('utf-8')
        else:
            with open(source, encoding='utf-8') as f:
                text = f.read()
        index = json.loads(text)
    except (OSError, ValueError) as ex:
        raise ReleaseError(f'cannot read the previous index {source}: {ex}. Give the index.json of the latest '
                           'release, a file or its URL, or leave out --previous-index for the first release') from ex
    if not isinstance(index, dict) or index.get('formatVersion') != INDEX_FORMAT or \
            not isinstance(index.get('extensions'), dict):
        raise ReleaseError(f'{source} is not an az extension index (formatVersion "{INDEX_FORMAT}" and an '
                           '"extensions" object): give the index.json of the latest release')
    return index


def add_entry(index, entry):
    """The index with the entry appended to the extension's list, which must not hold its version yet."""
    from packaging.version import Version
    entries = index['extensions'].setdefault(EXTENSION, [])
    version = Version(entry['metadata']['version'])
    if any(Version(old['metadata']['version']) == version or old['filename'] == entry['filename']
           for old in entries):
        raise ReleaseError(f'the previous index already holds {EXTENSION} {version}: a released version is '
                           'never replaced; raise VERSION in setup.py and add its section to HISTORY.rst')
    entries.append(entry)
    return index


def write_assets(dist, wheel, index):
    index_path = os.path.join(dist, INDEX_FILE)
    with open(index_path, 'w', encoding='utf-8') as f:
        f.write(json.dumps(index, indent=4, sort_keys=True) + '\n')
    with open(os.path.join(dist, SUMS_FILE), 'w', encoding='utf-8') as f:
        f.writelines(f'{sha256_of(path)}  {os.path.basename(path)}\n' for path in (wheel, index_path))


def release(dist, base_url=None, previous_index=None):
    """Write SHA256SUMS and index.json for the wheel in dist; the new index entry."""
    wheel = find_wheel(dist)
    index = read_index(previous_index)
    entry = index_entry(wheel, base_url)
    write_assets(dist, wheel, add_entry(index, entry))
    return entry


def main(argv=None):
    parser = argparse.ArgumentParser(description='Write SHA256SUMS and index.json for the wheel in dist/.')
    parser.add_argument('--dist', default='dist', help='the folder holding the wheel (default: dist)')
    parser.add_argument('--base-url', help='where the wheel will be served (default: the release asset URL of '
                                           'tag v<version>)')
    parser.add_argument('--previous-index', metavar='FILE_OR_URL',
                        help="the latest release's index.json, whose entries the new index keeps")
    args = parser.parse_args(argv)
    try:
        entry = release(args.dist, args.base_url, args.previous_index)
    except ReleaseError as ex:
        print(f'release: {ex}', file=sys.stderr)
        return 1
    print(f"{EXTENSION} {entry['metadata']['version']}: {args.dist}/{entry['filename']}, {SUMS_FILE}, {INDEX_FILE}"
          f" (downloadUrl {entry['downloadUrl']})")
    return 0


if __name__ == '__main__':
    sys.exit(main())
