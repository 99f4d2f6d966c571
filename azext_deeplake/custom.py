# --------------------------------------------------------------------------------------------
# Command entry points: turn arguments into a request, then plan, apply and report.
# --------------------------------------------------------------------------------------------
# pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals

from knack.log import get_logger

from . import deeplake, report
from ._validators import parse_account
from .retry import DEFAULT_TIMEOUT

logger = get_logger(__name__)


def federate(cmd, account, container=None, resource_group_name=None, app_name=None, credential_name=None,
             skip_cors=False, dry_run=False, issuer=None, subject=None, audience=None,
             role=deeplake.DEFAULT_DATA_ROLE, deeplake_app_id=None, cors_origins=None, timeout=DEFAULT_TIMEOUT):
    from .apply import apply_plan
    from .plan import build_plan
    from .retry import Deadline
    fields = _identity_fields(credential_name, issuer, subject, audience)
    session, request = _begin(cmd.cli_ctx, account, container, resource_group_name, app_name, skip_cors,
                              deeplake_app_id, cors_origins, data_role=role, **fields)
    plan = build_plan(session, request)
    _warn(plan)
    if not dry_run:
        apply_plan(session, plan, Deadline(timeout))
    return _finish(plan, report.DRY_RUN if dry_run else report.FEDERATE)


def show(cmd, account, container=None, resource_group_name=None, app_name=None, credential_name=None,
         skip_cors=False, issuer=None, subject=None, audience=None, role=deeplake.DEFAULT_DATA_ROLE,
         deeplake_app_id=None, cors_origins=None):
    from .plan import build_plan
    fields = _identity_fields(credential_name, issuer, subject, audience)
    session, request = _begin(cmd.cli_ctx, account, container, resource_group_name, app_name, skip_cors,
                              deeplake_app_id, cors_origins, data_role=role, **fields)
    plan = build_plan(session, request)
    _warn(plan)
    return _finish(plan, report.SHOW)


def unfederate(cmd, account, container=None, resource_group_name=None, app_name=None, skip_cors=False,
               delete_app=False, dry_run=False, deeplake_app_id=None, cors_origins=None):
    from .apply import apply_removals
    session, plan = _removal_plan(cmd.cli_ctx, {
        'account': account, 'container': container, 'resource_group_name': resource_group_name,
        'app_name': app_name, 'skip_cors': skip_cors, 'delete_app': delete_app, 'deeplake_app_id': deeplake_app_id,
        'cors_origins': cors_origins})
    _warn(plan)
    if not dry_run:
        apply_removals(session, plan)
    return _finish(plan, report.UNFEDERATE_DRY_RUN if dry_run else report.UNFEDERATE)


def confirm_removals(cli_ctx, args):
    """unfederate's confirmation, which az asks for unless --yes is given: list what would go, then ask. Without a
    terminal az then stops with 'Operation cancelled.' and nothing is removed."""
    from knack.prompting import NoTTYException, prompt_y_n
    if args.get('dry_run'):
        return True
    _, plan = _removal_plan(cli_ctx, args)
    output = report.result(plan, report.UNFEDERATE_DRY_RUN)
    if not output['changes'] or output['blockers']:
        return True  # nothing to remove, or the command stops before any change: nothing to ask
    logger.warning(report.removal_summary(output, report.CONFIRM))
    try:
        return prompt_y_n('Remove these?', default='n')
    except NoTTYException:
        logger.warning('Unable to prompt for confirmation as no tty available. Use --yes.')
        return False


def _removal_plan(cli_ctx, args):
    from .plan import build_removal_plan
    session, request = _begin(cli_ctx, args['account'], args.get('container'), args.get('resource_group_name'),
                              args.get('app_name'), args.get('skip_cors'), args.get('deeplake_app_id'),
                              args.get('cors_origins'), delete_app=bool(args.get('delete_app')))
    return session, build_removal_plan(session, request)


def _identity_fields(credential_name, issuer, subject, audience):
    """The federated credential options, with Deep Lake's values where they were not given."""
    return {'credential_name': credential_name or deeplake.DEFAULT_CREDENTIAL_NAME,
            'trust': deeplake.Trust(issuer or deeplake.ISSUER, subject or deeplake.SUBJECT,
                                    audience or deeplake.AUDIENCE)}


def _begin(cli_ctx, account, containers, resource_group_name, app_name, skip_cors, deeplake_app_id, cors_origins,
           **request_fields):
    from .session import Session
    name, subscription, group = parse_account(account)
    request = deeplake.Request(
        account=name, containers=tuple(dict.fromkeys(containers or ())), resource_group=group or resource_group_name,
        app_name=app_name or deeplake.default_app_name(name), cors=not skip_cors, deeplake_app_id=deeplake_app_id,
        cors_origins=tuple(dict.fromkeys(cors_origins or (deeplake.APP_ORIGIN,))), **request_fields)
    return Session(cli_ctx, subscription), request


def _warn(plan):
    for warning in plan.warnings:
        logger.warning(warning)


def _finish(plan, mode):
    output = report.result(plan, mode)
    logger.warning(report.next_steps(output, mode, plan.identity))
    return output
