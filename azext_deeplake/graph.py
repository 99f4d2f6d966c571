# --------------------------------------------------------------------------------------------
# Microsoft Graph objects: the application, its federated credential and its service principal.
#
# Requests go through az's own send_raw_request (az's HTTP stack, proxy, CA and --debug logging,
# endpoint from the current cloud), with the Graph token of the command's Session.
# --------------------------------------------------------------------------------------------

import json
from urllib.parse import quote

import requests

from . import deeplake
from .retry import through_transient_faults, until_replicated

TRANSIENT_STATUS = (500, 502, 503, 504)
DEFAULT_RETRY_AFTER = 2
MAX_RETRY_AFTER = 60


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
        self.authority = session.authority

    # ---- applications -------------------------------------------------------------------

    def find_applications(self, display_name, with_credentials=True):
        """Applications with this display name, each with its federated credentials unless told otherwise."""
        escaped = display_name.replace("'", "''")
        expand = '&$expand=federatedIdentityCredentials' if with_credentials else ''
        return self._get_all('/applications?' + _filter(f"displayName eq '{escaped}'") + expand)

    def ensure_application(self, display_name, deadline):
        """(application, created): an upsert on our uniqueName key, so that a rerun finds the application an
        earlier run made even while Graph's lists lag behind, and a repeated request never makes a second one.

        A deleted application keeps its uniqueName for 30 days, so the next key in deeplake.unique_names is taken.
        """
        body = {
            'displayName': display_name,
            'signInAudience': deeplake.SIGN_IN_AUDIENCE,
            'notes': deeplake.APP_NOTES,
            'tags': [deeplake.APP_TAG],
        }
        held = []
        for unique_name in deeplake.unique_names(display_name):
            path = f"/applications(uniqueName='{unique_name}')"
            try:
                created = self._send('PATCH', path, body, headers={'Prefer': 'create-if-missing'})
            except GraphError as ex:
                if not _held_by_deleted_application(ex):
                    raise
                held.append(unique_name)
                continue
            if created:
                return created, True
            # 204: it exists already (made by an earlier run); read it by its key, which does not lag like lists.
            return until_replicated(lambda p=path: self._send('GET', p), lambda ex: _is_graph(ex, 404),
                                    'the application', deadline), False
        raise GraphError(400, 'UniqueNamesExhausted',
                         f"Every key for application '{display_name}' ({', '.join(held)}) is held by a deleted "
                         'application. Restore one of them, or delete them permanently from Microsoft Entra ID > '
                         'App registrations > Deleted applications, then run this command again.')

    def delete_application(self, app_object_id):
        """Deletes (for 30 days, restorably) the application with its credentials and service principal."""
        self._delete(f'/applications/{app_object_id}')

    def create_credential(self, app_object_id, name, trust, deadline):
        """(credential, created). A 404 means the new application has not replicated yet and is waited out. The
        same name (an earlier attempt whose answer was lost), or Deep Lake's issuer and subject under another name,
        returns the credential that exists; any other refusal is raised at once."""
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
                return self._send('POST', path, body), True
            except GraphError as ex:
                if ex.status == 409:
                    return self._send('GET', f'{path}/{name}'), False
                if _is_duplicate_trust(ex):
                    return self._credential_with_trust(path, trust, ex), False
                raise

        return until_replicated(create, lambda ex: _is_graph(ex, 404), 'the new application', deadline)

    def _credential_with_trust(self, path, trust, refusal):
        for credential in self._get_all(path):
            if credential.get('issuer') == trust.issuer and credential.get('subject') == trust.subject:
                return credential
        raise refusal  # it exists, says Graph, but we may not see it

    # ---- service principals ---------------------------------------------------------------

    def find_service_principal(self, app_id):
        """The application's service principal, read by key (lists lag behind new objects), or None."""
        try:
            return self._send('GET', f"/servicePrincipals(appId='{app_id}')")
        except GraphError as ex:
            if ex.status == 404:
                return None
            raise

    def create_service_principal(self, app_id, deadline, replicating=None, tags=None):
        """Create it, or read it by key when it exists already. replicating(error) tells which refusals mean
        that the application is not known everywhere yet (default: a new application of this tenant)."""
        body = dict({'appId': app_id}, **({'tags': list(tags)} if tags else {}))

        def create():
            try:
                return self._send('POST', '/servicePrincipals', body)
            except GraphError as ex:
                if ex.status == 409:  # created meanwhile, for example by an earlier attempt
                    return self._send('GET', f"/servicePrincipals(appId='{app_id}')")
                raise

        return until_replicated(create, replicating or new_application_replicating, 'the new application', deadline)

    def delete_service_principal(self, object_id):
        self._delete(f'/servicePrincipals/{object_id}')

    def _delete(self, path):
        try:
            self._send('DELETE', path)
        except GraphError as ex:
            if ex.status != 404:  # already gone: a rerun after a kill
                raise

    # ---- transport ----------------------------------------------------------------------

    def _get_all(self, path):
        items, url = [], self._base + path
        while url:
            page = self._send_url('GET', url)
            items.extend(page.get('value', []))
            url = page.get('@odata.nextLink')
        return items

    def _send(self, method, path, body=None, headers=None):
        return self._send_url(method, self._base + path, body, headers)

    def _send_url(self, method, url, body=None, headers=None):
        """Every request we send is safe to repeat (reads, upserts, and creates that detect their own duplicate)."""
        return through_transient_faults(lambda: self._send_once(method, url, body, headers or {}), _transient_wait)

    def _send_once(self, method, url, body, extra_headers):
        from azure.cli.core.azclierror import HTTPError
        from azure.cli.core.util import send_raw_request
        headers = [json.dumps(dict(extra_headers, Authorization='Bearer ' + self._session.graph_token()))]
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


def _transient_wait(ex, attempt):
    """Seconds to wait before repeating a request that failed with ex, or None to give up."""
    if isinstance(ex, GraphError) and ex.status == 429:
        try:
            return min(float(ex.retry_after or DEFAULT_RETRY_AFTER), MAX_RETRY_AFTER)
        except ValueError:
            return DEFAULT_RETRY_AFTER
    if isinstance(ex, GraphError) and ex.status in TRANSIENT_STATUS:
        return 2 ** (attempt - 1)
    if isinstance(ex, requests.exceptions.ConnectionError):
        return 2 ** (attempt - 1)
    return None


def _is_graph(ex, status):
    return isinstance(ex, GraphError) and ex.status == status


def _held_by_deleted_application(ex):
    return ex.status == 400 and 'uniqueName' in ex.message and 'already exists' in ex.message


def _is_duplicate_trust(ex):
    return ex.status == 400 and 'combination of issuer and subject must be unique' in ex.message


def no_such_application(ex):
    """400 NoBackingApplicationObject: Graph knows no application with that ID (yet)."""
    return isinstance(ex, GraphError) and ex.status == 400 and (
        ex.has_code('NoBackingApplicationObject') or
        any(text in ex.message for text in (' does not reference ', ' does not exist ')))


def new_application_replicating(ex):
    """Refusals of a service principal create that mean Graph does not know a just-created app everywhere yet:
    400 NoBackingApplicationObject, or 403 "...backing application ... must in the local tenant" (azure-cli#28009;
    az's create-for-rbac retries on the same texts)."""
    return no_such_application(ex) or (
        isinstance(ex, GraphError) and ex.status == 403 and
        'backing application of the service principal being created' in ex.message)
