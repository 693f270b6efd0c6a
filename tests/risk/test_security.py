"""Security checklist, sensitive changes and review tasks from the log."""

from __future__ import annotations

from datetime import UTC, date, datetime

from goodstanding.risk.security import SecurityEvent, check_security

AS_OF = date(2026, 6, 15)


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def ev(kind: str, day: date, user: str | None = None, **fields: str) -> SecurityEvent:
    return SecurityEvent(kind, at(day), user, **fields)


def rules(result: dict) -> list[str]:
    return sorted(f["rule"] for f in result["findings"])


def test_users_two_step_and_password_age() -> None:
    events = [
        ev("user_added", date(2026, 1, 1), "ana"),
        ev("two_step_on", date(2026, 1, 1), "ana"),
        ev("password_changed", date(2026, 5, 1), "ana"),  # 45 days
        ev("user_added", date(2025, 11, 1), "bo"),  # password 226 days old, no 2SV
        ev("user_added", date(2026, 1, 1), "cy"),
        ev("two_step_on", date(2026, 1, 1), "cy"),
        ev("password_changed", date(2026, 2, 15), "cy"),  # 120 days: reminder
        ev("two_step_off", date(2026, 3, 1), "cy"),
        ev("user_added", date(2026, 1, 1), "dan"),
        ev("user_removed", date(2026, 2, 1), "dan"),
        ev("permissions_reviewed", date(2026, 6, 1), actor="ana"),
    ]

    result = check_security(events, as_of=AS_OF)

    users = {
        u["user"]: (u["two_step"], u["password_age_days"], u["status"]) for u in result["users"]
    }
    assert users == {
        "ana": (True, 45, "ok"),
        "bo": (False, 226, "attention"),
        "cy": (False, 120, "attention"),
    }
    found = [r for r in rules(result) if r != "review_task_overdue"]
    assert found == ["password_rotation_due", "password_too_old", "two_step_off", "two_step_off"]


def test_bank_and_login_email_changes_need_an_author() -> None:
    events = [
        ev("bank_details_changed", date(2026, 6, 1), actor="ana", note="new IBAN"),
        ev("login_email_changed", date(2026, 6, 2)),
        ev("permissions_reviewed", date(2026, 6, 1)),
    ]

    result = check_security(events, as_of=AS_OF)

    assert [c["kind"] for c in result["changes"]] == ["bank_details_changed", "login_email_changed"]
    assert result["changes"][0]["actor"] == "ana"
    unexplained = [f for f in result["findings"] if f["rule"] == "change_unexplained"]
    assert [f["params"]["date"] for f in unexplained] == ["2026-06-02"]


def test_daily_and_monthly_tasks_have_a_status() -> None:
    events = [
        SecurityEvent("task_done", at(date(2026, 6, 15)), task="check_account_health"),
        SecurityEvent("task_done", at(date(2026, 6, 14)), task="check_messages"),
        SecurityEvent("task_done", at(date(2026, 6, 3)), task="review_payment_details"),
        SecurityEvent("task_done", at(date(2026, 5, 20)), task="review_users_permissions"),
        SecurityEvent("task_done", at(date(2026, 4, 30)), task="review_invoices"),
    ]

    result = check_security(events, as_of=AS_OF)

    status = {t["task"]: t["status"] for t in result["tasks"]}
    assert status == {
        "check_account_health": "done",
        "check_messages": "due",
        "check_notifications": "overdue",
        "review_payment_details": "done",
        "review_users_permissions": "due",
        "review_returns_feedback": "overdue",
        "review_invoices": "overdue",
    }
    # the permissions review of 2026-05-20 is 26 days old: no reminder yet
    assert "permissions_review_due" not in rules(result)


def test_no_permissions_review_is_a_finding() -> None:
    assert "permissions_review_due" in rules(check_security([], as_of=AS_OF))
