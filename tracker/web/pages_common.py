"""What every portal page shares: value formatting in the page's language, feed links,
charts, and the 404 page."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import MediaType, Request, Response
from litestar.response import Template

from adapters.reference_data import region_catalogue
from domain.period import ReportingPeriod
from domain.regions import WIB, TimeZone, time_zone
from tracker import catalogue
from tracker.errors import BadQuery
from tracker.http.reading import Reading, Reads, as_of, not_modified, wait_after
from tracker.web import charts, i18n, render
from tracker.web.render import lang_of


class Fmt:
    """Numbers, dates, periods and region names as a page in `lang` writes them; times in
    the page's civil time zone (stored in UTC)."""

    def __init__(self, lang: str, zone: TimeZone = WIB) -> None:
        self.lang = lang
        self.t = i18n.translator(lang)
        self.zone = zone

    def num(self, value: float | None) -> str:
        if value is None:
            return self.t("page.none")
        return catalogue.number(value, self.lang)  # Babel's CLDR formats: id 1.234,5

    def pct(self, value: float | None) -> str:
        return self.t("page.none") if value is None else f"{self.num(value)}%"

    def share(self, value: float | None) -> str:
        return self.t("page.none") if value is None else self.pct(round(value * 100, 1))

    @staticmethod
    def width(value: float | None) -> str:
        """A bar's CSS width: the percent itself, kept within 0-100."""
        return f"{min(max(float(value or 0), 0.0), 100.0):g}"

    def date(self, value: Any) -> str:
        if value is None:
            return self.t("page.none")
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return catalogue.day(day, self.lang)

    def when(self, value: Any) -> str:
        if value is None:
            return self.t("page.none")
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        local = self.zone.local(moment)
        return f"{self.date(local)}, {local:%H:%M} {self.zone.name}"

    @staticmethod
    def iso(value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    @staticmethod
    def period(value: dict[str, Any]) -> str:
        return ReportingPeriod.from_doc(value).label

    @staticmethod
    def region(code: str) -> str:
        region = region_catalogue().get(code)
        return region.name if region else code

    @staticmethod
    def region_url(code: str) -> str:
        region = region_catalogue().get(code)
        return (
            f"/provinsi/{code}" if region is not None and region.is_province else f"/wilayah/{code}"
        )

    @staticmethod
    def completion(action: dict[str, Any]) -> float:
        """Claimed completion, as the projection stored it (domain Action.completion)."""
        return float(action["figures"]["completion"])

    @staticmethod
    def verified_completion(action: dict[str, Any]) -> float:
        return float(action["figures"]["verified_completion"])

    def overdue(self, action: dict[str, Any], today: dt.date) -> bool:
        """As the projection stored it (domain Action.overdue_from)."""
        return self.overdue_since(action["figures"]["overdue_from"], today)

    @staticmethod
    def overdue_since(since: Any, today: dt.date) -> bool:
        """Overdue on `today` from a stored first overdue day (an action's or a step's)."""
        return since is not None and dt.date.fromisoformat(str(since)) <= today

    def url(self, path: str, **params: Any) -> str:
        """`path` with the non-empty `params` as a query string."""
        kept = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{path}?{urlencode(kept)}" if kept else path


def fmt(request: Request[Any, Any, Any], place: str | None = None) -> Fmt:
    """The page's formats: its language, and the time zone of `place` (a region or province
    code; WIB for national pages)."""
    return Fmt(lang_of(request), time_zone(place))


async def dated(
    request: Request[Any, Any, Any], reads: Reading, place: str | None = None
) -> tuple[Reading, dict[str, Any]]:
    """The page's reading for its date picker (`?pada=`, as on the API) and the picker's
    context; a date that is refused keeps the live page and says why beside the field."""
    value = request.query_params.get("pada") or None
    today = reads.today(place).isoformat()
    try:
        chosen = await as_of(reads, value, place)
    except BadQuery as refused:
        message = fmt(request).t(f"problem.{refused.code}", **refused.params)
        return reads, {"pada": value, "as_of": None, "pada_error": message, "pada_max": today}
    return chosen, {"pada": value, "as_of": chosen.as_of, "pada_error": None, "pada_max": today}


def not_yet(
    request: Request[Any, Any, Any], live: Reading, picker: dict[str, Any]
) -> tuple[Reading, dict[str, Any]]:
    """The page's subject did not exist yet on the chosen day: the live page, saying so."""
    message = fmt(request).t("as_of.not_yet", date=picker["pada"])
    return live, {**picker, "as_of": None, "pada_error": message}


SCOPES = {"wilayah": "", "provinsi": "", "forum": "forum:", "aksi": "action:"}


def feeds(kind: str, ident: str | None = None) -> dict[str, str]:
    """The Atom and JSON Feed URLs of a page (written by tracker/web/feeds.py), and the
    mail subscription to the same place (tracker/subscriptions.py), if it has one."""
    base = f"/umpan/{kind}/{ident}" if ident is not None else f"/umpan/{kind}"
    found = {"atom": f"{base}.atom", "json": f"{base}.json"}
    if ident is not None and kind in SCOPES:
        found["mail"] = f"/langganan?{urlencode({'lingkup': SCOPES[kind] + ident})}"
    return found


def status_chart(by_status: dict[str, int], f: Fmt) -> Any:
    return charts.status_breakdown(
        dict(by_status), f.t, title=f.t("chart.status"), empty=f.t("chart.no_actions")
    )


def completion_chart(points: list[tuple[date, float]], f: Fmt) -> Any:
    return charts.completion_over_time(
        points,
        f.t,
        title=f.t("chart.completion"),
        empty=f.t("chart.no_data"),
        summary=f.t("chart.summary"),
        axis=f.t("chart.axis"),
    )


def parse_uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def not_found(request: Request[Any, Any, Any]) -> Response[Any]:
    """A 404 page in the visitor's language (never JSON: browsers land here)."""
    f = fmt(request)
    other = {**dict(request.query_params), "lang": "en" if f.lang == "id" else "id"}
    return Template(
        template_name="not_found.html",
        context={
            "lang": f.lang,
            "t": f.t,
            "path": request.url.path,
            "query": dict(request.query_params),
            "switch_url": f"{request.url.path}?{urlencode(other)}",
        },
        status_code=404,
        media_type=MediaType.HTML,
        headers={"Cache-Control": "no-cache"},
    )


async def unchanged(request: Request[Any, Any, Any], reads: Reads) -> Response[Any] | None:
    """Wait briefly for `?after=<position>` (read-your-writes, as the API does; if the read
    models stay behind the page shows what they hold), then 304 before any work when the
    visitor's copy is current (render.page checks again)."""
    await wait_after(request, reads)
    return not_modified(request, await render.validators(request, reads))
