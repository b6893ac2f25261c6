"""Public subscriptions: anyone follows a region, a province, a forum or an action by mail
(double opt-in: nothing is sent but the confirmation mail until its link is used; every mail
carries a one-click unsubscribe), and integrators register webhooks (HTTPS; each body
signed with HMAC-SHA256 over "timestamp.body" in `Tracker-Signature: t=…,v1=…`).

The fan-out reads the event log after its saved position, leaves out every private event
(drafts, reminders: projections/public.py), redacts the rest to its public form, and queues
one notice per active subscription whose scope the event touches, with the position, in
one transaction. The sender mails or posts what is due; a failure waits longer each time
(tracker/delivery.wait_after) and a webhook failing DISABLE_AFTER times in a row is
disabled. Its owner reads its delivery log with the management token it was given once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import msgspec
import structlog

from adapters import codec
from adapters.account_types import AccountError
from adapters.subscription_types import Channel, Notice, Subscription
from adapters.tasks import finish
from domain.access import Principal
from projections import public
from tracker import catalogue
from tracker.accounts import mail_address
from tracker.commands import ConfirmSubscription, RegisterWebhook, Subscribe, Unsubscribe
from tracker.delivery import MAX_ATTEMPTS, EventSource, wait_after
from tracker.ports import Mailer

CONSUMER = "public"
DISABLE_AFTER = 10  # a webhook failing this many times in a row is disabled
SIGNATURE_HEADER = "Tracker-Signature"
LOOPBACK = ("127.0.0.1", "localhost", "::1")  # plain http only for a receiver on this host


def check_scope(scope: str, known: Callable[[str], bool]) -> str:
    """A region or province code, `forum:<id>`, `action:<id>`, or `*` (webhooks only)."""
    kind, _, rest = scope.partition(":")
    if kind in ("forum", "action") and rest:
        try:
            return f"{kind}:{UUID(rest)}"
        except ValueError:
            pass
    elif scope == "*" or known(scope):
        return scope
    raise AccountError("subscription-scope", scope=scope)


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not secure or not parts.hostname or len(url) > 2000:
        raise AccountError("webhook-url", url=url)
    return url.strip()


@dataclass(frozen=True)
class SubscriptionContext:
    store: Any  # adapters/subscriptions.py or its memory twin
    now: datetime
    known_place: Callable[[str], bool]
    mail: bool  # an SMTP server is configured: mail subscriptions can be confirmed


async def subscribe(ctx: SubscriptionContext, cmd: Subscribe, who: Principal) -> UUID:
    """A pending subscription and its confirmation mail; the answer says nothing more (the
    link goes only to the address, which is how the address is proved)."""
    if not ctx.mail:
        raise AccountError("delivery-unavailable")
    email = mail_address(cmd.email, cmd.lang)
    scope = check_scope(cmd.scope.strip(), ctx.known_place)
    if scope == "*":
        raise AccountError("subscription-scope", scope=scope)
    made = Subscription(
        id=uuid.uuid4(),
        channel=Channel.MAIL,
        scope=scope,
        token=secrets.token_urlsafe(32),
        created_at=ctx.now,
        email=email,
        lang=cmd.lang,
    )
    first = Notice(
        subscription_id=made.id,
        position=0,
        payload={"kind": "confirm"},
        next_attempt_at=ctx.now,
        created_at=ctx.now,
    )
    await ctx.store.add(made, first)
    return made.id


async def _by_token(ctx: SubscriptionContext, token: str) -> Subscription:
    found = await ctx.store.by_token(token.strip()) if token.strip() else None
    if found is None:
        raise AccountError("subscription-token")
    return found  # type: ignore[no-any-return]


async def confirm(ctx: SubscriptionContext, cmd: ConfirmSubscription, who: Principal) -> str:
    found = await _by_token(ctx, cmd.token)
    if found.ended_at is not None:
        raise AccountError("subscription-ended")
    await ctx.store.confirm(found.id, ctx.now)
    return found.scope


async def unsubscribe(ctx: SubscriptionContext, cmd: Unsubscribe, who: Principal) -> str:
    found = await _by_token(ctx, cmd.token)
    await ctx.store.end(found.id, ctx.now)
    return found.scope


async def register_webhook(
    ctx: SubscriptionContext, cmd: RegisterWebhook, who: Principal
) -> tuple[UUID, str]:
    """(its id, its management token): the token is shown once."""
    if not 16 <= len(cmd.secret) <= 256:
        raise AccountError("webhook-secret")
    made = Subscription(
        id=uuid.uuid4(),
        channel=Channel.WEBHOOK,
        scope=check_scope(cmd.scope.strip(), ctx.known_place),
        token=secrets.token_urlsafe(32),
        created_at=ctx.now,
        url=_check_url(cmd.url),
        secret=cmd.secret,
        confirmed_at=ctx.now,  # whoever holds the secret is who it is for
    )
    await ctx.store.add(made)
    return made.id, made.token


HANDLERS: dict[type[Any], Any] = {
    Subscribe: subscribe,
    ConfirmSubscription: confirm,
    Unsubscribe: unsubscribe,
    RegisterWebhook: register_webhook,
}


# -- fan-out --------------------------------------------------------------------------------
def scopes_of(kind: str, aggregate_id: UUID, state: Any) -> set[str]:
    """Every scope an event of this aggregate reaches: everything, its places, its forum."""
    found = {"*"}
    for attr in ("region_code", "host_region_code"):
        code = getattr(state, attr, None)
        if code:
            found |= {code, code.split(".", 1)[0]}
    for signatory in getattr(state, "signatories", ()):
        found |= {signatory.region_code, signatory.region_code.split(".", 1)[0]}
    forum_id = aggregate_id if kind == "forum" else getattr(state, "forum_id", None)
    if forum_id is not None:
        found.add(f"forum:{forum_id}")
    if kind == "action":
        found.add(f"action:{aggregate_id}")
    return found


def public_payload(
    position: int, topic: str, state_bytes: bytes, aggregate_id: UUID
) -> dict[str, Any]:
    event = public.redact(msgspec.json.decode(state_bytes))
    return {
        "position": position,
        "type": topic.rpartition(".")[2].rpartition(":")[2],
        "aggregate": codec.aggregate_kind(topic),
        "aggregate_id": str(aggregate_id),
        "event": event,
    }


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class Fanout:
    """The fan-out and the sender as one background worker (`run_once` for tests)."""

    def __init__(
        self,
        store: Any,
        mailer: Mailer | None,
        events: EventSource,
        find: Callable[[str, UUID], Any],
        clock: Callable[[], datetime],
        base_url: str,
        *,
        poll_seconds: float = 2.0,
    ) -> None:
        self.store, self.mailer, self.events, self.find = store, mailer, events, find
        self.clock, self.base_url, self.poll = clock, base_url, poll_seconds
        self.log = structlog.get_logger("subscriptions")
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def consume(self) -> int:
        queued = 0
        while True:
            position = await self.store.position(CONSUMER)
            notes = await self.events(position, 500)
            if not notes:
                return queued
            subs = await self.store.active()
            now = self.clock()
            notices: list[Notice] = []
            for at, topic, state, ident in notes:
                if public.is_private_event(topic) or not subs:
                    continue
                kind = codec.aggregate_kind(topic)
                current = await asyncio.to_thread(self.find, kind, ident)
                reach = scopes_of(kind, ident, current)
                payload = public_payload(at, topic, state, ident)
                payload["title"] = getattr(current, "title", "")
                notices.extend(
                    Notice(
                        subscription_id=sub.id,
                        position=at,
                        payload=payload,
                        next_attempt_at=now,
                        created_at=now,
                    )
                    for sub in subs
                    if sub.scope in reach
                )
            await self.store.queue(CONSUMER, notes[-1][0], notices)
            queued += len(notices)

    async def send(self) -> tuple[int, int]:
        now = self.clock()
        ok = bad = 0
        for notice in await self.store.due(now):
            sub = await self.store.get(notice.subscription_id)
            if sub is None or sub.ended_at is not None or sub.disabled_at is not None:
                await self.store.failed(notice, "subscription ended", None, DISABLE_AFTER, now)
                continue
            try:
                if sub.channel is Channel.WEBHOOK:
                    await asyncio.to_thread(self._post, sub, notice, now)
                else:
                    await asyncio.to_thread(self._mail, sub, notice, now)
            except (OSError, ValueError, urllib.error.URLError) as error:
                attempts = notice.attempts + 1
                retry = None if attempts >= MAX_ATTEMPTS else now + wait_after(attempts)
                await self.store.failed(notice, str(error), retry, DISABLE_AFTER, now)
                bad += 1
                continue
            await self.store.delivered(notice, now)
            ok += 1
        return ok, bad

    def _post(self, sub: Subscription, notice: Notice, now: datetime) -> None:
        body = msgspec.json.encode(notice.payload)
        stamp = int(now.timestamp())
        request = urllib.request.Request(  # noqa: S310 - an https URL (or loopback http)
            sub.url or "",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(sub.secret or "", stamp, body),
                "Tracker-Position": str(notice.position),
                "User-Agent": "pelacak-komitmen-ham",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - as above
            if not 200 <= answer.status < 300:
                raise ValueError(f"HTTP {answer.status}")

    def _mail(self, sub: Subscription, notice: Notice, now: datetime) -> None:
        if self.mailer is None:
            raise OSError("no mail server configured")
        self.mailer.send(self.compose(sub, notice, now))

    def compose(self, sub: Subscription, notice: Notice, now: datetime) -> EmailMessage:
        lang = sub.lang
        stop = f"{self.base_url}/langganan/berhenti?token={sub.token}"
        if notice.payload.get("kind") == "confirm":
            link = f"{self.base_url}/langganan/konfirmasi?token={sub.token}"
            subject = catalogue.text(lang, "subscribe.mail.confirm_subject")
            body = catalogue.text(lang, "subscribe.mail.confirm_body", link=link, scope=sub.scope)
        else:
            kind = notice.payload["type"]
            key = f"feed.event.{kind}"
            title = notice.payload.get("title", "")
            what = catalogue.text(lang, key, title=title) if catalogue.has(key) else kind
            subject = catalogue.text(lang, "subscribe.mail.subject", what=what)
            body = catalogue.text(lang, "subscribe.mail.body", what=what, link=self.base_url)
        footer = catalogue.text(lang, "subscribe.mail.footer", link=stop)
        message = EmailMessage()
        message["From"] = self.mailer.sender if self.mailer else ""
        message["To"] = sub.email or ""
        message["Subject"] = subject
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid(idstring=str(notice.id), domain="pelacak-komitmen-ham")
        message["List-Unsubscribe"] = f"<{stop}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(f"{body}\n\n--\n{footer}\n")
        html = f'<p>{escape(body)}</p><hr><p><a href="{escape(stop)}">{escape(footer)}</a></p>'
        page = f'<!doctype html><html lang="{lang}"><body>{html}</body></html>'
        message.add_alternative(page, subtype="html")
        message["Content-Language"] = lang
        return message

    async def run_once(self) -> tuple[int, int, int]:
        queued = await self.consume()
        sent, failed = await self.send()
        return queued, sent, failed

    async def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="subscriptions")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await finish(self._task, grace=10)
            self._task = None

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.run_once()
            except Exception:  # the next round tries again; nothing was lost
                self.log.exception("subscriptions.round_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.poll)
