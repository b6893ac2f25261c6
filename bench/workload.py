"""The commands a region's operators and the Kanwil actually send: progress reports on
actions (one open report per period) and their verification, through the public HTTP API
with If-Match, as an httpx client would. Each action is used by one request at a time, so a
refusal means the system refused, not that the benchmark raced itself."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

from adapters.account_types import Account
from adapters.accounts import PostgresAccounts
from adapters.database import Database
from bench.stats import Timings
from domain.values import Role

API = "/api/v1"
REGIONS = ("35.72", "33.74")  # Kota Blitar, Kota Semarang: the commitment's signatories
# Who sends what: an account per region's Pemda, the Kanwil of each province, an admin.
BENCH_ACCOUNTS = {
    "admin": ("bench-admin", "admin", None, ()),
    "35.72": ("bench-pemda-3572", "pemda", "35.72", ()),
    "33.74": ("bench-pemda-3374", "pemda", "33.74", ()),
    "35": ("bench-kanwil-jatim", "kanwil", None, ("35",)),
    "33": ("bench-kanwil-jateng", "kanwil", None, ("33",)),
}
TRANSPORT_ERROR = -1  # no HTTP status: connection refused, reset, timeout
EVIDENCE = [{"title": "Notulen rapat", "url": "https://example.org/notulen.pdf"}]
FORUM = {
    "kind": "rakernas",
    "title": "Rapat Kerja Pemerintah Daerah bidang HAM (benchmark)",
    "organisers": ["Kementerian HAM"],
    "host_region_code": "61.72",
    "starts_on": "2025-11-13",
    "ends_on": "2025-11-13",
    "theme": "Pemerintah Daerah dan HAM: Dari Komitmen ke Implementasi",
}


async def bench_tokens(database_url: str) -> dict[str, str]:
    """Accounts and bearer tokens for the benchmark, straight in the auth tables."""
    database = Database(database_url, max_size=2)
    await database.open()
    try:
        store = PostgresAccounts(database)
        await store.create_schema()
        now = datetime.now(UTC)
        tokens = {}
        for key, (user_id, role, region, provinces) in BENCH_ACCOUNTS.items():
            if await store.get(user_id) is None:
                account = Account(user_id, user_id, Role(role), user_id, region, None, provinces)
                await store.add(account, None, "bench", now)
            tokens[key] = (await store.issue_token(user_id, "bench", None, now))[1]
        return tokens
    finally:
        await database.close()


class SetupError(RuntimeError):
    """Creating the forum, commitment or actions failed: nothing to measure."""


def monthly_periods(today: date, needed: int) -> list[str]:
    """Distinct, already started months: 2025-01 up to this month, then earlier years."""
    labels: list[str] = []
    year, month = 2025, 1
    while (year, month) <= (today.year, today.month) and len(labels) < needed:
        labels.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    year = 2024
    while len(labels) < needed:
        labels.extend(f"{year}-{m:02d}" for m in range(1, 13))
        year -= 1
    return labels[:needed]


@dataclass(eq=False)
class Slot:
    """One action and what the client knows of it (its version for If-Match)."""

    action_id: str
    version: int
    region_code: str
    reports: int = 0
    open_report: str | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(frozen=True)
class Sent:
    status: int
    seconds: float
    received_at: float  # perf_counter() when the response (and so the commit) was known
    position: int | None


@dataclass
class Phase:
    timings: Timings = field(default_factory=Timings)
    sent: list[Sent] = field(default_factory=list)
    scheduler_lag_s: list[float] = field(default_factory=list)  # open loop only

    def record(self, sent: Sent) -> None:
        self.sent.append(sent)
        self.timings.add(sent.seconds, sent.status)

    @property
    def max_position(self) -> int:
        return max((s.position for s in self.sent if s.position is not None), default=0)

    @property
    def last_received(self) -> float:
        return max((s.received_at for s in self.sent), default=time.perf_counter())


class Rotation:
    """Round robin over a phase's own actions: consecutive commands hit different actions."""

    def __init__(self, slots: list[Slot]) -> None:
        self.slots = slots
        self.index = 0

    def next(self) -> Slot:
        slot = self.slots[self.index % len(self.slots)]
        self.index += 1
        return slot


