"""The dependencies every route uses: workspace, current user, granted account, CSRF, templates.

How a page route uses them (``web/routes/pages*.py``; each such module exposing
``router: APIRouter`` is included by :func:`goodstanding.web.app.create_app` automatically)::

    from fastapi import APIRouter, Form, Request
    from fastapi.responses import HTMLResponse, RedirectResponse

    from goodstanding.web.deps import (
        CurrentUser, EditorAccount, GrantedAccount, WorkspaceDep, templates,
    )

    router = APIRouter()

    @router.get("/accounts/{name}", response_class=HTMLResponse)
    def dashboard(request: Request, access: GrantedAccount, workspace: WorkspaceDep):
        # access.account is the AccountRecord, access.role owner|editor|viewer, and
        # access.user the signed-in UserRecord. Not granted: NotFoundError -> 404 page,
        # exactly like an account that does not exist.
        health = workspace.health(access.name)
        return templates.TemplateResponse(request, "dashboard.html", {"health": health})

    @router.post("/accounts/{name}/imports")
    def upload(request: Request, access: EditorAccount, ...):  # a viewer gets 403
        ...

Rules:

- The account is the path parameter ``{name}`` (exactly that name). ``GrantedAccount`` checks the
  grant once; use ``access.name`` afterwards, never another account name taken from the request.
  Objects below an account (cases, imports, documents) must be looked up *within* that account,
  so another tenant's id answers 404 too.
- ``CurrentUser``: the signed-in user. Page routes read the session cookie; with no session they
  redirect to ``/login?next=...`` (HTMX requests get 401 with an ``HX-Redirect`` header). Routes
  under ``/api/`` read only ``Authorization: Bearer <token>`` and answer 401 JSON.
  ``MaybeUser`` is the same but None instead of redirecting; ``AdminUser`` answers 403 to members.
- ``EditorAccount`` (owner or editor) for anything that changes an account; ``OwnerAccount`` for
  sharing and deleting it. A viewer gets 403.
- CSRF: every POST/PUT/PATCH/DELETE outside ``/api/`` is checked by :func:`csrf_protect`, which
  ``create_app`` installs on the whole app. Forms carry ``<input type="hidden" name="csrf_token"
  value="{{ csrf_token(request) }}">``; HTMX sends the header instead, e.g. on ``<body
  hx-headers='{"X-CSRF-Token": "{{ csrf_token(request) }}"}'>``. ``csrf_token`` is a global of
  :data:`templates`.
- Errors: raise goodstanding's errors (``NotFoundError``, ``InputError``...);
  ``web/errors.py`` turns them into status codes, JSON under ``/api/`` and an HTML page
  elsewhere (``error.html`` when that template exists, with ``status``, ``message``, ``hint``).
- Uploads: :func:`goodstanding.web.security.saved_uploads` checks size and type and stores the
  files in a temporary folder for ``Workspace.ingest``.
- :data:`templates` is the shared Jinja2 environment (``web/templates``); the i18n module may
  install its gettext callables on ``templates.env`` (``_`` falls back to the identity).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.templating import Jinja2Templates

from goodstanding.errors import PermissionDeniedError
from goodstanding.workspace import Workspace
from goodstanding.workspace.users import AccountAccess, UserRecord

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "AdminUser",
    "CsrfError",
    "CurrentUser",
    "EditorAccount",
    "GrantedAccount",
    "LoginRequired",
    "MaybeUser",
    "OwnerAccount",
    "WorkspaceDep",
    "csrf_protect",
    "csrf_token",
    "sign_in",
    "sign_out",
    "templates",
    "workspace_of",
]

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
API_PREFIX = "/api/"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(Exception):
    """Nobody is signed in (no valid session cookie or bearer token)."""


class CsrfError(PermissionDeniedError):
    """A form came without the CSRF token of the session."""


def _identity(text: str, **values: Any) -> str:
    return text % values if values else text


templates = Jinja2Templates(directory=TEMPLATES_DIR)
"""The app's Jinja2 templates, with ``csrf_token(request)`` available in every template."""


def is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (bearer tokens, JSON errors)."""
    return request.url.path.startswith(API_PREFIX)


# Workspace


def workspace_of(request: Request) -> Workspace:
    """The app's one workspace (opened by ``create_app``)."""
    workspace: Workspace = request.app.state.workspace
    return workspace


# The dependencies that only look at the request, or read a row or two, are ``async``: a sync
# dependency costs a hop through the thread pool, and under load those hops queue.


