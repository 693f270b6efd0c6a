"""The JSON API under ``/api/v1``: the CLI's use cases for scripts, behind bearer tokens.

Every route takes ``Authorization: Bearer <token>`` (``goodstanding users token NAME``): no or a
bad token answers 401. An account that is not granted to the token's user answers 404, exactly
like one that does not exist; a viewer changing anything gets 403. Errors are JSON documents
``{"error": {"type", "message", "hint", ...}}`` (see ``web/errors.py``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from pydantic import BaseModel, Field

from goodstanding.errors import ReportFormatError
from goodstanding.web.deps import (
    CurrentUser,
    EditorAccount,
    GrantedAccount,
    OwnerAccount,
    WorkspaceDep,
)
from goodstanding.web.security import MEGABYTE, NOTICE_SUFFIXES, REPORT_SUFFIXES, saved_uploads
from goodstanding.workspace import Workspace
from goodstanding.workspace.users import UserRecord

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])

_TEXT_LIMIT = 200_000
_NOTICE_LIMIT_MB = 20


class AccountCreate(BaseModel):
    """A new account; the caller becomes its owner."""

    name: str = Field(min_length=1, max_length=200, examples=["acme-us"])
    marketplace: str = Field(default="Amazon.com", examples=["Amazon.de"])
    type: Literal["seller", "vendor"] = "seller"


class NoticeText(BaseModel):
    """A notice's text, as pasted from Seller Central or an e-mail."""

    text: str = Field(min_length=1, max_length=_TEXT_LIMIT)
    reference_date: date | None = Field(
        default=None, description="The day deadlines count from; default the notice's date."
    )


class GradeRequest(BaseModel):
    """A plan of action to grade, optionally against its notice and account."""

    text: str = Field(min_length=1, max_length=_TEXT_LIMIT)
    notice_text: str | None = Field(default=None, max_length=_TEXT_LIMIT)
    account: str | None = Field(default=None, description="Check the plan's facts against it.")
    as_of: date | None = Field(default=None, description="The day the facts are computed for.")
    prior_findings: list[str] = Field(
        default_factory=list, description="Rule ids Amazon gave for rejecting an earlier version."
    )
    submission_language: str | None = None


class QuestionsRequest(BaseModel):
    """The notice whose interview questions are wanted."""

    notice_text: str = Field(min_length=1, max_length=_TEXT_LIMIT)
    lang: str | None = Field(default=None, description="en, zh, fr, it, de, es or ja.")
    account_type: Literal["seller", "vendor"] | None = None


class DraftRequest(BaseModel):
    """The notice and the interview answers to draft a plan of action from."""

    notice_text: str = Field(min_length=1, max_length=_TEXT_LIMIT)
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="The answers file as JSON (what /appeals/questions returns, filled in).",
    )
    account: str | None = None
    variant: str = Field(default="seller", description="seller, vendor or cn-template.")
    lang: str | None = None
    as_of: date | None = None


def _json(value: Any) -> Any:
    to_json = getattr(value, "to_json", None)
    return to_json() if callable(to_json) else value


def _checked_account(workspace: Workspace, user: UserRecord, account: str | None) -> str | None:
    # An account named in a body is checked like one in the path: not granted is not found.
    if account is None:
        return None
    return workspace.users.access(user, account).name


# Accounts


@router.get("/accounts", summary="The accounts granted to you")
def list_accounts(user: CurrentUser, workspace: WorkspaceDep) -> list[dict[str, Any]]:
    """Every account granted to the token's user, with the user's role on it."""
    return [access.to_json() for access in workspace.users.accounts(user)]


@router.post("/accounts", status_code=201, summary="Create an account")
def create_account(
    body: AccountCreate, user: CurrentUser, workspace: WorkspaceDep
) -> dict[str, Any]:
    """Create an account; the token's user becomes its owner."""
    access = workspace.users.add_account(
        user, body.name, marketplace=body.marketplace, account_type=body.type
    )
    return access.to_json()


