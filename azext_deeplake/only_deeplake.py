# --------------------------------------------------------------------------------------------
# The promise behind a federated credential, checked: only Deep Lake can act as the identity
# that gets storage access, and that identity holds nothing but what az deeplake granted.
#
#   onlyDeepLake    anyone holding a secret or certificate of the application or its service
#                   principal, matching another federated credential, or owning either (owners can
#                   add secrets) can act as it (Graph v1.0 application and servicePrincipal resources)
#   onlyThisAccess  whatever the principal already holds (Azure roles in any subscription the caller
#                   can list, Microsoft Graph application permissions, directory roles) Deep Lake
#                   would get too
#
# The reads run alongside the others that depend on the identity (plan.py); findings are readiness
# checks, and blockers for federate (unfederate only reports them).
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import findings as described_findings, messages, roles
from .graph import GraphError
from .readiness import BLOCKER, OK, WARNING

ONLY_DEEPLAKE, ONLY_THIS_ACCESS = 'onlyDeepLake', 'onlyThisAccess'


@dataclass
class Refused:
    """A read the caller may not make: the check it serves cannot tell, and says so."""
    about: str  # ONLY_DEEPLAKE or ONLY_THIS_ACCESS
    what: str
    message: str


@dataclass
class Facts:  # pylint: disable=too-many-instance-attributes
    objects: List[tuple] = field(default_factory=list)  # (kind, Graph object): 'application' / 'servicePrincipal'
    owners: Dict[str, Any] = field(default_factory=dict)  # kind -> future of the owners, or of a Refused
    app_role_assignments: Optional[Any] = None  # future
    memberships: Optional[Any] = None  # future: groups and directory roles the principal is a direct member of
    assignments: list = field(default_factory=list)  # the principal's role assignments, in every readable subscription
    unreadable: list = field(default_factory=list)  # subscriptions whose role assignments the caller may not read
    caller: Optional[str] = None  # the signed-in user's or principal's object ID
    graph_base: str = ''  # https://graph.microsoft.com/v1.0 or the current cloud's


def read(session, graph, pool, plan, subscriptions, caller):  # pylint: disable=too-many-arguments,too-many-positional-arguments
    """Start the reads; the role assignments are read (concurrently, per subscription) before this returns."""
    facts = Facts(objects=plan.identity.actors(plan), caller=caller, graph_base=graph.base)
    for kind, graph_object in facts.objects:
        facts.owners[kind] = pool.submit(_allowed, ONLY_DEEPLAKE, f'the owners of the {_NOUNS[kind]}', graph.owners,
                                         kind, graph_object['id'])
    principal = plan.service_principal
    if principal:
        facts.app_role_assignments = pool.submit(_allowed, ONLY_THIS_ACCESS, 'its Microsoft Graph application '
                                                 'permissions', graph.app_role_assignments, principal['id'])
        facts.memberships = pool.submit(_allowed, ONLY_THIS_ACCESS, 'its directory roles', graph.memberships,
                                        principal['id'])
        facts.assignments, facts.unreadable = roles.assignments_everywhere(
            session, principal['id'], _with_account_subscription(subscriptions, plan.account), pool)
        if any(s['id'].lower() == plan.account.subscription_id.lower() for s in facts.unreadable):
            raise messages.cannot_read_assignments(plan.account)
    return facts


def check(plan, facts, needed, removing=False):
    """Add the two checks to plan.checks; each finding blocks federate (not unfederate)."""
    who = _described(facts, _others_who_can_act(plan, facts, _owners(plan, facts)))
    what = _described(facts, _other_access(plan, facts, needed))
    refused = [r for r in _results(facts) if isinstance(r, Refused)]
    added = [
        _check(ONLY_DEEPLAKE, who, [r for r in refused if r.about == ONLY_DEEPLAKE],
               lambda: messages.others_can_act(plan, who), lambda: messages.only_deeplake_can_act(plan)),
        _check(ONLY_THIS_ACCESS, what, [r for r in refused if r.about == ONLY_THIS_ACCESS] + _unreadable(facts),
               lambda: messages.holds_other_access(plan, what), lambda: messages.holds_only_this_access(plan)),
    ]
    plan.checks += added
    for check_ in added:
        if check_['status'] == BLOCKER and not removing:
            plan.blockers.append(messages.not_ready(check_['message']))
        elif check_['status'] == BLOCKER or (check_['status'] == WARNING and not removing):
            plan.warnings.append(check_['message'])  # unfederate: its output's checks say what could not be read


