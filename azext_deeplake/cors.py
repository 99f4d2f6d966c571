# --------------------------------------------------------------------------------------------
# Merging Deep Lake's CORS rule into a blob service's rules without touching the others.
# --------------------------------------------------------------------------------------------

from .deeplake import APP_ORIGIN, CORS_RULE

MAX_RULES = 5
NEEDED_METHODS = ('GET', 'HEAD')

# The same words as the plan's statuses.
PRESENT = 'present'
MISSING = 'missing'
LIMIT = 'limit'


def allows_deeplake(rule):
    """Whether a rule already lets the Deep Lake app GET and HEAD from its origin."""
    origins = {o.strip().rstrip('/').lower() for o in rule.get('allowedOrigins') or []}
    methods = {m.strip().upper() for m in rule.get('allowedMethods') or []}
    return bool(origins & {'*', APP_ORIGIN}) and methods.issuperset(NEEDED_METHODS)


def merge(rules):
    """(status, rules to write): the existing rules unchanged, plus Deep Lake's when it is missing and fits."""
    if any(allows_deeplake(rule) for rule in rules):
        return PRESENT, rules
    if len(rules) >= MAX_RULES:
        return LIMIT, rules
    return MISSING, list(rules) + [dict(CORS_RULE)]


def without_ours(rules):
    """The rules that are not exactly the one az deeplake adds (all five fields equal), unchanged and in order."""
    return [rule for rule in rules if rule != CORS_RULE]
