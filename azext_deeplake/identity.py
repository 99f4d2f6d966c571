# --------------------------------------------------------------------------------------------
# The identity Deep Lake signs in as: the one place where the two flows differ.
#
#   OwnApplication       our app registration, trusting Activeloop's identity through a federated
#                        credential, and its service principal (Activeloop's classic guide)
#   DeepLakeApplication  the service principal of Deep Lake's own multi-tenant application, installed
#                        in this tenant (Deep Lake's "Connect Azure Storage" wizard)
#
# Each reads, plans, creates, removes and describes its objects; everything else (role assignments,
# CORS, readiness, removal of access, the report) works on plan.service_principal, "the principal".
# --------------------------------------------------------------------------------------------

from knack.log import get_logger

from . import deeplake, messages
from .graph import GraphError, no_such_application
from .plan_types import Change
from .status import ABSENT, CREATED, DIFFERENT, EXTERNAL, KEPT, MISSING, NOT_NEEDED, PRESENT, REMOVED

logger = get_logger(__name__)

MAX_CREDENTIALS = 20
NOT_OURS = 'not made by az deeplake'
WITHOUT_DELETE_APP = '--delete-app was not given, so Deep Lake keeps its client ID'
DEEPLAKE_APPLICATION = 'deepLakeApplication'
# Microsoft's own tenants (first-party applications and managed identities live there): never Deep Lake's.
MICROSOFT_TENANTS = ('f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47')


class FoundByKey(Exception):
    """An application that the plan did not read (and so did not check) holds a later uniqueName key: plan again
    with that key before writing anything."""

    def __init__(self, unique_name):
        super().__init__(unique_name)
        self.unique_name = unique_name


def of(request):
    """The identity a request asks for."""
    return DeepLakeApplication() if request.deeplake_app_id else OwnApplication()


