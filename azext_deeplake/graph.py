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
from .retry import fault_delay, through_transient_faults, until_replicated


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
        self.base = f'{session.graph_endpoint}/{self.API}'
        self.authority = session.authority
        self.tenant_id = session.tenant_id

    # ---- applications -------------------------------------------------------------------

    def find_applications(self, display_name, with_credentials=True):
        """Applications with this display name, each with its federated credentials unless told otherwise."""
        expand = '&$expand=federatedIdentityCredentials' if with_credentials else ''
        return self._get_all('/applications?' + _filter(f"displayName eq '{_quoted(display_name)}'") + expand)

    def application_by_key(self, unique_name, with_credentials=True):
        """The live application holding this uniqueName key, or None. Reads by key do not lag like lists."""
        expand = '?$expand=federatedIdentityCredentials' if with_credentials else ''
        return self._read_or_none(f"/applications(uniqueName='{unique_name}')" + expand)

    def application_by_app_id(self, app_id):
        """The application of this tenant with this client ID, or None."""
        return self._read_or_none(f"/applications(appId='{app_id}')")

    def ensure_application(self, display_name, deadline, checked_key=None):
        """(application, created, key): the application an upsert on our uniqueName key created, or (None, False,
        key) when an application that nobody has checked holds the key already.

        The upsert updates an application that holds the key with its body (Graph's "Upsert application"), so a key
        is upserted only once a read found it free: the plan has read checked_key; every other key is read first.
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
            if unique_name != checked_key and self.application_by_key(unique_name, with_credentials=False):
                return None, False, unique_name
            path = f"/applications(uniqueName='{unique_name}')"
            try:
                created = self._send('PATCH', path, body, headers={'Prefer': 'create-if-missing'})
            except GraphError as ex:
                if not _held_by_deleted_application(ex):
                    raise
                held.append(unique_name)
                continue
            if created:
                return created, True, unique_name
            # 204: a concurrent run created it since the key was read (and set the same values): read it by key.
            return until_replicated(lambda p=path: self._send('GET', p), lambda ex: _is_graph(ex, 404),
                                    'the application', deadline), False, unique_name
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
        return self._read_or_none(f"/servicePrincipals(appId='{app_id}')")

    def find_service_principals(self, display_name):
        """Service principals with this display name (a list: it may lag behind new ones)."""
        return self._get_all('/servicePrincipals?' + _filter(f"displayName eq '{_quoted(display_name)}'"))

    # ---- who can act as an object, and what a principal holds ------------------------------

    def owners(self, kind, object_id):
        """The owners of an application or service principal (kind: 'application' or 'servicePrincipal')."""
        return self._get_all(f'/{_COLLECTIONS[kind]}/{object_id}/owners')

    def app_role_assignments(self, principal_id):
        """The application permissions (app roles of other APIs, such as Microsoft Graph) granted to a principal."""
        return self._get_all(f'/servicePrincipals/{principal_id}/appRoleAssignments')

    def memberships(self, principal_id):
        """The groups and directory roles a principal is a direct member of."""
        return self._get_all(f'/servicePrincipals/{principal_id}/memberOf')

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

    def _read_or_none(self, path):
        try:
            return self._send('GET', path)
        except GraphError as ex:
            if ex.status == 404:
                return None
            raise

    def _delete(self, path):
        try:
            self._send('DELETE', path)
        except GraphError as ex:
            if ex.status != 404:  # already gone: a rerun after a kill
                raise

    # ---- transport ----------------------------------------------------------------------

    def _get_all(self, path):
        items, url = [], self.base + path
        while url:
            page = self._send_url('GET', url)
            items.extend(page.get('value', []))
            url = page.get('@odata.nextLink')
        return items

    def _send(self, method, path, body=None, headers=None):
        return self._send_url(method, self.base + path, body, headers)

    def _send_url(self, method, url, body=None, headers=None):
        """Every request we send is safe to repeat (reads, upserts, and creates that detect their own duplicate)."""
        return through_transient_faults(lambda: self._send_once(method, url, body, headers or {}), _transient_wait,
                                        self._session.deadline, 'Microsoft Graph')

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


_COLLECTIONS = {'application': 'applications', 'servicePrincipal': 'servicePrincipals'}


def _quoted(value):
    """A string literal's content in an OData filter."""
    return value.replace("'", "''")


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
    if isinstance(ex, GraphError):
        return fault_delay(ex.status, ex.retry_after, attempt)
    if isinstance(ex, requests.exceptions.ConnectionError):
        return fault_delay(None, None, attempt)
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
