from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain import commitment
from domain.commitment import (
    Commitment,
    CommitmentAmended,
    CommitmentMade,
    CommitmentStatus,
    CommitmentWithdrawn,
)
from domain.errors import InvalidInput, RuleViolated
from domain.values import RpjmnTag, Signatory

from .helpers import (
    ADMIN,
    COMMITMENT_ID,
    COMMITMENT_MADE_ON,
    FORUM_ID,
    FORUM_STARTS,
    at,
    commitment_made,
    commitment_withdrawn,
    given,
    then_refused,
)

JATIM = Signatory(region_code="35", office="Gubernur Jawa Timur")
SEMARANG = Signatory(region_code="33.74", office="Wali Kota Semarang")


def make(regions: Any, **overrides: Any) -> CommitmentMade:
    command: dict[str, Any] = {
        "commitment_id": COMMITMENT_ID,
        "forum_id": FORUM_ID,
        "forum_starts_on": FORUM_STARTS,
        "title": " Deklarasi Blitar ",
        "summary": " Layanan publik ramah HAM ",
        "made_on": COMMITMENT_MADE_ON,
        "signatories": (JATIM, SEMARANG),
        "rpjmn": (RpjmnTag(pn="PN1"),),
        "kkp_criteria": (4, 1, 4),
        "regions": regions,
        "actor": ADMIN,
        "at": at(2025, 6, 11),
    }
    command.update(overrides)
    return commitment.make(**command)


# ---- make -------------------------------------------------------------------------------------


def test_make_records_commitment_with_sorted_unique_kkp_criteria(regions):
    assert make(regions) == commitment_made()
    assert make(regions, kkp_criteria=(10, 3, 3, 1)).kkp_criteria == (1, 3, 10)


def test_make_on_the_forum_start_day_is_fine(regions):
    assert make(regions, made_on=FORUM_STARTS) == commitment_made(made_on=FORUM_STARTS)


def test_make_with_unknown_signatory_region_is_invalid(regions):
    with then_refused(InvalidInput, "unknown-region"):
        make(regions, signatories=(JATIM, Signatory(region_code="99.99", office="Bupati")))


def test_make_with_duplicate_signatory_is_invalid(regions):
    twice = Signatory(region_code="35", office="Wakil Gubernur Jawa Timur")
    with then_refused(InvalidInput, "duplicate-signatory"):
        make(regions, signatories=(JATIM, SEMARANG, twice))


def test_make_without_signatories_is_invalid(regions):
    with then_refused(InvalidInput, "signatories-required"):
        make(regions, signatories=())


@pytest.mark.parametrize("pn", ["PN9", "PN0", "pn1", "PN10", ""])
def test_make_with_unknown_rpjmn_priority_is_invalid(regions, pn):
    with then_refused(InvalidInput, "unknown-rpjmn-pn"):
        make(regions, rpjmn=(RpjmnTag(pn="PN2"), RpjmnTag(pn=pn)))


@pytest.mark.parametrize("code", ["2.1", "11.2", "1.", "1..2", "PN1.2", "1.2.x", " 1.2"])
def test_a_programme_code_outside_its_pn_is_invalid(regions, code):
    with then_refused(InvalidInput, "rpjmn-code-outside-pn"):
        make(regions, rpjmn=(RpjmnTag(pn="PN1", code=code),))


@pytest.mark.parametrize("code", ["1", "1.3", "1.3.2", "1.10.4"])
def test_a_programme_code_under_its_pn_is_accepted(regions, code):
    assert make(regions, rpjmn=(RpjmnTag(pn="PN1", code=code),)).rpjmn[0].code == code


@pytest.mark.parametrize("criterion", [0, 11, -1])
def test_make_with_unknown_kkp_criterion_is_invalid(regions, criterion):
    with then_refused(InvalidInput, "unknown-kkp-criterion"):
        make(regions, kkp_criteria=(1, criterion))


def test_make_before_the_forum_started_is_invalid(regions):
    with then_refused(InvalidInput, "commitment-before-forum"):
        make(regions, made_on=date(2025, 6, 9))


# ---- amend ------------------------------------------------------------------------------------


def test_amend_records_only_given_fields(regions):
    state = given(commitment.evolve, commitment_made())
    event = commitment.amend(
        state,
        reason=" Kota Pekalongan ikut menandatangani ",
        signatories=(JATIM, SEMARANG, Signatory(region_code="33.75", office="Wali Kota")),
        kkp_criteria=(7, 2, 7),
        regions=regions,
        actor=ADMIN,
        at=at(2025, 6, 15),
    )
    assert event == CommitmentAmended(
        reason="Kota Pekalongan ikut menandatangani",
        signatories=(JATIM, SEMARANG, Signatory(region_code="33.75", office="Wali Kota")),
        kkp_criteria=(2, 7),
        actor=ADMIN,
        at=at(2025, 6, 15),
    )


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_amend_needs_a_reason(regions, reason):
    state = given(commitment.evolve, commitment_made())
    with then_refused(InvalidInput, "reason-required"):
        commitment.amend(
            state, reason=reason, title="Baru", regions=regions, actor=ADMIN, at=at(2025, 6, 15)
        )


