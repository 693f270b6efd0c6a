"""Notice reading: paste or upload a notice, see its families with the highlighted evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from goodstanding.errors import GoodstandingError, InputError
from goodstanding.web.deps import CurrentUser, WorkspaceDep
from goodstanding.web.routes.pages.templating import render, request_translator
from goodstanding.web.security import MEGABYTE, NOTICE_SUFFIXES, saved_uploads
from goodstanding.workspace import Workspace

__all__ = ["Segment", "family_names", "highlight", "knowledge_language", "router"]

router = APIRouter(include_in_schema=False)
_NOTICE_LIMIT_MB = 10


@dataclass(frozen=True)
class Segment:
    """A piece of a text; ``mark`` names what it is evidence of (``None``: plain text)."""

    text: str
    mark: str | None = None
    title: str | None = None


def highlight(text: str, spans: Iterable[tuple[int, int, str, str | None]]) -> list[Segment]:
    """Cut ``text`` into plain and marked segments; overlapping spans keep the earliest one.

    Args:
        text: the whole text.
        spans: ``(start, end, mark, title)`` character offsets into ``text``.
    """
    chosen: list[tuple[int, int, str, str | None]] = []
    for start, end, mark, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < 0 or end > len(text) or start >= end:
            continue
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, mark, title))
    segments: list[Segment] = []
    position = 0
    for start, end, mark, title in chosen:
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], mark, title))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def knowledge_language(workspace: Workspace, lang: str) -> str:
    """``lang`` when the knowledge base has its texts installed, else English."""
    installed: Sequence[str] = getattr(workspace.knowledge, "languages", ("en",))
    return lang if lang in installed else "en"


def family_names(workspace: Workspace, lang: str) -> dict[str, str]:
    """Family id → name in the UI language (English when its texts are not installed)."""
    knowledge = workspace.knowledge
    return {f.id: f.name for f in knowledge.families(knowledge_language(workspace, lang))}


def reading_context(workspace: Workspace, text: str, lang: str) -> dict[str, Any]:
    """What the notice page shows for ``text``: the reading, names, highlighted segments."""
    reading = workspace.read_notice(text)
    names = family_names(workspace, lang)
    spans: list[tuple[int, int, str, str | None]] = []
    for finding in reading.families:
        name = names.get(finding.id, finding.id)
        spans.append((finding.evidence.start, finding.evidence.end, finding.id, name))
        for match in finding.matches:
            spans.append((match.start, match.end, finding.id, name))
    if reading.final_evidence is not None:
        spans.append((reading.final_evidence.start, reading.final_evidence.end, "final", None))
    return {
        "reading": reading,
        "document": reading.to_json(),
        "names": names,
        "segments": highlight(text, spans),
        "notice_text": text,
    }


@router.get("/notices", response_class=HTMLResponse)
def notice_form(request: Request, user: CurrentUser, workspace: WorkspaceDep) -> Response:
    """Paste or upload a suspension notice."""
    return render(
        request,
        "pages/notice.html",
        {"accounts": workspace.users.accounts(user), "suffixes": sorted(NOTICE_SUFFIXES)},
        section="notices",
    )


@router.post("/notices", response_class=HTMLResponse)
def read_notice(
    request: Request,
    user: CurrentUser,
    workspace: WorkspaceDep,
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Read the notice: its families, the evidence spans, the deadline, what Amazon asks for."""
    tr = request_translator(request)
    context: dict[str, Any] = {
        "accounts": workspace.users.accounts(user),
        "suffixes": sorted(NOTICE_SUFFIXES),
    }
    try:
        if file is not None and file.filename:
            with saved_uploads(
                [file],
                directory=workspace.settings.home / "uploads",
                max_bytes=_NOTICE_LIMIT_MB * MEGABYTE,
                suffixes=NOTICE_SUFFIXES,
            ) as paths:
                from goodstanding.appeal import read_notice_text

                text = read_notice_text(paths[0])
        if not text.strip():
            raise InputError(
                tr.gettext("The notice is empty."),
                hint=tr.gettext("Paste or upload the whole notice."),
            )
        context.update(reading_context(workspace, text, tr.lang))
    except GoodstandingError as error:
        context.update({"error": str(error), "notice_text": text})
        return render(request, "pages/notice.html", context, status_code=400, section="notices")
    return render(request, "pages/notice.html", context, section="notices")
