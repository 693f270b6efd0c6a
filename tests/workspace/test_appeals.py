"""Appeal use cases on a workspace: questions, draft with the account's own figures, grade."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from goodstanding.config import load_settings
from goodstanding.demo import write_demo
from goodstanding.errors import InputError, NotFoundError, NoticeReadError
from goodstanding.workspace import Workspace

# Our own notices (the same texts as tests/appeal/poa_notices.py).
ODR_NOTICE = """Hello,

Your Amazon seller account has been deactivated. Your order defect rate (ODR) is above our target
of 1%. Sellers must maintain an order defect rate below 1% to sell on Amazon. Orders with negative
feedback and A-to-z Guarantee claims count as defects.

How do I reactivate my account?
Submit a plan of action that explains the root cause, the actions you have taken and the steps you
will take to prevent this in the future. Affected ASIN: B00TESTAB1.

Amazon Seller Performance
"""


FINAL_NOTICE = """Hello,

We reviewed the information you provided and determined that your account will remain
deactivated. This decision is final and we will no longer respond to further emails about this
matter.

Amazon Seller Performance
"""

NOT_A_NOTICE = "Thank you for your order of two garden chairs. They will arrive on Tuesday."


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    # One small demo account shared by the module's read-only tests.
    root = tmp_path_factory.mktemp("appeals")
    demo = write_demo(root / "demo", orders=600, seed=7)
    with Workspace.open(load_settings(home=root / "home")) as opened:
        opened.add_account("acme")
        opened.ingest(list(demo.files.values()), account="acme")
        opened.add_account("empty")
        yield opened


def _odr_entries(health: dict[str, Any], marketplace: str) -> list[dict[str, Any]]:
    block = next(b for b in health["marketplaces"] if b["marketplace"] == marketplace)
    return [m for m in block["metrics"] if m["id"] == "order_defect_rate"]


def test_questions_are_an_answers_file(workspace: Workspace) -> None:
    interview = workspace.appeals.questions(ODR_NOTICE, lang="en")
    assert interview.families == ("order_defect_rate",)
    document = interview.to_json()
    assert document["questions"][0]["selected"]


def test_draft_states_the_account_figures_of_its_marketplace(workspace: Workspace) -> None:
    answers = workspace.appeals.questions(ODR_NOTICE, lang="en").to_json()
    draft = workspace.appeals.draft(ODR_NOTICE, answers, account="acme", lang="en")
    health = workspace.health("acme")
    # The account was added in its default marketplace; the notice names none.
    entries = _odr_entries(health, workspace.get_account("acme").marketplace)
    for entry in entries:
        figure = f"({entry['numerator']} of {entry['denominator']} orders"
        assert figure in draft.text
    # Every "N of M" figure in the draft is one of the account's own.
    held = {
        (m["numerator"], m["denominator"])
        for block in health["marketplaces"]
        for m in block["metrics"]
    }
    for numerator, denominator in re.findall(r"\((\d+) of (\d+) ", draft.text):
        assert (int(numerator), int(denominator)) in held
    report = workspace.appeals.grade(draft.text, notice_text=ODR_NOTICE, account="acme")
    assert report.verdict == "ready", report.to_json()


def test_draft_accepts_the_answers_file_as_text_and_path(
    workspace: Workspace, tmp_path: Path
) -> None:
    interview = workspace.appeals.questions(ODR_NOTICE, lang="en")
    path = tmp_path / "answers.yaml"
    path.write_text(interview.to_yaml(), encoding="utf-8")
    from_path = workspace.appeals.draft(ODR_NOTICE, path, lang="en")
    from_text = workspace.appeals.draft(ODR_NOTICE, interview.to_yaml(), lang="en")
    assert from_path.text == from_text.text


def test_bad_answers_name_the_file(workspace: Workspace, tmp_path: Path) -> None:
    data = workspace.appeals.questions(ODR_NOTICE, lang="en").to_json()
    data["questions"][0]["id"] = "order_defect_rate.q.unknown"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"edited\.json: unknown question id"):
        workspace.appeals.draft(ODR_NOTICE, path, source=str(path))


def test_unknown_account_is_not_found(workspace: Workspace) -> None:
    answers = workspace.appeals.questions(ODR_NOTICE, lang="en").to_json()
    with pytest.raises(NotFoundError):
        workspace.appeals.draft(ODR_NOTICE, answers, account="nobody")
    with pytest.raises(NotFoundError):
        workspace.appeals.grade("We fixed it.", account="nobody")


def test_notice_problems_are_input_errors(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="names no violation family"):
        workspace.appeals.questions(NOT_A_NOTICE)
    with pytest.raises(NoticeReadError):
        workspace.appeals.questions("   ")


def test_final_decision_drafts_with_a_note(workspace: Workspace) -> None:
    interview = workspace.appeals.questions(FINAL_NOTICE, lang="en")
    assert interview.warnings
    draft = workspace.appeals.draft(FINAL_NOTICE, interview.to_json(), lang="en")
    assert "final_decision" in [note.code for note in draft.notes]


def test_grade_uses_the_notice_families(workspace: Workspace) -> None:
    answers = workspace.appeals.questions(ODR_NOTICE, lang="en").to_json()
    text = workspace.appeals.draft(ODR_NOTICE, answers, lang="en").text
    off = workspace.appeals.grade(
        text,
        notice_text="Your account is deactivated: your late shipment rate is above 4%. "
        "Submit a plan of action.",
    )
    assert "unanswered_family" in {f.rule for f in off.findings}
