"""schemathesis hooks for scripts/contract-test.sh.

`cursor` is opaque: per the contract its only valid values are `next_cursor`s the server
handed out for the same filters and sort. No schema can say that, so schemathesis sends
made-up cursors (`cursor=0`) as valid data and the server rightly answers 400 naming
`cursor`. The hook below drops exactly that failure and nothing else: a cursor that the
server itself handed out for the same filters and sort must still be accepted, an empty
one is the schema's business (`minLength: 1`), and every other check still runs on the
requests with made-up cursors (no 5xx, a conforming body).

The credentials: the ingest operation (`POST /v1/sync-errors`) takes only a token marked
for ingestion, the other operations only an admin's. The auth provider at the end sends the
demo ingest token to the first and the demo admin token to the others, as bearer tokens (the
spec's `bearerToken` scheme: the config's `[auth.openapi.bearerToken]` would take
precedence over it, with one token for all, and per-operation auth in the config knows only
Basic). Its credentials count as explicit, so `ignored_auth` still takes them away (and
puts wrong ones) to see every operation refuse.
"""

import schemathesis

ADMIN_TOKEN = "demo-admin-token"
INGEST_TOKEN = "demo-ingest-token"

LIST_PATH = "/v1/sync-errors"
FILTERS = ("from", "to", "level", "error_code", "object_type", "q")
DEFAULT_SORT = "-failed_at"

# (cursor, filters, sort) of every `next_cursor` the server answered with.
issued = set()


def key(query, cursor):
    query = query or {}
    filters = tuple(str(query.get(name)) for name in FILTERS)
    return (str(cursor), filters, str(query.get("sort", DEFAULT_SORT)))


@schemathesis.hook
def after_call(context, case, response):
    if case.operation.path != LIST_PATH or response.status_code != 200:
        return
    try:
        cursor = response.json().get("next_cursor")
    except (ValueError, AttributeError):
        return
    if isinstance(cursor, str):
        issued.add(key(case.query, cursor))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but "schema-valid request rejected" for a made-up, non-empty cursor."""
    if failure.code != "ST202" or response.status_code != 400:
        return True
    cursor = (case.query or {}).get("cursor")
    try:
        parameter = response.json()["error"].get("parameter")
    except (ValueError, KeyError, TypeError, AttributeError):
        return True
    return parameter != "cursor" or not cursor or key(case.query, cursor) in issued


# No caching: the token depends on the operation.
@schemathesis.auth(refresh_interval=None)
class DemoTokens:
    """The demo ingest token for the ingest operation, the demo admin token for the others."""

    def get(self, case, context):
        if case.operation.method.upper() == "POST" and case.operation.path == LIST_PATH:
            return INGEST_TOKEN
        return ADMIN_TOKEN

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
