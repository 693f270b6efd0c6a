"""Monthly summary and review pages."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from goodstanding.workspace import Workspace

from . import pages_data
from .pages_data import get_ok

acme = pages_data.acme  # a fixture
demo_files = pages_data.demo_files  # a fixture


def test_summary_page_has_a_row_per_month_and_marketplace_and_two_charts(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    summary = workspace.summary(acme, months=12)
    html = get_ok(signed_in["alice"], "/accounts/acme/summary")
    body = html.split('id="summary"')[1].split("</table>")[0]
    assert body.count("<tr>") == len(summary["months"]) + 1
    latest = summary["months"][-1]
    assert f"<td>{latest['month']}</td><td>{latest['marketplace']}</td>" in body
    specs = re.findall(r'<script type="application/json" id="summary-\w+">(.*?)</script>', html)
    assert len(specs) == 2
    orders = json.loads(specs[0])["data"]["values"]
    assert sum(v["value"] for v in orders) == sum(r["orders"] for r in summary["months"])


def test_review_page_defaults_to_the_last_full_month(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    html = get_ok(signed_in["alice"], "/accounts/acme/review")
    # The demo's as-of date is 2026-11-20: the last full month is October.
    assert "<option selected>2026-10</option>" in html
    review = workspace.review(acme, month="2026-10")
    totals = html.split('id="review-totals"')[1].split("</p>")[0]
    assert f"<strong>{review['totals']['returns']}</strong>" in totals


def test_review_page_of_a_chosen_month_shows_its_groups(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    review = workspace.review(acme, month="2026-09")
    html = get_ok(signed_in["alice"], "/accounts/acme/review?month=2026-09")
    for group in review["groups"]["returns_by_reason"]:
        assert f"<td>{group['key']}</td>" in html
    assert signed_in["alice"].get("/accounts/acme/review?month=09-2026").status_code == 422


def test_summary_of_an_account_without_orders_says_why(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict
) -> None:
    workspace.users.add_account(workspace.users.get("bob"), "empty")
    html = get_ok(signed_in["bob"], "/accounts/empty/summary")
    assert 'class="flash warn"' in html
    assert 'id="summary"' not in html
