from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.sites import Site, make_site


@pytest.fixture
def site() -> Iterator[Site]:
    """The in-memory application, with a bearer token per test account (tests/unit/world.py)."""
    yield from make_site()
