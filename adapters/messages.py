"""What travels on NATS: one versioned message per stored event, and its subject.

Every message carries its own position and the previous position in the log, so a
consumer that sees a gap (JetStream lost or skipped something) refills it from
PostgreSQL instead of silently moving on. PostgreSQL stays the source of truth.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import msgspec
from nats.js.errors import NotFoundError

from adapters.codec import aggregate_kind
from projections.public import is_private_event, redact

WITHHELD = "Withheld"  # the public stream's stand-in for an event only the region may see

STREAM = "TRACKER_EVENTS"
SUBJECT_ROOT = "tracker.v1.events"
SCHEMA_VERSION = 1
NONE_TOKEN = "_"  # noqa: S105 - a NATS subject token, not a secret: for "not tied to one region"


@dataclass(frozen=True)
class Channel:
    """A stream the relay fills from the log. The internal one carries events as stored;
    the public one carries their public form (no private evidence, no account ids), for
    integrators outside the ministry. Each has its own leader, position and gaps."""

    stream: str
    subject_root: str
    leader_lock: int  # pg_advisory_lock key: one relay per channel and database
    public: bool


INTERNAL = Channel(STREAM, SUBJECT_ROOT, 7243003, public=False)
PUBLIC = Channel("TRACKER_PUBLIC", "tracker.v1.public", 7243006, public=True)
CHANNELS = (INTERNAL, PUBLIC)

HEADER_POSITION = "Tracker-Position"
HEADER_PREVIOUS = "Tracker-Previous-Position"


class EventMessage(msgspec.Struct, frozen=True, kw_only=True):
    """Schema 1 of the event message (JSON). `event` is the stored event, unchanged."""

    schema: int = SCHEMA_VERSION
    position: int
    previous_position: int
    aggregate: str
    aggregate_id: UUID
    version: int
    type: str
    province_code: str | None
    region_code: str | None
    event: msgspec.Raw


_decoder = msgspec.json.Decoder(EventMessage)


def encode_message(message: EventMessage) -> bytes:
    return msgspec.json.encode(message)


def decode_message(data: bytes) -> EventMessage:
    return _decoder.decode(data)


def from_row(
    row: Any, previous: int, place: tuple[str | None, str | None], public: bool = False
) -> EventMessage:
    """The message for one notification-log row, `previous` being the position before it."""
    stored = bytes(row["state"])
    topic = row["topic"]
    event = msgspec.json.encode(redact(msgspec.json.decode(stored))) if public else stored
    if public and is_private_event(topic):  # a draft: the position stays, the content not
        event, topic = b"{}", WITHHELD
    return EventMessage(
        position=row["notification_id"],
        previous_position=previous,
        aggregate=aggregate_kind(row["topic"]),
        aggregate_id=row["originator_id"],
        version=row["originator_version"],
        type=topic,
        province_code=place[0],
        region_code=place[1],
        event=msgspec.Raw(event),
    )


def _token(code: str | None) -> str:
    return NONE_TOKEN if not code else code.replace(".", "_")


def subject_for(message: EventMessage, root: str = SUBJECT_ROOT) -> str:
    """<root>.<province>.<region>.<aggregate>.<EventType>; region codes use '_' for '.',
    e.g. tracker.v1.events.35.35_72.action.ProgressReportSubmitted."""
    return ".".join(
        (
            root,
            _token(message.province_code),
            _token(message.region_code),
            message.aggregate,
            message.type,
        )
    )


def place_of(aggregate: str, creation: dict[str, Any]) -> tuple[str | None, str | None]:
    """(province, region) an aggregate belongs to, read from its creation event. Commitments
    span several signatories, so they are national (no region)."""
    if aggregate == "action":
        return creation["province_code"], creation["region_code"]
    if aggregate == "forum":
        host = str(creation["host_region_code"])
        return host.split(".", maxsplit=1)[0], host
    return None, None


DUPLICATE_WINDOW_S = 120.0
STREAM_IN_USE = 10058  # JetStream: "stream name already in use" (a concurrent creator won)


def server_list(nats_url: str) -> list[str]:
    """`TRACKER_NATS_URL` may name several servers of one cluster, comma-separated: a
    client connects to any that answers and moves to another when it goes away."""
    servers = [part.strip() for part in nats_url.split(",") if part.strip()]
    if not servers:
        raise ValueError("no NATS server in the URL")
    return servers


async def ensure_stream(js: Any, channel: Channel = INTERNAL, replicas: int | None = None) -> None:
    """Create the channel's stream unless it exists; relay and consumers start in any order.

    `replicas` (the relay's setting) is how many servers of a cluster hold the stream: it
    is created so, and an existing stream is scaled to it. None (consumers) changes nothing
    and creates a missing stream with one, for the relay to scale. The duplicate window
    lets the relay republish after a crash without doubling messages.
    """
    from nats.js import api
    from nats.js.errors import BadRequestError, NotFoundError

    with contextlib.suppress(NotFoundError):
        info = await js.stream_info(channel.stream)
        if replicas is not None and (info.config.num_replicas or 1) != replicas:
            await js.update_stream(replace(info.config, num_replicas=replicas))
        return
    config = api.StreamConfig(
        name=channel.stream,
        subjects=[f"{channel.subject_root}.>"],
        storage=api.StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_S,
        num_replicas=replicas or 1,
    )
    try:
        await js.add_stream(config)
    except BadRequestError as error:
        if error.err_code != STREAM_IN_USE:
            raise
        await js.stream_info(channel.stream)


async def ensure_consumer(js: Any, durable: str, replicas: int) -> None:
    """A durable consumer keeps the servers it was placed on when its stream had fewer
    replicas (an older deployment, or a consumer that started before the relay scaled the
    stream): it would stop with its one server, and editing its replicas does not move it
    (nats-server 2.15, tests/integration/test_nats_cluster.py). Such a consumer is made
    again on `replicas` servers, starting after what it had acknowledged. Call before
    subscribing; a missing consumer is left to the subscription to create."""
    from nats.js import api
    from nats.js.errors import NotFoundError

    try:
        info = await js.consumer_info(STREAM, durable)
    except NotFoundError:
        return
    placed = 1 + len((info.cluster.replicas or []) if info.cluster else [])
    if placed >= replicas:
        return
    start = (info.ack_floor.stream_seq if info.ack_floor else 0) + 1
    await js.delete_consumer(STREAM, durable)
    config = replace(
        info.config,
        num_replicas=replicas,
        deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=start,
    )
    await js.add_consumer(STREAM, config)


async def resume_point(js: Any, stream: str = STREAM) -> int:
    """Position of the last message in the stream (0 if none): where publishing goes on."""
    state = (await js.stream_info(stream)).state
    seq = state.last_seq or 0
    while seq and seq >= (state.first_seq or 1):
        try:
            last = await js.get_msg(stream, seq=seq)
        except NotFoundError:  # deleted at the tail: the one before is the last
            seq -= 1
            continue
        header = (last.headers or {}).get(HEADER_POSITION)
        if header is not None:
            return int(header)
        return decode_message(last.data).position
    return 0
