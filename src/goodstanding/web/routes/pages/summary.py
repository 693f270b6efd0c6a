"""Monthly summary and monthly review pages, with their charts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from goodstanding.errors import InputError
from goodstanding.web.deps import GrantedAccount, WorkspaceDep
from goodstanding.web.i18n import N_
from goodstanding.web.routes.pages.charts import bar_chart
from goodstanding.web.routes.pages.dashboard import cached
from goodstanding.web.routes.pages.templating import render, request_translator

__all__ = ["GROUP_NAMES", "router"]

router = APIRouter(include_in_schema=False)

GROUP_NAMES: dict[str, str] = {
    "returns_by_asin": N_("Returns by ASIN"),
    "returns_by_reason": N_("Returns by reason"),
    "returns_by_carrier": N_("Returns by carrier"),
    "negative_feedback_by_asin": N_("Negative feedback by ASIN"),
    "negative_feedback_by_reason": N_("Negative feedback by likely cause"),
    "negative_feedback_by_carrier": N_("Negative feedback by carrier"),
}


def _sales_text(sales: dict[str, float], number: Any) -> str:
    return ", ".join(f"{number(amount, digits=2)} {currency}" for currency, amount in sales.items())


@router.get("/accounts/{name}/summary", response_class=HTMLResponse)
def summary_page(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    months: Annotated[int, Query(ge=1, le=36)] = 12,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    """Orders, sales, returns, feedback, claims and chargebacks per month and marketplace."""
    tr = request_translator(request)
    summary, problem = cached(
        workspace,
        access.name,
        f"summary:{months}:{as_of}",
        lambda: workspace.summary(access.name, months=months, as_of=as_of),
    )
    charts: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    if summary:
        rows = [
            {**row, "sales_text": _sales_text(row.get("sales") or {}, tr.number)}
            for row in summary["months"]
        ]
        market = tr.gettext("Marketplace")
        charts = [
            {
                "id": "summary-orders",
                "title": tr.gettext("Orders per month"),
                "spec": bar_chart(
                    [
                        {"month": r["month"], "value": r["orders"], "marketplace": r["marketplace"]}
                        for r in rows
                    ],
                    x="month",
                    y="value",
                    x_title=tr.gettext("Month"),
                    y_title=tr.gettext("Orders"),
                    colour="marketplace",
                    colour_title=market,
                ),
            },
            {
                "id": "summary-problems",
                "title": tr.gettext("Returns, negative feedback and claims per month"),
                "spec": bar_chart(
                    [
                        {"month": r["month"], "value": r.get(key) or 0, "kind": tr.gettext(name)}
                        for r in rows
                        for key, name in (
                            ("returns", N_("Returns")),
                            ("negative_feedback", N_("Negative feedback")),
                            ("a_to_z_claims", N_("A-to-z claims")),
                        )
                    ],
                    x="month",
                    y="value",
                    x_title=tr.gettext("Month"),
                    y_title=tr.gettext("Count"),
                    colour="kind",
                    colour_title=tr.gettext("Kind"),
                ),
            },
        ]
    return render(
        request,
        "pages/summary.html",
        {
            "access": access,
            "summary": summary,
            "rows": rows,
            "problem": problem,
            "charts": charts,
            "months": months,
            "tab": "summary",
        },
        section="accounts",
    )


@router.get("/accounts/{name}/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> Response:
    """Returns and negative feedback of one month by ASIN, reason and carrier."""
    tr = request_translator(request)
    months: list[str] = []
    summary, _problem = cached(
        workspace,
        access.name,
        "summary:12:None",
        lambda: workspace.summary(access.name, months=12),
    )
    months = sorted({row["month"] for row in (summary or {}).get("months", [])}, reverse=True)
    chosen = month or (months[1] if len(months) > 1 else (months[0] if months else None))
    review: dict[str, Any] | None = None
    problem = None
    charts: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    if chosen:
        try:
            review, problem = cached(
                workspace,
                access.name,
                f"review:{chosen}",
                lambda: workspace.review(access.name, month=chosen),
            )
        except InputError as error:
            problem = str(error)
    if review:
        for key, entries in review["groups"].items():
            title = tr.gettext(GROUP_NAMES[key]) if key in GROUP_NAMES else key
            groups.append({"key": key, "title": title, "entries": entries})
            if entries:
                charts.append(
                    {
                        "id": f"review-{key}",
                        "title": title,
                        "spec": bar_chart(
                            [{"key": e["key"], "count": e["count"]} for e in entries[:12]],
                            x="key",
                            y="count",
                            x_title="",
                            y_title=tr.gettext("Count"),
                        ),
                    }
                )
    return render(
        request,
        "pages/review.html",
        {
            "access": access,
            "review": review,
            "month": chosen,
            "months": months,
            "problem": problem,
            "groups": groups,
            "charts": charts,
            "tab": "review",
        },
        section="accounts",
    )
