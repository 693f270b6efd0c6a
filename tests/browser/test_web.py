"""The web app in a real browser: sign in, upload, dashboard, notice → appeal → DOCX, isolation.

Set ``GOODSTANDING_SCREENSHOTS=1`` to write the screenshots of the main pages into
``docs/screenshots/`` (the README shows them); otherwise they go to the test's temporary home.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import PASSWORD, Server

pytestmark = pytest.mark.browser

# Written for these tests: an ODR deactivation notice with a deadline.
NOTICE = (
    "Dear Seller,\n\n"
    "Your selling privileges have been deactivated because your Order Defect Rate is above "
    "our target of 1%. Your account also shows a high late shipment rate.\n\n"
    "How do I reactivate my account? Send us a plan of action within 17 days explaining the "
    "root causes, the actions you have taken and the measures you will take.\n"
)
TIMEOUT = 30_000


def _sign_in(page: Any, server: Server, name: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{server.url}/")


def _shot(page: Any, server: Server, name: str) -> None:
    page.screenshot(path=str(server.screenshots / f"{name}.png"), full_page=False)


def _ensure_acme(server: Server) -> None:
    workspace: Any = server.workspace
    if "acme" not in {a.name for a in workspace.list_accounts()}:
        workspace.ingest(server.demo_files, account="acme")
        workspace.users.grant("alice", "acme", "owner")


@pytest.fixture(scope="module")
def alice(browser: Any, server: Server) -> Iterator[Any]:
    """alice signed in, in an English browser."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, server, "alice")
    yield page
    context.close()
    assert not errors, errors


def test_upload_of_the_demo_reports_shows_a_breached_metric(alice: Any, server: Server) -> None:
    page = alice
    page.fill("#new-name", "acme")
    page.click("form[action='/accounts'] button[type=submit]")
    page.wait_for_url(f"{server.url}/accounts/acme/imports")
    page.set_input_files("#files", [str(path) for path in server.demo_files])
    page.click("#upload-button")
    page.wait_for_selector("#import-done", timeout=TIMEOUT)
    rows = page.locator("#import-files tbody tr").count()
    assert rows == len(server.demo_files)
    _shot(page, server, "upload")

    page.click("text=See the account's health")
    page.wait_for_selector("#tiles")
    breached = page.locator(".tile[data-status=breach]")
    assert breached.count() >= 1
    assert "Order defect rate" in page.locator("#tiles").inner_text()
    page.wait_for_selector("#trends [data-rendered='1']", timeout=TIMEOUT)
    _shot(page, server, "dashboard")

    breached.first.click()
    page.wait_for_selector("#defects")
    assert page.locator("#defects tbody tr").count() >= 1
    _shot(page, server, "drill-down")


def test_summary_and_review_pages_draw_their_charts(alice: Any, server: Server) -> None:
    _ensure_acme(server)
    page = alice
    page.goto(f"{server.url}/accounts/acme/summary")
    page.wait_for_selector("#summary-orders-view[data-rendered='1']", timeout=TIMEOUT)
    assert page.locator("#summary-orders-view svg").count() == 1
    _shot(page, server, "summary")
    page.goto(f"{server.url}/accounts/acme/coverage")
    page.wait_for_selector("#coverage")
    _shot(page, server, "coverage")


def test_notice_to_appeal_ends_with_a_downloaded_docx(
    alice: Any, server: Server, tmp_path: Any
) -> None:
    _ensure_acme(server)
    page = alice
    page.goto(f"{server.url}/notices")
    page.fill("#notice-text", NOTICE)
    page.click("#notice-form button[type=submit]")
    page.wait_for_selector("#families")
    assert page.locator("#families li[data-family=order_defect_rate]").count() == 1
    assert page.locator("#notice-highlighted mark").count() >= 1
    assert "17" in page.locator("#deadline").inner_text()
    _shot(page, server, "notice")

    page.select_option("#appeal-account", "acme")
    page.click("#start-appeal button[type=submit]")
    page.wait_for_selector("#interview-form")
    steps = page.locator("#interview-form fieldset.step")
    assert steps.count() >= 2
    # One step at a time: only the current step is shown.
    assert page.locator("#interview-form fieldset.step:visible").count() == 1
    _shot(page, server, "interview")
    for _ in range(steps.count() - 1):
        page.locator("#interview-form fieldset.step.current button[data-step-go]").last.click()
    page.click("#make-draft")
    page.wait_for_selector("#score", timeout=TIMEOUT)
    first_score = int(page.locator("#score").inner_text())
    assert 0 <= first_score <= 100
    _shot(page, server, "draft")

    text = page.input_value("#plan-text")
    page.fill("#plan-text", "We are so sorry!!! Please reinstate us, it was the buyer's fault.")
    page.click("#regrade")
    page.wait_for_function(
        "first => document.querySelector('#score') && "
        "document.querySelector('#score').textContent.trim() !== String(first)",
        arg=first_score,
        timeout=TIMEOUT,
    )
    assert int(page.locator("#score").inner_text()) < first_score

    _shot(page, server, "regrade")
    page.fill("#plan-text", text + "\n\nThe exhibits were checked by our compliance lead.")
    page.select_option("#download-format", "docx")
    with page.expect_download() as caught:
        page.click("#download")
    target = tmp_path / "plan.docx"
    caught.value.save_as(target)
    with zipfile.ZipFile(target) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "checked by our compliance lead" in body

    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#next-version")
    assert "checked by our compliance lead" in page.input_value("#version-text")
    page.click("#submit-version")
    page.wait_for_selector("#timeline li[data-event=version]")
    _shot(page, server, "case")


def test_switching_to_chinese_translates_the_pages(alice: Any, server: Server) -> None:
    _ensure_acme(server)
    page = alice
    page.goto(f"{server.url}/accounts/acme")
    page.select_option("header select[name=lang]", "zh")
    page.wait_for_load_state()
    page.wait_for_selector("html[lang=zh]")
    assert "账户" in page.locator("header nav").inner_text()
    assert "账户健康状况" in page.locator("h1").inner_text()
    page.wait_for_selector("#trends [data-rendered='1']", timeout=TIMEOUT)
    _shot(page, server, "dashboard-zh")
    page.select_option("header select[name=lang]", "en")
    page.wait_for_selector("html[lang=en]")


def test_a_second_user_cannot_reach_the_first_users_account(browser: Any, server: Server) -> None:
    _ensure_acme(server)
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        _sign_in(page, server, "bob")
        assert "acme" not in page.locator("main").inner_text()
        answer = page.goto(f"{server.url}/accounts/acme")
        assert answer is not None and answer.status == 404
        assert "Not found" in page.locator("h1").inner_text()
        answer = page.goto(f"{server.url}/accounts/acme/metrics/order_defect_rate.mfn.60")
        assert answer is not None and answer.status == 404
    finally:
        context.close()
