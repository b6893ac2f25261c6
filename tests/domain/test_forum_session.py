"""Given a convened forum, when a session of its programme is recorded, then…"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import forum
from domain.errors import InvalidInput, RuleViolated
from domain.forum_session import ForumSession, ForumSessionRecorded, Speaker, SpeakerRole
from domain.values import Source

from .helpers import ADMIN, FORUM_ENDS, FORUM_STARTS, at, forum_convened, given, then_refused

SOURCE = Source(publisher="Disway Sulsel", title="Hadiri Rapat Kerja Bidang HAM")


def pleno(number: int = 1, **changes: Any) -> ForumSession:
    fields: dict[str, Any] = {
        "number": number,
        "title": " Pleno I: Pemerintah Daerah dan HAM ",
        "held_on": FORUM_STARTS,
        "speakers": (
            Speaker(name=" Mugiyanto ", office=" Wakil Menteri HAM "),
            Speaker(name="Tjhai Chui Mie", office="Wali Kota Singkawang"),
        ),
        "sources": (SOURCE,),
    }
    fields.update(changes)
    return ForumSession(**fields)


def record(state: forum.Forum, session: ForumSession, reason: str | None = None) -> Any:
    return forum.record_session(
        state, session=session, reason=reason, actor=ADMIN, at=at(2025, 6, 10, 12)
    )


def test_a_session_is_recorded_with_trimmed_names_and_offices():
    event = record(given(forum.evolve, forum_convened()), pleno())
    assert event == ForumSessionRecorded(
        session=ForumSession(
            number=1,
            title="Pleno I: Pemerintah Daerah dan HAM",
            held_on=FORUM_STARTS,
            speakers=(
                Speaker(name="Mugiyanto", office="Wakil Menteri HAM"),
                Speaker(name="Tjhai Chui Mie", office="Wali Kota Singkawang"),
            ),
            sources=(SOURCE,),
        ),
        reason=None,
        actor=ADMIN,
        at=at(2025, 6, 10, 12),
    )


def test_sessions_fold_into_the_programme_in_number_order():
    first = record(given(forum.evolve, forum_convened()), pleno(2, title="Pleno II"))
    state = given(forum.evolve, forum_convened(), first)
    second = record(state, pleno(1))
    programme = given(forum.evolve, forum_convened(), first, second)
    assert [s.number for s in programme.sessions] == [1, 2]
    assert programme.version == 3


def test_the_same_number_again_replaces_it_and_needs_a_reason():
    state = given(
        forum.evolve, forum_convened(), record(given(forum.evolve, forum_convened()), pleno())
    )
    with then_refused(InvalidInput, "reason-required"):
        record(state, pleno(title="Pleno I (ralat)"))
    fixed = record(state, pleno(title="Pleno I (ralat)"), reason="Judul sesuai rilis resmi")
    after = given(
        forum.evolve,
        forum_convened(),
        record(given(forum.evolve, forum_convened()), pleno()),
        fixed,
    )
    assert [s.title for s in after.sessions] == ["Pleno I (ralat)"]
    assert fixed.reason == "Judul sesuai rilis resmi"


def test_a_session_with_no_title_but_named_speakers_is_fine():
    event = record(given(forum.evolve, forum_convened()), pleno(title=""))
    assert event.session.title == "" and len(event.session.speakers) == 2


def test_a_session_with_neither_title_nor_speaker_is_refused():
    with then_refused(InvalidInput, "session-empty"):
        record(given(forum.evolve, forum_convened()), pleno(title="  ", speakers=()))


def test_a_speaker_needs_a_name_and_appears_once():
    state = given(forum.evolve, forum_convened())
    with then_refused(InvalidInput, "empty-text"):
        record(state, pleno(speakers=(Speaker(name=" ", office="Wali Kota"),)))
    twice = (Speaker(name="Mugiyanto"), Speaker(name="mugiyanto", role=SpeakerRole.OPENING))
    with then_refused(InvalidInput, "speaker-twice"):
        record(state, pleno(speakers=twice))


def test_the_day_must_fall_within_the_forum():
    state = given(forum.evolve, forum_convened())
    with then_refused(InvalidInput, "session-day"):
        record(state, pleno(held_on=date(2025, 6, 9)))
    assert record(state, pleno(held_on=FORUM_ENDS)).session.held_on == FORUM_ENDS


def test_numbers_outside_the_programme_are_refused():
    state = given(forum.evolve, forum_convened())
    for number in (0, 51):
        with then_refused(InvalidInput, "session-number"):
            record(state, pleno(number))


def test_a_bad_source_link_is_refused():
    bad = Source(publisher="X", title="Y", url="javascript:alert(1)")
    with then_refused(InvalidInput, "source-url"):
        record(given(forum.evolve, forum_convened()), pleno(sources=(bad,)))


def test_an_archived_forum_takes_no_session():
    archived = given(
        forum.evolve,
        forum_convened(),
        forum.archive(
            given(forum.evolve, forum_convened()), reason="Selesai", actor=ADMIN, at=at(2025, 7, 1)
        ),
    )
    with then_refused(RuleViolated, "forum-archived"):
        record(archived, pleno())
