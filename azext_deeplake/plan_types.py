# --------------------------------------------------------------------------------------------
# The plans' data: what exists, what federate must change or unfederate may remove, and why.
# plan.py fills a Plan from Azure's answers, removal.py decides a RemovalPlan, apply.py acts on
# either, report.py describes them.
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass, field
from typing import Any, List, Optional

from . import deeplake, readiness
from .status import CREATED, MISSING, PRESENT, REMOVED, SATISFIED, SKIPPED


@dataclass(frozen=True)
class Change:
    """One write: a verb, what it acts on, and for a role assignment its scope."""
    verb: str
    what: str
    scope: Optional[str] = None

    def sentence(self, scope=None):
        """'assign Storage Blob Data Contributor at <scope>' (scope: a shorter form to show instead)."""
        return f'{self.verb} {self.what}' + (f' at {scope or self.scope}' if self.scope else '')

    def noun(self, scope=None):
        """The same without its verb, for a list headed by one ('Removed:')."""
        return self.what + (f' at {scope or self.scope}' if self.scope else '')


@dataclass
class AssignmentPlan:
    grant: deeplake.Grant
    status: str = MISSING
    name: Optional[str] = None
    reason: Optional[str] = None  # why it differs, or why unfederate keeps it


@dataclass
class Plan:  # pylint: disable=too-many-instance-attributes
    request: deeplake.Request
    tenant_id: str
    identity: Any = None  # identity.OwnApplication or identity.DeepLakeApplication
    account: Optional[Any] = None  # storage.Account
    application: Optional[dict] = None
    application_status: str = MISSING
    unique_name: Optional[str] = None  # the application key the plan read (our own application)
    credential: Optional[dict] = None
    credential_status: str = MISSING
    credential_differences: List[str] = field(default_factory=list)
    credential_count: int = 0
    service_principal: Optional[dict] = None
    service_principal_status: str = MISSING
    assignments: List[AssignmentPlan] = field(default_factory=list)
    cors_status: str = SKIPPED
    cors_rules: List[dict] = field(default_factory=list)
    blob_service: Optional[object] = None  # the blob service properties as read, written back with CORS changed
    reasons: dict = field(default_factory=dict)  # piece ('application', 'cors', ...) -> why it is kept
    checks: List[dict] = field(default_factory=list)  # readiness.checks and the identity's: can Deep Lake reach it?
    accepted_owners: List[dict] = field(default_factory=list)  # owners the caller accepted (--accept-owner)
    blockers: list = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def complete(self):
        statuses = [self.application_status, self.credential_status, self.service_principal_status]
        statuses += [a.status for a in self.assignments]
        return all(s in SATISFIED for s in statuses) and self.cors_status in (PRESENT, CREATED, SKIPPED)

    @property
    def ready(self):
        """Complete, and nothing keeps Deep Lake out or lets anyone else in."""
        return self.complete and not readiness.blockers(self.checks)

    @property
    def changes(self):
        """The writes federate makes (or made), in order."""
        todo = self.identity.changes(self)
        for assignment in self.assignments:
            if assignment.status in (MISSING, CREATED):
                todo.append(Change('assign', assignment.grant.role, assignment.grant.scope))
        if self.cors_status in (MISSING, CREATED):
            todo.append(Change('add', f"a CORS rule for {', '.join(self.request.cors_origins)}"))
        return todo


@dataclass
class RemovalPlan(Plan):
    @property
    def complete(self):
        """Everything that was to go is gone."""
        statuses = [self.application_status, self.service_principal_status, self.cors_status]
        statuses += [a.status for a in self.assignments]
        return PRESENT not in statuses

    @property
    def changes(self):
        """The removals unfederate makes (or made), in order."""
        todo = [Change('remove', a.grant.role, a.grant.scope) for a in self.assignments
                if a.status in (PRESENT, REMOVED)]
        if self.cors_status in (PRESENT, REMOVED):
            todo.append(Change('remove', f"the CORS rule for {', '.join(self.request.cors_origins)}"))
        return todo + self.identity.removal_changes(self)
