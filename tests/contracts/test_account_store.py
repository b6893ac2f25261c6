"""The account store port's contract, for every adapter (tests/contracts/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.account_types import (
    MAX_FAILURES_PER_CLIENT,
    SESSION_TTL,
    Account,
    AccountChange,
    AccountError,
    AccountExists,
    AccountMissing,
    TokenRefused,
)
from domain.values import Role

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
BLITAR = Account("pemda.blitar", "Blitar", Role.PEMDA, "Bagian Hukum", region_code="35.72")
KANWIL = Account("kanwil.jatim", "Kanwil", Role.KANWIL, "Kanwil Jatim", provinces=("35",))


def test_accounts_are_added_once_and_listed_in_order(accounts: Any) -> None:
    store, run = accounts
    run(store.add(BLITAR, None, "tests", NOW))
    run(store.add(KANWIL, "hash", "tests", NOW))
    with pytest.raises(AccountExists):
        run(store.add(BLITAR, None, "tests", NOW))
    assert [a.user_id for a in run(store.all_accounts())] == ["kanwil.jatim", "pemda.blitar"]
    assert run(store.get("pemda.blitar")) == BLITAR
    assert run(store.password_hash("kanwil.jatim")) == (KANWIL, "hash")
    assert run(store.get("nobody")) is None


def test_a_token_works_until_revoked_or_expired(accounts: Any) -> None:
    store, run = accounts
    run(store.add(BLITAR, None, "tests", NOW))
    token_id, token = run(store.issue_token("pemda.blitar", "api", None, NOW))
    assert run(store.token_principal(token, NOW)).region_code == "35.72"
    assert run(store.token_owner(token_id)) == "pemda.blitar"
    assert run(store.revoke_token(token_id, NOW)) == "pemda.blitar"
    with pytest.raises(TokenRefused, match="revoked"):
        run(store.token_principal(token, NOW))
    _, short = run(store.issue_token("pemda.blitar", "api", NOW + timedelta(hours=1), NOW))
    with pytest.raises(TokenRefused, match="expired"):
        run(store.token_principal(short, NOW + timedelta(hours=1)))
    with pytest.raises(TokenRefused, match="unknown"):
        run(store.token_principal(token[:-2] + "xx", NOW))
    with pytest.raises(TokenRefused, match="malformed"):
        run(store.token_principal("not-a-token", NOW))
    assert [t.name for t in run(store.tokens("pemda.blitar"))] == ["api", "api"]


def test_tokens_need_a_live_account_and_a_future_expiry(accounts: Any) -> None:
    store, run = accounts
    with pytest.raises(AccountMissing):
        run(store.issue_token("nobody", "api", None, NOW))
    run(store.add(BLITAR, None, "tests", NOW))
    with pytest.raises(AccountError):
        run(store.issue_token("pemda.blitar", "api", NOW, NOW))
    _, token = run(store.issue_token("pemda.blitar", "api", None, NOW))
    run(store.disable("pemda.blitar", NOW))
    with pytest.raises(AccountError):
        run(store.issue_token("pemda.blitar", "api", None, NOW))
    with pytest.raises(TokenRefused, match="disabled"):
        run(store.token_principal(token, NOW))
    with pytest.raises(AccountMissing):
        run(store.revoke_token("nope", NOW))


def test_sessions_end_on_expiry_sign_out_password_change_and_disabling(accounts: Any) -> None:
    store, run = accounts
    run(store.add(BLITAR, "old", "tests", NOW))
    session, csrf = run(store.open_session("pemda.blitar", NOW))
    who, same_csrf = run(store.session_principal(session, NOW))
    assert who.user_id == "pemda.blitar" and same_csrf == csrf
    with pytest.raises(TokenRefused):
        run(store.session_principal(session, NOW + SESSION_TTL))
    run(store.close_session(session))
    with pytest.raises(TokenRefused):
        run(store.session_principal(session, NOW))
    for end in (
        lambda: store.set_password_hash("pemda.blitar", "new"),
        lambda: store.disable("pemda.blitar", NOW),
    ):
        session, _ = run(store.open_session("pemda.blitar", NOW))
        run(end())
        with pytest.raises(TokenRefused):
            run(store.session_principal(session, NOW))
    assert run(store.password_hash("pemda.blitar"))[1] == "new"


def test_failed_sign_ins_are_throttled_per_client_and_cleared(accounts: Any) -> None:
    store, run = accounts
    assert run(store.retry_after("pemda.blitar", "10.0.0.1", NOW)) is None
    for n in range(MAX_FAILURES_PER_CLIENT):
        run(store.record_failure("pemda.blitar", "10.0.0.1", NOW + timedelta(seconds=n)))
    wait = run(store.retry_after("pemda.blitar", "10.0.0.1", NOW + timedelta(minutes=1)))
    assert wait is not None and 0 < wait <= 15 * 60
    assert run(store.retry_after("pemda.blitar", "10.0.0.2", NOW)) is None
    run(store.clear_failures("pemda.blitar", "10.0.0.1"))
    assert run(store.retry_after("pemda.blitar", "10.0.0.1", NOW)) is None


def _line(change: str, subject: Account, at: datetime) -> AccountChange:
    return AccountChange(
        at=at,
        actor_id="admin",
        actor_role="admin",
        actor_office="Kementerian HAM",
        change=change,
        user_id=subject.user_id,
        subject_role=subject.role.value,
        region_code=subject.region_code,
        provinces=subject.provinces,
    )


def test_every_administration_is_logged_with_the_change_newest_first(accounts: Any) -> None:
    store, run = accounts
    run(store.add(BLITAR, None, "admin", NOW, _line("created", BLITAR, NOW)))
    run(store.add(KANWIL, None, "admin", NOW, _line("created", KANWIL, NOW)))
    with pytest.raises(AccountExists):
        run(store.add(BLITAR, None, "admin", NOW, _line("created", BLITAR, NOW)))
    later = NOW + timedelta(minutes=5)
    run(store.set_password_hash("pemda.blitar", "h", _line("password-set", BLITAR, later)))
    token_id, _ = run(
        store.issue_token(
            "pemda.blitar", "sheet", None, later, _line("token-issued", BLITAR, later)
        )
    )
    run(store.revoke_token(token_id, later, _line("token-revoked", BLITAR, later)))
    run(store.disable("pemda.blitar", later, _line("disabled", BLITAR, later)))

    everything = run(store.changes())
    assert [c.change for c in everything] == [
        "disabled",
        "token-revoked",
        "token-issued",
        "password-set",
        "created",
        "created",
    ]
    assert everything[2].detail == f"{token_id} sheet"
    assert everything[0].actor_office == "Kementerian HAM" and everything[0].at == later
    blitar = run(store.changes("35.72"))
    assert {c.user_id for c in blitar} == {"pemda.blitar"} and len(blitar) == 5
    assert [c.user_id for c in run(store.changes("35"))] == ["kanwil.jatim"]
    assert run(store.changes("33.74")) == []
    assert len(run(store.changes(limit=2))) == 2


def test_a_refused_administration_logs_nothing(accounts: Any) -> None:
    store, run = accounts
    with pytest.raises(AccountMissing):
        run(store.issue_token("nobody", "api", None, NOW, _line("token-issued", BLITAR, NOW)))
    run(store.add(BLITAR, None, "admin", NOW))
    with pytest.raises(AccountError):
        run(store.issue_token("pemda.blitar", "api", NOW, NOW, _line("token-issued", BLITAR, NOW)))
    assert run(store.changes()) == []
