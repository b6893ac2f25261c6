"""Credentials: bearer tokens, passwords, browser sessions, brute force, fixation and CSRF.

Time-dependent behaviour (token expiry, session expiry, the sign-in throttle window) runs on
a settable clock injected into the composition root, never on sleeps.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from litestar.testing import TestClient

from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from tests.api.conftest import FORUM, issue_tokens, ok, seed
from tests.support import account_store, app_on_clock
from tracker.accounts import account_from
from tracker.commands import CreateAccount

T = TypeVar("T")

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
USER = "sesi.blitar"  # a Pemda of Kota Blitar who signs in with a password
PASSWORD = "kata-sandi-yang-panjang-7"
SESSION = "tracker_session"
LOGIN_CSRF = "tracker_login_csrf"
ME = "/api/v1/me"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def on_db(database_url: str, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work(store)` on the test database's accounts, outside the application."""

    async def run() -> T:
        async with account_store(database_url) as store:
            return await work(store)

    return asyncio.run(run())


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(database_url: str, clock: Clock) -> Iterator[TestClient[Any]]:
    """The API on the settable clock, with the test accounts (bearer tokens, see ACCOUNTS in
    conftest) and USER, a Kota Blitar Pemda account with a password. No default
    credentials: every request says who it is."""
    with TestClient(app_on_clock(database_url, clock)) as client:
        client.app.state.tokens = issue_tokens(database_url)
        account = account_from(
            region_catalogue(), CreateAccount(user_id=USER, role="pemda", region_code="35.72")
        )
        password_hash = Argon2Hasher().hash(PASSWORD)
        on_db(database_url, lambda store: store.add(account, password_hash, "tests", clock()))
        yield client


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code, body
    return body


def assert_invalid_credentials(response: Any) -> None:
    assert_problem(response, 401, "invalid-credentials")
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def issue(
    database_url: str, user_id: str, now: datetime, expires_at: datetime | None = None
) -> tuple[str, str]:
    """(token id, token) for an account, issued at `now`."""
    return on_db(database_url, lambda store: store.issue_token(user_id, "tests", expires_at, now))


def who_am_i(client: TestClient[Any], **headers: str) -> Any:
    """The account id /api/v1/me reports (None for the public)."""
    return ok(client.get(ME, headers=headers))["user_id"]


def with_session(session_id: str) -> dict[str, str]:
    """A Cookie header carrying only this session id (overrides the client's cookie jar)."""
    return {"Cookie": f"{SESSION}={session_id}"}


def try_forum(client: TestClient[Any], count_events: Any, headers: dict[str, str]) -> Any:
    """An admin-only write; asserts it wrote nothing unless it succeeded."""
    before = count_events()
    response = client.post("/api/v1/forums", json=FORUM, headers=headers)
    if not response.is_success:
        assert count_events() == before, "a refused write wrote events"
    return response


# -- bearer tokens ---------------------------------------------------------------------------
def test_valid_token_works(app: TestClient[Any], count_events: Any) -> None:
    admin = app.app.state.tokens["admin"]
    assert ok(app.get(ME, headers=admin))["role"] == "admin"
    assert who_am_i(app, **admin) == "t-admin"
    assert try_forum(app, count_events, admin).status_code == 201


def test_expired_token_is_refused(
    app: TestClient[Any], database_url: str, clock: Clock, count_events: Any
) -> None:
    _, token = issue(database_url, "t-admin", clock(), expires_at=START + timedelta(hours=1))
    assert who_am_i(app, **bearer(token)) == "t-admin"
    clock.advance(minutes=59)
    assert who_am_i(app, **bearer(token)) == "t-admin"
    clock.advance(minutes=1)  # exactly at expiry: no longer valid
    assert_invalid_credentials(app.get(ME, headers=bearer(token)))
    assert_invalid_credentials(try_forum(app, count_events, bearer(token)))


