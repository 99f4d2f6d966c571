"""The committed recordings hold no real-looking tenant, subscription or object ids, no tokens, no personal data."""
import glob
import os
import re

import pytest

from .recording import GUID, KEEP, MONIKER_PREFIX

RECORDINGS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), 'recordings', '*.yaml')))
FAKE = re.compile(r'^00000000-0000-0000-0000-\d{12}$')
SECRETS = re.compile(r'Bearer |access_token|refresh_token|eyJ[A-Za-z0-9_-]{10,}|contoso|@(?!example\.com)[a-z0-9-]+\.'
                     r'onmicrosoft\.com', re.IGNORECASE)


def test_there_are_recordings():
    assert len(RECORDINGS) >= 7


@pytest.mark.parametrize('path', RECORDINGS, ids=os.path.basename)
def test_recording_is_clean(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    real_looking = {g for g in GUID.findall(text)
                    if not FAKE.match(g) and g.lower() not in KEEP and not g.startswith(MONIKER_PREFIX)}
    assert not real_looking
    assert not SECRETS.findall(text)
    assert 'localhost:50342' not in text and '127.0.0.1' not in text
    assert 'https://graph.microsoft.com/' in text and 'https://management.azure.com/' in text
