import pytest

from azext_deeplake import conditions
from azext_deeplake.conditions import DELETE, WRITE, allowed_role_ids, evaluate

CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'   # Storage Blob Data Contributor
DELEGATOR = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'     # Storage Blob Delegator
READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'        # Storage Blob Data Reader
OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
UAA = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'
RBAC_ADMIN = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
DEEPLAKE_ROLES = (CONTRIBUTOR, DELEGATOR)
EACH_DEEPLAKE_ROLE = pytest.mark.parametrize('role', DEEPLAKE_ROLES, ids=('contributor', 'delegator'))
EACH_ACTION = pytest.mark.parametrize('action', (WRITE, DELETE), ids=('write', 'delete'))


def constrain_roles(guids, principal_types=None):
    """The one-line form of the portal's "Constrain roles" (and "... and principal types") template."""
    roles = ', '.join(guids)

    def types(source):
        if not principal_types:
            return ''
        listed = ', '.join(f"'{t}'" for t in principal_types)
        return (f' AND @{source}[Microsoft.Authorization/roleAssignments:PrincipalType] '
                f'ForAnyOfAnyValues:StringEqualsIgnoreCase {{{listed}}}')
    return ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
            f"(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
            f"{{{roles}}}{types('Request')})) AND "
            "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR "
            f"(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
            f"{{{roles}}}{types('Resource')}))")


PORTAL = """(
 (
  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})
 )
 OR
 (
  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s}
  AND
  @Request[Microsoft.Authorization/roleAssignments:PrincipalType] %s
 )
)
AND
(
 (
  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})
 )
 OR
 (
  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s}
  AND
  @Resource[Microsoft.Authorization/roleAssignments:PrincipalType] %s
 )
)
""" % ((f'{CONTRIBUTOR}, {DELEGATOR}', "ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}") * 2)

# The documented "Allow most roles, but don't allow others to assign roles" condition.
EXCLUDE_PRIVILEGED = ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
                      "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
                      f"ForAnyOfAllValues:GuidNotEquals {{{OWNER}, {UAA}, {RBAC_ADMIN}}})) AND "
                      "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR "
                      "(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
                      f"ForAnyOfAllValues:GuidNotEquals {{{OWNER}, {UAA}, {RBAC_ADMIN}}}))")


# ---- allow and refuse -------------------------------------------------------------------------------------
@EACH_DEEPLAKE_ROLE
@EACH_ACTION
def test_condition_listing_the_deeplake_roles_allows_them(role, action):
    assert evaluate(constrain_roles(DEEPLAKE_ROLES), action, role) is True
    assert evaluate(constrain_roles(DEEPLAKE_ROLES, ['ServicePrincipal']), action, role) is True


@EACH_DEEPLAKE_ROLE
def test_each_role_needs_its_own_place_in_the_list(role):
    other = DELEGATOR if role == CONTRIBUTOR else CONTRIBUTOR
    assert evaluate(constrain_roles([role]), WRITE, role) is True
    assert evaluate(constrain_roles([role]), WRITE, other) is False


@EACH_DEEPLAKE_ROLE
@EACH_ACTION
def test_condition_listing_other_roles_refuses(action, role):
    condition = constrain_roles([READER, '5e467623-bb1f-42f4-a55d-6e525e11384b'])
    assert evaluate(condition, action, role) is False


def test_principal_type_user_only_refuses_a_service_principal():
    condition = constrain_roles(DEEPLAKE_ROLES, ['User'])
    assert evaluate(condition, WRITE, CONTRIBUTOR) is False
    assert evaluate(condition, WRITE, CONTRIBUTOR, principal_type='ServicePrincipal') is False
    assert evaluate(condition, WRITE, CONTRIBUTOR, principal_type='User') is True
    assert evaluate(constrain_roles(DEEPLAKE_ROLES, ['User', 'Group', 'ServicePrincipal']), WRITE, DELEGATOR) is True


def test_unknown_principal_type_cannot_be_decided_unless_the_role_already_refuses():
    condition = constrain_roles([CONTRIBUTOR], ['ServicePrincipal'])
    assert evaluate(condition, WRITE, CONTRIBUTOR, principal_type=None) is None
    assert evaluate(condition, WRITE, READER, principal_type=None) is False


def test_full_role_definition_id_is_accepted():
    full = f'/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/{CONTRIBUTOR.upper()}'
    assert evaluate(constrain_roles(DEEPLAKE_ROLES), WRITE, full) is True


@EACH_ACTION
@pytest.mark.parametrize('role, allowed', [pytest.param(CONTRIBUTOR, True, id='contributor'),
                                           pytest.param(OWNER, False, id='owner'),
                                           pytest.param(RBAC_ADMIN, False, id='rbac-administrator')])
def test_exclusion_form(action, role, allowed):
    assert evaluate(EXCLUDE_PRIVILEGED, action, role) is allowed


