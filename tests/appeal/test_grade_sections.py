"""How the grader finds the parts of a POA: headings in seven languages, inline labels, lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodstanding.appeal._grade_document import Document
from goodstanding.appeal._grade_lexicon import load_grading
from goodstanding.appeal.grade import grade_poa

HEADINGS = {
    "root_cause": [
        "Root Cause Analysis:",
        "The root cause of the issue:",
        "What happened:",
        "Why this happened",
        "Problem:",
        "Reasons for the high cancellation rate:",
        "1. Root causes",
        "A) What went wrong",
        "**Root cause**",
        "## Root cause",
        "Identified root causes:",
        "1,Why our account is locked",
        "一、问题原因",
        "根本原因分析",
        "为什么我们的账号被封",
        "【原因】",
        "1. 原因",
        "Grundursache:",
        "Ursache des Problems",
        "Cause profonde :",
        "Causes du problème",
        "Causa principale:",
        "Causa alla radice",
        "Causa raíz:",
        "Causas del problema",
    ],
    "actions_taken": [
        "Corrective Actions Taken:",
        "Immediate actions",
        "Steps taken to resolve the issue:",
        "Actions we have taken to resolve the issue",
        "B) What we have done to fix the problems",
        "2,How to correct the problem",
        "二、已采取的纠正措施",
        "纠正措施：",
        "実施済みの是正措置",
        "【実施した対策】",
        "Sofortmaßnahmen:",
        "Bereits umgesetzte Maßnahmen",
        "Actions immédiates prises :",
        "Mesures déjà prises",
        "Azioni immediate intraprese",
        "Acciones inmediatas tomadas:",
    ],
    "preventive_measures": [
        "Preventive Measures:",
        "Preventative measures",
        "Steps to prevent recurrence",
        "Measures implemented to prevent recurrence",
        "How we will prevent this in the future",
        "C) What we have done to prevent the problems from happening again",
        "3,How to avoid this problem in the future",
        "三、预防措施",
        "如何避免问题再次发生",
        "再発防止策",
        "今後の対策",
        "Präventivmaßnahmen:",
        "Maßnahmen zur Vermeidung künftiger Probleme",
        "Mesures préventives :",
        "Misure preventive:",
        "Medidas preventivas:",
        "Cómo evitaremos que se repita",
    ],
    "other": ["Exhibits", "四、当前指标", "五、我们的信息", "Anlagen:", "Pièces jointes"],
}
CASES = [(kind, heading) for kind, headings in HEADINGS.items() for heading in headings]


def _kinds(text: str) -> list[str]:
    return [section.kind for section in Document(text, load_grading(), None).sections]


@pytest.mark.parametrize(("kind", "heading"), CASES)
def test_heading_is_recognised_in_any_language(kind: str, heading: str) -> None:
    text = f"{heading}\nThe body of this part follows on the next line of the appeal.\n"
    assert _kinds(text) == [kind]


def test_inline_label_opens_section_on_same_line() -> None:
    text = "Root cause: we did not inspect returned units before restocking them in May 2024.\n"
    document = Document(text, load_grading(), None)
    [section] = document.sections
    assert section.kind == "root_cause"
    assert text[section.content_start :].strip().startswith("we did not inspect")


@pytest.mark.parametrize(
    "line",
    [
        "The problem was that our carrier lost parcels and we did not notice it.",
        "Problem solved.",
        "Issues with late orders were caused by our staff shortage in March.",
        "原因是我们没有及时更新库存，导致超卖。",
        "Die Ursache war ein Fehler in unserem Lagerprogramm, den wir nicht bemerkt haben.",
    ],
)
def test_sentence_starting_like_heading_is_content(line: str) -> None:
    assert _kinds(f"Dear Seller Performance Team,\n{line}\n") == []


def test_plan_heading_mixing_done_and_planned_steps_is_mixed() -> None:
    text = (
        "Problem: our store reopened a day early after the holidays, so 16 orders shipped late.\n"
        "Plan of action:\n"
        "1) All open orders have been shipped.\n"
        "2) We will only reopen the store once we are back at the warehouse.\n"
    )
    rules = {finding.rule for finding in grade_poa(text).findings}
    assert "mixed_sections" in rules
    assert "missing_actions_taken" not in rules
    assert "missing_preventive_measures" not in rules


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Root cause:",
                "Actions taken",
                "Preventive measures",
                "We will do better!",
                "The carrier lost 3 parcels.",
                "我们已经删除了商品。",
                "再発防止策",
                "Exhibit 1",
                "PLEASE",
                "2.3 % (14 of 610)",
                "\n",
                "\r\n",
                "  ",
                "•",
                "buyer John Smith",
            ]
        )
        | st.text(max_size=40),
        max_size=30,
    )
)
def test_grade_never_crashes_and_spans_stay_exact(parts: list[str]) -> None:
    text = " ".join(parts)
    if not text.strip():
        return
    report = grade_poa(text, account_facts={"order_defect_rate": 0.023})
    assert 0 <= report.score <= 100
    for finding in report.findings:
        if finding.span is not None:
            assert text[finding.span.start : finding.span.end] == finding.span.text
