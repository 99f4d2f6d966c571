# --------------------------------------------------------------------------------------------
# Applying a plan: only the writes it lists, in dependency order, independent ones concurrently.
#
#   application -> federated credential | service principal -> role assignments
#                                        | CORS rule
# --------------------------------------------------------------------------------------------

from concurrent.futures import ThreadPoolExecutor, wait

from knack.log import get_logger

from . import roles, storage
from .errors import graph_failure
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
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = [pool.submit(_create_service_principal, plan, graph, deadline)]
        if plan.credential_status == MISSING:
            first.append(pool.submit(_create_credential, plan, graph, deadline))
        if plan.cors_status == MISSING:
            first.append(pool.submit(_write_cors, plan, session))
        assignments = []
        if _succeeded(first[:1]):
            todo = [a for a in plan.assignments if a.status == MISSING]
            for assignment in todo:  # named in order, before the threads start
                assignment.name = roles.assignment_name(assignment.grant, plan.service_principal['id'])
            assignments = [pool.submit(_assign, plan, session, assignment, deadline) for assignment in todo]
        _raise_first_error(first + assignments)


def _create_application(plan, graph):
    logger.warning("Creating application '%s'...", plan.request.app_name)
    try:
        plan.application = graph.create_application(plan.request.app_name)
    except GraphError as ex:
        raise graph_failure(ex, 'register an application', plan.tenant_id) from None
    plan.application.setdefault('federatedIdentityCredentials', [])
    plan.application_status = CREATED


def _create_credential(plan, graph, deadline):
    try:
        plan.credential = graph.create_credential(plan.application['id'], plan.request.credential_name,
                                                  plan.request.trust, deadline)
    except GraphError as ex:
        raise graph_failure(ex, 'add the federated credential', plan.tenant_id, nothing_changed=False) from None
    plan.credential_status = CREATED


def _create_service_principal(plan, graph, deadline):
    if plan.service_principal_status != MISSING:
        return
    try:
        plan.service_principal = graph.create_service_principal(plan.application['appId'], deadline)
    except GraphError as ex:
        raise graph_failure(ex, 'create the service principal', plan.tenant_id, nothing_changed=False) from None
    plan.service_principal_status = CREATED


def _assign(plan, session, assignment, deadline):
    outcome, assignment.name = roles.assign(session, assignment.grant, plan.service_principal['id'],
                                            assignment.name, deadline)
    assignment.status = CREATED if outcome == 'created' else PRESENT


def _write_cors(plan, session):
    storage.write_cors_rules(session, plan.account, plan.cors_rules)
    plan.cors_status = CREATED


def _succeeded(futures):
    wait(futures)
    return all(f.exception() is None for f in futures)


def _raise_first_error(futures):
    """Let every started write finish, then report the first failure: a rerun picks up from there."""
    wait(futures)
    for future in futures:
        if future.exception() is not None:
            raise future.exception()