def test_any_of_any_not_equals_with_several_values_is_always_true():
    """As documented (and as Azure evaluates it): x differs from at least one of two different GUIDs."""
    condition = EXCLUDE_PRIVILEGED.replace('ForAnyOfAllValues:GuidNotEquals', 'ForAnyOfAnyValues:GuidNotEquals')
    assert evaluate(condition, WRITE, OWNER) is True


@pytest.mark.parametrize('attribute, operator, value, role, expected', [
    pytest.param('RoleDefinitionId', 'GuidEquals', CONTRIBUTOR, CONTRIBUTOR, True, id='guid-equals'),
    pytest.param('RoleDefinitionId', 'GuidNotEquals', CONTRIBUTOR, CONTRIBUTOR, False, id='guid-not-equals'),
    pytest.param('RoleDefinitionId', 'GuidEquals', f'{{{CONTRIBUTOR}}}', CONTRIBUTOR, True, id='one-value-in-braces'),
    pytest.param('RoleDefinitionId', 'GuidEquals', f'{{{CONTRIBUTOR}, {DELEGATOR}}}', CONTRIBUTOR, None,
                 id='two-values-cannot-be-decided'),
    pytest.param('PrincipalType', 'StringEqualsIgnoreCase', "'serviceprincipal'", READER, True, id='ignore-case'),
    pytest.param('PrincipalType', 'StringEquals', "'serviceprincipal'", READER, False, id='case-sensitive-differs'),
    pytest.param('PrincipalType', 'StringEquals', "'ServicePrincipal'", READER, True, id='case-sensitive-equal'),
    pytest.param('PrincipalType', 'StringNotEqualsIgnoreCase', "'User'", READER, True, id='not-equals-ignore-case'),
])
def test_plain_operators_take_one_value(attribute, operator, value, role, expected):
    condition = f"@Request[Microsoft.Authorization/roleAssignments:{attribute}] {operator} {value}"
    assert evaluate(condition, WRITE, role) is expected


def test_action_matches_wildcard():
    condition = ("(!(ActionMatches{'Microsoft.Authorization/roleAssignments/*'})) OR "
                 f"(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals {READER})")
    assert evaluate(condition, WRITE, CONTRIBUTOR) is False
    assert evaluate(condition, WRITE, READER) is True
    other = condition.replace('roleAssignments/*', 'roleDefinitions/*')
    assert evaluate(other, WRITE, CONTRIBUTOR) is True


def test_condition_for_write_only_leaves_delete_alone():
    condition = ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
                 f"(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
                 f"{{{READER}}}))")
    assert evaluate(condition, WRITE, CONTRIBUTOR) is False
    assert evaluate(condition, DELETE, CONTRIBUTOR) is True


def test_no_condition_allows():
    assert evaluate(None, WRITE, CONTRIBUTOR) is True
    assert evaluate('  \n', WRITE, CONTRIBUTOR) is True


# ---- form ------------------------------------------------------------------------------------------------
def test_multi_line_portal_form():
    assert evaluate(PORTAL, WRITE, CONTRIBUTOR) is True
    assert evaluate(PORTAL, DELETE, DELEGATOR) is True
    assert evaluate(PORTAL, WRITE, READER) is False
    assert evaluate(PORTAL, WRITE, DELEGATOR, principal_type='Group') is False


def test_keywords_attributes_operators_and_guids_ignore_case():
    shouted = (constrain_roles(DEEPLAKE_ROLES, ['ServicePrincipal']).upper()
               .replace("'SERVICEPRINCIPAL'", "'ServicePrincipal'"))
    assert 'ACTIONMATCHES' in shouted and 'FORANYOFANYVALUES:GUIDEQUALS' in shouted
    assert evaluate(shouted, WRITE, CONTRIBUTOR) is True
    assert evaluate(shouted.replace(' AND ', ' and ').replace(' OR ', ' or '), WRITE, DELEGATOR) is True
    assert evaluate(shouted, WRITE, READER) is False


def test_symbolic_logical_operators():
    condition = (constrain_roles(DEEPLAKE_ROLES).replace(' AND ', ' && ').replace(' OR ', ' || ')
                 .replace('(!(', '(NOT ('))
    assert evaluate(condition, WRITE, CONTRIBUTOR) is True
    assert evaluate(condition, DELETE, READER) is False


def test_extra_parentheses_and_blanks():
    condition = f"  ((( {constrain_roles(DEEPLAKE_ROLES)} )))\n\t"
    assert evaluate(condition, WRITE, CONTRIBUTOR) is True


# ---- delete ----------------------------------------------------------------------------------------------
def test_delete_reads_the_existing_assignment_from_resource():
    condition = constrain_roles([READER])
    assert evaluate(condition, DELETE, READER) is True
    assert evaluate(condition, DELETE, CONTRIBUTOR) is False
    only_request = condition.replace('@Resource[', '@Request[')
    assert evaluate(only_request, DELETE, READER) is None   # a delete has no request attributes


