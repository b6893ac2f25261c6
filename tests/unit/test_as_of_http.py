"""`?pada=YYYY-MM-DD` on the public API and pages: the answer as it stood at the end of that
day in the region's time zone, saying which day, zone and position it is made from; a date
that is malformed or not yet come is a 400 naming the format."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, plan_action


def _report(site: Site, action_id: str, period: str, percent: int) -> dict[str, Any]:
    body = {"period": period, "percent": percent, "narrative": f"Tahap {percent}"}
    written = site.ok(
        site.client.post(
            f"/api/v1/actions/{action_id}/progress", json=body, headers=site.as_("pemda_blitar")
        ),
        201,
    )
    site.client.get(f"/api/v1/forums?after={written['position']}")
    return written


def test_a_region_read_as_of_a_day_shows_what_it_showed_then(site: Site) -> None:
    assert site.clock is not None
    _, action_id = plan_action(site)
    first = _report(site, action_id, "2025-Q4", 30)  # 2026-03-02 16:00 WIB
    site.clock.advance(days=2)
    _report(site, action_id, "2026-Q1", 60)

    now = site.ok(site.client.get("/api/v1/regions/35.72"))
    then = site.ok(site.client.get("/api/v1/regions/35.72?pada=2026-03-02"))
    before = site.ok(site.client.get("/api/v1/regions/35.72?pada=2026-03-01"))
    assert (now["summary"]["completion"], then["summary"]["completion"]) == (60.0, 30.0)
    assert before["summary"]["actions"] == 0
    assert "as_of" not in now
    assert then["as_of"] == {
        "date": "2026-03-02",
        "time_zone": "WIB",
        "until": "2026-03-02T17:00:00+00:00",
        "position": first["position"],
    }
    national = site.ok(site.client.get("/api/v1/national?pada=2026-03-02"))
    assert national["summary"]["completion"] == 30.0
    board = site.ok(site.client.get("/api/v1/actions?region=35.72&pada=2026-03-02"))
    assert [a["figures"]["completion"] for a in board["items"]] == [30.0]
    assert board["as_of"]["position"] == first["position"]


def test_an_as_of_answer_has_its_own_validator(site: Site) -> None:
    plan_action(site)
    live = site.client.get("/api/v1/regions/35.72")
    past = site.client.get("/api/v1/regions/35.72?pada=2026-03-02")
    assert live.headers["etag"] != past.headers["etag"]
    again = site.client.get(
        "/api/v1/regions/35.72?pada=2026-03-02", headers={"If-None-Match": past.headers["etag"]}
    )
    assert again.status_code == 304


def test_a_malformed_or_future_date_is_refused_with_the_format(site: Site) -> None:
    plan_action(site)
    bad = site.client.get("/api/v1/regions/35.72?pada=31-12-2025")
    assert bad.status_code == 400
    assert bad.json()["code"] == "as-of-date-invalid"
    assert "YYYY-MM-DD" in bad.json()["detail_en"] and "31-12-2025" in bad.json()["detail_en"]
    future = site.client.get("/api/v1/regions/35.72?pada=2026-03-10")
    assert future.status_code == 400
    assert future.json()["code"] == "as-of-date-future"
    assert "2026-03-02" in future.json()["detail_en"]


def test_pages_have_a_date_picker_and_say_which_day_they_show(site: Site) -> None:
    assert site.clock is not None
    forum_id, action_id = plan_action(site)
    _report(site, action_id, "2025-Q4", 30)
    site.clock.advance(days=2)
    _report(site, action_id, "2026-Q1", 60)
    for path in ("/", "/provinsi/35", "/wilayah/35.72", f"/forum/{forum_id}", f"/aksi/{action_id}"):
        live = site.client.get(path).text
        assert 'type="date" id="pada" name="pada"' in live and "data-live" in live, path
        assert "as-of-note" not in live
        past = site.client.get(f"{path}?pada=2026-03-02").text
        assert "as-of-note" in past and "data-live" not in past, path
        assert "akhir 2 Mar 2026 (WIB)" in past, path
        assert 'value="2026-03-02"' in past
    region = site.client.get("/wilayah/35.72?pada=2026-03-02&lang=en").text
    assert "end of 2 Mar 2026 (WIB)" in region and "30%" in region and "60%" not in region
    refused = site.client.get("/wilayah/35.72?pada=31-12-2025").text
    assert 'aria-invalid="true"' in refused and "31-12-2025" in refused
    assert 'class="field-error" id="pada-error"' in refused
    early = site.client.get(f"/aksi/{action_id}?pada=2026-03-01&lang=id").text
    assert "Belum tercatat pada 2026-03-01" in early and "as-of-note" not in early


def test_what_changed_between_two_dates_in_a_region(site: Site) -> None:
    assert site.clock is not None
    _, action_id = plan_action(site)
    _report(site, action_id, "2025-Q4", 30)
    site.clock.advance(days=2)
    _report(site, action_id, "2026-Q1", 60)
    body = site.ok(
        site.client.get("/api/v1/regions/35.72/changes?dari=2026-03-02&sampai=2026-03-04")
    )
    assert (body["summary"]["from"]["completion"], body["summary"]["to"]["completion"]) == (30, 60)
    [moved] = body["actions"]
    assert moved["id"] == action_id
    assert (moved["from"]["completion"], moved["to"]["completion"]) == (30.0, 60.0)
    assert [line["type"] for line in body["activity"]] == ["ProgressReportSubmitted"]
    assert body["from"]["position"] < body["to"]["position"] == body["as_of"]["position"]
    assert "actor_id" not in body["activity"][0]
    reversed_ = site.client.get("/api/v1/regions/35.72/changes?dari=2026-03-04&sampai=2026-03-02")
    assert reversed_.status_code == 400 and reversed_.json()["code"] == "as-of-range-reversed"
    missing = site.client.get("/api/v1/regions/35.72/changes?dari=2026-03-04")
    assert missing.status_code == 400

    page = site.client.get("/wilayah/35.72/perubahan?dari=2026-03-01&sampai=2026-03-04&lang=id")
    assert page.status_code == 200
    assert "Apa yang berubah di Kota Blitar" in page.text and "belum ada" in page.text
    assert "terverifikasi 0%, dilaporkan 60%" in page.text
    province = site.client.get("/provinsi/35/perubahan?dari=2026-03-04&sampai=2026-03-01").text
    assert 'id="changes-error"' in province and "2026-03-04" in province
    assert 'href="/wilayah/35.72/perubahan"' in site.client.get("/wilayah/35.72").text


def test_one_action_and_the_lists_as_of_a_day(site: Site) -> None:
    assert site.clock is not None
    forum_id, action_id = plan_action(site)
    _report(site, action_id, "2025-Q4", 30)
    site.clock.advance(days=2)
    _report(site, action_id, "2026-Q1", 60)
    then = site.client.get(f"/api/v1/actions/{action_id}?pada=2026-03-02")
    assert then.status_code == 200 and "etag" not in then.headers
    body = then.json()
    assert [r["percent"] for r in body["reports"]] == [30.0]
    assert body["as_of"]["date"] == "2026-03-02" and body["as_of"]["time_zone"] == "WIB"
    assert site.client.get(f"/api/v1/actions/{action_id}?pada=2026-03-01").status_code == 404
    assert len(site.ok(site.client.get(f"/api/v1/actions/{action_id}"))["reports"]) == 2
    assert site.ok(site.client.get("/api/v1/forums?pada=2026-03-01"))["items"] == []
    forums = site.ok(site.client.get("/api/v1/forums?pada=2026-03-02"))
    assert [f["id"] for f in forums["items"]] == [forum_id]
    assert site.ok(site.client.get("/api/v1/commitments?region=35.72&pada=2026-03-02"))["items"]
