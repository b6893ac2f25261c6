"""The open-data report table keeps each cadence's period label as the domain writes it:
a four-monthly B08 is not a month, a quarter is not a month (in-memory application)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.unit.sites import Site, plan_action


@pytest.mark.parametrize("label", ["2025-B08", "2025-Q3", "2025-08"])
def test_the_period_column_round_trips_each_cadence(site: Site, label: str) -> None:
    _, action_id = plan_action(site)
    report = {"period": label, "percent": 30, "narrative": "Tahap pertama"}
    written = site.ok(
        site.client.post(
            f"/api/v1/actions/{action_id}/progress", json=report, headers=site.as_("pemda_blitar")
        ),
        201,
    )
    site.client.get(f"/api/v1/forums?after={written['position']}")
    download = site.client.get("/data/laporan.csv")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert [row["period"] for row in rows if row["action_id"] == action_id] == [label]
