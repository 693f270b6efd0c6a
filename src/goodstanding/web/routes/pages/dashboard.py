"""Accounts list and the health dashboard: tiles, trends, drill-down, coverage, reconciliation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goodstanding.errors import DataError, GoodstandingError, NotFoundError
from goodstanding.web.deps import CurrentUser, GrantedAccount, WorkspaceDep
from goodstanding.web.i18n import Translator
from goodstanding.web.routes.pages.charts import trend_chart
from goodstanding.web.routes.pages.health_view import (
    TrendCache,
    find_metric,
    metric_tiles,
    trend_dates,
    trend_points,
)
from goodstanding.web.routes.pages.labels import METRIC_NAMES, REPORT_NAMES, STATUS_NAMES, label
from goodstanding.web.routes.pages.templating import render, request_translator
from goodstanding.workspace import Workspace

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_trends = TrendCache()
_results = TrendCache(size=64)
_DEFECTS_SHOWN = 500


def data_version(workspace: Workspace, account: str) -> int:
    """The account's data version: the id of its latest import (0 when none)."""
    imports = workspace.imports(account)
    return max((record.id for record in imports), default=0)


def _cache_key(workspace: Workspace, account: str) -> str:
    # Several apps may share the process (tests): the home tells their data apart.
    return f"{workspace.settings.home}\0{account}"


def cached(
    workspace: Workspace, account: str, what: str, compute: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any] | None, str | None]:
    """``compute()`` cached per account, ``what`` and data version; or ``(None, why)``.

    A ``DataError`` (nothing to compute yet) is answered as ``None`` with its message.
    """
    version = data_version(workspace, account)
    key = f"{_cache_key(workspace, account)}\0{what}"
    problem: list[str] = []

    def run() -> dict[str, Any]:
        try:
            return compute()
        except DataError as error:
            problem.append(str(error))
            raise

    found = _results.get(key, version, date.min, run)
    if found is None and not problem:
        try:
            compute()
        except DataError as error:
            problem.append(str(error))
    return found, (problem[0] if problem else None)


def _health(
    workspace: Workspace, account: str, as_of: date | None
) -> tuple[dict[str, Any] | None, str | None]:
    return cached(
        workspace, account, f"health:{as_of}", lambda: workspace.health(account, as_of=as_of)
    )


@router.get("/", response_class=HTMLResponse)
def accounts_page(request: Request, user: CurrentUser, workspace: WorkspaceDep) -> Response:
    """The accounts the user may see, with their role and latest import."""
    rows = []
    for access in workspace.users.accounts(user):
        imports = workspace.imports(access.name)
        rows.append(
            {
                "access": access,
                "files": len(imports),
                "last_import": max((r.imported_at for r in imports), default=None),
            }
        )
    return render(request, "pages/accounts.html", {"rows": rows}, section="accounts")


@router.post("/accounts", response_class=HTMLResponse)
def add_account(
    request: Request,
    user: CurrentUser,
    workspace: WorkspaceDep,
    name: Annotated[str, Form()],
    marketplace: Annotated[str, Form()] = "Amazon.com",
    account_type: Annotated[str, Form()] = "seller",
) -> Response:
    """Create an account owned by the user, then open its upload page."""
    try:
        access = workspace.users.add_account(
            user, name, marketplace=marketplace, account_type=account_type
        )
    except GoodstandingError as error:
        rows = [
            {"access": a, "files": len(workspace.imports(a.name)), "last_import": None}
            for a in workspace.users.accounts(user)
        ]
        return render(
            request,
            "pages/accounts.html",
            {"rows": rows, "error": str(error), "form": {"name": name}},
            status_code=400,
            section="accounts",
        )
    return RedirectResponse(f"/accounts/{access.name}/imports", status_code=303)


