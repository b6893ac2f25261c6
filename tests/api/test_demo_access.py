"""Issue #4's 'done when', on the demo: signed in through the browser form as the demo
accounts, a Pemda cannot write another region's actions, the Kanwil verifies and audits its
own, anonymous readers see only public content; one changed byte fails `audit verify` at
its position; a proof fetched over HTTP verifies offline with the published key."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import TestClient

from tests.api.conftest import ok
from tests.support import settings_for
from tests.unit.test_openapi_contract import documented
from tracker import cli
from tracker.app import create_app
from tracker.demo.accounts import PASSWORDS_FILE

PRIVATE_NOTE = "wawancara"  # the demo's private evidence on a Blitar report


@pytest.fixture
def demo(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient[Any], dict[str, str]]]:
    settings = settings_for(
        database_url, demo=True, data_dir=tmp_path, audit_key_file=tmp_path / "key.pem"
    )
    with TestClient(create_app(settings)) as client:
        lines = (tmp_path / PASSWORDS_FILE).read_text(encoding="utf-8").splitlines()
        yield client, dict(line.split(" ", 1) for line in lines)


def sign_in(client: TestClient[Any], user: str, password: str) -> str:
    """The browser's way: the form, its CSRF field, the session cookie. Returns the
    session's CSRF token for API writes."""
    client.cookies.clear()
    form = client.get("/masuk")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/masuk",
        data={"username": user, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    me = ok(client.get("/api/v1/me"))
    assert me["user_id"] == user
    return str(me["csrf_token"])


def count_events(database_url: str) -> int:
    async def count() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            return int(await conn.fetchval("SELECT count(*) FROM tracker_events"))
        finally:
            await conn.close()

    return asyncio.run(count())


def test_roles_on_the_demo(demo: Any, database_url: str) -> None:
    client, passwords = demo
    head = client.get("/ready").json()["head_position"]
    semarang = ok(client.get(f"/api/v1/actions?region=33.74&after={head}"))["items"]
    blitar = ok(client.get(f"/api/v1/actions?region=35.72&after={head}"))["items"]
    mapping = next(a for a in blitar if "Pemetaan" in a["title"])
    open_action = next(a for a in blitar if a["status"] == "in_progress")

    # Anonymous: public content only, no private evidence, no account ids, no audit trail.
    for path in (
        f"/api/v1/actions/{mapping['id']}",
        f"/api/v1/actions/{mapping['id']}/history",
        "/api/v1/regions/35.72/actions",
    ):
        text = client.get(path).text
        assert PRIVATE_NOTE not in text.lower() and "user_id" not in text, path
    assert client.get(f"/api/v1/audit/actions/{mapping['id']}").status_code == 401

    # The Pemda of Kota Blitar, signed in with its password.
    csrf = sign_in(client, "demo-pemda-3572", passwords["demo-pemda-3572"])
    before = count_events(database_url)
    refused = client.post(
        f"/api/v1/actions/{semarang[0]['id']}/progress",
        json={"period": "2025-B12", "percent": 90, "narrative": "bukan wilayah saya"},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 403 and refused.json()["code"] == "other-region"
    assert count_events(database_url) == before
    submitted = ok(
        client.post(
            f"/api/v1/actions/{open_action['id']}/progress",
            json={"period": "2026-B12", "percent": 100, "narrative": "Rampung"},
            headers={"X-CSRF-Token": csrf},
        ),
        201,
    )
    report_id = submitted["data"]["reports"][-1]["id"]

    # The Kanwil of Jawa Timur verifies it and reads the record's audit trail.
    csrf = sign_in(client, "demo-kanwil-jatim", passwords["demo-kanwil-jatim"])
    verified = ok(
        client.post(
            f"/api/v1/actions/{open_action['id']}/progress/{report_id}/verification",
            json={"note": "Sesuai bukti"},
            headers={"X-CSRF-Token": csrf},
        )
    )
    assert verified["data"]["reports"][-1]["status"] == "verified"
    trail = ok(client.get(f"/api/v1/audit/actions/{open_action['id']}"))["items"]
    last = trail[-1]
    assert last["type"] == "ProgressReportVerified"
    assert last["actor"]["user_id"] == "demo-kanwil-jatim"
    assert any(c["path"].endswith(".status") and c["after"] == "verified" for c in last["changes"])
    full = client.get(f"/api/v1/actions/{mapping['id']}").text
    assert PRIVATE_NOTE in full.lower()  # auditors of the region see private evidence

    # The Kanwil of Jawa Tengah may not verify in Jawa Timur.
    csrf = sign_in(client, "demo-kanwil-jateng", passwords["demo-kanwil-jateng"])
    assert client.get(f"/api/v1/audit/actions/{open_action['id']}").status_code == 403


def test_one_changed_byte_fails_verify_and_proofs_check_offline(
    demo: Any,
    database_url: str,
    nats_server_url: str,
    tmp_path: Path,
    monkeypatch: Any,
    capsys: Any,
) -> None:
    client, passwords = demo
    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_NATS_URL", nats_server_url)
    monkeypatch.setenv("TRACKER_AUDIT_KEY_FILE", str(tmp_path / "key.pem"))
    assert cli.main(["audit", "checkpoint"]) == 0  # covers the whole demo now
    assert cli.main(["audit", "verify"]) == 0
    assert "audit verify OK" in capsys.readouterr().out

    # A proof and the public key for anyone; the event's bytes for an auditor of Blitar.
    head = client.get("/ready").json()["head_position"]
    blitar = ok(client.get(f"/api/v1/actions?region=35.72&after={head}"))["items"][0]
    position = ok(client.get(f"/api/v1/actions/{blitar['id']}/history"))["items"][-1]["position"]
    (tmp_path / "proof.json").write_text(client.get(f"/api/v1/ledger/proofs/{position}").text)
    document = client.get("/schema/openapi.json").json()
    proof = json.loads((tmp_path / "proof.json").read_text())
    documented(document, "/api/v1/ledger/proofs/{position}", proof)
    latest = ok(client.get("/api/v1/ledger/checkpoints/latest"))
    documented(document, "/api/v1/ledger/checkpoints/latest", latest)
    (tmp_path / "key.json").write_text(client.get("/.well-known/pelacak-ham-audit-key").text)
    assert client.get(f"/api/v1/ledger/events/{position}").status_code == 401
    sign_in(client, "demo-kanwil-jatim", passwords["demo-kanwil-jatim"])
    (tmp_path / "event.json").write_text(client.get(f"/api/v1/ledger/events/{position}").text)
    files = ["--proof", "proof.json", "--event", "event.json", "--public-key", "key.json"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATABASE_URL")  # offline: nothing but the three files
    monkeypatch.setenv("TRACKER_LANG", "en")
    assert cli.main(["audit", "check-proof", *files]) == 0
    assert f"at position {position}" in capsys.readouterr().out
    event = json.loads((tmp_path / "event.json").read_text())
    event["originator_version"] += 1
    (tmp_path / "event.json").write_text(json.dumps(event))
    assert cli.main(["audit", "check-proof", *files]) == 1
    assert "proof rejected" in capsys.readouterr().err

    async def flip_one_byte() -> None:
        conn = await asyncpg.connect(database_url)
        try:
            await conn.execute(
                "UPDATE tracker_events SET state = set_byte(state, 30, get_byte(state, 30) # 1)"
                " WHERE notification_id = 57"
            )
        finally:
            await conn.close()

    asyncio.run(flip_one_byte())
    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    assert cli.main(["audit", "verify"]) == 1
    assert "FAILED at position 57: changed" in capsys.readouterr().err
