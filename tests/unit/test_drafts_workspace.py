"""Report drafts through the workspace on the in-memory application: a Pemda saves a draft
(with a file), finds it on its home page, comes back and submits it; the draft is in the
log but in no public document, history, feed or figure, and not in the Kanwil's view; the
public event stream carries it withheld. Another region is refused and writes nothing."""

from __future__ import annotations

import hashlib
from typing import Any

from adapters import messages
from projections.public import is_private_event
from tests.unit.sites import Site, plan_action

NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}
PDF = b"%PDF-1.4\n% notulen rapat koordinasi\n" + bytes(range(200))
SECRET = "Catatan internal belum final"


def _full(site: Site, action_id: str, who: str) -> dict[str, Any]:
    found: dict[str, Any] = site.ok(
        site.client.get(f"/api/v1/actions/{action_id}", headers=site.as_(who))
    )
    return found


def test_a_draft_is_saved_resumed_and_submitted_and_never_public(site: Site) -> None:
    _, action_id = plan_action(site)
    form_url = f"/kerja/aksi/{action_id}/laporan"
    csrf = site.browser("pemda_blitar")
    draft = {
        "csrf_token": csrf,
        "decision": "draft",
        "period": "2025-",  # not a valid period yet: a draft may hold it
        "percent": "35",
        "narrative": SECRET,
    }
    files = [("evidence_file", ("notulen.pdf", PDF, "application/pdf"))]
    saved = site.client.post(form_url, data=draft, files=files, **NO_REDIRECTS)
    assert saved.status_code == 303, saved.text
    assert site.events()[-1] == "ReportDraftSaved"
    (kept,) = _full(site, action_id, "pemda_blitar")["drafts"]
    assert kept["period"] == "2025-" and kept["evidence"][0]["title"] == "notulen.pdf"
    file_url = kept["evidence"][0]["url"]

    # The region's home lists it; the file opens for the region's own session.
    home = site.client.get("/kerja")
    resume = f"{form_url}?draf={kept['id']}"
    assert resume in home.text
    assert site.client.get(file_url).status_code == 200
    page = site.client.get(resume)
    assert SECRET in page.text and 'name="draft_id"' in page.text and "notulen.pdf" in page.text

    # Nobody else sees it: not the public, not the Kanwil, not the ministry.
    site.client.cookies.clear()
    public = site.client.get(f"/api/v1/actions/{action_id}").json()
    assert "drafts" not in public and public["reports"] == []
    for who in ("kanwil_jatim", "admin"):
        assert "drafts" not in _full(site, action_id, who)
        history = site.ok(
            site.client.get(f"/api/v1/actions/{action_id}/history", headers=site.as_(who))
        )
        assert not any(is_private_event(entry["type"]) for entry in history["items"])
        assert site.client.get(file_url, headers=site.as_(who)).status_code == 404
    own = site.client.get(
        f"/api/v1/actions/{action_id}/history", headers=site.as_("pemda_blitar")
    ).json()
    assert any(entry["type"] == "ReportDraftSaved" for entry in own["items"])
    for url in (f"/aksi/{action_id}", "/umpan/wilayah/35.72.atom", "/data/aksi.csv"):
        assert SECRET not in site.client.get(url).text, url
    assert site.client.get(file_url).status_code == 404
    trail = site.client.get(
        f"/api/v1/audit/actions/{action_id}", headers=site.as_("kanwil_jatim")
    ).json()
    assert SECRET not in str(trail) and all(
        not is_private_event(item["type"]) for item in trail["items"]
    )

    # Another region cannot save a draft here.
    other = site.browser("pemda_semarang")
    before = site.events()
    refused = site.client.post(form_url, data={**draft, "csrf_token": other}, **NO_REDIRECTS)
    assert refused.status_code == 403 and site.events() == before

    # Back as Blitar: a refused submit keeps the draft; a valid one turns it into a report.
    csrf = site.browser("pemda_blitar")
    submit = {**draft, "csrf_token": csrf, "decision": "submit", "draft_id": kept["id"]}
    bad = site.client.post(form_url, data=submit, **NO_REDIRECTS)
    assert bad.status_code == 422 and 'id="period-error"' in bad.text
    assert 'name="draft_id"' in bad.text and SECRET in bad.text
    good = site.client.post(form_url, data={**submit, "period": "2025-Q4"}, **NO_REDIRECTS)
    assert good.status_code == 303, good.text
    state = _full(site, action_id, "pemda_blitar")
    assert state["drafts"] == []
    (report,) = state["reports"]
    assert report["percent"] == 35 and report["narrative"] == SECRET
    assert report["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    site.client.cookies.clear()
    assert site.client.get(file_url).status_code == 200  # now cited by a public report


def test_a_draft_can_be_discarded(site: Site) -> None:
    _, action_id = plan_action(site)
    form_url = f"/kerja/aksi/{action_id}/laporan"
    csrf = site.browser("pemda_blitar")
    base = {"csrf_token": csrf, "decision": "draft", "narrative": "Coba"}
    assert site.client.post(form_url, data=base, **NO_REDIRECTS).status_code == 303
    (kept,) = _full(site, action_id, "pemda_blitar")["drafts"]
    gone = {**base, "decision": "discard", "draft_id": kept["id"]}
    assert site.client.post(form_url, data=gone, **NO_REDIRECTS).status_code == 303
    assert site.events()[-1] == "ReportDraftDiscarded"
    assert _full(site, action_id, "pemda_blitar")["drafts"] == []
    again = site.client.post(form_url, data=gone, **NO_REDIRECTS)
    assert again.status_code == 422 and "tidak ada" in again.text
    assert site.client.get(f"{form_url}?draf={kept['id']}").status_code == 404


def test_the_public_stream_carries_a_draft_withheld() -> None:
    row = {
        "notification_id": 9,
        "originator_id": "00000000-0000-0000-0000-0000000000a0",
        "originator_version": 3,
        "topic": "ReportDraftSaved",
        "state": b'{"type":"ReportDraftSaved","narrative":"rahasia"}',
    }
    internal = messages.from_row(row, 8, ("35", "35.72"))
    assert internal.type == "ReportDraftSaved" and b"rahasia" in bytes(internal.event)
    public = messages.from_row(row, 8, ("35", "35.72"), public=True)
    assert (public.type, bytes(public.event)) == (messages.WITHHELD, b"{}")
    assert (public.position, public.previous_position) == (9, 8)
