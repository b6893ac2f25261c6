"""`python -m bench.national`: a national dataset — every province and kab/kota, a
Rakernas and its joint commitment each year, ~10 new actions per region per year running
for several years, a report every period with the Kanwil's verification, returns and
resubmissions, late reports — written through a bulk path that stores exactly what the
command path would.

Every row is a typed command decided by the bus's own `decide` (policy, rules, the handlers'
ids and clock) against the states the earlier rows left; only the append is batched: one
transaction per simulated day, each aggregate's events of the day together. The commands
of a day are issued in that order (by aggregate), so executing them one by one through
`bus.execute` gives the same events at the same positions — tests/integration/
test_national_dataset.py checks it, and `tracker audit verify` checks the sealed chain.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from adapters.memory.accounts import MemoryAccounts
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from adapters.store_types import Write
from domain import commands as c
from domain.access import Principal
from domain.action_events import ReturnReason
from domain.forum import ForumKind
from domain.period import PeriodKind, ReportingPeriod
from domain.regions import Region
from domain.registry import EVOLVERS
from domain.values import Evidence, Role, Signatory
from tracker.bus import MessageBus
from tracker.ports import EventStore

ADMIN = Principal(user_id="gen-admin", role=Role.ADMIN, office="Kementerian HAM")
OPDS = ("Bagian Hukum Setda", "Bappeda", "Dinkes", "Disdik", "Dindukcapil", "DLH", "DPMPPA")
TITLES = (
    "Pelatihan HAM bagi ASN",
    "Layanan adminduk inklusif bagi penyandang disabilitas",
    "Penyusunan Perda bantuan hukum",
    "Sekolah ramah anak",
    "Puskesmas ramah disabilitas",
    "Pengaduan pelanggaran HAM satu pintu",
    "Pengelolaan air bersih berbasis warga",
    "Perlindungan perempuan dan anak korban kekerasan",
    "Kajian dampak lingkungan bersama warga",
    "Musrenbang inklusif",
)
EVIDENCE = (Evidence(title="Daftar hadir", url="https://example.org/daftar-hadir.pdf"),)


@dataclass(frozen=True)
class Shape:
    first_year: int = 2016
    years: int = 10
    regions: int = 0  # 0: all 552; otherwise the first n kab/kota with their provinces
    actions_per_year: int = 11
    span_years: int = 4  # each action runs this long, then its completion is declared
    cadence: PeriodKind = PeriodKind.MONTH
    late: float = 0.10  # share of reports filed after their due day
    returned: float = 0.08  # share the Kanwil returns (resubmitted a few days later)
    seed: int = 2026


class Ids:
    """Deterministic ids, so the bulk path and the command path name everything alike."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets

    def __call__(self) -> UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Live:
    """One action being carried out, and where the simulation is with it."""

    action_id: UUID
    region: Region
    period: ReportingPeriod  # the one reported next (or being reviewed)
    ends: ReportingPeriod  # its last period
    percent: float = 0.0
    open_report: UUID | None = None


@dataclass
class States:
    """The current state of every aggregate still in play, and the day's writes."""

    current: dict[UUID, Any] = field(default_factory=dict)
    writes: dict[UUID, Write] = field(default_factory=dict)

    def find(self, kind: str, aggregate_id: UUID) -> Any | None:
        return self.current.get(aggregate_id)

    def add(self, kind: str, aggregate_id: UUID, state: Any, events: list[Any]) -> Any:
        base = self.writes.get(aggregate_id) or Write(kind, aggregate_id, state, [])
        self.writes[aggregate_id] = base._replace(events=[*base.events, *events])
        for event in events:
            state = EVOLVERS[kind](state, event)
        self.current[aggregate_id] = state
        return state

    def flush(self, store: EventStore) -> int:
        writes, self.writes = list(self.writes.values()), {}
        if writes:
            store.append_all(writes)
        return sum(len(w.events) for w in writes)


Task = tuple[str, Live]  # (what to do, with which action)


def _principals(region: Region, kanwil_of: dict[str, str]) -> tuple[Principal, Principal]:
    province = region.code.split(".")[0]
    pemda = Principal(
        user_id=f"gen-pemda-{region.code}",
        role=Role.PEMDA,
        office=f"Bagian Hukum {region.name}",
        region_code=region.code,
    )
    kanwil = Principal(
        user_id=f"gen-kanwil-{province}",
        role=Role.KANWIL,
        office=kanwil_of[province],
        provinces=frozenset({province}),
    )
    return pemda, kanwil


def regions_of(shape: Shape) -> list[Region]:
    catalogue = region_catalogue()
    provinces = catalogue.provinces()
    cities = [r for p in provinces for r in catalogue.in_province(p.code) if not r.is_province]
    if shape.regions:
        cities = cities[: shape.regions]
        wanted = {r.code.split(".")[0] for r in cities}
        provinces = [p for p in provinces if p.code in wanted]
    return [*provinces, *cities]


