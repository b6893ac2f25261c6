"""RFC 9457 problem details for every refusal, in Bahasa Indonesia first, English too.

Clients pick the language with Accept-Language; `detail_id` and `detail_en` are always
both present so a log or a bug report carries both.
"""

from __future__ import annotations

from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge

from adapters.account_types import (
    AccountError,
    AccountExists,
    AccountMissing,
    SignInThrottled,
    TokenRefused,
    TooMany,
)
from domain.access import NotAllowed, SignInRequired
from domain.errors import DomainError, RuleViolated
from tracker import catalogue
from tracker.errors import BadQuery, NotFound, StaleVersion

MEDIA_TYPE = "application/problem+json"
PROBLEMS = "problems"  # a handler's opt: statuses its signature does not show (openapi.py)


def wants_english(request: Request[Any, Any, Any]) -> bool:
    header = request.headers.get("accept-language", "")
    return header.strip().lower().startswith("en")


def problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    key: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[bytes]:
    """A problem whose detail is catalogue entry `key` filled with `params`, in both languages."""
    english = wants_english(request)
    title = f"problem.title.{status}"
    if not catalogue.has(title):
        title = "problem.title.500"
    detail_id = catalogue.text("id", key, **(params or {}))
    detail_en = catalogue.text("en", key, **(params or {}))
    body = {
        "type": f"/problems/{code}",
        "title": catalogue.text("en" if english else "id", title),
        "status": status,
        "detail": detail_en if english else detail_id,
        "instance": request.url.path,
        "code": code,
        "detail_id": detail_id,
        "detail_en": detail_en,
        "request_id": structlog.contextvars.get_contextvars().get("request_id"),
        **extra,
    }
    return Response(
        content=msgspec.json.encode(body),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tracker"'}


def on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    if isinstance(exc, SignInRequired):
        return problem(request, 401, exc.code, exc.key, exc.params, headers=CHALLENGE)
    if isinstance(exc, NotAllowed):
        return problem(request, 403, exc.code, exc.key, exc.params)
    status = 409 if isinstance(exc, RuleViolated) else 422
    about: dict[str, Any] = {"subject": exc.subject} if exc.subject is not None else {}
    return problem(request, status, exc.code, exc.key, exc.params, **about)


def on_token_refused(request: Request[Any, Any, Any], exc: TokenRefused) -> Response[bytes]:
    """A credential that was sent but does not work is never treated as anonymous."""
    return problem(
        request,
        401,
        "invalid-credentials",
        "problem.invalid-credentials",
        {"reason": exc.reason},
        headers={"WWW-Authenticate": 'Bearer realm="tracker", error="invalid_token"'},
    )


def on_account_error(request: Request[Any, Any, Any], exc: AccountError) -> Response[bytes]:
    """Account refusals are worded from the catalogue, as in the CLI; 409 when the id is
    taken, 404 when the user or token does not exist, 429 over a limit."""
    status = (
        409
        if isinstance(exc, AccountExists)
        else 404
        if isinstance(exc, AccountMissing)
        else 429
        if isinstance(exc, TooMany)
        else 422
    )
    return problem(request, status, "account-refused", exc.key, exc.params)


def on_throttled(request: Request[Any, Any, Any], exc: SignInThrottled) -> Response[bytes]:
    return problem(
        request,
        429,
        "sign-in-throttled",
        "problem.sign-in-throttled",
        {"seconds": exc.retry_after},
        headers={"Retry-After": str(exc.retry_after)},
    )


def on_not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    if isinstance(exc, NotFound):
        params = {"kind": exc.kind.capitalize(), "ident": exc.ident}
        return problem(request, 404, f"unknown-{exc.kind}", "problem.unknown-record", params)
    return problem(request, 404, "not-found", "problem.not-found", {"path": request.url.path})


def on_stale(request: Request[Any, Any, Any], exc: StaleVersion) -> Response[bytes]:
    key = "problem.stale-version" + (".current" if exc.current is not None else "")
    params = {"expected": exc.expected, "current": exc.current}
    return problem(request, 412, "stale-version", key, params, current_version=exc.current)


def on_too_large(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    limit = request.route_handler.resolve_request_max_body_size()
    return problem(request, 413, "body-too-large", "problem.body-too-large", {"limit": limit})


def _malformed_body(request: Request[Any, Any, Any]) -> Response[bytes] | None:
    body = request._connection_state.body  # noqa: SLF001 - litestar caches the raw body here
    if not isinstance(body, bytes | bytearray):
        return None
    try:
        msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        return problem(request, 400, "malformed-json", "problem.malformed-json", {"error": error})
    return None


def on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    """Litestar reports bad JSON and schema mismatches alike; tell them apart (400 vs 422)."""
    if (malformed := _malformed_body(request)) is not None:
        return malformed
    errors = exc.extra if isinstance(exc.extra, list) else []
    query = [e for e in errors if isinstance(e, dict) and e.get("source") == "query"]
    if query:  # a bad filter or page parameter is the caller's URL, not a body: 400
        message = "; ".join(f"{e.get('key')}: {e.get('message', '')}" for e in query)
        return problem(
            request,
            400,
            "invalid-query",
            "problem.invalid-query",
            {"message": message},
            errors=query,
        )
    if not errors and "query parameter" in str(exc.detail):  # one missing from the URL
        detail = str(exc.detail).partition(" for path ")[0]
        return problem(request, 400, "invalid-query", "problem.invalid-query", {"message": detail})
    message = "; ".join(
        str(e.get("message", "")) + (f" ({e['key']})" if e.get("key") else "")
        for e in errors
        if isinstance(e, dict)
    ) or str(exc.detail)
    params = {"message": message}
    return problem(request, 422, "invalid-data", "problem.invalid-data", params, errors=errors)


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:  # litestar's own failures (a dependency, a signature) are bugs: log them
        structlog.get_logger("api").error(
            "request.failed", error=type(exc).__name__, detail=str(exc.detail), exc_info=exc
        )
    detail = {"detail": str(exc.detail)}
    if status == 400 and (malformed := _malformed_body(request)) is not None:
        return malformed
    if status == 400:
        return problem(request, 400, "bad-request", "problem.bad-request", detail)
    return problem(request, status, f"http-{status}", "problem.http", detail)


def on_bad_query(request: Request[Any, Any, Any], exc: BadQuery) -> Response[bytes]:
    return problem(request, 400, exc.code, f"problem.{exc.code}", dict(exc.params))


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    structlog.get_logger("api").exception("request.failed", error=type(exc).__name__)
    return problem(request, 500, "internal-error", "problem.internal-error")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    TokenRefused: on_token_refused,
    SignInThrottled: on_throttled,
    AccountError: on_account_error,
    NotFound: on_not_found,
    NotFoundException: on_not_found,
    StaleVersion: on_stale,
    BadQuery: on_bad_query,
    RequestEntityTooLarge: on_too_large,
    ValidationException: on_validation,
    HTTPException: on_http,
    Exception: on_unexpected,
}
