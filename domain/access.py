"""Who may do what: the access policy, as pure functions over a principal and a region.

The application layer asks these before it loads or appends anything, so a refused
command writes nothing whichever door (HTTP, CLI, demo loader) it came through.

- ``pemda``: writes actions and progress of exactly its own region (a province's Pemda
  writes the province's own actions, not its kab/kota's); with an OPD, only actions that
  OPD owns. Reads the audit trail of its own region.
  Its account without an OPD is the coordinator (Bagian Hukum): the only one that opens
  and submits the region's KKP HAM self-assessment.
- ``kanwil``: verifies or returns reports and completions, and reads the audit trail, of
  regions inside its provinces (one Kanwil may cover several).
- ``admin`` (Kementerian HAM central): forums, commitments and accounts; reads every
  audit trail; does not log or verify progress on a Pemda's behalf.
- anonymous: reads public content only (see ``projections.public``).
- ``system``: loaders and maintenance run by the operator, never an account.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec

from domain.errors import DomainError, Text
from domain.values import Actor, Role


class SignInRequired(DomainError):
    """The request needs an account and came without (valid) credentials."""


class NotAllowed(DomainError):
    """The account is known but its role or scope does not cover this."""


def province_of(region_code: str) -> str:
    return region_code.split(".", 1)[0]


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """An authenticated account (or the anonymous public) with its scope."""

    user_id: str
    role: Role | None  # None: the anonymous public
    office: str = ""
    region_code: str | None = None  # pemda: its one region (kab/kota or province)
    opd: str | None = None  # pemda: optionally one OPD inside that region
    provinces: frozenset[str] = frozenset()  # kanwil: its jurisdiction

    @property
    def signed_in(self) -> bool:
        return self.role is not None

    def actor(self) -> Actor:
        """What events record: id, role and office."""
        if self.role is None:
            raise _sign_in()
        return Actor(user_id=self.user_id, role=self.role, office=self.office)

    def covers(self, region_code: str) -> bool:
        """Whether the region is inside this principal's own region or jurisdiction."""
        if self.role in (Role.ADMIN, Role.SYSTEM):
            return True
        if self.role is Role.PEMDA:
            return self.region_code == region_code
        if self.role is Role.KANWIL:
            return province_of(region_code) in self.provinces
        return False

    def sees_drafts(self, region_code: str) -> bool:
        """Report drafts are the region's working copies: its own accounts only, not even
        the Kanwil or the ministry see them before they are submitted."""
        return self.role is Role.PEMDA and self.region_code == region_code


ANONYMOUS = Principal(user_id="", role=None)


def system(name: str, office: str = "Operator sistem") -> Principal:
    return Principal(user_id=name, role=Role.SYSTEM, office=office)


def _sign_in() -> SignInRequired:
    return SignInRequired("sign-in-required")


def _refuse(code: str, text: str | None = None, **params: Any) -> NotAllowed:
    return NotAllowed(code, text=text, **params)


def _signed_in(who: Principal) -> None:
    if not who.signed_in:
        raise _sign_in()


def require_admin(who: Principal, doing: str) -> None:
    """Forums, commitments and accounts belong to the ministry centre; `doing` is the
    catalogue key (`doing.<doing>`) of what was refused."""
    _signed_in(who)
    if who.role not in (Role.ADMIN, Role.SYSTEM):
        raise _refuse("admin-only", doing=Text(f"doing.{doing}"))


def require_region_writer(who: Principal, region_code: str, owner_opd: str) -> None:
    """Logging actions and progress: the region's own Pemda (and its OPD, if scoped)."""
    _signed_in(who)
    if who.role is Role.SYSTEM:
        return
    if who.role is not Role.PEMDA:
        raise _refuse("pemda-only")
    if who.region_code != region_code:
        raise _refuse("other-region", account_region=who.region_code, region_code=region_code)
    if who.opd is not None and who.opd.casefold() != owner_opd.strip().casefold():
        raise _refuse("other-opd", opd=who.opd, owner_opd=owner_opd)


