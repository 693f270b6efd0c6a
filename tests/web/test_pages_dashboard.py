"""The accounts list and the health dashboard pages: tiles, trends, drill-down, coverage."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from goodstanding.workspace import Workspace

from . import pages_data
from .pages_data import get_ok
from .tenants import Tenant

acme = pages_data.acme  # a fixture
demo_files = pages_data.demo_files  # a fixture


def _metrics(health: dict) -> list[tuple[str, dict]]:
    return [(b["marketplace"], m) for b in health["marketplaces"] for m in b["metrics"]]


def test_accounts_page_lists_only_granted_accounts(
    signed_in: dict[str, TestClient], acme: str
) -> None:
    html = get_ok(signed_in["alice"], "/")
    assert 'href="/accounts/alpha"' in html
    assert 'href="/accounts/acme"' in html
    assert "bravo" not in html
    bob = get_ok(signed_in["bob"], "/")
    assert 'href="/accounts/bravo"' in bob
    assert "acme" not in bob and "alpha" not in bob


def test_accounts_page_redirects_to_sign_in_when_anonymous(client: TestClient) -> None:
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code in (302, 303, 307)
    assert answer.headers["location"].startswith("/login")


def test_add_account_makes_the_user_its_owner(
    signed_in: dict[str, TestClient], workspace: Workspace
) -> None:
    client = signed_in["bob"]
    answer = client.post(
        "/accounts",
        data={"name": "bob-eu", "marketplace": "Amazon.de", "account_type": "seller"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/accounts/bob-eu/imports"
    access = workspace.users.access(workspace.users.get("bob"), "bob-eu")
    assert access.role == "owner"
    assert access.account.marketplace == "Amazon.de"


def test_add_account_with_a_taken_name_says_so(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["bob"].post("/accounts", data={"name": "alpha"})
    assert answer.status_code == 400
    assert "already exists" in answer.text


def test_dashboard_shows_one_tile_per_targeted_metric_with_the_health_figures(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    health = workspace.health(acme)
    html = get_ok(signed_in["alice"], "/accounts/acme")
    tiles = re.findall(r'class="tile (\w+)" data-status="(\w+)" data-metric="([\w.]+)"', html)
    expected = [
        (m["status"], f"{m['id']}.{m['channel']}.{m['window_days']}")
        for _, m in _metrics(health)
        if m["status"] != "info"
    ]
    assert sorted((status, key) for status, _, key in tiles) == sorted(expected)
    assert all(css == status for css, status, _ in tiles)
    # The worst come first.
    order = {"breach": 0, "at_risk": 1, "ok": 2, "no_data": 3}
    ranks = [order[status] for _, status, _ in tiles]
    assert ranks == sorted(ranks)


def test_dashboard_tile_says_how_many_orders_and_when_it_is_safe(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    health = workspace.health(acme)
    market, odr = next(
        (mk, m)
        for mk, m in _metrics(health)
        if m["id"] == "order_defect_rate" and m["status"] == "breach"
    )
    html = get_ok(signed_in["alice"], "/accounts/acme")
    tile = html.split('data-metric="order_defect_rate.mfn.60"')[1].split("</a>")[0]
    assert f"{odr['numerator']} of {odr['denominator']} orders" in tile
    assert "Breach" in tile and "target under 1%" in tile
    ok_date = odr["recovery"]["expected_ok_date"]
    if ok_date:
        from datetime import date

        days = (date.fromisoformat(ok_date) - date.fromisoformat(health["as_of"])).days
        assert f"Safe in {days} days" in tile
    assert market == "Amazon.com"


def test_dashboard_of_an_account_without_orders_invites_an_upload(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    workspace.users.add_account(workspace.users.get("bob"), "empty")
    html = get_ok(signed_in["bob"], "/accounts/empty")
    assert "Nothing to compute yet." in html
    assert 'href="/accounts/empty/imports"' in html


def test_trends_partial_embeds_one_vega_lite_spec_per_tile(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    html = get_ok(signed_in["alice"], "/accounts/acme/trends?points=3")
    specs = re.findall(r'<script type="application/json" id="trend-\d+">(.*?)</script>', html)
    targeted = [m for _, m in _metrics(workspace.health(acme)) if m["status"] != "info"]
    assert len(specs) == len(targeted)
    spec = json.loads(specs[0])
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    line = spec["layer"][0]
    values = line["data"]["values"]
    ours = [v for v in values if v["source"] == "Our figure"]
    assert [v["as_of"] for v in ours] == ["2026-11-06", "2026-11-13", "2026-11-20"]
    assert "<html" not in html  # a partial, not a page


def test_trends_include_amazons_snapshot_figures(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    history = workspace.history(acme, metric="order_defect_rate")["points"]
    assert history, "the demo has a performance report"
    html = get_ok(signed_in["alice"], "/accounts/acme/trends?points=2")
    assert "Amazon's figure" in html.replace("&#39;", "'").replace("\\u0027", "'")


def test_metric_page_lists_the_orders_behind_the_metric(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    health = workspace.health(acme)
    _, odr = next(
        (mk, m)
        for mk, m in _metrics(health)
        if mk == "Amazon.com" and m["id"] == "order_defect_rate" and m["channel"] == "mfn"
    )
    html = get_ok(
        signed_in["alice"], "/accounts/acme/metrics/order_defect_rate.mfn.60?marketplace=Amazon.com"
    )
    table = html.split('id="defects"')[1].split("</table>")[0]
    for defect in odr["defects"]:
        assert defect["order_id"] in table
    assert table.count("<tr>") == len(odr["defects"]) + 1


def test_metric_page_of_an_unknown_metric_is_404(
    signed_in: dict[str, TestClient], acme: str
) -> None:
    answer = signed_in["alice"].get("/accounts/acme/metrics/nope.mfn.60")
    assert answer.status_code == 404


def test_coverage_page_names_missing_reports_and_reconciles_with_amazon(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant], acme: str
) -> None:
    html = get_ok(signed_in["alice"], "/accounts/acme/coverage")
    assert 'data-report="orders"' in html
    assert 'id="reconciliation"' in html
    # alpha has only orders: feedback, claims and chargebacks are missing for the ODR.
    alpha = get_ok(signed_in["alice"], "/accounts/alpha/coverage")
    row = alpha.split('data-report="feedback"')[1].split("</tr>")[0]
    assert "Missing" in row and "Order defect rate" in row
    assert "Import Amazon&#39;s performance report" in alpha or "performance report" in alpha


def test_account_pages_of_another_tenant_answer_404(
    signed_in: dict[str, TestClient], acme: str
) -> None:
    for path in (
        "/accounts/acme",
        "/accounts/acme/trends",
        "/accounts/acme/metrics/order_defect_rate.mfn.60",
        "/accounts/acme/coverage",
        "/accounts/acme/imports",
        "/accounts/acme/summary",
        "/accounts/acme/review",
    ):
        answer = signed_in["bob"].get(path)
        assert answer.status_code == 404, path
        assert "acme" not in answer.text.split("<main>")[1].split("No account")[0]


def test_static_files_are_served_and_nothing_outside(client: TestClient) -> None:
    answer = client.get("/static/vendor/vega-embed.min.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404
    assert client.get("/static/app.css").status_code == 200


def test_every_page_renders_in_every_language(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    from goodstanding.web.i18n import LANGUAGES, translator

    client = signed_in["alice"]
    case_id = workspace.cases.open(acme, "Your Order Defect Rate is above our target of 1%.")
    pages = [
        "/",
        "/accounts/acme",
        "/accounts/acme/trends?points=2",
        "/accounts/acme/metrics/order_defect_rate.mfn.60?marketplace=Amazon.com",
        "/accounts/acme/coverage",
        "/accounts/acme/imports",
        "/accounts/acme/summary",
        "/accounts/acme/review",
        "/accounts/acme/cases",
        f"/accounts/acme/cases/{case_id.summary.id}",
        "/notices",
        "/appeals/grade",
        "/knowledge",
        "/knowledge/order_defect_rate",
        "/settings",
    ]
    for lang in LANGUAGES:
        client.cookies.set("lang", lang)
        for path in pages:
            answer = client.get(path)
            assert answer.status_code == 200, (lang, path)
            if "trends" not in path:
                assert f'<html lang="{lang}">' in answer.text, (lang, path)
        health = client.get("/accounts/acme").text
        assert translator(lang).gettext("Account health") in health
    client.cookies.delete("lang")
