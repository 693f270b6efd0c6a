"""The packaged catalog is complete, consistent and cited: what the appeal builder relies on."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from goodstanding.knowledge import (
    DATA_DIR,
    FAMILY_IDS,
    Audience,
    Basis,
    Family,
    ItemKind,
    Knowledge,
    QuestionGroup,
    QuestionKind,
)
from goodstanding.types import AccountType

SOURCE = re.compile(
    r"^(?P<file>amazon-account-health|metric-conventions)\.md §(?P<section>\d+(?:\.\d+)?)"
    r"(?: — (?P<url>\S+))?$"
)
# Past tense of the irregular verbs our action texts use ("We set...", "We withdrew...").
IRREGULAR_PAST = frozenset(
    {"set", "had", "sent", "withdrew", "rewrote", "told", "brought", "reset", "split", "put",
     "took", "gave", "found", "wrote", "made", "kept", "began", "bought", "held", "ran"}
)  # fmt: skip


def _raw(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _all_ids() -> list[str]:
    ids: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str) and "." in node["id"]:
                ids.append(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in [DATA_DIR / "general.yaml", *sorted((DATA_DIR / "families").glob("*.yaml"))]:
        walk(_raw(path))
    return ids


def _families(knowledge: Knowledge) -> list[Family]:
    return knowledge.families("en")


def _sources(knowledge: Knowledge) -> list[tuple[str, str]]:
    general = knowledge.general("en")
    found = []
    for family in _families(knowledge):
        found += [(item.id, item.source) for item in family.items() if item.source]
        found += [(threshold.id, threshold.source) for threshold in family.thresholds]
    entries = [*general.rules, *general.dos, *general.donts, *general.escalation]
    found += [(item.id, item.source) for item in entries if item.source]
    found += [(threshold.id, threshold.source) for threshold in general.thresholds]
    found += [(metric.id, metric.source) for metric in general.metrics.values()]
    found += [(template.id, template.source) for template in general.templates.values()]
    return found


def test_every_family_id_has_a_structure_file_and_no_other_file_exists() -> None:
    assert {path.stem for path in (DATA_DIR / "families").glob("*.yaml")} == set(FAMILY_IDS)


def test_ids_are_unique_across_all_structure_files() -> None:
    duplicates = [entry for entry, count in Counter(_all_ids()).items() if count > 1]
    assert duplicates == []


def test_ids_carry_their_scope_and_kind(knowledge: Knowledge) -> None:
    for family in _families(knowledge):
        for item in family.items():
            scope, kind, _slug = item.id.split(".")
            assert (scope, kind) == (family.id, item.kind.value), item.id
        for question in family.questions:
            assert question.id.startswith(f"{family.id}.q."), question.id


def test_every_rule_has_a_source_and_a_basis(knowledge: Knowledge) -> None:
    rules = [rule for family in _families(knowledge) for rule in family.rules]
    rules += list(knowledge.general("en").rules)
    assert rules
    for rule in rules:
        assert rule.source and rule.source.strip(), rule.id
        assert rule.basis is not None, rule.id


def test_every_family_has_rules_thresholds_or_both_from_amazon(knowledge: Knowledge) -> None:
    for family in _families(knowledge):
        bases = {rule.basis for rule in family.rules} | {t.basis for t in family.thresholds}
        assert Basis.AMAZON in bases, family.id


def test_every_source_cites_a_reference_section_that_exists(
    knowledge: Knowledge, reference_text: str
) -> None:
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", reference_text, flags=re.MULTILINE))
    conventions = (Path(__file__).resolve().parents[3] / "shared" / "reference").joinpath(
        "metric-conventions.md"
    )
    convention_headings = set(
        re.findall(r"^## (\d+)\.", conventions.read_text(encoding="utf-8"), flags=re.MULTILINE)
    )
    for entry_id, source in _sources(knowledge):
        match = SOURCE.match(source)
        assert match, f"{entry_id}: malformed source {source!r}"
        known = headings if match["file"] == "amazon-account-health" else convention_headings
        assert match["section"] in known, f"{entry_id}: no section §{match['section']}"


def test_every_cited_url_appears_in_the_reference(
    knowledge: Knowledge, reference_text: str
) -> None:
    missing = [
        (entry_id, match["url"])
        for entry_id, source in _sources(knowledge)
        if (match := SOURCE.match(source)) and match["url"] and match["url"] not in reference_text
    ]
    assert missing == []


def test_every_suggested_answer_exists_and_matches_the_question_group(
    knowledge: Knowledge,
) -> None:
    for family in _families(knowledge):
        kinds = {item.id: item.kind for item in family.items()}
        for question in family.questions:
            assert set(question.default) <= set(question.suggested), question.id
            for answer in question.suggested:
                assert kinds.get(answer) is question.group.answer_kind, (question.id, answer)
            if question.kind is QuestionKind.SINGLE_CHOICE:
                assert len(question.default) == 1, question.id
            if question.kind is not QuestionKind.FREE_TEXT:
                assert len(question.suggested) >= 2 and question.default, question.id


def test_every_interview_step_has_a_question_in_every_family(knowledge: Knowledge) -> None:
    for family in _families(knowledge):
        for account_type in family.account_types:
            view = family.for_account(account_type)
            for group in QuestionGroup:
                assert view.questions_in(group), (family.id, account_type.value, group.value)


def test_every_cause_action_measure_and_evidence_is_offered_by_a_question(
    knowledge: Knowledge,
) -> None:
    for family in _families(knowledge):
        offered = {answer for question in family.questions for answer in question.suggested}
        answerable = (
            *family.root_causes,
            *family.immediate_actions,
            *family.preventive_measures,
            *family.evidence,
        )
        unreachable = [item.id for item in answerable if item.id not in offered]
        assert unreachable == [], family.id


def test_every_evidence_link_points_to_an_evidence_item_of_the_same_family(
    knowledge: Knowledge,
) -> None:
    for family in _families(knowledge):
        evidence = {item.id: item for item in family.evidence}
        for item in family.items():
            for link in item.evidence:
                assert link in evidence, (item.id, link)
                # An item shown to an account must not cite a document hidden from it.
                assert evidence[link].audience in (Audience.BOTH, item.audience), (item.id, link)


def test_every_family_open_to_vendors_has_vendor_specific_systemic_measures(
    knowledge: Knowledge,
) -> None:
    for family in _families(knowledge):
        if AccountType.VENDOR not in family.account_types:
            continue
        vendor_measures = [m for m in family.preventive_measures if m.audience is Audience.VENDOR]
        assert vendor_measures, family.id


def test_metric_families_are_seller_only_and_name_their_metric(knowledge: Knowledge) -> None:
    for family_id in FAMILY_IDS[:6]:
        family = knowledge.family(family_id, "en")
        assert family.account_types == (AccountType.SELLER,), family_id
        assert family.metrics, family_id
        assert any(t.kind == "target" for t in family.thresholds), family_id


def test_actions_are_written_in_the_past_tense_in_english(knowledge: Knowledge) -> None:
    for family in _families(knowledge):
        for action in family.immediate_actions:
            verb = re.search(r"\b[Ww]e ([a-z]+)", action.text)
            assert verb, action.id
            word = verb.group(1)
            assert word.endswith("ed") or word in IRREGULAR_PAST, (action.id, word)


def test_measures_say_who_how_often_or_how_in_english(knowledge: Knowledge) -> None:
    # A measure without an owner, a frequency, a tool or a concrete trigger reads as a promise.
    concrete = re.compile(
        r"\{(owner|frequency|tool|carrier|lab|standard|cutoff_time)\}|\b(every|each|before|only|"
        r"all|any|within|automatic(ally)?|never|daily|once a|twice a)\b",
        re.IGNORECASE,
    )
    for family in _families(knowledge):
        for measure in family.preventive_measures:
            assert concrete.search(measure.text), measure.id
        with_owner = [m for m in family.preventive_measures if "owner" in m.placeholders]
        assert with_owner, f"{family.id}: no measure names who is responsible"


def test_english_texts_are_punctuated_consistently(knowledge: Knowledge) -> None:
    for family in _families(knowledge):
        assert not family.name.endswith("."), family.id
        for text in (family.summary, family.vendor_difference):
            assert text.endswith("."), family.id
        for item in family.items():
            assert item.text.endswith("."), item.id
            if item.label is not None:
                assert not item.label.endswith("."), item.id
        for question in family.questions:
            assert "?" in question.text and question.text[-1] in ".?", question.id
    for key in knowledge.text_keys():
        assert "  " not in knowledge.text(key, "en"), key


def test_evidence_items_all_have_a_label(knowledge: Knowledge) -> None:
    for family in _families(knowledge):
        for item in family.evidence:
            assert item.kind is ItemKind.EVIDENCE
            assert item.label, item.id


@pytest.mark.parametrize(
    "family_id",
    [
        "order_defect_rate",
        "authenticity",
        "intellectual_property_trademark",
        "intellectual_property_copyright",
        "intellectual_property_patent",
        "product_safety",
        "identity_verification",
        "invoice_verification",
    ],
)
def test_document_families_mark_what_amazon_explicitly_requires(
    knowledge: Knowledge, family_id: str
) -> None:
    assert any(item.required for item in knowledge.family(family_id, "en").evidence)


@pytest.mark.parametrize("family_id", FAMILY_IDS)
def test_every_default_answer_renders_with_default_placeholders(
    knowledge: Knowledge, family_id: str
) -> None:
    defaults = knowledge.general("en").placeholder_defaults()
    family = knowledge.family(family_id, "en")
    for question in family.questions:
        for answer in question.default:
            rendered = family.item(answer).render(defaults)
            assert "{" not in rendered and rendered[0].isupper(), answer
