"""The interview: questions per family, the answers file it writes, and its validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from goodstanding.appeal import classify_notice
from goodstanding.appeal.interview import (
    ANSWERS_FORMAT,
    Interview,
    interview_for_notice,
    load_answers_document,
    read_answers,
)
from goodstanding.errors import InputError
from goodstanding.knowledge import Knowledge, QuestionGroup

from .poa_notices import FINAL_NOTICE, NOT_A_NOTICE, ODR_NOTICE, TWO_FAMILY_NOTICE


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.load()


@pytest.fixture
def odr(knowledge: Knowledge) -> Interview:
    return interview_for_notice(knowledge, classify_notice(ODR_NOTICE), lang="en")


def test_questions_cover_the_four_steps_of_each_family(knowledge: Knowledge) -> None:
    interview = interview_for_notice(knowledge, classify_notice(TWO_FAMILY_NOTICE), lang="en")
    assert interview.families == ("late_shipment", "valid_tracking")
    for family in interview.families:
        groups = {q.group for q in interview.questions if q.family == family}
        assert groups == set(QuestionGroup)
    # Family by family, and within a family root cause → actions → prevention → evidence.
    order = [(q.family, list(QuestionGroup).index(q.group)) for q in interview.questions]
    assert order == sorted(order, key=lambda pair: (interview.families.index(pair[0]), pair[1]))


def test_questions_offer_catalog_texts_in_the_interview_language(
    knowledge: Knowledge, odr: Interview
) -> None:
    question = odr.question("order_defect_rate.q.causes")
    first = question.suggested[0]
    assert first.text == knowledge.item(first.id, "en").text
    assert question.text == knowledge.question(question.id, "en").text


def test_answers_file_is_prefilled_with_the_catalog_defaults(odr: Interview) -> None:
    document = odr.to_answers()
    assert document["format"] == ANSWERS_FORMAT
    assert document["lang"] == "en"
    by_id = {entry["id"]: entry for entry in document["questions"]}
    assert by_id["order_defect_rate.q.causes"]["selected"] == [
        "order_defect_rate.cause.late_or_lost_parcels",
        "order_defect_rate.cause.not_as_described",
    ]
    assert all(entry["text"] == "" and entry["date"] is None for entry in by_id.values())


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_unedited_answers_file_reads_back(odr: Interview, fmt: str) -> None:
    text = json.dumps(odr.to_answers()) if fmt == "json" else odr.to_yaml()
    answers = read_answers(load_answers_document(text), odr, source=f"answers.{fmt}")
    for question in odr.questions:
        assert answers.answer(question.id).selected == question.default
    assert answers.placeholders["owner"] == "our operations manager"


def test_asins_placeholder_defaults_to_the_notice_asins(odr: Interview) -> None:
    values = {p.name: p.value for p in odr.placeholders}
    assert values["asins"] == "B00TESTAB1"


def _edited(interview: Interview) -> dict[str, Any]:
    return json.loads(json.dumps(interview.to_answers()))


def test_unknown_question_id_is_refused_naming_file_and_id(odr: Interview) -> None:
    data = _edited(odr)
    data["questions"][0]["id"] = "order_defect_rate.q.nonsense"
    with pytest.raises(
        InputError,
        match=r"my-answers\.yaml: unknown question id "
        r"'order_defect_rate\.q\.nonsense'",
    ):
        read_answers(data, odr, source="my-answers.yaml")


def test_unknown_answer_id_is_refused(odr: Interview) -> None:
    data = _edited(odr)
    data["questions"][0]["selected"] = ["late_shipment.cause.carrier_pickup"]
    with pytest.raises(
        InputError, match=r"unknown answer id 'late_shipment\.cause\.carrier_pickup'"
    ):
        read_answers(data, odr, source="a.json")


def test_missing_required_question_is_refused(odr: Interview) -> None:
    data = _edited(odr)
    removed = data["questions"].pop(2)
    with pytest.raises(InputError, match=rf"a\.json: missing required answer .*{removed['id']}"):
        read_answers(data, odr, source="a.json")


def test_empty_required_answer_is_refused_but_own_words_suffice(odr: Interview) -> None:
    data = _edited(odr)
    data["questions"][0]["selected"] = []
    with pytest.raises(InputError, match="missing required answer"):
        read_answers(data, odr, source="a.json")
    data["questions"][0]["text"] = "Our courier lost eleven parcels in October."
    answers = read_answers(data, odr, source="a.json")
    assert answers.answer(data["questions"][0]["id"]).text.startswith("Our courier")


def test_single_choice_takes_one_answer(odr: Interview) -> None:
    data = _edited(odr)
    entry = next(q for q in data["questions"] if q["kind"] == "single_choice")
    entry["selected"] = [s["id"] for s in entry["suggested"][:2]]
    with pytest.raises(InputError, match="takes one answer, 2 are selected"):
        read_answers(data, odr, source="a.json")


def test_placeholders_are_checked(odr: Interview) -> None:
    data = _edited(odr)
    data["placeholders"]["warehouse"] = {"value": "Leeds"}
    with pytest.raises(InputError, match="unknown placeholder 'warehouse'"):
        read_answers(data, odr, source="a.json")
    data = _edited(odr)
    data["placeholders"]["owner"]["value"] = "  "
    with pytest.raises(InputError, match="missing value for placeholder 'owner'"):
        read_answers(data, odr, source="a.json")
    data = _edited(odr)
    data["placeholders"]["owner"] = "Dana Lee, warehouse manager"
    assert read_answers(data, odr).placeholders["owner"] == "Dana Lee, warehouse manager"


def test_bad_dates_and_bad_syntax_name_the_file(odr: Interview) -> None:
    data = _edited(odr)
    data["questions"][3]["date"] = "last week"
    with pytest.raises(InputError, match=r"a\.json: question .* date 'last week' is not a date"):
        read_answers(data, odr, source="a.json")
    with pytest.raises(InputError, match=r"broken\.yaml: the answers file is not valid"):
        load_answers_document("questions: [unclosed", name="broken.yaml")
    with pytest.raises(InputError, match=r"list\.yaml: this is not an answers file"):
        read_answers(yaml.safe_load("- a\n- b\n"), odr, source="list.yaml")


def test_notice_without_family_has_no_interview(knowledge: Knowledge) -> None:
    with pytest.raises(InputError, match="names no violation family"):
        interview_for_notice(knowledge, classify_notice(NOT_A_NOTICE), lang="en")


def test_final_decision_still_gets_questions_with_a_warning(knowledge: Knowledge) -> None:
    interview = interview_for_notice(knowledge, classify_notice(FINAL_NOTICE), lang="en")
    assert interview.final_decision
    assert interview.questions
    assert interview.warnings == (knowledge.item("general.escalation.final_decision", "en").text,)


def test_interview_in_each_installed_language(knowledge: Knowledge) -> None:
    reading = classify_notice(ODR_NOTICE)
    for lang in knowledge.languages:
        interview = interview_for_notice(knowledge, reading, lang=lang)
        answers = read_answers(load_answers_document(interview.to_yaml()), interview)
        assert answers.lang == lang
