"""Appeal cases of an account: open, grade, submit, reply, close, and the timeline."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from goodstanding.web.routes.pages.cases import timeline
from goodstanding.workspace import Workspace

from .pages_data import get_ok
from .tenants import Tenant

# Written for these tests: an ODR deactivation notice and a rejection reply.
NOTICE = (
    "Dear Seller,\n\n"
    "Your selling privileges have been deactivated because your Order Defect Rate is above "
    "our target of 1%.\n\n"
    "How do I reactivate my account? Send us a plan of action within 17 days.\n"
)
REJECTION = (
    "Dear Seller,\n\nThank you for your plan of action. Unfortunately it does not explain the "
    "root cause of the issue. We are unable to reinstate your account at this time.\n"
)


def _open(client: TestClient, account: str = "alpha") -> int:
    answer = client.post(
        f"/accounts/{account}/cases", data={"notice": NOTICE}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text[:1000]
    found = re.search(rf"/accounts/{account}/cases/(\d+)$", answer.headers["location"])
    assert found
    return int(found.group(1))


def test_timeline_orders_the_events_by_date() -> None:
    case = {
        "opened_at": "2026-11-01T10:00:00+00:00",
        "versions": [{"submitted_at": "2026-11-03T09:00:00+00:00", "number": 1}],
        "replies": [{"received_on": "2026-11-02", "reading": {}}],
        "closed_at": "2026-11-05T00:00:00+00:00",
        "outcome": "reinstated",
    }
    assert [e["kind"] for e in timeline(case)] == ["opened", "reply", "version", "closed"]


def test_case_is_opened_listed_and_shown_with_its_notice(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    client = signed_in["alice"]
    case_id = _open(client)
    listed = get_ok(client, "/accounts/alpha/cases")
    assert f'data-case="{case_id}"' in listed
    page = get_ok(client, f"/accounts/alpha/cases/{case_id}")
    assert 'data-event="opened"' in page
    assert "within 17 days" in page
    assert 'id="next-version"' in page


def test_a_version_is_graded_then_sent_then_a_rejection_recorded_and_the_case_closed(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    client = signed_in["alice"]
    case_id = _open(client)
    base = f"/accounts/alpha/cases/{case_id}"
    text = "We are sorry. We will do better."
    graded = client.post(f"{base}/grade", data={"text": text})
    assert graded.status_code == 200
    report = workspace.cases.grade_next("alpha", case_id, text)
    assert f'id="score">{report.score}<' in graded.text

    sent = client.post(f"{base}/submit", data={"text": text}, follow_redirects=False)
    assert sent.status_code == 303
    replied = client.post(
        f"{base}/reply",
        data={"text": REJECTION, "received_on": "2026-11-25"},
        follow_redirects=False,
    )
    assert replied.status_code == 303
    page = get_ok(client, base)
    assert 'data-event="version"' in page and 'data-event="reply"' in page
    assert "Version 1 sent" in page
    client.post(f"{base}/close", data={"outcome": "withdrawn"})
    closed = get_ok(client, base)
    assert 'data-event="closed"' in closed and "Withdrawn" in closed
    assert 'id="next-version"' not in closed


def test_a_draft_is_kept_in_a_new_case(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["alice"].post(
        "/accounts/alpha/cases", data={"notice": NOTICE, "text": "Plan of Action\n\nRoot cause"}
    )
    assert answer.status_code == 200
    assert "Plan of Action\n\nRoot cause</textarea>" in answer.text


def test_viewer_reads_cases_but_cannot_change_them(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    case_id = _open(signed_in["alice"])
    page = get_ok(signed_in["carol"], f"/accounts/alpha/cases/{case_id}")
    assert 'id="submit-version"' not in page and 'id="reply-form"' not in page
    base = f"/accounts/alpha/cases/{case_id}"
    assert signed_in["carol"].post(f"{base}/submit", data={"text": "x"}).status_code == 403
    assert (
        signed_in["carol"].post("/accounts/alpha/cases", data={"notice": NOTICE}).status_code == 403
    )


def test_another_tenants_case_answers_404(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    case_id = _open(signed_in["alice"])
    bob = signed_in["bob"]
    assert bob.get(f"/accounts/alpha/cases/{case_id}").status_code == 404
    assert bob.get("/accounts/alpha/cases").status_code == 404
    # The same id under bob's own account is not alice's case either.
    assert bob.get(f"/accounts/bravo/cases/{case_id}").status_code == 404
    assert (
        bob.post(f"/accounts/bravo/cases/{case_id}/submit", data={"text": "x"}).status_code == 404
    )


def test_opening_a_case_for_a_text_that_is_not_a_notice_says_so(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["alice"].post(
        "/accounts/alpha/cases", data={"notice": "A recipe: two eggs, flour and milk."}
    )
    assert answer.status_code == 400
    assert 'class="flash error"' in answer.text
