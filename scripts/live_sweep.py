"""Find and remove what a live run of the recorded scenarios created, whatever became of the tests' own cleanups.

What counts as the run's (tests/scenario/liverun.py is what the scenarios and this sweep agree on):
- resource groups tagged azdeeplake-live-run=<the run's id>. Deleting one deletes its storage accounts and every
  role assignment on them or below;
- applications whose display name starts with deeplake-dl, that carry the az-deeplake tag and were created after
  the run started. Deleting one deletes its federated credentials and its service principal with it (Microsoft
  Entra keeps the application restorable for 30 days in its deleted applications);
- the service principal of Deep Lake's application (DEEPLAKE_APP_ID) with the az-deeplake tag, if it did not exist
  when the run started (the wizard scenario installs it).

Everything goes through az (the one next to this Python), so it uses az's login, cloud and proxy settings.
"""
import datetime
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.scenario import liverun

AZ = os.path.join(os.path.dirname(sys.executable), 'az')
APP_TAG = 'az-deeplake'  # azext_deeplake.deeplake.APP_TAG, without importing the extension
AZ_TIMEOUT = 300           # seconds for one az command
GROUP_DELETE_TIMEOUT = 1800  # seconds to wait for one resource group to be deleted
CLOCK_SKEW = datetime.timedelta(minutes=2)  # between this machine and Microsoft Entra ID's createdDateTime


class AzError(Exception):
    pass


def az(*args, timeout=AZ_TIMEOUT):
    """Run az with JSON output; its parsed output. In a session of its own, so that a Ctrl-C meant for the run
    does not stop a deletion half way."""
    try:
        done = subprocess.run([AZ, *args, '--only-show-errors', '-o', 'json'], capture_output=True, text=True,
                              timeout=timeout, check=False, start_new_session=True)
    except subprocess.TimeoutExpired as ex:
        raise AzError(f"az {' '.join(args[:3])} did not finish in {timeout} s") from ex
    if done.returncode != 0:
        message = [line for line in done.stderr.splitlines() if line.strip()]
        raise AzError(message[-1] if message else f'az exited with {done.returncode}')
    return json.loads(done.stdout) if done.stdout.strip() else None


@dataclass
class Run:
    """A live run: its id (the resource group tag's value), when it started (UTC, ISO 8601), Deep Lake's
    application and whether that application's service principal existed before the run."""
    id: str
    started: str
    deeplake_app_id: str
    deeplake_principal_existed: bool

    @property
    def created_since(self):
        return datetime.datetime.fromisoformat(self.started) - CLOCK_SKEW


@dataclass
class Found:
    """What a run created that still exists, as az lists it."""
    groups: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    principals: list = field(default_factory=list)

    def describe(self):
        """(kind, name, object to delete) for each piece."""
        return ([('resource group', g['name'], g) for g in self.groups] +
                [('application', a['displayName'], a) for a in self.applications] +
                [("service principal of Deep Lake's application", p['displayName'], p) for p in self.principals])


def deeplake_principals(app_id):
    return az('ad', 'sp', 'list', '--filter', f"appId eq '{app_id}'")


def find(run):
    with ThreadPoolExecutor(3) as pool:  # three lists at the same time
        groups = pool.submit(az, 'group', 'list')
        applications = pool.submit(az, 'ad', 'app', 'list', '--display-name', liverun.APP_PREFIX)
        principals = pool.submit(lambda: [] if run.deeplake_principal_existed else
                                 deeplake_principals(run.deeplake_app_id))
    return Found([g for g in groups.result() if (g.get('tags') or {}).get(liverun.RUN_TAG) == run.id],
                 [a for a in applications.result() if a['displayName'].startswith(liverun.APP_PREFIX)
                  and _ours(a) and _created(a) >= run.created_since],
                 [p for p in principals.result() if _ours(p)])


def _ours(graph_object):
    return APP_TAG in (graph_object.get('tags') or [])


def _created(graph_object):
    return datetime.datetime.fromisoformat(graph_object['createdDateTime'])


def remove(found):
    """Delete everything found; {name: why its deletion failed}. Resource groups are deleted at the same time
    (those the tests already deleted without waiting are only waited for)."""
    errors = {}
    for kind, name, thing in found.describe():
        try:
            if kind == 'resource group':
                if (thing.get('properties') or {}).get('provisioningState') != 'Deleting':
                    az('group', 'delete', '-n', name, '--yes', '--no-wait')
            elif kind == 'application':
                az('ad', 'app', 'delete', '--id', thing['id'])
            else:
                az('ad', 'sp', 'delete', '--id', thing['id'])
        except AzError as ex:
            errors[name] = str(ex)
    for group in (g for g in found.groups if g['name'] not in errors):
        try:
            az('group', 'wait', '--deleted', '-n', group['name'], '--interval', '10', '--timeout',
               str(GROUP_DELETE_TIMEOUT), timeout=GROUP_DELETE_TIMEOUT + 60)
        except AzError as ex:
            errors.setdefault(group['name'], str(ex))
    return errors


def sweep(run, report=print):
    """Remove what the run created; [(kind, name, why)] of what is still there afterwards."""
    try:
        found = find(run)
    except AzError as ex:
        return [('everything', 'the run created', f'could not list what is left: {ex}')]
    pieces = found.describe()
    report(f"Cleaning up run {run.id}: {len(pieces)} piece(s) left: " +
           (', '.join(f'{kind} {name}' for kind, name, _ in pieces) or 'none'))
    errors = remove(found)
    try:
        left = find(run).describe()
    except AzError as ex:
        return [(kind, name, f'not checked afterwards: {ex}') for kind, name, _ in pieces]
    return [(kind, name, errors.get(name, 'still there after its deletion')) for kind, name, _ in left]