def test_revoked_token_is_refused(
    app: TestClient[Any], database_url: str, clock: Clock, count_events: Any
) -> None:
    token_id, token = issue(database_url, "t-admin", clock())
    assert who_am_i(app, **bearer(token)) == "t-admin"
    on_db(database_url, lambda store: store.revoke_token(token_id, clock()))
    assert_invalid_credentials(app.get(ME, headers=bearer(token)))
    assert_invalid_credentials(try_forum(app, count_events, bearer(token)))
    # Other tokens of the same account keep working.
    assert who_am_i(app, **app.app.state.tokens["admin"]) == "t-admin"


def test_token_of_a_disabled_account_is_refused(
    app: TestClient[Any], database_url: str, clock: Clock, count_events: Any
) -> None:
    admin = app.app.state.tokens["admin"]
    assert who_am_i(app, **admin) == "t-admin"
    on_db(database_url, lambda store: store.disable("t-admin", clock()))
    assert_invalid_credentials(app.get(ME, headers=admin))
    assert_invalid_credentials(try_forum(app, count_events, admin))


@pytest.mark.parametrize(
    "header",
    [
        "Basic x",
        "Basic dC1hZG1pbjpzZWNyZXQ=",
        "Bearer",
        "Bearer trk_x_y",
        "Bearer trk_",
        "Bearer not-a-tracker-token",
        "bearer trk_000000000000_" + "A" * 43,
    ],
)
def test_malformed_authorization_is_refused(
    app: TestClient[Any], count_events: Any, header: str
) -> None:
    """A credential that is sent but does not work is a 401, never the public view."""
    assert_invalid_credentials(app.get(ME, headers={"Authorization": header}))
    assert_invalid_credentials(try_forum(app, count_events, {"Authorization": header}))


def test_right_token_id_with_wrong_secret_is_refused(
    app: TestClient[Any], database_url: str, clock: Clock, count_events: Any
) -> None:
    token_id, token = issue(database_url, "t-admin", clock())
    forged = f"trk_{token_id}_{'x' * len(token.split('_', 2)[2])}"
    assert_invalid_credentials(app.get(ME, headers=bearer(forged)))
    assert_invalid_credentials(try_forum(app, count_events, bearer(forged)))


def test_tokens_are_stored_only_as_hashes(
    app: TestClient[Any], database_url: str, clock: Clock
) -> None:
    token_id, token = issue(database_url, "t-pemda-blitar", clock())
    secret = token.split("_", 2)[2]
    assert who_am_i(app, **bearer(token)) == "t-pemda-blitar"  # it is a working token
    rows = on_db(database_url, lambda store: store.database.pool.fetch("SELECT * FROM auth.token"))
    assert len(rows) >= 2
    for row in rows:
        for column, value in row.items():
            stored = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            for sent in (token, secret):
                assert sent.encode() not in stored, f"auth.token.{column} holds a token"
    ours = next(row for row in rows if row["id"] == token_id)
    assert bytes(ours["secret_hash"]) == hashlib.sha256(token.encode()).digest()


# -- passwords and browser sessions ----------------------------------------------------------
def login_form(client: TestClient[Any]) -> str:
    """The sign-in form's CSRF token (hidden field == the tracker_login_csrf cookie)."""
    page = client.get("/masuk")
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    assert page.cookies[LOGIN_CSRF] == found[1]
    return found[1]


def sign_in(
    client: TestClient[Any],
    password: str = PASSWORD,
    *,
    csrf: str | None = None,
    cookie_csrf: str | None = None,
    old_session: str | None = None,
) -> Any:
    """POST /masuk as a browser would after loading the form. `csrf`: the form field to send
    (default: the form's own); `cookie_csrf`: the login cookie (default: the form's);
    `old_session`: a tracker_session cookie already in the browser."""
    token = login_form(client)
    cookies = {LOGIN_CSRF: token if cookie_csrf is None else cookie_csrf}
    if old_session is not None:
        cookies[SESSION] = old_session
    cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items() if value)
    form = {"username": USER, "password": password}
    if csrf != "":
        form["csrf_token"] = token if csrf is None else csrf
    client.cookies.clear()  # exactly the cookies above, nothing left over in the jar
    return client.post(
        "/masuk",
        data=form,
        headers={"Cookie": cookie_header} if cookie_header else {},
        follow_redirects=False,
    )


