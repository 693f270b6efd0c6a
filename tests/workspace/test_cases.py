"""Case use cases: open, submit one version at a time, read replies, close; per account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from goodstanding.config import Settings
from goodstanding.errors import InputError, NotFoundError, PermissionDeniedError
from goodstanding.workspace import Workspace

NOTICE = """Your Amazon seller account has been deactivated. Your order defect rate (ODR) is above
our target of 1%. Orders with negative feedback and A-to-z Guarantee claims count as defects.
Submit a plan of action to reactivate your account."""

REJECTION = (
    "We reviewed your plan of action and cannot reinstate your account. It did not provide "
    "greater detail on the root cause and did not include supporting documents."
)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    with Workspace.open(settings) as opened:
        opened.add_account("acme")
        opened.add_account("other")
        yield opened


def _plan(workspace: Workspace) -> str:
    answers = workspace.appeals.questions(NOTICE, lang="en").to_json()
    return workspace.appeals.draft(NOTICE, answers, lang="en").text


def test_open_reads_the_notice_and_shows_the_rules_of_conduct(workspace: Workspace) -> None:
    view = workspace.cases.open("acme", NOTICE)
    assert view.summary.families == ("order_defect_rate",)
    assert view.summary.status == "open"
    ids = [item["id"] for item in view.guidance]
    assert "general.do.one_appeal_at_a_time" in ids
    assert "general.dont.no_new_account" in ids
    assert [c.id for c in workspace.cases.list("acme")] == [view.summary.id]


def test_one_appeal_at_a_time(workspace: Workspace) -> None:
    case_id = workspace.cases.open("acme", NOTICE).summary.id
    plan = _plan(workspace)
    first = workspace.cases.submit("acme", case_id, plan)
    assert first.version.number == 1
    assert first.grade.verdict == "ready"
    with pytest.raises(PermissionDeniedError, match="one appeal at a time"):
        workspace.cases.submit("acme", case_id, plan)
    workspace.cases.reply("acme", case_id, REJECTION)
    second = workspace.cases.submit("acme", case_id, plan + "\n")
    assert second.version.number == 2
    view = workspace.cases.show("acme", case_id)
    assert [v.number for v in view.versions] == [1, 2]
    assert view.versions[0].text == plan  # the first version stayed as submitted
    assert view.awaiting_reply


def test_rejection_reasons_become_findings_of_the_next_version(workspace: Workspace) -> None:
    case_id = workspace.cases.open("acme", NOTICE).summary.id
    workspace.cases.submit("acme", case_id, _plan(workspace))
    workspace.cases.reply("acme", case_id, REJECTION)
    view = workspace.cases.show("acme", case_id)
    assert "no_evidence" in view.prior_findings
    thin = (
        "Root cause\nWe shipped late.\n\nActions already taken\nWe hired staff.\n\n"
        "Preventive measures\nOur warehouse manager checks orders daily."
    )
    report = workspace.cases.grade_next("acme", case_id, thin)
    shallow = [f for f in report.findings if f.rule == "shallow_root_cause"]
    assert shallow
    assert shallow[0].severity == "error"
    assert shallow[0].message.startswith("Amazon already rejected")


def test_a_case_is_invisible_to_other_accounts(workspace: Workspace) -> None:
    case_id = workspace.cases.open("acme", NOTICE).summary.id
    with pytest.raises(NotFoundError):
        workspace.cases.show("other", case_id)
    with pytest.raises(NotFoundError):
        workspace.cases.submit("other", case_id, "text")
    with pytest.raises(NotFoundError):
        workspace.cases.reply("other", case_id, REJECTION)
    with pytest.raises(NotFoundError):
        workspace.cases.close("other", case_id, outcome="withdrawn")
    assert workspace.cases.list("other") == []


def test_closed_cases_take_no_new_version(workspace: Workspace) -> None:
    case_id = workspace.cases.open("acme", NOTICE).summary.id
    closed = workspace.cases.close("acme", case_id, outcome="reinstated")
    assert (closed.summary.status, closed.outcome) == ("closed", "reinstated")
    with pytest.raises(PermissionDeniedError):
        workspace.cases.submit("acme", case_id, _plan(workspace))
    with pytest.raises(InputError):
        workspace.cases.close("acme", case_id, outcome="won")


def test_a_text_that_is_no_notice_opens_no_case(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="no violation family"):
        workspace.cases.open("acme", "Thanks for the two garden chairs.")
    with pytest.raises(NotFoundError):
        workspace.cases.open("nobody", NOTICE)


def test_two_rejections_suggest_a_professional_review(workspace: Workspace) -> None:
    case_id = workspace.cases.open("acme", NOTICE).summary.id
    for _ in range(2):
        workspace.cases.submit("acme", case_id, _plan(workspace))
        workspace.cases.reply("acme", case_id, REJECTION)
    ids = [item["id"] for item in workspace.cases.show("acme", case_id).guidance]
    assert "general.escalation.seek_professional_review" in ids
