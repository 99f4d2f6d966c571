# --------------------------------------------------------------------------------------------
# Help text for az deeplake.
# --------------------------------------------------------------------------------------------

from knack.help_files import helps  # pylint: disable=unused-import

helps['deeplake'] = """
type: group
short-summary: Let Deep Lake (Activeloop) read and write datasets in your Azure Blob Storage.
long-summary: >
    Deep Lake signs in to your tenant through a Microsoft Entra application that trusts Activeloop's identity
    (a federated credential, so no secret exists anywhere), or through the service principal of Deep Lake's own
    multi-tenant application (--deeplake-app-id, Deep Lake's "Connect Azure Storage" wizard), and reads your data
    with storage roles granted to it. These commands set that up, show it, check that Deep Lake can reach the
    account, and remove it again.
"""

helps['deeplake federate'] = """
type: command
short-summary: Set up Deep Lake access to a storage account or one container, in one idempotent step.
long-summary: >
    Creates (or reuses) the application `deeplake-<account>` with Deep Lake's federated credential and its
    service principal, grants Storage Blob Data Contributor on the account (or on the container, plus Storage
    Blob Delegator on the account), and adds a CORS rule for https://app.activeloop.ai to the blob service,
    keeping every existing rule. Running it again changes nothing that is already right; it never changes or
    deletes an object it did not create. You need permission to register applications and Owner, User Access
    Administrator or Role Based Access Control Administrator on the storage account. With --deeplake-app-id it
    installs the service principal of Deep Lake's own application instead (no registration, no credential), after
    checking that the ID names an application another tenant publishes. Before any write it checks that only Deep
    Lake can act as the identity (no secret, certificate, other federated credential or other owner on the
    application or its service principal) and that the principal holds nothing az deeplake did not grant (Azure
    roles in any subscription you can read, Microsoft Graph application permissions, directory roles), and stops
    with what it found and the commands that remove it. A federated credential for other values than Activeloop's
    published issuer, subject and audience is named and needs confirmation (--yes without a terminal). It reports
    readiness checks and stops before any write when the account cannot serve Deep Lake at all.
examples:
  - name: Give Deep Lake access to a whole storage account.
    text: az deeplake federate --account mystorage
  - name: Give Deep Lake access to one container only.
    text: az deeplake federate --account mystorage --container datasets
  - name: Give Deep Lake read-only access to two containers.
    text: az deeplake federate --account mystorage --container datasets models --role reader
  - name: Preview what would be created, without changing anything.
    text: az deeplake federate --account mystorage --container datasets --dry-run
  - name: Use a storage account in another subscription, by resource ID, and print a summary table.
    text: >
        az deeplake federate --account /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/mystorage -o table
  - name: Print only the values to enter in the Deep Lake app.
    text: az deeplake federate --account mystorage --query deepLake
  - name: Deep Lake's "Connect Azure Storage" wizard, with the application ID it shows (no app registration needed).
    text: az deeplake federate --account mystorage --container datasets --deeplake-app-id 00000000-0000-0000-0000-000000000000
  - name: Also allow the Deep Lake web app from another origin.
    text: az deeplake federate --account mystorage --cors-origin https://app.activeloop.ai https://deeplake.example.com
  - name: Reuse an application that a trusted colleague co-owns.
    text: az deeplake federate --account mystorage --app-name deeplake-team --accept-owner alex@contoso.com
  - name: Trust a new Deep Lake identity that Activeloop published (asks for confirmation, or pass --yes).
    text: az deeplake federate --account mystorage --subject us-east-1:00000000-0000-0000-0000-000000000000 --yes
"""

helps['deeplake show'] = """
type: command
short-summary: Show whether Deep Lake access to a storage account or container is complete, without changing anything.
long-summary: >
    Reports each piece that az deeplake federate sets up as present, missing or different, and whether Deep
    Lake access is complete. After a partial az deeplake unfederate, the removed pieces show as missing. Its
    readiness checks tell whether Deep Lake can actually reach the account (public network access, firewall,
    blob service, CORS support, hierarchical namespace, blob endpoint), each with the fix as a command, and
    whether anyone other than Deep Lake can act as its identity or the identity holds other access (onlyDeepLake,
    onlyThisAccess); `ready` is true when access is complete and nothing blocks it.
examples:
  - name: Check the federation of a whole storage account.
    text: az deeplake show --account mystorage -o table
  - name: Check the federation of one container and print only whether it is complete.
    text: az deeplake show --account mystorage --container datasets --query complete
  - name: Check that Deep Lake has read-only access to two containers.
    text: az deeplake show --account mystorage -c datasets models --role reader -o table
  - name: Check whether Deep Lake can reach the account at all (firewall, public access, endpoints).
    text: az deeplake show --account mystorage --query "{ready:ready, problems:checks[?status!='ok']}"
  - name: Check the access of Deep Lake's own application (the wizard flow).
    text: az deeplake show --account mystorage --deeplake-app-id 00000000-0000-0000-0000-000000000000 -o table
"""

helps['deeplake unfederate'] = """
type: command
short-summary: Remove Deep Lake access that az deeplake federate granted, and nothing else.
long-summary: >
    Removes the role assignments that az deeplake made for Deep Lake's service principal on the account (or, with
    --container, on those containers; Storage Blob Delegator goes when no container access remains), then Deep
    Lake's CORS rule when nothing of az deeplake remains on the account (every other rule stays exactly as it is),
    then, with --delete-app, the application, once its principal holds no az deeplake role assignment in any
    subscription you can read (a subscription you cannot read is named in a warning). Anything az deeplake did
    not make is kept. Removing access is never blocked by who else can act as the identity: the output reports it. It lists the removals and
    asks first, unless --yes is given; without a terminal and without --yes it removes nothing. Running it again
    finds everything absent. A deleted application can be restored for 30 days from Microsoft Entra ID > App
    registrations > Deleted applications.
examples:
  - name: Remove Deep Lake's access to a storage account, keeping the application (and its client ID) for later.
    text: az deeplake unfederate --account mystorage --yes
  - name: Remove Deep Lake's access to one of its containers only.
    text: az deeplake unfederate --account mystorage --container models --yes
  - name: See what would be removed, without removing anything.
    text: az deeplake unfederate --account mystorage --delete-app --dry-run
  - name: Remove everything, the application included, and print a summary table.
    text: az deeplake unfederate --account mystorage --delete-app --yes -o table
  - name: Remove the access of Deep Lake's own application, and its service principal in your tenant.
    text: az deeplake unfederate --account mystorage --deeplake-app-id 00000000-0000-0000-0000-000000000000 --delete-app --yes
  - name: Remove the CORS rule added for another origin too.
    text: az deeplake unfederate --account mystorage --cors-origin https://app.activeloop.ai https://deeplake.example.com --yes
"""
