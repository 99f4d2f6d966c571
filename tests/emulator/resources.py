"""ARM resource records: subscriptions, resource groups, storage accounts (with their blob service
properties and containers) and role assignments, stored in ARM's JSON shape. Resource groups belong to a
subscription (the same name may exist in two); storage account names are global, as in Azure. Lookups raise the
ApiError Azure would answer with."""
# pylint: disable=too-many-positional-arguments,too-many-instance-attributes
import time

from . import arm_errors
from .arm_scope import subscription_of
from .util import deep_merge, iso


def _tier(sku):
    return "Premium" if sku.lower().startswith("premium") else "Standard"


def role_assignment(scope, name, role_definition_id, principal_id, principal_type, created_by, description=None,
                    condition=None, created_on=None):
    """A role assignment record in ARM's shape."""
    now = created_on or iso()
    return {"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "name": name,
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {"roleDefinitionId": role_definition_id, "principalId": principal_id,
                           "principalType": principal_type, "scope": scope, "condition": condition,
                           "conditionVersion": "2.0" if condition else None, "createdOn": now,
                           "updatedOn": now, "createdBy": created_by, "updatedBy": created_by,
                           "delegatedManagedIdentityResourceId": None, "description": description}}


class Resources:
    def __init__(self, new_id, tenant_id, location):
        self._new_id = new_id
        self._tenant_id = tenant_id
        self.default_location = location
        self.subscriptions = {}     # id -> subscription record; the default one first
        self.subscription_id = self.add_subscription("Emulated Subscription")
        self.groups = {}            # (subscription id, lower name) -> resource group record (+ _sub)
        self.accounts = {}          # lower name -> storage account record (+ _sub, _group, _blob, _containers)
        self.role_assignments = {}  # lower name -> role assignment record

    # ---- subscriptions and resource groups --------------------------------------------------------------
    def add_subscription(self, display_name=None):
        subscription_id = self._new_id()
        self.subscriptions[subscription_id] = {
            "id": f"/subscriptions/{subscription_id}", "authorizationSource": "RoleBased",
            "managedByTenants": [], "subscriptionId": subscription_id, "tenantId": self._tenant_id,
            "displayName": display_name or f"Emulated Subscription {len(self.subscriptions) + 1}",
            "state": "Enabled",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                     "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"}}
        return subscription_id

    def require_subscription(self, subscription_id):
        record = self.subscriptions.get((subscription_id or "").lower())
        if record is None:
            raise arm_errors.subscription_not_found(subscription_id)
        return record

    def group(self, sub, name):
        return self.groups.get((sub.lower(), name.lower()))

    def require_group(self, sub, name):
        group = self.group(sub, name)
        if group is None:
            raise arm_errors.group_not_found(name)
        return group

    def create_group(self, sub, name, location=None, tags=None):
        subscription = self.require_subscription(sub)
        record = {"id": f"{subscription['id']}/resourceGroups/{name}", "name": name,
                  "type": "Microsoft.Resources/resourceGroups", "location": location or self.default_location,
                  "properties": {"provisioningState": "Succeeded"}, "_sub": subscription["subscriptionId"]}
        if tags:
            record["tags"] = dict(tags)
        self.groups[(record["_sub"], name.lower())] = record
        return record

    def groups_in(self, sub):
        return [g for g in self.groups.values() if g["_sub"] == sub.lower()]

    def delete_group(self, group):
        for account in self.accounts_in(group["_sub"], group["name"]):
            self.delete_account(account)
        self._drop_assignments_under(group["id"])
        del self.groups[(group["_sub"], group["name"].lower())]

    # ---- storage accounts -------------------------------------------------------------------------------
    def account(self, name, sub=None, group_name=None):
        """The account of this (globally unique) name, if it is in subscription sub and group group_name."""
        record = self.accounts.get(name.lower())
        if record and sub is not None and record["_sub"] != sub.lower():
            return None
        if record and group_name is not None and record["_group"] != group_name.lower():
            return None
        return record

    def require_account(self, sub, group_name, name):
        group = self.require_group(sub, group_name)
        record = self.account(name, sub, group_name)
        if record is None:
            raise arm_errors.resource_not_found(f"Microsoft.Storage/storageAccounts/{name}", group["name"])
        return record

    def accounts_in(self, sub, group_name=None):
        return [a for a in self.accounts.values() if a["_sub"] == sub.lower()
                and (group_name is None or a["_group"] == group_name.lower())]

    def create_account(self, group, name, location=None, sku="Standard_LRS", kind="StorageV2", hns=False,
                       properties=None, tags=None):
        now = iso()
        location = location or group["location"]
        dns_zone = (properties or {}).get("dnsEndpointType") == "AzureDnsZone"
        endpoints = {svc: f"https://{name}.z13.{svc}.storage.azure.net/" if dns_zone else
                     f"https://{name}.{svc}.core.windows.net/" for svc in ("dfs", "blob", "queue", "table", "file")}
        endpoints["web"] = f"https://{name}.z13.web.core.windows.net/"
        props = {
            "dnsEndpointType": "Standard", "defaultToOAuthAuthentication": False, "publicNetworkAccess": "Enabled",
            "keyCreationTime": {"key1": now, "key2": now}, "allowCrossTenantReplication": False,
            "privateEndpointConnections": [], "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
            "allowSharedKeyAccess": True, "networkAcls": {"ipv6Rules": [], "bypass": "AzureServices",
                                                          "virtualNetworkRules": [], "ipRules": [],
                                                          "defaultAction": "Allow"},
            "supportsHttpsTrafficOnly": True,
            "encryption": {"requireInfrastructureEncryption": False, "keySource": "Microsoft.Storage",
                           "services": {s: {"keyType": "Account", "enabled": True, "lastEnabledTime": now}
                                        for s in ("file", "blob")}},
            "accessTier": "Hot"}
        deep_merge(props, properties or {})
        props.update({"isHnsEnabled": bool(hns), "provisioningState": "Succeeded", "creationTime": now,
                      "primaryEndpoints": endpoints, "primaryLocation": location, "statusOfPrimary": "available"})
        account_id = f"{group['id']}/providers/Microsoft.Storage/storageAccounts/{name}"
        record = {"sku": {"name": sku, "tier": _tier(sku)}, "kind": kind, "id": account_id, "name": name,
                  "type": "Microsoft.Storage/storageAccounts", "location": location, "tags": dict(tags or {}),
                  "properties": props, "_sub": group["_sub"], "_group": group["name"].lower(), "_containers": {},
                  "_blob": self.default_blob_properties()}
        self.accounts[name.lower()] = record
        return record

    def delete_account(self, account):
        self._drop_assignments_under(account["id"])
        del self.accounts[account["name"].lower()]

    @staticmethod
    def default_blob_properties():
        """A new account's blob service properties: no CORS rule, every optional feature off."""
        return {"cors": {"corsRules": []}, "deleteRetentionPolicy": {"allowPermanentDelete": False, "enabled": False}}

    @staticmethod
    def blob_service(account):
        return {"sku": dict(account["sku"]), "id": f"{account['id']}/blobServices/default", "name": "default",
                "type": "Microsoft.Storage/storageAccounts/blobServices", "properties": account["_blob"]}

    # ---- containers -------------------------------------------------------------------------------------
    def create_container(self, account, name, properties=None):
        props = {"immutableStorageWithVersioning": {"enabled": False}, "deleted": False,
                 "remainingRetentionDays": 0, "defaultEncryptionScope": "$account-encryption-key",
                 "denyEncryptionScopeOverride": False, "publicAccess": "None", "leaseStatus": "Unlocked",
                 "leaseState": "Available", "hasImmutabilityPolicy": False, "hasLegalHold": False}
        props.update(properties or {})
        props["lastModifiedTime"] = iso()
        record = {"id": f"{account['id']}/blobServices/default/containers/{name}", "name": name,
                  "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
                  "etag": f'"0x8DC{int(time.time() * 1e6) & 0xFFFFFFFFFFFF:012X}"', "properties": props}
        account["_containers"][name] = record
        return record

    def require_container(self, account, name):
        record = account["_containers"].get(name.lower())
        if record is None:
            raise arm_errors.container_not_found()
        return record

    def delete_container(self, account, record):
        self._drop_assignments_under(record["id"])
        del account["_containers"][record["name"]]

    # ---- role assignments -------------------------------------------------------------------------------
    def create_role_assignment(self, scope, name, role_definition_id, principal_id, principal_type,
                               created_by, description=None, condition=None):
        record = role_assignment(scope, name, role_definition_id, principal_id, principal_type, created_by,
                                 description, condition)
        self.role_assignments[name.lower()] = record
        return record

    def _drop_assignments_under(self, scope):
        prefix = scope.lower()
        for key, ra in list(self.role_assignments.items()):
            ra_scope = ra["properties"]["scope"].lower()
            if ra_scope == prefix or ra_scope.startswith(prefix + "/"):
                del self.role_assignments[key]

    def snapshot(self):
        return {
            "subscriptionId": self.subscription_id,
            "subscriptions": [{"id": s["subscriptionId"], "displayName": s["displayName"]}
                              for s in self.subscriptions.values()],
            "resourceGroups": [dict({k: g[k] for k in ("id", "name", "location")}, subscriptionId=g["_sub"])
                               for g in self.groups.values()],
            "storageAccounts": [
                {"id": a["id"], "name": a["name"], "subscriptionId": a["_sub"],
                 "resourceGroup": self.groups[(a["_sub"], a["_group"])]["name"],
                 "location": a["location"], "kind": a["kind"], "sku": a["sku"]["name"],
                 "isHnsEnabled": a["properties"]["isHnsEnabled"],
                 "corsRules": [dict(r) for r in a["_blob"].get("cors", {}).get("corsRules", [])],
                 "containers": sorted(a["_containers"])}
                for a in self.accounts.values()],
            "roleAssignments": [
                dict({"id": ra["id"], "name": ra["name"],
                      "subscriptionId": subscription_of(ra["properties"]["scope"])},
                     **{k: ra["properties"][k] for k in ("scope", "roleDefinitionId", "principalId", "principalType",
                                                         "description")})
                for ra in self.role_assignments.values()],
        }
