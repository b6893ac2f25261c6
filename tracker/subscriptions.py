"""Public subscriptions, the commands: anyone follows a region, a province, a forum or an
action by mail (double opt-in: nothing is sent but the confirmation mail until its link is
used; every mail carries a one-click unsubscribe), and integrators register webhooks
(HTTPS; each body signed in `Tracker-Signature`, tracker/fanout.py).

The fan-out (tracker/fanout.py) sends them only public events, in their public form; its
owner reads a webhook's delivery log with the management token it was given once. Limits
keep them from being turned on others: a few unconfirmed requests per address a day (each
sends a mail), a bounded number of live webhooks per receiving host.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from adapters.account_types import AccountError, TooMany
from adapters.subscription_types import Channel, Notice, Subscription
from domain.access import Principal
from tracker.accounts import mail_address
from tracker.commands import ConfirmSubscription, RegisterWebhook, Subscribe, Unsubscribe

LOOPBACK = ("127.0.0.1", "localhost", "::1")  # plain http only for a receiver on this host
MAIL_PER_DAY = 3  # unconfirmed subscription requests to one address in 24 hours
WEBHOOKS_PER_HOST = 20  # live webhooks delivering to one host name


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
    if await ctx.store.unconfirmed(email, ctx.now - timedelta(days=1)) >= MAIL_PER_DAY:
        raise TooMany("subscription-too-many", n=MAIL_PER_DAY)  # not a way to spam an inbox
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
    url = _check_url(cmd.url)
    host = urlsplit(url).hostname or ""
    if await ctx.store.webhooks_on(host) >= WEBHOOKS_PER_HOST:
        raise TooMany("webhook-too-many", n=WEBHOOKS_PER_HOST, host=host)
    made = Subscription(
        id=uuid.uuid4(),
        channel=Channel.WEBHOOK,
        scope=check_scope(cmd.scope.strip(), ctx.known_place),
        token=secrets.token_urlsafe(32),
        created_at=ctx.now,
        url=url,
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
