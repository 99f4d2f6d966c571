"""The emulator's whole world: one tenant, one subscription, one signed-in user, and the objects the
services create. Ids come from a seeded RNG so identical runs produce identical ids. All access goes
through `lock` (an RLock); the seeding helpers below take it themselves."""
# pylint: disable=too-many-positional-arguments,too-many-public-methods
import copy
import random
import threading
import uuid

from . import arm_scope, roles
from .directory import MICROSOFT_GRAPH_APPLICATION_READWRITE_ALL, Directory
from .resources import Resources
from .util import deep_merge

DEFAULT_FIC_AUDIENCE = "api://AzureADTokenExchange"


class State:
    def __init__(self, seed=0, location="eastus"):
        self.lock = threading.RLock()
        self.seed = seed
        self.location = location
        self.reset()

    def reset(self):
        with self.lock:
            self._rng = random.Random(self.seed)
            self.directory = Directory(self.new_id)
            self.resources = Resources(self.new_id, self.directory.tenant_id, self.location)

    def new_id(self):
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    @property
    def tenant_id(self):
        return self.directory.tenant_id

    @property
    def subscription_id(self):
        return self.resources.subscription_id

    @property
    def user(self):
        return self.directory.user

    # ---- seeding helpers (visible at once: no replication delay) ------------------------------------------
    def _subscription(self, subscription):
        """The id of the given subscription (must exist), or of the default one for None."""
        return self.resources.require_subscription(subscription or self.subscription_id)["subscriptionId"]

    def add_subscription(self, display_name=None):
        """Another subscription of the tenant; returns its id. The default one stays first in every list."""
        with self.lock:
            return self.resources.add_subscription(display_name)

    def add_resource_group(self, name, location=None, tags=None, subscription=None):
        with self.lock:
            return self.resources.create_group(self._subscription(subscription), name, location, tags)["id"]

    def add_storage_account(self, rg, name, hns=True, sku="Standard_LRS", kind="StorageV2", cors_rules=None,
                            location=None, properties=None, blob_properties=None, subscription=None):
        """properties: account properties merged over the defaults (publicNetworkAccess, networkAcls, ...);
        blob_properties: blob service properties merged over the defaults (deleteRetentionPolicy, ...).
        Names are global: a name taken in any subscription raises ValueError."""
        with self.lock:
            group = self.resources.require_group(self._subscription(subscription), rg)
            if self.resources.account(name) is not None:
                raise ValueError(f"the storage account name {name} is already taken")
            account = self.resources.create_account(group, name, location, sku, kind, hns, properties)
            deep_merge(account["_blob"], blob_properties or {})
            if cors_rules:
                account["_blob"]["cors"]["corsRules"] = [dict(r) for r in cors_rules]
            return account["id"]

    def blob_service_properties(self, rg, account, subscription=None):
        with self.lock:
            record = self.resources.require_account(self._subscription(subscription), rg, account)
            return copy.deepcopy(record["_blob"])

    def add_container(self, rg, account, name, subscription=None):
        with self.lock:
            record = self.resources.require_account(self._subscription(subscription), rg, account)
            return self.resources.create_container(record, name)["id"]

    def add_application(self, display_name, sign_in_audience="AzureADMyOrg", owned=True, owners=None, **fields):
        """Returns (object id, appId). owned=False: the signed-in user is not among its owners; owners: the object
        ids of further owners (users or service principals)."""
        with self.lock:
            app = self.directory.create_application(dict(fields, displayName=display_name,
                                                         signInAudience=sign_in_audience), owned=owned)
            for owner_id in owners or []:
                self.add_owner(app["id"], owner_id)
            return app["id"], app["appId"]

    def add_external_application(self, app_id, display_name, sign_in_audience="AzureADMultipleOrgs",
                                 publisher_tenant_id=None, publisher_name=None, verified_publisher=None):
        """A multi-tenant application registered in another tenant (for `az ad sp create --id <its appId>`)."""
        with self.lock:
            return self.directory.add_external_application(app_id, display_name, sign_in_audience,
                                                           publisher_tenant_id, publisher_name, verified_publisher)

    def add_user(self, user_principal_name, display_name):
        """Another member of the tenant; returns its object id."""
        with self.lock:
            return self.directory.add_user(user_principal_name, display_name)["id"]

    def add_managed_identity(self, display_name, resource_group="identities", subscription=None):
        """The service principal of a user-assigned managed identity; returns (object id, appId)."""
        with self.lock:
            resource_id = (f"/subscriptions/{self._subscription(subscription)}/resourcegroups/{resource_group}"
                           f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{display_name}")
            sp = self.directory.create_managed_identity(display_name, resource_id)
            return sp["id"], sp["appId"]

    def _owned(self, object_id):
        record = self.directory.owned_object(object_id)
        if record is None:
            raise KeyError(f"no application or service principal with object id {object_id}")
        return record

    def _service_principal(self, sp_id):
        record = self.directory.sps.get(sp_id.lower())
        if record is None:
            raise KeyError(f"no service principal with object id {sp_id}")
        return record

    def add_owner(self, object_id, owner_id):
        """Makes a user or service principal an owner of an application or service principal."""
        with self.lock:
            if self.directory.directory_object(owner_id) is None:
                raise KeyError(f"no user or service principal with object id {owner_id}")
            self.directory.add_owner(self._owned(object_id), owner_id)

    def add_password(self, object_id, display_name="secret", end_date_time=None):
        """A client secret on an application or service principal; returns its keyId."""
        with self.lock:
            return self.directory.add_password(self._owned(object_id), display_name, end_date_time)[0]["keyId"]

    def add_key(self, object_id, display_name="certificate"):
        """A certificate credential on an application or service principal; returns its keyId."""
        with self.lock:
            return self.directory.add_key(self._owned(object_id), display_name)["keyId"]

    def add_app_role_assignment(self, sp_id, resource_display_name="Microsoft Graph",
                                app_role_id=MICROSOFT_GRAPH_APPLICATION_READWRITE_ALL):
        """A Graph application permission held by a service principal; returns the appRoleAssignment id."""
        with self.lock:
            return self.directory.add_app_role_assignment(self._service_principal(sp_id), resource_display_name,
                                                          app_role_id)["id"]

    def add_directory_role_member(self, sp_id, role_display_name="Global Reader"):
        """Makes a service principal a direct member of a built-in directory role; returns the role's object id."""
        with self.lock:
            return self.directory.add_directory_role_member(self._service_principal(sp_id), role_display_name)["id"]

    def add_federated_credential(self, app_object_id, name, issuer, subject, audiences=None, description=None):
        with self.lock:
            app = self.directory.apps[app_object_id.lower()]
            return self.directory.add_fic(app, name, issuer, subject, audiences or [DEFAULT_FIC_AUDIENCE],
                                          description)["id"]

    def add_service_principal(self, app_id):
        """Returns the service principal's object id (the principal id for role assignments)."""
        with self.lock:
            app = self.directory.backing_app(app_id)
            if app is None:
                raise KeyError(f"no application with appId {app_id}")
            return self.directory.create_service_principal(app)["id"]

    def add_role_assignment(self, scope, role, principal_id, principal_type="ServicePrincipal", name=None,
                            description=None):
        """role is a built-in role name or GUID; scope is taken as given (canonical casing expected)."""
        with self.lock:
            found = roles.by_name(role) or roles.BY_GUID.get(role.lower())
            if found is None:
                raise KeyError(f"unknown role {role}")
            subscription = arm_scope.subscription_of(scope) or self.subscription_id
            definition_id = roles.definition(found, subscription)["id"]
            return self.resources.create_role_assignment(
                scope.rstrip("/"), name or self.new_id(), definition_id, principal_id, principal_type,
                self.user["id"], description)["id"]

    def seed_demo(self):
        """A small ready-made world: a resource group, an HNS account with a container, a plain account."""
        with self.lock:
            self.add_resource_group("deeplake-demo-rg", "eastus")
            self.add_storage_account("deeplake-demo-rg", "deeplakedemo01", hns=True)
            self.add_container("deeplake-demo-rg", "deeplakedemo01", "datasets")
            self.add_storage_account("deeplake-demo-rg", "deeplakeplain01", hns=False)
            return self.snapshot()

    def snapshot(self):
        with self.lock:
            snap = dict(self.directory.snapshot(), **self.resources.snapshot())
        for ra in snap["roleAssignments"]:
            ra["roleName"] = roles.name_of(ra["roleDefinitionId"])
        return snap