class OwnApplication:
    """Our application with its federated credential and service principal."""

    # ---- reading and planning -------------------------------------------------------------------------

    @staticmethod
    def read(graph, pool, request, unique_name=None):
        """By display name, by our uniqueName key (an application renamed since, or not listed yet), and its
        service principal by display name, all at once (so the principal is known as early as the application)."""
        key = unique_name or deeplake.unique_names(request.app_name)[0]
        return {'by_name': pool.submit(_find_applications, graph, request.app_name),
                'by_key': pool.submit(_application_by_key, graph, key), 'key': key,
                'principals': pool.submit(_read, graph, 'read service principals', graph.find_service_principals,
                                          request.app_name)}

    def plan(self, plan, graph, found):
        plan.unique_name = found['key']
        apps = found['by_name'].result() or [app for app in [found['by_key'].result()] if app]
        self.plan_application(plan, apps)
        if plan.application:
            app_id = plan.application['appId']
            listed = [p for p in found['principals'].result() if p.get('appId', '').lower() == app_id.lower()]
            plan.service_principal = listed[0] if listed else \
                _read(graph, 'read service principals', graph.find_service_principal, app_id)
            if plan.service_principal:
                plan.service_principal_status = PRESENT

    @staticmethod
    def actors(plan):
        """The objects anyone could act as: the application (if it exists) and its service principal."""
        found = [('application', plan.application)] if plan.application_status == PRESENT else []
        return found + ([('servicePrincipal', plan.service_principal)] if plan.service_principal else [])

    def plan_application(self, plan, apps):
        if len(apps) > 1:
            raise messages.several_applications(plan.request.app_name, apps)
        if apps:
            plan.application, plan.application_status = apps[0], PRESENT
            if not _ours(apps[0]):
                plan.warnings.append(messages.foreign_application(apps[0]))
            self._plan_credential(plan, apps[0].get('federatedIdentityCredentials') or [])

    @staticmethod
    def _plan_credential(plan, credentials):
        """Ours is the credential with Deep Lake's issuer and subject, or else the one with our name."""
        trust, name = plan.request.trust, plan.request.credential_name
        same_trust = [c for c in credentials if c.get('issuer') == trust.issuer and c.get('subject') == trust.subject]
        same_name = [c for c in credentials if c.get('name', '').lower() == name.lower()]
        existing = (same_trust or same_name or [None])[0]
        plan.credential_count = len(credentials)
        if existing is None:
            return
        plan.credential = existing
        plan.credential_differences = deeplake.trust_differences(existing, trust)
        plan.credential_status = DIFFERENT if plan.credential_differences else PRESENT

    @staticmethod
    def check(plan):
        """federate never changes an existing trust, and cannot add a credential past Entra ID's limit."""
        if plan.credential_differences:
            plan.blockers.append(messages.credential_conflict(plan.application, plan.credential,
                                                              plan.credential_differences))
        elif plan.application and plan.credential is None and plan.credential_count >= MAX_CREDENTIALS:
            plan.blockers.append(messages.too_many_credentials(plan.request.app_name, MAX_CREDENTIALS))

    @staticmethod
    def changes(plan):
        todo = []
        if plan.application_status in (MISSING, CREATED):
            todo.append(Change('create', f"application '{plan.request.app_name}'"))
        if plan.credential_status in (MISSING, CREATED):
            todo.append(Change('add', f"federated credential '{plan.request.credential_name}'"))
        if plan.service_principal_status in (MISSING, CREATED):
            todo.append(Change('create', 'its service principal'))
        return todo

    # ---- applying ---------------------------------------------------------------------------------------

    def prepare(self, plan, graph, deadline):
        """The writes that must come before any other."""
        if plan.application_status == MISSING:
            self._ensure_application(plan, graph, deadline)
        elif plan.credential_status == MISSING:
            # Only owners and administrators may change an existing application: learn that before any other write.
            self.create_credential(plan, graph, deadline)

    @staticmethod
    def _ensure_application(plan, graph, deadline):
        logger.warning("Creating application '%s'...", plan.request.app_name)
        try:
            app, created, key = graph.ensure_application(plan.request.app_name, deadline, plan.unique_name)
        except GraphError as ex:
            raise messages.graph_failure(ex, 'register an application', plan.tenant_id) from None
        if app is None:
            raise FoundByKey(key)
        plan.application = app
        plan.application.setdefault('federatedIdentityCredentials', [])
        plan.application_status = CREATED if created else PRESENT

    def concurrent_steps(self, plan):
        """Writes that may run alongside the principal's creation and CORS."""
        return [self.create_credential] if plan.credential_status == MISSING else []

    @staticmethod
    def create_credential(plan, graph, deadline):
        trust = plan.request.trust
        try:
            credential, created = graph.create_credential(plan.application['id'], plan.request.credential_name,
                                                          trust, deadline)
        except GraphError as ex:
            if ex.status == 403:
                raise messages.not_an_owner(plan.application, 'add a federated credential to', ex.message) from None
            raise messages.credential_refused(plan.application, ex) from None
        differences = deeplake.trust_differences(credential, trust)
        if differences:
            raise messages.credential_conflict(plan.application, credential, differences)
        plan.credential, plan.credential_status = credential, CREATED if created else PRESENT

    @staticmethod
    def ensure_principal(plan, graph, deadline):
        if plan.service_principal_status != MISSING:
            return
        try:
            plan.service_principal = graph.create_service_principal(plan.application['appId'], deadline)
        except GraphError as ex:
            raise messages.graph_failure(ex, 'create the service principal', plan.tenant_id,
                                         nothing_changed=False) from None
        plan.service_principal_status = CREATED

    # ---- removing ---------------------------------------------------------------------------------------

    @staticmethod
    def decide_removal(plan, ours_left):
        """--delete-app deletes the application (its credential and principal go with it) only when az deeplake
        made it and its principal holds no assignment of ours anywhere else (none would point at a deleted
        identity)."""
        app = plan.application
        if app is None:
            plan.application_status = plan.credential_status = plan.service_principal_status = ABSENT
            return
        if not plan.request.delete_app:
            _keep(plan, WITHOUT_DELETE_APP)
        elif not _ours(app):
            _keep(plan, NOT_OURS)
            plan.blockers.append(messages.application_not_ours(app))
        elif ours_left:
            _keep(plan, 'its service principal still has az deeplake role assignments')
            plan.blockers.append(messages.application_still_used(app, sorted({a['scope'] for a in ours_left})))
        else:
            plan.application_status = PRESENT
            plan.credential_status = PRESENT if plan.credential else ABSENT
            plan.service_principal_status = PRESENT if plan.service_principal else ABSENT

    @staticmethod
    def removal_changes(plan):
        if plan.application_status in (PRESENT, REMOVED):
            return [Change('delete', f"application '{_display_name(plan)}' with its federated credential and "
                                     'service principal')]
        return []

    @staticmethod
    def remove(plan, graph):
        try:
            graph.delete_application(plan.application['id'])
        except GraphError as ex:
            raise messages.graph_failure(ex, 'delete the application', plan.tenant_id, nothing_changed=False) \
                from None
        for piece in ('application_status', 'credential_status', 'service_principal_status'):
            if getattr(plan, piece) == PRESENT:
                setattr(plan, piece, REMOVED)

    # ---- describing -------------------------------------------------------------------------------------

    @staticmethod
    def describe_application(plan):
        app = plan.application or {}
        described = {'displayName': _display_name(plan), 'clientId': app.get('appId'), 'objectId': app.get('id'),
                     'createdByAzDeeplake': _ours(app) if app else None}
        if plan.accepted_owners:
            described['acceptedOwners'] = list(plan.accepted_owners)
        return described

    @staticmethod
    def describe_credential(plan):
        credential, trust = plan.credential or {}, plan.request.trust
        described = {
            'name': credential.get('name', plan.request.credential_name),
            'issuer': credential.get('issuer', trust.issuer),
            'subject': credential.get('subject', trust.subject),
            'audiences': credential.get('audiences', [trust.audience]),
            'status': plan.credential_status,
            'trust': 'activeloop' if deeplake.is_activeloop(trust) else 'custom',
        }
        if plan.credential_status == DIFFERENT:
            described['differences'] = list(plan.credential_differences)
        return described

    @staticmethod
    def notes(plan):  # pylint: disable=unused-argument
        return []

    @staticmethod
    def settings(plan):
        """What to enter in the Deep Lake app to use this federation."""
        containers = plan.request.containers
        suffix = '-' + containers[0] if len(containers) == 1 else ''
        return {
            'tenantId': plan.tenant_id,
            'clientId': (plan.application or {}).get('appId'),
            'credentialName': f'azure-{plan.account.name}{suffix}',
            'paths': deeplake.dataset_paths(plan.account.name, containers),
        }

    @staticmethod
    def next_steps(settings):
        return [
            f'Next, in the Deep Lake app ({deeplake.APP_ORIGIN}), add Azure credentials with:',
            '  Directory (tenant) ID:   ' + settings['tenantId'],
            '  Application (client) ID: ' + str(settings['clientId']),
            '  Credential name:         ' + settings['credentialName'],
            'Then, in Python:',
            *[f'  deeplake.open("{path}/<dataset>", creds={{"creds_key": "{settings["credentialName"]}"}})'
              for path in settings['paths']],
            'New role assignments can take a few minutes to take effect.',
        ]


