"""Encoding of domain events and aggregate states as JSON with msgspec (never pickle).

The stored topic is the event's class name, looked up in the domain registry, so a row
in the database can never name an arbitrary Python class to import.
"""

from __future__ import annotations

from typing import Any

import msgspec

from domain.events import DomainEvent
from domain.registry import AGGREGATE_OF_EVENT, AGGREGATE_STATES, EVENT_TYPES
from projections.catalog import Step, Upsert

SNAPSHOT_PREFIX = "snapshot:"

_encoder = msgspec.json.Encoder(order="deterministic")
_event_decoders = {name: msgspec.json.Decoder(cls) for name, cls in EVENT_TYPES.items()}
_state_decoders = {kind: msgspec.json.Decoder(cls) for kind, cls in AGGREGATE_STATES.items()}


class UnknownTopic(ValueError):
    pass


def encode(value: Any) -> bytes:
    return _encoder.encode(value)


def topic_of(event: DomainEvent) -> str:
    return type(event).__name__


def decode_event(topic: str, state: bytes) -> DomainEvent:
    decoder = _event_decoders.get(topic)
    if decoder is None:
        raise UnknownTopic(f"unknown event topic {topic!r}")
    event: DomainEvent = decoder.decode(state)
    return event


def aggregate_kind(topic: str) -> str:
    if topic.startswith(SNAPSHOT_PREFIX):
        return topic.removeprefix(SNAPSHOT_PREFIX)
    try:
        return AGGREGATE_OF_EVENT[topic]
    except KeyError:
        raise UnknownTopic(f"unknown event topic {topic!r}") from None


def decode_state(kind: str, state: bytes) -> Any:
    return _state_decoders[kind].decode(state)


def to_builtins(value: Any) -> Any:
    """Plain JSON-able data, e.g. for history listings and NATS payloads."""
    return msgspec.to_builtins(value)


def stored_rows(kind: str, step: Step) -> list[Upsert]:
    """A projection step's rows as both read stores keep them: the aggregate's own row with
    its full and its public document as JSON text."""
    rows = []
    for upsert in step.upserts:
        columns = dict(upsert.columns)
        if upsert.table == kind:
            columns["doc"] = encode(columns["doc"]).decode()
            columns["public_doc"] = encode(columns["public_doc"]).decode()
        rows.append(Upsert(upsert.table, upsert.key, columns))
    return rows
