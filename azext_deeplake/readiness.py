# --------------------------------------------------------------------------------------------
# Readiness: can Deep Lake actually reach this account? ARM calls (ours) ignore the storage
# firewall, so a setup that "succeeded" can still leave Deep Lake locked out. Judged from the
# account's properties, which the plan has read anyway: no extra request.
# --------------------------------------------------------------------------------------------

OK, WARNING, BLOCKER = 'ok', 'warning', 'blocker'


def checks(account):
    """Each check as {name, status, message}; a message that is not ok gives the fix as a command."""
    where = f'-n {account.name} -g {account.resource_group}'
    return [_check(name, *verdict) for name, verdict in (
        ('blobService', _blob_service(account)),
        ('publicNetworkAccess', _public_network_access(account, where)),
        ('firewall', _firewall(account, where)),
        ('cors', _cors(account)),
        ('hierarchicalNamespace', _hierarchical_namespace(account, where)),
        ('blobEndpoint', _blob_endpoint(account)),
    )]


def blockers(found):
    return [c for c in found if c['status'] == BLOCKER]


def _check(name, status, message):
    return {'name': name, 'status': status, 'message': message}


def _blob_service(account):
    if account.has_blob_service:
        return OK, 'The account has a blob service.'
    return BLOCKER, (f"Storage account '{account.name}' is a FileStorage account, which has no blob service for "
                     'Deep Lake to use. Use a general-purpose v2 account: az storage account create -n <name> -g '
                     f'{account.resource_group} --kind StorageV2 --hns true')


def _public_network_access(account, where):
    if account.public_network_access != 'Disabled':
        return OK, 'Public network access is enabled.'
    return WARNING, (f"Public network access to '{account.name}' is disabled, so neither Deep Lake's service nor "
                     f'your browser can reach its blob endpoint. Enable it: az storage account update {where} '
                     '--public-network-access Enabled')


def _firewall(account, where):
    if account.default_action != 'Deny':
        return OK, 'The storage firewall allows all networks.'
    return WARNING, (f"The firewall of '{account.name}' denies networks it does not list (networkAcls.defaultAction "
                     f'Deny), so Deep Lake may be locked out. Allow public access (az storage account update {where} '
                     '--default-action Allow), or allow the addresses Deep Lake and your users connect from '
                     f'(az storage account network-rule add {where} --ip-address <address>)')


def _cors(account):
    if not account.premium_page_blob:
        return OK, 'The blob service supports CORS.'
    return WARNING, (f"Storage account '{account.name}' is a premium general-purpose (page blob) account, which "
                     'does not support CORS, so the Deep Lake app cannot preview its data. Use a standard '
                     'StorageV2 or a premium BlockBlobStorage account.')


def _hierarchical_namespace(account, where):
    if account.hierarchical_namespace:
        return OK, 'The account has a hierarchical namespace (ADLS Gen2).'
    return WARNING, (f"Storage account '{account.name}' has no hierarchical namespace (ADLS Gen2), which Deep Lake's "
                     'documentation lists for Azure. If Deep Lake cannot open datasets, upgrade it: '
                     f'az storage account hns-migration start {where} --type upgrade')


def _blob_endpoint(account):
    if account.dns_endpoint_type != 'AzureDnsZone':
        return OK, 'The blob endpoint is the standard one.'
    return WARNING, (f"Storage account '{account.name}' uses Azure DNS zone endpoints: its blob endpoint is "
                     f"{account.blob_endpoint or 'in a DNS zone'}, not {account.name}.blob.core.windows.net, which "
                     'Deep Lake paths (az://account/container) assume. Use an account with standard endpoints: '
                     'az storage account create ... --dns-endpoint-type Standard')
