"""`tracker import FILE --region 35.72 [--dry-run] [--as USER]`: the workspace's import from
a terminal, with a progress bar on stderr; the report's errors by row and column on stdout.
Without `--as` the rows are written by the operator (the system principal), as every CLI
write is; with it, by that account, under its policy."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from adapters.projector import catch_up_from_store
from domain.access import system
from tracker import catalogue
from tracker.bootstrap import bootstrap
from tracker.imports import service, sheets
from tracker.runtime import CliError, helptext, say
from tracker.settings import Settings

OPERATOR = system("cli")
BAR = 30


def add_parsers(commands: Any) -> None:
    sheet = commands.add_parser("import", help=helptext("import"))
    sheet.add_argument("file", type=Path)
    sheet.add_argument("--region", required=True, help=helptext("import-region"))
    sheet.add_argument("--dry-run", action="store_true", help=helptext("import-dry-run"))
    sheet.add_argument("--as", dest="user_id", help=helptext("import-as"))
    sheet.add_argument("--lang", choices=catalogue.LANGUAGES)


def _bar(done: int, total: int) -> None:
    if done != total and done % max(total // 100, 1):
        return
    filled = BAR * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


async def run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        content = args.file.read_bytes()[: sheets.MAX_BYTES + 1]
    except OSError as error:
        raise CliError("import-unreadable", path=args.file, reason=error.strerror) from error
    services = bootstrap(replace(settings, workers=False, demo=False, nats_url=None))
    await services.start()
    try:
        async with services.pool.acquire() as conn:  # no server may be running: catch up
            while await catch_up_from_store(conn):
                pass
        who = OPERATOR
        if args.user_id:
            account = await services.accounts.get(args.user_id)
            if account is None:
                raise CliError("import-no-account", user_id=args.user_id)
            who = account.principal()
        report = await service.run(
            services.bus,
            services.data,
            who,
            args.region,
            content,
            args.file.name,
            dry_run=args.dry_run,
            lang=args.lang or catalogue.terminal_language(),
            progress=_bar,
        )
    finally:
        await services.stop()
    for refused in report.errors:
        print(f"{refused.row}\t{refused.column or '-'}\t{refused.message}")
    if report.already_applied:
        say("import-already", when=report.applied_at)
    elif report.applied:
        say("import-applied", rows=report.rows, events=report.events, sha256=report.sha256)
    elif report.errors:
        say("import-refused", n=len(report.errors), to=sys.stderr)
        return 1
    else:
        say("import-checked", rows=report.rows)
    return 0
