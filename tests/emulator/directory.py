"""Entra ID directory records: the tenant, its users (the signed-in one first), applications with their federated
identity credentials, service principals (of local, external and managed-identity origin) and what they hold
(owners, credentials, app role assignments, directory roles). Records are stored in Graph's JSON shape; keys that
start with '_' are private (visibility time, child collections)."""
# pylint: disable=too-many-positional-arguments,too-many-instance-attributes,too-many-public-methods
import time
import uuid

from . import credentials, directory_roles
from .util import b64url, iso, public

DOMAIN = "contoso.onmicrosoft.com"
USER_UPN = "ada@" + DOMAIN
USER_NAME = "Ada Lovelace"
SIGN_IN_AUDIENCES = ("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount",
                     "PersonalMicrosoftAccount")
# The tenant that publishes external applications unless add_external_application names another (made up).
OTHER_TENANT_ID = "5d8a1c3e-7f2b-4e96-a0d4-3b6c9e1f8a27"
OTHER_TENANT_NAME = "Fabrikam (emulated)"
# appOwnerOrganizationId of every managed identity's service principal (Microsoft's first-party tenant).
MANAGED_IDENTITY_OWNER_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
NO_VERIFIED_PUBLISHER = {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None}
MICROSOFT_GRAPH_APPLICATION_READWRITE_ALL = "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"  # app role id


def application_defaults():
    return {
        "deletedDateTime": None, "addIns": [], "api": {
            "acceptMappedClaims": None, "knownClientApplications": [], "requestedAccessTokenVersion": None,
            "oauth2PermissionScopes": [], "preAuthorizedApplications": []},
        "appRoles": [], "applicationTemplateId": None, "certification": None, "defaultRedirectUri": None,
        "description": None, "disabledByMicrosoftStatus": None, "groupMembershipClaims": None,
        "identifierUris": [], "info": {"logoUrl": None, "marketingUrl": None, "privacyStatementUrl": None,
                                       "supportUrl": None, "termsOfServiceUrl": None},
        "isDeviceOnlyAuthSupported": None, "isFallbackPublicClient": None, "keyCredentials": [],
        "notes": None, "optionalClaims": None,
        "parentalControlSettings": {"countriesBlockedForMinors": [], "legalAgeGroupRule": "Allow"},
        "passwordCredentials": [], "publicClient": {"redirectUris": []}, "publisherDomain": DOMAIN,
        "requiredResourceAccess": [], "samlMetadataUrl": None, "serviceManagementReference": None,
        "signInAudience": "AzureADMyOrg", "spa": {"redirectUris": []}, "tags": [], "tokenEncryptionKeyId": None,
        "uniqueName": None, "verifiedPublisher": dict(NO_VERIFIED_PUBLISHER),
        "web": {"homePageUrl": None, "logoutUrl": None, "redirectUris": [], "redirectUriSettings": [],
                "implicitGrantSettings": {"enableAccessTokenIssuance": False, "enableIdTokenIssuance": False}},
    }


def _user(object_id, user_principal_name, display_name, given_name=None, surname=None):
    return {"id": object_id, "displayName": display_name, "givenName": given_name, "surname": surname,
            "userPrincipalName": user_principal_name, "mail": user_principal_name, "businessPhones": [],
            "jobTitle": None, "mobilePhone": None, "officeLocation": None, "preferredLanguage": None}


