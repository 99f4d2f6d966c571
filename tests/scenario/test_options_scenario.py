"""Recorded scenarios of the options the main scenarios leave at their defaults: an application and trust of one's
own, the reader role, more CORS origins, and unfederate's narrower removals (see base.py for the modes)."""
from azext_deeplake import deeplake

from . import liverun
from .base import DeepLakeScenarioTest
from .steps import FederationSteps

CUSTOM_TRUST = {'credential': 'scenario-credential', 'issuer': 'https://issuer.deeplake.example',
                'subject': 'scenario-subject', 'audience': 'scenario-audience'}
PREVIEW_ORIGIN = 'https://preview.activeloop.example'


class OptionScenarioTest(FederationSteps, DeepLakeScenarioTest):

    def test_custom_application_and_trust(self):
        self.make_account(container='datasets')
        self.kwargs.update(CUSTOM_TRUST, custom_app=self.create_random_name(liverun.CUSTOM_APP_PREFIX, 24))
        self.kwargs['identity'] = ('--app-name {custom_app} --credential-name {credential} --issuer {issuer} '
                                   '--subject {subject} --audience {audience}').format(**self.kwargs)
        output = self.federate('-c {container} {identity} --skip-cors --timeout 600 --yes', checks=[
            self.check('application.displayName', '{custom_app}'),
            self.check('application.status', 'created'),
            self.check('federatedCredential.status', 'created'),
            self.check('federatedCredential.name', '{credential}'),
            self.check('federatedCredential.issuer', '{issuer}'),
            self.check('federatedCredential.subject', '{subject}'),
            self.check('federatedCredential.audiences', [CUSTOM_TRUST['audience']]),
            self.check('federatedCredential.trust', 'custom'),
            self.check('cors.status', 'skipped'),
            self.check('complete', True),
        ])
        self.kwargs['sp'] = output['servicePrincipal']['objectId']
        self.cmd('ad app federated-credential list --id {app_id}', checks=[
            self.check('[].[name, issuer, subject, audiences[0]]', [list(CUSTOM_TRUST.values())])])

        self.cmd('deeplake show --account {account} -c {container} {identity}', checks=[
            self.check('federatedCredential.status', 'present'), self.check('cors.status', 'missing'),
            self.check('changes', ['add a CORS rule for ' + deeplake.APP_ORIGIN]), self.check('complete', False)])
        self.cmd('deeplake show --account {account} -c {container} {identity} --skip-cors', checks=[
            self.check('federatedCredential.status', 'present'), self.check('cors.status', 'skipped'),
            self.check('changes', []), self.check('complete', True)])
        self.cmd('deeplake show --account {account} -c {container} --app-name {custom_app} --skip-cors', checks=[
            self.check('application.status', 'present'), self.check('federatedCredential.name', 'deeplake'),
            self.check('federatedCredential.status', 'missing'), self.check('complete', False)])

        self.cmd('deeplake unfederate --account {account} -g {rg} --app-name {custom_app} --dry-run', checks=[
            self.check('dryRun', True),
            self.check('roleAssignments[].status', ['present', 'present']),
            self.check('cors.status', 'absent'),
            self.check('length(changes)', 2),
        ])
        self.cmd('role assignment list --assignee-object-id {sp} --all', checks=[self.check('length(@)', 2)])
        self.cmd('deeplake unfederate --account {account} -g {rg} --app-name {custom_app} --yes', checks=[
            self.check('roleAssignments[].status', ['removed', 'removed']), self.check('complete', True)])

    def test_a_co_owner_is_refused_until_accepted_by_name(self):
        self.make_account(container='datasets')
        self.kwargs.update(custom_app=self.create_random_name(liverun.CUSTOM_APP_PREFIX, 24),
                           owner_app=self.create_random_name(liverun.CUSTOM_APP_PREFIX, 24))
        # The co-owner is a service principal, so that the scenario runs live without a second user.
        self.kwargs['owner_app_id'] = self.new_application('{owner_app}')
        self.kwargs['owner'] = self.cmd('ad sp create --id {owner_app_id}').get_output_in_json()['id']
        self.kwargs['app_id'] = self.new_application('{custom_app}')
        self.cmd('ad app owner add --id {app_id} --owner-object-id {owner}')
        self.cmd('deeplake federate --account {account} -c {container} --app-name {custom_app}', expect_failure=True)
        self.cmd('deeplake show --account {account} -c {container} --app-name {custom_app}', checks=[
            self.check("checks[?name=='onlyDeepLake'].status | [0]", 'blocker'),
            self.check("checks[?name=='onlyDeepLake'].findings[0].kind | [0]", 'owner'),
            self.check('ready', False)])
        self.cmd('deeplake federate --account {account} -c {container} --app-name {custom_app} --accept-owner {owner}',
                 checks=[self.check('application.acceptedOwners[0].id', '{owner}'), self.check('complete', True),
                         self.check("checks[?name=='onlyDeepLake'].status | [0]", 'ok')])
        self.cmd('deeplake show --account {account} -c {container} --app-name {custom_app} --accept-owner {owner}',
                 checks=[self.check('ready', True)])
        self.cmd('deeplake unfederate --account {account} --app-name {custom_app} --yes', checks=[
            self.check('roleAssignments[].status', ['removed', 'removed'])])

    def new_application(self, display_name):
        """A plain application (as the portal makes it), tagged so that a live run's sweep finds it."""
        app_id = self.cmd('ad app create --display-name ' + display_name).get_output_in_json()['appId']
        self.addCleanup(lambda: self.cmd('ad app delete --id ' + app_id))
        self.cmd(f'ad app update --id {app_id} --set tags=["{deeplake.APP_TAG}"]')
        return app_id

    def test_reader_role_and_more_origins(self):
        self.make_account(container='datasets')
        self.kwargs['origins'] = f'{deeplake.APP_ORIGIN} {PREVIEW_ORIGIN}'
        self.federate('-c {container} --role reader --cors-origin {origins}', checks=[
            self.check('roleAssignments[].role', ['Storage Blob Data Reader', 'Storage Blob Delegator']),
            self.check('cors.status', 'created'),
            self.check('cors.allowedOrigins', [deeplake.APP_ORIGIN, PREVIEW_ORIGIN]),
            self.check('complete', True),
        ])
        self.assertEqual(self.cors_rules(), [dict(deeplake.CORS_RULE, allowedOrigins=[deeplake.APP_ORIGIN,
                                                                                      PREVIEW_ORIGIN])])
        self.cmd('deeplake show --account {account} -c {container} --role reader --cors-origin {origins}',
                 checks=self.all_present())
        self.cmd('deeplake show --account {account} -c {container}', checks=[
            self.check('roleAssignments[0].status', 'different'), self.check('complete', False)])

        self.cmd('deeplake unfederate --account {account} --skip-cors --yes', checks=[
            self.check('roleAssignments[].status', ['removed', 'removed']), self.check('cors.status', 'skipped')])
        self.assertEqual(len(self.cors_rules()), 1)
        self.cmd('deeplake unfederate --account {account} --yes', checks=[self.check('cors.status', 'absent')])
        self.cmd('deeplake unfederate --account {account} --cors-origin {origins} --yes', checks=[
            self.check('cors.status', 'removed'), self.check('changes', [
                f'remove the CORS rule for {deeplake.APP_ORIGIN}, {PREVIEW_ORIGIN}'])])
        self.assertEqual(self.cors_rules(), [])
