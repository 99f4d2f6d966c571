# --------------------------------------------------------------------------------------------
# What az deeplake tells the user when something is wrong or odd: az errors that say what to do,
# and warnings. Kept together so the wording stays consistent.
# --------------------------------------------------------------------------------------------

APP_RIGHTS = ("the tenant setting 'Users can register applications' (Microsoft Entra ID > User settings) or "
              "one of the roles Application Developer, Application Administrator or Cloud Application Administrator")
ASSIGN_ROLES = 'Microsoft.Authorization/roleAssignments/write'
DELETE_ROLES = 'Microsoft.Authorization/roleAssignments/delete'
_VERBS = {ASSIGN_ROLES: ('assign roles', 'grant'), DELETE_ROLES: ('remove role assignments', 'remove')}
WRITE_BLOB_SERVICE = 'Microsoft.Storage/storageAccounts/blobServices/write'
APP_ADMIN_ROLES = 'Application Administrator or Cloud Application Administrator'
ROLES_THAT_ASSIGN = 'Owner, User Access Administrator or Role Based Access Control Administrator'
NOTHING_CHANGED = ' Nothing was changed.'
RERUN = ' Run the same command again to finish: it reuses what was already created.'


# ---- errors -----------------------------------------------------------------------------

def graph_failure(ex, doing, tenant_id, nothing_changed=True):
    """An az error for a GraphError raised while trying to do something ('register an application', ...)."""
    from azure.cli.core.azclierror import AzureResponseError, ForbiddenError
    if ex.status == 403:
        return ForbiddenError(
            f"Microsoft Graph did not let you {doing} in tenant '{tenant_id}': {ex.message} This needs {APP_RIGHTS}. "
            f"Ask an administrator for one of them, then run this command again."
            f"{NOTHING_CHANGED if nothing_changed else ''}")
    return AzureResponseError(f"Microsoft Graph could not {doing} (HTTP {ex.status} {ex.code or ''}): {ex.message}"
                              f"{NOTHING_CHANGED if nothing_changed else RERUN}")


def cannot_assign_roles(scope, azure_message=None, action=ASSIGN_ROLES):
    """Found by the preflight check (before any change), or raised by Azure with its own message."""
    from azure.cli.core.azclierror import ForbiddenError
    said = f' Azure said: {azure_message}' if azure_message else ''
    return ForbiddenError(
        f"You may not {_VERBS[action][0]} at '{scope}' ({action} is missing). Ask someone with {ROLES_THAT_ASSIGN} "
        f"on the storage account (or above) to run this command, or to grant you one of those roles.{said}"
        f"{RERUN if azure_message else NOTHING_CHANGED}")


def condition_refuses(scope, roles, allowed_role_ids, action=ASSIGN_ROLES):
    """The caller may assign roles only under an ABAC condition that leaves out roles Deep Lake needs."""
    from azure.cli.core.azclierror import ForbiddenError
    from .deeplake import role_name
    allowed = ', '.join(role_name(r) for r in allowed_role_ids) or 'no role we could read'
    return ForbiddenError(
        f"You may {_VERBS[action][0]} at '{scope}' only under a condition that does not allow {' and '.join(roles)} "
        f"(it allows: {allowed}). Ask an administrator to add {' and '.join(roles)} to the roles your Role Based "
        f"Access Control Administrator assignment covers, or someone with {ROLES_THAT_ASSIGN} without such a "
        f"condition to run this command.{NOTHING_CHANGED}")


def condition_unknown(scope, roles, action=ASSIGN_ROLES):
    return (f"Your right to {_VERBS[action][0]} at '{scope}' comes with a condition that az deeplake cannot "
            f"evaluate, so it cannot tell whether you may {_VERBS[action][1]} {' and '.join(roles)}. Continuing: if "
            "Azure refuses, ask an administrator to allow these roles for service principals in that condition.")


def cannot_change_cors(account, removing=False):
    from azure.cli.core.azclierror import ForbiddenError
    instead = ('or leave CORS alone with --skip-cors and remove the rule later' if removing else
               'or run this command with --skip-cors and add the rule later')
    return ForbiddenError(
        f"You may not change the CORS rules of storage account '{account.name}' ({WRITE_BLOB_SERVICE} is missing). "
        f"Storage Account Contributor, Contributor or Owner on the account can; {instead}.{NOTHING_CHANGED}")


