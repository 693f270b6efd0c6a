"""Security hygiene: two-step verification per user, password age, sensitive changes, review tasks.

The French guide's habits (its §5): every user signs in with two-step verification and a backup
method; passwords change every 3 to 6 months; users and permissions are reviewed so nobody keeps
access they no longer need; changes of bank details and of login e-mails are known (who, when);
the account is looked at every day and reviewed in depth every month. goodstanding cannot see
Seller Central's settings, so the seller records these facts as events in a log, and
:func:`check_security` turns the log into a checklist, findings and the task list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from goodstanding.knowledge.evidence_rules import EvidenceRules, Finding, load_evidence_rules

EVENT_KINDS: Final = (
    "user_added",
    "user_removed",
    "two_step_on",
    "two_step_off",
    "password_changed",
    "permissions_reviewed",
    "bank_details_changed",
    "login_email_changed",
    "task_done",
)
"""What a security log entry can record."""

SENSITIVE_CHANGES: Final = ("bank_details_changed", "login_email_changed")
PERMISSIONS_REVIEW_DAYS: Final = 31


@dataclass(frozen=True)
class SecurityEvent:
    """One entry of the security log."""

    kind: str
    occurred_at: datetime
    user: str | None = None
    actor: str | None = None
    note: str | None = None
    task: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict."""
        return {
            "kind": self.kind,
            "occurred_at": self.occurred_at.isoformat(),
            "user": self.user,
            "actor": self.actor,
            "note": self.note,
            "task": self.task,
        }


def task_ids(rules: EvidenceRules | None = None) -> dict[str, str]:
    """Every review task id with its frequency (daily or monthly)."""
    rules = rules or load_evidence_rules()
    return {
        str(task["id"]): frequency
        for frequency, tasks in rules.security_tasks.items()
        for task in tasks
    }


def _task_status(frequency: str, last: date | None, as_of: date) -> str:
    if last is None:
        return "overdue"
    if frequency == "daily":
        if last >= as_of:
            return "done"
        return "due" if last == as_of - timedelta(days=1) else "overdue"
    if (last.year, last.month) == (as_of.year, as_of.month):
        return "done"
    previous = (as_of.replace(day=1) - timedelta(days=1)).replace(day=1)
    return "due" if last >= previous else "overdue"


def check_security(
    events: Sequence[SecurityEvent], *, as_of: date, rules: EvidenceRules | None = None
) -> dict[str, Any]:
    """The checklist per user, the sensitive changes, the review tasks, and the findings."""
    rules = rules or load_evidence_rules()
    ordered = sorted(events, key=lambda e: e.occurred_at)
    users: dict[str, dict[str, Any]] = {}
    for event in ordered:
        if not event.user or event.kind in (
            "task_done",
            "permissions_reviewed",
            *SENSITIVE_CHANGES,
        ):
            continue
        state = users.setdefault(
            event.user, {"two_step": False, "password_changed": None, "added": None, "active": True}
        )
        day = event.occurred_at.date()
        if event.kind == "user_added":
            state.update(active=True, added=day)
        elif event.kind == "user_removed":
            state["active"] = False
        elif event.kind in ("two_step_on", "two_step_off"):
            state["two_step"] = event.kind == "two_step_on"
        elif event.kind == "password_changed":
            state["password_changed"] = day
    findings: list[Finding] = []
    reminder = rules.threshold("password_reminder_days")
    limit = rules.threshold("password_max_age_days")
    rows = []
    for name, state in sorted(users.items()):
        if not state["active"]:
            continue
        since = state["password_changed"] or state["added"]
        age = (as_of - since).days if since else None
        status = "ok"
        if not state["two_step"]:
            findings.append(rules.finding("two_step_off", user=name))
            status = "attention"
        if age is None or age > limit:
            findings.append(
                rules.finding("password_too_old", user=name, days=age if age is not None else "?")
            )
            status = "attention"
        elif age > reminder:
            findings.append(rules.finding("password_rotation_due", user=name, days=age))
            status = "attention"
        rows.append(
            {
                "user": name,
                "two_step": state["two_step"],
                "password_changed": state["password_changed"].isoformat()
                if state["password_changed"]
                else None,
                "password_age_days": age,
                "status": status,
            }
        )
    changes = []
    for event in ordered:
        if event.kind not in SENSITIVE_CHANGES:
            continue
        changes.append(event.to_json())
        if not event.actor:
            findings.append(
                rules.finding(
                    "change_unexplained",
                    kind="Bank details"
                    if event.kind == "bank_details_changed"
                    else "The login e-mail",
                    date=event.occurred_at.date(),
                )
            )
    reviews = [
        e.occurred_at.date()
        for e in ordered
        if e.kind == "permissions_reviewed"
        or (e.kind == "task_done" and e.task == "review_users_permissions")
    ]
    last_review = max(reviews) if reviews else None
    if last_review is None or (as_of - last_review).days > PERMISSIONS_REVIEW_DAYS:
        findings.append(
            rules.finding(
                "permissions_review_due",
                days=(as_of - last_review).days if last_review else "never (no review recorded)",
            )
        )
    tasks = []
    for frequency, specs in rules.security_tasks.items():
        for spec in specs:
            task = str(spec["id"])
            done = [
                e.occurred_at.date()
                for e in ordered
                if e.kind == "task_done" and e.task == task and e.occurred_at.date() <= as_of
            ]
            last = max(done) if done else None
            status = _task_status(frequency, last, as_of)
            if status == "overdue":
                findings.append(
                    rules.finding(
                        "review_task_overdue",
                        frequency=frequency,
                        task=task,
                        last=last.isoformat() if last else "never",
                    )
                )
            tasks.append(
                {
                    "task": task,
                    "frequency": frequency,
                    "last_done": last.isoformat() if last else None,
                    "status": status,
                    "source": spec.get("source"),
                }
            )
    return {
        "as_of": as_of.isoformat(),
        "users": rows,
        "changes": changes,
        "permissions_reviewed": last_review.isoformat() if last_review else None,
        "tasks": tasks,
        "findings": [f.to_json() for f in findings],
    }
