# --------------------------------------------------------------------------------------------
# Merging Deep Lake's CORS rule into a blob service's rules without touching the others, and
# recognising it again for removal.
# --------------------------------------------------------------------------------------------

from .deeplake import APP_ORIGIN, CORS_RULE
from .status import LIMIT, MISSING, PRESENT

MAX_RULES = 5
NEEDED_METHODS = ('GET', 'HEAD')


def allows(rule, origin):
    """Whether a rule already lets the Deep Lake app GET and HEAD from this origin."""
    origins = {_origin(o) for o in rule.get('allowedOrigins') or []}
    methods = {m.strip().upper() for m in rule.get('allowedMethods') or []}
    return bool(origins & {'*', _origin(origin)}) and methods.issuperset(NEEDED_METHODS)


def rule_for(origins):
    """The rule az deeplake adds: Deep Lake's rule, for the origins no existing rule allows."""
    return dict(CORS_RULE, allowedOrigins=list(origins))


def merge(rules, origins=(APP_ORIGIN,)):
    """(status, rules to write): the existing rules unchanged, plus one rule for every origin they do not allow,
    when that fits."""
    missing = [o for o in origins if not any(allows(rule, o) for rule in rules)]
    if not missing:
        return PRESENT, rules
    if len(rules) >= MAX_RULES:
        return LIMIT, rules
    return MISSING, list(rules) + [rule_for(missing)]


def is_ours(rule, origins=(APP_ORIGIN,)):
    """A rule that az deeplake added for these origins: every field exactly as it writes them, its origins among
    the requested ones."""
    wanted = {_origin(o) for o in origins}
    rule_origins = rule.get('allowedOrigins') or []
    return (bool(rule_origins) and {_origin(o) for o in rule_origins} <= wanted and
            dict(rule, allowedOrigins=[]) == dict(CORS_RULE, allowedOrigins=[]))


def without_ours(rules, origins=(APP_ORIGIN,)):
    """The rules that are not ours, unchanged and in order."""
    return [rule for rule in rules if not is_ours(rule, origins)]


def _origin(origin):
    return origin.strip().rstrip('/').lower()
