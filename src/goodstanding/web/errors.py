"""The one place where goodstanding's errors become HTTP answers.

Every :class:`~goodstanding.errors.GoodstandingError` maps to a status code by its class (user
errors are never a 500). Under ``/api/`` the answer is JSON::

    {"error": {"type": "report_format", "message": "...", "hint": "...",
               "file": "orders.txt", "line": 12, "column": "purchase-date", "value": "..."}}

elsewhere an HTML page (the ``error.html`` template when it exists).
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import TemplateNotFound

from goodstanding.errors import (
    AlreadyExistsError,
    ConfigError,
    DataError,
    GoodstandingError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    ReportFormatError,
    StoreError,
)
from goodstanding.web.deps import LoginRequired, is_api, templates
from goodstanding.workspace.users import SignInThrottledError

__all__ = ["error_document", "install_error_handlers", "status_for"]

# Most specific first: the first class the error is an instance of decides.
_STATUS: tuple[tuple[type[GoodstandingError], int, str], ...] = (
    (SignInThrottledError, 429, "too_many_attempts"),
    (ReportFormatError, 422, "report_format"),
    (InputError, 422, "input"),
    (NotFoundError, 404, "not_found"),
    (AlreadyExistsError, 409, "already_exists"),
    (PermissionDeniedError, 403, "permission_denied"),
    (DataError, 422, "data"),
    (ConfigError, 500, "config"),
    (StoreError, 503, "store"),
)


def status_for(error: GoodstandingError) -> tuple[int, str]:
    """The HTTP status and the error type name of ``error``."""
    for kind, status, name in _STATUS:
        if isinstance(error, kind):
            return status, name
    return 400, "error"


def error_document(error: GoodstandingError) -> dict[str, Any]:
    """The JSON body of an API error."""
    _, name = status_for(error)
    body: dict[str, Any] = {"type": name, "message": error.message, "hint": error.hint}
    if isinstance(error, ReportFormatError):
        body.update(file=error.path, line=error.line, column=error.column, value=error.value)
    return {"error": body}


def _page(request: Request, status: int, message: str, hint: str | None) -> Response:
    context = {"status": status, "message": message, "hint": hint}
    try:
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
    except TemplateNotFound:
        text = f"<p>{html.escape(message)}</p>"
        if hint:
            text += f"<p>{html.escape(hint)}</p>"
        return HTMLResponse(
            f'<!doctype html><html><head><meta charset="utf-8"><title>{status}</title></head>'
            f"<body><h1>{status}</h1>{text}</body></html>",
            status_code=status,
        )


async def _goodstanding_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, GoodstandingError)
    status, _ = status_for(error)
    if is_api(request):
        return JSONResponse(error_document(error), status_code=status)
    return _page(request, status, error.message, error.hint)


async def _login_required(request: Request, error: Exception) -> Response:
    if is_api(request):
        return JSONResponse(
            {
                "error": {
                    "type": "unauthorized",
                    "message": "A valid API token is required.",
                    "hint": "Send 'Authorization: Bearer <token>'; make one with "
                    "`goodstanding users token NAME`.",
                }
            },
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    location = "/login?next=" + quote(target, safe="/")
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers turning goodstanding's errors into answers."""
    app.add_exception_handler(GoodstandingError, _goodstanding_error)
    app.add_exception_handler(LoginRequired, _login_required)
