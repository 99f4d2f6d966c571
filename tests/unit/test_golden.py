"""Golden values: the product's contract with Activeloop, with Azure and with every federation already made.

Each expected value is a literal copied from its source (Activeloop's "Provisioning Federated Credentials" and
"Enabling CORS in Azure" pages, Azure's built-in role IDs, README), or, for derived names, computed once and written
out here; never taken from the product's own constants. The next version must recognise the credentials,
applications, keys and role assignments that the last one created, so a changed value fails here with what it breaks.
"""
import types

import pytest
from azure.cli.core.mock import DummyCli

from azext_deeplake import deeplake, graph, identity, report, retry, roles, storage
from azext_deeplake.plan_types import AssignmentPlan, Plan, RemovalPlan
from azext_deeplake.status import MISSING

ACCOUNT_ID = ('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data/providers/'
              'Microsoft.Storage/storageAccounts/mystorage')
CONTAINER_ID = ACCOUNT_ID + '/blobServices/default/containers/datasets'
PRINCIPAL = '11111111-2222-3333-4444-555555555555'

# Activeloop's identity (Provisioning Federated Credentials, step 1.8).
ISSUER = 'https://cognito-identity.amazonaws.com'
SUBJECT = 'us-east-1:7bc30eb1-bac6-494b-bf53-5747849d45aa'
AUDIENCE = 'us-east-1:57e5de2f-e2ec-4514-b9b0-f3bb8c4283c3'
# Azure's built-in roles.
CONTRIBUTOR = ('Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
READER = ('Storage Blob Data Reader', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
DELEGATOR = ('Storage Blob Delegator', 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a')
# Enabling CORS in Azure.
CORS_RULE = {'allowedOrigins': ['https://app.activeloop.ai'], 'allowedMethods': ['GET', 'HEAD'],
             'allowedHeaders': ['*'], 'exposedHeaders': [], 'maxAgeInSeconds': 0}
# How az deeplake marks what it creates (README; the notes as written on every application created so far).
TAG = 'az-deeplake'
NOTES = 'Created by az deeplake federate for Deep Lake (Activeloop) access to Azure Storage.'
ASSIGNMENT_DESCRIPTION = 'Deep Lake federation (az deeplake)'
# The uniqueName keys of the application 'deeplake-mystorage', every generation (README: `…`, `…-2`, … `…-10`).
KEY = 'az-deeplake-0eede43baaea50f5a3faeaac0f404780'
UNIQUE_NAMES = [KEY] + [f'{KEY}-{n}' for n in range(2, 11)]
# Role assignment names derived from (scope, PRINCIPAL, role).
CONTAINER_CONTRIBUTOR_NAME = '14e5045e-e001-58d2-8100-8b5f44a2f593'
ASSIGNMENT_NAMES = [
    pytest.param(CONTAINER_ID, CONTRIBUTOR, CONTAINER_CONTRIBUTOR_NAME, id='container-contributor'),
    pytest.param(CONTAINER_ID, READER, 'b2c4daf1-b16c-5755-ba7b-054e60373209', id='container-reader'),
    pytest.param(ACCOUNT_ID, CONTRIBUTOR, '26441cbb-6c10-5c4b-8db4-d2e07ca39946', id='account-contributor'),
    pytest.param(ACCOUNT_ID, DELEGATOR, '01edc984-ce34-5730-90fa-4a9e3768d9c1', id='account-delegator'),
]

TRUST = 'every federated credential made so far trusts exactly this value, so Deep Lake could no longer sign in ' \
    'through one made by the next version, and federate would stop at each existing one as different'
ROLE = 'assignments made so far hold this role: show would report them missing, unfederate would leave them behind'
MARK = 'what earlier versions created would no longer count as made by az deeplake: unfederate would keep it, and ' \
    '--delete-app would refuse it'
KEYS = "the next version would not find the applications that earlier versions made under these keys, and a rerun " \
    "whose display-name search lags would make a second application"
NAMES = 'the next version would not recognise the role assignments that earlier versions made: unfederate would ' \
    'keep them as "not made by az deeplake"'


def assert_golden(actual, expected, consequence):
    assert actual == expected, (f'{actual!r} is not the golden value {expected!r}. Changing it breaks existing '
                                f'federations: {consequence}.')


# ---- Activeloop's identity, Azure's roles, the CORS rule, our marks ---------------------------------------------

@pytest.mark.parametrize('actual, expected, consequence', [
    pytest.param(deeplake.ISSUER, ISSUER, TRUST, id='issuer'),
    pytest.param(deeplake.SUBJECT, SUBJECT, TRUST, id='subject'),
    pytest.param(deeplake.AUDIENCE, AUDIENCE, TRUST, id='audience'),
    pytest.param(deeplake.Trust(), deeplake.Trust(ISSUER, SUBJECT, AUDIENCE), TRUST, id='default-trust'),
    pytest.param(deeplake.BLOB_DATA_CONTRIBUTOR, CONTRIBUTOR, ROLE, id='contributor-role'),
    pytest.param(deeplake.BLOB_DATA_READER, READER, ROLE, id='reader-role'),
    pytest.param(deeplake.BLOB_DELEGATOR, DELEGATOR, ROLE, id='delegator-role'),
    pytest.param(deeplake.DATA_ROLES, {'contributor': CONTRIBUTOR, 'reader': READER}, ROLE, id='data-roles'),
    pytest.param(deeplake.CORS_RULE, CORS_RULE, 'unfederate recognises the rule federate added by all five fields: '
                 'rules added by earlier versions would stay behind', id='cors-rule'),
    pytest.param(deeplake.APP_TAG, TAG, MARK, id='tag'),
    pytest.param(deeplake.APP_NOTES, NOTES, 'applications made so far carry these notes', id='notes'),
    pytest.param(deeplake.ASSIGNMENT_DESCRIPTION, ASSIGNMENT_DESCRIPTION, MARK, id='assignment-description'),
    pytest.param(deeplake.default_app_name('mystorage'), 'deeplake-mystorage',
                 'reruns would no longer find the application made for the account', id='default-app-name'),
    pytest.param(deeplake.DEFAULT_CREDENTIAL_NAME, 'deeplake', 'federations made so far hold a credential of this '
                 'name', id='default-credential-name'),
    pytest.param(deeplake.SIGN_IN_AUDIENCE, 'AzureADMyOrg', 'applications made so far are single-tenant',
                 id='sign-in-audience'),
])
def test_contract_values(actual, expected, consequence):
    assert_golden(actual, expected, consequence)


# ---- derived names ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('display_name', ['deeplake-mystorage', 'DeepLake-MyStorage'])
def test_unique_name_keys_of_every_generation(display_name):
    assert_golden(deeplake.unique_names(display_name), UNIQUE_NAMES, KEYS)


@pytest.mark.parametrize('scope, role, name', ASSIGNMENT_NAMES)
def test_derived_role_assignment_names(scope, role, name):
    assert_golden(roles.assignment_name(deeplake.Grant(*role, scope=scope), PRINCIPAL), name, NAMES)
    made_earlier = {'name': name, 'scope': scope, 'principalId': PRINCIPAL, 'description': None,
                    'roleDefinitionId': '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/' + role[1]}
    assert roles.made_by_us(made_earlier), NAMES


# ---- on the wire --------------------------------------------------------------------------------------------------

class RecordingGraph(graph.Graph):
    """Graph whose requests are recorded and answered with a created object."""

    def __init__(self):
        super().__init__(types.SimpleNamespace(graph_endpoint='https://graph.microsoft.com', tenant_id='t',
                                               authority='https://login.microsoftonline.com'))
        self.sent = []

    def _send(self, method, path, body=None, headers=None):
        self.sent.append((method, path, body, headers))
        return {'id': 'created'}


def test_the_application_upsert_carries_the_first_key_the_tag_and_the_notes():
    sent = RecordingGraph()
    sent.ensure_application('deeplake-mystorage', retry.Deadline(1), checked_key=KEY)
    assert_golden(sent.sent, [('PATCH', f"/applications(uniqueName='{KEY}')",
                               {'displayName': 'deeplake-mystorage', 'signInAudience': 'AzureADMyOrg',
                                'notes': NOTES, 'tags': [TAG]}, {'Prefer': 'create-if-missing'})], KEYS + '; ' + MARK)


def test_the_federated_credential_carries_activeloops_identity():
    sent = RecordingGraph()
    sent.create_credential('app-object-id', 'deeplake', deeplake.Trust(), retry.Deadline(1))
    assert_golden(sent.sent, [('POST', '/applications/app-object-id/federatedIdentityCredentials',
                               {'name': 'deeplake', 'issuer': ISSUER, 'subject': SUBJECT, 'audiences': [AUDIENCE],
                                'description': 'Credentials for Deep Lake'}, None)], TRUST)


def test_the_role_assignment_carries_the_role_and_the_description():
    created = []
    assignments = types.SimpleNamespace(create=lambda *arguments: created.append(arguments))
    session = types.SimpleNamespace(cli_ctx=DummyCli(), subscription_id='s', arm=lambda call: call(),
                                    authorization=types.SimpleNamespace(role_assignments=assignments))
    grant = deeplake.Grant(*CONTRIBUTOR, scope=CONTAINER_ID)
    name = CONTAINER_CONTRIBUTOR_NAME
    assert roles.assign(session, grant, PRINCIPAL, name, retry.Deadline(1)) == ('created', name)
    [(scope, sent_name, parameters)] = created
    assert_golden((scope, sent_name, parameters.role_definition_id, parameters.principal_id,
                   parameters.principal_type, parameters.description),
                  (CONTAINER_ID, name, '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/' +
                   CONTRIBUTOR[1], PRINCIPAL, 'ServicePrincipal', ASSIGNMENT_DESCRIPTION), ROLE + '; ' + MARK)


# ---- the output's field names (README) ----------------------------------------------------------------------------

SCRIPTS = 'scripts and --query expressions written against the documented output would break'
TOP_LEVEL = {'tenantId', 'subscriptionId', 'resourceGroup', 'storageAccount', 'storageAccountId', 'containers',
             'application', 'federatedCredential', 'servicePrincipal', 'roleAssignments', 'cors', 'deepLake',
             'complete', 'dryRun', 'changes', 'warnings'}
NESTED = {'application': {'displayName', 'clientId', 'objectId', 'createdByAzDeeplake', 'status'},
          'federatedCredential': {'name', 'issuer', 'subject', 'audiences', 'status'},
          'servicePrincipal': {'objectId', 'status'},
          'cors': {'status', 'allowedOrigins'}}
ASSIGNMENT = {'role', 'roleDefinitionId', 'scope', 'name', 'status'}
CHECK = {'name', 'status', 'message'}
DEEP_LAKE = {'tenantId', 'clientId', 'credentialName', 'paths'}
WIZARD = {'tenantId', 'subscriptionId', 'resourceGroup', 'storageAccount', 'containers', 'paths',
          'servicePrincipalObjectId'}
ACCOUNT = storage.Account(id=ACCOUNT_ID, name='mystorage', resource_group='data', subscription_id='s',
                          hierarchical_namespace=True, sku_tier='Standard', kind='StorageV2')


def output_of(mode, plan_type=Plan, **request):
    wanted = deeplake.Request(**dict({'account': 'mystorage', 'containers': ('datasets',), 'resource_group': None,
                                      'app_name': 'deeplake-mystorage'}, **request))
    plan = plan_type(request=wanted, tenant_id='t', account=ACCOUNT, identity=identity.of(wanted))
    plan.assignments = [AssignmentPlan(grant, MISSING) for grant in
                        deeplake.grants_for(ACCOUNT_ID, wanted.containers)]
    plan.checks = [{'name': 'blobService', 'status': 'ok', 'message': 'fine'}]
    return report.result(plan, mode)


@pytest.mark.parametrize('mode, extra', [
    pytest.param(report.FEDERATE, {'checks', 'ready'}, id='federate'),
    pytest.param(report.DRY_RUN, {'checks', 'ready', 'blockers'}, id='dry-run'),
    pytest.param(report.SHOW, {'checks', 'ready', 'blockers'}, id='show'),
    pytest.param(report.UNFEDERATE, {'blockers'}, id='unfederate'),
    pytest.param(report.UNFEDERATE_DRY_RUN, {'blockers'}, id='unfederate-dry-run'),
])
def test_documented_output_fields_are_present(mode, extra):
    """New fields may come; the documented ones keep their names."""
    output = output_of(mode, RemovalPlan if mode.startswith(report.UNFEDERATE) else Plan)
    missing = {'': sorted((TOP_LEVEL | extra) - set(output))}
    missing.update({piece: sorted(fields - set(output[piece])) for piece, fields in NESTED.items()})
    missing['roleAssignments[]'] = sorted(ASSIGNMENT - set(output['roleAssignments'][0]))
    missing['deepLake'] = sorted(DEEP_LAKE - set(output['deepLake']))
    if 'checks' in extra:
        missing['checks[]'] = sorted(CHECK - set(output['checks'][0]))
    assert_golden({piece: fields for piece, fields in missing.items() if fields}, {}, SCRIPTS)


def test_the_wizard_flow_lists_what_deep_lakes_wizard_asks_for():
    output = output_of(report.FEDERATE, deeplake_app_id='3c8e1a57-2f4b-4d6e-9a0c-7b5d2e1f4a68')
    assert_golden(sorted(WIZARD - set(output['deepLake'])), [], SCRIPTS)
