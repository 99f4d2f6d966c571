import copy

import pytest

from azext_deeplake import cors
from azext_deeplake.deeplake import CORS_RULE


def rule(origins, methods=('GET', 'HEAD'), headers=('x-ms-meta-*',), exposed=('x-ms-meta-*',), max_age=200):
    return {'allowedOrigins': list(origins), 'allowedMethods': list(methods), 'allowedHeaders': list(headers),
            'exposedHeaders': list(exposed), 'maxAgeInSeconds': max_age}


def test_empty_service_gets_exactly_deeplakes_rule():
    status, rules = cors.merge([])
    assert status == cors.MISSING
    assert rules == [{'allowedOrigins': ['https://app.activeloop.ai'], 'allowedMethods': ['GET', 'HEAD'],
                      'allowedHeaders': ['*'], 'exposedHeaders': [], 'maxAgeInSeconds': 0}]


def test_existing_rules_are_kept_exactly_and_first():
    existing = [rule(['https://example.com'], methods=['PUT']), rule(['https://other.example'], max_age=5)]
    before = copy.deepcopy(existing)
    status, rules = cors.merge(existing)
    assert status == cors.MISSING
    assert rules[:2] == before and existing == before
    assert rules[2] == CORS_RULE


@pytest.mark.parametrize('origins', [
    pytest.param(['https://app.activeloop.ai'], id='exact'),
    pytest.param(['*'], id='wildcard'),
    pytest.param(['https://x.example', 'HTTPS://APP.ACTIVELOOP.AI/'], id='among-others-any-case-trailing-slash'),
])
def test_rule_allowing_origin_with_get_and_head_counts_as_present(origins):
    existing = [rule(origins, methods=['get', 'HEAD', 'PUT'])]
    assert cors.merge(existing) == (cors.PRESENT, existing)


def test_rule_for_origin_without_head_is_not_enough():
    status, rules = cors.merge([rule(['https://app.activeloop.ai'], methods=['GET'])])
    assert status == cors.MISSING and len(rules) == 2


def test_five_rules_and_none_fits_changes_nothing():
    existing = [rule(['https://{}.example'.format(i)]) for i in range(5)]
    assert cors.merge(existing) == (cors.LIMIT, existing)


def test_five_rules_with_a_fitting_one_is_present():
    existing = [rule(['https://{}.example'.format(i)]) for i in range(4)] + [rule(['*'])]
    assert cors.merge(existing)[0] == cors.PRESENT


OTHER = 'https://deeplake.example.com'


def test_one_rule_holds_every_origin_no_existing_rule_allows():
    existing = [rule(['https://APP.activeloop.ai/'])]
    status, rules = cors.merge(existing, ('https://app.activeloop.ai', OTHER, 'https://third.example'))
    assert status == cors.MISSING
    assert rules == existing + [dict(CORS_RULE, allowedOrigins=[OTHER, 'https://third.example'])]
    assert cors.merge(rules, ('https://app.activeloop.ai', OTHER))[0] == cors.PRESENT


def test_our_rule_is_recognised_by_its_fields_and_its_origins_among_those_asked_for():
    ours = cors.rule_for([OTHER])
    assert cors.is_ours(ours, ('https://app.activeloop.ai', OTHER))
    assert not cors.is_ours(ours)  # asked for the default origin only
    assert not cors.is_ours(dict(ours, maxAgeInSeconds=1), (OTHER,))
    assert not cors.is_ours(dict(ours, allowedOrigins=[]), (OTHER,))
    assert cors.without_ours([rule([OTHER]), ours, CORS_RULE], (OTHER,)) == [rule([OTHER]), CORS_RULE]
