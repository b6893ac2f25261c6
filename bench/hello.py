"""The baseline of the read benchmark: litestar's smallest JSON answer, served by uvicorn
the way `tracker serve` serves the tracker (no access log, no logging config)."""

from __future__ import annotations

from litestar import Litestar, get


@get("/")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


app = Litestar(route_handlers=[hello], logging_config=None)
