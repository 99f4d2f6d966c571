# --------------------------------------------------------------------------------------------
# Planning: read what exists and decide what must change. Reads only; federate, --dry-run, show
# and unfederate all start here (unfederate's decisions are in removal.py).
#
# Rounds of requests (independent reads run together):
#   1. the identity's objects (by name, by key, its principal), the account, the subscriptions
#   2. what depends on them: containers, CORS, the caller's rights, and who can act as the
#      principal and what it holds (owners, secrets, Graph grants, its role assignments in every
#      subscription)
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass
from typing import Any, Optional

from knack.log import get_logger

from . import cors, deeplake, identity, messages, only_deeplake, parallel, readiness, roles, storage
from .graph import Graph
from .plan_types import AssignmentPlan, Plan, RemovalPlan
from .status import DIFFERENT, LIMIT, MISSING, PRESENT, UNSUPPORTED

logger = get_logger(__name__)


@dataclass
class Reads:  # pylint: disable=too-many-instance-attributes
    """The reads a plan waits for: futures, and the principal's role assignments, read everywhere."""
    containers: dict
    blob_service: Optional[Any]
    permissions: Any
    caller_assignments: Any
    everyone: Optional[Any]
    facts: only_deeplake.Facts

    @property
    def held(self):
        return self.facts.assignments


def build_plan(session, request, unique_name=None):
    """Read the current state and compare it with the desired one. unique_name: the application key to read
    (default: the first of deeplake.unique_names)."""
    with parallel.executor() as pool:
        plan = Plan(request=request, tenant_id=session.tenant_id, identity=identity.of(request))
        reads = _read(session, request, pool, plan, unique_name=unique_name)
        _check_readiness(plan)
        missing = [c for c, found in reads.containers.items() if not found.result()]
        if missing:
            raise messages.container_not_found(missing, plan.account)
        _plan_assignments(plan, reads.held)
        plan.identity.check(plan)
        only_deeplake.check(plan, reads.facts, _needed(plan))
        _plan_cors(plan, reads.blob_service.result() if reads.blob_service else None)
        check_rights(plan, _caller_rights(session, plan.account, reads, pool))
    return plan


def build_removal_plan(session, request):
    """The same reads, for unfederate: what exists, and (removal.py) what of it az deeplake made and may remove.
    Who can act as the principal is reported, never a reason to keep access."""
    from . import removal
    with parallel.executor() as pool:
        plan = RemovalPlan(request=request, tenant_id=session.tenant_id, identity=identity.of(request))
        reads = _read(session, request, pool, plan, removing=True)
        removal.decide(plan, reads.held, reads.everyone.result(),
                       reads.blob_service.result() if reads.blob_service else None)
        if request.delete_app:
            plan.warnings += [messages.subscription_unreadable(s) for s in reads.facts.unreadable]
        only_deeplake.check(plan, reads.facts, [], removing=True)
        check_rights(plan, _caller_rights(session, plan.account, reads, pool), removing=True)
    return plan


def _read(session, request, pool, plan, removing=False, unique_name=None):  # pylint: disable=too-many-positional-arguments
    """The reads both plans share (round 1, then round 2; see the top of this file)."""
    graph = Graph(session)
    session.warm_up(pool)
    found = plan.identity.read(graph, pool, request, unique_name)
    subscriptions = pool.submit(_listed_subscriptions, session, plan)
    caller = pool.submit(session.caller_object_id)
    plan.account = account = storage.resolve_account(session, request.account, request.resource_group)
    containers = {} if removing or not account.has_blob_service else {
        c: pool.submit(storage.container_exists, session, account, c) for c in request.containers}
    blob_service = pool.submit(storage.blob_service_properties, session, account) \
        if request.cors and account.supports_cors else None
    permissions = pool.submit(_caller_permissions, session, account)
    caller_assignments = pool.submit(_caller_assignments, session, account, caller)
    everyone = pool.submit(roles.assignments_of, session, account.id) if removing else None
    plan.identity.plan(plan, graph, found)
    facts = only_deeplake.read(session, graph, pool, plan, subscriptions.result(), caller.result())
    return Reads(containers, blob_service, permissions, caller_assignments, everyone, facts)


def _listed_subscriptions(session, plan):
    """The subscriptions the caller can list; none (so only the account's own is read) when listing is refused."""
    from azure.core.exceptions import HttpResponseError
    try:
        return session.subscriptions()
    except HttpResponseError as ex:
        plan.warnings.append(messages.subscriptions_unlisted(ex.message))
        return []


def _check_readiness(plan):
    """Whether Deep Lake can reach the account: warnings, and blockers that stop federate before any write."""
    plan.checks = readiness.checks(plan.account)
    for check in plan.checks:
        if check['status'] == readiness.WARNING:
            plan.warnings.append(check['message'])
    for check in readiness.blockers(plan.checks):
        plan.blockers.append(messages.not_ready(check['message']))


def _needed(plan):
    return deeplake.grants_for(plan.account.id, plan.request.containers, plan.request.data_role)


def _plan_assignments(plan, held):
    """Each grant is present or missing; a data role of ours that differs from the one asked for at the same
    scope is never silently widened or narrowed."""
    for grant in _needed(plan):
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


def _caller_assignments(session, account, caller):
    """The caller's own role assignments (through groups too) at or above the account, or None if unknown."""
    from azure.core.exceptions import HttpResponseError
    if not caller.result():
        return None
    try:
        found = roles.assignments_of(session, account.id, assigned_to=caller.result())
    except HttpResponseError as ex:
        logger.info('Could not read your role assignments on %s: %s', account.id, ex)
        return None
    return [a for a in found if roles.at_or_above(a['scope'], account.id)]


def _caller_rights(session, account, reads, pool):
    """The permission entries to judge the caller's rights by: the permissions API's, unless the caller's role
    assignments carry ABAC conditions (which that API's stable versions do not show): then each assignment's role
    definition with its condition."""
    return roles.rights_with_conditions(session, account, reads.permissions.result(),
                                        reads.caller_assignments.result(), pool)


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
