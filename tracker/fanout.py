"""The public fan-out and its sender: the events of the log after its own position, public
ones only and in their public form, queued for every subscription they reach and sent by
mail (with a one-click unsubscribe) or as a signed webhook POST (tracker/subscriptions.py
makes the subscriptions)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from typing import Any
from uuid import UUID

import msgspec

from adapters import codec
from adapters.subscription_types import Channel, Notice, Subscription
from projections import public
from tracker import catalogue
from tracker.delivery import MAX_ATTEMPTS, wait_after
from tracker.event_sources import EventSource
from tracker.outbox_worker import OutboxWorker
from tracker.ports import Mailer

CONSUMER = "public"
DISABLE_AFTER = 10  # a webhook failing this many times in a row is disabled
SIGNATURE_HEADER = "Tracker-Signature"


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


class Fanout(OutboxWorker):
    """The fan-out and the sender as one background worker (`run_once` for tests)."""

    name = "subscriptions"
    round_event, failed_event = "subscriptions.round", "subscriptions.round_failed"

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
        feed: Any = None,
    ) -> None:
        super().__init__(poll_seconds, feed)
        self.store, self.mailer, self.events, self.find = store, mailer, events, find
        self.clock, self.base_url = clock, base_url

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
