"""`tracker import` against real PostgreSQL: a dry run writes nothing and draws its progress
bar, the application writes the rows and the batch once, a second run says it was already
applied, and a bad file ends in one line and exit status 1."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain import commands as c
from domain.access import system
from domain.forum import ForumKind
from domain.values import Signatory
from tests.support import settings_for
from tracker.bootstrap import bootstrap
from tracker.cli import main
from tracker.imports.templates import PLAN, header

pytestmark = pytest.mark.integration
ADMIN = system("setup")


async def _commitment(database_url: str) -> int:
    services = bootstrap(settings_for(database_url, workers=False))
    await services.start()
    try:
        forum = await services.bus.dispatch(
            c.ConveneForum(
                kind=ForumKind.RAKERNAS,
                title="Rapat Kerja Pemerintah Daerah bidang HAM",
                organisers=("Kementerian HAM",),
                host_region_code="61.72",
                starts_on=date(2025, 11, 13),
                ends_on=date(2025, 11, 13),
            ),
            ADMIN,
        )
        made = await services.bus.dispatch(
            c.RecordCommitment(
                forum_id=forum.id,
                title="Komitmen bersama",
                made_on=date(2025, 11, 13),
                signatories=(Signatory(region_code="35.72", office="Wali Kota Blitar"),),
            ),
            ADMIN,
        )
        position: int = made.position
        return position
    finally:
        await services.stop()


def _count(database_url: str) -> int:
    async def count() -> int:
        import asyncpg

        conn = await asyncpg.connect(database_url)
        try:
            found: int = await conn.fetchval("SELECT count(*) FROM tracker_events")
            return found
        finally:
            await conn.close()

    return asyncio.run(count())


def test_the_cli_checks_applies_once_and_refuses_a_bad_file(
    database_url: str, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    asyncio.run(_commitment(database_url))
    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    sheet = tmp_path / "rencana.csv"
    rows = [",".join(header(PLAN, "id"))]
    rows += [f"Komitmen bersama,Aksi {n},Dinkes,31/12/2026" + "," * 12 for n in range(120)]
    sheet.write_text("\n".join(rows), encoding="utf-8")
    before = _count(database_url)

    args = ["--data-dir", str(tmp_path), "import", str(sheet), "--region", "35.72"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "120 rows without errors" in out.out and "120/120" in out.err
    assert _count(database_url) == before

    assert main(args) == 0
    assert "applied: 120 rows, 120 events" in capsys.readouterr().out
    assert _count(database_url) == before + 121  # the rows and the batch
    assert main(args) == 0
    assert "already applied" in capsys.readouterr().out
    assert _count(database_url) == before + 121

    bad = tmp_path / "foto.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["--data-dir", str(tmp_path), "import", str(bad), "--region", "35.72"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]  # after the servers' log lines
    assert last == "tracker: This file is not a readable .xlsx or .csv spreadsheet."
