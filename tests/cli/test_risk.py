"""CLI: feedback triage, claims check, linked accounts, security."""

from __future__ import annotations

from pathlib import Path

from .conftest import Cli


def test_feedback_triage_and_claims_check(cli: Cli, tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.txt"
    feedback.write_text(
        "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
        "2026-05-20\t1\tLe vendeur ne répond pas.\t\t111-1\t\n"
        "2026-05-21\t2\tThe handle broke, poor quality.\t\t111-2\t\n",
        encoding="utf-8",
    )
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "order-id,claim-id,filed-at,reason,status\n111-1,C1,2026-05-30T10:00:00Z,other,pending\n",
        encoding="utf-8",
    )
    cli("ingest", str(feedback), str(claims), "--account", "acme")

    triage = cli.json("feedback", "triage", "--account", "acme", "--as-of", "2026-06-01")
    check = cli.json("claims", "check", "--account", "acme", "--as-of", "2026-06-01")

    categories = {i["order_id"]: (i["category"], i["language"]) for i in triage["items"]}
    assert categories == {"111-1": ("service_failure", "fr"), "111-2": ("product_review", "en")}
    assert triage["items"][0]["reply_draft"].startswith("Nous sommes désolés")
    (claim,) = check["claims"]["items"]
    assert (claim["state"], claim["due"], claim["days_left"]) == ("due", "2026-06-02", 1)
    assert "removed" in cli("feedback", "triage", "--account", "acme").stderr


def test_linked_profile_audit_and_letter(cli: Cli, tmp_path: Path) -> None:
    cli("accounts", "add", "alpha")
    cli("accounts", "add", "beta")
    cli.json(
        "linked",
        "profile",
        "--account",
        "alpha",
        "--legal-name",
        "Alpha Ltd",
        "--phone",
        "+44 20 7946 0000",
        "--ip",
        "1.2.3.4",
    )
    profile = cli.json("linked", "profile", "--account", "beta", "--phone", "020 7946 0000")

    audit = cli.json("linked", "audit")
    letter = cli.json(
        "linked",
        "letter",
        "--account",
        "alpha",
        "--related",
        "beta",
        "--reason",
        "Two brands.",
        "-o",
        str(tmp_path / "letter.md"),
    )

    assert profile["phone"] == "020 7946 0000"
    assert audit["pairs"][0]["shared"] == ["phone"]
    assert audit["risk_by_account"] == {"alpha": "high", "beta": "high"}
    assert "Two brands." in (tmp_path / "letter.md").read_text(encoding="utf-8")
    assert letter["proof_of_distinctness"][0] == "Business registration of Alpha Ltd"
    cli(
        "linked",
        "letter",
        "--account",
        "alpha",
        "--related",
        "ghost",
        "--reason",
        "x",
        "-o",
        str(tmp_path / "l.txt"),
        code=1,
    )


def test_security_log_checklist_and_tasks(cli: Cli) -> None:
    cli("accounts", "add", "acme")
    cli(
        "security",
        "log",
        "--account",
        "acme",
        "--kind",
        "user_added",
        "--user",
        "ana",
        "--by",
        "boss",
        "--at",
        "2026-01-01",
    )
    cli(
        "security",
        "log",
        "--account",
        "acme",
        "--kind",
        "bank_details_changed",
        "--at",
        "2026-05-01T10:00",
    )
    cli("security", "log", "--account", "acme", "--kind", "nap", code=1)

    log = cli.json("security", "log", "--account", "acme")
    checklist = cli.json("security", "checklist", "--account", "acme", "--as-of", "2026-06-01")
    tasks = cli.json(
        "security",
        "tasks",
        "--account",
        "acme",
        "--done",
        "check_messages",
        "--as-of",
        "2026-06-01",
    )

    assert [e["kind"] for e in log["log"]] == ["user_added", "bank_details_changed"]
    assert checklist["users"] == [
        {
            "user": "ana",
            "two_step": False,
            "password_changed": None,
            "password_age_days": 151,
            "status": "attention",
        }
    ]
    rules = {f["rule"] for f in checklist["findings"]}
    assert {"two_step_off", "password_rotation_due", "change_unexplained"} <= rules
    status = {t["task"]: t["status"] for t in tasks["tasks"]}
    assert status["check_messages"] == "done"
