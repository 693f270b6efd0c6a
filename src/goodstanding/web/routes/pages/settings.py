"""Settings: the user's language, users and roles (admin), account access, the LLM provider."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goodstanding.errors import GoodstandingError, InputError
from goodstanding.web.deps import AdminUser, CurrentUser, MaybeUser, WorkspaceDep
from goodstanding.web.i18n import LANGUAGES, N_
from goodstanding.web.routes.pages.templating import render, request_translator
from goodstanding.workspace import Workspace
from goodstanding.workspace.users import ACCOUNT_ROLES, USER_ROLES, UserRecord

__all__ = ["LLM_ENABLED", "LLM_SECRETS", "router"]

router = APIRouter(include_in_schema=False)

LLM_SECRETS = ("llm_base_url", "llm_model", "llm_api_key")
"""Names under which the web settings keep the LLM provider (encrypted, like every secret)."""
LLM_ENABLED = "llm_enabled"
_LANG_COOKIE_AGE = 365 * 24 * 3600
_SAVED = N_("Saved.")


def _local(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _shareable(workspace: Workspace, user: UserRecord) -> list[str]:
    if user.is_admin:
        return [account.name for account in workspace.list_accounts()]
    return [a.name for a in workspace.users.accounts(user) if a.is_owner]


def _context(workspace: Workspace, user: UserRecord) -> dict[str, Any]:
    shareable = _shareable(workspace, user)
    grants = {name: workspace.users.account_grants(name) for name in shareable}
    secrets = workspace.secrets
    settings = workspace.settings
    llm = {
        "base_url": secrets.get("llm_base_url") or settings.llm_base_url or "",
        "model": secrets.get("llm_model") or settings.llm_model or "",
        "key_set": bool(settings.llm_api_key) or secrets.is_set("llm_api_key"),
        "enabled": secrets.get(LLM_ENABLED) == "yes",
    }
    return {
        "users": workspace.users.all() if user.is_admin else [],
        "user_roles": USER_ROLES,
        "account_roles": ACCOUNT_ROLES,
        "shareable": shareable,
        "grants": grants,
        "llm": llm,
        "user_language": user.language or "",
        "language_codes": LANGUAGES,
    }


def _page(
    request: Request,
    workspace: Workspace,
    user: UserRecord,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = _context(workspace, user)
    context.update({"message": message, "error": error})
    return render(
        request, "pages/settings.html", context, status_code=status_code, section="settings"
    )


def _after(request: Request, workspace: Workspace, user: UserRecord, action: Any) -> Response:
    tr = request_translator(request)
    try:
        action()
    except GoodstandingError as error:
        status = 404 if type(error).__name__ == "NotFoundError" else 400
        if type(error).__name__ == "PermissionDeniedError":
            status = 403
        return _page(request, workspace, user, error=str(error), status_code=status)
    return _page(request, workspace, user, message=tr.gettext(_SAVED))


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, user: CurrentUser, workspace: WorkspaceDep) -> Response:
    """Language for everyone; users, access and the LLM for admins (access for owners too)."""
    return _page(request, workspace, user)


@router.post("/settings/language")
def set_language(
    request: Request,
    user: MaybeUser,
    workspace: WorkspaceDep,
    lang: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Choose the UI language: kept for the signed-in user, and in a cookie for the browser."""
    if lang not in LANGUAGES and lang != "":
        raise InputError(f"{lang!r} is not a language of goodstanding.", hint="Pick one.")
    if user is not None:
        workspace.users.set_language(user.name, lang or None)
    response = RedirectResponse(_local(next), status_code=303)
    if lang:
        response.set_cookie("lang", lang, max_age=_LANG_COOKIE_AGE, httponly=True, samesite="lax")
    else:
        response.delete_cookie("lang")
    return response


@router.post("/settings/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    admin: AdminUser,
    workspace: WorkspaceDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()] = "member",
) -> Response:
    """Add a user (admin)."""
    return _after(
        request, workspace, admin, lambda: workspace.users.add(name, password=password, role=role)
    )


@router.post("/settings/users/{user_name}/role", response_class=HTMLResponse)
def set_role(
    request: Request,
    admin: AdminUser,
    workspace: WorkspaceDep,
    user_name: str,
    role: Annotated[str, Form()],
) -> Response:
    """Make a user an admin or a member (admin)."""
    return _after(request, workspace, admin, lambda: workspace.users.set_role(user_name, role))


@router.post("/settings/users/{user_name}/delete", response_class=HTMLResponse)
def remove_user(
    request: Request, admin: AdminUser, workspace: WorkspaceDep, user_name: str
) -> Response:
    """Delete a user (admin; not oneself)."""

    def action() -> None:
        if user_name == admin.name:
            raise InputError("You cannot delete yourself.", hint="Ask another admin.")
        workspace.users.remove(user_name)

    return _after(request, workspace, admin, action)


@router.post("/settings/grants", response_class=HTMLResponse)
def grant(
    request: Request,
    user: CurrentUser,
    workspace: WorkspaceDep,
    user_name: Annotated[str, Form()],
    account: Annotated[str, Form()],
    role: Annotated[str, Form()] = "viewer",
) -> Response:
    """Give a user a role on an account (an admin, or an owner of the account)."""
    return _after(
        request,
        workspace,
        user,
        lambda: workspace.users.grant(user_name, account, role, by=user),
    )


@router.post("/settings/grants/revoke", response_class=HTMLResponse)
def revoke(
    request: Request,
    user: CurrentUser,
    workspace: WorkspaceDep,
    user_name: Annotated[str, Form()],
    account: Annotated[str, Form()],
) -> Response:
    """Take a user's access to an account away (an admin, or an owner of the account)."""
    return _after(
        request, workspace, user, lambda: workspace.users.revoke(user_name, account, by=user)
    )


@router.post("/settings/llm", response_class=HTMLResponse)
def set_llm(
    request: Request,
    admin: AdminUser,
    workspace: WorkspaceDep,
    enabled: Annotated[str | None, Form()] = None,
    base_url: Annotated[str, Form()] = "",
    model: Annotated[str, Form()] = "",
    api_key: Annotated[str, Form()] = "",
    forget_key: Annotated[str | None, Form()] = None,
) -> Response:
    """Set the optional LLM provider (admin); the key is kept encrypted, never shown again."""

    def action() -> None:
        if base_url and not base_url.startswith(("http://", "https://")):
            raise InputError(
                f"{base_url!r} is not an http(s) URL.", hint="e.g. http://127.0.0.1:8080/v1"
            )
        secrets = workspace.secrets
        secrets.set(LLM_ENABLED, "yes" if enabled else None)
        secrets.set("llm_base_url", base_url.strip() or None)
        secrets.set("llm_model", model.strip() or None)
        if forget_key:
            secrets.set("llm_api_key", None)
        elif api_key.strip():
            secrets.set("llm_api_key", api_key.strip())

    return _after(request, workspace, admin, action)
