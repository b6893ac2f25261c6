"""Every write route of the JSON API, and signing in and out, on the in-memory bootstrap:
the real application, bus and policy, with the in-memory event store and account store, so
no PostgreSQL or NATS is started. Reads of the projected catalogue need the read store and
are tested in tests/api and tests/web."""

from __future__ import annotations

from tests.unit.sites import Site, plan_action


def test_every_forum_commitment_and_action_route_writes_through_the_bus(site: Site) -> None:
    admin, pemda, kanwil = site.as_("admin"), site.as_("pemda_blitar"), site.as_("kanwil_jatim")
    post = site.client.post
    forum_id, action_id = plan_action(site)
    base = f"/api/v1/actions/{action_id}"
    corrected = site.client.patch(
        f"/api/v1/forums/{forum_id}",
        json={"reason": "Salah ketik", "venue": "Singkawang"},
        headers=admin,
    )
    assert site.ok(corrected)["data"]["venue"] == "Singkawang"
    report = site.ok(
        post(
            f"{base}/progress",
            json={"period": "2025-Q4", "percent": 20, "narrative": "Tahap 1"},
            headers=pemda,
        ),
        201,
    )
    report_id = report["data"]["reports"][-1]["id"]
    returned = {"reason_code": "insufficient_evidence", "note": "Lampirkan daftar hadir"}
    site.ok(post(f"{base}/progress/{report_id}/return", json=returned, headers=kanwil))
    resubmitted = {
        "percent": 25,
        "narrative": "Dengan daftar hadir",
        "evidence": [{"title": "Daftar hadir", "url": "https://example.org/hadir.pdf"}],
    }
    site.ok(post(f"{base}/progress/{report_id}/resubmission", json=resubmitted, headers=pemda))
    site.ok(post(f"{base}/progress/{report_id}/verification", json={"note": "Oke"}, headers=kanwil))
    done = {"evidence": [{"title": "Laporan", "url": "https://example.org/l.pdf"}], "note": "Ok"}
    site.ok(post(f"{base}/completion", json=done, headers=pemda))
    verified = site.ok(post(f"{base}/verification", json={"note": "Sesuai"}, headers=kanwil))
    assert verified["data"]["status"] == "verified"
    _, second = plan_action(site)
    site.ok(post(f"/api/v1/actions/{second}/start", headers=pemda))
    site.ok(
        post(
            f"/api/v1/actions/{second}/rescheduling",
            json={"due_on": "2027-03-31", "reason": "Banjir"},
            headers=pemda,
        )
    )
    site.ok(
        post(f"/api/v1/actions/{second}/cancellation", json={"reason": "Dialihkan"}, headers=pemda)
    )
    commitment_id = site.log()[12].originator_id
    site.ok(
        site.client.patch(
            f"/api/v1/commitments/{commitment_id}",
            json={"reason": "Judul", "title": "Komitmen (perbaikan)"},
            headers=admin,
        )
    )
    site.ok(
        post(
            f"/api/v1/commitments/{commitment_id}/withdrawal",
            json={"reason": "Diganti"},
            headers=admin,
        )
    )
    archived = post(f"/api/v1/forums/{forum_id}/archive", json={"reason": "Selesai"}, headers=admin)
    assert site.ok(archived)["data"]["status"] == "archived"
    assert site.events() == [
        "ForumConvened",
        "CommitmentMade",
        "ActionPlanned",
        "ForumCorrected",
        "ActionStarted",
        "ProgressReportSubmitted",
        "ProgressReportReturned",
        "ProgressReportResubmitted",
        "ProgressReportVerified",
        "ActionCompleted",
        "ActionVerified",
        "ForumConvened",
        "CommitmentMade",
        "ActionPlanned",
        "ActionStarted",
        "ActionRescheduled",
        "ActionCancelled",
        "CommitmentAmended",
        "CommitmentWithdrawn",
        "ForumArchived",
    ]


def test_refusals_answer_problem_details_and_write_nothing(site: Site) -> None:
    _, action_id = plan_action(site)
    before = site.events()
    base = f"/api/v1/actions/{action_id}"
    body = {"period": "2025-Q4", "percent": 20, "narrative": "Tahap 1"}
    anonymous = site.client.post(f"{base}/progress", json=body)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "sign-in-required"
    other = site.client.post(f"{base}/progress", json=body, headers=site.as_("pemda_semarang"))
    assert other.status_code == 403
    assert other.json()["detail"] == "Akun ini mewakili wilayah 33.74, bukan 35.72."
    english = site.client.post(
        f"{base}/progress",
        json=body,
        headers={**site.as_("pemda_semarang"), "Accept-Language": "en"},
    )
    assert english.json()["detail"] == "This account acts for region 33.74, not 35.72."
    pemda = site.as_("pemda_blitar")
    stale = site.client.post(f"{base}/start", headers={**pemda, "If-Match": '"7"'})
    assert stale.status_code == 412 and stale.json()["code"] == "stale-version"
    wrong = site.client.post(f"{base}/progress", json={**body, "percent": 140}, headers=pemda)
    assert wrong.status_code == 422 and wrong.json()["code"] == "percent-range"
    review = site.client.post(
        f"{base}/verification", json={"note": "x"}, headers=site.as_("kanwil_jatim")
    )
    assert review.status_code == 409 and review.json()["code"] == "action-planned"
    assert "Tidak dapat memverifikasi penyelesaian" in review.json()["detail_id"]
    unknown = site.client.post(
        "/api/v1/actions/00000000-0000-4000-8000-000000000000/start", headers=pemda
    )
    assert unknown.status_code == 404
    assert site.events() == before


