"""Administration in the workspace (the ministry centre's accounts): accounts with their
scope, disabling, password resets, tokens; forums and commitments with their signatories,
and withdrawing (archiving) a commitment with a reason. Every form builds the same command
as the API and the CLI (tracker/commands.py, domain/commands.py) and the bus decides.

The one page that answers a POST without a redirect is a new token's: its secret is shown
once, and it must not travel in a URL or be kept anywhere to show it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from litestar import MediaType, Request, Response, get, post
from litestar.params import FromPath

from adapters.account_types import AccountError
from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.access import NotAllowed, Principal, SignInRequired, require_admin
from domain.errors import InvalidInput
from domain.forum import ForumKind
from domain.values import Signatory, Source
from tracker import catalogue, queries
from tracker import commands as app
from tracker.fields.reports import field_of, text_fields
from tracker.http.deps import Accounts, Bus
from tracker.http.principal import Who
from tracker.http.reading import Reads
from tracker.web.render import lang_of
from tracker.web.workspace_common import (
    missing,
    refused_page,
    render,
    send,
    sign_in_first,
    text,
    uuid_or_none,
)

ROLES = ("pemda", "kanwil", "admin")


def _admin(request: Request[Any, Any, Any], who: Principal) -> Response[Any] | None:
    """None when `who` may administer; otherwise the page to answer."""
    if not who.signed_in and request.method == "GET":
        return sign_in_first(request)
    try:
        require_admin(who, "manage-accounts")
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    return None


def _f(name: str, label: str, kind: str = "text", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "kind": kind,
        "hint": "",
        "required": False,
        "rows": 3,
    } | extra


# -- accounts -----------------------------------------------------------------------------------
def account_command(form: Mapping[str, str]) -> app.CreateAccount:
    provinces = tuple(p.strip() for p in form.get("provinces", "").split(",") if p.strip())
    return app.CreateAccount(
        user_id=form.get("user_id", "").strip().lower(),
        role=form.get("role", ""),
        name=form.get("name", "").strip() or None,
        office=form.get("office", "").strip() or None,
        region_code=form.get("region_code", "").strip() or None,
        opd=form.get("opd", "").strip() or None,
        provinces=provinces,
        password=form.get("password", "") or None,
    )


def _account_fields(t: Any) -> list[dict[str, Any]]:
    return [
        _f("user_id", t("admin.user_id"), required=True, hint=t("admin.user_id_hint")),
        _f("role", t("admin.role"), "select", options=[(r, t(f"role.{r}")) for r in ROLES]),
        _f("name", t("admin.name")),
        _f("office", t("admin.office"), hint=t("admin.office_hint")),
        _f("region_code", t("admin.region_code"), hint=t("admin.region_code_hint")),
        _f("opd", t("admin.opd"), hint=t("admin.opd_hint")),
        _f("provinces", t("admin.provinces"), hint=t("admin.provinces_hint")),
        _f("password", t("admin.password"), "password", hint=t("admin.password_hint")),
    ]


async def _accounts_page(
    request: Request[Any, Any, Any],
    accounts: Accounts,
    who: Principal,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    t = _t(request)
    listed = sorted(await accounts.all_accounts(), key=lambda a: (a.role.value, a.user_id))
    return render(
        request,
        who,
        "kerja_admin_accounts.html",
        status,
        accounts=listed,
        fields=_account_fields(t),
        values=values if values is not None else {"role": "pemda"},
        errors=errors or {},
        buttons=[("send", t("admin.create"))],
        changes=await accounts.changes(limit=30),
    )


def _t(request: Request[Any, Any, Any]) -> Any:
    return lambda key, **values: text(request, key, **values)


@get("/kerja/admin/akun", include_in_schema=False, media_type=MediaType.HTML)
async def accounts_page(
    request: Request[Any, Any, Any], accounts: Accounts, who: Who
) -> Response[Any]:
    return _admin(request, who) or await _accounts_page(request, accounts, who)


@post("/kerja/admin/akun", include_in_schema=False, status_code=303)
async def create_account(
    request: Request[Any, Any, Any], bus: Bus, accounts: Accounts, who: Who
) -> Response[Any]:
    async def again(**kwargs: Any) -> Response[Any]:
        kwargs["values"] = {k: v for k, v in kwargs["values"].items() if k != "password"}
        return await _accounts_page(request, accounts, who, **kwargs)

    return await send(request, bus, who, account_command, "/kerja/admin/akun", again)


async def _account_page(
    request: Request[Any, Any, Any],
    accounts: Accounts,
    who: Principal,
    user_id: str,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    issued: tuple[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response[Any]:
    account = await accounts.get(user_id)
    if account is None:
        return missing(request, who)
    return render(
        request,
        who,
        "kerja_admin_account.html",
        status,
        account=account,
        tokens=await accounts.tokens(user_id),
        errors=errors or {},
        issued=issued,
    )


@get("/kerja/admin/akun/{user_id:str}", include_in_schema=False, media_type=MediaType.HTML)
async def account_page(
    request: Request[Any, Any, Any], accounts: Accounts, who: Who, user_id: FromPath[str]
) -> Response[Any]:
    return _admin(request, who) or await _account_page(request, accounts, who, user_id)


def _account_post(slug: str, build: Any) -> Any:
    async def handler(
        request: Request[Any, Any, Any],
        bus: Bus,
        accounts: Accounts,
        who: Who,
        user_id: FromPath[str],
    ) -> Response[Any]:
        async def again(**kwargs: Any) -> Response[Any]:
            kwargs.pop("values", None)
            return await _account_page(request, accounts, who, user_id, **kwargs)

        done = f"/kerja/admin/akun/{user_id}"
        return await send(request, bus, who, lambda form: build(user_id, form), done, again)

    handler.__name__ = f"account_{slug}"
    return post(
        f"/kerja/admin/akun/{{user_id:str}}/{slug}", include_in_schema=False, status_code=303
    )(handler)


disable_account = _account_post(
    "nonaktif", lambda user_id, form: app.DisableAccount(user_id=user_id)
)
set_password = _account_post(
    "sandi",
    lambda user_id, form: app.SetPassword(user_id=user_id, password=form.get("password", "")),
)


def _revoke(user_id: str, form: Mapping[str, str]) -> app.RevokeToken:
    return app.RevokeToken(token_id=form.get("token_id", ""))


revoke_token = _account_post("token/cabut", _revoke)


def _days(form: Mapping[str, str]) -> int | None:
    raw = form.get("expires_in_days", "").strip()
    if not raw:
        return None
    if not raw.lstrip("-").isdigit():
        raise InvalidInput("not-a-number", field="expires_in_days")
    return int(raw)


@post("/kerja/admin/akun/{user_id:str}/token", include_in_schema=False, status_code=200)
async def issue_token(
    request: Request[Any, Any, Any], bus: Bus, accounts: Accounts, who: Who, user_id: FromPath[str]
) -> Response[Any]:
    """A 200 page with the new token: shown once (see the module docstring)."""
    refused = _admin(request, who)
    if refused is not None:
        return refused
    form = text_fields(await request.form())
    try:
        command = app.IssueToken(
            user_id=user_id,
            name=form.get("name", "").strip() or "browser",
            expires_in_days=_days(form),
        )
        token_id, token, _ = await bus.dispatch(command, who)
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    except (InvalidInput, AccountError) as error:
        message = catalogue.refusal(error, lang_of(request))
        errors = {field_of(error) or "_form": message}
        return await _account_page(request, accounts, who, user_id, errors=errors, status=422)
    return await _account_page(request, accounts, who, user_id, issued=(token_id, token))


# -- forums and commitments ---------------------------------------------------------------------
def forum_command(form: Mapping[str, str]) -> c.ConveneForum:
    kind = form.get("kind", "")
    if kind not in {k.value for k in ForumKind}:
        raise InvalidInput("empty-text", field="kind")
    return c.ConveneForum(
        kind=ForumKind(kind),
        title=form.get("title", "").strip(),
        organisers=tuple(o.strip() for o in form.get("organisers", "").splitlines() if o.strip()),
        host_region_code=form.get("host_region_code", "").strip(),
        starts_on=_date(form, "starts_on"),
        ends_on=_date(form, "ends_on")
        if form.get("ends_on", "").strip()
        else _date(form, "starts_on"),
        theme=form.get("theme", "").strip(),
        venue=form.get("venue", "").strip(),
        sources=sources_of(form.get("sources", "")),
    )


def sources_of(raw: str) -> tuple[Source, ...]:
    """One per line: `publisher | title | YYYY-MM-DD | link`, the date and link optional."""
    out = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        publisher, title, day, url = (*(p.strip() for p in line.split("|")), "", "", "")[:4]
        try:
            published = date.fromisoformat(day) if day else None
        except ValueError:
            raise InvalidInput("not-a-date", field="sources") from None
        out.append(
            Source(publisher=publisher, title=title, published_on=published, url=url or None)
        )
    return tuple(out)


def _date(form: Mapping[str, str], name: str) -> date:
    try:
        return date.fromisoformat(form.get(name, "").strip())
    except ValueError:
        raise InvalidInput("not-a-date", field=name) from None


def signatories_of(raw: str) -> tuple[Signatory, ...]:
    """One per line: the region code, the office that signed and, after `|`, the person's
    name where a source gives it (`35.72 Wali Kota Blitar | Syauqul Muhibbin`)."""
    out = []
    for line in raw.splitlines():
        signed, _, name = line.partition("|")
        code, _, office = signed.strip().partition(" ")
        if code:
            out.append(
                Signatory(region_code=code, office=office.strip() or code, name=name.strip())
            )
    return tuple(out)


def commitment_command(forum_id: UUID, form: Mapping[str, str]) -> c.RecordCommitment:
    return c.RecordCommitment(
        forum_id=forum_id,
        title=form.get("title", "").strip(),
        made_on=_date(form, "made_on"),
        signatories=signatories_of(form.get("signatories", "")),
        summary=form.get("summary", "").strip(),
    )


def _forum_fields(t: Any) -> list[dict[str, Any]]:
    kinds = [(k.value, t(f"forum_kind.{k.value}")) for k in ForumKind]
    return [
        _f("kind", t("admin.forum_kind"), "select", options=kinds),
        _f("title", t("admin.forum_title"), required=True),
        _f("organisers", t("admin.organisers"), "textarea", hint=t("admin.one_per_line")),
        _f(
            "host_region_code",
            t("admin.host_region"),
            required=True,
            hint=t("admin.region_code_hint"),
        ),
        _f("starts_on", t("admin.starts_on"), "date", required=True),
        _f("ends_on", t("admin.ends_on"), "date"),
        _f("theme", t("admin.theme")),
        _f("venue", t("admin.venue")),
        _f("sources", t("forum.sources"), "textarea", hint=t("admin.sources_hint")),
    ]


def _commitment_fields(t: Any) -> list[dict[str, Any]]:
    return [
        _f("title", t("admin.commitment_title"), required=True),
        _f("made_on", t("admin.made_on"), "date", required=True),
        _f(
            "signatories",
            t("admin.signatories"),
            "textarea",
            rows=5,
            hint=t("admin.signatories_hint"),
        ),
        _f("summary", t("admin.summary"), "textarea"),
    ]


async def _forums_page(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    t = _t(request)
    return render(
        request,
        who,
        "kerja_admin_forums.html",
        status,
        forums=await queries.forums(reads.data),
        fields=_forum_fields(t),
        values=values if values is not None else {"kind": "rakernas"},
        errors=errors or {},
        buttons=[("send", t("admin.convene"))],
    )


@get("/kerja/admin/forum", include_in_schema=False, media_type=MediaType.HTML)
async def forums_page(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    return _admin(request, who) or await _forums_page(request, reads, who)


@post("/kerja/admin/forum", include_in_schema=False, status_code=303)
async def convene(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    async def again(**kwargs: Any) -> Response[Any]:
        return await _forums_page(request, reads, who, **kwargs)

    return await send(request, bus, who, forum_command, "/kerja/admin/forum", again)


async def _forum_page(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    forum_id: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    ident = uuid_or_none(forum_id)
    forum = await queries.public_aggregate(reads.data, "forum", ident) if ident else None
    if ident is None or forum is None:
        return missing(request, who)
    t = _t(request)
    return render(
        request,
        who,
        "kerja_admin_forum.html",
        status,
        forum=forum,
        commitments=await queries.commitments(reads.data, forum_id=ident),
        fields=_commitment_fields(t),
        values=values or {},
        errors=errors or {},
        buttons=[("send", t("admin.record"))],
        regions=region_catalogue(),
    )


@get("/kerja/admin/forum/{forum_id:str}", include_in_schema=False, media_type=MediaType.HTML)
async def forum_page(
    request: Request[Any, Any, Any], reads: Reads, who: Who, forum_id: FromPath[str]
) -> Response[Any]:
    return _admin(request, who) or await _forum_page(request, reads, who, forum_id)


@post("/kerja/admin/forum/{forum_id:str}/komitmen", include_in_schema=False, status_code=303)
async def record_commitment(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who, forum_id: FromPath[str]
) -> Response[Any]:
    ident = uuid_or_none(forum_id)
    if ident is None:
        return missing(request, who)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _forum_page(request, reads, who, forum_id, **kwargs)

    done = f"/kerja/admin/forum/{ident}"
    return await send(request, bus, who, lambda form: commitment_command(ident, form), done, again)


@post("/kerja/admin/komitmen/{commitment_id:str}/tarik", include_in_schema=False, status_code=303)
async def withdraw_commitment(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who, commitment_id: FromPath[str]
) -> Response[Any]:
    """Archive a commitment with a reason: nothing is deleted, it shows as withdrawn."""
    ident = uuid_or_none(commitment_id)
    state = await reads.data.load_state("commitment", ident) if ident else None
    if ident is None or state is None:
        return missing(request, who)
    forum_id = str(state.forum_id)

    async def again(**kwargs: Any) -> Response[Any]:
        kwargs.pop("values", None)
        return await _forum_page(request, reads, who, forum_id, **kwargs)

    def build(form: Mapping[str, str]) -> c.WithdrawCommitment:
        return c.WithdrawCommitment(
            commitment_id=ident, reason=form.get("reason", "").strip() or None
        )

    return await send(request, bus, who, build, f"/kerja/admin/forum/{forum_id}", again)


@post("/kerja/admin/forum/{forum_id:str}/arsip", include_in_schema=False, status_code=303)
async def archive_forum(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who, forum_id: FromPath[str]
) -> Response[Any]:
    """Archive a forum with a reason: it takes no new commitment; nothing is deleted."""
    ident = uuid_or_none(forum_id)
    if ident is None:
        return missing(request, who)

    async def again(**kwargs: Any) -> Response[Any]:
        kwargs.pop("values", None)
        errors = kwargs.get("errors") or {}
        if "reason" in errors:  # the withdraw forms on this page have a reason field too
            errors["archive_reason"] = errors.pop("reason")
        return await _forum_page(request, reads, who, forum_id, **kwargs)

    def build(form: Mapping[str, str]) -> c.ArchiveForum:
        return c.ArchiveForum(forum_id=ident, reason=form.get("reason", "").strip() or None)

    return await send(request, bus, who, build, f"/kerja/admin/forum/{ident}", again)


HANDLERS: list[Any] = [
    accounts_page,
    create_account,
    account_page,
    disable_account,
    set_password,
    revoke_token,
    issue_token,
    forums_page,
    convene,
    forum_page,
    record_commitment,
    withdraw_commitment,
    archive_forum,
]
