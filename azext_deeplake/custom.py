# --------------------------------------------------------------------------------------------
# Command entry points: turn arguments into a request, then plan, apply and report.
# --------------------------------------------------------------------------------------------
# pylint: disable=too-many-arguments,too-many-positional-arguments

from knack.log import get_logger

from . import deeplake, report
from ._validators import parse_account
from .retry import DEFAULT_TIMEOUT

logger = get_logger(__name__)


def federate(cmd, account, container=None, resource_group_name=None, app_name=None,
             credential_name=deeplake.DEFAULT_CREDENTIAL_NAME, skip_cors=False, dry_run=False,
             issuer=deeplake.ISSUER, subject=deeplake.SUBJECT, audience=deeplake.AUDIENCE, timeout=DEFAULT_TIMEOUT):
    from .apply import apply_plan
    from .plan import build_plan
    from .retry import Deadline
    session, request = _begin(cmd, account, container, resource_group_name, app_name, credential_name,
                              skip_cors, issuer, subject, audience)
    plan = build_plan(session, request)
    mode = report.DRY_RUN if dry_run else report.FEDERATE
    _warn(plan)
    if not dry_run:
        apply_plan(session, plan, Deadline(timeout))
    return _finish(plan, mode)


def show(cmd, account, container=None, resource_group_name=None, app_name=None,
         credential_name=deeplake.DEFAULT_CREDENTIAL_NAME, skip_cors=False,
         issuer=deeplake.ISSUER, subject=deeplake.SUBJECT, audience=deeplake.AUDIENCE):
    from .plan import build_plan
    session, request = _begin(cmd, account, container, resource_group_name, app_name, credential_name,
                              skip_cors, issuer, subject, audience)
    plan = build_plan(session, request)
    _warn(plan)
    return _finish(plan, report.SHOW)


def _begin(cmd, account, container, resource_group_name, app_name, credential_name, skip_cors,
           issuer, subject, audience):
    from .session import Session
    name, subscription, group = parse_account(account)
    request = deeplake.Request(
        account=name, container=container, resource_group=group or resource_group_name,
        app_name=app_name or deeplake.default_app_name(name), credential_name=credential_name,
        trust=deeplake.Trust(issuer, subject, audience), cors=not skip_cors)
    return Session(cmd.cli_ctx, subscription), request


def _warn(plan):
    for warning in plan.warnings:
        logger.warning(warning)


def _finish(plan, mode):
    output = report.result(plan, mode)
    logger.warning(report.next_steps(output, mode))
    return output
