"""The OData query options the emulated Graph supports: $filter (eq, startswith, any), $select, $top, and $expand
of one navigation property (with a nested $select)."""
import re

from .errors import ApiError

_STRING = r"'(?P<{0}>(?:[^']|'')*)'"
_CLAUSE = re.compile(
    r"\s*(?:startswith\(\s*(?P<sw_prop>\w+)\s*,\s*" + _STRING.format("sw_val") + r"\s*\)"
    r"|(?P<any_prop>\w+)/any\(\s*(?P<var>\w+)\s*:\s*(?P=var)\s+eq\s+" + _STRING.format("any_val") + r"\s*\)"
    r"|(?P<eq_prop>\w+)\s+eq\s+" + _STRING.format("eq_val") + r")\s*", re.IGNORECASE)
_AND = re.compile(r"and\s+", re.IGNORECASE)
_EXPANSION = re.compile(r"^\s*(?P<name>\w+)\s*(?:\(\s*\$select\s*=\s*(?P<select>[^)]*)\))?\s*$", re.IGNORECASE)


def unsupported(detail="Unsupported Query."):
    return ApiError(400, "Request_UnsupportedQuery", detail)


def _find_prop(name, supported):
    return next((p for p in supported if p.lower() == name.lower()), None)


def parse_filter(text, supported, resource):
    """A predicate for an OData $filter. supported maps property -> set of operators ('eq', 'startswith',
    'any'). String comparisons are case-insensitive, as in Entra ID."""
    predicates, pos = [], 0
    while True:
        match = _CLAUSE.match(text, pos)
        if not match:
            raise unsupported("Invalid filter clause: syntax error or unsupported expression at position "
                              f"{pos} in '{text}'.")
        if match.group("sw_prop"):
            op, prop, value = "startswith", match.group("sw_prop"), match.group("sw_val")
        elif match.group("any_prop"):
            op, prop, value = "any", match.group("any_prop"), match.group("any_val")
        else:
            op, prop, value = "eq", match.group("eq_prop"), match.group("eq_val")
        known = _find_prop(prop, supported)
        if known is None or op not in supported[known]:
            raise unsupported(f"Unsupported or invalid query filter clause specified for property '{prop}' "
                              f"of resource '{resource}'.")
        predicates.append(_predicate(op, known, value.replace("''", "'").lower()))
        pos = match.end()
        if pos >= len(text):
            return lambda record: all(p(record) for p in predicates)
        and_match = _AND.match(text, pos)
        if not and_match:
            raise unsupported(f"Invalid filter clause: expected 'and' at position {pos} in '{text}'.")
        pos = and_match.end()


def _predicate(op, prop, value):
    if op == "eq":
        return lambda r: str(r.get(prop) or "").lower() == value
    if op == "startswith":
        return lambda r: str(r.get(prop) or "").lower().startswith(value)
    return lambda r: any(str(v).lower() == value for v in (r.get(prop) or []))


def apply_select(record, request):
    return select_fields(record, request.param("$select"))


def select_fields(record, select):
    """record with only the properties named in a $select value (plus id and @odata annotations)."""
    if not select:
        return record
    wanted = {s.strip().lower() for s in select.split(",")} | {"id"}
    return {k: v for k, v in record.items() if k.lower() in wanted or k.startswith("@odata")}


def expansion(request, type_name, navigations):
    """(navigation property, nested $select or None) that $expand asks for, or (None, None). One navigation
    property at most (pessimistic: Entra ID refuses several for some types; code and text are guesses)."""
    text = request.param("$expand")
    if not text:
        return None, None
    if len(_top_level_items(text)) > 1:
        raise ApiError(400, "Request_BadRequest", f"Expanding more than one navigation property is not supported: "
                                                  f"'{text}'.")
    match = _EXPANSION.match(text)
    name = next((n for n in navigations if match and n.lower() == match["name"].lower()), None)
    if name is None:
        raise ApiError(400, "BadRequest", f"Could not find a property named '{text}' on type "
                                          f"'microsoft.graph.{type_name}'.")
    return name, match["select"]


def _top_level_items(text):
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return items + [current]


def top(request):
    value = request.param("$top")
    if value is None:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 999:
        raise ApiError(400, "Request_BadRequest", f"Invalid page size specified: '{value}'. Must be between 1 and 999 "
                                                  "inclusive.")
    return int(value)