@router.get("/accounts/{name}", summary="One account")
def get_account(access: GrantedAccount, workspace: WorkspaceDep) -> dict[str, Any]:
    """The account, your role on it, and how many files were imported into it."""
    imports = workspace.imports(access.name)
    return {**access.to_json(), "imports": len(imports)}


@router.delete("/accounts/{name}", summary="Delete an account (owner)")
def delete_account(access: OwnerAccount, workspace: WorkspaceDep) -> dict[str, Any]:
    """Delete the account and everything imported into it."""
    removed = workspace.remove_account(access.name)
    return {"removed": removed.name}


@router.get("/accounts/{name}/health", summary="Account health (metric-conventions §6)")
def account_health(
    access: GrantedAccount,
    workspace: WorkspaceDep,
    as_of: Annotated[
        date | None, Query(description="The date D; default the latest order.")
    ] = None,
    marketplace: Annotated[str | None, Query(description="Only this marketplace.")] = None,
) -> dict[str, Any]:
    """The health JSON of ``goodstanding health --format json``."""
    return workspace.health(access.name, as_of=as_of, marketplace=marketplace)


@router.get("/accounts/{name}/summary", summary="Monthly summary")
def account_summary(
    access: GrantedAccount,
    workspace: WorkspaceDep,
    months: Annotated[int, Query(ge=1, le=60)] = 12,
    as_of: date | None = None,
) -> dict[str, Any]:
    """The monthly summary of ``goodstanding summary --format json``."""
    return workspace.summary(access.name, months=months, as_of=as_of)


@router.get("/accounts/{name}/review", summary="Monthly review")
def account_review(
    access: GrantedAccount,
    workspace: WorkspaceDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2026-10"])],
) -> dict[str, Any]:
    """The monthly review of ``goodstanding review --format json``."""
    return workspace.review(access.name, month=month)


@router.get("/accounts/{name}/history", summary="Amazon's own figures over time")
def account_history(
    access: GrantedAccount,
    workspace: WorkspaceDep,
    metric: Annotated[str | None, Query(description="Only this metric.")] = None,
) -> dict[str, Any]:
    """One point per imported performance snapshot, marketplace and metric."""
    return workspace.history(access.name, metric=metric)


@router.get("/accounts/{name}/readiness", summary="Readiness for Amazon's requests")
def account_readiness(
    access: GrantedAccount, workspace: WorkspaceDep, as_of: date | None = None
) -> dict[str, Any]:
    """What Amazon could ask for today that the account could not produce, with the fixes."""
    # Related-account signals are compared only with accounts this user may see.
    peers = [granted.name for granted in workspace.users.accounts(access.user)]
    return workspace.evidence.readiness(access.name, as_of=as_of, peers=peers)


@router.get("/accounts/{name}/invoices", summary="The invoice register")
def account_invoices(access: GrantedAccount, workspace: WorkspaceDep) -> list[dict[str, Any]]:
    """Every invoice on file, with its lines (``goodstanding invoices list --format json``)."""
    return workspace.evidence.list_invoices(access.name)


@router.get("/accounts/{name}/invoices/check", summary="Invoices against Amazon's rules")
def account_invoices_check(
    access: GrantedAccount, workspace: WorkspaceDep, as_of: date | None = None
) -> dict[str, Any]:
    """Rule findings and units invoiced vs sold per ASIN (``goodstanding invoices check``)."""
    return workspace.evidence.check_invoices(access.name, as_of=as_of)


@router.get("/accounts/{name}/documents/check", summary="Verification documents")
def account_documents_check(
    access: GrantedAccount, workspace: WorkspaceDep, as_of: date | None = None
) -> dict[str, Any]:
    """The verification checklist: what is on file, expiry, name and address consistency."""
    return workspace.evidence.check_documents(access.name, as_of=as_of)


@router.get("/accounts/{name}/feedback/triage", summary="Negative and neutral feedback triage")
def account_feedback_triage(
    access: GrantedAccount, workspace: WorkspaceDep, as_of: date | None = None
) -> dict[str, Any]:
    """Each feedback sorted (removable, delivery, real failure), days left, reply drafts."""
    return workspace.evidence.feedback_triage(access.name, as_of=as_of)


