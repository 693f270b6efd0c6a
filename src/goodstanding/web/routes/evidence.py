"""Evidence and risk pages: readiness, invoices, documents, feedback, security.

Every page is behind the account grant (``GrantedAccount``); forms that change the account need
the editor role (``EditorAccount``) and carry the CSRF token. Objects are looked up within the
account, so another tenant's ids answer 404.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from goodstanding.errors import DataError, InputError
from goodstanding.web.deps import EditorAccount, GrantedAccount, WorkspaceDep
from goodstanding.web.routes.pages.templating import error_text, render
from goodstanding.web.security import MEGABYTE, saved_uploads
from goodstanding.workspace.users import AccountAccess

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

INVOICE_SUFFIXES = frozenset({".pdf", ".csv"})
DOCUMENT_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif"})


def _page(
    request: Request,
    template: str,
    access: AccountAccess,
    tab: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        f"evidence/{template}",
        {"access": access, "evidence_tab": tab, **context},
        status_code=status_code,
        section="accounts",
    )


def _day(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{field} {value!r} is not a date like 2026-11-24.") from None


@router.get("/accounts/{name}/evidence", response_class=HTMLResponse)
def readiness_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """The readiness score: what Amazon could ask today that the account could not produce."""
    # Related-account signals are compared only with accounts this user may see.
    peers = [granted.name for granted in workspace.users.accounts(access.user)]
    result = workspace.evidence.readiness(access.name, peers=peers)
    return _page(request, "readiness.html", access, "readiness", {"readiness": result})


def _invoices_context(workspace: WorkspaceDep, access: AccountAccess) -> dict[str, Any]:
    return {
        "invoices": workspace.evidence.list_invoices(access.name),
        "check": workspace.evidence.check_invoices(access.name),
    }


@router.get("/accounts/{name}/invoices", response_class=HTMLResponse)
def invoices_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """The invoice register, each invoice's checks and the unit coverage per ASIN."""
    return _page(request, "invoices.html", access, "invoices", _invoices_context(workspace, access))


@router.post("/accounts/{name}/invoices", response_class=HTMLResponse)
def invoices_upload(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    """Add PDF invoices or a register CSV; a bad file adds nothing."""
    settings = workspace.settings
    context: dict[str, Any] = {}
    status = 200
    try:
        with saved_uploads(
            files,
            directory=settings.home / "uploads",
            max_bytes=settings.max_upload_mb * MEGABYTE,
            suffixes=INVOICE_SUFFIXES,
        ) as paths:
            added = []
            for path in paths:
                added += workspace.evidence.add_invoices(access.name, path)
        context["added"] = added
    except InputError as error:
        status = 400
        context["error"] = error_text(error)
    context.update(_invoices_context(workspace, access))
    return _page(request, "invoices.html", access, "invoices", context, status_code=status)


def _documents_context(workspace: WorkspaceDep, access: AccountAccess) -> dict[str, Any]:
    return {
        "check": workspace.evidence.check_documents(access.name),
        "kinds": list(workspace.evidence.rules.document_kinds),
    }


@router.get("/accounts/{name}/documents", response_class=HTMLResponse)
def documents_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """The verification-documents checklist, expiries and consistency."""
    return _page(
        request, "documents.html", access, "documents", _documents_context(workspace, access)
    )


@router.post("/accounts/{name}/documents", response_class=HTMLResponse)
def documents_add(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    kind: Annotated[str, Form()],
    holder_name: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    issued_on: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Keep a verification document (with its scan when one is uploaded)."""
    settings = workspace.settings
    context: dict[str, Any] = {}
    status = 200
    try:
        issued, expires = _day(issued_on, "Issued on"), _day(expires_on, "Expires on")

        def add(path: Path | None) -> dict[str, Any]:
            return workspace.evidence.add_document(
                access.name,
                kind=kind,
                path=path,
                holder_name=holder_name.strip() or None,
                address=address.strip() or None,
                issued_on=issued,
                expires_on=expires,
            )

        if file is not None and file.filename:
            with saved_uploads(
                [file],
                directory=settings.home / "uploads",
                max_bytes=settings.max_upload_mb * MEGABYTE,
                suffixes=DOCUMENT_SUFFIXES,
            ) as paths:
                context["added"] = add(paths[0])
        else:
            context["added"] = add(None)
    except InputError as error:
        status = 400
        context["error"] = error_text(error)
    context.update(_documents_context(workspace, access))
    return _page(request, "documents.html", access, "documents", context, status_code=status)


@router.get("/accounts/{name}/feedback", response_class=HTMLResponse)
def feedback_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """Negative and neutral feedback triaged, with the removal window and reply drafts."""
    try:
        triage: dict[str, Any] | None = workspace.evidence.feedback_triage(access.name)
        missing = None
    except DataError as error:
        triage, missing = None, error_text(error)
    return _page(
        request, "feedback.html", access, "feedback", {"triage": triage, "missing": missing}
    )


def _security_context(workspace: WorkspaceDep, access: AccountAccess) -> dict[str, Any]:
    from goodstanding.risk.security import EVENT_KINDS

    return {
        "security": workspace.evidence.security_check(access.name),
        "kinds": [k for k in EVENT_KINDS if k != "task_done"],
    }


@router.get("/accounts/{name}/security", response_class=HTMLResponse)
def security_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """Two-step verification per user, password age, changes, review tasks."""
    return _page(request, "security.html", access, "security", _security_context(workspace, access))


@router.post("/accounts/{name}/security/log", response_class=HTMLResponse)
def security_log(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    kind: Annotated[str, Form()],
    user: Annotated[str, Form()] = "",
    actor: Annotated[str, Form()] = "",
    occurred_on: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record a security fact: who, what and when."""
    status = 200
    context: dict[str, Any] = {}
    try:
        day = _day(occurred_on, "Date")
        when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None
        workspace.evidence.security_log(
            access.name,
            kind=kind,
            user=user.strip() or None,
            actor=actor.strip() or None,
            occurred_at=when,
            note=note.strip() or None,
        )
        context["recorded"] = kind
    except InputError as error:
        status = 400
        context["error"] = error_text(error)
    context.update(_security_context(workspace, access))
    return _page(request, "security.html", access, "security", context, status_code=status)


@router.post("/accounts/{name}/security/tasks", response_class=HTMLResponse)
def security_task_done(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    task: Annotated[str, Form()],
) -> Response:
    """Record a review task as done today, by the signed-in user."""
    status = 200
    context: dict[str, Any] = {}
    try:
        workspace.evidence.task_done(access.name, task, by=access.user.name)
        context["recorded"] = task
    except InputError as error:
        status = 400
        context["error"] = error_text(error)
    context.update(_security_context(workspace, access))
    return _page(request, "security.html", access, "security", context, status_code=status)