def require_coordinator(who: Principal, region_code: str) -> None:
    """The region's coordinating account (Bagian Hukum): its Pemda, not an OPD's operator."""
    require_region_writer(who, region_code, who.opd or "")
    if who.opd is not None:
        raise _refuse("coordinator-only", opd=who.opd)


def require_period_closer(who: Principal, place_code: str) -> None:
    """Closing a reporting period: the Kanwil of the province, or the ministry centre."""
    _signed_in(who)
    if who.role in (Role.ADMIN, Role.SYSTEM):
        return
    require_reviewer(who, place_code)


def require_reviewer(who: Principal, region_code: str) -> None:
    """Verifying or returning: the Kanwil whose jurisdiction holds the region."""
    _signed_in(who)
    if who.role is Role.SYSTEM:
        return
    if who.role is not Role.KANWIL:
        raise _refuse("kanwil-only")
    if not who.covers(region_code):
        raise _refuse("outside-jurisdiction", region_code=region_code)


class Policy(StrEnum):
    """Who may issue a command, as data: every command declares one (domain.commands)."""

    MINISTRY = "ministry"  # Kementerian HAM central (and the operator's system principal)
    REGION_WRITER = "region-writer"  # the region's own Pemda, OPD-scoped if the account is
    COORDINATOR = "coordinator"  # the region's own Pemda account not scoped to one OPD
    REGION_MEMBER = "region-member"  # any account of the region's Pemda, any OPD
    REVIEWER = "reviewer"  # the Kanwil whose provinces hold the region
    PERIOD_CLOSER = "period-closer"  # that Kanwil for the province or region, or the ministry
    OWN_ACCOUNT = "own-account"  # the account itself, or an admin
    ANYONE = "anyone"  # the public too: following a region; the command's secret decides


class Rule(msgspec.Struct, frozen=True):
    """A command's policy, and what it does (catalogue key `doing.<doing>`) for the refusal."""

    policy: Policy
    doing: str


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """What a command touches, as far as the policy cares."""

    region_code: str = ""
    owner_opd: str = ""
    user_id: str = ""


def authorize(rule: Rule, who: Principal, target: Target) -> None:
    """Raise SignInRequired or NotAllowed unless `who` may do `rule` to `target`."""
    if rule.policy is Policy.ANYONE:
        return
    if rule.policy is Policy.MINISTRY:
        require_admin(who, rule.doing)
    elif rule.policy is Policy.REGION_WRITER:
        require_region_writer(who, target.region_code, target.owner_opd)
    elif rule.policy is Policy.COORDINATOR:
        require_coordinator(who, target.region_code)
    elif rule.policy is Policy.REGION_MEMBER:  # what each part of the work touches is checked
        require_region_writer(who, target.region_code, who.opd or "")
    elif rule.policy is Policy.REVIEWER:
        require_reviewer(who, target.region_code)
    elif rule.policy is Policy.PERIOD_CLOSER:
        require_period_closer(who, target.region_code)
    elif not (who.signed_in and who.user_id == target.user_id):
        require_admin(who, rule.doing)


def covers_any(who: Principal, region_codes: list[str]) -> bool:
    """An aggregate filed under several regions (a commitment's signatories) is audited by
    whoever covers any of them."""
    return who.signed_in and any(who.covers(code) for code in region_codes)


def require_auditor_of_any(who: Principal, region_codes: list[str]) -> None:
    if not covers_any(who, region_codes):
        require_auditor(who, region_codes[0] if region_codes else "-")


def require_auditor(who: Principal, region_code: str) -> None:
    """The full history (actor ids, private evidence): own region or jurisdiction."""
    _signed_in(who)
    if not who.covers(region_code):
        raise _refuse(
            "outside-jurisdiction", text="outside-jurisdiction.audit", region_code=region_code
        )