def test_accounts_tokens_and_signing_in_on_the_in_memory_store(site: Site) -> None:
    admin = site.as_("admin")
    created = site.client.post(
        "/api/v1/users",
        json={
            "user_id": "opd-dinsos",
            "role": "pemda",
            "region_code": "35.72",
            "office": "Dinsos Kota Blitar",
            "password": "kata-sandi-panjang-1",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    token = site.ok(
        site.client.post("/api/v1/users/opd-dinsos/tokens", json={"name": "x"}, headers=admin), 201
    )
    me = site.ok(
        site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"})
    )
    assert (me["user_id"], me["region_code"]) == ("opd-dinsos", "35.72")
    assert site.client.delete(f"/api/v1/tokens/{token['id']}", headers=admin).status_code == 204
    revoked = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"})
    assert revoked.status_code == 401
    form = site.client.get("/masuk")
    csrf = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    signed_in = site.client.post(
        "/masuk",
        data={"username": "opd-dinsos", "password": "kata-sandi-panjang-1", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303, signed_in.text
    assert site.ok(site.client.get("/api/v1/me"))["user_id"] == "opd-dinsos"
    site.ok(site.client.post("/api/v1/users/opd-dinsos/disable", headers=admin))
    assert site.client.get("/api/v1/me").json()["role"] == "public"  # the session ended


def test_a_plan_is_corrected_and_a_completion_returned(site: Site) -> None:
    pemda, kanwil = site.as_("pemda_blitar"), site.as_("kanwil_jatim")
    post = site.client.post
    _, action_id = plan_action(site)
    base = f"/api/v1/actions/{action_id}"
    fixed = site.ok(
        post(
            f"{base}/amendment",
            json={"reason": "Salah ketik", "title": "Pelatihan HAM untuk ASN", "kkp_criterion": 3},
            headers=pemda,
        )
    )
    assert (fixed["data"]["title"], fixed["data"]["kkp_criterion"]) == (
        "Pelatihan HAM untuk ASN",
        3,
    )
    unchanged = post(f"{base}/amendment", json={"reason": "Lagi"}, headers=pemda)
    assert unchanged.status_code == 422 and unchanged.json()["code"] == "nothing-to-amend"
    stranger = post(
        f"{base}/amendment", json={"reason": "x", "title": "y"}, headers=site.as_("pemda_semarang")
    )
    assert stranger.status_code == 403
    report = {
        "period": "2025-Q4",
        "percent": 100,
        "narrative": "Selesai",
        "evidence": [{"title": "Daftar hadir", "url": "https://example.org/hadir.pdf"}],
    }
    site.ok(post(f"{base}/progress", json=report, headers=pemda), 201)
    done = {"note": "Selesai", "evidence": [{"title": "BA", "url": "https://example.org/ba.pdf"}]}
    site.ok(post(f"{base}/completion", json=done, headers=pemda))
    back = {"reason_code": "insufficient_evidence", "note": "Foto kegiatan belum ada"}
    assert post(f"{base}/completion/return", json=back, headers=pemda).status_code == 403
    returned = site.ok(post(f"{base}/completion/return", json=back, headers=kanwil))
    assert returned["data"]["status"] == "in_progress"
    assert site.events()[-5:] == [
        "ActionAmended",
        "ActionStarted",  # the first report starts a planned action
        "ProgressReportSubmitted",
        "ActionCompleted",
        "ActionCompletionReturned",
    ]


def test_a_forum_session_is_recorded_replaced_with_a_reason_and_refused_to_others(
    site: Site,
) -> None:
    forum_id, _ = plan_action(site)
    admin, pemda = site.as_("admin"), site.as_("pemda_blitar")
    url = f"/api/v1/forums/{forum_id}/sessions"
    session = {
        "number": 1,
        "title": "Pleno I",
        "speakers": [{"name": "Mugiyanto", "office": "Wakil Menteri HAM", "role": "opening"}],
    }
    before = site.events()
    refused = site.client.post(url, json=session, headers=pemda)
    assert refused.status_code == 403 and refused.json()["code"] == "admin-only"
    recorded = site.ok(site.client.post(url, json=session, headers=admin))
    assert recorded["data"]["sessions"][0]["speakers"][0]["role"] == "opening"
    again = site.client.post(url, json={**session, "title": "Pleno I (ralat)"}, headers=admin)
    assert again.status_code == 422 and again.json()["code"] == "reason-required"
    empty = site.client.post(url, json={"number": 2, "title": " "}, headers=admin)
    assert empty.status_code == 422 and empty.json()["code"] == "session-empty"
    fixed = {**session, "title": "Pleno I (ralat)", "reason": "Sesuai rilis"}
    replaced = site.ok(site.client.post(url, json=fixed, headers=admin))
    assert [s["title"] for s in replaced["data"]["sessions"]] == ["Pleno I (ralat)"]
    assert site.events() == [*before, "ForumSessionRecorded", "ForumSessionRecorded"]
