"""`tracker` command line. Errors end in one line on stderr and a non-zero exit status."""

from __future__ import annotations

import argparse
import asyncio
import errno
import signal
import socket
import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import structlog

from domain.errors import Refusal
from tracker import catalogue
from tracker import logging as tracker_logging
from tracker.runtime import CliError, helptext, say, servers_for
from tracker.settings import Settings


def _listen(host: str, port: int) -> socket.socket:
    """Bind before anything starts: a busy port fails fast, and clients that connect while
    the app is still starting wait in the backlog instead of being refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when
    # the listening socket says TCP; with protocol 0 every kept-alive answer waited ~40 ms
    # for Nagle's algorithm.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise CliError("port-in-use", port=port, host=host) from error
        raise CliError("cannot-listen", host=host, port=port, reason=error.strerror) from error
    sock.listen(2048)
    return sock


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, Docker, Kubernetes) stops as Ctrl-C does: uvicorn drains and then
    re-raises the signal under the handler it found, which by default ends the process at
    once and left the embedded PostgreSQL and nats-server running; this one unwinds."""

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def serve(configured: Settings, demo: bool, workers: bool) -> None:
    import uvicorn

    from tracker.app import create_app
    from tracker.web.live import StreamingServer

    _stop_on_sigterm()
    listener = _listen(configured.host, configured.port)
    log = structlog.get_logger("serve")
    with listener, servers_for(configured, owner=True) as settings:
        assert settings.database_url is not None
        app = create_app(replace(settings, demo=demo, workers=workers))
        log.info(
            "serve.listening",
            url=f"http://{settings.host}:{settings.port}",
            database=settings.redacted_database_url(),
            nats=settings.nats_url,
            demo=demo,
            workers=workers,
        )
        config = uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None, access_log=False
        )
        # uvicorn re-raises Ctrl-C after its graceful shutdown; ours follows.
        with suppress(KeyboardInterrupt):
            StreamingServer(config).run(sockets=[listener])
        log.info("serve.stopping")
    log.info("serve.stopped")


def run_worker(configured: Settings, which: str) -> None:
    """`tracker relay|project|seal`: one worker until Ctrl-C or SIGTERM."""
    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        if which != "seal" and settings.nats_url is None:
            raise CliError("workers-need-servers")
        if which == "seal":
            from adapters.sealer.worker import run_sealer

            asyncio.run(
                run_sealer(
                    settings.database_url,
                    settings.key_path,
                    settings.audit_origin,
                    settings.checkpoint_seconds,
                )
            )
        elif which == "relay":
            from adapters.relay_main import run_relay

            assert settings.nats_url is not None
            from adapters.messages import CHANNELS

            asyncio.run(
                run_relay(
                    settings.database_url, settings.nats_url, CHANNELS, settings.nats_replicas
                )
            )
        else:
            from adapters.nats_projector import run_projector

            assert settings.nats_url is not None
            asyncio.run(
                run_projector(settings.database_url, settings.nats_url, settings.nats_replicas)
            )


def run_projections(configured: Settings, action: str, name: str | None) -> None:
    from tracker.cli import projections as projection_commands

    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        if action == "status":
            asyncio.run(projection_commands.status(settings.database_url))
        elif action == "checksum":
            asyncio.run(projection_commands.checksum(settings.database_url))
        else:
            asyncio.run(projection_commands.rebuild(settings.database_url, name))


def administer(configured: Settings, args: argparse.Namespace) -> None:
    from tracker.cli import accounts as account_commands

    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        asyncio.run(account_commands.run(settings, args))


def run_audit(configured: Settings, args: argparse.Namespace) -> None:
    from tracker.cli import audit as audit_commands

    if args.action == "check-proof":
        audit_commands.check_proof(args)  # offline: no server, no data directory
        return
    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        if args.action == "verify":
            keys = args.public_key or [settings.key_path]
            asyncio.run(audit_commands.verify(settings.database_url, keys))
        elif args.action == "rotate-key":
            asyncio.run(
                audit_commands.rotate_key(
                    settings.database_url, settings.key_path, args.new_key, settings.audit_origin
                )
            )
        else:
            asyncio.run(
                audit_commands.checkpoint(
                    settings.database_url, settings.key_path, settings.audit_origin
                )
            )


def run_backup_or_restore(configured: Settings, command: str, file: Path) -> None:
    from tracker.cli import backup as backup_commands

    if command == "backup":
        backup_commands.run_backup(configured, file)
    else:
        backup_commands.run_restore(configured, file)


def run_import(configured: Settings, args: argparse.Namespace) -> int:
    from tracker.cli import imports as import_commands

    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        return asyncio.run(import_commands.run(settings, args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Pelacak komitmen HAM pemerintah daerah / regional human-rights tracker",
    )
    parser.add_argument("--data-dir", type=Path, help=helptext("data-dir"))
    parser.add_argument("--log-format", choices=["auto", "json", "console"])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help=helptext("serve"))
    serve_cmd.add_argument("--host", help=helptext("host"))
    serve_cmd.add_argument("--port", type=int, help=helptext("port"))
    serve_cmd.add_argument("--demo", action="store_true", help=helptext("demo"))
    serve_cmd.add_argument(
        "--no-workers",
        action="store_true",
        help=helptext("no-workers"),
    )
    commands.add_parser("relay", help=helptext("relay"))
    commands.add_parser("project", help=helptext("project"))
    commands.add_parser("seal", help=helptext("seal"))
    proj = commands.add_parser("projections", help=helptext("projections"))
    proj_actions = proj.add_subparsers(dest="action", required=True)
    proj_actions.add_parser("status", help=helptext("projections-status"))
    proj_actions.add_parser("checksum", help=helptext("projections-checksum"))
    rebuild = proj_actions.add_parser("rebuild", help=helptext("projections-rebuild"))
    rebuild.add_argument("name", nargs="?", default="catalog")
    from tracker.cli import accounts as account_commands
    from tracker.cli import audit as audit_commands
    from tracker.cli import backup as backup_commands
    from tracker.cli import imports as import_commands

    account_commands.add_parsers(commands)
    audit_commands.add_parsers(commands)
    import_commands.add_parsers(commands)
    backup_commands.add_parsers(commands)
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
        say("invalid-setting", prefix="tracker: ", reason=error, to=sys.stderr)
        return 2
    tracker_logging.configure(settings.log_format, settings.log_level)
    try:
        if args.command == "serve":
            serve(settings, args.demo, workers=not args.no_workers)
        elif args.command in ("relay", "project", "seal"):
            run_worker(settings, args.command)
        elif args.command in ("users", "tokens"):
            administer(settings, args)
        elif args.command == "audit":
            run_audit(settings, args)
        elif args.command == "import":
            return run_import(settings, args)
        elif args.command in ("backup", "restore"):
            run_backup_or_restore(settings, args.command, args.file)
        else:
            run_projections(settings, args.action, getattr(args, "name", None))
    except Refusal as error:  # CLI, account or domain: the catalogue's words, in one line
        print(
            f"tracker: {catalogue.refusal(error, catalogue.terminal_language())}", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
