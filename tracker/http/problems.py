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
)
from domain.access import NotAllowed, SignInRequired
from domain.errors import DomainError, RuleViolated
from tracker.errors import NotFound, StaleVersion

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: ("Permintaan tidak dapat dibaca", "Malformed request"),
    401: ("Perlu masuk", "Sign-in required"),
    403: ("Tidak diizinkan", "Forbidden"),
    404: ("Tidak ditemukan", "Not found"),
    405: ("Metode tidak diizinkan", "Method not allowed"),
    409: ("Bertentangan dengan aturan", "Conflicts with a rule"),
    412: ("Versi sudah usang", "Stale version"),
    413: ("Permintaan terlalu besar", "Request too large"),
    415: ("Jenis konten tidak didukung", "Unsupported media type"),
    422: ("Data tidak valid", "Invalid data"),
    428: ("If-Match diperlukan", "If-Match required"),
    429: ("Terlalu banyak percobaan", "Too many attempts"),
    500: ("Kesalahan server", "Server error"),
    503: ("Layanan belum siap", "Service not ready"),
}


def wants_english(request: Request[Any, Any, Any]) -> bool:
    header = request.headers.get("accept-language", "")
    return header.strip().lower().startswith("en")


def problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    detail_id: str,
    detail_en: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[bytes]:
    english = wants_english(request)
    title_id, title_en = TITLES.get(status, TITLES[500])
    body = {
        "type": f"/problems/{code}",
        "title": title_en if english else title_id,
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
        return problem(request, 401, exc.code, exc.message_id, exc.message_en, headers=CHALLENGE)
    if isinstance(exc, NotAllowed):
        return problem(request, 403, exc.code, exc.message_id, exc.message_en)
    status = 409 if isinstance(exc, RuleViolated) else 422
    return problem(request, status, exc.code, exc.message_id, exc.message_en)


def on_token_refused(request: Request[Any, Any, Any], exc: TokenRefused) -> Response[bytes]:
    """A credential that was sent but does not work is never treated as anonymous."""
    return problem(
        request,
        401,
        "invalid-credentials",
        f"Token atau sesi tidak berlaku ({exc.reason}).",
        f"The token or session is not valid ({exc.reason}).",
        headers={"WWW-Authenticate": 'Bearer realm="tracker", error="invalid_token"'},
    )


def on_account_error(request: Request[Any, Any, Any], exc: AccountError) -> Response[bytes]:
    """Account refusals are one English line (shared with the CLI); 409 when the id is taken,
    404 when the user or token does not exist."""
    status = (
        409 if isinstance(exc, AccountExists) else 404 if isinstance(exc, AccountMissing) else 422
    )
    return problem(request, status, "account-refused", f"Akun ditolak: {exc}", f"{exc}")


def on_throttled(request: Request[Any, Any, Any], exc: SignInThrottled) -> Response[bytes]:
    return problem(
        request,
        429,
        "sign-in-throttled",
        f"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {exc.retry_after} detik.",
        f"Too many failed sign-ins; try again in {exc.retry_after} seconds.",
        headers={"Retry-After": str(exc.retry_after)},
    )


def on_not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    if isinstance(exc, NotFound):
        return problem(
            request,
            404,
            f"unknown-{exc.kind}",
            f"{exc.kind.capitalize()} {exc.ident} tidak ditemukan.",
            f"{exc.kind.capitalize()} {exc.ident} was not found.",
        )
    return problem(
        request,
        404,
        "not-found",
        f"Alamat {request.url.path} tidak ditemukan.",
        f"Nothing at {request.url.path}.",
    )


def on_stale(request: Request[Any, Any, Any], exc: StaleVersion) -> Response[bytes]:
    current = f" (versi saat ini {exc.current})" if exc.current is not None else ""
    current_en = f" (current version {exc.current})" if exc.current is not None else ""
    return problem(
        request,
        412,
        "stale-version",
        f"Data telah diubah orang lain sejak versi {exc.expected}{current}; muat ulang.",
        f"Someone changed this since version {exc.expected}{current_en}; reload and retry.",
        current_version=exc.current,
    )


def on_too_large(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    limit = request.route_handler.resolve_request_max_body_size()
    return problem(
        request,
        413,
        "body-too-large",
        f"Badan permintaan melebihi batas {limit} bita.",
        f"The request body exceeds the {limit}-byte limit.",
    )


def _malformed_body(request: Request[Any, Any, Any]) -> Response[bytes] | None:
    body = request._connection_state.body  # noqa: SLF001 - litestar caches the raw body here
    if not isinstance(body, bytes | bytearray):
        return None
    try:
        msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        return problem(
            request,
            400,
            "malformed-json",
            f"Badan permintaan bukan JSON yang sah: {error}",
            f"The request body is not valid JSON: {error}",
        )
    return None


def on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    """Litestar reports bad JSON and schema mismatches alike; tell them apart (400 vs 422)."""
    if (malformed := _malformed_body(request)) is not None:
        return malformed
    errors = exc.extra if isinstance(exc.extra, list) else []
    message = "; ".join(
        str(e.get("message", "")) + (f" ({e['key']})" if e.get("key") else "")
        for e in errors
        if isinstance(e, dict)
    ) or str(exc.detail)
    return problem(
        request,
        422,
        "invalid-data",
        f"Data tidak sesuai skema: {message}",
        f"The data does not match the schema: {message}",
        errors=errors,
    )


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:  # litestar's own failures (a dependency, a signature) are bugs: log them
        structlog.get_logger("api").error(
            "request.failed", error=type(exc).__name__, detail=str(exc.detail), exc_info=exc
        )
    detail = str(exc.detail)
    if status == 400 and (malformed := _malformed_body(request)) is not None:
        return malformed
    if status == 400:
        return problem(
            request, 400, "bad-request", f"Permintaan tidak sah: {detail}", f"Bad request: {detail}"
        )
    return problem(request, status, f"http-{status}", detail, detail)


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    structlog.get_logger("api").exception("request.failed", error=type(exc).__name__)
    return problem(
        request,
        500,
        "internal-error",
        "Terjadi kesalahan di server; tidak ada data yang diubah sebagian.",
        "The server failed; nothing was partially written.",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    TokenRefused: on_token_refused,
    SignInThrottled: on_throttled,
    AccountError: on_account_error,
    NotFound: on_not_found,
    NotFoundException: on_not_found,
    StaleVersion: on_stale,
    RequestEntityTooLarge: on_too_large,
    ValidationException: on_validation,
    HTTPException: on_http,
    Exception: on_unexpected,
}
