"""Microsoft Entra built-in directory roles the emulator knows: display name -> (roleTemplateId, description),
with their real template ids."""
import uuid

TEMPLATES = {
    "Global Administrator": ("62e90394-69f5-4237-9190-012177145e10",
                             "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft "
                             "Entra identities."),
    "Global Reader": ("f2ef992c-3afb-46b9-b7cf-a126ee74c451",
                      "Can read everything that a Global Administrator can, but not update anything."),
    "Application Administrator": ("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
                                  "Can create and manage all aspects of app registrations and enterprise apps."),
    "Cloud Application Administrator": ("158c047a-c907-4556-b7ef-446551a6b5f7",
                                        "Can create and manage all aspects of app registrations and enterprise apps "
                                        "except App Proxy."),
    "Privileged Role Administrator": ("e8611ab8-c189-46e8-94e1-60213ab1f814",
                                      "Can manage role assignments in Microsoft Entra ID, and all aspects of "
                                      "Privileged Identity Management."),
    "Directory Readers": ("88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
                          "Can read basic directory information. Commonly used to grant directory read access to "
                          "applications and guests."),
}


def activated(role_display_name, tenant_id):
    """The directoryRole object of a template as activated in a tenant (its id is the tenant's own)."""
    found = next((name for name in TEMPLATES if name.lower() == role_display_name.lower()), None)
    if found is None:
        raise KeyError(f"unknown directory role {role_display_name!r}; known: {sorted(TEMPLATES)}")
    template_id, description = TEMPLATES[found]
    return {"@odata.type": "#microsoft.graph.directoryRole",
            "id": str(uuid.uuid5(uuid.UUID(tenant_id), template_id)), "deletedDateTime": None,
            "description": description, "displayName": found, "roleTemplateId": template_id}
