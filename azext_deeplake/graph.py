# --------------------------------------------------------------------------------------------
# Microsoft Graph objects: the application, its federated credential and its service principal.
#
# Requests go through az's own send_raw_request (az's HTTP stack, proxy, CA and --debug logging,
# endpoint from the current cloud), with the Graph token of the command's Session.
# --------------------------------------------------------------------------------------------

import json
import time
from urllib.parse import quote

import requests
from knack.log import get_logger

from . import deeplake
from .retry import through_transient_faults, until_replicated

logger = get_logger(__name__)

TRANSIENT_STATUS = (500, 502, 503, 504)
DEFAULT_RETRY_AFTER = 2
MAX_RETRY_AFTER = 60
LOST_ANSWER_CHECKS = (0, 1, 2)  # seconds to wait before each look for an application whose creation lost its answer


class GraphError(Exception):
    def __init__(self, status, code, message, detail_codes=(), retry_after=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail_codes = tuple(detail_codes)
        self.retry_after = retry_after

    def has_code(self, code):
        return code == self.code or code in self.detail_codes


class Graph:
    API = 'v1.0'

    def __init__(self, session):
        self._session = session
        self._base = f'{session.graph_endpoint}/{self.API}'

    # ---- applications -------------------------------------------------------------------

    def find_applications(self, display_name):
        """Applications with this display name, each with its federated credentials."""
        escaped = display_name.replace("'", "''")
        return self._get_all('/applications?' + _filter(f"displayName eq '{escaped}'") +
                             '&$expand=federatedIdentityCredentials')

    def create_application(self, display_name):
        body = {
            'displayName': display_name,
            'signInAudience': deeplake.SIGN_IN_AUDIENCE,
            'notes': deeplake.APP_NOTES,
            'tags': [deeplake.APP_TAG],
        }
        try:
            return self._send('POST', '/applications', body, safe_to_repeat=False)
        except (GraphError, requests.exceptions.ConnectionError) as ex:
            if not _answer_may_be_lost(ex):
                raise
            logger.warning('Creating the application failed (%s); checking whether Azure created it anyway...', ex)
        # Repeating the POST blindly could leave two applications: look for the one just created first.
        return self._find_ours(display_name) or self._send('POST', '/applications', body, safe_to_repeat=False)

    def _find_ours(self, display_name):
        """An application with this name that az deeplake created, looked for a few times (lists lag behind)."""
        for delay in LOST_ANSWER_CHECKS:
            time.sleep(delay)
            ours = [app for app in self.find_applications(display_name) if deeplake.APP_TAG in (app.get('tags') or [])]
            if ours:
                return ours[0]
        return None

    def create_credential(self, app_object_id, name, trust, deadline):
        body = {
            'name': name,
            'issuer': trust.issuer,
            'subject': trust.subject,
            'audiences': [trust.audience],
            'description': deeplake.CREDENTIAL_DESCRIPTION,
        }
        path = f'/applications/{app_object_id}/federatedIdentityCredentials'

        def create():
            try:
                return self._send('POST', path, body)
            except GraphError as ex:
                # An earlier attempt whose answer was lost may have created it: the same credential is fine.
                if ex.status in (400, 409):
                    existing = self._send('GET', f'{path}/{name}')
                    if all(existing.get(key) == value for key, value in body.items() if key != 'description'):
                        return existing
                raise

        return until_replicated(create, lambda ex: _is_graph(ex, 404), 'the new application', deadline)

    # ---- service principals ---------------------------------------------------------------

    def find_service_principal(self, app_id):
        found = self._get_all('/servicePrincipals?' + _filter(f"appId eq '{app_id}'"))
        return found[0] if found else None

    def create_service_principal(self, app_id, deadline):
        def create():
            try:
                return self._send('POST', '/servicePrincipals', {'appId': app_id})
            except GraphError as ex:
                if ex.status == 409:  # created meanwhile, for example by an earlier attempt
                    existing = self.find_service_principal(app_id)
                    if existing:
                        return existing
                raise

        return until_replicated(create, _is_missing_backing_app, 'the new application', deadline)

    # ---- transport ----------------------------------------------------------------------

    def _get_all(self, path):
        items, url = [], self._base + path
        while url:
            page = self._send_url('GET', url)
            items.extend(page.get('value', []))
            url = page.get('@odata.nextLink')
        return items

    def _send(self, method, path, body=None, safe_to_repeat=True):
        return self._send_url(method, self._base + path, body, safe_to_repeat)

    def _send_url(self, method, url, body=None, safe_to_repeat=True):
        def wait_for(ex, attempt):
            return _transient_wait(ex, attempt, safe_to_repeat)
        return through_transient_faults(lambda: self._send_once(method, url, body), wait_for)

    def _send_once(self, method, url, body):
        from azure.cli.core.azclierror import HTTPError
        from azure.cli.core.util import send_raw_request
        headers = [json.dumps({'Authorization': 'Bearer ' + self._session.graph_token()})]
        try:
            response = send_raw_request(self._session.cli_ctx, method, url, headers=headers,
                                        body=json.dumps(body) if body is not None else None)
        except HTTPError as ex:
            raise _graph_error(ex.response) from None
        return response.json() if response.text else None


def _filter(expression):
    return '$filter=' + quote(expression, safe='')


def _graph_error(response):
    retry_after = response.headers.get('Retry-After')
    try:
        error = response.json()['error']
    except (ValueError, KeyError, TypeError):
        return GraphError(response.status_code, None, response.text or response.reason, retry_after=retry_after)
    details = [d.get('code') for d in error.get('details') or [] if isinstance(d, dict)]
    return GraphError(response.status_code, error.get('code'), error.get('message', ''), details, retry_after)


def _transient_wait(ex, attempt, safe_to_repeat):
    """Seconds to wait before repeating a request that failed with ex, or None to give up."""
    if isinstance(ex, GraphError) and ex.status == 429:
        try:
            return min(float(ex.retry_after or DEFAULT_RETRY_AFTER), MAX_RETRY_AFTER)
        except ValueError:
            return DEFAULT_RETRY_AFTER
    if not safe_to_repeat:
        return None
    if isinstance(ex, GraphError) and ex.status in TRANSIENT_STATUS:
        return 2 ** (attempt - 1)
    if isinstance(ex, requests.exceptions.ConnectionError):
        return 2 ** (attempt - 1)
    return None


def _answer_may_be_lost(ex):
    """Whether a failed request may still have been carried out."""
    return isinstance(ex, requests.exceptions.ConnectionError) or (
        isinstance(ex, GraphError) and ex.status in TRANSIENT_STATUS)


def _is_graph(ex, status):
    return isinstance(ex, GraphError) and ex.status == status


def _is_missing_backing_app(ex):
    return (isinstance(ex, GraphError) and ex.status == 400 and
            (ex.has_code('NoBackingApplicationObject') or 'does not reference a valid application' in ex.message))