class DeepLakeApplication:
    """The service principal of Deep Lake's multi-tenant application (no registration, no credential here)."""

    # ---- reading and planning -------------------------------------------------------------------------

    @staticmethod
    def read(graph, pool, request, unique_name=None):  # pylint: disable=unused-argument
        """Its service principal here, and whether the ID names an application of this tenant (then it is not
        Deep Lake's), at once."""
        app_id = request.deeplake_app_id
        return {'principal': pool.submit(_read, graph, 'read service principals', graph.find_service_principal,
                                         app_id),
                'local': pool.submit(_read, graph, 'read app registrations', graph.application_by_app_id, app_id)}

    def __init__(self):
        self.local_application = None  # an application of this tenant with Deep Lake's ID: then it is not Deep Lake's

    def plan(self, plan, graph, found):  # pylint: disable=unused-argument
        plan.service_principal = found['principal'].result()
        self.local_application = found['local'].result()
        plan.application = {'appId': plan.request.deeplake_app_id,
                            'displayName': (plan.service_principal or {}).get('appDisplayName') or
                            (self.local_application or {}).get('displayName')}
        plan.application_status, plan.credential_status = EXTERNAL, NOT_NEEDED
        if plan.service_principal:
            plan.service_principal_status = PRESENT

    @staticmethod
    def actors(plan):
        """Deep Lake's application lives in Activeloop's tenant; its principal here is what this tenant controls."""
        return [('servicePrincipal', plan.service_principal)] if plan.service_principal else []

    def check(self, plan):
        """Whose application it is, checked before any write: it must be an application another tenant publishes."""
        refusal = self._not_deep_lakes(plan)
        plan.checks.append({'name': DEEPLAKE_APPLICATION, 'status': 'blocker' if refusal else 'ok',
                            'message': refusal or messages.publisher_summary(plan.request.deeplake_app_id,
                                                                             _publisher(plan)),
                            'findings': []})
        if refusal:
            plan.blockers.append(messages.not_deep_lakes_application(refusal))

    @staticmethod
    def changes(plan):
        if plan.service_principal_status in (MISSING, CREATED):
            return [Change('create', _deep_lakes_principal(plan))]
        return []

    # ---- applying ---------------------------------------------------------------------------------------

    def prepare(self, plan, graph, deadline):
        """The principal first: when the caller may not create it, nothing else must have been written. Then whose
        application it is, from the new principal, before any role is granted."""
        if plan.service_principal_status != MISSING:
            return
        app_id = plan.request.deeplake_app_id
        logger.warning("Installing Deep Lake's application %s in tenant %s...", app_id, plan.tenant_id)
        try:
            plan.service_principal = graph.create_service_principal(
                app_id, deadline, replicating=lambda ex: False, tags=[deeplake.APP_TAG])
        except GraphError as ex:
            if ex.status == 403:
                raise messages.consent_required(app_id, plan.tenant_id, graph.authority, ex.message) from None
            if no_such_application(ex):  # Deep Lake's application is not new: no replication to wait for
                raise messages.unknown_deeplake_app(app_id) from None
            raise messages.graph_failure(ex, "install Deep Lake's application", plan.tenant_id) from None
        plan.service_principal_status = CREATED
        plan.application['displayName'] = plan.service_principal.get('appDisplayName')
        refusal = self._not_deep_lakes(plan)
        if refusal:
            raise messages.not_deep_lakes_application(refusal, installed=True)

    @staticmethod
    def concurrent_steps(plan):  # pylint: disable=unused-argument
        return []

    @staticmethod
    def ensure_principal(plan, graph, deadline):  # pylint: disable=unused-argument
        return  # prepare() made it

    # ---- removing ---------------------------------------------------------------------------------------

    @staticmethod
    def decide_removal(plan, ours_left):
        """--delete-app deletes the service principal (the enterprise application) only when az deeplake created it
        and it holds no assignment of ours in any subscription the caller can read."""
        principal = plan.service_principal
        plan.application_status, plan.credential_status = EXTERNAL, NOT_NEEDED
        if principal is None:
            plan.service_principal_status = ABSENT
        elif not plan.request.delete_app:
            plan.service_principal_status = KEPT
            plan.reasons['servicePrincipal'] = '--delete-app was not given'
        elif not _ours(principal):
            plan.service_principal_status = KEPT
            plan.reasons['servicePrincipal'] = NOT_OURS
            plan.blockers.append(messages.principal_not_ours(plan.request.deeplake_app_id, principal))
        elif ours_left:
            plan.service_principal_status = KEPT
            plan.reasons['servicePrincipal'] = 'it still has az deeplake role assignments'
            plan.blockers.append(messages.principal_still_used(plan.request.deeplake_app_id,
                                                               sorted({a['scope'] for a in ours_left})))
        else:
            plan.service_principal_status = PRESENT

    @staticmethod
    def removal_changes(plan):
        if plan.service_principal_status in (PRESENT, REMOVED):
            return [Change('delete', _deep_lakes_principal(plan))]
        return []

    @staticmethod
    def remove(plan, graph):
        try:
            graph.delete_service_principal(plan.service_principal['id'])
        except GraphError as ex:
            raise messages.graph_failure(ex, "delete Deep Lake's service principal", plan.tenant_id,
                                         nothing_changed=False) from None
        plan.service_principal_status = REMOVED

    # ---- describing -------------------------------------------------------------------------------------

    @staticmethod
    def describe_application(plan):
        """Whose application it is, as this tenant sees it: compare with what Deep Lake's wizard shows."""
        return dict({'displayName': (plan.application or {}).get('displayName'),
                     'clientId': plan.request.deeplake_app_id, 'objectId': None, 'createdByAzDeeplake': False},
                    **_publisher(plan))

    @staticmethod
    def describe_credential(plan):
        return {'status': plan.credential_status}

    @staticmethod
    def notes(plan):
        """Whose application it is, for a person to compare with Deep Lake's wizard."""
        return [messages.publisher_summary(plan.request.deeplake_app_id, _publisher(plan))]

    @staticmethod
    def settings(plan):
        """Exactly what Deep Lake's "Connect Azure Storage" wizard asks for."""
        account, containers = plan.account, plan.request.containers
        return {
            'tenantId': plan.tenant_id,
            'subscriptionId': account.subscription_id,
            'resourceGroup': account.resource_group,
            'storageAccount': account.name,
            'containers': list(containers),
            'paths': deeplake.dataset_paths(account.name, containers),
            'servicePrincipalObjectId': (plan.service_principal or {}).get('id'),
        }

    @staticmethod
    def next_steps(settings):
        containers = ', '.join(settings['containers']) or '(the container to use; it must exist)'
        return [
            f'Next, in the Deep Lake app ({deeplake.APP_ORIGIN}), in the "Connect Azure Storage" wizard enter:',
            '  Tenant ID:        ' + settings['tenantId'],
            '  Subscription ID:  ' + settings['subscriptionId'],
            '  Resource group:   ' + settings['resourceGroup'],
            '  Storage account:  ' + settings['storageAccount'],
            '  Container:        ' + containers,
            '  (base path ' + ', '.join(settings['paths']) + ')',
            'then press Verify access. New role assignments can take 5 to 10 minutes to take effect.',
        ]

    def _not_deep_lakes(self, plan):
        """Why the ID cannot be Deep Lake's application, or None: an application of this tenant, a managed identity or
        any principal that is not an application, or one published by this tenant or by Microsoft."""
        app_id = plan.request.deeplake_app_id
        if self.local_application:
            return messages.local_application(app_id, self.local_application)
        principal = plan.service_principal
        if not principal:
            return None  # not installed yet: judged from the principal the install returns, before any role
        kind, owner = principal.get('servicePrincipalType'), (principal.get('appOwnerOrganizationId') or '').lower()
        if kind != 'Application':
            return messages.not_an_application(app_id, principal)
        if owner == plan.tenant_id.lower() or owner in MICROSOFT_TENANTS or not owner:
            return messages.not_published_elsewhere(app_id, principal, plan.tenant_id)
        return None


