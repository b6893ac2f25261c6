"""Unknown query parameters are refused on the JSON API: a misspelt filter (`?stauts=`)
would otherwise answer the unfiltered list, and a reader would quote the wrong figure."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.params import ParameterKwarg, PathParameter

from tracker.http.problems import problem

_ACCEPTED: dict[int, tuple[Any, frozenset[str]]] = {}


def accepted_query(handler: Any) -> frozenset[str]:
    """The query names a route handler declares, by their public names (aliases). Cached
    with the handler itself held, so an id is never reused for another app's handler."""
    cached = _ACCEPTED.get(id(handler))
    if cached is not None and cached[0] is handler:
        return cached[1]
    dependencies = set(handler.resolve_dependencies())
    names = set()
    for name, field in handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        if name in dependencies or not isinstance(kwarg, ParameterKwarg):
            continue
        if kwarg.header or kwarg.cookie or isinstance(kwarg, PathParameter):
            continue
        names.add(kwarg.query or getattr(kwarg, "name", None) or name)
    accepted = frozenset(names)
    _ACCEPTED[id(handler)] = (handler, accepted)
    return accepted


async def refuse_unknown_query(request: Request[Any, Any, Any]) -> Response[bytes] | None:
    if not request.url.path.startswith("/api/"):
        return None  # pages keep working with tracking parameters on shared links
    given = set(request.query_params.keys())
    if not given:
        return None
    accepted = accepted_query(request.route_handler)
    unknown = sorted(given - accepted)
    if not unknown:
        return None
    params = {"names": ", ".join(unknown), "accepted": ", ".join(sorted(accepted)) or "—"}
    return problem(
        request,
        400,
        "unknown-query-parameter",
        "problem.unknown-query-parameter",
        params,
        unknown=unknown,
        accepted=sorted(accepted),
    )
