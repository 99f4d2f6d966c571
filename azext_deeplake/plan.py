# --------------------------------------------------------------------------------------------
# Planning: read what exists and decide what must change. Reads only; federate, --dry-run, show
# and unfederate all start here (unfederate's decisions are in removal.py).
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass, field
from typing import Any, List, Optional

from knack.log import get_logger

from . import cors, deeplake, identity, messages, parallel, readiness, roles, storage
from .graph import Graph
from .status import CREATED, DIFFERENT, LIMIT, MISSING, PRESENT, SATISFIED, SKIPPED, UNSUPPORTED

logger = get_logger(__name__)


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
    identity: Any = None  # identity.OwnApplication or identity.DeepLakeApplication
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
    checks: List[dict] = field(default_factory=list)  # readiness.checks: can Deep Lake reach the account?
    blockers: list = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def complete(self):
        statuses = [self.application_status, self.credential_status, self.service_principal_status]
        statuses += [a.status for a in self.assignments]
        return all(s in SATISFIED for s in statuses) and self.cors_status in (PRESENT, CREATED, SKIPPED)

    @property
    def ready(self):
        """Complete, and nothing about the account keeps Deep Lake out."""
        return self.complete and not readiness.blockers(self.checks)

    @property
    def changes(self):
        """The writes federate makes (or made), in order, as short sentences."""
        todo = self.identity.changes(self)
        for assignment in self.assignments:
            if assignment.status in (MISSING, CREATED):
                todo.append(f"assign '{assignment.grant.role}' at {assignment.grant.scope}")
        if self.cors_status in (MISSING, CREATED):
            todo.append(f"add a CORS rule for {', '.join(self.request.cors_origins)}")
        return todo


def build_plan(session, request):
    """Read the current state (independent reads run concurrently) and compare it with the desired one."""
    with parallel.executor() as pool:
        plan, reads = _read(session, request, pool, Plan(request=request, tenant_id=session.tenant_id,
                                                         identity=identity.of(request)))
        _check_readiness(plan)
        missing = [c for c, found in reads['containers'].items() if not found.result()]
        if missing:
            raise messages.container_not_found(missing, plan.account)
        _plan_assignments(plan, reads['held'])
        plan.identity.check(plan)
        _plan_cors(plan, reads['blob_service'].result() if reads['blob_service'] else None)
        check_rights(plan, reads['permissions'].result())
    return plan


def _check_readiness(plan):
    """Whether Deep Lake can reach the account: warnings, and blockers that stop federate before any write."""
    plan.checks = readiness.checks(plan.account)
    for check in plan.checks:
        if check['status'] == readiness.WARNING:
            plan.warnings.append(check['message'])
    for check in readiness.blockers(plan.checks):
        plan.blockers.append(messages.not_ready(check['message']))


def build_removal_plan(session, request):
    """The same reads, for unfederate: what exists, and (removal.py) what of it az deeplake made and may remove."""
    from . import removal
    with parallel.executor() as pool:
        plan, reads = _read(session, request, pool, removal.RemovalPlan(
            request=request, tenant_id=session.tenant_id, identity=identity.of(request)), removing=True)
        removal.decide(plan, reads['held'], reads['everyone'].result(),
                       reads['blob_service'].result() if reads['blob_service'] else None)
        check_rights(plan, reads['permissions'].result(), removing=True)
    return plan


def _read(session, request, pool, plan, removing=False):
    """The reads both plans share: the account, the application and its principal, the principal's assignments
    (in the whole subscription when unfederate may delete the app), CORS, containers and the caller's rights.
    Removal also reads every principal's assignments on the account (is anything of ours left for CORS?)."""
    graph = Graph(session)
    session.warm_up(pool)
    found = plan.identity.read(graph, pool, request, session.tenant_id)
    plan.account = account = storage.resolve_account(session, request.account, request.resource_group)
    reads = {
        'containers': {} if removing or not account.has_blob_service else {
            c: pool.submit(storage.container_exists, session, account, c) for c in request.containers},
        'blob_service': pool.submit(storage.blob_service_properties, session, account)
        if request.cors and account.supports_cors else None,
        'permissions': pool.submit(_caller_permissions, session, account),
        'everyone': pool.submit(roles.assignments_of, session, account.id) if removing else None,
    }
    plan.identity.plan(plan, graph, found)
    reads['held'] = []
    if plan.service_principal:
        scope = f'/subscriptions/{account.subscription_id}' if request.delete_app else account.id
        reads['held'] = roles.assignments_of(session, scope, plan.service_principal['id'])
    return plan, reads


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
        plan.cors_status = UNSUPPORTED  # a readiness check says why
        return
    plan.blob_service = blob_service
    plan.cors_status, plan.cors_rules = cors.merge(storage.cors_rules(blob_service), plan.request.cors_origins)
    if plan.cors_status == LIMIT:
        plan.warnings.append(messages.cors_limit(plan.account, cors.MAX_RULES, plan.request.cors_origins))


def _caller_permissions(session, account):
    from azure.core.exceptions import HttpResponseError
    try:
        return roles.caller_permissions(session, account)
    except HttpResponseError as ex:  # unknown rights: let the writes themselves speak
        logger.info('Could not read your permissions on %s: %s', account.id, ex)
        return None


def check_rights(plan, permissions, removing=False):
    """The preflight: a missing right stops federate before its first write, unfederate before its first delete."""
    if permissions is None:
        return
    pending = PRESENT if removing else MISSING
    action = messages.DELETE_ROLES if removing else messages.ASSIGN_ROLES
    _check_assignment_rights(plan, permissions, action, [a.grant for a in plan.assignments if a.status == pending])
    if plan.cors_status == pending and not roles.allows(permissions, messages.WRITE_BLOB_SERVICE):
        plan.blockers.append(messages.cannot_change_cors(plan.account, removing))


def _check_assignment_rights(plan, permissions, action, grants):
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
