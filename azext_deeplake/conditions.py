# --------------------------------------------------------------------------------------------
# ABAC role assignment conditions (conditionVersion 2.0): may the caller write or delete a role assignment of
# this role for this kind of principal? Grammar and operators as in learn.microsoft.com
# azure/role-based-access-control/conditions-format and conditions-authorization-actions-attributes.
# Three-valued: True allows, False refuses, None means the condition holds something we cannot evaluate.
# --------------------------------------------------------------------------------------------

import re

WRITE = 'Microsoft.Authorization/roleAssignments/write'
DELETE = 'Microsoft.Authorization/roleAssignments/delete'

ROLE_DEFINITION_ID = 'microsoft.authorization/roleassignments:roledefinitionid'
PRINCIPAL_TYPE = 'microsoft.authorization/roleassignments:principaltype'

# Where an action finds the assignment's properties: a new one is in the request, an existing one is the resource.
_SOURCE_OF_ACTION = {WRITE.lower(): 'request', DELETE.lower(): 'resource'}

_GUID = r'[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}'
_TOKEN = re.compile(r"""\s*(?:
      (?P<guid>""" + _GUID + r""")(?![\w-])
    | '(?P<string>[^']*)'
    | @(?P<source>\w+)\[(?P<attribute>[^\]]*)\]
    | (?P<word>[A-Za-z_]\w*(?::[A-Za-z_]\w*)?)
    | (?P<symbol>&&|\|\||[(){},!])
)""", re.VERBOSE)
_KEYWORDS = {'and': 'and', '&&': 'and', 'or': 'or', '||': 'or', 'not': 'not', '!': 'not'}

# Cross product operators. The attributes we evaluate hold one value, so "all of" and "any of" on the left agree.
_QUANTIFIERS = {'foranyofanyvalues': any, 'forallofanyvalues': any, 'foranyofallvalues': all, 'forallofallvalues': all}
_FUNCTIONS = {
    'guidequals': ('guid', lambda have, want: have == want),
    'guidnotequals': ('guid', lambda have, want: have != want),
    'stringequals': ('string', lambda have, want: have == want),
    'stringnotequals': ('string', lambda have, want: have != want),
    'stringequalsignorecase': ('string', lambda have, want: have.lower() == want.lower()),
    'stringnotequalsignorecase': ('string', lambda have, want: have.lower() != want.lower()),
}


def evaluate(condition, action, role_definition_id, principal_type='ServicePrincipal'):
    """Whether the condition lets its holder perform action (roleAssignments/write or /delete) on an assignment
    of role_definition_id (a GUID or a full role definition ID) for a principal_type: True (allowed), False
    (refused) or None (it holds syntax, an attribute or an operator we cannot evaluate, and the answer depends
    on it). No condition at all (None or blank) allows."""
    if condition is None or not condition.strip():
        return True
    tree = _parse(condition)
    if tree is None:
        return None
    return _evaluate(tree, _facts(action, role_definition_id, principal_type))


def allowed_role_ids(condition, action=WRITE):
    """The role definition GUIDs (lowercase, in order) that the condition names as allowed for action: the values of
    a RoleDefinitionId GuidEquals test that is not negated, on @Request for a write (the assignment to be made) and
    on @Resource for a delete (the assignment to be removed). Empty when it names none or cannot be read."""
    tree = _parse(condition) if condition else None
    found = []
    if tree is not None:
        _collect_allowed(tree, True, found, _SOURCE_OF_ACTION[action.lower()])
    return found


# ---- reading ---------------------------------------------------------------------------------------------
class _Unreadable(Exception):
    pass


def _parse(condition):
    try:
        parser = _Parser(_tokens(condition))
        return parser.condition()
    except (_Unreadable, RecursionError):
        return None


def _tokens(text):
    tokens, position, text = [], 0, text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise _Unreadable(f'unexpected text at {position}')
        tokens.append(_token(match))
        position = match.end()
    return tokens


def _token(match):
    kind = 'attribute' if match['source'] is not None else match.lastgroup
    if kind == 'attribute':
        return 'attribute', (match['source'].lower(), match['attribute'].strip().lower())
    value = match[kind]
    if kind in ('word', 'symbol') and value.lower() in _KEYWORDS:
        return _KEYWORDS[value.lower()], value
    if kind == 'word':
        return 'word', value.lower()
    if kind == 'symbol':
        return value, value
    return kind, value.lower() if kind == 'guid' else value


