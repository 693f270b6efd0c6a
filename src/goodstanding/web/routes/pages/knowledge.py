"""Knowledge pages: every violation family explained, in the user's language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from goodstanding.web.deps import CurrentUser, WorkspaceDep
from goodstanding.web.i18n import N_
from goodstanding.web.routes.pages.labels import METRIC_NAMES, label
from goodstanding.web.routes.pages.notices import knowledge_language
from goodstanding.web.routes.pages.templating import render, request_translator

__all__ = ["CATEGORY_NAMES", "router"]

router = APIRouter(include_in_schema=False)

CATEGORY_NAMES: dict[str, str] = {
    "performance": N_("Performance metrics"),
    "policy": N_("Policy violations"),
    "verification": N_("Verification"),
    "general": N_("Other"),
}


@router.get("/knowledge", response_class=HTMLResponse)
def families_page(request: Request, user: CurrentUser, workspace: WorkspaceDep) -> Response:
    """Every family, grouped by category, with its summary."""
    tr = request_translator(request)
    lang = knowledge_language(workspace, tr.lang)
    groups: dict[str, list[object]] = {}
    for family in workspace.knowledge.families(lang):
        groups.setdefault(str(family.category), []).append(family)
    return render(
        request,
        "pages/knowledge.html",
        {
            "groups": [
                (label(CATEGORY_NAMES, category, tr), families)
                for category, families in groups.items()
            ],
            "fallback": lang != tr.lang,
        },
        section="knowledge",
    )


@router.get("/knowledge/{family_id}", response_class=HTMLResponse)
def family_page(
    request: Request, user: CurrentUser, workspace: WorkspaceDep, family_id: str
) -> Response:
    """One family: the policy, causes, actions, prevention, evidence, interview, do's and don'ts."""
    tr = request_translator(request)
    lang = knowledge_language(workspace, tr.lang)
    knowledge = workspace.knowledge
    family = knowledge.family(family_id, lang)
    evidence_labels = {item.id: item.label or item.text for item in family.evidence}
    return render(
        request,
        "pages/family.html",
        {
            "family": family,
            "category": label(CATEGORY_NAMES, str(family.category), tr),
            "metrics": [label(METRIC_NAMES, m, tr) for m in family.metrics],
            "evidence_labels": evidence_labels,
            "fallback": lang != tr.lang,
        },
        section="knowledge",
    )
