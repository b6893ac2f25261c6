"""`Idempotency-Key` on every write of the API, and the workspace forms' hidden
`idempotency_key` field: a phone on a weak connection that sends a report again after a
timeout, or a double-click on a form, gets the first answer back; nothing is written twice.

Per account (the bearer token's or the session's; an anonymous write has no key space
and runs as sent) and key, kept 24 hours: the same key with the same request (method,
path, query, content type and body) answers what the first one answered, marked
`Idempotent-Replayed: true`; with another request it is 422; while the first still runs,
409 with `Retry-After`. An answer of 5xx is not kept, so the retry runs again. The account
is decided before the body is read or validated. A first run whose process died keeps its
claim for the lease; then a retry runs, unless the dead run had stored its events (the
key is written in their transaction): that retry is told so (409), never stored twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from litestar import Request
from litestar.types import ASGIApp

from adapters.account_types import TokenRefused
from adapters.idempotency_types import CURRENT_ATTEMPT, Answer, Attempt, Claim, Claimed
from tracker.http.principal import FORM_TYPES, SESSION_COOKIE, UNSAFE_METHODS, bearer_token
from tracker.http.problems import problem

if TYPE_CHECKING:
    from tracker.bootstrap import Services

HEADER = b"idempotency-key"
KEEP_FOR = timedelta(hours=24)
PURGE_EVERY = timedelta(minutes=10)
WAIT = timedelta(seconds=30)  # a form's second click waits this long for the first
NOT_REPLAYED = frozenset({b"x-request-id", b"date", b"content-length"})


async def _account(
    services: Services, request: Request[Any, Any, Any], now: datetime
) -> str | None:
    """Whose key space: the token's or the session's account; None for anonymous or for a
    credential that does not work (the handler then refuses it as usual)."""
    accounts = services.accounts
    try:
        header = request.headers.get("authorization")
        if header is not None:
            return (await accounts.token_principal(bearer_token(header), now)).user_id
        session_id = request.cookies.get(SESSION_COOKIE)
        if session_id:
            return str((await accounts.session_principal(session_id, now))[0].user_id)
    except TokenRefused:
        return None
    return None


async def _body(receive: Any) -> tuple[bytes, Any]:
    """The whole request body, and a `receive` that hands it on as if unread."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body, sent = b"".join(chunks), False

    async def replay() -> Any:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


FORM_FIELD = "idempotency_key"  # the workspace forms' hidden field
_MULTIPART_KEY = re.compile(rb'name="idempotency_key"\r\n\r\n([^\r\n]{0,300})\r\n')


def _form_key(headers: dict[bytes, bytes], body: bytes) -> str | None:
    """The hidden field's value: a double-click sends the same form, and the same key, twice."""
    if headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
        found = _MULTIPART_KEY.search(body)
        return found.group(1).decode("latin-1") if found else None
    values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(FORM_FIELD)
    return values[0] if values else None


def _digest(scope: Any, headers: dict[bytes, bytes], body: bytes) -> bytes:
    """The request's fingerprint. A browser draws a new multipart boundary for every
    submission, so it is left out: the same form sent twice has one fingerprint."""
    kind = headers.get(b"content-type", b"")
    boundary = (
        re.search(rb"boundary=\"?([^\";]+)", kind) if kind.startswith(b"multipart/") else None
    )
    if boundary is not None:
        body, kind = body.replace(boundary.group(1), b"--"), b"multipart/form-data"
    request = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope["path"].encode(),
        scope.get("query_string", b""),
        kind,
    ):
        request.update(part + b"\n")
    request.update(body)
    return request.digest()


async def _refuse(scope: Any, receive: Any, send: Any, status: int, code: str) -> None:
    busy = {"Retry-After": "1"} if code == "idempotency-key-in-use" else None
    response = problem(Request(scope), status, code, f"problem.{code}", headers=busy)
    await response.to_asgi_response(app=None, request=Request(scope))(scope, receive, send)


async def _replay(send: Any, answer: Answer) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    headers.append((b"content-length", str(len(answer.body)).encode()))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