def test_amend_must_change_something(regions):
    state = given(commitment.evolve, commitment_made())
    with then_refused(InvalidInput, "nothing-to-amend"):
        commitment.amend(
            state, reason="Tidak ada", regions=regions, actor=ADMIN, at=at(2025, 6, 15)
        )


def test_amend_validates_new_values(regions):
    state = given(commitment.evolve, commitment_made())
    common: dict[str, Any] = {
        "reason": "r",
        "regions": regions,
        "actor": ADMIN,
        "at": at(2025, 6, 15),
    }
    with then_refused(InvalidInput, "unknown-rpjmn-pn"):
        commitment.amend(state, rpjmn=(RpjmnTag(pn="PN9"),), **common)
    with then_refused(InvalidInput, "unknown-kkp-criterion"):
        commitment.amend(state, kkp_criteria=(11,), **common)
    with then_refused(InvalidInput, "duplicate-signatory"):
        commitment.amend(state, signatories=(JATIM, JATIM), **common)


def test_amend_after_withdrawal_is_refused(regions):
    state = given(commitment.evolve, commitment_made(), commitment_withdrawn())
    with then_refused(RuleViolated, "commitment-withdrawn"):
        commitment.amend(
            state, reason="Ralat", title="Baru", regions=regions, actor=ADMIN, at=at(2025, 7, 2)
        )


# ---- withdraw ---------------------------------------------------------------------------------


def test_withdraw_records_the_reason():
    state = given(commitment.evolve, commitment_made())
    event = commitment.withdraw(state, reason=" Digantikan ", actor=ADMIN, at=at(2025, 7, 1))
    assert event == CommitmentWithdrawn(reason="Digantikan", actor=ADMIN, at=at(2025, 7, 1))


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_withdraw_needs_a_reason(reason):
    state = given(commitment.evolve, commitment_made())
    with then_refused(InvalidInput, "reason-required"):
        commitment.withdraw(state, reason=reason, actor=ADMIN, at=at(2025, 7, 1))


def test_withdraw_twice_is_refused():
    state = given(commitment.evolve, commitment_made(), commitment_withdrawn())
    with then_refused(RuleViolated, "commitment-withdrawn"):
        commitment.withdraw(state, reason="Lagi", actor=ADMIN, at=at(2025, 7, 2))


# ---- evolve -----------------------------------------------------------------------------------


def test_evolve_builds_active_commitment():
    assert given(commitment.evolve, commitment_made()) == Commitment(
        id=COMMITMENT_ID,
        version=1,
        forum_id=FORUM_ID,
        title="Deklarasi Blitar",
        summary="Layanan publik ramah HAM",
        made_on=COMMITMENT_MADE_ON,
        signatories=(JATIM, SEMARANG),
        rpjmn=(RpjmnTag(pn="PN1"),),
        kkp_criteria=(1, 4),
        status=CommitmentStatus.ACTIVE,
        created_at=at(2025, 6, 11),
        updated_at=at(2025, 6, 11),
    )


def test_evolve_applies_amendment_and_withdrawal():
    state = given(
        commitment.evolve,
        commitment_made(),
        CommitmentAmended(
            reason="Ralat",
            title="Deklarasi Blitar 2025",
            summary="",
            actor=ADMIN,
            at=at(2025, 6, 15),
        ),
        commitment_withdrawn(),
    )
    assert state.version == 3
    assert state.title == "Deklarasi Blitar 2025"
    assert state.summary == ""
    assert state.signatories == (JATIM, SEMARANG)
    assert state.kkp_criteria == (1, 4)
    assert state.status is CommitmentStatus.WITHDRAWN
    assert state.updated_at == at(2025, 7, 1)
    assert state.created_at == at(2025, 6, 11)


# ---- covers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region_code", "covered"),
    [
        ("35", True),  # the province signed itself
        ("35.72", True),  # Kota Blitar: its province, Jawa Timur, signed
        ("33.74", True),  # Kota Semarang signed directly
        ("33.75", False),  # Kota Pekalongan: neighbour signed, not its province
        ("33", False),  # a city signing does not cover its province
        ("61.72", False),  # Kota Singkawang: nobody in Kalimantan Barat signed
        ("99.99", False),  # unknown code
    ],
)
def test_covers(regions, region_code, covered):
    state = given(commitment.evolve, commitment_made())
    assert state.covers(region_code, regions) is covered
