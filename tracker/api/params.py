"""Query parameters shared by the read endpoints."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

After = Annotated[
    int | None,
    QueryParameter(
        ge=0,
        description="Tunggu sampai posisi ini terlihat / wait until this position is visible",
    ),
]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]
Offset = Annotated[int, QueryParameter(ge=0)]
Kkp = Annotated[int | None, QueryParameter(ge=1, le=10)]
Pn = Annotated[str | None, QueryParameter(pattern=r"^PN[1-8]$")]
Pada = Annotated[
    str | None,
    QueryParameter(
        description=(
            "Tampilkan keadaan pada akhir hari ini (YYYY-MM-DD, zona waktu wilayah) / "
            "answer as the tracker stood at the end of this day (region's time zone)"
        ),
    ),
]
