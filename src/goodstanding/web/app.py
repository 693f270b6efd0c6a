"""The web application factory."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from goodstanding import __version__
from goodstanding.config import Settings
from goodstanding.workspace import Workspace

TEMPLATES_DIR = Path(__file__).parent / "templates"


def create_app(settings: Settings) -> FastAPI:
    """Build the web app on the workspace of ``settings``."""
    workspace = Workspace.open(settings)
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    app = FastAPI(title="goodstanding", version=__version__)
    app.state.workspace = workspace

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        accounts = workspace.list_accounts()
        imports = {a.name: workspace.imports(a.name) for a in accounts}
        return templates.TemplateResponse(
            request, "index.html", {"accounts": accounts, "imports": imports}
        )

    return app