def session_cookie(response: Any) -> str | None:
    """The Set-Cookie line that issues a (non-empty) session id, if any."""
    for line in response.headers.get_list("set-cookie"):
        name, _, rest = line.partition("=")
        if name.strip() == SESSION and rest.split(";", 1)[0].strip('"'):
            return line
    return None


def issued_session(response: Any) -> str:
    assert response.status_code == 303, response.text
    line = session_cookie(response)
    assert line is not None, response.headers
    return line.partition("=")[2].split(";", 1)[0].strip('"')


def test_right_password_opens_a_session(app: TestClient[Any], database_url: str) -> None:
    response = sign_in(app)
    session_id = issued_session(response)
    assert response.headers["location"] == "/kerja"
    attributes = [part.strip().lower() for part in session_cookie(response).split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    # The browser's cookie jar now signs it in.
    me = ok(app.get(ME))
    assert me["user_id"] == USER and me["role"] == "pemda" and me["region_code"] == "35.72"
    assert me["csrf_token"]
    assert who_am_i(app, **with_session(session_id)) == USER

    stored = on_db(
        database_url,
        lambda store: store.database.pool.fetchval(
            "SELECT password_hash FROM auth.account WHERE user_id = $1", USER
        ),
    )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    sessions = on_db(
        database_url, lambda store: store.database.pool.fetch("SELECT * FROM auth.session")
    )
    assert len(sessions) == 1
    assert all(session_id not in str(value) for value in sessions[0].values())
    assert bytes(sessions[0]["id_hash"]) == hashlib.sha256(session_id.encode()).digest()


def test_wrong_password_is_refused(app: TestClient[Any]) -> None:
    response = sign_in(app, "kata-sandi-yang-salah")
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert session_cookie(response) is None
    assert who_am_i(app) is None


@pytest.mark.parametrize(
    ("csrf", "cookie_csrf"),
    [
        pytest.param("", None, id="no-form-field"),
        pytest.param("forged-token", None, id="wrong-form-field"),
        pytest.param(None, "", id="no-cookie"),
        pytest.param(None, "another-token", id="cookie-does-not-match"),
    ],
)
def test_sign_in_needs_the_form_csrf_token(
    app: TestClient[Any], database_url: str, csrf: str | None, cookie_csrf: str | None
) -> None:
    response = sign_in(app, csrf=csrf, cookie_csrf=cookie_csrf)
    assert response.status_code == 403, response.text
    assert session_cookie(response) is None
    assert who_am_i(app) is None
    count = on_db(
        database_url,
        lambda store: store.database.pool.fetchval("SELECT count(*) FROM auth.session"),
    )
    assert count == 0


def test_brute_force_is_throttled_until_the_window_passes(
    app: TestClient[Any], clock: Clock
) -> None:
    for attempt in range(5):
        wrong = sign_in(app, f"tebakan-salah-{attempt}")
        assert wrong.status_code == 401, wrong.text
        clock.advance(seconds=10)
    # The sixth attempt is refused before the password is even checked: right or wrong.
    throttled = sign_in(app)
    assert throttled.status_code == 429, throttled.text
    retry_after = int(throttled.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60 + 1
    assert session_cookie(throttled) is None
    assert who_am_i(app) is None
    assert sign_in(app, "tebakan-salah-lagi").status_code == 429

    clock.advance(minutes=16)
    assert who_am_i(app, **with_session(issued_session(sign_in(app)))) == USER


def test_session_fixation_is_impossible(app: TestClient[Any]) -> None:
    planted = "attacker-chose-this-session-id"
    assert who_am_i(app, **with_session(planted)) is None  # an unknown id is the public

    first = issued_session(sign_in(app, old_session=planted))
    assert first != planted
    assert who_am_i(app, **with_session(planted)) is None
    assert who_am_i(app, **with_session(first)) == USER

    # Signing in again with a live session replaces it: the old id stops working.
    second = issued_session(sign_in(app, old_session=first))
    assert second not in (first, planted)
    assert who_am_i(app, **with_session(second)) == USER
    assert who_am_i(app, **with_session(first)) is None


def test_sign_out_ends_the_session(app: TestClient[Any]) -> None:
    session_id = issued_session(sign_in(app))
    app.cookies.clear()
    me = ok(app.get(ME, headers=with_session(session_id)))
    assert me["user_id"] == USER
    csrf = me["csrf_token"]

    forged = app.post("/keluar", data={"csrf_token": "forged"}, headers=with_session(session_id))
    assert_problem(forged, 403, "csrf-token")
    assert who_am_i(app, **with_session(session_id)) == USER

    out = app.post(
        "/keluar",
        data={"csrf_token": csrf},
        headers=with_session(session_id),
        follow_redirects=False,
    )
    assert out.status_code == 303 and out.headers["location"] == "/masuk"
    assert who_am_i(app, **with_session(session_id)) is None
    # Even a client that keeps the cookie cannot use it to write.
    write = app.post("/api/v1/forums", json=FORUM, headers={**with_session(session_id)})
    assert_problem(write, 401, "sign-in-required")


def test_session_expires_after_eight_hours(app: TestClient[Any], clock: Clock) -> None:
    session_id = issued_session(sign_in(app))
    clock.advance(hours=7, minutes=59)
    assert who_am_i(app, **with_session(session_id)) == USER
    clock.advance(minutes=1)
    assert who_am_i(app, **with_session(session_id)) is None


# -- CSRF on the API for browser sessions ------------------------------------------------------
def blitar_action(client: TestClient[Any]) -> str:
    """A planned Kota Blitar action under a commitment Blitar signed (made with tokens)."""
    return str(seed(client)["action"]["id"])


def test_session_writes_need_the_csrf_header(app: TestClient[Any], count_events: Any) -> None:
    action_id = blitar_action(app)
    progress = f"/api/v1/actions/{action_id}/progress"
    report = {"period": "2025-Q4", "percent": 20, "narrative": "Sosialisasi"}
    session_id = issued_session(sign_in(app))
    app.cookies.clear()
    session = with_session(session_id)
    csrf = ok(app.get(ME, headers=session))["csrf_token"]

    before = count_events()
    assert_problem(app.post(progress, json=report, headers=session), 403, "csrf-token")
    assert_problem(
        app.post(progress, json=report, headers={**session, "X-CSRF-Token": "forged"}),
        403,
        "csrf-token",
    )
    assert count_events() == before

    written = ok(app.post(progress, json=report, headers={**session, "X-CSRF-Token": csrf}), 201)
    assert count_events() > before
    assert written["data"]["reports"][0]["reporter"]["user_id"] == USER

    # A bearer token is not sent by browsers on their own: no CSRF header needed.
    pemda = app.app.state.tokens["pemda_blitar"]
    again = {"period": "2026-Q1", "percent": 30, "narrative": "Pelatihan"}
    assert ok(app.post(progress, json=again, headers=pemda), 201)["version"] == 4


def test_session_csrf_token_is_not_another_sessions(app: TestClient[Any]) -> None:
    """The CSRF token belongs to its session: one session's token does not unlock another."""
    first = issued_session(sign_in(app))
    second = issued_session(sign_in(app))
    app.cookies.clear()
    first_csrf = ok(app.get(ME, headers=with_session(first)))["csrf_token"]
    second_csrf = ok(app.get(ME, headers=with_session(second)))["csrf_token"]
    assert first_csrf != second_csrf
    response = app.post(
        "/api/v1/forums", json=FORUM, headers={**with_session(second), "X-CSRF-Token": first_csrf}
    )
    assert_problem(response, 403, "csrf-token")
