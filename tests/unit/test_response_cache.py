"""The response cache on the in-memory application: an anonymous read is made once per
change of the read models (position or day) and given again with this request's own id;
a write, a new day or another language makes a new one; credentials, a session or form
cookie, a cookie being set, or a read-your-writes wait are never answered from it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.unit.sites import Site, make_site, plan_action

REGION = "/api/v1/regions/35.72"


@pytest.fixture
def cached_site() -> Iterator[Site]:
    yield from make_site()


def _count(site: Site, outcome: str) -> float:
    value = site.services.metrics.registry.get_sample_value(
        "tracker_response_cache_requests_total", {"outcome": outcome}
    )
    return value or 0.0


def _get(site: Site, path: str, **headers: str) -> Any:
    site.client.cookies.clear()
    answer = site.client.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer


def test_an_anonymous_read_is_made_once_per_change_of_the_read_models(cached_site: Site) -> None:
    site = cached_site
    first, again = _get(site, REGION), _get(site, REGION)
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert (_count(site, "miss"), _count(site, "hit")) == (1, 1)

    plan_action(site)  # the read models move: the kept answer no longer holds
    after_write = _get(site, REGION)
    assert after_write.headers["etag"] != first.headers["etag"]
    assert after_write.json() != first.json()
    assert _get(site, REGION).content == after_write.content
    assert (_count(site, "miss"), _count(site, "hit")) == (2, 2)

    site.clock.advance(days=1)  # 'overdue' may change with the day
    next_day = _get(site, REGION)
    assert next_day.headers["etag"] != after_write.headers["etag"]
    assert _count(site, "miss") == 3


def test_languages_and_representations_are_kept_apart(cached_site: Site) -> None:
    site = cached_site
    indonesian = _get(site, "/wilayah/35.72")
    site.client.cookies.clear()
    english = site.client.get("/wilayah/35.72", headers={"Cookie": "lang=en"})
    assert english.status_code == 200 and english.content != indonesian.content
    again = site.client.get("/wilayah/35.72", headers={"Cookie": "lang=en"})
    assert again.content == english.content
    assert (_count(site, "miss"), _count(site, "hit")) == (2, 1)


def test_personal_and_waiting_reads_pass_by(cached_site: Site) -> None:
    site = cached_site
    for _ in range(2):
        assert site.client.get(REGION, headers=site.as_("pemda_blitar")).status_code == 200
        site.client.cookies.clear()
        session = {"Cookie": "lang=id; tracker_session=whatever"}
        assert site.client.get(REGION, headers=session).status_code in (200, 401)
        site.client.cookies.clear()
        assert site.client.get(f"{REGION}?after=1").status_code in (200, 400, 503)
        site.client.cookies.clear()
        assert site.client.get(REGION, headers={"X-Tracker-Position": "1"}).status_code in (
            200,
            400,
            503,
        )
    assert (_count(site, "miss"), _count(site, "hit"), _count(site, "uncacheable")) == (0, 0, 0)


def test_an_answer_that_sets_a_cookie_is_not_kept(cached_site: Site) -> None:
    site = cached_site
    for _ in range(2):
        site.client.cookies.clear()
        chosen = site.client.get("/wilayah/35.72?lang=en")
        assert chosen.status_code == 200 and "set-cookie" in chosen.headers
        site.client.cookies.clear()
        assert site.client.get("/health").status_code == 200  # no read-model ETag
    assert (_count(site, "miss"), _count(site, "hit"), _count(site, "uncacheable")) == (0, 0, 4)


def test_switched_off_nothing_is_kept() -> None:
    for site in make_site(response_cache=False):
        assert _get(site, REGION).content == _get(site, REGION).content
        assert (_count(site, "miss"), _count(site, "hit")) == (0, 0)
