"""Keeping recordings free of real-looking ids and personal data, in a way playback still matches.

Every GUID in URLs, headers and bodies is replaced by a fake one, the same fake for the same GUID within a
recording; the subscription and tenant become the test SDK's mocked zeros, and the Deep Lake application a live
run used becomes the stand-in that playback uses. Public constants (built-in role ids, Deep Lake's identity, the
test SDK's monikers) stay as they are.
"""
import json
import re

from azure.cli.testsdk.scenario_tests import RecordingProcessor
from azure.cli.testsdk.scenario_tests.const import MOCKED_SUBSCRIPTION_ID, MOCKED_TENANT_ID

from azext_deeplake import deeplake

from .liverun import PLAYBACK_DEEPLAKE_APP_ID

GUID = re.compile(r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')
KEEP = {MOCKED_SUBSCRIPTION_ID, PLAYBACK_DEEPLAKE_APP_ID, deeplake.BLOB_DATA_CONTRIBUTOR[1],
        deeplake.BLOB_DELEGATOR[1], deeplake.BLOB_DATA_READER[1],
        deeplake.SUBJECT.split(':')[1], deeplake.AUDIENCE.split(':')[1]}
MONIKER_PREFIX = '88888888-'
PERSONAL_FIELDS = {'publisherDomain': 'example.onmicrosoft.com', 'userPrincipalName': 'user@example.com',
                   'mail': 'user@example.com', 'unique_name': 'user@example.com',
                   'publisherName': 'Example Organization'}


class IdScrubber(RecordingProcessor):
    def __init__(self, subscription_id=None, tenant_id=None, deeplake_app_id=None):
        self._fakes = {}
        for live, fake in ((subscription_id, MOCKED_SUBSCRIPTION_ID), (tenant_id, MOCKED_TENANT_ID),
                           (deeplake_app_id, PLAYBACK_DEEPLAKE_APP_ID)):
            if live:
                self._fakes[live.lower()] = fake

    def map_to(self, guid, replacement):
        """Replace guid by replacement (a moniker that playback also uses) wherever it appears."""
        if guid:
            self._fakes[guid.lower()] = replacement

    def fake(self, guid):
        key = guid.lower()
        if key in self._fakes:
            return self._fakes[key]
        if key in KEEP or key.startswith(MONIKER_PREFIX):
            return guid
        self._fakes[key] = '00000000-0000-0000-0000-{:012d}'.format(len(self._fakes) + 1)
        return self._fakes[key]

    def scrub(self, text):
        return GUID.sub(lambda m: self.fake(m.group(0)), text)

    def scrub_body(self, body):
        if not body:
            return body
        text = body.decode('utf-8') if isinstance(body, bytes) else body
        try:
            text = json.dumps(_redact(json.loads(text)))
        except ValueError:
            pass
        scrubbed = self.scrub(text)
        return scrubbed.encode('utf-8') if isinstance(body, bytes) else scrubbed

    def process_request(self, request):
        request.uri = self.scrub(request.uri)
        request.body = self.scrub_body(request.body)
        return request

    def process_response(self, response):
        response['body']['string'] = self.scrub_body(response['body']['string'])
        for name, values in response.get('headers', {}).items():
            response['headers'][name] = [self.scrub(v) for v in values] if isinstance(values, list) \
                else self.scrub(values)
        return response


def _redact(value):
    if isinstance(value, dict):
        return {k: PERSONAL_FIELDS[k] if k in PERSONAL_FIELDS and v else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


class CloudShellTokenFilter(RecordingProcessor):
    """Leaves Cloud Shell's local token endpoint (and so its tokens) out of recordings."""

    def process_request(self, request):
        return None if '/oauth2/token' in request.uri else request
