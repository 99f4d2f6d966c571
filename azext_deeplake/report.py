# --------------------------------------------------------------------------------------------
# What the commands return (a plain dict) and the "next steps" text for stderr (-o table: _format.py).
# --------------------------------------------------------------------------------------------

from . import deeplake
from .plan import DIFFERENT

FEDERATE, DRY_RUN, SHOW = 'federate', 'dry-run', 'show'


def result(plan, mode):
    request, account, app, sp = plan.request, plan.account, plan.application or {}, plan.service_principal or {}
    output = {
        'tenantId': plan.tenant_id,
        'subscriptionId': account.subscription_id,
        'resourceGroup': account.resource_group,
        'storageAccount': account.name,
        'storageAccountId': account.id,
        'containers': [request.container] if request.container else [],
        'application': {
            'displayName': request.app_name,
            'clientId': app.get('appId'),
            'objectId': app.get('id'),
            'createdByAzDeeplake': deeplake.APP_TAG in (app.get('tags') or []) if app else None,
            'status': plan.application_status,
        },
        'federatedCredential': _credential(plan),
        'servicePrincipal': {'objectId': sp.get('id'), 'status': plan.service_principal_status},
        'roleAssignments': [{
            'role': a.grant.role,
            'roleDefinitionId': a.grant.role_id,
            'scope': a.grant.scope,
            'name': a.name,
            'status': a.status,
        } for a in plan.assignments],
        'cors': {'status': plan.cors_status, 'allowedOrigin': deeplake.APP_ORIGIN},
        'deepLake': deep_lake_settings(plan),
        'complete': plan.complete,
        'dryRun': mode == DRY_RUN,
        'changes': plan.changes,
        'warnings': list(plan.warnings),
    }
    if mode != FEDERATE:
        output['blockers'] = [str(b) for b in plan.blockers]
    return output


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
    suffix = '-' + plan.request.container if plan.request.container else ''
    return {
        'tenantId': plan.tenant_id,
        'clientId': (plan.application or {}).get('appId'),
        'credentialName': f'azure-{plan.account.name}{suffix}',
        'path': deeplake.dataset_path(plan.account.name, plan.request.container),
    }


def next_steps(output, mode):
    """A short text for stderr: what to do in Deep Lake, or what federate would change."""
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
        f'  deeplake.open("{deep_lake["path"]}/<dataset>", creds={{"creds_key": "{deep_lake["credentialName"]}"}})',
        'New role assignments can take a few minutes to take effect.',
    ])
