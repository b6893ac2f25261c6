"""The public form's shortcut: an action's computed figures are copied, not walked."""

from __future__ import annotations

from projections.public import redact
from tests.unit.sites import make_site


def test_the_computed_figures_hold_nothing_a_walk_would_remove() -> None:
    """`redact` copies an action's `figures` without walking them (projections/public.py);
    walking them anyway must change nothing, for an action with steps, reports of every
    status and private evidence."""
    for site in make_site(demo=True):
        actions = site.client.get("/api/v1/actions?limit=200").json()["items"]
        assert len(actions) > 10
        for listed in actions:
            figures = listed["figures"]
            assert figures["series"] or figures["completion"] == 0
            walked = redact({"walk": figures})["walk"]
            assert walked == figures
