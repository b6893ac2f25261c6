"""Mail delivery of reminders: a consumer of the event log with a durable position, an outbox
with retries, and a sender that never holds up a write.

The consumer reads the log after its saved position, turns each `ReminderIssued` into one
outbox row per account it reaches (an account with an address in its notification
preferences; the inbox needs none), and saves the rows and the new position in one
transaction: a crash reads the same events again and the rows' keys (reminder × account)
keep them single. The sender takes the rows that are due, writes each mail (or, for an
account that chose the daily digest, one mail with everything of the day) in the account's
language, plain text with an HTML alternative, and hands it to the mailer in a worker
thread. A refused or unreachable server puts the row back with a longer wait (1 min, 2, 4,
… up to 6 h) until MAX_ATTEMPTS, after which the delivery log shows it failed and why.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from typing import Any

import msgspec

from adapters import codec
from adapters.account_types import Account
from adapters.delivery_types import Outgoing, Preference
from domain.period import ReportingPeriod
from domain.reminder import ReminderIssued
from tracker import catalogue
from tracker.event_sources import EventSource
from tracker.outbox_worker import OutboxWorker
from tracker.ports import DeliveryStore, Mailer

CONSUMER = "mail"
MAX_ATTEMPTS = 8
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
DIGEST_HOUR_UTC = 0  # 07:00 WIB, 08:00 WITA, 09:00 WIT: before the working day everywhere
BATCH = 500


def wait_after(attempts: int) -> timedelta:
    """How long a row waits after its `attempts`-th failure."""
    wait: timedelta = FIRST_WAIT * 2 ** max(attempts - 1, 0)
    return min(wait, LONGEST_WAIT)


def next_digest(now: datetime) -> datetime:
    """The next digest moment after `now`."""
    today = datetime.combine(now.astimezone(UTC).date(), time(DIGEST_HOUR_UTC), tzinfo=UTC)
    return today if today > now else today + timedelta(days=1)


def outgoing(
    event: ReminderIssued, accounts: Sequence[Account], prefs: dict[str, Preference]
) -> list[Outgoing]:
    """One row per enabled account the reminder is addressed to that has an address."""
    doc = msgspec.to_builtins(event)
    out = []
    for account in accounts:
        pref = prefs.get(account.user_id)
        if account.disabled or pref is None or not pref.email:
            continue
        if not any(a.includes(account.principal()) for a in event.to):
            continue
        out.append(
            Outgoing(
                key=f"{event.reminder_id}/{account.user_id}",
                reminder_id=event.reminder_id,
                user_id=account.user_id,
                email=pref.email,
                lang=pref.lang,
                digest=pref.digest,
                reminder=doc,
                next_attempt_at=next_digest(event.at) if pref.digest else event.at,
                created_at=event.at,
            )
        )
    return out


def _lines(item: Outgoing, base_url: str) -> tuple[str, str, str]:
    """(subject, body, link) of one reminder in the row's language."""
    r, lang = item.reminder, item.lang
    period = ReportingPeriod.from_doc(r["period"]).label
    values = {
        "title": r["title"],
        "opd": r["owner_opd"],
        "period": period,
        "due": date.fromisoformat(str(r["due_on"])).strftime("%d-%m-%Y"),
        "region": r["region_code"],
    }
    stage = r["stage"]
    subject = catalogue.text(lang, f"reminder.subject.{stage}", period=period)
    body = catalogue.text(lang, f"reminder.body.{stage}", **values)
    link = f"{base_url}/kerja/kotak-masuk"
    return subject, body, link


