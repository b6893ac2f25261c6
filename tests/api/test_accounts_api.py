"""Account administration over HTTP: an admin creates and disables accounts; a token is
shown once, works, and stops working when revoked."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ok


def test_an_admin_creates_an_account_that_then_works_until_disabled(client: Any) -> None:
    admin = client.app.state.tokens["admin"]
    made = ok(
        client.post(
            "/api/v1/users",
            json={"user_id": "kanwil.kalteng", "role": "kanwil", "provinces": ["62", "61"]},
            headers=admin,
        ),
        201,
    )
    assert made["provinces"] == ["62", "61"]
    assert made["office"] == "Kanwil Kementerian HAM Kalimantan Tengah"
    issued = ok(client.post("/api/v1/users/kanwil.kalteng/tokens", json={}, headers=admin), 201)
    assert issued["token"].startswith("trk_") and issued["expires_at"] is None
    own = {"Authorization": f"Bearer {issued['token']}"}
    me = ok(client.get("/api/v1/me", headers=own))
    assert (me["role"], me["provinces"]) == ("kanwil", ["61", "62"])
    listed = ok(client.get("/api/v1/users", headers=admin))["items"]
    assert "token" not in str(listed) and "password" not in str(listed)

    ok(client.post("/api/v1/users/kanwil.kalteng/disable", headers=admin))
    assert client.get("/api/v1/me", headers=own).status_code == 401


def test_refusals_are_problems(client: Any) -> None:
    admin = client.app.state.tokens["admin"]
    taken = client.post(
        "/api/v1/users", json={"user_id": "t-admin", "role": "admin"}, headers=admin
    )
    assert taken.status_code == 409 and taken.json()["code"] == "account-refused"
    wrong = client.post(
        "/api/v1/users",
        json={"user_id": "x.y.z", "role": "pemda", "provinces": ["35"]},
        headers=admin,
    )
    assert wrong.status_code == 422
    assert "needs --region" in wrong.json()["detail_en"]
    assert "memerlukan --region" in wrong.json()["detail_id"]
    assert client.post("/api/v1/users/t-admin/disable", headers=admin).status_code == 422
    assert client.post("/api/v1/users/nobody/disable", headers=admin).status_code == 404
    assert client.delete("/api/v1/tokens/nope", headers=admin).status_code == 404
    assert client.delete("/api/v1/tokens/nope").status_code == 403  # not even whether it exists


def test_an_owner_revokes_their_own_token(client: Any) -> None:
    issued = ok(
        client.post(
            "/api/v1/users/t-pemda-blitar/tokens", json={"expires_in_days": 30}, headers={}
        ),
        201,
    )
    assert issued["expires_at"] is not None
    theirs = {"Authorization": f"Bearer {issued['token']}"}
    assert ok(client.get("/api/v1/me", headers=theirs))["user_id"] == "t-pemda-blitar"
    assert client.delete(f"/api/v1/tokens/{issued['id']}").status_code == 204
    assert client.get("/api/v1/me", headers=theirs).status_code == 401
