from __future__ import annotations

from datetime import date
from typing import Any

from domain import forum
from domain.errors import InvalidInput, RuleViolated
from domain.forum import Forum, ForumArchived, ForumConvened, ForumCorrected, ForumKind, ForumStatus
from domain.values import Source

from .helpers import (
    ADMIN,
    FORUM_ENDS,
    FORUM_ID,
    FORUM_STARTS,
    at,
    forum_convened,
    given,
    then_refused,
)


def convene(regions: Any, **overrides: Any) -> ForumConvened:
    command: dict[str, Any] = {
        "forum_id": FORUM_ID,
        "kind": ForumKind.FESTIVAL_HAM,
        "title": "  Festival HAM 2025 ",
        "theme": " Kabupaten/Kota Peduli HAM ",
        "organisers": ("Kementerian HAM", " Pemerintah Kota Blitar "),
        "host_region_code": "35.72",
        "venue": " Kota Blitar ",
        "starts_on": FORUM_STARTS,
        "ends_on": FORUM_ENDS,
        "regions": regions,
        "actor": ADMIN,
        "at": at(2025, 6, 1),
    }
    command.update(overrides)
    return forum.convene(**command)


# ---- convene ----------------------------------------------------------------------------------


def test_convene_records_forum_with_trimmed_text(regions):
    assert convene(regions) == forum_convened()


def test_convene_one_day_forum_is_fine(regions):
    event = convene(regions, ends_on=FORUM_STARTS)
    assert event == forum_convened(ends_on=FORUM_STARTS)


def test_convene_in_unknown_region_is_invalid(regions):
    with then_refused(InvalidInput, "unknown-region"):
        convene(regions, host_region_code="99.99")


def test_convene_ending_before_it_starts_is_invalid(regions):
    with then_refused(InvalidInput, "date-order"):
        convene(regions, starts_on=date(2025, 6, 12), ends_on=date(2025, 6, 11))


def test_convene_without_organisers_is_invalid(regions):
    with then_refused(InvalidInput, "organisers-required"):
        convene(regions, organisers=())


def test_convene_with_blank_organiser_is_invalid(regions):
    with then_refused(InvalidInput, "empty-text"):
        convene(regions, organisers=("Kementerian HAM", "   "))


def test_convene_without_title_is_invalid(regions):
    with then_refused(InvalidInput, "empty-text"):
        convene(regions, title="  ")


def test_convene_records_its_sources_trimmed_and_refuses_a_bad_one(regions):
    given = Source(publisher=" Disway Sulsel ", title=" Rapat Kerja HAM ", url=" https://x.id/a ")
    event = convene(regions, sources=(given,))
    assert event.sources == (
        Source(publisher="Disway Sulsel", title="Rapat Kerja HAM", url="https://x.id/a"),
    )
    with then_refused(InvalidInput, "source-url"):
        convene(regions, sources=(Source(publisher="P", title="T", url="javascript:alert(1)"),))
    with then_refused(InvalidInput, "empty-text"):
        convene(regions, sources=(Source(publisher="  ", title="T"),))


# ---- correct ----------------------------------------------------------------------------------


def test_correct_requires_a_reason():
    state = given(forum.evolve, forum_convened())
    for reason in (None, "", "   "):
        with then_refused(InvalidInput, "reason-required"):
            forum.correct(
                state, reason=reason, title="Festival HAM", actor=ADMIN, at=at(2025, 6, 2)
            )


def test_correct_records_only_given_fields():
    state = given(forum.evolve, forum_convened())
    event = forum.correct(
        state,
        reason=" Salah ketik ",
        title=" Festival HAM Nasional 2025 ",
        ends_on=date(2025, 6, 13),
        actor=ADMIN,
        at=at(2025, 6, 2),
    )
    assert event == ForumCorrected(
        reason="Salah ketik",
        title="Festival HAM Nasional 2025",
        ends_on=date(2025, 6, 13),
        actor=ADMIN,
        at=at(2025, 6, 2),
    )


def test_correct_checks_dates_against_current_ones():
    state = given(forum.evolve, forum_convened())
    with then_refused(InvalidInput, "date-order"):
        forum.correct(
            state,
            reason="Jadwal mundur",
            starts_on=date(2025, 6, 20),
            actor=ADMIN,
            at=at(2025, 6, 2),
        )


def test_archive_needs_a_reason_and_happens_once():
    state = given(forum.evolve, forum_convened())
    with then_refused(InvalidInput, "reason-required"):
        forum.archive(state, reason=" ", actor=ADMIN, at=at(2025, 7, 1))
    event = forum.archive(state, reason=" Forum selesai ", actor=ADMIN, at=at(2025, 7, 1))
    assert event == ForumArchived(reason="Forum selesai", actor=ADMIN, at=at(2025, 7, 1))
    archived = given(forum.evolve, forum_convened(), event)
    assert archived.status is ForumStatus.ARCHIVED and archived.archive_reason == "Forum selesai"
    assert archived.version == 2 and archived.title == state.title
    with then_refused(RuleViolated, "forum-archived"):
        forum.archive(archived, reason="Lagi", actor=ADMIN, at=at(2025, 7, 2))
    with then_refused(RuleViolated, "forum-archived"):
        forum.correct(archived, reason="Ralat", venue="Aula", actor=ADMIN, at=at(2025, 7, 2))
    with then_refused(RuleViolated, "forum-archived"):
        forum.require_open(archived)


# ---- evolve -----------------------------------------------------------------------------------


def test_evolve_convened_builds_forum_at_version_1():
    assert given(forum.evolve, forum_convened()) == Forum(
        id=FORUM_ID,
        version=1,
        kind=ForumKind.FESTIVAL_HAM,
        title="Festival HAM 2025",
        theme="Kabupaten/Kota Peduli HAM",
        organisers=("Kementerian HAM", "Pemerintah Kota Blitar"),
        host_region_code="35.72",
        venue="Kota Blitar",
        starts_on=FORUM_STARTS,
        ends_on=FORUM_ENDS,
        created_at=at(2025, 6, 1),
        updated_at=at(2025, 6, 1),
    )


def test_evolve_applies_corrections_and_bumps_version():
    state = given(
        forum.evolve,
        forum_convened(),
        ForumCorrected(
            reason="Ganti judul", title="Festival HAM Nasional", actor=ADMIN, at=at(2025, 6, 2)
        ),
        ForumCorrected(
            reason="Tempat pindah",
            venue="Gedung Kesenian Blitar",
            theme="",
            ends_on=date(2025, 6, 14),
            actor=ADMIN,
            at=at(2025, 6, 3),
        ),
    )
    assert state.version == 3
    assert state.title == "Festival HAM Nasional"
    assert state.venue == "Gedung Kesenian Blitar"
    assert state.theme == ""  # an explicit empty theme clears it
    assert state.starts_on == FORUM_STARTS
    assert state.ends_on == date(2025, 6, 14)
    assert state.created_at == at(2025, 6, 1)
    assert state.updated_at == at(2025, 6, 3)