def _check(name, found, refused, blocker, ok):
    if found:
        return {'name': name, 'status': BLOCKER, 'message': blocker(), 'findings': found}
    if refused:
        return {'name': name, 'status': WARNING, 'findings': [],
                'message': messages.could_not_check('; '.join(f'{r.what} ({r.message})' for r in refused))}
    return {'name': name, 'status': OK, 'message': ok(), 'findings': []}


def _described(facts, raw):
    return [described_findings.describe(f, facts.graph_base) for f in raw]


# ---- who else can act as the identity -------------------------------------------------------------------

def _owners(plan, facts):
    """{kind: owners other than the caller}, after taking out (and recording) the owners the caller accepted."""
    accepted = {a.lower() for a in plan.request.accepted_owners}
    found = {}
    for kind, future in facts.owners.items():
        owners = future.result()
        if isinstance(owners, Refused):
            continue
        others = [o for o in owners if (o.get('id') or '').lower() != (facts.caller or '').lower()]
        taken = [o for o in others if _owner_keys(o) & accepted]
        plan.accepted_owners += [_owner_summary(o) for o in taken if _owner_summary(o) not in plan.accepted_owners]
        found[kind] = [o for o in others if o not in taken]
    known = {k for o in plan.accepted_owners for k in _owner_keys(o)}
    plan.warnings += [messages.not_an_owner_to_accept(value) for value in plan.request.accepted_owners
                      if value.lower() not in known and facts.owners]
    return found


def _owner_keys(owner):
    return {(owner.get(k) or '').lower() for k in ('id', 'userPrincipalName') if owner.get(k)}


def _owner_summary(owner):
    return {'id': owner.get('id'), 'displayName': owner.get('displayName'),
            'userPrincipalName': owner.get('userPrincipalName')}


def _others_who_can_act(plan, facts, owners):
    findings = []
    for kind, graph_object in facts.objects:
        findings += [_finding('owner', kind, graph_object, owner) for owner in owners.get(kind, [])]
        findings += [_finding('secret', kind, graph_object, c) for c in graph_object.get('passwordCredentials') or []]
        findings += [_finding('certificate', kind, graph_object, c) for c in graph_object.get('keyCredentials') or []]
        ours = (plan.credential or {}).get('id')
        findings += [_finding('federatedCredential', kind, graph_object, c)
                     for c in graph_object.get('federatedIdentityCredentials') or [] if c.get('id') != ours or not ours]
    return findings


def _finding(what, kind, graph_object, item):
    return {'kind': what, 'on': kind, 'objectId': graph_object.get('id'), 'appId': graph_object.get('appId'),
            'item': item}


# ---- what else the principal holds ----------------------------------------------------------------------

def _other_access(plan, facts, needed):
    """Role assignments az deeplake did not make (other than one equal to a grant this request needs), Graph
    application permissions and directory roles."""
    principal = plan.service_principal or {}
    findings = [_finding('roleAssignment', 'servicePrincipal', principal, a) for a in facts.assignments
                if not roles.made_by_us(a) and not any(roles.find_equal([a], grant) for grant in needed)]
    for future, what in ((facts.app_role_assignments, 'appRoleAssignment'), (facts.memberships, 'directoryRole')):
        items = future.result() if future else []
        if isinstance(items, Refused):
            continue
        if what == 'directoryRole':
            items = [m for m in items if m.get('@odata.type') == '#microsoft.graph.directoryRole']
        findings += [_finding(what, 'servicePrincipal', principal, item) for item in items]
    return findings


# ---- reading --------------------------------------------------------------------------------------------

_NOUNS = {'application': 'application', 'servicePrincipal': 'service principal'}


def _allowed(about, what, reader, *args):
    """The reader's answer, or Refused when Graph says the caller may not make this read."""
    try:
        return reader(*args)
    except GraphError as ex:
        if ex.status != 403:
            raise messages.graph_failure(ex, 'read ' + what, '') from None
        return Refused(about, what, ex.message)


def _results(facts):
    futures = list(facts.owners.values()) + [f for f in (facts.app_role_assignments, facts.memberships) if f]
    return [f.result() for f in futures]


def _unreadable(facts):
    return [Refused(ONLY_THIS_ACCESS, f"the role assignments in subscription '{s.get('displayName') or s['id']}' "
                                      f"({s['id']})", s.get('reason', '')) for s in facts.unreadable]


def _with_account_subscription(subscriptions, account):
    """Every listed subscription, and the account's own even if the list left it out."""
    if any(s['id'].lower() == account.subscription_id.lower() for s in subscriptions):
        return subscriptions
    return [{'id': account.subscription_id, 'displayName': None}] + list(subscriptions)
