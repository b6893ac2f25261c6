"""The composition root: `bootstrap(settings)` builds every adapter and the message bus once,
and `Services.start()` / `stop()` open and close what needs the event loop (pools, NATS,
workers) in order and back. Nothing else in the tracker constructs an adapter.

Tests swap adapters by passing them in (`store=`, `accounts=`, `clock=`, `ids=`): the
in-memory ones from adapters/memory are real implementations, not mocks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import structlog

from adapters import readstore, sealer
from adapters.accounts import PostgresAccounts
from adapters.database import Database
from adapters.delivery import PostgresDelivery
from adapters.eventstore import PostgresEventStore
from adapters.files import PostgresFileStore
from adapters.idempotency import PostgresIdempotency
from adapters.mail import SmtpMailer, SmtpSettings
from adapters.memory.delivery import MemoryDelivery
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.files import MemoryFileStore
from adapters.memory.idempotency import MemoryIdempotency
from adapters.memory.mail import MemoryMailer
from adapters.memory.positions import MemoryPositions
from adapters.memory.reads import MemoryReadStore
from adapters.memory.subscriptions import MemorySubscriptions
from adapters.passwords import Argon2Hasher
from adapters.positions import PositionWatcher
from adapters.reads import PostgresReadStore
from adapters.reference_data import kanwil_offices, region_catalogue
from adapters.signing import Signer, load_or_create
from adapters.subscriptions import PostgresSubscriptions
from domain.regions import RegionCatalogue
from tracker.bus import MessageBus
from tracker.clock import utc_now
from tracker.imports.jobs import ImportJobs
from tracker.metrics import Metrics
from tracker.ports import (
    AccountStore,
    Clock,
    DeliveryStore,
    EventStore,
    FileStore,
    IdSource,
    Mailer,
    PasswordHasher,
    Positions,
    ReadStore,
)
from tracker.settings import Settings
from tracker.workers import Workers


@dataclass
class Runtime:
    """What only exists while the application runs: set by start(), cleared by stop()."""

    nats: Any = None
    demo_accounts: str = ""  # sign-in instructions printed by `serve --demo`
    demo_data: bool = False  # the log is the demo's: every page says it is illustrative
    start_head: int = 0  # the log's head once started: /ready waits for the read models
    workers: Workers | None = None
    started: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Services:
    settings: Settings
    regions: RegionCatalogue
    clock: Clock
    ids: IdSource
    store: EventStore
    database: Database
    accounts: AccountStore
    hasher: PasswordHasher
    signer: Signer
    bus: MessageBus
    data: ReadStore
    positions: Positions
    files: FileStore
    runtime: Runtime
    delivery: DeliveryStore
    mailer: Mailer
    subscriptions: Any  # public subscriptions (adapters/subscriptions.py, memory twin)
    idempotency: Any  # writes' first answers by Idempotency-Key (adapters/idempotency.py)
    imports: ImportJobs = field(default_factory=ImportJobs)  # workspace imports running on
    metrics: Metrics = field(default_factory=Metrics)  # /metrics (tracker/metrics.py)

    @property
    def pool(self) -> Any:
        """The PostgreSQL pool, for the workers and schemas (not there in memory)."""
        return self.database.pool

    def nats_connected(self) -> bool | None:
        """None when no NATS is configured (tests of the HTTP layer alone)."""
        nc = self.runtime.nats
        return None if nc is None else bool(nc.is_connected)

    @property
    def in_memory(self) -> bool:
        """The in-memory bootstrap: no PostgreSQL, no NATS, no workers, no audit chain."""
        return self.settings.database_url is None

    async def start(self) -> None:
        opener = getattr(self.store, "open", None)
        if opener is not None:  # eventsourcing creates its tables with psycopg: off the loop
            await anyio.to_thread.run_sync(opener)
        if self.in_memory:
            await self.accounts.create_schema()
            await self.idempotency.create_schema()
            await self.positions.start()
            if self.settings.demo:
                await self._load_demo()
            self.runtime.start_head = await self.data.head_position()
            structlog.get_logger("app").info("app.started", in_memory=True)
            return
        await self.database.open()
        await readstore.create_schema(self.pool)
        await self.accounts.create_schema()
        await self.files.create_schema()
        await self.delivery.create_schema()
        await self.subscriptions.create_schema()
        await self.idempotency.create_schema()
        await sealer.create_schema(self.pool)
        await self.positions.start()
        if self.settings.nats_url is not None:
            import nats

            from adapters.messages import server_list

            self.runtime.nats = await nats.connect(
                server_list(self.settings.nats_url),
                name="tracker",
                connect_timeout=5,
                max_reconnect_attempts=-1,
            )
        if self.settings.demo:  # before the workers, so the first checkpoint covers it all
            await self._load_demo()
        self.runtime.start_head = await self.data.head_position()
        if self.settings.workers:
            self.runtime.workers = Workers.build(self)
            await self.runtime.workers.start()
        structlog.get_logger("app").info("app.started")

    async def _load_demo(self) -> None:
        from tracker.demo import accounts as demo_accounts
        from tracker.demo import load, replay_is_needed

        if await replay_is_needed(self.data):
            await load(self.bus)
        self.runtime.demo_data = await self._log_is_demo()
        self.runtime.demo_accounts = await demo_accounts.ensure(
            self.bus, self.accounts, self.settings.data_dir
        )

    async def _log_is_demo(self) -> bool:
        """Whether the log holds the demo's first forum, under its fixed id (a store that
        held only real data before `--demo` was given is not labelled illustrative)."""
        from tracker.demo import scenario

        first = scenario().commands[0].ids[0]
        return bool(await self.data.history_rows(first))

    async def stop(self) -> None:
        await self.imports.stop()
        if self.runtime.workers is not None:
            await self.runtime.workers.stop()
            self.runtime.workers = None
        if self.runtime.nats is not None:
            await self.runtime.nats.close()
            self.runtime.nats = None
        await self.positions.stop()
        await self.database.close()
        await anyio.to_thread.run_sync(self.store.close)


def _signer(settings: Settings) -> Signer:
    path = settings.audit_key_path
    return Signer.generate() if path is None else load_or_create(path)


def _mailer(settings: Settings) -> Mailer:
    """SMTP when a host is configured; otherwise nothing leaves (the worker does not run)."""
    if settings.smtp_host is None:
        return MemoryMailer()
    smtp = SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        tls=settings.smtp_tls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        sender=settings.mail_from,
    )
    return SmtpMailer(smtp)


def bootstrap(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    ids: IdSource = uuid.uuid4,
    store: EventStore | None = None,
    accounts: AccountStore | None = None,
    hasher: PasswordHasher | None = None,
) -> Services:
    """Build, do not start: no connection is opened here.

    Without a database URL the in-memory event store and account store must be passed in;
    the read store and its positions are then the in-memory ones too.
    """
    url = settings.database_url
    regions = region_catalogue()
    database = Database(url)
    data: ReadStore
    positions: Positions
    files: FileStore
    delivery: DeliveryStore
    subscriptions: Any
    idempotency: Any
    if url is None:
        if not isinstance(store, MemoryEventStore) or accounts is None:
            raise ValueError("bootstrap needs a database URL (tracker.runtime resolves one)")
        memory = MemoryReadStore(store)
        data, positions, files = memory, MemoryPositions(memory), MemoryFileStore()
        delivery, subscriptions = MemoryDelivery(), MemorySubscriptions()
        idempotency = MemoryIdempotency(store.applied)
    else:
        data, positions = PostgresReadStore(lambda: database.pool), PositionWatcher(database)
        files, delivery = PostgresFileStore(database), PostgresDelivery(database)
        subscriptions = PostgresSubscriptions(database)
        idempotency = PostgresIdempotency(database)
    store = store or PostgresEventStore(str(url))
    accounts = accounts or PostgresAccounts(database)
    hasher = hasher or Argon2Hasher()
    metrics = Metrics()
    bus = MessageBus(
        store=store,
        accounts=accounts,
        hasher=hasher,
        regions=regions,
        clock=clock,
        ids=ids,
        files=files,
        offices=kanwil_offices(),
        delivery=delivery,
        subscriptions=subscriptions,
        mail=settings.smtp_host is not None,
        observe=metrics.observe_command,
    )
    return Services(
        settings=settings,
        regions=regions,
        clock=clock,
        ids=ids,
        store=store,
        database=database,
        accounts=accounts,
        hasher=hasher,
        signer=_signer(settings),
        bus=bus,
        data=data,
        positions=positions,
        files=files,
        runtime=Runtime(),
        delivery=delivery,
        mailer=_mailer(settings),
        subscriptions=subscriptions,
        idempotency=idempotency,
        metrics=metrics,
    )
