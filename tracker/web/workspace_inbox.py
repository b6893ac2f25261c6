"""The workspace inbox (/kerja/kotak-masuk): every reminder addressed to the account — what
is due soon, what is late, a report returned —, newest first, each linked to its action. The
reminders are events (domain/reminder.py); this page only reads them."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get

from tracker import queries
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.web.workspace_common import render, sign_in_first

PATH = "/kerja/kotak-masuk"


@get(PATH, include_in_schema=False, media_type=MediaType.HTML)
async def inbox(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    await wait_after(request, reads)
    return render(request, who, "kerja_inbox.html", items=await queries.inbox(reads.data, who))


HANDLERS: list[Any] = [inbox]