@router.get("/accounts/{name}", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    """The health dashboard: one tile per metric and marketplace, worst first."""
    tr = request_translator(request)
    health, problem = _health(workspace, access.name, as_of)
    every = metric_tiles(health, tr) if health else []
    tiles = [tile for tile in every if tile.status != "info"]
    components = [tile for tile in every if tile.status == "info"]
    counts = {
        status: sum(1 for tile in tiles if tile.status == status)
        for status in ("breach", "at_risk", "ok", "no_data")
    }
    return render(
        request,
        "pages/dashboard.html",
        {
            "access": access,
            "health": health,
            "problem": problem,
            "tiles": tiles,
            "components": components,
            "counts": counts,
            "coverage": [
                {**entry, "metric_name": label(METRIC_NAMES, str(entry["metric"]), tr)}
                for entry in (health or {}).get("coverage", [])
            ],
            "as_of": as_of,
            "tab": "health",
            "status_names": STATUS_NAMES,
        },
        section="accounts",
    )


def _trend_charts(
    workspace: Workspace, account: str, as_of: date | None, points: int, tr: Translator
) -> list[dict[str, Any]]:
    version = data_version(workspace, account)
    latest, _problem = _health(workspace, account, as_of)
    charts: list[dict[str, Any]] = []
    if latest is None:
        return charts
    end = date.fromisoformat(str(latest["as_of"]))
    healths = []
    for day in trend_dates(end, points=points):

        def compute(day: date = day) -> dict[str, Any]:
            return workspace.health(account, as_of=day)

        found = _trends.get(_cache_key(workspace, account), version, day, compute)
        if found is not None:
            healths.append(found)
    series = trend_points(healths, workspace.history(account))
    shown = [tile for tile in metric_tiles(latest, tr) if tile.status != "info"]
    for index, tile in enumerate(shown):
        data = series.get((tile.marketplace, tile.key), [])
        charts.append(
            {
                "tile": tile,
                "chart_id": f"trend-{index}",
                "spec": trend_chart(data, target=tile.target_value, tr=tr),
            }
        )
    return charts


@router.get("/accounts/{name}/trends", response_class=HTMLResponse)
def trends_partial(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    as_of: Annotated[date | None, Query()] = None,
    points: Annotated[int, Query(ge=2, le=26)] = 8,
) -> Response:
    """The trend charts (HTMX partial): our weekly recomputes beside Amazon's snapshots."""
    tr = request_translator(request)

    def build() -> dict[str, Any]:
        return {"charts": _trend_charts(workspace, access.name, as_of, points, tr)}

    found, _problem = cached(workspace, access.name, f"trends:{as_of}:{points}:{tr.lang}", build)
    charts = (found or {}).get("charts", [])
    return render(request, "_trends.html", {"charts": charts, "access": access})


@router.get("/accounts/{name}/metrics/{key}", response_class=HTMLResponse)
def metric_page(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    key: str,
    marketplace: Annotated[str | None, Query()] = None,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    """Drill-down: the orders (or shipments, messages) behind one metric, and its recovery."""
    tr = request_translator(request)
    health, problem = _health(workspace, access.name, as_of)
    found = find_metric(health, key, marketplace) if health else None
    if found is None:
        raise NotFoundError("metric", key, hint=problem)
    market, metric = found
    tile = next(
        t for t in metric_tiles(health or {}, tr) if t.key == key and t.marketplace == market
    )
    defects = metric.get("defects") or []
    ageing = {
        str(entry.get("order_id")): entry.get("date") or entry.get("ages_out")
        for entry in (metric.get("recovery") or {}).get("defects_ageing_out") or []
        if isinstance(entry, dict)
    }
    return render(
        request,
        "pages/metric.html",
        {
            "access": access,
            "health": health,
            "tile": tile,
            "metric": metric,
            "marketplace": market,
            "defects": defects[:_DEFECTS_SHOWN],
            "defects_total": len(defects),
            "ageing": ageing,
            "tab": "health",
        },
        section="accounts",
    )


@router.get("/accounts/{name}/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request,
    access: GrantedAccount,
    workspace: WorkspaceDep,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    """Which report files are imported or missing, and our figures beside Amazon's."""
    tr = request_translator(request)
    health, problem = _health(workspace, access.name, as_of)
    imports = workspace.imports(access.name)
    present = {record.report_type for record in imports}
    missing: dict[str, list[str]] = {}
    for entry in (health or {}).get("coverage", []):
        missing.setdefault(str(entry["needs"]), []).append(
            label(METRIC_NAMES, str(entry["metric"]), tr)
        )
    reports = [
        {
            "type": report_type,
            "name": label(REPORT_NAMES, report_type, tr),
            "imported": report_type in present,
            "needed_for": sorted(set(missing.get(report_type, []))),
        }
        for report_type in REPORT_NAMES
    ]
    reconciliation = [
        {
            **row,
            "name": label(METRIC_NAMES, str(row.get("id")), tr),
        }
        for row in (health or {}).get("amazon_reported", [])
    ]
    return render(
        request,
        "pages/coverage.html",
        {
            "access": access,
            "health": health,
            "problem": problem,
            "reports": reports,
            "imports": imports,
            "reconciliation": reconciliation,
            "snapshots": workspace.snapshots(access.name),
            "tab": "coverage",
        },
        section="accounts",
    )
