"""Built-in Azure role definitions the emulator knows (real names, GUIDs and permissions)."""
BLOB = "Microsoft.Storage/storageAccounts/blobServices"
CONTRIBUTOR_NOT_ACTIONS = [
    "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
    "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
    "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
    "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
    "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action",
    "Microsoft.Subscription/enable/action"]

# name, GUID, description, actions, notActions, dataActions
BUILT_INS = [
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
     "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
     ["*"], [], []),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c",
     "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, "
     "manage assignments in Azure Blueprints, or share image galleries.", ["*"], CONTRIBUTOR_NOT_ACTIONS, []),
    ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7",
     "View all resources, but does not allow you to make any changes.", ["*/read"], [], []),
    ("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
     "Lets you manage user access to Azure resources.",
     ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], [], []),
    ("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
     "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to "
     "manage access using other ways, such as Azure Policy.",
     ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete",
      "*/read", "Microsoft.Support/*"], [], []),
    ("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
     "Allows for read, write and delete access to Azure Storage blob containers and data",
     [f"{BLOB}/containers/delete", f"{BLOB}/containers/read", f"{BLOB}/containers/write",
      f"{BLOB}/generateUserDelegationKey/action"], [],
     [f"{BLOB}/containers/blobs/delete", f"{BLOB}/containers/blobs/read", f"{BLOB}/containers/blobs/write",
      f"{BLOB}/containers/blobs/move/action", f"{BLOB}/containers/blobs/add/action"]),
    ("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
     "Allows for read access to Azure Storage blob containers and data",
     [f"{BLOB}/containers/read", f"{BLOB}/generateUserDelegationKey/action"], [],
     [f"{BLOB}/containers/blobs/read"]),
    ("Storage Blob Delegator", "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
     "Allows for generation of a user delegation key which can be used to sign SAS tokens",
     [f"{BLOB}/generateUserDelegationKey/action"], [], []),
]

BY_GUID = {guid: (name, guid, desc, actions, not_actions, data_actions)
           for name, guid, desc, actions, not_actions, data_actions in BUILT_INS}


def by_name(role_name):
    return next((r for r in BUILT_INS if r[0].lower() == role_name.lower()), None)


def name_of(role_definition_id):
    role = BY_GUID.get(role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower())
    return role[0] if role else None


def definition(role, subscription_id):
    name, guid, desc, actions, not_actions, data_actions = role
    return {"id": f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            "name": guid, "type": "Microsoft.Authorization/roleDefinitions",
            "properties": {"roleName": name, "type": "BuiltInRole", "description": desc, "assignableScopes": ["/"],
                           "permissions": [{"actions": actions, "notActions": not_actions,
                                            "dataActions": data_actions, "notDataActions": []}],
                           "createdOn": "2015-02-02T21:55:09.8806423Z", "updatedOn": "2024-04-01T15:00:00.0000000Z",
                           "createdBy": None, "updatedBy": None}}