def _periods_between(period: ReportingPeriod, last: ReportingPeriod) -> int:
    """How many periods of one cadence from `period` to `last`, both counted."""
    months = (last.year - period.year) * 12 + last.last_month - period.last_month
    return months // (period.last_month - period.first_month + 1) + 1


class Generator:
    """Decides the dataset day by day. In bulk (the default) a day's events are stored by
    `flush` in one transaction; `one_by_one` executes each command through `bus.execute`
    instead (the command path, loading from the store), to show both store the same."""

    def __init__(
        self, bus: MessageBus, clock: Clock, shape: Shape, *, one_by_one: bool = False
    ) -> None:
        self.bus, self.clock, self.shape, self.one_by_one = bus, clock, shape, one_by_one
        self.random = random.Random(shape.seed + 1)  # noqa: S311 - repeatable, not secret
        self.states = States()
        self.regions = regions_of(shape)
        kanwil_of = {
            p.code: f"Kanwil Kementerian HAM {p.name}" for p in region_catalogue().provinces()
        }
        self.who = {r.code: _principals(r, kanwil_of) for r in self.regions}
        self.tasks: dict[date, list[Task]] = defaultdict(list)
        self.today = date(shape.first_year, 1, 1)
        self.commitment: UUID | None = None
        self.commands = self.events = 0

    def _decide(self, command: c.Command, who: Principal, at: datetime) -> Any:
        self.clock.now = at
        self.commands += 1
        if self.one_by_one:
            done = self.bus.execute(command, who)
            before = self.states.current.get(done.id)
            self.events += done.version - (before.version if before is not None else 0)
            self.states.current[done.id] = done.state
            return done.state
        kind, ident, state, events = self.bus.decide(command, who, find=self.states.find)
        self.events += len(events)
        return self.states.add(kind, ident, state, events)

    def _later(self, day: date, low: int, high: int, task: Task) -> None:
        """Some days after `day`, and never on a day already simulated: a report due while
        the previous one was still in review is filed late, not lost."""
        when = day + timedelta(days=self.random.randint(low, high))
        self.tasks[max(when, self.today + timedelta(days=1))].append(task)

    def _year_opens(self, day: date, at: Iterator[datetime]) -> None:
        """A Rakernas in January, its joint commitment signed by every region."""
        forum = self._decide(
            c.ConveneForum(
                kind=ForumKind.RAKERNAS,
                title=f"Rapat Kerja Pemerintah Daerah bidang HAM {day.year}",
                organisers=("Kementerian HAM",),
                host_region_code=self.random.choice(self.regions).code,
                starts_on=day,
                ends_on=day,
            ),
            ADMIN,
            next(at),
        )
        made = self._decide(
            c.RecordCommitment(
                forum_id=forum.id,
                title=f"Komitmen bersama Pemda bidang HAM {day.year}",
                made_on=day,
                signatories=tuple(
                    Signatory(region_code=r.code, office=f"Kepala Daerah {r.name}")
                    for r in self.regions
                ),
                kkp_criteria=(1, 2, 5),
            ),
            ADMIN,
            next(at),
        )
        self.commitment = made.id

    def _plan(self, region: Region, day: date, at: Iterator[datetime]) -> None:
        assert self.commitment is not None
        pemda, _ = self.who[region.code]
        last_day = date(day.year + self.shape.span_years - 1, 12, 31)
        for n in range(self.shape.actions_per_year):
            state = self._decide(
                c.PlanAction(
                    commitment_id=self.commitment,
                    region_code=region.code,
                    title=TITLES[(n + day.year) % len(TITLES)],
                    owner_opd=OPDS[n % len(OPDS)],
                    due_on=last_day,
                    cadence=self.shape.cadence,
                ),
                pemda,
                next(at),
            )
            first = ReportingPeriod.containing(day, self.shape.cadence)
            ends = ReportingPeriod.containing(last_day, self.shape.cadence)
            self._schedule_report(Live(state.id, region, first, ends))

    def _schedule_report(self, live: Live) -> None:
        """On time, mostly: a few days after the period ends; some well after the due day."""
        low, high = (16, 40) if self.random.random() < self.shape.late else (2, 14)
        self._later(live.period.ends_on, low, high, ("submit", live))

    def _run(self, task: Task, at: datetime) -> None:
        what, live = task
        pemda, kanwil = self.who[live.region.code]
        period = live.period
        day = at.date()
        if what == "submit":
            left = _periods_between(period, live.ends)
            live.percent = round(min(100.0, live.percent + (100 - live.percent) / left), 1)
            state = self._decide(
                c.SubmitProgressReport(
                    action_id=live.action_id,
                    period=period,
                    percent=live.percent,
                    narrative=f"Capaian {period.label}: kegiatan berjalan sesuai rencana",
                    evidence=EVIDENCE,
                ),
                pemda,
                at,
            )
            live.open_report = state.reports[-1].id
            self._later(day, 2, 15, ("review", live))
        elif what == "resubmit":
            assert live.open_report is not None
            self._decide(
                c.ResubmitReport(
                    action_id=live.action_id,
                    report_id=live.open_report,
                    narrative=f"Capaian {period.label}, dilengkapi daftar hadir",
                    percent=live.percent,
                    evidence=EVIDENCE,
                ),
                pemda,
                at,
            )
            self._later(day, 2, 10, ("review", live))
        elif what == "review":
            assert live.open_report is not None
            if self.random.random() < self.shape.returned:
                self._decide(
                    c.ReturnReport(
                        action_id=live.action_id,
                        report_id=live.open_report,
                        reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
                        note="Lampirkan daftar hadir kegiatan",
                    ),
                    kanwil,
                    at,
                )
                self._later(day, 3, 7, ("resubmit", live))
                return
            self._decide(
                c.VerifyReport(action_id=live.action_id, report_id=live.open_report), kanwil, at
            )
            live.open_report = None
            if period == live.ends:
                self._later(day, 1, 5, ("complete", live))
            else:
                live.period = period.following()
                self._schedule_report(live)
        elif what == "complete":
            self._decide(
                c.DeclareCompletion(action_id=live.action_id, evidence=EVIDENCE), pemda, at
            )
            self._later(day, 3, 14, ("verify-completion", live))
        else:
            self._decide(c.VerifyCompletion(action_id=live.action_id), kanwil, at)
            self.states.current.pop(live.action_id, None)  # done: out of memory

    def days(self) -> Iterator[date]:
        day = date(self.shape.first_year, 1, 1)
        end = date(self.shape.first_year + self.shape.years, 1, 1)
        while day < end:
            yield day
            day += timedelta(days=1)

    def simulate(self, day: date) -> None:
        """Every command of one day, at increasing moments, grouped by aggregate."""
        self.today = day
        start = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 09:00 WIB
        at = (start + timedelta(seconds=n) for n in range(10**6))
        if day.month == 1 and day.day == 10:
            self._year_opens(day, at)
            for region in self.regions:
                self._plan(region, day, at)
        in_order = sorted(self.tasks.pop(day, []), key=lambda task: task[1].action_id.int)
        for task in in_order:
            self._run(task, next(at))


