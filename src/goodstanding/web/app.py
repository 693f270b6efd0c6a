"""The web application factory.

:func:`create_app` opens the workspace of the settings once, keeps it on ``app.state``, and puts
together the middleware (security headers, request size limit, signed session cookie), the error
handlers, CSRF checking on every state-changing request, the JSON API under ``/api/v1``, the
sign-in pages, and every page router: each module or package ``goodstanding.web.routes.pages*``
exposing ``router`` is included, so new pages need no change here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from goodstanding import __version__
from goodstanding.config import Settings
from goodstanding.web import routes
from goodstanding.web.deps import MaybeUser, csrf_protect
from goodstanding.web.errors import install_error_handlers
from goodstanding.web.security import MEGABYTE, BodyLimitMiddleware, SecurityHeadersMiddleware
from goodstanding.workspace import Workspace

__all__ = ["SESSION_COOKIE", "app_from_environment", "create_app", "route_list"]

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "goodstanding_session"
SESSION_MAX_AGE = 14 * 24 * 3600
"""Seconds a web session lasts without signing in again."""
_UPLOAD_FILES_PER_REQUEST = 4


def page_routers() -> list[APIRouter]:
    """The routers of the page modules (``goodstanding.web.routes.pages*``)."""
    found = []
    for module in sorted(pkgutil.iter_modules(routes.__path__), key=lambda m: m.name):
        if not module.name.startswith("pages"):
            continue
        loaded = importlib.import_module(f"{routes.__name__}.{module.name}")
        router = getattr(loaded, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found


def route_list(app: FastAPI) -> list[tuple[str, frozenset[str]]]:
    """Every route of ``app`` as (path, methods), with included routers flattened."""
    from fastapi.routing import iter_route_contexts

    found = []
    for context in iter_route_contexts(app.routes):
        if context.path is not None:
            found.append((context.path, frozenset(context.methods or ())))
    return found


def create_app(settings: Settings, *, workspace: Workspace | None = None) -> FastAPI:
    """Build the web app on the workspace of ``settings``.

    Args:
        settings: the configuration; its home keeps the session key when none is configured.
        workspace: an already opened workspace of ``settings`` (tests, benchmarks).

    Raises:
        ConfigError, StoreError: the store cannot be opened, or the key file cannot be kept.
    """
    from goodstanding.web.routes import api, auth, evidence

    workspace = workspace or Workspace.open(settings)
    session_key = workspace.secrets.session_key()
    app = FastAPI(
        title="goodstanding",
        version=__version__,
        description="Keep Amazon seller and vendor accounts in good standing. The JSON API "
        "lives under `/api/v1` and takes `Authorization: Bearer <token>` "
        "(make a token with `goodstanding users token NAME`).",
        dependencies=[Depends(csrf_protect)],
    )
    app.state.workspace = workspace
    app.state.settings = settings

    # Added innermost first: the headers wrap every answer, the limit applies before parsing.
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.max_upload_mb * MEGABYTE * _UPLOAD_FILES_PER_REQUEST + MEGABYTE,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(evidence.router)
    for router in page_routers():
        app.include_router(router)

    paths = {path for path, _ in route_list(app)}
    if "/" not in paths:
        # Until a page router serves the home page: the sign-in page, or the account list.
        @app.get("/", include_in_schema=False)
        def index(user: MaybeUser) -> RedirectResponse:
            return RedirectResponse("/docs" if user else "/login", status_code=303)

    if "/static/{path:path}" not in paths and STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app on the settings of the environment (``uvicorn --factory`` with several workers)."""
    from goodstanding.config import load_settings

    return create_app(load_settings())
