"""Steps the recorded scenarios share: an account to federate, federate itself, the account's CORS rules."""
from . import liverun


class FederationSteps:
    """A mixin for DeepLakeScenarioTest."""

    def all_present(self):
        """Checks of a federation of one container that is complete and needed no change."""
        return [self.check('application.status', 'present'), self.check('federatedCredential.status', 'present'),
                self.check('servicePrincipal.status', 'present'),
                self.check('roleAssignments[].status', ['present', 'present']), self.check('cors.status', 'present'),
                self.check('changes', []), self.check('complete', True)]

    def make_account(self, container=None):
        self.make_group()
        self.kwargs.update(account=self.create_random_name(liverun.ACCOUNT_PREFIX, 16), container=container)
        self.kwargs['app'] = 'deeplake-' + self.kwargs['account']
        self.kwargs['account_id'] = self.cmd(
            'storage account create -n {account} -g {rg} -l westus2 --sku Standard_LRS --kind StorageV2 --hns true'
        ).get_output_in_json()['id']
        self.kwargs['container_id'] = self.kwargs['account_id'] + '/blobServices/default/containers/' + str(container)
        if container:
            self.cmd('storage container-rm create --storage-account {account} -g {rg} -n {container}')

    def federate(self, options='', checks=None):
        """federate --account {account} with these options; a new application is deleted after the test."""
        output = self.cmd('deeplake federate --account {account} ' + options, checks=checks).get_output_in_json()
        if output['application']['status'] == 'created':
            self.kwargs['app_id'] = output['application']['clientId']
            self.addCleanup(lambda: self.cmd('ad app delete --id {app_id}'))
        return output

    def cors_rules(self):
        return self.cmd('storage account blob-service-properties show -n {account} -g {rg}'
                        ).get_output_in_json()['cors']['corsRules']

    def add_cors_rule(self, origin_options):
        self.cmd('storage account blob-service-properties cors-rule add -n {account} -g {rg} ' + origin_options)
