# --------------------------------------------------------------------------------------------
# -o table for federate, show and unfederate. Loaded with the command table, so it imports nothing.
# --------------------------------------------------------------------------------------------


def table(output):
    """-o table: one row for each piece of the federation."""
    rows = [_row('Application', output['application']['displayName'] or output['application']['clientId'],
                 output['application']['status']),
            _row('Federated credential', output['federatedCredential'].get('name', ''),
                 output['federatedCredential']['status']),
            _row('Service principal', output['servicePrincipal']['objectId'] or '',
                 output['servicePrincipal']['status'])]
    rows += [_row(a['role'], short_scope(a['scope'], output['storageAccountId']), a['status'])
             for a in output['roleAssignments']]
    rows.append(_row('CORS rule', ' '.join(output['cors']['allowedOrigins']), output['cors']['status']))
    rows += [_row('Readiness', check['name'], check['status']) for check in output.get('checks', [])
             if check['status'] != 'ok']
    return rows


def _row(item, name, status):
    return {'Item': item, 'Name': name or '', 'Status': status}


def short_scope(scope, account_id):
    """'mystorage' for the account, 'mystorage/datasets' for a container, the whole ID for anything else."""
    if not scope.lower().startswith(account_id.lower()):
        return scope
    account = account_id.rsplit('/', 1)[-1]
    return account + scope[len(account_id):].replace('/blobServices/default/containers', '')
