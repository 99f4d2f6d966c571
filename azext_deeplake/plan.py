# --------------------------------------------------------------------------------------------
# Planning: read what exists and decide what must change. Reads only; federate, --dry-run, show
# and unfederate all start here (unfederate's decisions are in removal.py).
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass, field
from typing import List, Optional

from knack.log import get_logger

from . import cors, deeplake, messages, parallel, roles, storage
from .graph import Graph, GraphError

logger = get_logger(__name__)

PRESENT = 'present'
MISSING = 'missing'
DIFFERENT = 'different'
CREATED = 'created'
SKIPPED = 'skipped'
UNSUPPORTED = 'unsupported'

MAX_CREDENTIALS = 20


@dataclass
class AssignmentPlan:
    grant: deeplake.Grant
    status: str = MISSING
    name: Optional[str] = None
    reason: Optional[str] = None  # why it differs, or why unfederate keeps it


@dataclass
class Plan:  # pylint: disable=too-many-instance-attributes
    request: deeplake.Request
    tenant_id: str
    account: Optional[storage.Account] = None
    application: Optional[dict] = None
    application_status: str = MISSING
    credential: Optional[dict] = None
    credential_status: str = MISSING
    credential_differences: List[str] = field(default_factory=list)
    credential_count: int = 0
    service_principal: Optional[dict] = None
    service_principal_status: str = MISSING
    assignments: List[AssignmentPlan] = field(default_factory=list)
    cors_status: str = SKIPPED
    cors_rules: List[dict] = field(default_factory=list)
    blob_service: Optional[object] = None  # the blob service properties as read, written back with CORS changed
    reasons: dict = field(default_factory=dict)  # piece ('application', 'cors', ...) -> why it is kept
    blockers: list = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def complete(self):
        statuses = [self.application_status, self.credential_status, self.service_principal_status]
        statuses += [a.status for a in self.assignments]
        return all(s in (PRESENT, CREATED) for s in statuses) and self.cors_status in (PRESENT, CREATED, SKIPPED)

    @property
    def changes(self):
        """The writes federate makes (or made), in order, as short sentences."""
        todo = []
        if self.application_status in (MISSING, CREATED):
            todo.append(f"create application '{self.request.app_name}'")
        if self.credential_status in (MISSING, CREATED):
            todo.append(f"add federated credential '{self.request.credential_name}'")
        if self.service_principal_status in (MISSING, CREATED):
            todo.append('create its service principal')
        for assignment in self.assignments:
            if assignment.status in (MISSING, CREATED):
                todo.append(f"assign '{assignment.grant.role}' at {assignment.grant.scope}")
        if self.cors_status in (MISSING, CREATED):
            todo.append(f'add a CORS rule for {deeplake.APP_ORIGIN}')
        return todo


def build_plan(session, request):
    """Read the current state (independent reads run concurrently) and compare it with the desired one."""
    with parallel.executor() as pool:
        plan, reads = _read(session, request, pool, Plan(request=request, tenant_id=session.tenant_id))
        missing = [c for c, found in reads['containers'].items() if not found.result()]
        if missing:
            raise messages.container_not_found(missing, plan.account)
        _plan_assignments(plan, reads['held'])
        _check_credential(plan)
        _plan_cors(plan, reads['blob_service'].result() if reads['blob_service'] else None)
        _check_rights(plan, reads['permissions'].result())
    if not plan.account.hierarchical_namespace:
        plan.warnings.append(messages.no_hierarchical_namespace(plan.account))
    return plan


def build_removal_plan(session, request):
    """The same reads, for unfederate: what exists, and (removal.py) what of it az deeplake made and may remove."""
    from . import removal
    with parallel.executor() as pool:
        plan, reads = _read(session, request, pool, removal.RemovalPlan(request=request, tenant_id=session.tenant_id),
                            removing=True)
        removal.decide(plan, reads['held'], reads['everyone'].result(),
                       reads['blob_service'].result() if reads['blob_service'] else None)
        removal.check_rights(plan, reads['permissions'].result())
    return plan


def _read(session, request, pool, plan, removing=False):
    """The reads both plans share: the account, the application and its principal, the principal's assignments
    (in the whole subscription when unfederate may delete the app), CORS, containers and the caller's rights.
    Removal also reads every principal's assignments on the account (is anything of ours left for CORS?)."""
    graph = Graph(session)
    session.warm_up(pool)
    apps = pool.submit(_find_applications, graph, request.app_name, session.tenant_id)
    plan.account = account = storage.resolve_account(session, request.account, request.resource_group)
    reads = {
        'containers': {} if removing else {c: pool.submit(storage.container_exists, session, account, c)
                                           for c in request.containers},
        'blob_service': pool.submit(storage.blob_service_properties, session, account)
        if request.cors and account.supports_cors else None,
        'permissions': pool.submit(_caller_permissions, session, account),
        'everyone': pool.submit(roles.assignments_of, session, account.id) if removing else None,
    }
    _plan_application(plan, apps.result())
    _plan_service_principal(plan, graph)
    reads['held'] = []
    if plan.service_principal:
        scope = f'/subscriptions/{account.subscription_id}' if request.delete_app else account.id
        reads['held'] = roles.assignments_of(session, scope, plan.service_principal['id'])
    return plan, reads


