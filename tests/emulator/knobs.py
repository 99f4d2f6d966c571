"""Fault, delay and permission knobs. All are off by default; reset() turns them off again."""
# pylint: disable=too-few-public-methods,too-many-instance-attributes
import re
import threading

DEFAULT_PAGE_SIZE = 2

RIGHTS = (
    "graph.applications.read",   # application / service principal / FIC reads -> 403 Authorization_RequestDenied
    "graph.applications.write",  # creating or changing applications, FICs, service principals -> 403
    "arm.roleAssignments.write",  # role assignment PUT/DELETE -> 403 AuthorizationFailed
    "arm.blobServices.write",    # blobServices/default PUT (CORS) -> 403 AuthorizationFailed
    "graph.consent",             # installing a multi-tenant app of another tenant (SP create) -> 403; an admin
                                 # would have to consent first
    "graph.owners.read",         # owners of applications / service principals (list, $expand=owners) -> 403
    "graph.principalGrants.read",  # a service principal's appRoleAssignments and memberOf -> 403
)
FAULT_STATUSES = (500, 502, 503, 504, "drop", "lost")
# Plain value knobs, settable by attribute and through the admin API.
SETTINGS = ("latency_ms", "graph_replication_delay", "principal_replication_delay", "page_size", "graph_list_lag",
            "sp_create_forbidden_while_replicating", "non_owner_access", "blob_put_resets_omitted",
            "role_assignment_condition", "permissions_hide_conditions", "role_assignment_reads_denied")
# Each service's hosts: the public cloud's first, then the US Government cloud's. A knob's host may name the
# service ("graph", "arm", "login", "token"): it then matches every host of that service, in either cloud.
SERVICE_HOSTS = {"graph": ("graph.microsoft.com", "graph.microsoft.us"),
                 "arm": ("management.azure.com", "management.usgovcloudapi.net"),
                 "login": ("login.microsoftonline.com", "login.microsoftonline.us"), "token": ("localhost",)}


class RequestFilter:
    """Which requests a knob applies to: method, a regex searched in the path, and a host or service name."""

    def __init__(self, method=None, path_regex=None, host=None):
        self.method = method.upper() if method else None
        self.path_regex = re.compile(path_regex, re.IGNORECASE) if path_regex else None
        self.host = host.lower() if host else None

    def matches(self, request):
        if self.method and request.method != self.method:
            return False
        if self.host and self.host not in (request.host, request.service):
            return False
        return not self.path_regex or bool(self.path_regex.search(request.path))

    def describe(self):
        return {"method": self.method, "path_regex": self.path_regex.pattern if self.path_regex else None,
                "host": self.host}


class _Rule:
    """A throttle or fault rule: for the next `count` matching requests, or (periodic) for every `every`-th one.
    A periodic rule counts every matching request, also those that an earlier rule answered, and fires on its
    Nth, 2Nth, ... unless an earlier rule answers that one. `fired` counts the requests it answered."""

    def __init__(self, kind, where, count, every, **effect):
        if every is not None and int(every) < 1:
            raise ValueError("every must be a positive number of requests")
        self.kind = kind
        self.where = where
        self.every = None if every is None else int(every)
        self.remaining = None if self.every else int(count)
        self.effect = effect
        self.seen = 0
        self.fired = 0

    @property
    def value(self):
        return self.effect["status"] if self.kind == "fail" else self.effect["retry_after"]

    @property
    def active(self):
        return self.every is not None or self.remaining > 0

    @property
    def unfired(self):
        """It still waits for a request (counted), or never answered one (periodic)."""
        return self.fired == 0 if self.every else self.remaining > 0

    def due(self):
        return self.seen % self.every == 0 if self.every else self.remaining > 0

    def fire(self):
        self.fired += 1
        if not self.every:
            self.remaining -= 1

    def describe(self):
        return dict(self.where.describe(), kind=self.kind, count=self.remaining, every=self.every, fired=self.fired,
                    **self.effect)


