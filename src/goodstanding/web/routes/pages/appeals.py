"""Notice → appeal: the interview step by step, the draft beside its grade, re-grade, download.

The flow keeps no server state between steps: the notice text, the account and the answers
travel in the forms, and every step calls the same ``Workspace.appeals`` use cases as the CLI.
An account named in a form is checked against the user's grants like a path parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from goodstanding.documents import Document, Heading, Paragraph, render_document
from goodstanding.errors import GoodstandingError, InputError
from goodstanding.web.deps import CurrentUser, WorkspaceDep
from goodstanding.web.i18n import LANGUAGES, N_
from goodstanding.web.routes.pages.notices import highlight, knowledge_language
from goodstanding.web.routes.pages.settings import LLM_ENABLED
from goodstanding.web.routes.pages.templating import render, request_translator
from goodstanding.workspace import Workspace
from goodstanding.workspace.users import UserRecord

__all__ = [
    "GROUP_TITLES",
    "answers_from_form",
    "document_from_text",
    "grade_context",
    "router",
]

router = APIRouter(include_in_schema=False)

GROUP_TITLES: dict[str, str] = {
    "root_cause": N_("Root cause"),
    "immediate_actions": N_("Actions already taken"),
    "prevention": N_("Preventive measures"),
    "evidence": N_("Evidence at hand"),
}
VARIANT_NAMES: dict[str, str] = {
    "seller": N_("Seller (three parts)"),
    "vendor": N_("Vendor Central"),
    "cn-template": N_("Five-part template (Chinese guide)"),
}
_DOWNLOADS = {
    "txt": ("text/plain; charset=utf-8", "txt"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}
_HEADING_LIMIT = 80


def _checked_account(workspace: Workspace, user: UserRecord, account: str) -> str | None:
    if not account:
        return None
    # Not granted answers 404, exactly like an account that does not exist.
    return workspace.users.access(user, account).name


def answers_from_form(base: Mapping[str, Any], form: FormData) -> dict[str, Any]:
    """The answers file of the interview form: ``base`` with the ticked and typed answers.

    Fields: ``sel:<question>`` (one per ticked suggestion), ``text:<question>``,
    ``date:<question>`` and ``ph:<placeholder>``.
    """
    document = dict(base)
    questions = []
    for question in base.get("questions", []):
        qid = question["id"]
        allowed = {s["id"] for s in question.get("suggested", [])}
        selected = [str(v) for v in form.getlist(f"sel:{qid}") if str(v) in allowed]
        day = str(form.get(f"date:{qid}") or "").strip()
        questions.append(
            {
                **question,
                "selected": selected,
                "text": str(form.get(f"text:{qid}") or "").strip(),
                "date": day or None,
            }
        )
    document["questions"] = questions
    placeholders = {}
    for name, spec in (base.get("placeholders") or {}).items():
        value = str(form.get(f"ph:{name}") or "").strip()
        placeholders[name] = {**spec, "value": value or spec.get("value", "")}
    document["placeholders"] = placeholders
    return document


def document_from_text(text: str, *, title: str, lang: str) -> Document:
    """A document of the (edited) plain-text plan: short lines alone are headings."""
    blocks: list[Heading | Paragraph] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0].strip()
        if (
            len(lines) == 1
            and len(first) <= _HEADING_LIMIT
            and not first.endswith((".", "。", ";", ","))
            and not first[:1].isdigit()
        ):
            blocks.append(Heading(first, level=2))
        else:
            blocks.append(Paragraph("\n".join(lines)))
    if not blocks:
        raise InputError("The plan is empty.", hint="Write or draft the plan first.")
    return Document(title=title, language=lang, blocks=tuple(blocks))


def _interview_context(
    workspace: Workspace, notice: str, account: str | None, lang: str
) -> dict[str, Any]:
    interview = workspace.appeals.questions(notice, lang=lang)
    answers = interview.to_answers()
    steps: list[dict[str, Any]] = []
    for group in GROUP_TITLES:
        questions = [q for q in answers["questions"] if q["group"] == group]
        if questions:
            steps.append({"group": group, "title": GROUP_TITLES[group], "questions": questions})
    return {
        "interview": answers,
        "names": dict(interview.family_names),
        "steps": steps,
        "warnings": list(interview.warnings),
        "notice_text": notice,
        "account": account or "",
        "interview_lang": interview.lang,
        "variants": VARIANT_NAMES,
        "default_variant": "vendor" if interview.account_type == "vendor" else "seller",
        "llm_enabled": _llm_enabled(workspace),
    }


def _llm_enabled(workspace: Workspace) -> bool:
    # Off by default: only an admin's choice in the settings turns it on.
    return workspace.secrets.get(LLM_ENABLED) == "yes"


@router.post("/appeals/interview", response_class=HTMLResponse)
def interview_page(
    request: Request,
    user: CurrentUser,
    workspace: WorkspaceDep,
    notice: Annotated[str, Form()],
    account: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> Response:
    """The interview of the notice's families, one step per screen, suggestions to tick."""
    tr = request_translator(request)
    checked = _checked_account(workspace, user, account)
    asked = lang if lang in LANGUAGES else tr.lang
    context = _interview_context(workspace, notice, checked, knowledge_language(workspace, asked))
    return render(request, "pages/interview.html", context, section="notices")