def compose(items: Sequence[Outgoing], sender: str, base_url: str, now: datetime) -> EmailMessage:
    """One reminder's mail, or the digest of several, for one account."""
    first = items[0]
    lang = first.lang
    parts = [_lines(item, base_url) for item in items]
    if len(items) == 1 and not first.digest:
        subject = parts[0][0]
    else:
        subject = catalogue.text(lang, "mail.digest.subject", n=len(items))
    link = parts[0][2]
    footer = catalogue.text(lang, "mail.footer", link=link)
    text = "\n\n".join(f"{s}\n{b}" for s, b, _ in parts) + f"\n\n--\n{footer}\n"
    html = "".join(f"<h2>{escape(s)}</h2>\n<p>{escape(b)}</p>\n" for s, b, _ in parts)
    html += f'<hr><p><a href="{escape(link)}">{escape(footer)}</a></p>\n'
    message = EmailMessage()
    message["From"] = sender
    message["To"] = first.email
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(idstring=str(first.id), domain="pelacak-komitmen-ham")
    message["Auto-Submitted"] = "auto-generated"
    message["X-Tracker-Reminders"] = ", ".join(str(item.reminder_id) for item in items)
    message.set_content(text)
    page = f'<!doctype html><html lang="{lang}"><body>\n{html}</body></html>'
    message.add_alternative(page, subtype="html")
    message["Content-Language"] = lang  # after the parts: they take the Content-* before it
    return message


def _groups(rows: Sequence[Outgoing]) -> list[list[Outgoing]]:
    """A mail per row, except one per account for the digest rows."""
    single = [[row] for row in rows if not row.digest]
    digests: dict[str, list[Outgoing]] = {}
    for row in rows:
        if row.digest:
            digests.setdefault(row.user_id, []).append(row)
    return [*single, *digests.values()]


class Delivery(OutboxWorker):
    """The consumer and the sender, as one background worker (`run_once` for tests)."""

    name = "delivery"
    round_event, failed_event = "delivery.round", "delivery.round_failed"

    def __init__(
        self,
        store: DeliveryStore,
        accounts: Callable[[], Awaitable[list[Account]]],
        mailer: Mailer,
        events: EventSource,
        clock: Callable[[], datetime],
        base_url: str,
        *,
        poll_seconds: float = 2.0,
        feed: Any = None,
    ) -> None:
        super().__init__(poll_seconds, feed)
        self.store, self.accounts, self.mailer = store, accounts, mailer
        self.events, self.clock, self.base_url = events, clock, base_url

    async def consume(self) -> int:
        """Queue the mails of the events after the saved position; returns rows added."""
        added = 0
        while True:
            position = await self.store.position(CONSUMER)
            notes = await self.events(position, BATCH)
            if not notes:
                return added
            items: list[Outgoing] = []
            reminders = [
                event
                for _, topic, state, _ in notes
                if topic.endswith("ReminderIssued")
                and isinstance(event := codec.decode_event(topic, state), ReminderIssued)
            ]
            if reminders:
                accounts, prefs = await self.accounts(), await self.store.preferences()
                for event in reminders:
                    items.extend(outgoing(event, accounts, prefs))
            added += await self.store.enqueue(CONSUMER, notes[-1][0], items)

    async def send(self) -> tuple[int, int]:
        """Send what is due; returns (mails sent, mails that failed this round)."""
        now = self.clock()
        ok = bad = 0
        for group in _groups(await self.store.due(now)):
            ids = [row.id for row in group]
            message = compose(group, self.mailer.sender, self.base_url, now)
            try:
                await asyncio.to_thread(self.mailer.send, message)
            except (smtplib.SMTPException, OSError) as error:
                attempts = max(row.attempts for row in group) + 1
                retry = None if attempts >= MAX_ATTEMPTS else now + wait_after(attempts)
                await self.store.failed(ids, f"{type(error).__name__}: {error}", retry)
                self.log.warning("delivery.failed", rows=ids, attempts=attempts, error=str(error))
                bad += 1
                continue
            await self.store.sent(ids, now)
            ok += 1
        return ok, bad

    async def run_once(self) -> tuple[int, int, int]:
        queued = await self.consume()
        sent, failed = await self.send()
        return queued, sent, failed
