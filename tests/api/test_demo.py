"""The demo scenario is readable through the API, as the README's tour promises."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.api.conftest import ok
from tests.support import settings_for
from tracker.app import create_app


def test_demo_tour(database_url: str) -> None:
    with TestClient(create_app(settings_for(database_url, demo=True))) as client:
        ready = client.get("/ready").json()
        head = ready["head_position"]
        assert ready["head_position"] > 100

        forums = ok(client.get(f"/api/v1/forums?after={head}"))["items"]
        singkawang = next(f for f in forums if f["host_region_code"] == "61.72")
        assert singkawang["starts_on"] == "2025-11-13"
        assert singkawang["kind"] == "rakernas"

        commitments = ok(client.get(f"/api/v1/commitments?forum_id={singkawang['id']}"))["items"]
        assert len(commitments) == 1
        joint = commitments[0]
        signed = {s["region_code"] for s in joint["signatories"]}
        assert {"61.72", "35.72"} <= signed and len(signed) >= 3
        assert [t["pn"] for t in joint["rpjmn"]] == ["PN1"]

        blitar = ok(client.get(f"/api/v1/regions/35.72/actions?after={head}"))["items"]
        assert len(blitar) >= 3
        assert {a["status"] for a in blitar} >= {"verified", "in_progress"}
        reported = next(a for a in blitar if len(a["reports"]) >= 2)
        history = ok(client.get(f"/api/v1/actions/{reported['id']}/history"))["items"]
        kinds = [h["type"] for h in history]
        assert kinds.count("ProgressReportSubmitted") >= 2
        assert "ProgressReportVerified" in kinds or "ProgressReportReturned" in kinds
        assert history[0]["at"] < history[-1]["at"]  # spread over time, not one instant

        pekalongan = ok(client.get(f"/api/v1/actions?region=33.75&after={head}"))["items"]
        assert sorted(a["kkp_criterion"] for a in pekalongan) == list(range(1, 11))
        overdue = ok(client.get(f"/api/v1/actions?region=33.75&overdue=true&after={head}"))
        assert any(a["kkp_criterion"] == 9 for a in overdue["items"])
        claimed = [a for a in pekalongan if a["status"] == "completed"]
        assert len(claimed) == 2  # declared, the declaration not yet verified
        assert all(a["figures"]["completion"] == 100.0 for a in claimed)

        # Semarang's 2023-B04 report was filed after its B08: the figure follows B08.
        semarang = ok(client.get("/api/v1/actions/0de195ff-b589-5ae7-93bb-892c81d33e3d"))
        labels = [(r["period"]["number"], r["percent"]) for r in semarang["reports"]]
        assert labels[-1] == (4, 45)  # the back-fill, filed last
        b08 = [r for r in semarang["reports"] if r["period"]["number"] == 8][-1]
        assert semarang["figures"]["completion"] == b08["percent"] > 45
        # ...in November 2023, long after B04's deadline (15 May): marked late, on its page too
        assert [r["late"] for r in semarang["reports"]][-1] is True
        assert not any(r["late"] for r in semarang["reports"][:-1])
        page = client.get("/aksi/0de195ff-b589-5ae7-93bb-892c81d33e3d?lang=id").text
        assert page.count('class="badge late">Terlambat') == 1


def test_demo_is_not_loaded_twice(database_url: str) -> None:
    counts = []
    for _ in range(2):
        with TestClient(create_app(settings_for(database_url, demo=True))) as client:
            counts.append(client.get("/ready").json()["head_position"])
    assert counts[0] == counts[1] > 0


def test_demo_dashboards(database_url: str) -> None:
    with TestClient(create_app(settings_for(database_url, demo=True))) as client:
        head = client.get("/ready").json()["head_position"]
        national = ok(client.get(f"/api/v1/national?after={head}"))
        assert {p["code"] for p in national["provinces"]} == {"33", "35", "61"}
        assert [r["rank"] for r in national["regions"]] == list(
            range(1, len(national["regions"]) + 1)
        )
        forums = ok(client.get("/api/v1/forums"))["items"]
        rakernas = next(f for f in forums if f["kind"] == "rakernas")
        follow = ok(client.get(f"/api/v1/forums/{rakernas['id']}/progress"))
        signatories = follow["commitments"][0]["signatories"]
        by_region = {s["region_code"]: s["progress"] for s in signatories}
        assert by_region["35.72"]["actions"] == 2  # training, and the action in steps
        assert by_region["61"]["actions"] == 0  # the province signed; its own actions: none
        assert ok(client.get("/api/v1/matrices/kkp?province=33"))["regions"]["33.75"]
        indicators = {i["indicator_name"]: i for i in ok(client.get("/api/v1/indicators"))["items"]}
        asn = indicators["ASN yang mendapat penguatan HAM"]
        assert asn["national_target"] == 1_000_000
        assert asn["reported"] == 1400 + 350 + 2600  # latest non-returned value per region
        timeline = ok(client.get("/api/v1/regions/35.72/timeline?limit=5"))
        assert len(timeline["items"]) == 5 and timeline["next_before"]


def test_demo_period_close_and_correction(database_url: str) -> None:
    """Kanwil Jawa Tengah closes 2023-B08 on 31 Oct 2023; Kota Pekalongan corrects one B08
    figure (61% to 58%) in November, with a reason; both values stay on the record."""
    action = "/api/v1/actions/4787e4b5-6733-52b8-a99d-62d5a76fa896"
    with TestClient(create_app(settings_for(database_url, demo=True))) as client:
        head = client.get("/ready").json()["head_position"]
        closures = ok(client.get(f"/api/v1/periods?place=33.75&after={head}"))["items"]
        (b08,) = [c for c in closures if c["title"] == "2023-B08"]
        assert b08["closed"] is True and b08["place_code"] == "33"
        assert b08["closed_at"].startswith("2023-10-31")

        reports = ok(client.get(action))["reports"]
        original = next(r for r in reports if r["corrected_by"])
        fixed = next(r for r in reports if r["corrects"])
        assert (original["percent"], fixed["percent"]) == (61, 58)
        assert fixed["corrects"] == original["id"] and original["corrected_by"] == fixed["id"]
        assert fixed["after_close"] is True and original["after_close"] is False
        assert ok(client.get(action))["figures"]["completion"] == 58

        page = client.get("/aksi/4787e4b5-6733-52b8-a99d-62d5a76fa896?lang=id").text
        assert 'class="badge corrected"' in page and 'class="badge correction"' in page
        assert "61%" in page and "58%" in page

        # as of 1 Nov 2023 (after the close, before the correction): the original stands
        then = ok(client.get(f"{action}?pada=2023-11-01"))
        assert [r["percent"] for r in then["reports"] if r["period"]["number"] == 8] == [61]
        assert not any(r["corrected_by"] for r in then["reports"])


def test_ready_waits_for_the_read_models_and_says_why(database_url: str) -> None:
    """Without workers nothing projects the demo: /ready is 503 with the reason and the
    positions, while /health (liveness) stays 200."""
    settings = settings_for(database_url, demo=True, workers=False)
    with TestClient(create_app(settings)) as client:
        answer = client.get("/ready")
        assert answer.status_code == 503, answer.text
        body = answer.json()
        assert body["code"] == "not-ready" and "catching-up" in body["detail_en"]
        assert body["head_position"] > 100 and body["projection_position"] == 0
        assert client.get("/health").status_code == 200
