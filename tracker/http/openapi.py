"""The OpenAPI document, finished where litestar cannot see: the problem shape every refusal
shares, how a caller authenticates, every status an operation can answer, and request
examples a person in a Pemda office would write.

What an operation can answer follows from its handler's signature, so a new route is
described the day it is added: `who` (the principal decides) → 403; `after` (a read of the
read models) → 304, 503; a body → 413, 422; an unsafe method → 401 for the anonymous,
409 (a rule of the domain), 412 (a stale `If-Match`); path parameters → 404.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from litestar import Litestar, Request
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.routes import HTTPRoute

from tracker.api.examples import REQUEST_EXAMPLES
from tracker.http.openapi_docs import RESPONDS, document_components, response_schema
from tracker.http.openapi_reads import read_content
from tracker.http.principal import PUBLIC_WRITE, SESSION_COOKIE, UNSAFE_METHODS
from tracker.http.problems import MEDIA_TYPE, PROBLEMS

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM: dict[str, Any] = {
    "type": "object",
    "description": (
        "RFC 9457 problem details. `code` is stable for programs; `detail_id` and `detail_en`"
        " say the same in Bahasa Indonesia and English (`detail` is the one Accept-Language"
        " asked for); `request_id` is the X-Request-ID of the answer, for the logs."
    ),
    "required": ["type", "title", "status", "detail", "instance", "code"],
    "properties": {
        "type": {"type": "string", "examples": ["/problems/other-region"]},
        "title": {"type": "string", "examples": ["Tidak diizinkan"]},
        "status": {"type": "integer", "examples": [403]},
        "detail": {"type": "string"},
        "instance": {"type": "string", "examples": ["/api/v1/actions"]},
        "code": {"type": "string", "examples": ["other-region"]},
        "detail_id": {"type": "string"},
        "detail_en": {"type": "string"},
        "request_id": {"type": ["string", "null"], "examples": ["5f6a9873f39c4f78"]},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "additionalProperties": True,
}
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`tracker token issue`, or /api/v1/users/{id}/tokens).",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "A browser session from /masuk; unsafe requests echo its X-CSRF-Token.",
    },
}
SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
ANYONE = [{}, *SIGNED_IN]  # public, and an account sees more (its drafts, private evidence)

REASONS = {
    "304": "Tidak berubah / not modified: the If-None-Match ETag is current",
    "400": "Kueri atau header tidak valid / an unknown or malformed query parameter or header",
    "401": "Perlu masuk / sign in: no account, or a token that does not work",
    "403": "Tidak diizinkan / the account's role or region does not cover this",
    "404": "Tidak ditemukan / no such record",
    "409": "Ditolak aturan / refused by a rule of the domain (the reason is in `code`)",
    "412": "Versi usang / If-Match names an older version than the record's",
    "413": "Terlalu besar / the body is over the limit",
    "422": "Data tidak valid / the body does not match its schema or its values mean nothing",
    "503": "Belum terbaru / the read models have not reached `after` yet; retry (Retry-After)",
}


@dataclass(frozen=True)
class Operation:
    """What the document needs to know of one handler."""

    method: str
    path: str
    parameters: frozenset[str]
    public_write: bool
    body: type | None  # the type of a `data` body
    declared: tuple[str, ...] = ()  # the handler's opt PROBLEMS
    responds: tuple[str, str] | None = None  # the handler's opt RESPONDS

    @property
    def command(self) -> bool:
        """A write an account must make (the guard's routes): everything unsafe but public."""
        return self.method.upper() in UNSAFE_METHODS and not self.public_write

    def statuses(self) -> list[str]:
        found = {"400", "401", *self.declared}
        if "who" in self.parameters or self.command:
            found.add("403")
        if "{" in self.path or self.command:
            found.add("404")  # a record named in the path or the body that is not there
        if "after" in self.parameters:
            found |= {"304", "503"}
        if "data" in self.parameters:
            found |= {"413", "422"}
        if self.command:
            found |= {"409", "412", "422"}
        return sorted(found)

    def security(self) -> list[dict[str, list[str]]] | None:
        if self.command:
            return SIGNED_IN
        if "who" in self.parameters:
            return ANYONE
        return None


def operations(app: Litestar) -> Iterator[Operation]:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            names = frozenset(inspect.signature(handler.fn).parameters)
            public = bool(handler.opt.get(PUBLIC_WRITE))
            data = handler.parsed_fn_signature.parameters.get("data")
            body = data.annotation if data is not None else None
            declared = tuple(handler.opt.get(PROBLEMS, ()))
            responds = handler.opt.get(RESPONDS)
            for method in handler.http_methods:
                path = route.path_format
                yield Operation(method.lower(), path, names, public, body, declared, responds)


def complete(document: dict[str, Any], found: Iterable[Operation]) -> dict[str, Any]:
    """The document with the problem schema, the security schemes, every operation's
    statuses and the request examples (a new dict; litestar's own is left as it was)."""
    components = dict(document.get("components") or {})
    schemas = {**components.get("schemas", {}), "Problem": PROBLEM, **document_components()}
    paths = {path: dict(item) for path, item in document.get("paths", {}).items()}
    for operation in found:
        item = paths.get(operation.path)
        if item is None or operation.method not in item:
            continue
        item[operation.method] = spec = _described(item[operation.method], operation)
        name = _body_schema(spec)
        if operation.body in REQUEST_EXAMPLES and name in schemas:
            schemas[name] = {**schemas[name], "examples": [REQUEST_EXAMPLES[operation.body]]}
    components["schemas"] = schemas
    components["securitySchemes"] = SECURITY_SCHEMES
    return {**document, "components": components, "paths": paths}


def _body_schema(spec: dict[str, Any]) -> str | None:
    """The component name of an operation's JSON body, if it is one."""
    content = spec.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    return ref.rpartition("/")[2] or None


def response_content(responds: tuple[str, str]) -> dict[str, Any]:
    shape, name = responds
    if shape == "read":
        return read_content(name)
    return {"application/json": {"schema": response_schema(responds)}}


def _described(spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    responses = dict(spec.get("responses", {}))
    if operation.responds is not None:
        ok = dict(responses.get("200", {"description": "OK"}))
        ok["content"] = response_content(operation.responds)
        responses["200"] = ok
    for status in operation.statuses():
        if status == "304":
            responses[status] = {"description": REASONS[status]}
        else:
            content = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
            responses[status] = {"description": REASONS[status], "content": content}
    described = {**spec, "responses": responses}
    security = operation.security()
    if security is not None:
        described["security"] = security
    return described


class CompletedJson(JsonRenderPlugin):
    """/schema/openapi.json: litestar's document, completed once (the routes do not change
    while the application runs)."""

    def __init__(self) -> None:
        super().__init__()
        self._document: dict[str, Any] | None = None

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._document is None:
            self._document = complete(openapi_schema, operations(request.app))
        return self.render_json(request, self._document)
