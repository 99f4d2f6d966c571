# --------------------------------------------------------------------------------------------
# The storage account: finding it, checking the container, reading and writing blob CORS rules.
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass

from . import messages

RULE_FIELDS = (('allowedOrigins', 'allowed_origins'), ('allowedMethods', 'allowed_methods'),
               ('allowedHeaders', 'allowed_headers'), ('exposedHeaders', 'exposed_headers'),
               ('maxAgeInSeconds', 'max_age_in_seconds'))


@dataclass(frozen=True)
class Account:  # pylint: disable=too-many-instance-attributes
    id: str
    name: str
    resource_group: str
    subscription_id: str
    hierarchical_namespace: bool
    sku_tier: str
    kind: str
    public_network_access: str = 'Enabled'
    default_action: str = 'Allow'   # networkAcls.defaultAction: the storage firewall
    dns_endpoint_type: str = 'Standard'
    blob_endpoint: str = ''

    @property
    def has_blob_service(self):
        return self.kind != 'FileStorage'

    @property
    def premium_page_blob(self):
        return self.sku_tier == 'Premium' and self.kind in ('Storage', 'StorageV2')

    @property
    def supports_cors(self):
        # Premium general-purpose (page blob) accounts reject CORS rules.
        return self.has_blob_service and not self.premium_page_blob


def resolve_account(session, name, resource_group=None):
    from azure.core.exceptions import ResourceNotFoundError
    accounts = session.storage.storage_accounts
    if resource_group:
        try:
            return _account(session.arm(lambda: accounts.get_properties(resource_group, name)))
        except ResourceNotFoundError:
            raise messages.account_not_found(name, session.subscription_id, resource_group) from None
    found = session.arm(lambda: [a for a in accounts.list() if a.name.lower() == name.lower()])
    if not found:
        raise messages.account_not_found(name, session.subscription_id)
    return _account(found[0])


def container_exists(session, account, container):
    from azure.core.exceptions import ResourceNotFoundError
    try:
        session.arm(lambda: session.storage.blob_containers.get(account.resource_group, account.name, container))
        return True
    except ResourceNotFoundError:
        return False


def blob_service_properties(session, account):
    """The blob service's whole properties object (CORS rules, retention, versioning, change feed, ...)."""
    blob_services = session.storage.blob_services
    return session.arm(lambda: blob_services.get_service_properties(account.resource_group, account.name))


def cors_rules(properties):
    """The CORS rules of blob service properties, as plain dicts with all five fields."""
    rules = properties.cors.cors_rules if properties.cors and properties.cors.cors_rules else []
    return [{field: _plain(getattr(rule, attribute)) for field, attribute in RULE_FIELDS} for rule in rules]


def write_cors_rules(session, account, properties, rules):
    """Write the properties that were read back with only the CORS list replaced, as az's cors-rule add does:
    ARM does not document that a PUT keeps the properties it leaves out (retention, versioning, ...)."""
    from azure.cli.core.profiles import ResourceType, get_sdk
    cors_rules_type, cors_rule = get_sdk(session.cli_ctx, ResourceType.MGMT_STORAGE, 'CorsRules', 'CorsRule',
                                         mod='models')
    properties.cors = cors_rules_type(cors_rules=[
        cors_rule(**{attribute: rule[field] for field, attribute in RULE_FIELDS}) for rule in rules])
    blob_services = session.storage.blob_services
    session.arm(lambda: blob_services.set_service_properties(account.resource_group, account.name, properties))


def _plain(value):
    return list(value) if isinstance(value, list) else value


def _text(enum_or_string):
    return str(getattr(enum_or_string, 'value', enum_or_string) or '')


def _account(sdk_account):
    from azure.mgmt.core.tools import parse_resource_id
    parts = parse_resource_id(sdk_account.id)
    acls = getattr(sdk_account, 'network_rule_set', None)
    return Account(id=sdk_account.id, name=sdk_account.name, resource_group=parts['resource_group'],
                   subscription_id=parts['subscription'],
                   hierarchical_namespace=bool(sdk_account.is_hns_enabled),
                   sku_tier=_text(getattr(sdk_account.sku, 'tier', None)), kind=_text(sdk_account.kind),
                   public_network_access=_text(getattr(sdk_account, 'public_network_access', None)) or 'Enabled',
                   default_action=_text(getattr(acls, 'default_action', None)) or 'Allow',
                   dns_endpoint_type=_text(getattr(sdk_account, 'dns_endpoint_type', None)) or 'Standard',
                   blob_endpoint=getattr(getattr(sdk_account, 'primary_endpoints', None), 'blob', None) or '')
