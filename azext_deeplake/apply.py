# --------------------------------------------------------------------------------------------
# Applying a plan: only the writes it lists, in dependency order, independent ones concurrently.
#
#   federate:    application -> federated credential | service principal -> role assignments
#                                                     | CORS rule
#   unfederate:  role assignments -> CORS rule -> application (no assignment is left pointing at a
#                deleted identity, and CORS goes only once the access it serves is gone)
#
# When a write fails, the others already started still finish before the error is raised, so a
# rerun only has what is left to do.
# --------------------------------------------------------------------------------------------

from knack.log import get_logger

from . import deeplake, messages, parallel, roles, storage
from .graph import Graph, GraphError
from .plan import CREATED, MISSING, PRESENT

logger = get_logger(__name__)


def apply_plan(session, plan, deadline):
    """Make the changes the plan lists, updating its statuses to 'created' as they land."""
    if plan.blockers:
        raise plan.blockers[0]
    graph = Graph(session)
    if plan.application_status == MISSING:
        _ensure_application(plan, graph, deadline)
    elif plan.credential_status == MISSING:
        # Only owners and administrators may change an existing application: learn that before any other write.
        _create_credential(plan, graph, deadline)
    with parallel.executor() as pool:
        first = [pool.submit(_create_service_principal, plan, graph, deadline)]
        if plan.credential_status == MISSING:
            first.append(pool.submit(_create_credential, plan, graph, deadline))
        if plan.cors_status == MISSING:
            first.append(pool.submit(_write_cors, plan, session))
        assignments = []
        if parallel.succeeded(first[:1]):
            todo = [a for a in plan.assignments if a.status == MISSING]
            for assignment in todo:  # named in order, before the threads start
                assignment.name = roles.assignment_name(assignment.grant, plan.service_principal['id'])
            assignments = [pool.submit(_assign, plan, session, assignment, deadline) for assignment in todo]
        parallel.raise_first_error(first + assignments)


def _ensure_application(plan, graph, deadline):
    logger.warning("Creating application '%s'...", plan.request.app_name)
    try:
        plan.application, created = graph.ensure_application(plan.request.app_name, deadline)
    except GraphError as ex:
        raise messages.graph_failure(ex, 'register an application', plan.tenant_id) from None
    plan.application.setdefault('federatedIdentityCredentials', [])
    plan.application_status = CREATED if created else PRESENT


def _create_credential(plan, graph, deadline):
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


def _create_service_principal(plan, graph, deadline):
    if plan.service_principal_status != MISSING:
        return
    try:
        plan.service_principal = graph.create_service_principal(plan.application['appId'], deadline)
    except GraphError as ex:
        raise messages.graph_failure(ex, 'create the service principal', plan.tenant_id,
                                     nothing_changed=False) from None
    plan.service_principal_status = CREATED


def _assign(plan, session, assignment, deadline):
    outcome, assignment.name = roles.assign(session, assignment.grant, plan.service_principal['id'],
                                            assignment.name, deadline)
    assignment.status = CREATED if outcome == 'created' else PRESENT


def _write_cors(plan, session):
    storage.write_cors_rules(session, plan.account, plan.blob_service, plan.cors_rules)
    plan.cors_status = CREATED


def apply_removals(session, plan):
    """Remove what the removal plan lists, updating its statuses to 'removed' as they go."""
    from .removal import REMOVED
    if plan.blockers:
        raise plan.blockers[0]
    with parallel.executor() as pool:
        parallel.raise_first_error([pool.submit(_unassign, session, assignment, REMOVED)
                                    for assignment in plan.assignments if assignment.status == PRESENT])
    if plan.cors_status == PRESENT:
        storage.write_cors_rules(session, plan.account, plan.blob_service, plan.cors_rules)
        plan.cors_status = REMOVED
    if plan.application_status == PRESENT:
        try:
            Graph(session).delete_application(plan.application['id'])
        except GraphError as ex:
            raise messages.graph_failure(ex, 'delete the application', plan.tenant_id, nothing_changed=False) \
                from None
        for piece in ('application_status', 'credential_status', 'service_principal_status'):
            if getattr(plan, piece) == PRESENT:
                setattr(plan, piece, REMOVED)


def _unassign(session, assignment, removed):
    roles.unassign(session, assignment.grant.scope, assignment.name)
    assignment.status = removed