def role_differs(account, grant, held_role):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"Deep Lake's principal already holds {held_role} at '{grant.scope}', granted by az deeplake, and you asked "
        f"for {grant.role}. az deeplake never widens or narrows access silently: run az deeplake unfederate "
        f"--account {account.name} (with the same --container), then federate again with the role you want."
        f"{NOTHING_CHANGED}")


def application_not_ours(app):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"Application '{app['displayName']}' (client ID {app['appId']}) was not created by az deeplake, so "
        f"--delete-app leaves it alone. Run the command without --delete-app, and delete the application yourself "
        f"if you are sure (az ad app delete --id {app['appId']}).{NOTHING_CHANGED}")


def application_still_used(app, scopes):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"Application '{app['displayName']}' still has az deeplake role assignments (in the subscriptions you can "
        f"read) at: {'; '.join(scopes)}. Deleting it would leave them pointing at a deleted identity. Unfederate "
        f"those accounts or containers first, or run this command without --delete-app.{NOTHING_CHANGED}")


def consent_required(app_id, tenant_id, authority, azure_message):
    """The caller may not install Deep Lake's multi-tenant application in this tenant. The least an administrator
    can do is install its service principal; admin consent grants every API permission the application requests."""
    from azure.cli.core.azclierror import ForbiddenError
    return ForbiddenError(
        f"You may not install Deep Lake's application {app_id} in tenant '{tenant_id}': {azure_message} "
        f"Installing it needs {APP_ADMIN_ROLES} or Global Administrator. Ask an administrator to install only its "
        f"service principal: az ad sp create --id {app_id} (or to run this same command), and then run this command "
        f"again. Alternatively an administrator can open {authority}/{tenant_id}/adminconsent?client_id={app_id} "
        "but that consents, for the whole tenant, to every API permission the application requests, which Deep Lake "
        f"does not need for storage.{NOTHING_CHANGED}")


def unknown_deeplake_app(app_id):
    from azure.cli.core.azclierror import InvalidArgumentValueError
    return InvalidArgumentValueError(
        f"'{app_id}' is not the ID of an application Microsoft Entra ID knows. Copy the application ID again from "
        f"Deep Lake's \"Connect Azure Storage\" wizard and pass it to --deeplake-app-id.{NOTHING_CHANGED}")


def principal_not_ours(app_id, principal):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"The service principal of Deep Lake's application {app_id} (object ID {principal['id']}) was not created by "
        "az deeplake, so --delete-app leaves it alone. Run the command without --delete-app, and delete it yourself "
        f"if you are sure (az ad sp delete --id {principal['id']}).{NOTHING_CHANGED}")


def principal_still_used(app_id, scopes):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"The service principal of Deep Lake's application {app_id} still has az deeplake role assignments (in the "
        f"subscriptions you can read) at: {'; '.join(scopes)}. Unfederate those accounts or containers first, or run "
        f"this command without --delete-app.{NOTHING_CHANGED}")


def not_ready(message):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(message + '.' + NOTHING_CHANGED)


def account_not_found(name, subscription_id, resource_group=None):
    from azure.cli.core.azclierror import ResourceNotFoundError
    where = f"subscription '{subscription_id}'"
    if resource_group:
        where = f"resource group '{resource_group}' of " + where
    return ResourceNotFoundError(
        f"Storage account '{name}' was not found in {where}. Check the name (az storage account list -o table), "
        "or choose the subscription with --subscription.")


def container_not_found(containers, account):
    from azure.cli.core.azclierror import ResourceNotFoundError
    names = ', '.join(f"'{c}'" for c in containers)
    return ResourceNotFoundError(
        f"Container {names} does not exist in storage account '{account.name}'. Check the name "
        f"(az storage container list --account-name {account.name} --auth-mode login -o table), create it, or "
        "leave out --container to grant access to the whole account.")


