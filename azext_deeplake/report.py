# --------------------------------------------------------------------------------------------
# What the commands return (a plain dict) and the "next steps" text for stderr (-o table: _format.py).
# --------------------------------------------------------------------------------------------

from . import deeplake
from .plan import DIFFERENT

FEDERATE, DRY_RUN, SHOW = 'federate', 'dry-run', 'show'
UNFEDERATE, UNFEDERATE_DRY_RUN, CONFIRM = 'unfederate', 'unfederate-dry-run', 'confirm'
RESTORABLE = ('A deleted application can be restored for 30 days from Microsoft Entra ID > App registrations > '
              'Deleted applications.')


def result(plan, mode):
    request, account, app, sp = plan.request, plan.account, plan.application or {}, plan.service_principal or {}
    output = {
        'tenantId': plan.tenant_id,
        'subscriptionId': account.subscription_id,
        'resourceGroup': account.resource_group,
        'storageAccount': account.name,
        'storageAccountId': account.id,
        'containers': list(request.containers),
        'application': _with_reason(plan, 'application', {
            'displayName': request.app_name,
            'clientId': app.get('appId'),
            'objectId': app.get('id'),
            'createdByAzDeeplake': deeplake.APP_TAG in (app.get('tags') or []) if app else None,
            'status': plan.application_status,
        }),
        'federatedCredential': _with_reason(plan, 'federatedCredential', _credential(plan)),
        'servicePrincipal': _with_reason(plan, 'servicePrincipal', {
            'objectId': sp.get('id'), 'status': plan.service_principal_status}),
        'roleAssignments': [_assignment(a) for a in plan.assignments],
        'cors': _with_reason(plan, 'cors', {'status': plan.cors_status, 'allowedOrigin': deeplake.APP_ORIGIN}),
        'deepLake': deep_lake_settings(plan),
        'complete': plan.complete,
        'dryRun': mode in (DRY_RUN, UNFEDERATE_DRY_RUN),
        'changes': plan.changes,
        'warnings': list(plan.warnings),
    }
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


def _credential(plan):
    credential = plan.credential or {}
    trust = plan.request.trust
    described = {
        'name': credential.get('name', plan.request.credential_name),
        'issuer': credential.get('issuer', trust.issuer),
        'subject': credential.get('subject', trust.subject),
        'audiences': credential.get('audiences', [trust.audience]),
        'status': plan.credential_status,
    }
    if plan.credential_status == DIFFERENT:
        described['differences'] = list(plan.credential_differences)
    return described


def deep_lake_settings(plan):
    """What to enter in the Deep Lake app to use this federation."""
    containers = plan.request.containers
    suffix = '-' + containers[0] if len(containers) == 1 else ''
    return {
        'tenantId': plan.tenant_id,
        'clientId': (plan.application or {}).get('appId'),
        'credentialName': f'azure-{plan.account.name}{suffix}',
        'paths': deeplake.dataset_paths(plan.account.name, containers),
    }


def next_steps(output, mode):
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
    return '\n'.join([
        f'Deep Lake can use storage account {where}.',
        f'Next, in the Deep Lake app ({deeplake.APP_ORIGIN}), add Azure credentials with:',
        '  Directory (tenant) ID:   ' + deep_lake['tenantId'],
        '  Application (client) ID: ' + str(deep_lake['clientId']),
        '  Credential name:         ' + deep_lake['credentialName'],
        'Then, in Python:',
        *[f'  deeplake.open("{path}/<dataset>", creds={{"creds_key": "{deep_lake["credentialName"]}"}})'
          for path in deep_lake['paths']],
        'New role assignments can take a few minutes to take effect.',
    ])


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