@router.get("/accounts/{name}/claims/check", summary="Claims and chargebacks deadlines")
def account_claims_check(
    access: GrantedAccount, workspace: WorkspaceDep, as_of: date | None = None
) -> dict[str, Any]:
    """Claims answered within Amazon's deadlines and returns hiding complaints."""
    return workspace.evidence.claims_check(access.name, as_of=as_of)


@router.get("/accounts/{name}/imports", summary="Imported files")
def list_imports(access: GrantedAccount, workspace: WorkspaceDep) -> list[dict[str, Any]]:
    """Every file imported into the account, oldest first."""
    return [record.to_json() for record in workspace.imports(access.name)]


@router.post("/accounts/{name}/imports", summary="Import report files (editor)")
def create_import(
    access: EditorAccount,
    workspace: WorkspaceDep,
    files: Annotated[list[UploadFile], File(description="Report files, all or nothing.")],
    report_type: Annotated[str | None, Form(description="Force this report type.")] = None,
    date_format: Annotated[str | None, Form(description="e.g. DD/MM/YYYY.")] = None,
) -> dict[str, Any]:
    """Import the files into the account in one transaction, like ``goodstanding ingest``.

    A malformed file answers 422 with its ``file``, ``line`` and ``column``, and nothing of the
    import is kept.
    """
    settings = workspace.settings
    with saved_uploads(
        files,
        directory=settings.home / "uploads",
        max_bytes=settings.max_upload_mb * MEGABYTE,
        suffixes=REPORT_SUFFIXES,
    ) as paths:
        try:
            result = workspace.ingest(
                paths,
                account=access.name,
                report_type=report_type or None,
                date_format=date_format or None,
            )
        except ReportFormatError as error:
            # Name the file as uploaded, not the temporary copy.
            raise ReportFormatError(
                Path(error.path).name,
                error.problem,
                line=error.line,
                column=error.column,
                value=error.value,
                hint=error.hint,
            ) from None
    document = result.to_json()
    for entry in document["files"]:
        entry["path"] = Path(entry["path"]).name
    return document


# Notices and appeals


@router.post("/notices/classify", summary="Read a notice")
def classify_notice(body: NoticeText, user: CurrentUser, workspace: WorkspaceDep) -> Any:
    """The families, evidence, deadline and asks of a notice (``goodstanding notice``)."""
    return _json(workspace.read_notice(body.text, reference_date=body.reference_date))


@router.post("/notices/classify-file", summary="Read a notice file (text, e-mail, PDF)")
def classify_notice_file(
    user: CurrentUser,
    workspace: WorkspaceDep,
    file: Annotated[UploadFile, File(description="A .txt, .eml, .html or .pdf notice.")],
    reference_date: Annotated[date | None, Form()] = None,
) -> Any:
    """Like ``/notices/classify``, for a notice saved as a file."""
    settings = workspace.settings
    with saved_uploads(
        [file],
        directory=settings.home / "uploads",
        max_bytes=_NOTICE_LIMIT_MB * MEGABYTE,
        suffixes=NOTICE_SUFFIXES,
    ) as paths:
        return _json(workspace.read_notice(paths[0], reference_date=reference_date))


@router.post("/appeals/grade", summary="Grade a plan of action")
def grade_appeal(body: GradeRequest, user: CurrentUser, workspace: WorkspaceDep) -> Any:
    """The score, verdict and findings of a plan of action (``goodstanding grade``)."""
    account = _checked_account(workspace, user, body.account)
    report = workspace.appeals.grade(
        body.text,
        notice_text=body.notice_text,
        account=account,
        as_of=body.as_of,
        prior_findings=body.prior_findings,
        submission_language=body.submission_language,
    )
    return report.to_json()


@router.post("/appeals/questions", summary="Interview questions for a notice")
def appeal_questions(body: QuestionsRequest, user: CurrentUser, workspace: WorkspaceDep) -> Any:
    """The questions to answer before drafting, in the requested language."""
    interview = workspace.appeals.questions(
        body.notice_text, lang=body.lang, account_type=body.account_type
    )
    return interview.to_json()