def several_applications(app_name, apps):
    from azure.cli.core.azclierror import ValidationError
    client_ids = ', '.join(sorted(a['appId'] for a in apps))
    return ValidationError(
        f"{len(apps)} applications are named '{app_name}' (client IDs: {client_ids}). Pass --app-name with a name "
        "that only one application has, or delete the extra ones.")


def credential_conflict(app, credential, differences):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"Application '{app['displayName']}' already has a federated credential '{credential.get('name')}' that "
        f"does not match Deep Lake: {'; '.join(differences)}. It was left unchanged: az deeplake never changes an "
        "existing trust. Either fix or delete it yourself (az ad app federated-credential delete --id "
        f"{app['appId']} --federated-credential-id {credential.get('id') or credential.get('name')}), or pass "
        "--credential-name with another name.")


def not_an_owner(app, doing, azure_message):
    """A refusal to read or change an existing application: Entra ID lets only its owners and administrators."""
    from azure.cli.core.azclierror import ForbiddenError
    return ForbiddenError(
        f"Microsoft Graph did not let you {doing} application '{app['displayName']}' (client ID {app['appId']}): "
        f"{azure_message} Only the application's owners and holders of {APP_ADMIN_ROLES} may. Ask an owner to add "
        f"you (az ad app owner add --id {app['appId']} --owner-object-id <your object ID>), ask an administrator "
        "to run this command, or pass --app-name to use an application of your own.")


def credential_refused(app, ex):
    """Graph refused the federated credential itself (an invalid value, or the application's limit reached)."""
    from azure.cli.core.azclierror import AzureResponseError
    return AzureResponseError(
        f"Microsoft Graph refused the federated credential for application '{app['displayName']}' (HTTP {ex.status} "
        f"{ex.code or ''}): {ex.message} Check --issuer, --subject and --audience (leave them out for Deep Lake's "
        "values). If the application has 20 federated credentials, remove one it no longer needs (az ad app "
        f"federated-credential list --id {app['appId']}).{RERUN}")


def too_many_credentials(app_name, limit):
    from azure.cli.core.azclierror import ValidationError
    return ValidationError(
        f"Application '{app_name}' already has {limit} federated credentials, the most Microsoft Entra ID allows. "
        "Remove one it no longer needs (az ad app federated-credential delete), then run this command again.")


def cannot_read_assignments(account):
    from azure.cli.core.azclierror import ForbiddenError
    return ForbiddenError(
        f"You may not read the role assignments in subscription '{account.subscription_id}' of storage account "
        f"'{account.name}' (Microsoft.Authorization/roleAssignments/read is missing). Reader on the account or above "
        f"grants it.{NOTHING_CHANGED}")


def not_deep_lakes_application(reason, installed=False):
    from azure.cli.core.azclierror import ValidationError
    done = (" az deeplake installed its service principal and granted nothing; remove it with az deeplake unfederate "
            "--account <account> --deeplake-app-id <ID> --delete-app --yes." if installed else NOTHING_CHANGED)
    return ValidationError(f"{reason} Copy the application ID again from Deep Lake's \"Connect Azure Storage\" "
                           f"wizard and pass it to --deeplake-app-id.{done}")


# ---- whose application, who can act as it, what it holds -------------------------------

def local_application(app_id, app):
    return (f"{app_id} is application '{app.get('displayName')}' registered in your own tenant, not Deep Lake's: "
            "Deep Lake's application is published by Activeloop's tenant.")


def not_an_application(app_id, principal):
    return (f"{app_id} belongs to a service principal of type {principal.get('servicePrincipalType')} "
            f"('{principal.get('displayName')}'), not to an application another tenant publishes, as Deep Lake's "
            "is.")


def not_published_elsewhere(app_id, principal, tenant_id):
    owner = principal.get('appOwnerOrganizationId')
    whose = ('your own tenant' if (owner or '').lower() == tenant_id.lower() else
             'no tenant' if not owner else f"Microsoft's tenant {owner}")
    return (f"{app_id} ('{principal.get('appDisplayName') or principal.get('displayName')}') is an application of "
            f"{whose}, not one that Activeloop publishes.")


