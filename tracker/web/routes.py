"""Everything the portal serves, for the application factory in tracker/app.py."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from tracker.web import (
    evidence,
    feeds,
    live,
    opendata,
    pages,
    pages_schedule,
    pages_subscribe,
    signin,
    workspace,
    workspace_actions,
    workspace_admin,
    workspace_compliance,
    workspace_history,
    workspace_import,
    workspace_inbox,
    workspace_kkp,
    workspace_notifications,
    workspace_schedule,
)

HERE = Path(__file__).parent


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Autoescaping on for every template: titles and narratives are user-supplied."""
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Each rendering of a workspace form gets a fresh key (tracker/http/idempotency.py).
    environment.globals["form_key"] = lambda: uuid.uuid4().hex
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def handlers() -> list[Any]:
    static = create_static_files_router(
        path="/statis", directories=[HERE / "static"], include_in_schema=False
    )
    return [
        static,
        *signin.HANDLERS,
        *pages.HANDLERS,
        *feeds.HANDLERS,
        *live.HANDLERS,
        *opendata.HANDLERS,
        *workspace.HANDLERS,
        *workspace_actions.HANDLERS,
        *workspace_compliance.HANDLERS,
        *workspace_history.HANDLERS,
        *workspace_kkp.HANDLERS,
        *workspace_schedule.HANDLERS,
        *workspace_inbox.HANDLERS,
        *workspace_notifications.HANDLERS,
        *pages_schedule.HANDLERS,
        *pages_subscribe.HANDLERS,
        *workspace_import.HANDLERS,
        *workspace_admin.HANDLERS,
        *evidence.HANDLERS,
    ]
