# --------------------------------------------------------------------------------------------
# Applying a plan: only the writes it lists, in dependency order, independent ones concurrently.
#
#   federate:    the identity's first writes (application; or Deep Lake's service principal)
#                -> federated credential | service principal -> role assignments
#                                        | CORS rule
#   unfederate:  role assignments | CORS rule -> application (no assignment is left pointing at a
#                deleted identity; CORS need not wait for the deletes: if one fails, the next run
#                finishes the job)
#
# When a write fails, the others already started still finish before the error is raised, so a
# rerun only has what is left to do.
# --------------------------------------------------------------------------------------------

from . import parallel, roles, storage
from .graph import Graph
from .status import CREATED, MISSING, PRESENT, REMOVED


def apply_plan(session, plan):
    """Make the changes the plan lists, updating its statuses to 'created' as they land. Waits for Azure until the
    session's deadline (--timeout)."""
    if plan.blockers:
        raise plan.blockers[0]
    deadline = session.deadline
    graph = Graph(session)
    identity = plan.identity
    identity.prepare(plan, graph, deadline)
    with parallel.executor() as pool:
        principal = [pool.submit(identity.ensure_principal, plan, graph, deadline)]
        others = [pool.submit(step, plan, graph, deadline) for step in identity.concurrent_steps(plan)]
        if plan.cors_status == MISSING:
            others.append(pool.submit(_write_cors, plan, session, CREATED))
        assignments = []
        if parallel.succeeded(principal):
            todo = [a for a in plan.assignments if a.status == MISSING]
            for assignment in todo:  # named in order, before the threads start
                assignment.name = roles.assignment_name(assignment.grant, plan.service_principal['id'])
            assignments = [pool.submit(_assign, plan, session, assignment, deadline) for assignment in todo]
        parallel.raise_first_error(principal + others + assignments)


def _assign(plan, session, assignment, deadline):
    outcome, assignment.name = roles.assign(session, assignment.grant, plan.service_principal['id'],
                                            assignment.name, deadline)
    assignment.status = CREATED if outcome == 'created' else PRESENT


def _write_cors(plan, session, status):
    storage.write_cors_rules(session, plan.account, plan.blob_service, plan.cors_rules)
    plan.cors_status = status


def apply_removals(session, plan):
    """Remove what the removal plan lists, updating its statuses to 'removed' as they go."""
    if plan.blockers:
        raise plan.blockers[0]
    with parallel.executor() as pool:
        removals = [pool.submit(_unassign, session, assignment)
                    for assignment in plan.assignments if assignment.status == PRESENT]
        if plan.cors_status == PRESENT:
            removals.append(pool.submit(_write_cors, plan, session, REMOVED))
        parallel.raise_first_error(removals)
    if PRESENT in (plan.application_status, plan.service_principal_status):
        plan.identity.remove(plan, Graph(session))


def _unassign(session, assignment):
    roles.unassign(session, assignment.grant.scope, assignment.name)
    assignment.status = REMOVED
