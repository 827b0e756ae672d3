"""Questions the logbook's pages ask the apps above it (core.hooks): audit imports none of them.

persons answers the search by BSN, accounts and regions name the objects an entry's details point at. Each
registers in its AppConfig.ready().
"""

from core.hooks import Hook

# fn(details=[an entry's details, ...]) -> {kind: {value in the details: its name in words}}; kinds: "user",
# "organisation", "municipality", "sector", "subtype". One read per kind for the whole page.
objects_named = Hook("objects of logbook entries named")
# fn(bsn=the typed value, actor=, request=, region=, limit=) -> (pseudonym, "") when the search may go ahead, or
# ("", the refusal in words) when the value is no BSN or the look-up limit is reached. Exactly one handler.
bsn_search_checked = Hook("logbook search by BSN checked")


def bsn_search_check(*, bsn: str, actor, request, region, limit: int) -> tuple[str, str]:
    """The pseudonym to search the logbook by, or the refusal in words (the BSN itself is never kept)."""
    (answer,) = bsn_search_checked.send(bsn=bsn, actor=actor, request=request, region=region, limit=limit)
    return answer
