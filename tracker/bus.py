"""The one message bus: every write in the tracker is a command handed to `dispatch`.

For a domain command the bus owns the unit of work: load the aggregate (404), check the
command's declared policy against it (401/403), compare the caller's If-Match version
(412), let the pure decider turn it into events (409/422), and append them at the expected
version (a concurrent writer → 412). Any refusal on the way writes nothing. Evidence that
links a file stored by the tracker must name a file the file store holds, as stored (422). Account
commands go through the same policy check to their handlers in tracker/accounts.py.

Event-store work is synchronous (eventsourcing): `dispatch` runs it in a worker thread;
`execute` is the same unit of work for callers already in a thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import anyio.to_thread
import msgspec
import structlog

from adapters.errors import ConcurrencyConflict
from domain import access
from domain.access import Principal
from domain.commands import ApplyImport, Command
from domain.errors import InvalidInput
from domain.events import DomainEvent
from domain.evidence_files import stored_file_of
from domain.offices import OfficeNames
from domain.regions import WIB, RegionCatalogue
from domain.values import Actor, Role
from tracker.accounts import ACCOUNT_HANDLERS, AccountContext, account_target
from tracker.batch import ImportOutcome, Progress, apply_import
from tracker.commands import COMMANDS
from tracker.errors import NotFound, StaleVersion
from tracker.handlers import HANDLERS, Context
from tracker.ports import (
    AccountStore,
    Clock,
    DeliveryStore,
    EventStore,
    FileStore,
    IdSource,
    PasswordHasher,
)
from tracker.subscriptions import HANDLERS as SUBSCRIPTION_HANDLERS
from tracker.subscriptions import SubscriptionContext


class CommandResult(msgspec.Struct, frozen=True):
    """What every domain write answers: the aggregate, its new version and the position of
    its last event, which readers pass back to wait for the read models."""

    id: UUID
    version: int
    position: int
    state: Any


class Decision(NamedTuple):
    """What a command would write: the aggregate, the state it was decided on, the events."""

    kind: str
    aggregate_id: UUID
    state: Any | None
    events: list[DomainEvent]


Observer = Callable[[str, BaseException | None, float], None]


class UnknownCommand(TypeError):
    """A command type the bus has no handler for (a programming error, never user input)."""


async def in_thread(fn: Any, *args: Any) -> Any:
    return await anyio.to_thread.run_sync(fn, *args)


class MessageBus:
    def __init__(
        self,
        *,
        store: EventStore,
        accounts: AccountStore,
        hasher: PasswordHasher,
        regions: RegionCatalogue,
        clock: Clock,
        ids: IdSource,
        files: FileStore | None = None,
        offices: OfficeNames | None = None,
        delivery: DeliveryStore | None = None,
        subscriptions: Any = None,
        mail: bool = False,
        observe: Observer | None = None,
    ) -> None:
        self.delivery, self.subscriptions, self.mail = delivery, subscriptions, mail
        self.observe = observe
        self.files = files
        self.offices = offices or OfficeNames()
        self.store = store
        self.accounts = accounts
        self.hasher = hasher
        self.regions = regions
        self.clock = clock
        self.ids = ids

    def with_clock(self, clock: Clock, ids: IdSource | None = None) -> MessageBus:
        """The same adapters with another clock (and ids): the demo replays dated commands."""
        return MessageBus(
            store=self.store,
            accounts=self.accounts,
            hasher=self.hasher,
            regions=self.regions,
            clock=clock,
            ids=ids or self.ids,
            files=self.files,
            offices=self.offices,
            delivery=self.delivery,
            subscriptions=self.subscriptions,
            mail=self.mail,
            observe=self.observe,
        )

    async def dispatch(
        self, command: Command, who: Principal, expected_version: int | None = None
    ) -> Any:
        """Handle any command; domain commands answer a CommandResult. The observer (the
        metrics) hears each command's type, its refusal if any, and how long it took."""
        if self.observe is None:
            return await self._dispatch(command, who, expected_version)
        started, error = time.perf_counter(), None
        try:
            return await self._dispatch(command, who, expected_version)
        except Exception as refused:
            error = refused
            raise
        finally:
            self.observe(type(command).__name__, error, time.perf_counter() - started)

    async def _dispatch(
        self, command: Command, who: Principal, expected_version: int | None
    ) -> Any:
        if isinstance(command, ApplyImport):
            return await anyio.to_thread.run_sync(self.execute, command, who)
        if type(command) in HANDLERS:
            await self._check_stored_files(command)
            return await anyio.to_thread.run_sync(self.execute, command, who, expected_version)
        if type(command) in SUBSCRIPTION_HANDLERS:
            access.authorize(command.RULE, who, access.Target())
            context = SubscriptionContext(
                self.subscriptions, self.clock(), self._known_place, self.mail
            )
            return await SUBSCRIPTION_HANDLERS[type(command)](context, command, who)
        handler = ACCOUNT_HANDLERS.get(type(command))
        if handler is None or type(command) not in COMMANDS:
            raise UnknownCommand(type(command).__name__)
        ctx = self.account_context()
        access.authorize(command.RULE, who, await account_target(ctx, command, who))
        result = await handler(ctx, command, who)
        structlog.get_logger("bus").info(
            "command.handled", command=type(command).__name__, user_id=who.user_id
        )
        return result

    async def _check_stored_files(self, command: Command) -> None:
        for item in getattr(command, "evidence", ()):
            named = stored_file_of(item.url)
            if named is None:
                continue
            action_id, sha256 = named
            found = await self.files.get(sha256) if self.files is not None else None
            if (
                found is None
                or str(action_id) != str(getattr(command, "action_id", ""))
                or (found.media_type, found.size) != (item.media_type, item.size)
            ):
                raise InvalidInput("evidence-file")

    def _known_place(self, code: str) -> bool:
        return self.regions.get(code) is not None

    def account_context(self) -> AccountContext:
        return AccountContext(
            self.accounts, self.hasher, self.regions, self.clock(), in_thread, self.delivery
        )

    def actor_of(self, who: Principal, at: datetime) -> Actor:
        """The actor an event records: a Kanwil's office named as it was that day (WIB)."""
        actor = who.actor()
        if who.role is not Role.KANWIL:
            return actor
        day = WIB.local(at).date()
        return msgspec.structs.replace(actor, office=self.offices.on(actor.office, day))

    def find(self, kind: str, aggregate_id: UUID) -> Any | None:
        return self.store.load(kind, aggregate_id)

    def load(self, kind: str, aggregate_id: UUID) -> Any:
        state = self.store.load(kind, aggregate_id)
        if state is None:
            raise NotFound(kind, str(aggregate_id))
        return state

    def decide(
        self,
        command: Command,
        who: Principal,
        expected_version: int | None = None,
        find: Callable[[str, UUID], Any | None] | None = None,
    ) -> Decision:
        """Load, authorize, check the version and decide, writing nothing. `find` is where
        states come from (the store, or a batch's states with its earlier rows applied)."""
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise UnknownCommand(type(command).__name__)
        look = find or self.find

        def load(kind: str, aggregate_id: UUID) -> Any:
            found = look(kind, aggregate_id)
            if found is None:
                raise NotFound(kind, str(aggregate_id))
            return found

        state = None
        if handler.aggregate_id is None:
            access.authorize(command.RULE, who, handler.target(command, None))
            aggregate_id = self.ids()
        else:
            aggregate_id = handler.aggregate_id(command)
            state = look(handler.kind, aggregate_id) if handler.derived else None
            if not handler.derived:
                state = load(handler.kind, aggregate_id)
            access.authorize(command.RULE, who, handler.target(command, state))
            current = state.version if state is not None else 0
            if expected_version is not None and expected_version != current:
                raise StaleVersion(expected_version, current)
        at = self.clock()
        ctx = Context(self.actor_of(who, at), at, self.regions, self.ids, load, look, aggregate_id)
        decided = handler.decide(ctx, command, state)
        events = decided if isinstance(decided, list) else [decided]
        return Decision(handler.kind, aggregate_id, state, events)

    def run_import(
        self, command: ApplyImport, who: Principal, progress: Progress | None = None
    ) -> ImportOutcome:
        """A spreadsheet's rows as one batch (tracker/batch.py; call from a thread)."""
        return apply_import(self, command, who, progress)

    def execute(self, command: Command, who: Principal, expected_version: int | None = None) -> Any:
        """The unit of work of one domain command (synchronous: call from a thread)."""
        if isinstance(command, ApplyImport):
            return self.run_import(command, who)
        kind, aggregate_id, state, events = self.decide(command, who, expected_version)
        try:
            new_state, position = self.store.append(kind, aggregate_id, state, events)
        except ConcurrencyConflict:
            raise StaleVersion(expected_version, None) from None
        structlog.get_logger("bus").info(
            "command.handled",
            command=type(command).__name__,
            user_id=who.user_id,
            aggregate_id=str(aggregate_id),
            events=[type(e).__name__ for e in events],
            position=position,
        )
        return CommandResult(aggregate_id, new_state.version, position, new_state)
