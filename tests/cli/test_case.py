"""goodstanding case open | list | show | submit | reply | close, run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Cli

NOTICE = """Your Amazon seller account has been deactivated. Your order defect rate (ODR) is above
our target of 1%. Orders with negative feedback and A-to-z Guarantee claims count as defects.
Submit a plan of action to reactivate your account."""

REJECTION = (
    "We reviewed your plan of action and cannot reinstate your account. It did not provide "
    "greater detail on the root cause and did not include supporting documents."
)


@pytest.fixture
def files(cli: Cli, tmp_path: Path) -> dict[str, Path]:
    cli("accounts", "add", "acme")
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    cli("appeal", "questions", "--notice", str(notice), "--lang", "en", "-o", str(answers))
    plan = tmp_path / "plan.txt"
    cli("appeal", "draft", "--notice", str(notice), "--answers", str(answers), "-o", str(plan))
    reply = tmp_path / "reply.txt"
    reply.write_text(REJECTION, encoding="utf-8")
    return {"notice": notice, "plan": plan, "reply": reply}


def test_a_case_from_notice_to_outcome(cli: Cli, files: dict[str, Path]) -> None:
    opened = cli.json("case", "open", "--account", "acme", "--notice", str(files["notice"]))
    case = str(opened["id"])
    assert opened["families"] == ["order_defect_rate"]

    submitted = cli.json("case", "submit", case, str(files["plan"]), "--account", "acme")
    assert submitted["version"]["number"] == 1
    assert submitted["grade"]["verdict"] == "ready"

    refused = cli("case", "submit", case, str(files["plan"]), "--account", "acme", code=1)
    assert "one appeal at a time" in refused.stderr

    reply = cli.json("case", "reply", case, str(files["reply"]), "--account", "acme")
    assert reply["reading"]["rejection"]

    shown = cli.json("case", "show", case, "--account", "acme")
    assert "no_evidence" in shown["prior_findings"]
    assert [v["number"] for v in shown["versions"]] == [1]
    text = " ".join(cli("case", "show", case, "--account", "acme").stdout.split())
    assert "Keep one appeal open at a time" in text
    assert "Do not open another selling account" in text

    listed = cli.json("case", "list", "--account", "acme")
    assert [c["id"] for c in listed] == [opened["id"]]

    closed = cli.json("case", "close", case, "--account", "acme", "--outcome", "reinstated")
    assert closed["status"] == "closed"


def test_other_accounts_and_unknown_cases_exit_1(cli: Cli, files: dict[str, Path]) -> None:
    cli("accounts", "add", "other")
    opened = cli.json("case", "open", "--account", "acme", "--notice", str(files["notice"]))
    cli("case", "show", str(opened["id"]), "--account", "other", code=1)
    cli("case", "show", "999", "--account", "acme", code=1)
    cli("case", "list", "--account", "nobody", code=1)


def test_reply_from_stdin(cli: Cli, files: dict[str, Path]) -> None:
    opened = cli.json("case", "open", "--account", "acme", "--notice", str(files["notice"]))
    case = str(opened["id"])
    cli("case", "submit", case, str(files["plan"]), "--account", "acme")
    result = cli("case", "reply", case, "-", "--account", "acme", input=REJECTION)
    assert "Rejection recorded" in result.stdout