def publisher_summary(app_id, publisher):
    if not publisher.get('appOwnerOrganizationId'):
        return (f"Deep Lake's application {app_id} is not installed in this tenant yet: whose it is (publisher, "
                "owning tenant) shows once it is, and is checked before any role is granted.")
    verified = publisher['verifiedPublisher'].get('displayName') or 'none'
    return (f"Application {app_id} is published by {publisher.get('publisherName') or 'an unnamed publisher'} "
            f"(tenant {publisher['appOwnerOrganizationId']}; verified publisher: {verified}; type "
            f"{publisher.get('servicePrincipalType')}). Compare this with what Deep Lake's wizard shows.")


def custom_trust(trust):
    from .deeplake import Trust
    published = Trust()
    return (f"The federated credential would trust issuer {trust.issuer}, subject {trust.subject} (audience "
            f"{trust.audience}), not the identity Activeloop publishes for Deep Lake (issuer {published.issuer}, "
            f"subject {published.subject}, audience {published.audience}). Whoever signs in as that identity gets the "
            "storage access. Go on only if Activeloop gave you these values.")


def others_can_act(plan, found):
    from .findings import line
    return (f"Someone other than Deep Lake can act as {_identity_noun(plan)}, so storage access granted to it would "
            "be theirs too:\n" + '\n'.join(line(f) for f in found) + "\nRemove them (the commands above), or let "
            "federate create a dedicated application with --app-name <new name>. Co-owners you trust can be accepted "
            "with --accept-owner <user principal name or object ID>; secrets, certificates and other federated "
            "credentials never can")


def only_deeplake_can_act(plan):
    if plan.application_status in ('missing', 'created') or not (plan.application or plan.service_principal):
        return f'az deeplake creates {_identity_noun(plan)}: only Deep Lake will be able to act as it.'
    return (f'Only Deep Lake can act as {_identity_noun(plan)}: no secret, certificate, other federated credential '
            'or other owner.')


def holds_other_access(plan, found):
    from .findings import line
    return (f"The service principal of {_identity_noun(plan)} already holds access that az deeplake did not grant, "
            "and Deep Lake would get it too:\n" + '\n'.join(line(f) for f in found) + "\nRemove it (the commands "
            "above), or use a dedicated application: federate's default name, deeplake-<account>, is one")


def holds_only_this_access(plan):
    if not plan.service_principal:
        return f'{_identity_noun(plan).capitalize()} has no service principal yet: it holds nothing.'
    return (f"The service principal of {_identity_noun(plan)} holds nothing but what az deeplake granted (in the "
            "subscriptions you can read).")


def could_not_check(what):
    return f'az deeplake could not read {what}, so it cannot tell who else can act as Deep Lake or what it holds'


def not_an_owner_to_accept(value):
    return f"--accept-owner {value}: no such owner of the application or its service principal; nothing accepted."


def subscriptions_unlisted(azure_message):
    return (f"Could not list your subscriptions ({azure_message}): role assignments were read in the storage "
            "account's subscription only.")


def subscription_unreadable(subscription):
    return (f"Could not read the role assignments in subscription '{subscription.get('displayName') or ''}' "
            f"({subscription['id']}): {subscription.get('reason') or 'access denied'}. az deeplake assignments there, "
            "if any, were not checked.")


def _identity_noun(plan):
    app = plan.application or {}
    if plan.request.deeplake_app_id:
        return f"Deep Lake's application {plan.request.deeplake_app_id}"
    return f"application '{app.get('displayName') or plan.request.app_name}'" + \
        (f" (client ID {app['appId']})" if app.get('appId') else '')


# ---- warnings ---------------------------------------------------------------------------

def foreign_application(app):
    return (f"Using the existing application '{app['displayName']}' (client ID {app['appId']}), which az deeplake "
            "did not create.")


def cors_limit(account, limit, origins):
    listed = ', '.join(origins)
    return (f"The blob service of '{account.name}' already has {limit} CORS rules, the most Azure allows, and they "
            f"do not let {listed} read. CORS was left unchanged, so the Deep Lake app cannot preview this data. Add "
            f"{listed} to the allowed origins (with GET and HEAD) of one of the rules, or remove a rule and run "
            f"this command again: see az storage account blob-service-properties cors-rule list -n {account.name} "
            f"-g {account.resource_group}.")
