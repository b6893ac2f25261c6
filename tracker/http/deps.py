"""Dependencies handlers declare by name (`bus: Bus`, `reader: Reader`, …), provided once from
the composition root's Services in tracker/app.py; no handler reaches into app state."""

from __future__ import annotations

from typing import Any

from litestar.di import NamedDependency, Provide

from adapters.signing import Signer
from tracker.bootstrap import Services
from tracker.bus import MessageBus
from tracker.http.reading import Reading
from tracker.imports.jobs import ImportJobs
from tracker.ports import AccountStore, Clock, DeliveryStore, FileStore, ReadStore
from tracker.ports import Positions as PositionsPort
from tracker.settings import Settings

Bus = NamedDependency[MessageBus]
Reader = NamedDependency[ReadStore]  # the read models and the event log ("data" is litestar's)
Positions = NamedDependency[PositionsPort]
Accounts = NamedDependency[AccountStore]
Now = NamedDependency[Clock]
Config = NamedDependency[Settings]
Keys = NamedDependency[Signer]
Files = NamedDependency[FileStore]  # evidence bytes
Outbox = NamedDependency[DeliveryStore]  # notification preferences and the mail outbox
Jobs = NamedDependency[ImportJobs]  # imports that go on after their page is answered
App = NamedDependency[Services]  # for /ready only: it reports on every part


def _value(get: Any) -> Provide:
    return Provide(get, sync_to_thread=False)


def provided(services: Services) -> dict[str, Provide]:
    return {
        "bus": _value(lambda: services.bus),
        "reader": _value(lambda: services.data),
        "positions": _value(lambda: services.positions),
        "accounts": _value(lambda: services.accounts),
        "clock": _value(lambda: services.clock),
        "config": _value(lambda: services.settings),
        "keys": _value(lambda: services.signer),
        "files": _value(lambda: services.files),
        "outbox": _value(lambda: services.delivery),
        "jobs": _value(lambda: services.imports),
        "services": _value(lambda: services),
        "reads": _value(
            lambda: Reading(
                services.data, services.positions, services.clock, services.settings.audit_origin
            )
        ),
    }
