"""Signing in and out of the web app (session cookie; the API uses bearer tokens instead)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goodstanding.web.deps import MaybeUser, WorkspaceDep, sign_in, sign_out
from goodstanding.web.i18n import N_
from goodstanding.web.routes.pages.templating import render
from goodstanding.workspace.users import SignInThrottledError

__all__ = ["router", "safe_next"]

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


def _remote(request: Request) -> str:
    return request.client.host if request.client else ""


def _login_page(
    request: Request, *, next_url: str, name: str = "", error: str | None = None, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "login.html",
        {"next": next_url, "name": name, "error": error, "title": None},
        status_code=status,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, user: MaybeUser, next: str | None = None) -> Response:
    """The sign-in form (straight on when already signed in)."""
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_url=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    workspace: WorkspaceDep,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the name and password; start a session (throttled after repeated failures)."""
    target = safe_next(next)
    try:
        user = workspace.users.authenticate(name.strip(), password, remote=_remote(request))
    except SignInThrottledError:
        return _login_page(
            request,
            next_url=target,
            name=name,
            error=N_("Too many failed sign-ins. Wait 15 minutes and try again."),
            status=429,
        )
    if user is None:
        return _login_page(
            request,
            next_url=target,
            name=name,
            error=N_("Wrong user name or password."),
            status=401,
        )
    sign_in(request, user)
    request.state.user = user
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    """End the session."""
    sign_out(request)
    return RedirectResponse("/login", status_code=303)