class Api:
    def __init__(
        self, client: httpx.AsyncClient, periods: list[str], tokens: dict[str, str]
    ) -> None:
        self.client = client
        self.periods = periods
        self.resyncs = 0
        self.auth = {key: {"Authorization": f"Bearer {token}"} for key, token in tokens.items()}

    async def _create(self, path: str, body: dict[str, Any], who: str) -> dict[str, Any]:
        response = await self.client.post(f"{API}{path}", json=body, headers=self.auth[who])
        if response.status_code != 201:
            raise SetupError(f"POST {path}: {response.status_code} {response.text[:300]}")
        created: dict[str, Any] = response.json()
        return created

    async def commitment(self) -> str:
        forum = await self._create("/forums", FORUM, "admin")
        commitment = await self._create(
            "/commitments",
            {
                "forum_id": forum["id"],
                "title": "Komitmen bersama Pemda bidang HAM (benchmark)",
                "made_on": "2025-11-13",
                "signatories": [
                    {"region_code": "35.72", "office": "Wali Kota Blitar"},
                    {"region_code": "33.74", "office": "Wali Kota Semarang"},
                ],
                "rpjmn": [{"pn": "PN1"}],
                "kkp_criteria": [1, 2],
            },
            "admin",
        )
        return str(commitment["id"])

    async def plan(self, commitment_id: str, count: int, concurrency: int, tag: str) -> list[Slot]:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> Slot:
            region = REGIONS[i % len(REGIONS)]
            body = {
                "commitment_id": commitment_id,
                "region_code": region,
                "title": f"Pelatihan HAM bagi ASN ({tag} {i})",
                "owner_opd": "Bagian Hukum Setda",
                "due_on": "2027-12-31",
                "kkp_criterion": 1,
                "rpjmn": [{"pn": "PN1"}],
                "indicator": {
                    "name": "ASN terlatih",
                    "unit": "orang",
                    "baseline": 0,
                    "target": 500,
                },
            }
            async with gate:
                created = await self._create("/actions", body, region)
            return Slot(str(created["id"]), int(created["version"]), region)

        return list(await asyncio.gather(*(one(i) for i in range(count))))

    async def command(self, slot: Slot) -> Sent:
        """Submit the action's next monthly report, or verify the one it has open."""
        async with slot.lock:
            base = f"{API}/actions/{slot.action_id}/progress"
            if slot.open_report is None:
                path, headers = base, self.auth[slot.region_code]
                body: dict[str, Any] = {
                    "period": self.periods[slot.reports % len(self.periods)],
                    "percent": min(100, 5 * (slot.reports + 1)),
                    "narrative": "Pelatihan angkatan berikutnya terlaksana.",
                    "evidence": EVIDENCE,
                }
            else:
                path = f"{base}/{slot.open_report}/verification"
                headers = self.auth[slot.region_code.split(".")[0]]
                body = {"note": "Sesuai bukti."}
            headers = {**headers, "If-Match": f'"{slot.version}"'}
            started = time.perf_counter()
            try:
                response = await self.client.post(path, json=body, headers=headers)
            except httpx.HTTPError:
                return Sent(
                    TRANSPORT_ERROR, time.perf_counter() - started, time.perf_counter(), None
                )
            received = time.perf_counter()
            if response.status_code not in (200, 201):
                await self._resync(slot)
                return Sent(response.status_code, received - started, received, None)
            out = response.json()
            slot.version = int(out["version"])
            if slot.open_report is None:
                slot.reports += 1
                slot.open_report = str(out["data"]["reports"][-1]["id"])
            else:
                slot.open_report = None
            return Sent(response.status_code, received - started, received, int(out["position"]))

    async def _resync(self, slot: Slot) -> None:
        """After a refusal, read the action back so the next command is valid again."""
        self.resyncs += 1
        response = await self.client.get(f"{API}/actions/{slot.action_id}")
        if response.status_code != 200:
            return
        action = response.json()
        slot.version = int(response.headers.get("etag", '"0"').strip('W/"') or 0)
        reports = action.get("reports", [])
        slot.reports = len(reports)
        open_ = [r for r in reports if r.get("status") in ("submitted", "resubmitted")]
        slot.open_report = str(open_[-1]["id"]) if open_ else None


async def round_trips(client: httpx.AsyncClient, count: int = 100) -> Timings:
    """GET /health back to back on one kept-alive connection: the HTTP floor under every
    command (a stall here, e.g. Nagle + delayed ACK, is in every figure above it)."""
    timings = Timings()
    started = time.perf_counter()
    for _ in range(count):
        t = time.perf_counter()
        response = await client.get("/health")
        timings.add(time.perf_counter() - t, response.status_code)
    timings.wall_s = time.perf_counter() - started
    return timings


async def closed_loop(api: Api, slots: list[Slot], commands: int, concurrency: int) -> Phase:
    """`concurrency` clients, each sending its next command as soon as the last answered."""
    phase, rotation = Phase(), Rotation(slots)
    remaining = commands

    async def client() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            phase.record(await api.command(rotation.next()))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    phase.timings.wall_s = time.perf_counter() - started
    return phase


async def open_loop(api: Api, slots: list[Slot], rate: float, seconds: float) -> Phase:
    """Commands started on a fixed schedule whatever the answers do, so a slow system
    shows up as latency instead of as a politely lower rate."""
    phase, rotation = Phase(), Rotation(slots)
    total = max(1, round(rate * seconds))
    tasks: list[asyncio.Task[None]] = []

    async def send(slot: Slot) -> None:
        phase.record(await api.command(slot))

    start = time.perf_counter() + 0.05
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        phase.scheduler_lag_s.append(max(0.0, time.perf_counter() - due))
        tasks.append(asyncio.create_task(send(rotation.next())))
    await asyncio.gather(*tasks)
    phase.timings.wall_s = time.perf_counter() - start
    return phase
