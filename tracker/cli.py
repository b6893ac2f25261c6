"""`tracker` command line. Errors end in one line on stderr and a non-zero exit status."""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence
from contextlib import ExitStack, suppress
from dataclasses import replace
from pathlib import Path

import structlog

from tracker import logging as tracker_logging
from tracker.settings import Settings


class CliError(Exception):
    """A message for the user, printed as one line."""


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _start_embedded(settings: Settings, stack: ExitStack) -> Settings:
    """Start what is not configured, under one lock on the data directory."""
    from adapters.embedded import EmbeddedServerError, EmbeddedServers

    if not settings.embeds_anything:
        return settings
    data_dir = settings.data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    servers = EmbeddedServers(
        data_dir, postgres=settings.database_url is None, nats=settings.nats_url is None
    )
    try:
        database_url, nats_url = servers.start()
    except EmbeddedServerError as error:
        raise CliError(str(error)) from error
    structlog.get_logger("serve").info("embedded.started", data_dir=str(data_dir))
    stack.callback(servers.stop)
    return replace(
        settings,
        database_url=settings.database_url or database_url,
        nats_url=settings.nats_url or nats_url,
    )


def serve(settings: Settings, demo: bool) -> None:
    import uvicorn

    from tracker.api.app import create_app
    from tracker.container import Container

    if not _port_free(settings.host, settings.port):
        raise CliError(f"port {settings.port} on {settings.host} is already in use; pick --port")
    log = structlog.get_logger("serve")
    with ExitStack() as stack:
        settings = _start_embedded(settings, stack)
        assert settings.database_url is not None
        container = Container(settings.database_url, settings.nats_url, load_demo=demo)
        app = create_app(container)
        log.info(
            "serve.listening",
            url=f"http://{settings.host}:{settings.port}",
            database=settings.redacted_database_url(),
            nats=settings.nats_url,
            demo=demo,
        )
        config = uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None, access_log=False
        )
        # uvicorn re-raises Ctrl-C after its graceful shutdown; ours follows.
        with suppress(KeyboardInterrupt):
            uvicorn.Server(config).run()
        log.info("serve.stopping")
    log.info("serve.stopped")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Pelacak komitmen HAM pemerintah daerah / regional human-rights tracker",
    )
    parser.add_argument("--data-dir", type=Path, help="default ./.tracker or TRACKER_DATA_DIR")
    parser.add_argument("--log-format", choices=["auto", "json", "console"])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="serve the API (embeds PostgreSQL and NATS)")
    serve_cmd.add_argument("--host", help="default 127.0.0.1 or TRACKER_HOST")
    serve_cmd.add_argument("--port", type=int, help="default 8000 or TRACKER_PORT")
    serve_cmd.add_argument(
        "--demo", action="store_true", help="load the demo if the store is empty"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(
            data_dir=args.data_dir,
            log_format=args.log_format,
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
        )
    except ValueError as error:
        print(f"tracker: invalid setting: {error}", file=sys.stderr)
        return 2
    tracker_logging.configure(settings.log_format, settings.log_level)
    try:
        if args.command == "serve":
            serve(settings, args.demo)
    except CliError as error:
        print(f"tracker: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
