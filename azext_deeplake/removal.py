# --------------------------------------------------------------------------------------------
# Deciding what unfederate removes: only what az deeplake made, only what is no longer needed.
#
# Made by us: an assignment of our principal that carries our derived name or our description; the
# CORS rule whose fields are exactly those federate writes (cors.is_ours); an application or Deep
# Lake's principal with our tag (identity.py). Statuses: 'present' (to be removed; 'removed' once
# gone), 'absent', and 'kept' with the reason.
# --------------------------------------------------------------------------------------------

from . import cors, deeplake, roles, storage
from .identity import NOT_OURS
from .plan_types import AssignmentPlan
from .status import ABSENT, KEPT, PRESENT, SKIPPED, UNSUPPORTED


def decide(plan, held, everyone, blob_service):
    """held: our principal's assignments in every subscription the caller can read; everyone: every principal's
    assignments at, above and below the account."""
    mine = roles.within(held, plan.account.id)
    plan.assignments = _assignment_removals(plan, mine)
    removed = {a.name.lower() for a in plan.assignments if a.status == PRESENT}
    remaining = [a for a in roles.within(everyone, plan.account.id) + mine
                 if roles.made_by_us(a) and a['name'].lower() not in removed]
    _decide_cors(plan, blob_service, remaining)
    plan.identity.decide_removal(plan, [a for a in held if roles.made_by_us(a) and a['name'].lower() not in removed])


def _assignment_removals(plan, mine):
    containers = plan.request.containers
    scopes = {deeplake.container_scope(plan.account.id, c).lower() for c in containers}
    targets = [a for a in mine if a['scope'].rstrip('/').lower() in scopes] if containers else mine
    rows = [_row(a, PRESENT) if roles.made_by_us(a) else _row(a, KEPT, NOT_OURS) for a in targets]
    if containers:
        rows += _delegator_removals(plan, mine, {a['name'].lower() for a in targets if roles.made_by_us(a)})
    if not rows or containers:  # what the user asked about and was not found
        expected = deeplake.grants_for(plan.account.id, containers, plan.request.data_role)
        rows += [AssignmentPlan(grant, ABSENT) for grant in expected
                 if not any(_same_kind(row.grant, grant) for row in rows)]
    return sorted(rows, key=lambda row: (-row.grant.scope.count('/'), row.grant.scope.lower(), row.grant.role))


def _delegator_removals(plan, mine, leaving):
    """Storage Blob Delegator on the account goes only when no container access of this principal remains."""
    still_used = sorted({a['scope'].rsplit('/', 1)[-1] for a in mine
                         if '/containers/' in a['scope'].lower() and deeplake.is_data_role(roles.role_id_of(a))
                         and a['name'].lower() not in leaving})
    rows = []
    for delegator in roles.at_scope(mine, plan.account.id):
        if roles.role_id_of(delegator) != deeplake.BLOB_DELEGATOR[1]:
            continue
        if not roles.made_by_us(delegator):
            rows.append(_row(delegator, KEPT, NOT_OURS))
        elif still_used:
            rows.append(_row(delegator, KEPT, f"still needed for container(s) {', '.join(still_used)}"))
        else:
            rows.append(_row(delegator, PRESENT))
    return rows


def _decide_cors(plan, blob_service, remaining_ours):
    """Our rule goes, byte for byte the others stay, when no assignment made by az deeplake remains on the account."""
    if not plan.request.cors:
        plan.cors_status = SKIPPED
        return
    if not plan.account.supports_cors:
        plan.cors_status = UNSUPPORTED
        return
    plan.blob_service = blob_service
    rules = storage.cors_rules(blob_service)
    others = cors.without_ours(rules, plan.request.cors_origins)
    if len(others) == len(rules):
        plan.cors_status = ABSENT
    elif remaining_ours:
        plan.cors_status = KEPT
        plan.reasons['cors'] = 'still needed: az deeplake role assignments remain on the account (' + \
            ', '.join(sorted({_short(a['scope'], plan.account.id) for a in remaining_ours})) + ')'
    else:
        plan.cors_status, plan.cors_rules = PRESENT, others


def _row(assignment, status, reason=None):
    role_id = roles.role_id_of(assignment)
    grant = deeplake.Grant(deeplake.role_name(role_id), role_id, assignment['scope'])
    return AssignmentPlan(grant, status, assignment['name'], reason)


def _same_kind(found, expected):
    """Both a data role, or both not, at the same scope: what the user asked about was found."""
    return roles.same_scope(found.scope, expected.scope) and \
        deeplake.is_data_role(found.role_id) == deeplake.is_data_role(expected.role_id)


def _short(scope, account_id):
    return scope[len(account_id):].replace('/blobServices/default/containers/', 'container ') or 'account'