class Knobs:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.latency_ms = 0
            self.graph_replication_delay = 0.0
            self.principal_replication_delay = 0.0
            self.page_size = DEFAULT_PAGE_SIZE
            # How real Azure may differ from the happy path (see tests/emulator/README.md):
            self.graph_list_lag = 0.0                # new apps/SPs readable by key at once, absent from lists
            self.sp_create_forbidden_while_replicating = False  # SP POST for a new app: 403, not 400
            self.non_owner_access = None             # None (caller is app admin) | "deny" | "empty": apps you do not own
            self.blob_put_resets_omitted = False     # blob service PUT resets the properties it does not send
            self.role_assignment_condition = None    # ABAC condition: role assignment write/delete only under it
            self.permissions_hide_conditions = False  # permissions answer without condition(Version), as stable APIs
            self.role_assignment_reads_denied = []   # subscription ids whose role assignment GETs answer 403
            self.denied = set()
            self._rules = []  # throttle and fault rules (_Rule), in the order they were added
            self._hooks = []

    # ---- permission denials -------------------------------------------------------------------------
    def deny(self, *rights):
        unknown = set(rights) - set(RIGHTS)
        if unknown:
            raise ValueError(f"unknown rights {sorted(unknown)}; known: {RIGHTS}")
        self.denied.update(rights)

    def allow(self, *rights):
        """Undo deny(); with no argument, allow everything."""
        if rights:
            self.denied.difference_update(rights)
        else:
            self.denied.clear()

    def is_denied(self, right):
        return right in self.denied

    def deny_role_assignment_reads(self, subscription_id):
        if subscription_id.lower() not in self.role_assignment_reads_denied:
            self.role_assignment_reads_denied = self.role_assignment_reads_denied + [subscription_id.lower()]

    def role_assignment_reads_denied_in(self, subscription_id):
        return (subscription_id or "").lower() in {s.lower() for s in self.role_assignment_reads_denied}

    # ---- throttling and transient faults ------------------------------------------------------------
    def throttle(self, method=None, path_regex=None, host=None, count=1, retry_after=1, every=None):
        self._add(_Rule("throttle", RequestFilter(method, path_regex, host), count, every, retry_after=retry_after))

    def fail(self, method=None, path_regex=None, host=None, count=1, status=503, every=None):
        if status not in FAULT_STATUSES:
            raise ValueError(f"status must be one of {FAULT_STATUSES}")
        self._add(_Rule("fail", RequestFilter(method, path_regex, host), count, every, status=status))

    def _add(self, rule):
        with self._lock:
            self._rules.append(rule)

    def take_injection(self, request):
        """('fail', status) or ('throttle', retry_after) for this request, or None. Faults come before throttles,
        each in the order they were added; the rule that answers is consumed (counted) or counts a firing."""
        with self._lock:
            matching = [rule for rule in self._ordered_rules() if rule.where.matches(request)]
            for rule in matching:
                rule.seen += 1
            rule = next((rule for rule in matching if rule.due()), None)
            if rule is None:
                return None
            rule.fire()
            return rule.kind, rule.value

    def _ordered_rules(self):
        return sorted(self._rules, key=lambda rule: rule.kind != "fail")  # stable: in the order added

    def unfired_injections(self):
        """Descriptions of the throttle and fault rules that never answered a request (periodic) or still wait
        for one (counted): a test that leaves one proved nothing with it."""
        with self._lock:
            return [rule.describe() for rule in self._ordered_rules() if rule.unfired]

    def discard_injections(self):
        """Drop every throttle and fault rule, fired or not (a test that injected more than it needed says so)."""
        with self._lock:
            self._rules = []

    # ---- request hooks ------------------------------------------------------------------------------
    def on_request(self, callback, method=None, path_regex=None, host=None):
        """Call callback(request) whenever a matching request arrives; returns a function that removes it."""
        hook = (RequestFilter(method, path_regex, host), callback)
        with self._lock:
            self._hooks.append(hook)

        def remove():
            with self._lock:
                if hook in self._hooks:
                    self._hooks.remove(hook)
        return remove

    def hooks_for(self, request):
        with self._lock:
            return [callback for where, callback in self._hooks if where.matches(request)]

    # ---- admin API ----------------------------------------------------------------------------------
    def describe(self):
        with self._lock:
            return {**{name: getattr(self, name) for name in SETTINGS}, "denied": sorted(self.denied),
                    "throttles": self._describe_active("throttle"), "faults": self._describe_active("fail"),
                    "hooks": len(self._hooks)}

    def _describe_active(self, kind):
        return [rule.describe() for rule in self._rules if rule.kind == kind and rule.active]

    def apply(self, settings):
        """Apply a JSON knob document (the admin API's POST /_emulator/knobs)."""
        for name in SETTINGS:
            if name in settings:
                setattr(self, name, settings[name])
        if "deny" in settings:
            self.deny(*settings["deny"])
        if "allow" in settings:
            self.allow(*settings["allow"])
        for subscription_id in _as_list(settings.get("deny_role_assignment_reads")):
            self.deny_role_assignment_reads(subscription_id)
        for rule in _as_list(settings.get("throttle")):
            self.throttle(**rule)
        for rule in _as_list(settings.get("fail")):
            self.fail(**rule)


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
