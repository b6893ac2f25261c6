"""The public subscription store's contract, on memory and on PostgreSQL: a mail
subscription is pending until confirmed and gone once ended; its first notice is queued with
it; notices queue once per subscription and position, with the fan-out's position; failures
in a row disable a subscription, a delivery resets the count; the log keeps every notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec

from adapters.delivery_types import Status
from adapters.subscription_types import Channel, Notice, Subscription
from tests.contracts.conftest import Runner

T0 = datetime(2026, 5, 2, 1, tzinfo=UTC)


def follower(n: int, channel: Channel = Channel.MAIL, confirmed: bool = False) -> Subscription:
    return Subscription(
        id=UUID(int=n),
        channel=channel,
        scope="35.72",
        token=f"token-{n}",
        created_at=T0 + timedelta(seconds=n),
        email=f"w{n}@example.org" if channel is Channel.MAIL else None,
        url="https://lsm.example.org/hook" if channel is Channel.WEBHOOK else None,
        secret="rahasia-yang-cukup-panjang" if channel is Channel.WEBHOOK else None,
        confirmed_at=T0 if confirmed else None,
    )


def notice(n: int, position: int) -> Notice:
    return Notice(
        subscription_id=UUID(int=n),
        position=position,
        payload={"type": "ActionPlanned", "position": position},
        next_attempt_at=T0,
        created_at=T0,
    )


def test_a_mail_subscription_is_pending_until_confirmed_and_gone_once_ended(
    followers: tuple[Any, Runner],
) -> None:
    store, run = followers
    run(store.add(follower(1), notice(1, 0)))
    run(store.add(follower(2, Channel.WEBHOOK, confirmed=True)))
    assert [s.id for s in run(store.active())] == [UUID(int=2)]
    assert [n.position for n in run(store.due(T0))] == [0]  # the opt-in mail, at once
    found = run(store.by_token("token-1"))
    assert found is not None and found.email == "w1@example.org" and not found.active
    run(store.confirm(UUID(int=1), T0))
    assert [s.id for s in run(store.active())] == [UUID(int=1), UUID(int=2)]
    run(store.end(UUID(int=1), T0))
    assert [s.id for s in run(store.active())] == [UUID(int=2)]
    assert run(store.by_token("nope")) is None


def test_notices_queue_once_and_failures_in_a_row_disable(followers: tuple[Any, Runner]) -> None:
    store, run = followers
    run(store.add(follower(2, Channel.WEBHOOK, confirmed=True)))
    run(store.queue("public", 5, [notice(2, 4), notice(2, 5)]))
    run(store.queue("public", 3, [notice(2, 4)]))  # a replay: nothing new, no step back
    assert run(store.position("public")) == 5
    first, second = run(store.due(T0))
    run(store.failed(first, "HTTP 500", T0 + timedelta(minutes=1), 2, T0))
    run(store.delivered(second, T0))  # resets the count of failures in a row
    again = run(store.due(T0 + timedelta(minutes=1)))
    assert [n.position for n in again] == [4]
    run(store.failed(again[0], "HTTP 500", T0 + timedelta(minutes=3), 2, T0))
    hook = run(store.get(UUID(int=2)))
    assert hook is not None and hook.failures == 1 and hook.disabled_at is None
    run(store.failed(again[0], "HTTP 503", None, 2, T0))
    hook = run(store.get(UUID(int=2)))
    assert hook is not None and hook.disabled_at == T0 and not hook.active
    log = {n.position: n for n in run(store.log(UUID(int=2)))}
    assert (log[5].status, log[4].status, log[4].attempts) == (Status.SENT, Status.FAILED, 3)
    assert log[4].last_error == "HTTP 503"


def test_unconfirmed_requests_per_address_and_live_webhooks_per_host_are_counted(
    followers: tuple[Any, Runner],
) -> None:
    store, run = followers
    asked = [msgspec.structs.replace(follower(n), email="batas@example.org") for n in (51, 52, 53)]
    for made in asked:
        run(store.add(made))
    run(store.confirm(UUID(int=53), T0))  # a confirmed one is no longer a request
    assert run(store.unconfirmed("batas@example.org", T0)) == 2
    assert run(store.unconfirmed("batas@example.org", T0 + timedelta(seconds=52))) == 1
    assert run(store.unconfirmed("lain@example.org", T0)) == 0
    urls = ("https://Hook.Example.net:8443/a", "https://user@hook.example.net/b", "https://x.org/")
    for n, url in enumerate(urls, start=61):
        run(store.add(msgspec.structs.replace(follower(n, Channel.WEBHOOK, True), url=url)))
    assert run(store.webhooks_on("hook.example.net")) == 2
    run(store.end(UUID(int=61), T0))
    assert run(store.webhooks_on("hook.example.net")) == 1
    assert run(store.webhooks_on("x.org")) == 1
