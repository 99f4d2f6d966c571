# --------------------------------------------------------------------------------------------
# The words the plan, the report and the output use for the state of each piece.
# --------------------------------------------------------------------------------------------

PRESENT = 'present'            # exists as wanted (unfederate: exists, and is to be removed)
MISSING = 'missing'            # federate would create it
DIFFERENT = 'different'        # exists, but not as Deep Lake needs it; never changed silently
CREATED = 'created'
SKIPPED = 'skipped'            # --skip-cors
UNSUPPORTED = 'unsupported'    # CORS on a premium page-blob account
LIMIT = 'limit'                # five CORS rules already, none of them ours
REMOVED = 'removed'
ABSENT = 'absent'              # unfederate found nothing to remove
KEPT = 'kept'                  # unfederate leaves it, with a reason
EXTERNAL = 'external'          # Deep Lake's own application, registered in Deep Lake's tenant
NOT_NEEDED = 'notNeeded'       # no federated credential in the Deep Lake application flow

# Statuses of a piece that needs nothing more.
SATISFIED = (PRESENT, CREATED, EXTERNAL, NOT_NEEDED)