def _deep_lakes_principal(plan):
    return f"the service principal of Deep Lake's application {plan.request.deeplake_app_id}"


def _publisher(plan):
    """What Graph says about whose application Deep Lake's ID names (None until its principal is installed)."""
    principal = plan.service_principal or {}
    verified = principal.get('verifiedPublisher') or {}
    return {'appOwnerOrganizationId': principal.get('appOwnerOrganizationId'),
            'publisherName': principal.get('publisherName'),
            'verifiedPublisher': {'displayName': verified.get('displayName'),
                                  'verifiedPublisherId': verified.get('verifiedPublisherId')},
            'servicePrincipalType': principal.get('servicePrincipalType')}


# ---- shared ---------------------------------------------------------------------------------------------

def _ours(graph_object):
    return deeplake.APP_TAG in (graph_object.get('tags') or [])


def _keep(plan, reason):
    plan.application_status = KEPT
    plan.credential_status = KEPT if plan.credential else ABSENT
    plan.service_principal_status = KEPT if plan.service_principal else ABSENT
    for piece in ('application', 'federatedCredential', 'servicePrincipal'):
        plan.reasons[piece] = reason


def _display_name(plan):
    """The application's name as it is now (it may have been renamed since az deeplake created it)."""
    return (plan.application or {}).get('displayName') or plan.request.app_name