async def get_workspace(request: Request) -> Workspace:
    """The app's one workspace (the dependency behind :data:`WorkspaceDep`)."""
    return workspace_of(request)


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


# Sessions and users


def sign_in(request: Request, user: UserRecord) -> None:
    """Start a web session for ``user`` (a new CSRF token too, against session fixation)."""
    workspace = workspace_of(request)
    request.session.clear()
    request.session["uid"] = user.id
    request.session["stamp"] = workspace.users.session_stamp(user)
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    """End the web session."""
    request.session.clear()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


async def optional_user(request: Request, workspace: WorkspaceDep) -> UserRecord | None:
    """The signed-in user, or None (bearer token under ``/api/``, session cookie elsewhere).

    The session's user is read on the event loop (two indexed reads, which never wait for a
    writer in SQLite's WAL mode); a token lookup may note the token's use, a write, so it runs
    in the thread pool.
    """
    if hasattr(request.state, "user"):
        cached: UserRecord | None = request.state.user
        return cached
    user: UserRecord | None = None
    if is_api(request):
        token = _bearer(request)
        if token is not None:
            user = await run_in_threadpool(workspace.users.for_token, token)
    else:
        session = request.session
        uid, stamp = session.get("uid"), session.get("stamp")
        if isinstance(uid, int) and isinstance(stamp, str):
            user = workspace.users.for_session(uid, stamp)
            if user is None:
                session.clear()
    request.state.user = user
    return user


MaybeUser = Annotated[UserRecord | None, Depends(optional_user)]


async def current_user(user: MaybeUser) -> UserRecord:
    """The signed-in user.

    Raises:
        LoginRequired: nobody is signed in (401 for the API, a redirect to /login for pages).
    """
    if user is None:
        raise LoginRequired
    return user


CurrentUser = Annotated[UserRecord, Depends(current_user)]


async def admin_user(user: CurrentUser) -> UserRecord:
    """The signed-in user, who must be an admin.

    Raises:
        PermissionDeniedError: the user is a member.
    """
    if not user.is_admin:
        raise PermissionDeniedError(
            "Only an admin may do this.", hint="Ask an admin of this goodstanding."
        )
    return user


AdminUser = Annotated[UserRecord, Depends(admin_user)]


# Accounts


async def granted_account(name: str, user: CurrentUser, workspace: WorkspaceDep) -> AccountAccess:
    """The account named by the path parameter ``{name}``, if it is granted to the user.

    Raises:
        NotFoundError: no such account, or not granted (the same answer).
    """
    return workspace.users.access(user, name)


GrantedAccount = Annotated[AccountAccess, Depends(granted_account)]


async def editor_account(access: GrantedAccount) -> AccountAccess:
    """The granted account, which the user may change (owner or editor).

    Raises:
        NotFoundError: not granted.
        PermissionDeniedError: the user is a viewer.
    """
    if not access.can_edit:
        raise PermissionDeniedError(
            f"You may look at {access.name!r} but not change it.",
            hint="Ask an owner of the account for the editor role.",
        )
    return access


EditorAccount = Annotated[AccountAccess, Depends(editor_account)]


async def owner_account(access: GrantedAccount) -> AccountAccess:
    """The granted account, which the user owns (may share or delete it).

    Raises:
        NotFoundError: not granted.
        PermissionDeniedError: the user is an editor or a viewer.
    """
    if not access.is_owner:
        raise PermissionDeniedError(
            f"Only an owner of {access.name!r} may do this.", hint="Ask an owner of the account."
        )
    return access


OwnerAccount = Annotated[AccountAccess, Depends(owner_account)]


# CSRF


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); put it in every form."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request outside ``/api/`` without the session's CSRF token.

    Raises:
        CsrfError: the token is missing or wrong (403).
    """
    if request.method in _SAFE_METHODS or is_api(request):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (
        isinstance(expected, str)
        and expected
        and sent
        and secrets.compare_digest(expected.encode(), sent.encode())
    ):
        raise CsrfError(
            "This form is out of date or did not come from goodstanding.",
            hint="Reload the page and send the form again.",
        )


def _globals() -> None:
    env = templates.env
    env.globals["csrf_token"] = csrf_token
    env.globals["csrf_field"] = CSRF_FIELD
    env.globals.setdefault("_", _identity)
    env.globals.setdefault("gettext", _identity)


_globals()
