# --------------------------------------------------------------------------------------------
# Describing what only_deeplake.py found: for each owner, secret, certificate, federated
# credential, role assignment, Graph permission or directory role, a name, the details Graph or
# ARM give (who, when, until when) and the az command that removes it.
# --------------------------------------------------------------------------------------------

from . import deeplake

# Built-in roles a principal is most often found holding (names for messages; others show their GUID).
_ROLE_NAMES = {
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
    'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
    'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
    'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
}


def describe(finding, graph_base):
    """{kind, on, name, detail, fix} for one finding (only_deeplake._finding)."""
    kind, item = finding['kind'], finding['item']
    name, detail, fix = _DESCRIBERS[kind](finding, item, graph_base)
    return {'kind': kind, 'on': finding['on'], 'name': name, 'detail': detail, 'fix': fix}


def line(described):
    """One line of a message: what it is, its details, and how to remove it."""
    on = 'service principal ' if described['on'] == 'servicePrincipal' and described['kind'] in _CAN_BE_ON_BOTH \
        else ''
    detail = f" ({described['detail']})" if described['detail'] else ''
    return f"  - {on}{_LABELS[described['kind']]} {described['name']}{detail}: {described['fix']}"


_LABELS = {'owner': 'owner', 'secret': 'client secret', 'certificate': 'certificate',
           'federatedCredential': 'federated credential', 'roleAssignment': 'Azure role',
           'appRoleAssignment': 'Microsoft Graph application permission', 'directoryRole': 'directory role'}
_CAN_BE_ON_BOTH = ('owner', 'secret', 'certificate')


def _owner(finding, owner, graph_base):
    name = owner.get('userPrincipalName') or owner.get('displayName') or owner.get('id')
    detail = ', '.join(v for v in (owner.get('displayName') if owner.get('userPrincipalName') else None,
                                   'can add secrets to it') if v)
    if finding['on'] == 'application':
        fix = f"az ad app owner remove --id {finding['appId']} --owner-object-id {owner.get('id')}"
    else:
        fix = _rest_delete(graph_base, f"servicePrincipals/{finding['objectId']}/owners/{owner.get('id')}/$ref")
    return f"'{name}'", detail, fix


def _secret(finding, credential, graph_base):  # pylint: disable=unused-argument
    return _credential(finding, credential, cert=False)


def _certificate(finding, credential, graph_base):  # pylint: disable=unused-argument
    return _credential(finding, credential, cert=True)


def _credential(finding, credential, cert):
    facts = [f"hint '{credential['hint']}'" if credential.get('hint') else None,
             f"added {_day(credential.get('startDateTime'))}" if credential.get('startDateTime') else None,
             f"expires {_day(credential.get('endDateTime'))}" if credential.get('endDateTime') else None]
    group = 'app' if finding['on'] == 'application' else 'sp'
    fix = (f"az ad {group} credential delete --id {finding['appId']} --key-id {credential.get('keyId')}"
           + (' --cert' if cert else ''))
    return f"'{credential.get('displayName') or credential.get('keyId')}'", ', '.join(f for f in facts if f), fix


def _federated_credential(finding, credential, graph_base):  # pylint: disable=unused-argument
    detail = f"trusts issuer {credential.get('issuer')}, subject {credential.get('subject')}"
    fix = (f"az ad app federated-credential delete --id {finding['appId']} --federated-credential-id "
           f"{credential.get('id') or credential.get('name')}")
    return f"'{credential.get('name')}'", detail, fix


def _role_assignment(finding, assignment, graph_base):  # pylint: disable=unused-argument
    role_id = assignment['roleDefinitionId'].rstrip('/').rsplit('/', 1)[-1].lower()
    role = _ROLE_NAMES.get(role_id) or deeplake.role_name(role_id)
    return f"'{role}'", f"at {assignment['scope']}", f"az role assignment delete --ids {assignment.get('id')}"


def _app_role_assignment(finding, grant, graph_base):
    name = f"'{grant.get('appRoleId')}' of {grant.get('resourceDisplayName') or grant.get('resourceId')}"
    detail = f"granted {_day(grant.get('createdDateTime'))}" if grant.get('createdDateTime') else ''
    return name, detail, _rest_delete(graph_base,
                                      f"servicePrincipals/{finding['objectId']}/appRoleAssignments/{grant.get('id')}")


def _directory_role(finding, role, graph_base):
    return (f"'{role.get('displayName') or role.get('roleTemplateId')}'", '',
            _rest_delete(graph_base, f"directoryRoles/{role.get('id')}/members/{finding['objectId']}/$ref"))


def _rest_delete(graph_base, path):
    return f"az rest --method DELETE --url '{graph_base}/{path}'"


def _day(timestamp):
    return (timestamp or '')[:10]


_DESCRIBERS = {'owner': _owner, 'secret': _secret, 'certificate': _certificate,
               'federatedCredential': _federated_credential, 'roleAssignment': _role_assignment,
               'appRoleAssignment': _app_role_assignment, 'directoryRole': _directory_role}
