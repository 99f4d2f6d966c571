# --------------------------------------------------------------------------------------------
# Applying a plan: only the writes it lists, in dependency order, independent ones concurrently.
#
#   application -> federated credential | service principal -> role assignments
#                                        | CORS rule
#
# When a write fails, the others already started still finish before the error is raised, so a
# rerun only has what is left to do.
# --------------------------------------------------------------------------------------------

from knack.log import get_logger

from . import messages, parallel, roles, storage
from .graph import Graph, GraphError
from .plan import CREATED, MISSING, PRESENT

logger = get_logger(__name__)


def apply_plan(session, plan, deadline):
    """Make the changes the plan lists, updating its statuses to 'created' as they land."""
    if plan.blockers:
        raise plan.blockers[0]
    graph = Graph(session)
    if plan.application_status == MISSING:
        _create_application(plan, graph)
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


def _create_application(plan, graph):
    logger.warning("Creating application '%s'...", plan.request.app_name)
    plan.application = _graph_step(plan, 'register an application',
                                   lambda: graph.create_application(plan.request.app_name), nothing_changed=True)
    plan.application.setdefault('federatedIdentityCredentials', [])
    plan.application_status = CREATED


def _create_credential(plan, graph, deadline):
    plan.credential = _graph_step(plan, 'add the federated credential', lambda: graph.create_credential(
        plan.application['id'], plan.request.credential_name, plan.request.trust, deadline))
    plan.credential_status = CREATED


def _create_service_principal(plan, graph, deadline):
    if plan.service_principal_status != MISSING:
        return
    plan.service_principal = _graph_step(plan, 'create the service principal',
                                         lambda: graph.create_service_principal(plan.application['appId'], deadline))
    plan.service_principal_status = CREATED


def _graph_step(plan, doing, call, nothing_changed=False):
    try:
        return call()
    except GraphError as ex:
        raise messages.graph_failure(ex, doing, plan.tenant_id, nothing_changed) from None


def _assign(plan, session, assignment, deadline):
    outcome, assignment.name = roles.assign(session, assignment.grant, plan.service_principal['id'],
                                            assignment.name, deadline)
    assignment.status = CREATED if outcome == 'created' else PRESENT


def _write_cors(plan, session):
    storage.write_cors_rules(session, plan.account, plan.cors_rules)
    plan.cors_status = CREATED
