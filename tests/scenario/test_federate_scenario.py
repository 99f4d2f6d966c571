"""Recorded scenarios of az deeplake federate, --dry-run, show and unfederate (see base.py for the modes)."""
from azext_deeplake import deeplake

from . import liverun
from .base import DeepLakeScenarioTest
from .steps import FederationSteps

ROLE_IDS = {'contributor': deeplake.BLOB_DATA_CONTRIBUTOR[1], 'delegator': deeplake.BLOB_DELEGATOR[1]}
OTHER_RULE = ('--origins https://example.com https://other.example --methods GET PUT --allowed-headers "x-ms-meta-*" '
              '--exposed-headers "x-ms-meta-data*" --max-age 200')


class FederateScenarioTest(FederationSteps, DeepLakeScenarioTest):

    def test_federate_whole_account(self):
        self.make_account()
        output = self.federate(checks=[
            self.check('application.displayName', '{app}'),
            self.check('application.status', 'created'),
            self.check('application.createdByAzDeeplake', True),
            self.check('federatedCredential.status', 'created'),
            self.check('federatedCredential.name', 'deeplake'),
            self.check('federatedCredential.issuer', deeplake.ISSUER),
            self.check('federatedCredential.subject', deeplake.SUBJECT),
            self.check('federatedCredential.audiences', [deeplake.AUDIENCE]),
            self.check('servicePrincipal.status', 'created'),
            self.check('length(roleAssignments)', 1),
            self.check('roleAssignments[0].role', 'Storage Blob Data Contributor'),
            self.check('roleAssignments[0].scope', '{account_id}'),
            self.check('roleAssignments[0].status', 'created'),
            self.check('cors.status', 'created'),
            self.check('containers', []),
            self.check('resourceGroup', '{rg}'),
            self.check('complete', True),
            self.check('deepLake.paths[0]', 'az://{account}/<container>'),
        ])
        self.assertEqual(output['deepLake']['clientId'], output['application']['clientId'])
        self.assertEqual(output['deepLake']['tenantId'], output['tenantId'])
        self.kwargs['sp'] = output['servicePrincipal']['objectId']

        self.cmd('ad app federated-credential list --id {app_id}', checks=[
            self.check('length(@)', 1), self.check('[0].subject', deeplake.SUBJECT),
            self.check('[0].audiences', [deeplake.AUDIENCE])])
        self.cmd('ad app show --id {app_id}', checks=[self.check('signInAudience', 'AzureADMyOrg')])
        self.cmd('role assignment list --scope {account_id}', checks=[
            self.check("length([?principalId=='{sp}'])", 1),
            self.check("[?principalId=='{sp}'].principalType | [0]", 'ServicePrincipal'),
            self.check("[?principalId=='{sp}'].roleDefinitionId | [0]",
                       '/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}'.format(
                           self.get_subscription_id(), ROLE_IDS['contributor']))])
        self.assertEqual(self.cors_rules(), [{
            'allowedOrigins': ['https://app.activeloop.ai'], 'allowedMethods': ['GET', 'HEAD'],
            'allowedHeaders': ['*'], 'exposedHeaders': [], 'maxAgeInSeconds': 0}])

    def test_federate_one_container(self):
        self.make_account(container='datasets')
        output = self.federate('--container {container} -g {rg}', checks=[
            self.check('containers', ['datasets']),
            self.check('length(roleAssignments)', 2),
            self.check('roleAssignments[0].role', 'Storage Blob Data Contributor'),
            self.check('roleAssignments[0].scope', '{container_id}'),
            self.check('roleAssignments[1].role', 'Storage Blob Delegator'),
            self.check('roleAssignments[1].scope', '{account_id}'),
            self.check('roleAssignments[].status', ['created', 'created']),
            self.check('deepLake.paths[0]', 'az://{account}/datasets'),
            self.check('complete', True),
        ])
        self.kwargs['sp'] = output['servicePrincipal']['objectId']
        self.cmd('role assignment list --scope {container_id}', checks=[
            self.check("length([?principalId=='{sp}'])", 1)])

    def test_rerun_creates_no_duplicates(self):
        self.make_account(container='datasets')
        first = self.federate('--container {container}')
        second = self.federate('--container {container}', checks=self.all_present())
        self.assertEqual(first['application']['clientId'], second['application']['clientId'])
        self.assertEqual([a['name'] for a in first['roleAssignments']], [a['name'] for a in second['roleAssignments']])
        self.cmd('ad app list --display-name {app}', checks=[self.check('length(@)', 1)])
        self.cmd('ad app federated-credential list --id {app_id}', checks=[self.check('length(@)', 1)])
        self.assertEqual(len(self.cors_rules()), 1)

    def test_existing_cors_rules_are_preserved(self):
        self.make_account()
        self.add_cors_rule(OTHER_RULE)
        self.add_cors_rule('--origins "*" --methods DELETE --max-age 0')
        before = self.cors_rules()
        self.federate('--skip-cors', checks=[self.check('cors.status', 'skipped')])
        self.assertEqual(self.cors_rules(), before)
        self.federate(checks=[self.check('cors.status', 'created')])
        after = self.cors_rules()
        self.assertEqual(after[:2], before)
        self.assertEqual(after[2]['allowedOrigins'], ['https://app.activeloop.ai'])
        self.assertEqual(len(after), 3)

    def test_five_cors_rules_leave_cors_alone_and_finish_the_rest(self):
        self.make_account()
        for index in range(5):
            self.add_cors_rule('--origins https://site{}.example --methods GET --max-age {}'.format(index, index))
        before = self.cors_rules()
        output = self.federate(checks=[
            self.check('cors.status', 'limit'),
            self.check('servicePrincipal.status', 'created'),
            self.check('roleAssignments[0].status', 'created'),
            self.check('complete', False),
        ])
        self.assertIn('already has 5 CORS rules', output['warnings'][0])
        self.assertEqual(self.cors_rules(), before)

    def test_dry_run_changes_nothing(self):
        self.make_account(container='datasets')
        self.cmd('deeplake federate --account {account} --container {container} --dry-run', checks=[
            self.check('dryRun', True),
            self.check('application.status', 'missing'),
            self.check('application.clientId', None),
            self.check('federatedCredential.status', 'missing'),
            self.check('servicePrincipal.status', 'missing'),
            self.check('roleAssignments[].status', ['missing', 'missing']),
            self.check('cors.status', 'missing'),
            self.check('length(changes)', 6),
            self.check('blockers', []),
            self.check('complete', False),
        ])
        self.cmd('ad app list --display-name {app}', checks=[self.check('length(@)', 0)])
        self.assertEqual(self.cors_rules(), [])

    def test_show_reports_missing_then_complete(self):
        self.make_account(container='datasets')
        self.cmd('deeplake show --account {account} --container {container}', checks=[
            self.check('complete', False),
            self.check('application.status', 'missing'),
            self.check('cors.status', 'missing'),
        ])
        self.federate('--container {container}')
        self.cmd('deeplake show --account {account} --container {container} -g {rg}', checks=self.all_present())
        table = self.cmd('deeplake show --account {account} --container {container} -o table').output
        self.assertIn('Storage Blob Delegator', table)
        self.assertIn('present', table)

    def test_unfederate_an_account(self):
        self.make_account()
        self.federate()
        self.cmd('deeplake unfederate --account {account} --yes', checks=[
            self.check('roleAssignments[].status', ['removed']),
            self.check('cors.status', 'removed'),
            self.check('application.status', 'kept'),
            self.check('complete', True),
        ])
        self.assertEqual(self.cors_rules(), [])
        self.cmd('role assignment list --scope {account_id}', checks=[
            self.check("length([?description=='{}'])".format(deeplake.ASSIGNMENT_DESCRIPTION), 0)])
        self.cmd('deeplake unfederate --account {account} --yes', checks=[
            self.check('roleAssignments[].status', ['absent']), self.check('cors.status', 'absent'),
            self.check('changes', [])])

    def test_unfederate_one_of_two_containers(self):
        self.make_account(container='datasets')
        self.cmd('storage container-rm create --storage-account {account} -g {rg} -n models')
        self.federate('-c datasets models', checks=[self.check('length(roleAssignments)', 3)])
        self.cmd('deeplake unfederate --account {account} -c models --yes', checks=[
            self.check("roleAssignments[?status=='removed'].role", ['Storage Blob Data Contributor']),
            self.check("roleAssignments[?status=='kept'].role", ['Storage Blob Delegator']),
            self.check('cors.status', 'kept'),
        ])
        self.cmd('deeplake show --account {account} -c datasets', checks=self.all_present())

    def test_unfederate_with_delete_app(self):
        self.make_account(container='datasets')
        self.cmd('deeplake federate --account {account} -c datasets')  # no cleanup: unfederate deletes the app
        self.cmd('deeplake unfederate --account {account} --delete-app --yes', checks=[
            self.check('application.status', 'removed'),
            self.check('federatedCredential.status', 'removed'),
            self.check('servicePrincipal.status', 'removed'),
            self.check('roleAssignments[].status', ['removed', 'removed']),
            self.check('cors.status', 'removed'),
        ])
        self.cmd('ad app list --display-name {app}', checks=[self.check('length(@)', 0)])

    def test_deeplake_app_account_and_container(self):
        self.make_account(container='datasets')
        self.kwargs['deeplake_app'] = self.deeplake_app_id
        self.cmd('deeplake show --account {account} --deeplake-app-id {deeplake_app}', checks=[
            self.check('servicePrincipal.status', 'missing'), self.check('application.status', 'external'),
            self.check('complete', False)])
        self.cmd('deeplake federate --account {account} --deeplake-app-id {deeplake_app}', checks=[
            self.check('servicePrincipal.status', 'created'),
            self.check('application.status', 'external'),
            self.check('federatedCredential.status', 'notNeeded'),
            self.check('roleAssignments[].role', ['Storage Blob Data Contributor']),
            self.check('deepLake.storageAccount', '{account}'),
            self.check('deepLake.resourceGroup', '{rg}'),
            self.check('complete', True),
        ])
        self.kwargs['sp'] = self.cmd('deeplake federate --account {account} -c {container} '
                                     '--deeplake-app-id {deeplake_app}', checks=[
                                         self.check('servicePrincipal.status', 'present'),
                                         self.check('deepLake.containers', ['datasets']),
                                         self.check('deepLake.paths[0]', 'az://{account}/datasets'),
                                     ]).get_output_in_json()['servicePrincipal']['objectId']
        self.cmd('deeplake show --account {account} -c {container} --deeplake-app-id {deeplake_app}', checks=[
            self.check('servicePrincipal.objectId', '{sp}'), self.check('servicePrincipal.status', 'present'),
            self.check('roleAssignments[].status', ['present', 'present']), self.check('complete', True)])
        self.cmd('deeplake unfederate --account {account} --deeplake-app-id {deeplake_app} --delete-app --yes',
                 checks=[self.check('servicePrincipal.status', 'removed')])

    def test_show_on_a_firewalled_account(self):
        self.make_group()
        self.kwargs['account'] = self.create_random_name(liverun.ACCOUNT_PREFIX, 16)
        self.cmd('storage account create -n {account} -g {rg} -l westus2 --sku Standard_LRS --kind StorageV2 --hns true '
                 '--public-network-access Disabled --default-action Deny')
        output = self.cmd('deeplake show --account {account}', checks=[
            self.check("checks[?name=='publicNetworkAccess'].status | [0]", 'warning'),
            self.check("checks[?name=='firewall'].status | [0]", 'warning'),
            self.check("checks[?name=='blobService'].status | [0]", 'ok'),
            self.check('ready', False),
        ]).get_output_in_json()
        self.assertIn('--public-network-access Enabled', output['checks'][1]['message'])
