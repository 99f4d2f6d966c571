# --------------------------------------------------------------------------------------------
# Command entry points: turn arguments into a request, then plan, apply and report.
# --------------------------------------------------------------------------------------------
# pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals

from knack.log import get_logger

from . import deeplake, report
from ._validators import parse_account
from .retry import DEFAULT_TIMEOUT

logger = get_logger(__name__)

# unfederate's confirmation hook plans the removals to list them; the command then applies that same plan.
_CONFIRMED_PLAN = 'deeplake_confirmed_removal_plan'
# federate's confirmation hook has named the custom trust already.
_TRUST_NAMED = 'deeplake_custom_trust_named'


def federate(cmd, account, container=None, resource_group_name=None, app_name=None, credential_name=None,
             skip_cors=False, dry_run=False, issuer=None, subject=None, audience=None,
             role=deeplake.DEFAULT_DATA_ROLE, deeplake_app_id=None, cors_origins=None, accepted_owners=None,
             timeout=DEFAULT_TIMEOUT):
    from .apply import apply_plan
    from .identity import FoundByKey
    from .plan import build_plan
    session, request = _begin(cmd.cli_ctx, account, container, resource_group_name, app_name, skip_cors,
                              deeplake_app_id, cors_origins, timeout, data_role=role, accepted_owners=accepted_owners,
                              **_identity_fields(credential_name, issuer, subject, audience))
    if deeplake_app_id is None and not deeplake.is_activeloop(request.trust) and \
            not cmd.cli_ctx.data.pop(_TRUST_NAMED, False):
        from . import messages
        logger.warning(messages.custom_trust(request.trust))
    plan = _warn(build_plan(session, request))
    if not dry_run:
        try:
            apply_plan(session, plan)
        except FoundByKey as found:  # an application the plan did not check holds a later key: check it first
            plan = _warn(build_plan(session, request, unique_name=found.unique_name))
            apply_plan(session, plan)
    return _finish(plan, report.DRY_RUN if dry_run else report.FEDERATE)


def show(cmd, account, container=None, resource_group_name=None, app_name=None, credential_name=None,
         skip_cors=False, issuer=None, subject=None, audience=None, role=deeplake.DEFAULT_DATA_ROLE,
         deeplake_app_id=None, cors_origins=None, accepted_owners=None):
    from .plan import build_plan
    session, request = _begin(cmd.cli_ctx, account, container, resource_group_name, app_name, skip_cors,
                              deeplake_app_id, cors_origins, data_role=role, accepted_owners=accepted_owners,
                              **_identity_fields(credential_name, issuer, subject, audience))
    return _finish(_warn(build_plan(session, request)), report.SHOW)


def unfederate(cmd, account, container=None, resource_group_name=None, app_name=None, skip_cors=False,
               delete_app=False, dry_run=False, deeplake_app_id=None, cors_origins=None):
    from .apply import apply_removals
    confirmed = cmd.cli_ctx.data.pop(_CONFIRMED_PLAN, None)
    session, plan = confirmed.value if confirmed else _removal_plan(cmd.cli_ctx, {
        'account': account, 'container': container, 'resource_group_name': resource_group_name,
        'app_name': app_name, 'skip_cors': skip_cors, 'delete_app': delete_app, 'deeplake_app_id': deeplake_app_id,
        'cors_origins': cors_origins})
    _warn(plan)
    if not dry_run:
        apply_removals(session, plan)
    return _finish(plan, report.UNFEDERATE_DRY_RUN if dry_run else report.UNFEDERATE)


def confirm_removals(cli_ctx, args):
    """unfederate's confirmation, which az asks for unless --yes is given: list what would go, then ask. Without a
    terminal az then stops with 'Operation cancelled.' and nothing is removed. The plan is kept for the command."""
    if args.get('dry_run'):
        return True
    session, plan = _removal_plan(cli_ctx, args)
    cli_ctx.data[_CONFIRMED_PLAN] = _Carried((session, plan))
    output = report.result(plan, report.UNFEDERATE_DRY_RUN)
    if not output['changes'] or output['blockers']:
        return True  # nothing to remove, or the command stops before any change: nothing to ask
    return _ask(report.removal_summary(plan, output, report.CONFIRM), 'Remove these?')


class _Carried:  # pylint: disable=too-few-public-methods
    """A value carried from a confirmation hook to its command through cli_ctx.data, which az deep-copies in between
    (a session holds clients that cannot be copied, and need not be)."""

    def __init__(self, value):
        self.value = value

    def __deepcopy__(self, memo):
        return self


def confirm_trust(cli_ctx, args):
    """federate's confirmation, asked only when the federated credential would trust another identity than
    Activeloop's published one (custom --issuer, --subject or --audience): that identity would get the access."""
    trust = _identity_fields(None, args.get('issuer'), args.get('subject'), args.get('audience'))['trust']
    if args.get('dry_run') or args.get('deeplake_app_id') or deeplake.is_activeloop(trust) or not _valid(trust):
        return True  # nothing to confirm, or invalid values that the validator refuses next
    from . import messages
    cli_ctx.data[_TRUST_NAMED] = True
    return _ask(messages.custom_trust(trust), 'Trust this identity?')


def _valid(trust):
    from azure.cli.core.azclierror import InvalidArgumentValueError
    from ._validators import check_issuer, check_not_blank
    try:
        check_issuer(trust.issuer)
        check_not_blank(trust.subject, '--subject')
        check_not_blank(trust.audience, '--audience')
    except InvalidArgumentValueError:
        return False
    return True


def _ask(listing, question):
    from knack.prompting import NoTTYException, prompt_y_n
    logger.warning(listing)
    try:
        return prompt_y_n(question, default='n')
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
           timeout=DEFAULT_TIMEOUT, accepted_owners=None, **request_fields):
    from .retry import Deadline
    from .session import Session
    name, subscription, group = parse_account(account)
    request = deeplake.Request(
        account=name, containers=tuple(dict.fromkeys(containers or ())), resource_group=group or resource_group_name,
        app_name=app_name or deeplake.default_app_name(name), cors=not skip_cors, deeplake_app_id=deeplake_app_id,
        cors_origins=tuple(dict.fromkeys(cors_origins or (deeplake.APP_ORIGIN,))),
        accepted_owners=tuple(dict.fromkeys(accepted_owners or ())), **request_fields)
    return Session(cli_ctx, subscription, Deadline(timeout)), request


def _warn(plan):
    for warning in plan.warnings:
        logger.warning(warning)
    return plan


def _finish(plan, mode):
    output = report.result(plan, mode)
    logger.warning(report.next_steps(plan, output, mode))
    return output