def grade_context(document: dict[str, Any], text: str) -> dict[str, Any]:
    """The grade panel's context: the grade JSON, findings numbered, the text cut at their spans."""
    spans = []
    for index, finding in enumerate(document["findings"]):
        finding["index"] = index + 1
        span = finding.get("span")
        if span:
            spans.append((span["start"], span["end"], finding["severity"], finding["message"]))
    return {"grade": document, "graded": highlight(text, spans)}


def _grade_context(
    workspace: Workspace,
    text: str,
    notice: str,
    account: str | None,
) -> dict[str, Any]:
    report = workspace.appeals.grade(text, notice_text=notice or None, account=account)
    return grade_context(report.to_json(), text)


@router.post("/appeals/draft", response_class=HTMLResponse)
async def draft_page(request: Request, user: CurrentUser, workspace: WorkspaceDep) -> Response:
    """Draft the plan from the ticked answers, grade it, show both side by side."""
    form = await request.form()
    notice = str(form.get("notice") or "")
    account = _checked_account(workspace, user, str(form.get("account") or ""))
    interview_lang = str(form.get("interview_lang") or "en")
    out_lang = str(form.get("out_lang") or "") or None
    variant = str(form.get("variant") or "seller")
    as_of_text = str(form.get("as_of") or "")
    as_of = date.fromisoformat(as_of_text) if as_of_text else None
    interview = workspace.appeals.questions(notice, lang=interview_lang)
    answers = answers_from_form(interview.to_answers(), form)
    try:
        draft = workspace.appeals.draft(
            notice,
            answers,
            account=account,
            variant=variant,
            lang=out_lang,
            as_of=as_of,
            llm=bool(form.get("llm")) and _llm_enabled(workspace),
        )
    except GoodstandingError as error:
        again = _interview_context(workspace, notice, account, interview_lang)
        again.update({"interview": answers, "error": str(error)})
        by_id = {q["id"]: q for q in answers["questions"]}
        for step in again["steps"]:
            step["questions"] = [by_id.get(q["id"], q) for q in step["questions"]]
        return render(request, "pages/interview.html", again, status_code=400, section="notices")
    text = draft.text
    context: dict[str, Any] = {
        "text": text,
        "notice_text": notice,
        "account": account or "",
        "lang": draft.lang,
        "draft": draft.to_json(),
        **_grade_context(workspace, text, notice, account),
    }
    return render(request, "pages/draft.html", context, section="notices")


@router.post("/appeals/grade", response_class=HTMLResponse)
def regrade_page(
    request: Request,
    user: CurrentUser,
    workspace: WorkspaceDep,
    text: Annotated[str, Form()],
    notice: Annotated[str, Form()] = "",
    account: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "en",
) -> Response:
    """Grade the edited plan again (also for a plan written elsewhere: leave the notice out)."""
    checked = _checked_account(workspace, user, account)
    context: dict[str, Any] = {
        "text": text,
        "notice_text": notice,
        "account": checked or "",
        "lang": lang if lang in LANGUAGES else "en",
        "draft": None,
    }
    context.update(_grade_context(workspace, text, notice, checked))
    if request.headers.get("hx-request"):
        return render(request, "_grade.html", context)
    return render(request, "pages/draft.html", context, section="notices")


@router.get("/appeals/grade", response_class=HTMLResponse)
def grade_form(request: Request, user: CurrentUser) -> Response:
    """Grade a plan of action written elsewhere."""
    return render(
        request,
        "pages/draft.html",
        {"text": "", "notice_text": "", "account": "", "lang": "en", "draft": None},
        section="notices",
    )


@router.post("/appeals/download")
def download(
    request: Request,
    user: CurrentUser,
    text: Annotated[str, Form()],
    format: Annotated[str, Form()] = "txt",
    lang: Annotated[str, Form()] = "en",
) -> Response:
    """The plan as Seller Central plain text, Word (DOCX) or PDF."""
    tr = request_translator(request)
    if format not in _DOWNLOADS:
        raise InputError(f"Unknown format {format!r}.", hint="Use txt, docx or pdf.")
    language = lang if lang in LANGUAGES else "en"
    title = tr.gettext("Plan of action")
    if format == "txt":
        body = text.replace("\r\n", "\n").encode("utf-8")
    else:
        body = render_document(document_from_text(text, title=title, lang=language), format)
    media, suffix = _DOWNLOADS[format]
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="plan-of-action.{suffix}"'},
    )