class _Keyed:
    """The middleware around the application (one per app)."""

    def __init__(self, app: ASGIApp, services: Services, clock: Callable[[], datetime]) -> None:
        self.app, self.services, self.clock = app, services, clock
        self.purged: datetime | None = None
        self.running: dict[tuple[str, str], asyncio.Event] = {}  # first tries in this process

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        api = scope["path"].startswith("/api/")
        request: Request[Any, Any, Any] = Request(scope)
        form = not api and request.content_type[0] in FORM_TYPES
        if (api and HEADER not in headers) or not (api or form):
            await self.app(scope, receive, send)
            return
        now = self.clock()
        account = await _account(self.services, request, now)
        if account is None:
            await self.app(scope, receive, send)
            return
        body, replay = await _body(receive)
        key = headers[HEADER].decode("latin-1").strip() if api else _form_key(headers, body)
        if key is None:  # a form without the hidden field: as sent
            await self.app(scope, replay, send)
        elif not (0 < len(key) <= 255 and key.isprintable()):
            await _refuse(scope, replay, send, 400, "idempotency-key-invalid")
        else:
            digest = _digest(scope, headers, body)
            await self._keyed(scope, replay, send, (account, key), digest, form)

    async def _keyed(
        self, scope: Any, receive: Any, send: Any, who: tuple[str, str], digest: bytes, form: bool
    ) -> None:
        """A browser shows only the answer to its last click: a form's second submission
        waits for the first and shows its answer, and a form sent again after going back
        and changing it runs as new. An API client is told (409, 422) instead."""
        now = self.clock()
        await self._purge(now)
        store = self.services.idempotency
        claimed = await store.claim(*who, digest, now)
        if claimed.claim is Claim.BUSY and form:
            claimed = await self._after_first(who, digest)
        if claimed.claim is Claim.REPLAY:
            assert claimed.answer is not None
            await _replay(send, claimed.answer)
        elif claimed.claim is Claim.BUSY:
            await _refuse(scope, receive, send, 409, "idempotency-key-in-use")
        elif claimed.claim is Claim.APPLIED:
            await _refuse(scope, receive, send, 409, "idempotency-key-applied")
        elif claimed.claim is Claim.MISMATCH and not form:
            await _refuse(scope, receive, send, 422, "idempotency-key-reused")
        elif claimed.claim is Claim.MISMATCH:
            await self.app(scope, receive, send)
        else:
            done = self.running.setdefault(who, asyncio.Event())
            try:
                await _first(self.app, scope, receive, send, store, *who)
            finally:
                done.set()
                self.running.pop(who, None)

    async def _after_first(self, who: tuple[str, str], digest: bytes) -> Claimed:
        """The first submission's answer once it has one (it runs here, or on another
        replica: then its row is looked at again every so often), or BUSY after WAIT."""
        deadline = time.monotonic() + WAIT.total_seconds()  # real time: test clocks stand still
        while time.monotonic() < deadline:
            running = self.running.get(who)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    running.wait() if running else asyncio.sleep(0.2), timeout=1.0
                )
            claimed: Claimed = await self.services.idempotency.claim(*who, digest, self.clock())
            if claimed.claim is not Claim.BUSY:
                return claimed
        return Claimed(Claim.BUSY)

    async def _purge(self, now: datetime) -> None:
        if self.purged is None or now - self.purged > PURGE_EVERY:
            self.purged = now
            await self.services.idempotency.purge(now - KEEP_FOR)


def idempotency_middleware(services: Services, clock: Callable[[], datetime]) -> Any:
    def wrap(app: ASGIApp) -> ASGIApp:
        return _Keyed(app, services, clock)

    return wrap


async def _first(
    app: Any, scope: Any, receive: Any, send: Any, store: Any, account: str, key: str
) -> None:
    """Run the request once and keep its answer (not a 5xx: the retry may succeed)."""
    status, kept, chunks = 500, [], []

    async def capture(message: Any) -> None:
        nonlocal status, kept
        if message["type"] == "http.response.start":
            status = message["status"]
            kept = [
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, v in message.get("headers", [])
                if k.lower() not in NOT_REPLAYED
            ]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    attempt = Attempt(account, key)
    token = CURRENT_ATTEMPT.set(attempt)  # the event store records the key with the events
    try:
        await app(scope, receive, capture)
    except BaseException:
        if not attempt.marked:  # stored: keep the claim, a retry learns so after the lease
            await store.release(account, key)
        raise
    finally:
        CURRENT_ATTEMPT.reset(token)
    if status < 500:
        await store.complete(account, key, Answer(status, kept, b"".join(chunks)))
    elif not attempt.marked:
        await store.release(account, key)
    # A 5xx after the events were stored keeps the claim unanswered: see LEASE.
