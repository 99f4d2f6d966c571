# --------------------------------------------------------------------------------------------
# Help text for az deeplake.
# --------------------------------------------------------------------------------------------

from knack.help_files import helps  # pylint: disable=unused-import

helps['deeplake'] = """
type: group
short-summary: Let Deep Lake (Activeloop) read and write datasets in your Azure Blob Storage.
long-summary: >
    Deep Lake signs in to your tenant through a Microsoft Entra application that trusts Activeloop's identity
    (a federated credential, so no secret exists anywhere), and reads your data with storage roles granted to
    that application. These commands set that up, or show it.
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
    Administrator or Role Based Access Control Administrator on the storage account.
examples:
  - name: Give Deep Lake access to a whole storage account.
    text: az deeplake federate --account mystorage
  - name: Give Deep Lake access to one container only.
    text: az deeplake federate --account mystorage --container datasets
  - name: Preview what would be created, without changing anything.
    text: az deeplake federate --account mystorage --container datasets --dry-run
  - name: Use a storage account in another subscription, by resource ID, and print a summary table.
    text: >
        az deeplake federate --account /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/mystorage -o table
  - name: Print only the values to enter in the Deep Lake app.
    text: az deeplake federate --account mystorage --query deepLake
"""

helps['deeplake show'] = """
type: command
short-summary: Show whether Deep Lake access to a storage account or container is complete, without changing anything.
long-summary: >
    Reports each piece that az deeplake federate sets up as present, missing or different, and whether Deep
    Lake access is complete.
examples:
  - name: Check the federation of a whole storage account.
    text: az deeplake show --account mystorage -o table
  - name: Check the federation of one container and print only whether it is complete.
    text: az deeplake show --account mystorage --container datasets --query complete
"""
