"""The UI's static files (CSS, JS and the vendored htmx and Vega libraries), served locally."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from goodstanding.errors import NotFoundError

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
}

router = APIRouter(include_in_schema=False)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The site icon (browsers ask for it at the root)."""
    return static_file("favicon.svg")


@router.get("/static/{path:path}")
def static_file(path: str) -> FileResponse:
    """One file of ``web/static`` (nothing outside it; no directory listing)."""
    root = STATIC_DIR.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file() or target.suffix not in _TYPES:
        raise NotFoundError("file", path)
    return FileResponse(
        target,
        media_type=_TYPES[target.suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )
