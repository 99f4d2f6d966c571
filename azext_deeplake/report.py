# --------------------------------------------------------------------------------------------
# What the commands return (a plain dict) and the "next steps" text for stderr (-o table: _format.py).
# --------------------------------------------------------------------------------------------

from ._format import short_scope

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
        'changes': [change.sentence() for change in plan.changes],
        'warnings': list(plan.warnings),
        'checks': list(plan.checks),
    }
    if mode in (FEDERATE, DRY_RUN, SHOW):
        output['ready'] = plan.ready
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


def next_steps(plan, output, mode):
    """A short text for stderr: what to do in Deep Lake, or what federate would change, one change a line."""
    if mode in (UNFEDERATE, UNFEDERATE_DRY_RUN):
        return removal_summary(plan, output, mode)
    notes = plan.identity.notes(plan)
    if mode == DRY_RUN or (mode == SHOW and not output['complete']):
        lead = 'Dry run, nothing was changed.' if mode == DRY_RUN else 'Deep Lake access is not complete.'
        todo = [_line(change.sentence(_short(plan, change))) for change in plan.changes] or [_line('nothing')]
        return '\n'.join(notes + [lead + ' az deeplake federate would:'] + todo + _stops(output))
    where = output['storageAccount'] + ''.join(f" (container '{c}')" for c in output['containers'])
    lines = notes + [f'Deep Lake can use storage account {where}.'] + plan.identity.next_steps(output['deepLake'])
    return '\n'.join(lines)


def removal_summary(plan, output, mode):
    """What unfederate removes (or would), what it keeps and why, one a line: also the listing shown before it
    asks."""
    removals = [_line(change.noun(_short(plan, change))) for change in plan.changes]
    if mode == UNFEDERATE_DRY_RUN:
        lines = ['Dry run, nothing was changed. az deeplake unfederate would remove:'] + \
            (removals or [_line('nothing')]) + _stops(output)
    elif mode == CONFIRM:
        lines = ['az deeplake unfederate will remove:'] + removals
    else:
        lines = ['Removed:'] + removals if removals else ['Removed nothing: nothing of az deeplake was left.']
    kept = [_line(f'{label}: {reason}') for label, reason in _kept(plan, output)]
    lines += ['Kept:'] + kept if kept else []
    if any(change.verb == 'delete' and change.what.startswith('application') for change in plan.changes):
        lines.append(RESTORABLE)
    return '\n'.join(lines)


def _kept(plan, output):
    """(what, why) of every piece unfederate keeps."""
    pieces = [(f"application '{output['application']['displayName']}'", output['application']),
              ('service principal', output['servicePrincipal'])]
    pieces += [(f"{a['role']} at {short_scope(a['scope'], plan.account.id)}", a) for a in output['roleAssignments']]
    pieces.append(('CORS rule', output['cors']))
    return [(label, piece['reason']) for label, piece in pieces if piece['status'] == 'kept' and piece.get('reason')]


def _stops(output):
    blockers = output.get('blockers', [])
    return ['It would stop first:'] + [_line(b) for b in blockers] if blockers else []


def _short(plan, change):
    return short_scope(change.scope, plan.account.id) if change.scope else None


def _line(text):
    return '  ' + text
