# --------------------------------------------------------------------------------------------
# What the commands return (a plain dict) and the "next steps" text for stderr (-o table: _format.py).
# --------------------------------------------------------------------------------------------

FEDERATE, DRY_RUN, SHOW = 'federate', 'dry-run', 'show'
UNFEDERATE, UNFEDERATE_DRY_RUN, CONFIRM = 'unfederate', 'unfederate-dry-run', 'confirm'
RESTORABLE = ('A deleted application can be restored for 30 days from Microsoft Entra ID > App registrations > '
              'Deleted applications.')


def result(plan, mode):
    request, account, sp = plan.request, plan.account, plan.service_principal or {}
    output = {
        'tenantId': plan.tenant_id,
        'subscriptionId': account.subscription_id,
        'resourceGroup': account.resource_group,
        'storageAccount': account.name,
        'storageAccountId': account.id,
        'containers': list(request.containers),
        'application': _with_reason(plan, 'application', dict(plan.identity.describe_application(plan),
                                                              status=plan.application_status)),
        'federatedCredential': _with_reason(plan, 'federatedCredential', plan.identity.describe_credential(plan)),
        'servicePrincipal': _with_reason(plan, 'servicePrincipal', {
            'objectId': sp.get('id'), 'status': plan.service_principal_status}),
        'roleAssignments': [_assignment(a) for a in plan.assignments],
        'cors': _with_reason(plan, 'cors', {'status': plan.cors_status,
                                            'allowedOrigins': list(request.cors_origins)}),
        'deepLake': plan.identity.settings(plan),
        'complete': plan.complete,
        'dryRun': mode in (DRY_RUN, UNFEDERATE_DRY_RUN),
        'changes': plan.changes,
        'warnings': list(plan.warnings),
    }
    if mode in (FEDERATE, DRY_RUN, SHOW):
        output.update(checks=list(plan.checks), ready=plan.ready)
    if mode != FEDERATE:
        output['blockers'] = [str(b) for b in plan.blockers]
    return output


def _assignment(assignment):
    described = {
        'role': assignment.grant.role,
        'roleDefinitionId': assignment.grant.role_id,
        'scope': assignment.grant.scope,
        'name': assignment.name,
        'status': assignment.status,
    }
    if assignment.reason:
        described['reason'] = assignment.reason
    return described


def _with_reason(plan, piece, described):
    if piece in plan.reasons:
        described['reason'] = plan.reasons[piece]
    return described


def next_steps(output, mode, identity):
    """A short text for stderr: what to do in Deep Lake, or what federate would change."""
    if mode in (UNFEDERATE, UNFEDERATE_DRY_RUN):
        return removal_summary(output, mode)
    deep_lake = output['deepLake']
    if mode == DRY_RUN or (mode == SHOW and not output['complete']):
        lead = 'Dry run, nothing was changed.' if mode == DRY_RUN else 'Deep Lake access is not complete.'
        todo = output['changes'] or ['nothing']
        lines = [lead, 'az deeplake federate would: ' + '; '.join(todo) + '.']
        lines += ['It would stop first: ' + b for b in output.get('blockers', [])]
        return '\n'.join(lines)
    where = output['storageAccount'] + ''.join(f" (container '{c}')" for c in output['containers'])
    return '\n'.join([f'Deep Lake can use storage account {where}.'] + identity.next_steps(deep_lake))


def removal_summary(output, mode):
    """What unfederate removes (or would), what it keeps and why: the listing shown before it asks, too."""
    kept = [f"{label}: {piece['reason']}" for label, piece in _pieces(output)
            if piece['status'] == 'kept' and piece.get('reason')]
    if mode == UNFEDERATE_DRY_RUN:
        lines = ['Dry run, nothing was changed.', 'az deeplake unfederate would: ' +
                 ('; '.join(output['changes']) or 'remove nothing') + '.']
        lines += ['It would stop first: ' + b for b in output.get('blockers', [])]
    elif mode == CONFIRM:
        lines = ['az deeplake unfederate will: ' + '; '.join(output['changes']) + '.']
    else:
        lines = ['Removed: ' + ('; '.join(output['changes']) or 'nothing (nothing of az deeplake was left)') + '.']
    lines += ['Kept ' + k for k in kept]
    if any(change.startswith('delete application') for change in output['changes']):
        lines.append(RESTORABLE)
    return '\n'.join(lines)


def _pieces(output):
    yield 'application', output['application']
    yield 'service principal', output['servicePrincipal']
    for assignment in output['roleAssignments']:
        yield f"{assignment['role']} at {assignment['scope']}", assignment
    yield 'CORS rule', output['cors']
