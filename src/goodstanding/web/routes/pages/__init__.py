"""The server-rendered pages (Jinja2 + HTMX), one module per area, all behind the account grant.

:data:`router` gathers every area's router; ``create_app`` includes it.
"""

from __future__ import annotations

from fastapi import APIRouter

from goodstanding.web.routes.pages import (
    appeals,
    cases,
    dashboard,
    imports,
    knowledge,
    notices,
    settings,
    static,
    summary,
)

__all__ = ["router"]

router = APIRouter()
for _area in (static, dashboard, imports, summary, notices, appeals, cases, knowledge, settings):
    router.include_router(_area.router)
