"""Graph routes for the owners of applications and service principals: list (GET .../owners), add by reference
(POST .../owners/$ref) and remove (DELETE .../owners/{id}/$ref). Owners are users or service principals."""
# Route handlers share one signature: (finder, service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
import functools
import re

from . import graph_common as g

REF_ID = re.compile(r"/(?:directoryObjects|users|servicePrincipals)/(?P<id>[^/]+)/?$", re.IGNORECASE)


def register(router, parents):
    """parents: (collection path, key patterns, finder(svc, **path groups)) of applications and service principals."""
    for base, refs, find in parents:
        for ref in refs:
            router.add("GET", base + ref + "/owners", functools.partial(list_owners, find))
            router.add("POST", base + ref + r"/owners/\$ref", functools.partial(add_owner, find))
            router.add("DELETE", base + ref + r"/owners/(?P<owner_id>[^/]+)/\$ref",
                       functools.partial(remove_owner, find))


def readable_owners(svc, record):
    """The owners as directory objects with @odata.type; 403 while graph.owners.read is denied."""
    svc.require(g.OWNERS_READ)
    found = (svc.state.directory.directory_object(owner_id) for owner_id in record["_owners"])
    return [owner for owner in found if owner is not None]


def list_owners(find, svc, request, **keys):
    svc.require(g.READ)
    return svc.collection(request, "directoryObjects", readable_owners(svc, find(svc, **keys)))


def add_owner(find, svc, request, **keys):
    svc.require(g.WRITE)
    record = find(svc, **keys)
    g.require_owner(svc, record)
    reference = svc.body(request).get("@odata.id")
    match = REF_ID.search(reference) if isinstance(reference, str) else None
    if match is None:  # text unverified
        raise g.bad_request("Invalid value specified for property '@odata.id': a directory object URL is expected.")
    owner = svc.state.directory.directory_object(match["id"])
    if owner is None or owner["@odata.type"] == "#microsoft.graph.application":
        raise g.not_found(match["id"])
    if owner["id"] in record["_owners"]:  # the text az quotes in its role module
        raise g.bad_request("One or more added object references already exist for the following modified "
                            "properties: 'owners'.")
    svc.state.directory.add_owner(record, owner["id"])
    return svc.no_content()


def remove_owner(find, svc, request, owner_id, **keys):
    svc.require(g.WRITE)
    record = find(svc, **keys)
    g.require_owner(svc, record)
    if owner_id.lower() not in record["_owners"]:
        raise g.not_found(owner_id)
    record["_owners"].remove(owner_id.lower())
    return svc.no_content()
