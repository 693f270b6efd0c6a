"""Drafting a Plan of Action from the interview's answers, in three layouts and any language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from goodstanding.appeal import classify_notice
from goodstanding.appeal.draft import VARIANTS, draft_plan
from goodstanding.appeal.grade import grade_poa
from goodstanding.appeal.interview import (
    Interview,
    interview_for_notice,
    load_answers_document,
    read_answers,
)
from goodstanding.documents import ExhibitList, Heading, NumberedList
from goodstanding.errors import InputError
from goodstanding.knowledge import Knowledge

from .poa_notices import ODR_NOTICE, TWO_FAMILY_NOTICE


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.load()


def _interview(knowledge: Knowledge, notice: str = ODR_NOTICE, lang: str = "en") -> Interview:
    return interview_for_notice(knowledge, classify_notice(notice), lang=lang)


def _unedited(interview: Interview) -> Any:
    return read_answers(load_answers_document(interview.to_yaml()), interview)


def _health(**entry: Any) -> dict[str, Any]:
    metric = {
        "id": "order_defect_rate",
        "channel": "mfn",
        "window_days": 60,
        "window_start": "2026-09-06",
        "window_end": "2026-11-04",
        "numerator": 14,
        "denominator": 610,
        "value": 14 / 610,
        "target": {"op": "<", "value": 0.01},
        "status": "breach",
    }
    metric.update(entry)
    return {
        "account": "acme",
        "as_of": "2026-11-18",
        "marketplaces": [{"marketplace": "Amazon.com", "metrics": [metric]}],
        "coverage": [],
    }


def test_seller_draft_has_three_numbered_parts_and_cited_exhibits(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    draft = draft_plan(knowledge, interview, _unedited(interview), lang="en")
    headings = [b.text for b in draft.document.blocks if isinstance(b, Heading)]
    assert headings == [
        "Plan of Action",
        "Root cause",
        "Actions already taken",
        "Measures to prevent recurrence",
        "Supporting documents",
    ]
    lists = [b for b in draft.document.blocks if isinstance(b, NumberedList)]
    assert len(lists) == 3
    # Defaults: causes late_or_lost_parcels + not_as_described, gap no_metric_monitoring.
    assert lists[0].items[0] == (
        "Parcels arrived after the promised date or were lost in transit, which led to 'item "
        "not received' claims and negative feedback (see Exhibit 1)."
    )
    exhibits = next(b for b in draft.document.blocks if isinstance(b, ExhibitList)).items
    assert [e.title for e in exhibits] == ["Defect order log", "Updated operating procedure"]
    # Every exhibit is cited where it is used.
    for exhibit in exhibits:
        assert f"(see Exhibit {exhibit.number})" in draft.text
    assert "We take full responsibility" in draft.text


def test_placeholders_are_filled_in_the_output_language(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    draft = draft_plan(knowledge, interview, _unedited(interview), lang="en")
    assert "{" not in draft.text
    assert "We corrected the detail pages of B00TESTAB1" in draft.text


def test_account_figures_are_stated_from_the_health_data(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    draft = draft_plan(knowledge, interview, _unedited(interview), lang="en", health=_health())
    assert (
        "Our order defect rate was 2.3 % (14 of 610 orders, 6 September 2026 – "
        "4 November 2026)." in draft.text
    )
    assert "as of 18 November 2026" in draft.text
    assert not [n for n in draft.notes if n.code == "no_account_data"]


def test_no_figure_is_stated_that_the_data_does_not_hold(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    answers = _unedited(interview)
    without = draft_plan(knowledge, interview, answers, lang="en")
    assert "Our order defect rate" not in without.text
    assert [n.code for n in without.notes] == ["no_account_data"]
    # A metric the notice is not about, and one without counts, are left out.
    unrelated = _health(id="late_response_rate")
    no_counts = _health(numerator=None, denominator=None)
    for health in (unrelated, no_counts):
        draft = draft_plan(knowledge, interview, answers, lang="en", health=health)
        assert "was " not in draft.text.split("Actions already taken")[0].split("Root cause")[1]
        assert "no_figures" in [n.code for n in draft.notes]


def test_figures_per_channel_name_the_channel(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    health = _health()
    afn = dict(
        health["marketplaces"][0]["metrics"][0],
        channel="afn",
        numerator=2,
        denominator=400,
        value=0.005,
    )
    health["marketplaces"][0]["metrics"].append(afn)
    draft = draft_plan(knowledge, interview, _unedited(interview), lang="en", health=health)
    assert "Our order defect rate (FBA) was 0.5 % (2 of 400 orders" in draft.text
    assert "Our order defect rate (seller-fulfilled) was 2.3 %" in draft.text


def test_output_language_is_independent_of_the_interview_language(knowledge: Knowledge) -> None:
    other = next((lang for lang in knowledge.languages if lang != "en"), None)
    if other is None:
        pytest.skip("only English texts installed: cross-language drafting not testable")
    interview = _interview(knowledge, lang=other)
    answers = _unedited(interview)
    draft = draft_plan(knowledge, interview, answers, lang="en")
    english = draft_plan(knowledge, _interview(knowledge), _unedited(_interview(knowledge)))
    assert draft.text == english.text
    assert not [n for n in draft.notes if n.code == "foreign_text"]


def test_own_words_in_another_language_are_kept_and_flagged(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    data = json.loads(json.dumps(interview.to_answers()))
    own = "Unser Paketdienst hat im Oktober elf Pakete verloren, weil die Etiketten falsch waren."
    data["questions"][0]["text"] = own
    data["placeholders"]["owner"]["value"] = "Dana Lee, our warehouse manager"
    answers = read_answers(data, interview, source="a.json")
    draft = draft_plan(knowledge, interview, answers, lang="en")
    assert own in draft.text
    assert "Dana Lee, our warehouse manager reviews" in draft.text
    flagged = [n for n in draft.notes if n.code == "foreign_text"]
    assert [n.where for n in flagged] == ["question order_defect_rate.q.causes"]
    assert "German" in flagged[0].message


def test_dates_of_actions_are_written_out(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    data = json.loads(json.dumps(interview.to_answers()))
    actions = next(q for q in data["questions"] if q["group"] == "immediate_actions")
    actions["date"] = "2026-11-20"
    draft = draft_plan(knowledge, interview, read_answers(data, interview), lang="en")
    assert "These actions were completed on 20 November 2026." in draft.text


def test_vendor_variant_speaks_of_supply_chain_and_authorisation(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    draft = draft_plan(knowledge, interview, _unedited(interview), variant="vendor", lang="en")
    headings = [b.text for b in draft.document.blocks if isinstance(b, Heading)]
    assert headings[1:] == [
        "Root cause",
        "Actions already taken",
        "Systemic changes to sourcing and quality control",
        "Authorisation chain and supporting documents",
    ]
    assert "As a vendor supplying Amazon" in draft.text


def test_cn_template_has_the_five_parts(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    draft = draft_plan(
        knowledge,
        interview,
        _unedited(interview),
        variant="cn-template",
        lang="en",
        health=_health(),
        information={"store_name": "Acme Home", "contact": "Dana Lee"},
    )
    headings = [b.text for b in draft.document.blocks if isinstance(b, Heading)]
    assert headings[1:6] == [
        "Why the account was restricted",
        "How we corrected the problem",
        "How we will avoid it in the future",
        "Our current metrics",
        "Our information",
    ]
    metrics_part = draft.text.split("Our current metrics")[1].split("Our information")[0]
    assert "Our order defect rate was 2.3 % (14 of 610 orders" in metrics_part
    assert "Store name: Acme Home" in draft.text
    assert "Contact person for this appeal: Dana Lee" in draft.text


def test_unknown_variant_is_refused(knowledge: Knowledge) -> None:
    interview = _interview(knowledge)
    with pytest.raises(InputError, match="Unknown POA variant 'letter'"):
        draft_plan(knowledge, interview, _unedited(interview), variant="letter")


@pytest.mark.parametrize("variant", VARIANTS)
def test_drafts_with_figures_grade_ready_without_contradiction(
    knowledge: Knowledge, variant: str
) -> None:
    interview = _interview(knowledge, TWO_FAMILY_NOTICE)
    health = _health(
        id="late_shipment_rate", window_days=30, numerator=31, denominator=640, value=31 / 640
    )
    draft = draft_plan(
        knowledge, interview, _unedited(interview), variant=variant, lang="en", health=health
    )
    report = grade_poa(draft.text, notice_families=interview.families, account_facts=health)
    assert report.verdict == "ready", report.to_json()
    assert "contradicts_account_data" not in {f.rule for f in report.findings}


def _cases(shared: Path) -> list[dict[str, Any]]:
    with (shared / "notices.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_case_draft_grades_ready_in_every_language(
    knowledge: Knowledge, shared_cases: Path, variant: str
) -> None:
    failures = []
    for case in _cases(shared_cases):
        reading = classify_notice(case["text"])
        interview = interview_for_notice(knowledge, reading, lang="en")
        answers = _unedited(interview)
        for lang in knowledge.languages:
            draft = draft_plan(knowledge, interview, answers, variant=variant, lang=lang)
            report = grade_poa(draft.text, notice_families=reading.family_ids)
            if report.verdict != "ready" or report.language != lang:
                failures.append((case["id"], lang, report.score, report.to_json()["findings"]))
    assert not failures, failures


def test_appeal_package_exports_its_public_names_sorted() -> None:
    import goodstanding.appeal as appeal

    def order(name: str) -> tuple[int, str]:
        # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert appeal.__all__ == sorted(appeal.__all__, key=order)
    for name in ("draft_plan", "interview_for_notice", "read_answers", "Draft", "Interview"):
        assert name in appeal.__all__
        assert hasattr(appeal, name)


def test_case_drafts_in_the_notice_language_grade_ready(
    knowledge: Knowledge, shared_cases: Path
) -> None:
    # The defaults of the CLI: interview and draft both in the notice's own language.
    failures = []
    for case in _cases(shared_cases):
        reading = classify_notice(case["text"])
        interview = interview_for_notice(knowledge, reading)
        draft = draft_plan(knowledge, interview, _unedited(interview))
        assert draft.lang == (reading.language if reading.language in knowledge.languages else "en")
        report = grade_poa(draft.text, notice_families=reading.family_ids)
        if report.verdict != "ready":
            failures.append((case["id"], report.to_json()))
    assert not failures, failures


def test_drafting_phrases_exist_in_every_language_with_the_same_placeholders() -> None:
    import string

    import yaml

    from goodstanding.knowledge import DATA_DIR
    from goodstanding.types import LANGUAGES

    data = yaml.safe_load((DATA_DIR / "drafting.yaml").read_text(encoding="utf-8"))
    for table in ("phrases", "notes"):
        for key, texts in data[table].items():
            assert set(texts) == set(LANGUAGES), (table, key)
            # {counter} is the Chinese measure word ("610个订单"): other languages need none.
            fields = {
                lang: {f for _, f, _, _ in string.Formatter().parse(text) if f} - {"counter"}
                for lang, text in texts.items()
            }
            assert len({frozenset(f) for f in fields.values()}) == 1, (table, key, fields)
    for key in ("headings", "titles", "units", "channels", "languages"):
        for entry in data[key].values():
            assert set(LANGUAGES) <= set(entry), key


@pytest.mark.parametrize("lang", ["en", "ja", "zh", "de"])
def test_figures_of_several_windows_grade_ready(knowledge: Knowledge, lang: str) -> None:
    if lang not in knowledge.languages:
        pytest.skip(f"texts in {lang} not installed")
    interview = _interview(knowledge, TWO_FAMILY_NOTICE)
    health = _health(
        id="late_shipment_rate", window_days=10, numerator=0, denominator=13, value=0.0
    )
    block = health["marketplaces"][0]["metrics"]
    block.append(
        dict(
            block[0],
            window_days=30,
            numerator=0,
            denominator=44,
            value=0.0,
            window_start="2026-10-06",
        )
    )
    draft = draft_plan(knowledge, interview, _unedited(interview), lang=lang, health=health)
    # Equal rates: the longest window is the one stated.
    assert "44" in draft.text and "13" not in draft.text
    report = grade_poa(draft.text, notice_families=interview.families, account_facts=health)
    assert report.verdict == "ready", report.to_json()


def test_the_breached_window_is_stated_not_a_clean_shorter_one(knowledge: Knowledge) -> None:
    interview = _interview(knowledge, TWO_FAMILY_NOTICE)
    health = _health(
        id="late_shipment_rate",
        window_days=10,
        numerator=0,
        denominator=16,
        value=0.0,
        status="ok",
        window_start="2026-11-09",
        window_end="2026-11-18",
    )
    block = health["marketplaces"][0]["metrics"]
    block.append(
        dict(
            block[0],
            window_days=30,
            numerator=5,
            denominator=76,
            value=5 / 76,
            status="breach",
            window_start="2026-10-20",
        )
    )
    draft = draft_plan(knowledge, interview, _unedited(interview), lang="en", health=health)
    assert "5 of 76" in draft.text
    assert "0 of 16" not in draft.text