class _Parser:
    """Recursive descent over the tokens. AND and OR may not be mixed without parentheses (the documentation
    calls that ambiguous)."""

    def __init__(self, tokens):
        self.tokens, self.at = tokens, 0

    def condition(self):
        tree = self.expression()
        if self.at != len(self.tokens):
            raise _Unreadable('text after the condition')
        return tree

    def expression(self):
        operands, joiner = [self.unary()], None
        while self.peek() in ('and', 'or'):
            kind = self.take()[0]
            if joiner not in (None, kind):
                raise _Unreadable('AND and OR mixed without parentheses')
            joiner = kind
            operands.append(self.unary())
        return (joiner, operands) if joiner else operands[0]

    def unary(self):
        if self.peek() == 'not':
            self.take()
            return 'not', self.unary()
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == '(':
            tree = self.expression()
            self.take(')')
            return tree
        if kind == 'attribute':
            return self.comparison(value)
        if (kind, value) == ('word', 'actionmatches'):
            return 'action', self.pattern()
        if (kind, value) == ('word', 'suboperationmatches'):
            return 'unknown', self.pattern()
        if (kind, value) == ('word', 'exists'):
            return 'unknown', self.take('attribute')[1]
        raise _Unreadable(f'unexpected {value!r}')

    def pattern(self):
        self.take('{')
        value = self.take('string')[1]
        self.take('}')
        return value

    def comparison(self, attribute):
        operator = self.take('word')[1]
        if self.peek() != '{':
            return 'compare', attribute, operator, [self.literal()], False
        self.take('{')
        values = [self.literal()]
        while self.peek() == ',':
            self.take(',')
            values.append(self.literal())
        self.take('}')
        return 'compare', attribute, operator, values, True

    def literal(self):
        if self.peek() not in ('guid', 'string'):
            raise _Unreadable('a GUID or a quoted string expected')
        return self.take()

    def peek(self):
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self, kind=None):
        if self.at >= len(self.tokens) or (kind is not None and self.tokens[self.at][0] != kind):
            raise _Unreadable(f'{kind or "more"} expected')
        self.at += 1
        return self.tokens[self.at - 1]


# ---- evaluating (Kleene logic: an unknown part only matters when the answer depends on it) -----------------
def _facts(action, role_definition_id, principal_type):
    facts = {'action': action}
    source = _SOURCE_OF_ACTION.get((action or '').lower())
    if source and role_definition_id:
        facts[(source, ROLE_DEFINITION_ID)] = ('guid', role_definition_id.rstrip('/').rsplit('/', 1)[-1].lower())
    if source and principal_type:
        facts[(source, PRINCIPAL_TYPE)] = ('string', principal_type)
    return facts


def _evaluate(tree, facts):
    return _EVALUATORS[tree[0]](tree, facts)


def _and(tree, facts):
    results = [_evaluate(operand, facts) for operand in tree[1]]
    if False in results:
        return False
    return None if None in results else True


def _or(tree, facts):
    results = [_evaluate(operand, facts) for operand in tree[1]]
    if True in results:
        return True
    return None if None in results else False


def _not(tree, facts):
    result = _evaluate(tree[1], facts)
    return None if result is None else not result


def _action_matches(tree, facts):
    """ActionMatches{'pattern'}: the permission wildcard rules (case-insensitive, * matches anything)."""
    pattern = '(?i)^' + re.escape(tree[1]).replace(r'\*', '.*') + '$'
    return bool(re.match(pattern, facts['action'] or ''))


def _compare(tree, facts):
    _, attribute, operator, values, _braced = tree
    fact, test = facts.get(attribute), _operator(operator, len(values))
    if fact is None or test is None:
        return None
    (kind, have), (quantifier, (function_kind, function)) = fact, test
    wanted = [_literal_value(function_kind, literal) for literal in values]
    if kind != function_kind or None in wanted:
        return None
    return quantifier(function(have, want) for want in wanted)


def _operator(name, value_count):
    """(quantifier, (value kind, function)) for 'ForAnyOfAnyValues:GuidEquals' or 'GuidEquals', else None."""
    quantifier_name, _, function_name = name.rpartition(':')
    function = _FUNCTIONS.get(function_name)
    if not quantifier_name:
        return (any, function) if function and value_count == 1 else None
    quantifier = _QUANTIFIERS.get(quantifier_name)
    return (quantifier, function) if quantifier and function else None


def _literal_value(kind, literal):
    literal_kind, value = literal
    if kind == 'string':
        return value if literal_kind == 'string' else None
    return value.lower() if re.fullmatch(_GUID, value) else None


_EVALUATORS = {'and': _and, 'or': _or, 'not': _not, 'action': _action_matches, 'compare': _compare,
               'unknown': lambda tree, facts: None}


# ---- what a condition names ------------------------------------------------------------------------------
def _collect_allowed(tree, positive, found, source):
    kind = tree[0]
    if kind in ('and', 'or'):
        for operand in tree[1]:
            _collect_allowed(operand, positive, found, source)
    elif kind == 'not':
        _collect_allowed(tree[1], not positive, found, source)
    elif kind == 'compare' and positive and _names_allowed_roles(tree, source):
        for guid in (_literal_value('guid', literal) for literal in tree[3]):
            if guid and guid not in found:
                found.append(guid)


def _names_allowed_roles(tree, source):
    _, attribute, operator, values, _braced = tree
    test = _operator(operator, len(values))
    return (attribute == (source, ROLE_DEFINITION_ID) and test is not None and test[0] is any and
            test[1] is _FUNCTIONS['guidequals'])
