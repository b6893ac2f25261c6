from __future__ import annotations

import pytest

from domain.regions import RegionCatalogue

from .helpers import sample_catalogue


@pytest.fixture
def regions() -> RegionCatalogue:
    """A tiny catalogue: Jawa Timur + Kota Blitar, Jawa Tengah + Semarang + Pekalongan,
    Kalimantan Barat + Singkawang."""
    return sample_catalogue()
