"""The signed-in user's own role assignments. They are derived from the knobs each time they are asked for, so
they follow the knobs: Owner at every subscription by default; Contributor plus Role Based Access Control
Administrator under the ABAC condition of knob role_assignment_condition; Contributor alone when
arm.roleAssignments.write is denied. They are not part of snapshot()['roleAssignments']."""
import uuid

from . import roles
from .resources import role_assignment

RA_WRITE_RIGHT = "arm.roleAssignments.write"
RBAC_ADMINISTRATOR = "Role Based Access Control Administrator"
GRANTED_ON = "2024-01-15T09:30:00.0000000Z"  # a fixed time: the grants predate everything the tests make


def granted_roles(knobs):
    """[(role name, ABAC condition or None)] the user holds at each subscription."""
    if knobs.is_denied(RA_WRITE_RIGHT):
        return [("Contributor", None)]
    if knobs.role_assignment_condition:
        return [("Contributor", None), (RBAC_ADMINISTRATOR, knobs.role_assignment_condition)]
    return [("Owner", None)]


def user_role_assignments(state, knobs):
    user_id = state.user["id"]
    found = []
    for subscription_id in state.resources.subscriptions:
        for role_name, condition in granted_roles(knobs):
            role = roles.by_name(role_name)
            name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{subscription_id}/{role[1]}/{user_id}"))
            found.append(role_assignment(f"/subscriptions/{subscription_id}", name,
                                         roles.definition(role, subscription_id)["id"], user_id, "User", None,
                                         condition=condition, created_on=GRANTED_ON))
    return found