def _find_applications(graph, name, tenant_id):
    try:
        return graph.find_applications(name)
    except GraphError as ex:
        if ex.status != 403:
            raise messages.graph_failure(ex, 'read app registrations', tenant_id) from None
        refused = ex
    # An application's credentials are documented as readable "for applications they own": tell a refusal of
    # those apart from having no right to read applications at all.
    try:
        apps = graph.find_applications(name, with_credentials=False)
    except GraphError as ex:
        raise messages.graph_failure(ex, 'read app registrations', tenant_id) from None
    if len(apps) == 1:
        raise messages.not_an_owner(apps[0], 'read the federated credentials of', refused.message)
    if not apps:
        raise messages.graph_failure(refused, 'read app registrations', tenant_id)
    return apps


def _plan_application(plan, apps):
    if len(apps) > 1:
        raise messages.several_applications(plan.request.app_name, apps)
    if not apps:
        return
    plan.application, plan.application_status = apps[0], PRESENT
    if deeplake.APP_TAG not in (apps[0].get('tags') or []):
        plan.warnings.append(messages.foreign_application(apps[0]))
    _plan_credential(plan, apps[0].get('federatedIdentityCredentials') or [])


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


def _check_credential(plan):
    """federate never changes an existing trust, and cannot add a credential past Entra ID's limit."""
    if plan.credential_differences:
        plan.blockers.append(messages.credential_conflict(plan.application, plan.credential,
                                                          plan.credential_differences))
    elif plan.application and plan.credential is None and plan.credential_count >= MAX_CREDENTIALS:
        plan.blockers.append(messages.too_many_credentials(plan.request.app_name, MAX_CREDENTIALS))


def _plan_service_principal(plan, graph):
    if plan.application is None:
        return
    try:
        plan.service_principal = graph.find_service_principal(plan.application['appId'])
    except GraphError as ex:
        raise messages.graph_failure(ex, 'read service principals', plan.tenant_id) from None
    if plan.service_principal:
        plan.service_principal_status = PRESENT


def _plan_assignments(plan, held):
    """Each grant is present or missing; a data role of ours that differs from the one asked for at the same
    scope is never silently widened or narrowed."""
    request = plan.request
    for grant in deeplake.grants_for(plan.account.id, request.containers, request.data_role):
        match = roles.find_equal(held, grant)
        other = None if match or not deeplake.is_data_role(grant.role_id) else next(
            (a for a in roles.at_scope(held, grant.scope)
             if deeplake.is_data_role(roles.role_id_of(a)) and roles.made_by_us(a)), None)
        if match:
            plan.assignments.append(AssignmentPlan(grant, PRESENT, match['name']))
        elif other:
            held_role = deeplake.role_name(roles.role_id_of(other))
            plan.assignments.append(AssignmentPlan(grant, DIFFERENT, other['name'], f'holds {held_role}'))
            plan.blockers.append(messages.role_differs(plan.account, grant, held_role))
        else:
            plan.assignments.append(AssignmentPlan(grant))


def _plan_cors(plan, blob_service):
    if not plan.request.cors:
        return
    if not plan.account.supports_cors:
        plan.cors_status = UNSUPPORTED
        plan.warnings.append(messages.cors_unsupported(plan.account))
        return
    plan.blob_service = blob_service
    plan.cors_status, plan.cors_rules = cors.merge(storage.cors_rules(blob_service))
    if plan.cors_status == cors.LIMIT:
        plan.warnings.append(messages.cors_limit(plan.account, cors.MAX_RULES))


def _caller_permissions(session, account):
    from azure.core.exceptions import HttpResponseError
    try:
        return roles.caller_permissions(session, account)
    except HttpResponseError as ex:  # unknown rights: let the writes themselves speak
        logger.info('Could not read your permissions on %s: %s', account.id, ex)
        return None


def _check_rights(plan, permissions):
    """The preflight check: a missing right stops federate before its first write."""
    if permissions is None:
        return
    check_assignment_rights(plan, permissions, messages.ASSIGN_ROLES, [a.grant for a in plan.assignments
                                                                        if a.status == MISSING])
    if plan.cors_status == MISSING and not roles.allows(permissions, messages.WRITE_BLOB_SERVICE):
        plan.blockers.append(messages.cannot_change_cors(plan.account))


def check_assignment_rights(plan, permissions, action, grants):
    """Role assignment rights, ABAC conditions included: a role no grant allows is a blocker; one that only a
    condition we cannot evaluate might allow is a warning (Azure decides when we write)."""
    if not grants:
        return
    verdicts = roles.assignment_verdicts(permissions, action, {g.role_id for g in grants})
    refused = [g for g in grants if verdicts[g.role_id] is False]
    unknown = [g for g in grants if verdicts[g.role_id] is None]
    conditional = roles.roles_conditions_allow(permissions, action)
    if refused and not any(p.condition and p.grants(action) for p in permissions):
        plan.blockers.append(messages.cannot_assign_roles(plan.account.id, action=action))
    elif refused:
        plan.blockers.append(messages.condition_refuses(plan.account.id, _role_names(refused), conditional, action))
    if unknown:
        plan.warnings.append(messages.condition_unknown(plan.account.id, _role_names(unknown), action))


def _role_names(grants):
    return sorted({g.role for g in grants})
