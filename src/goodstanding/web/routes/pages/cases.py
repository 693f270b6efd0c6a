"""Appeal cases of an account: the list, and each case's timeline (versions, replies)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goodstanding.errors import GoodstandingError
from goodstanding.web.deps import EditorAccount, GrantedAccount, WorkspaceDep
from goodstanding.web.i18n import N_
from goodstanding.web.routes.pages.appeals import grade_context
from goodstanding.web.routes.pages.notices import family_names
from goodstanding.web.routes.pages.templating import render, request_translator
from goodstanding.workspace import Workspace
from goodstanding.workspace.users import AccountAccess

__all__ = ["OUTCOME_NAMES", "router", "timeline"]

router = APIRouter(include_in_schema=False)

OUTCOME_NAMES: dict[str, str] = {
    "reinstated": N_("Reinstated"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "other": N_("Other outcome"),
}


def timeline(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's events, oldest first: opened, each submitted version, each reply, closed."""
    events: list[dict[str, Any]] = [{"kind": "opened", "when": case["opened_at"]}]
    events += [
        {"kind": "version", "when": v["submitted_at"], "version": v} for v in case["versions"]
    ]
    events += [{"kind": "reply", "when": r["received_on"], "reply": r} for r in case["replies"]]
    if case.get("closed_at"):
        events.append({"kind": "closed", "when": case["closed_at"], "outcome": case["outcome"]})
    events.sort(key=lambda e: str(e["when"])[:10])
    return events


def _case_page(
    request: Request,
    workspace: Workspace,
    access: AccountAccess,
    case_id: int,
    *,
    draft_text: str = "",
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    tr = request_translator(request)
    view = workspace.cases.show(access.name, case_id, lang=None)
    case = view.to_json()
    context: dict[str, Any] = {
        "access": access,
        "case": case,
        "events": timeline(case),
        "names": family_names(workspace, tr.lang),
        "outcomes": OUTCOME_NAMES,
        "draft_text": draft_text,
        "tab": "cases",
    }
    context.update(extra or {})
    return render(request, "pages/case.html", context, status_code=status_code, section="accounts")


@router.get("/accounts/{name}/cases", response_class=HTMLResponse)
def cases_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """The account's appeal cases, newest first, and a form to open one."""
    tr = request_translator(request)
    return render(
        request,
        "pages/cases.html",
        {
            "access": access,
            "cases": [c.to_json() for c in workspace.cases.list(access.name)],
            "names": family_names(workspace, tr.lang),
            "tab": "cases",
        },
        section="accounts",
    )


@router.post("/accounts/{name}/cases", response_class=HTMLResponse)
def open_case(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    notice: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    """Open a case for a notice (from the cases page, or from a draft, which it keeps)."""
    try:
        view = workspace.cases.open(access.name, notice, title=title.strip() or None)
    except GoodstandingError as error:
        tr = request_translator(request)
        return render(
            request,
            "pages/cases.html",
            {
                "access": access,
                "cases": [c.to_json() for c in workspace.cases.list(access.name)],
                "names": family_names(workspace, tr.lang),
                "error": str(error),
                "notice_text": notice,
                "tab": "cases",
            },
            status_code=400,
            section="accounts",
        )
    if text.strip():
        return _case_page(request, workspace, access, view.summary.id, draft_text=text)
    return RedirectResponse(f"/accounts/{access.name}/cases/{view.summary.id}", status_code=303)


@router.get("/accounts/{name}/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, access: GrantedAccount, workspace: WorkspaceDep, case_id: int
) -> Response:
    """One case: its timeline, what the next version must fix, the rules of conduct."""
    return _case_page(request, workspace, access, case_id)


@router.post("/accounts/{name}/cases/{case_id}/grade", response_class=HTMLResponse)
def grade_version(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    case_id: int,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Grade the next version against the notice, the account's data and past rejections."""
    # The case is looked up within the account first: another tenant's id answers 404.
    workspace.cases.show(access.name, case_id)
    report = workspace.cases.grade_next(access.name, case_id, text)
    extra = grade_context(report.to_json(), text)
    return _case_page(request, workspace, access, case_id, draft_text=text, extra=extra)


@router.post("/accounts/{name}/cases/{case_id}/submit", response_class=HTMLResponse)
def submit_version(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    case_id: int,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Record a version as sent to Amazon (it can never change afterwards)."""
    workspace.cases.show(access.name, case_id)
    try:
        workspace.cases.submit(access.name, case_id, text)
    except GoodstandingError as error:
        return _case_page(
            request,
            workspace,
            access,
            case_id,
            draft_text=text,
            extra={"error": str(error)},
            status_code=400,
        )
    return RedirectResponse(f"/accounts/{access.name}/cases/{case_id}", status_code=303)


@router.post("/accounts/{name}/cases/{case_id}/reply", response_class=HTMLResponse)
def record_reply(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    case_id: int,
    text: Annotated[str, Form()] = "",
    received_on: Annotated[str, Form()] = "",
) -> Response:
    """Record Amazon's reply; a rejection's reasons become findings for the next version."""
    workspace.cases.show(access.name, case_id)
    try:
        day = date.fromisoformat(received_on) if received_on else None
        workspace.cases.reply(access.name, case_id, text, received_on=day)
    except (GoodstandingError, ValueError) as error:
        return _case_page(
            request, workspace, access, case_id, extra={"error": str(error)}, status_code=400
        )
    return RedirectResponse(f"/accounts/{access.name}/cases/{case_id}", status_code=303)


@router.post("/accounts/{name}/cases/{case_id}/close", response_class=HTMLResponse)
def close_case(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    case_id: int,
    outcome: Annotated[str, Form()] = "",
) -> Response:
    """Close the case with its outcome."""
    workspace.cases.show(access.name, case_id)
    workspace.cases.close(access.name, case_id, outcome=outcome)
    return RedirectResponse(f"/accounts/{access.name}/cases/{case_id}", status_code=303)
