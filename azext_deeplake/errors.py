# --------------------------------------------------------------------------------------------
# Turning Microsoft Graph failures into az errors that say what to do.
# --------------------------------------------------------------------------------------------

APP_RIGHTS = ("the tenant setting 'Users can register applications' (Microsoft Entra ID > User settings) or "
              "one of the roles Application Developer, Application Administrator or Cloud Application Administrator")


def graph_failure(ex, doing, tenant_id, nothing_changed=True):
    """An az error for a GraphError raised while trying to do something ('register an application', ...)."""
    from azure.cli.core.azclierror import AzureResponseError, ForbiddenError
    outcome = ' Nothing was changed.' if nothing_changed else \
        ' Run the same command again to finish: it reuses what was already created.'
    if ex.status == 403:
        return ForbiddenError(
            "Microsoft Graph did not let you {} in tenant '{}': {} This needs {}. Ask an administrator for one "
            "of them, then run this command again.{}".format(doing, tenant_id, ex.message, APP_RIGHTS,
                                                              outcome if nothing_changed else ''))
    return AzureResponseError("Microsoft Graph could not {} (HTTP {} {}): {}{}".format(
        doing, ex.status, ex.code or '', ex.message, outcome))
