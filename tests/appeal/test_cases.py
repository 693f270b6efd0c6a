"""Reading Amazon's replies to an appeal, and the guidance of an open case."""

from __future__ import annotations

import pytest

from goodstanding.appeal.cases import CONDUCT_IDS, case_guidance, read_reply
from goodstanding.appeal.grade import rule_ids
from goodstanding.errors import InputError
from goodstanding.knowledge import Knowledge

REJECTION = (
    "Hello, we reviewed your plan of action and we cannot reinstate your account at this time. "
    "Your appeal did not provide greater detail on the root cause, and it did not include "
    "supporting documents such as invoices."
)
REINSTATED = "Good news: your selling privileges have been reactivated. Thank you."
INFORMATION = (
    "Thank you for your appeal. We need additional information before we can decide: please "
    "provide the invoices for the ASINs listed below."
)


def test_a_rejection_gives_its_reasons_as_grader_rules() -> None:
    reading = read_reply(REJECTION)
    assert reading.rejection
    assert reading.reasons == ("root_cause", "detail", "evidence")
    assert reading.prior_findings[:2] == ("missing_root_cause", "shallow_root_cause")
    assert "no_evidence" in reading.prior_findings
    assert set(reading.prior_findings) <= set(rule_ids())


def test_a_reinstatement_is_no_rejection() -> None:
    reading = read_reply(REINSTATED)
    assert not reading.rejection
    assert reading.prior_findings == ()


def test_a_request_for_information_is_recognised() -> None:
    assert read_reply(INFORMATION).information_request


def test_a_rejection_in_chinese_is_read() -> None:
    reading = read_reply("您好，您的申诉未能通过。请提供更详细的根本原因说明和发票。")
    assert reading.language == "zh"
    assert reading.rejection
    assert {"root_cause", "detail", "evidence"} <= set(reading.reasons)


def test_an_empty_reply_is_refused() -> None:
    with pytest.raises(InputError):
        read_reply("  ")


def test_guidance_always_holds_the_rules_of_conduct() -> None:
    knowledge = Knowledge.load()
    items = case_guidance(knowledge, "en")
    assert tuple(item.id for item in items) == CONDUCT_IDS
    assert "general.dont.no_new_account" in CONDUCT_IDS
    assert "general.do.one_appeal_at_a_time" in CONDUCT_IDS


def test_guidance_escalates_after_two_rejections_and_on_final_decisions() -> None:
    knowledge = Knowledge.load()
    once = {item.id for item in case_guidance(knowledge, "en", rejections=1)}
    twice = {item.id for item in case_guidance(knowledge, "en", rejections=2)}
    final = {item.id for item in case_guidance(knowledge, "en", final_decision=True)}
    assert "general.escalation.seek_professional_review" not in once
    assert "general.escalation.seek_professional_review" in twice
    assert "general.escalation.final_decision" in final


def test_every_reason_maps_to_grader_rules() -> None:
    import yaml

    from goodstanding.knowledge import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "cases.yaml").read_text(encoding="utf-8"))
    known = set(rule_ids())
    for reason in data["reasons"]:
        assert set(reason["rules"]) <= known, reason["id"]