def generate(
    bus: MessageBus,
    clock: Clock,
    shape: Shape,
    *,
    one_by_one: bool = False,
    progress: Callable[[date, int, int], None] | None = None,
) -> tuple[int, int]:
    """Run the simulation into the bus's store; returns (commands, events)."""
    gen = Generator(bus, clock, shape, one_by_one=one_by_one)
    for day in gen.days():
        gen.simulate(day)
        gen.states.flush(bus.store)  # nothing to flush when one by one
        if progress is not None and day.day == 1:
            progress(day, gen.commands, gen.events)
    return gen.commands, gen.events


def bus_for(store: EventStore, shape: Shape) -> tuple[MessageBus, Clock]:
    clock = Clock()
    bus = MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=clock,
        ids=Ids(shape.seed),
    )
    return bus, clock


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__)
    add = parser.add_argument
    add("--database-url", help="an empty database (default: an embedded server, --data-dir)")
    add("--data-dir", type=Path, default=Path(".bench-national"), help="(.bench-national)")
    add("--years", type=int, default=10)
    add("--first-year", type=int, default=2016)
    add("--regions", type=int, default=0, help="0: all 552 (default); n: the first n kab/kota")
    add("--actions", type=int, default=11, help="new actions per region per year (11)")
    add("--span", type=int, default=4, help="years each action runs (4)")
    add("--cadence", choices=[k.value for k in PeriodKind], default=PeriodKind.MONTH.value)
    add("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    from adapters.eventstore import PostgresEventStore

    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    shape = Shape(
        first_year=args.first_year,
        years=args.years,
        regions=args.regions,
        actions_per_year=args.actions,
        span_years=args.span,
        cadence=PeriodKind(args.cadence),
        seed=args.seed,
    )
    embedded = None
    url = args.database_url
    if url is None:
        from adapters.embedded import EmbeddedServers

        embedded = EmbeddedServers(args.data_dir, postgres=True, nats=False)
        url, _ = embedded.start()
        print(f"embedded PostgreSQL at {url} (data in {args.data_dir})", file=sys.stderr)
    store = PostgresEventStore(url)
    store.open()
    if store.app.recorder.max_notification_id():
        store.close()
        raise SystemExit("the event store is not empty: generate into an empty database")
    started = time.perf_counter()

    def show(day: date, commands: int, events: int) -> None:
        rate = events / max(time.perf_counter() - started, 1e-9)
        print(
            f"{day:%Y-%m}: {commands:,} commands, {events:,} events, {rate:,.0f} events/s",
            file=sys.stderr,
            flush=True,
        )

    try:
        bus, clock = bus_for(store, shape)
        commands, events = generate(bus, clock, shape, progress=show)
    finally:
        store.close()
        if embedded is not None:
            embedded.stop()
    seconds = time.perf_counter() - started
    print(
        f"{commands:,} commands, {events:,} events in {seconds:,.1f} s "
        f"({events / seconds:,.0f} events/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