def _find_applications(graph, name):
    return _with_credentials(lambda credentials: graph.find_applications(name, with_credentials=credentials),
                             graph.tenant_id)


def _application_by_key(graph, unique_name):
    found = _with_credentials(lambda credentials: [app for app in [graph.application_by_key(unique_name, credentials)]
                                                   if app], graph.tenant_id)
    return found[0] if found else None


def _with_credentials(read, tenant_id):
    """read(with_credentials=True), telling a refusal to show an application's federated credentials (documented
    as readable "for applications they own") apart from having no right to read applications at all."""
    try:
        return read(True)
    except GraphError as ex:
        if ex.status != 403:
            raise messages.graph_failure(ex, 'read app registrations', tenant_id) from None
        refused = ex
    try:
        apps = read(False)
    except GraphError as ex:
        raise messages.graph_failure(ex, 'read app registrations', tenant_id) from None
    if len(apps) == 1:
        raise messages.not_an_owner(apps[0], 'read the federated credentials of', refused.message)
    if not apps:
        raise messages.graph_failure(refused, 'read app registrations', tenant_id)
    return apps


def _read(graph, doing, reader, *args):
    """reader(*args), a Graph read; a refusal or failure becomes an az error saying what could not be read."""
    try:
        return reader(*args)
    except GraphError as ex:
        raise messages.graph_failure(ex, doing, graph.tenant_id) from None