class Directory:
    def __init__(self, new_id):
        self._new_id = new_id
        self.tenant_id = new_id()
        self.user = _user(new_id(), USER_UPN, USER_NAME, "Ada", "Lovelace")
        self.users = {self.user["id"]: self.user}  # object id -> user record; the signed-in user first
        self.organization = {
            "id": self.tenant_id, "displayName": "Contoso (emulated)", "tenantType": "AAD",
            "verifiedDomains": [{"name": DOMAIN, "isDefault": True, "isInitial": True, "type": "Managed",
                                 "capabilities": "Email, OfficeCommunicationsOnline"}]}
        self.apps = {}            # object id -> application record
        self.deleted_apps = {}    # object id -> soft-deleted application record (kept 30 days in Entra ID)
        self.sps = {}             # object id -> service principal record
        self.external_apps = {}   # appId -> {appId, displayName, signInAudience, publisher...}: other tenants' apps
        self.directory_roles = {}  # object id -> activated directoryRole

    # ---- applications ---------------------------------------------------------------------------------
    def create_application(self, fields, visible_after=0.0, listed_after=0.0, owned=True):
        """owned: the signed-in user is an owner (as for an app they create); listed_after: seconds before the
        app shows up in lists and filters (reads by key see it once it is visible)."""
        record = application_defaults()
        record.update(fields)
        now = time.monotonic()
        record.update({"id": self._new_id(), "appId": fields.get("appId") or self._new_id(),
                       "createdDateTime": iso(digits=0), "_visible_at": now + visible_after,
                       "_listed_at": now + max(visible_after, listed_after), "_fics": [],
                       "_owners": [self.user["id"]] if owned else []})
        self.apps[record["id"]] = record
        return record

    def replicate(self):
        """Replication catches up: every application and service principal is visible and listed from now on."""
        for record in list(self.apps.values()) + list(self.sps.values()):
            record["_visible_at"] = record["_listed_at"] = 0.0

    @staticmethod
    def is_visible(record, now=None):
        return (now or time.monotonic()) >= record["_visible_at"]

    @staticmethod
    def is_listed(record, now=None):
        return (now or time.monotonic()) >= record.get("_listed_at", 0.0)

    def visible_apps(self):
        now = time.monotonic()
        return [a for a in self.apps.values() if self.is_visible(a, now)]

    def listed_apps(self):
        now = time.monotonic()
        return [a for a in self.apps.values() if self.is_listed(a, now)]

    def is_owner(self, app):
        return self.user["id"] in app.get("_owners", [])

    def app_by_unique_name(self, unique_name, deleted=False):
        """The live (or, with deleted=True, soft-deleted) application holding this uniqueName, visible or not."""
        records = self.deleted_apps if deleted else self.apps
        return next((a for a in records.values() if (a.get("uniqueName") or "").lower() == unique_name.lower()),
                    None)

    def app(self, object_id):
        record = self.apps.get(object_id.lower())
        return record if record and self.is_visible(record) else None

    def app_by_app_id(self, app_id):
        return next((a for a in self.visible_apps() if a["appId"].lower() == app_id.lower()), None)

    def delete_application(self, record):
        """A soft delete, as in Entra ID: the app keeps its uniqueName in deleted items."""
        self.deleted_apps[record["id"]] = self.apps.pop(record["id"])
        for sp in [s for s in self.sps.values() if s["appId"] == record["appId"]]:
            del self.sps[sp["id"]]

    def add_external_application(self, app_id, display_name, sign_in_audience="AzureADMultipleOrgs",
                                 publisher_tenant_id=None, publisher_name=None, verified_publisher=None):
        self.external_apps[app_id.lower()] = {
            "appId": app_id, "displayName": display_name, "signInAudience": sign_in_audience,
            "publisherTenantId": publisher_tenant_id or OTHER_TENANT_ID,
            "publisherName": publisher_name or OTHER_TENANT_NAME,
            "verifiedPublisher": dict(verified_publisher or NO_VERIFIED_PUBLISHER)}
        return dict(self.external_apps[app_id.lower()])

    # ---- users ----------------------------------------------------------------------------------------
    def add_user(self, user_principal_name, display_name):
        record = _user(self._new_id(), user_principal_name, display_name)
        self.users[record["id"]] = record
        return record

    def user_by_key(self, id_or_upn):
        key = id_or_upn.lower()
        return self.users.get(key) or next((u for u in self.users.values()
                                            if u["userPrincipalName"].lower() == key), None)

    # ---- federated identity credentials ---------------------------------------------------------------
    def add_fic(self, app, name, issuer, subject, audiences, description=None):
        fic = {"id": self._new_id(), "name": name, "issuer": issuer, "subject": subject,
               "audiences": list(audiences), "description": description}
        app["_fics"].append(fic)
        return fic

    @staticmethod
    def fic(app, id_or_name):
        return next((f for f in app["_fics"] if f["id"] == id_or_name.lower() or f["name"] == id_or_name), None)

    # ---- service principals ---------------------------------------------------------------------------
    def create_service_principal(self, app, visible_after=0.0, listed_after=0.0):
        """The service principal of a local application (app record) or an external one (external_apps entry)."""
        external = app["appId"].lower() in self.external_apps
        record = self._service_principal(
            app["appId"], app["displayName"], app.get("signInAudience", "AzureADMyOrg"),
            owner_tenant=app["publisherTenantId"] if external else self.tenant_id,
            publisher_name=app["publisherName"] if external else self.organization["displayName"],
            verified_publisher=app.get("verifiedPublisher") or NO_VERIFIED_PUBLISHER)
        record.update(appDisplayName=app["displayName"], _visible_at=time.monotonic() + visible_after,
                      _listed_at=time.monotonic() + listed_after)
        self.sps[record["id"]] = record
        return record

    def create_managed_identity(self, display_name, resource_id):
        """The service principal Azure makes for a user-assigned managed identity (no application object)."""
        app_id = self._new_id()
        record = self._service_principal(app_id, display_name, "AzureADMultipleOrgs", MANAGED_IDENTITY_OWNER_TENANT,
                                         None, NO_VERIFIED_PUBLISHER, service_principal_type="ManagedIdentity")
        record.update(alternativeNames=["isExplicit=True", resource_id],
                      servicePrincipalNames=[app_id, f"https://identity.azure.net/{b64url(resource_id)[:43]}="])
        self.sps[record["id"]] = record
        return record

    def _service_principal(self, app_id, display_name, sign_in_audience, owner_tenant, publisher_name,
                           verified_publisher, service_principal_type="Application"):
        return {
            "id": self._new_id(), "deletedDateTime": None, "accountEnabled": True, "alternativeNames": [],
            "appDisplayName": None, "appDescription": None, "appId": app_id,
            "applicationTemplateId": None, "appOwnerOrganizationId": owner_tenant,
            "appRoleAssignmentRequired": False, "createdDateTime": iso(digits=0), "description": None,
            "disabledByMicrosoftStatus": None, "displayName": display_name, "homepage": None,
            "loginUrl": None, "logoutUrl": None, "notes": None, "notificationEmailAddresses": [],
            "preferredSingleSignOnMode": None, "preferredTokenSigningKeyThumbprint": None,
            "publisherName": publisher_name, "replyUrls": [],
            "servicePrincipalNames": [app_id], "servicePrincipalType": service_principal_type,
            "signInAudience": sign_in_audience, "tags": [],
            "tokenEncryptionKeyId": None, "samlSingleSignOnSettings": None, "addIns": [], "appRoles": [],
            "info": {"logoUrl": None, "marketingUrl": None, "privacyStatementUrl": None, "supportUrl": None,
                     "termsOfServiceUrl": None},
            "keyCredentials": [], "oauth2PermissionScopes": [], "passwordCredentials": [],
            "resourceSpecificApplicationPermissions": [], "verifiedPublisher": dict(verified_publisher),
            "_visible_at": 0.0, "_listed_at": 0.0, "_owners": [], "_app_role_assignments": [], "_member_of": []}

    def sp_by_app_id(self, app_id):
        return next((s for s in self.sps.values() if s["appId"].lower() == app_id.lower()), None)

    def backing_app(self, app_id):
        """The application an SP for app_id would be created from: a visible local app or an external one."""
        return self.app_by_app_id(app_id) or self.external_apps.get(app_id.lower())

    # ---- principals as ARM sees them --------------------------------------------------------------------
    def principal_known_to_arm(self, principal_id):
        if principal_id.lower() in self.users:
            return True
        sp = self.sps.get(principal_id.lower())
        return bool(sp) and self.is_visible(sp)

    # ---- what a principal holds -------------------------------------------------------------------------
    def owned_object(self, object_id):
        """The application or service principal of this object id (any visibility), or None."""
        return self.apps.get(object_id.lower()) or self.sps.get(object_id.lower())

    def add_owner(self, record, owner_id):
        if owner_id.lower() not in record["_owners"]:
            record["_owners"].append(owner_id.lower())

    def add_password(self, record, display_name=None, end_date_time=None):
        """Adds a client secret to an application or service principal; returns (passwordCredential, secretText)."""
        stored, secret = credentials.new_password(self._new_id(), display_name, end_date_time)
        record["passwordCredentials"].append(stored)
        return stored, secret

    def add_key(self, record, display_name=None, key=None, key_type="AsymmetricX509Cert", usage="Verify",
                end_date_time=None, start_date_time=None):
        stored = credentials.new_key(self._new_id(), display_name, key, key_type, usage, end_date_time,
                                     start_date_time)
        record["keyCredentials"].append(stored)
        return stored

    def add_app_role_assignment(self, sp, resource_display_name, app_role_id):
        """An application permission granted to sp on a resource (its resourceId is derived from the name)."""
        record = {"id": b64url(uuid.UUID(self._new_id()).bytes + uuid.UUID(sp["id"]).bytes)[:43],
                  "deletedDateTime": None, "appRoleId": app_role_id, "createdDateTime": iso(digits=0),
                  "principalDisplayName": sp["displayName"], "principalId": sp["id"],
                  "principalType": "ServicePrincipal", "resourceDisplayName": resource_display_name,
                  "resourceId": str(uuid.uuid5(uuid.UUID(self.tenant_id), resource_display_name.lower()))}
        sp["_app_role_assignments"].append(record)
        return record

    def add_directory_role_member(self, sp, role_display_name):
        role = directory_roles.activated(role_display_name, self.tenant_id)
        self.directory_roles.setdefault(role["id"], role)
        if role["id"] not in sp["_member_of"]:
            sp["_member_of"].append(role["id"])
        return role

    def member_of(self, sp):
        return [dict(self.directory_roles[i]) for i in sp["_member_of"]]

    def directory_object(self, object_id):
        """Any object by id with its @odata.type (for directoryObjects/getByIds, owners)."""
        object_id = object_id.lower()
        if object_id in self.users:
            return dict(self.users[object_id], **{"@odata.type": "#microsoft.graph.user"})
        for records, kind in ((self.sps, "servicePrincipal"), (self.apps, "application")):
            record = records.get(object_id)
            if record and self.is_visible(record):
                return dict(public(record), **{"@odata.type": f"#microsoft.graph.{kind}"})
        return None

    def snapshot(self):
        return {
            "tenantId": self.tenant_id,
            "user": {k: self.user[k] for k in ("id", "userPrincipalName", "displayName")},
            "applications": [
                dict({k: a.get(k) for k in ("id", "appId", "displayName", "signInAudience", "notes", "tags",
                                            "uniqueName")},
                     federatedIdentityCredentials=[dict(f) for f in a["_fics"]])
                for a in self.apps.values()],
            "deletedApplications": [{k: a.get(k) for k in ("id", "appId", "displayName", "uniqueName")}
                                    for a in self.deleted_apps.values()],
            "servicePrincipals": [{k: s[k] for k in ("id", "appId", "displayName")} for s in self.sps.values()],
            "externalApplications": [dict(a) for a in self.external_apps.values()],
        }
