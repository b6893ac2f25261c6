"""Every JSON route, for the application factory in tracker/app.py."""

from __future__ import annotations

from typing import Any

from litestar import Router

from tracker.api.accounts import AccountController
from tracker.api.actions import ActionController
from tracker.api.audit import AuditController
from tracker.api.corrections import ActionCorrectionController
from tracker.api.dashboards import DashboardController
from tracker.api.forums import CommitmentController, ForumController
from tracker.api.imports import ImportController
from tracker.api.kkp import KkpController
from tracker.api.ledger import LEDGER_HANDLERS, LedgerController
from tracker.api.periods import PeriodController
from tracker.api.regions import ReferenceController, RegionController
from tracker.api.schedule import ScheduleController
from tracker.api.webhooks import WebhookController


def handlers(guards: list[Any]) -> list[Any]:
    """`guards`: the API's (tracker/http/principal.account_first), from the app factory."""
    api = Router(
        path="/api/v1",
        guards=guards,
        route_handlers=[
            ForumController,
            CommitmentController,
            ActionController,
            ActionCorrectionController,
            RegionController,
            ReferenceController,
            DashboardController,
            AuditController,
            LedgerController,
            AccountController,
            PeriodController,
            KkpController,
            ImportController,
            ScheduleController,
            WebhookController,
        ],
    )
    return [api, *LEDGER_HANDLERS]
