"""Entra ID directory records: the tenant, the signed-in user, applications with their federated
identity credentials, and service principals. Records are stored in Graph's JSON shape; keys that
start with '_' are private (visibility time, child collections)."""
# pylint: disable=too-many-positional-arguments
import time

from .util import iso, public

DOMAIN = "contoso.onmicrosoft.com"
USER_UPN = "ada@" + DOMAIN
USER_NAME = "Ada Lovelace"
SIGN_IN_AUDIENCES = ("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount",
                     "PersonalMicrosoftAccount")


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
        "uniqueName": None,
        "verifiedPublisher": {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
        "web": {"homePageUrl": None, "logoutUrl": None, "redirectUris": [], "redirectUriSettings": [],
                "implicitGrantSettings": {"enableAccessTokenIssuance": False, "enableIdTokenIssuance": False}},
    }


class Directory:
    def __init__(self, new_id):
        self._new_id = new_id
        self.tenant_id = new_id()
        self.user = {
            "id": new_id(), "displayName": USER_NAME, "givenName": "Ada", "surname": "Lovelace",
            "userPrincipalName": USER_UPN, "mail": USER_UPN, "businessPhones": [], "jobTitle": None,
            "mobilePhone": None, "officeLocation": None, "preferredLanguage": None}
        self.organization = {
            "id": self.tenant_id, "displayName": "Contoso (emulated)", "tenantType": "AAD",
            "verifiedDomains": [{"name": DOMAIN, "isDefault": True, "isInitial": True, "type": "Managed",
                                 "capabilities": "Email, OfficeCommunicationsOnline"}]}
        self.apps = {}            # object id -> application record
        self.deleted_apps = {}    # object id -> soft-deleted application record (kept 30 days in Entra ID)
        self.sps = {}             # object id -> service principal record
        self.external_apps = {}   # appId -> {appId, displayName, signInAudience}: multi-tenant apps of other tenants

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

    def add_external_application(self, app_id, display_name, sign_in_audience="AzureADMultipleOrgs"):
        self.external_apps[app_id.lower()] = {"appId": app_id, "displayName": display_name,
                                              "signInAudience": sign_in_audience}
        return dict(self.external_apps[app_id.lower()])

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
        record = {
            "id": self._new_id(), "deletedDateTime": None, "accountEnabled": True, "alternativeNames": [],
            "appDisplayName": app["displayName"], "appDescription": None, "appId": app["appId"],
            "applicationTemplateId": None,
            "appOwnerOrganizationId": self.tenant_id if app["appId"].lower() not in self.external_apps else None,
            "appRoleAssignmentRequired": False, "createdDateTime": iso(digits=0), "description": None,
            "disabledByMicrosoftStatus": None, "displayName": app["displayName"], "homepage": None,
            "loginUrl": None, "logoutUrl": None, "notes": None, "notificationEmailAddresses": [],
            "preferredSingleSignOnMode": None, "preferredTokenSigningKeyThumbprint": None, "replyUrls": [],
            "servicePrincipalNames": [app["appId"]], "servicePrincipalType": "Application",
            "signInAudience": app.get("signInAudience", "AzureADMyOrg"), "tags": [],
            "tokenEncryptionKeyId": None, "samlSingleSignOnSettings": None, "addIns": [], "appRoles": [],
            "info": {"logoUrl": None, "marketingUrl": None, "privacyStatementUrl": None, "supportUrl": None,
                     "termsOfServiceUrl": None},
            "keyCredentials": [], "oauth2PermissionScopes": [], "passwordCredentials": [],
            "resourceSpecificApplicationPermissions": [],
            "verifiedPublisher": {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
            "_visible_at": time.monotonic() + visible_after, "_listed_at": time.monotonic() + listed_after}
        self.sps[record["id"]] = record
        return record

    def sp_by_app_id(self, app_id):
        return next((s for s in self.sps.values() if s["appId"].lower() == app_id.lower()), None)

    def backing_app(self, app_id):
        """The application an SP for app_id would be created from: a visible local app or an external one."""
        return self.app_by_app_id(app_id) or self.external_apps.get(app_id.lower())

    # ---- principals as ARM sees them --------------------------------------------------------------------
    def principal_known_to_arm(self, principal_id):
        if principal_id.lower() == self.user["id"]:
            return True
        sp = self.sps.get(principal_id.lower())
        return bool(sp) and self.is_visible(sp)

    def directory_object(self, object_id):
        """Any object by id with its @odata.type (for directoryObjects/getByIds)."""
        object_id = object_id.lower()
        if object_id == self.user["id"]:
            return dict(self.user, **{"@odata.type": "#microsoft.graph.user"})
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