# ---- cannot tell ------------------------------------------------------------------------------------------
def test_principal_id_attribute_cannot_be_evaluated():
    condition = constrain_roles(DEEPLAKE_ROLES).replace(
        '})) AND', '} AND @Request[Microsoft.Authorization/roleAssignments:PrincipalId] '
                   'ForAnyOfAnyValues:GuidEquals {28c35fea-2099-4cf5-8ad9-473547bc9423})) AND', 1)
    assert evaluate(condition, WRITE, CONTRIBUTOR) is None
    assert evaluate(condition, WRITE, READER) is False   # refused whatever the principal


@pytest.mark.parametrize('expression', [
    pytest.param("@Environment[Microsoft.Network/privateEndpoints] StringEqualsIgnoreCase 'x'", id='environment'),
    pytest.param("@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project] StringEquals "
                 "'Cascade'", id='principal-attribute'),
    pytest.param("Exists @Request[Microsoft.Authorization/roleAssignments:PrincipalType]", id='exists'),
    pytest.param("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] StringLike 'ba92*'",
                 id='string-like'),
    pytest.param(f"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] StringEquals '{CONTRIBUTOR}'",
                 id='role-as-string'),
    pytest.param(f"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForSomeValues:GuidEquals "
                 f"{{{CONTRIBUTOR}}}", id='unknown-quantifier'),
    pytest.param("@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:GuidEquals "
                 "{'User'}", id='principal-type-as-guid'),
    pytest.param("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals 'not-a-guid'",
                 id='not-a-guid'),
])
def test_unknown_attribute_or_operator_is_none(expression):
    condition = f"((!(ActionMatches{{'{WRITE}'}})) OR ({expression}))"
    assert evaluate(condition, WRITE, CONTRIBUTOR) is None
    assert evaluate(condition, DELETE, CONTRIBUTOR) is True   # this clause does not concern a delete


@pytest.mark.parametrize('condition', [
    pytest.param("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (", id='unclosed'),
    pytest.param("(!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}))) OR (x)", id='unbalanced'),
    pytest.param("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {}",
                 id='empty-set'),
    pytest.param("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
                 "{ba92f5b4,}", id='broken-set'),
    pytest.param("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals",
                 id='no-value'),
    pytest.param("ActionMatches{Microsoft.Authorization/roleAssignments/write}", id='unquoted-action'),
    pytest.param("ActionMatches{'a'} AND ActionMatches{'b'} OR ActionMatches{'c'}", id='mixed-and-or'),
    pytest.param("ActionMatches{'a'} ActionMatches{'b'}", id='no-operator'),
    pytest.param("@Environment[UtcNow] DateTimeGreaterThan '2023-05-01T13:00:00.0Z' # comment", id='comment'),
    pytest.param('@Request[Microsoft.Authorization/roleAssignments:PrincipalType] StringEquals "User"',
                 id='double-quotes'),
    pytest.param("!", id='lone-not'),
    pytest.param("@Environment[isPrivateLink] BoolEquals true", id='bool-operator'),
    pytest.param("(" * 5000 + "ActionMatches{'a'}" + ")" * 5000, id='nested-5000-deep'),
])
def test_malformed_is_none(condition):
    assert evaluate(condition, WRITE, CONTRIBUTOR) is None
    assert allowed_role_ids(condition) == []


def test_none_never_becomes_true_or_false_through_not():
    condition = "!(@Request[Microsoft.Authorization/roleAssignments:PrincipalId] GuidEquals " \
                "28c35fea-2099-4cf5-8ad9-473547bc9423)"
    assert evaluate(condition, WRITE, CONTRIBUTOR) is None
    assert evaluate(f"({condition}) OR ({condition})", WRITE, CONTRIBUTOR) is None
    assert evaluate(f"({condition}) AND ({condition})", WRITE, CONTRIBUTOR) is None


# ---- allowed_role_ids ------------------------------------------------------------------------------------
def test_allowed_role_ids_lists_the_write_guids():
    assert allowed_role_ids(constrain_roles([CONTRIBUTOR.upper(), READER])) == [CONTRIBUTOR, READER]
    assert allowed_role_ids(PORTAL) == [CONTRIBUTOR, DELEGATOR]
    assert allowed_role_ids(
        f"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals {DELEGATOR}") == [DELEGATOR]


def test_allowed_role_ids_ignores_exclusions_and_negations():
    assert allowed_role_ids(EXCLUDE_PRIVILEGED) == []
    negated = f"!(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals {OWNER})"
    assert allowed_role_ids(negated) == []
    assert allowed_role_ids(None) == [] and allowed_role_ids('') == []


def test_module_constants():
    assert conditions.WRITE == 'Microsoft.Authorization/roleAssignments/write'
    assert conditions.DELETE == 'Microsoft.Authorization/roleAssignments/delete'


def test_allowed_role_ids_for_a_delete_read_the_resource_clause():
    both = (f"((!(ActionMatches{{'{WRITE}'}})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
            f"ForAnyOfAnyValues:GuidEquals {{{CONTRIBUTOR}}})) AND ((!(ActionMatches{{'{DELETE}'}})) OR "
            f"(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
            f"{{{READER}}}))")
    assert allowed_role_ids(both, WRITE) == [CONTRIBUTOR]
    assert allowed_role_ids(both, DELETE) == [READER]