@router.post("/appeals/draft", summary="Draft a plan of action")
def appeal_draft(body: DraftRequest, user: CurrentUser, workspace: WorkspaceDep) -> Any:
    """A plan of action drafted from the notice and the answers."""
    account = _checked_account(workspace, user, body.account)
    draft = workspace.appeals.draft(
        body.notice_text,
        body.answers,
        account=account,
        variant=body.variant,
        lang=body.lang,
        as_of=body.as_of,
    )
    return draft.to_json()


# Appeal cases of an account


class CaseOpen(BaseModel):
    """A case for a notice of the account."""

    notice_text: str = Field(min_length=1, max_length=_TEXT_LIMIT)
    title: str | None = Field(default=None, max_length=200)


class CaseText(BaseModel):
    """A Plan of Action version (to grade or to record as submitted)."""

    text: str = Field(min_length=1, max_length=_TEXT_LIMIT)


class CaseReply(BaseModel):
    """Amazon's reply to the last submitted version."""

    text: str = Field(min_length=1, max_length=_TEXT_LIMIT)
    received_on: date | None = None


class CaseClose(BaseModel):
    """How the case ended."""

    outcome: Literal["reinstated", "rejected", "withdrawn", "other"]


@router.get("/accounts/{name}/cases", summary="The account's appeal cases")
def list_cases(access: GrantedAccount, workspace: WorkspaceDep) -> list[dict[str, Any]]:
    """The account's cases, newest first."""
    return [case.to_json() for case in workspace.cases.list(access.name)]


@router.post("/accounts/{name}/cases", status_code=201, summary="Open a case (editor)")
def open_case(body: CaseOpen, access: EditorAccount, workspace: WorkspaceDep) -> dict[str, Any]:
    """Open a case for a notice of the account."""
    return workspace.cases.open(access.name, body.notice_text, title=body.title).to_json()


@router.get("/accounts/{name}/cases/{case_id}", summary="One case with its timeline")
def show_case(
    access: GrantedAccount,
    workspace: WorkspaceDep,
    case_id: int,
    lang: Annotated[str | None, Query(description="Language of the guidance.")] = None,
) -> dict[str, Any]:
    """The case with its versions, replies and what to fix next."""
    return workspace.cases.show(access.name, case_id, lang=lang).to_json()


@router.post("/accounts/{name}/cases/{case_id}/grade", summary="Grade the next version")
def grade_case_version(
    body: CaseText, access: GrantedAccount, workspace: WorkspaceDep, case_id: int
) -> dict[str, Any]:
    """Grade a new version against the notice, the account's data and past rejections."""
    return workspace.cases.grade_next(access.name, case_id, body.text).to_json()


@router.post("/accounts/{name}/cases/{case_id}/versions", summary="Record a submitted version")
def submit_case_version(
    body: CaseText, access: EditorAccount, workspace: WorkspaceDep, case_id: int
) -> dict[str, Any]:
    """Record a version as submitted to Amazon (never changed afterwards), with its grade."""
    return _json(workspace.cases.submit(access.name, case_id, body.text))  # type: ignore[no-any-return]


@router.post("/accounts/{name}/cases/{case_id}/replies", summary="Record Amazon's reply")
def add_case_reply(
    body: CaseReply, access: EditorAccount, workspace: WorkspaceDep, case_id: int
) -> dict[str, Any]:
    """Record Amazon's reply; a rejection's reasons become findings for the next version."""
    reply = workspace.cases.reply(access.name, case_id, body.text, received_on=body.received_on)
    return _json(reply)  # type: ignore[no-any-return]


@router.post("/accounts/{name}/cases/{case_id}/close", summary="Close a case")
def close_case(
    body: CaseClose, access: EditorAccount, workspace: WorkspaceDep, case_id: int
) -> dict[str, Any]:
    """Close the case with its outcome."""
    return workspace.cases.close(access.name, case_id, outcome=body.outcome).to_json()
