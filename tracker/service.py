"""Use cases: load an aggregate, let the domain decide, append the events.

Every method takes the principal asking and checks `domain.access` before it appends, so
the policy holds for every caller (HTTP, CLI, demo loader) and a refusal writes nothing.

Every method here is synchronous (eventsourcing/psycopg) and must be called from a worker
thread by async code; see `tracker.api.http.in_thread`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from adapters.eventstore import ConcurrencyConflict, EventStore
from domain import access
from domain import action as action_domain
from domain import commitment as commitment_domain
from domain import forum as forum_domain
from domain import progress as progress_domain
from domain.access import Principal
from domain.events import DomainEvent
from domain.regions import RegionCatalogue
from tracker.errors import NotFound, StaleVersion


class CommandResult(msgspec.Struct, frozen=True):
    """What every write answers: the aggregate, its new version and the position of its
    last event, which readers pass back to wait for the read models."""

    id: UUID
    version: int
    position: int
    state: Any


Clock = Callable[[], datetime]

# Commands on an existing action that belong to the Kanwil; every other one to the Pemda.
REVIEW_COMMANDS = frozenset(
    {progress_domain.verify_report, progress_domain.return_report, action_domain.verify_completion}
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class TrackerService:
    def __init__(self, store: EventStore, regions: RegionCatalogue, clock: Clock = utc_now) -> None:
        self.store = store
        self.regions = regions
        self.clock = clock

    # -- generic ---------------------------------------------------------------------------
    def get(self, kind: str, aggregate_id: UUID) -> Any:
        state = self.store.load(kind, aggregate_id)
        if state is None:
            raise NotFound(kind, str(aggregate_id))
        return state

    def create(self, kind: str, decide: Callable[[UUID, datetime], DomainEvent]) -> CommandResult:
        new_id = uuid4()
        event = decide(new_id, self.clock())
        state, position = self.store.append(kind, new_id, None, [event])
        return CommandResult(new_id, state.version, position, state)

    def change(
        self,
        kind: str,
        aggregate_id: UUID,
        expected_version: int | None,
        decide: Callable[[Any, datetime], DomainEvent | list[Any]],
        permit: Callable[[Any], None] = lambda state: None,
    ) -> CommandResult:
        """Optimistic concurrency: the If-Match version must be current, and the append
        fails if someone else appended the same version meanwhile. `permit` sees the
        current state first (whose region, which OPD) and raises to refuse."""
        state = self.get(kind, aggregate_id)
        permit(state)
        if expected_version is not None and expected_version != state.version:
            raise StaleVersion(expected_version, state.version)
        decided = decide(state, self.clock())
        events = decided if isinstance(decided, list) else [decided]
        try:
            new_state, position = self.store.append(kind, aggregate_id, state, events)
        except ConcurrencyConflict:
            raise StaleVersion(expected_version, None) from None
        return CommandResult(aggregate_id, new_state.version, position, new_state)

    # -- forums ----------------------------------------------------------------------------
    def convene_forum(self, who: Principal, **fields: Any) -> CommandResult:
        access.require_admin(who, "mencatat forum", "record a forum")
        actor = who.actor()
        return self.create(
            "forum",
            lambda new_id, at: forum_domain.convene(
                forum_id=new_id, regions=self.regions, actor=actor, at=at, **fields
            ),
        )

    def correct_forum(
        self, forum_id: UUID, expected: int | None, who: Principal, **fields: Any
    ) -> CommandResult:
        access.require_admin(who, "mengoreksi forum", "correct a forum")
        actor = who.actor()
        return self.change(
            "forum",
            forum_id,
            expected,
            lambda state, at: forum_domain.correct(state, actor=actor, at=at, **fields),
        )

    # -- commitments -----------------------------------------------------------------------
    def make_commitment(self, who: Principal, forum_id: UUID, **fields: Any) -> CommandResult:
        access.require_admin(who, "mencatat komitmen", "record a commitment")
        actor = who.actor()
        forum = self.get("forum", forum_id)
        return self.create(
            "commitment",
            lambda new_id, at: commitment_domain.make(
                commitment_id=new_id,
                forum_id=forum.id,
                forum_starts_on=forum.starts_on,
                regions=self.regions,
                actor=actor,
                at=at,
                **fields,
            ),
        )

    def amend_commitment(
        self, commitment_id: UUID, expected: int | None, who: Principal, **fields: Any
    ) -> CommandResult:
        access.require_admin(who, "mengubah komitmen", "amend a commitment")
        actor = who.actor()
        return self.change(
            "commitment",
            commitment_id,
            expected,
            lambda state, at: commitment_domain.amend(
                state, regions=self.regions, actor=actor, at=at, **fields
            ),
        )

    def withdraw_commitment(
        self, commitment_id: UUID, expected: int | None, who: Principal, reason: str | None
    ) -> CommandResult:
        access.require_admin(who, "menarik komitmen", "withdraw a commitment")
        actor = who.actor()
        return self.change(
            "commitment",
            commitment_id,
            expected,
            lambda state, at: commitment_domain.withdraw(state, reason=reason, actor=actor, at=at),
        )

    # -- actions ---------------------------------------------------------------------------
    def plan_action(self, who: Principal, commitment_id: UUID, **fields: Any) -> CommandResult:
        access.require_region_writer(
            who, str(fields.get("region_code", "")), str(fields.get("owner_opd", ""))
        )
        actor = who.actor()
        commitment = self.get("commitment", commitment_id)
        return self.create(
            "action",
            lambda new_id, at: action_domain.plan(
                action_id=new_id,
                commitment=commitment,
                regions=self.regions,
                actor=actor,
                at=at,
                **fields,
            ),
        )

    def act(
        self,
        action_id: UUID,
        expected: int | None,
        who: Principal,
        command: Callable[..., DomainEvent | list[Any]],
        **fields: Any,
    ) -> CommandResult:
        """Any command on an existing action (start, report, verify, cancel…)."""
        actor = who.actor()

        def permit(action: Any) -> None:
            if command in REVIEW_COMMANDS:
                access.require_reviewer(who, action.region_code)
            else:
                access.require_region_writer(who, action.region_code, action.owner_opd)

        return self.change(
            "action",
            action_id,
            expected,
            lambda state, at: command(state, actor=actor, at=at, **fields),
            permit,
        )
