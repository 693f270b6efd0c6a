"""The Knowledge API: lookups, languages, caching, account filtering and rendering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import goodstanding.knowledge as knowledge_package
from goodstanding.errors import InputError, NotFoundError
from goodstanding.knowledge import (
    FAMILY_IDS,
    METRIC_IDS,
    Audience,
    Item,
    ItemKind,
    Knowledge,
    QuestionGroup,
    QuestionKind,
)
from goodstanding.types import AccountType

from .conftest import Edit


def test_families_are_listed_in_menu_order_when_loaded(knowledge: Knowledge) -> None:
    assert tuple(family.id for family in knowledge.families("en")) == FAMILY_IDS
    assert knowledge.family_ids == FAMILY_IDS


def test_family_carries_resolved_english_texts_when_asked_in_english(
    knowledge: Knowledge,
) -> None:
    family = knowledge.family("order_defect_rate", "en")
    assert family.lang == "en"
    assert family.name == "Order defect rate (ODR)"
    assert family.metrics[0] == "order_defect_rate"
    assert all(item.text for item in family.items())
    target = family.thresholds[0]
    assert (target.metric, target.comparison.value, target.value) == (
        "order_defect_rate",
        "lt",
        0.01,
    )
    assert target.window_days == (60,)
    assert target.met_by(0.009) and not target.met_by(0.01)


def test_family_raises_not_found_listing_valid_ids_when_id_is_unknown(
    knowledge: Knowledge,
) -> None:
    with pytest.raises(NotFoundError) as caught:
        knowledge.family("counterfeit", "en")
    assert "counterfeit" in str(caught.value)
    for family_id in FAMILY_IDS:
        assert family_id in str(caught.value)


def test_lookup_raises_input_error_when_language_is_unknown(knowledge: Knowledge) -> None:
    with pytest.raises(InputError, match="Unknown language 'xx'"):
        knowledge.families("xx")


def test_lookup_raises_input_error_naming_installed_languages_when_language_is_missing(
    data_copy: Path,
) -> None:
    # The copy holds English only, so the check still runs once every translation has shipped.
    knowledge = Knowledge.load(data_copy)
    assert knowledge.languages == ("en",)
    with pytest.raises(InputError) as caught:
        knowledge.family("pricing", "fr")
    assert "not installed" in str(caught.value)
    assert "en" in str(caught.value)


def test_item_question_and_threshold_are_found_by_global_id(knowledge: Knowledge) -> None:
    item = knowledge.item("late_shipment.action.confirmed_backlog", "en")
    assert isinstance(item, Item)
    assert item.kind is ItemKind.ACTION
    assert item.scope == "late_shipment"
    question = knowledge.question("late_shipment.q.causes", "en")
    assert question.group is QuestionGroup.ROOT_CAUSE
    assert question.kind is QuestionKind.MULTI_CHOICE
    threshold = knowledge.threshold("late_shipment.threshold.target", "en")
    assert threshold.window_days == (10, 30)
    assert knowledge.item("general.dont.no_new_account", "en").kind is ItemKind.DONT
    assert knowledge.family_of("late_shipment.q.causes") == "late_shipment"
    assert knowledge.family_of("general.section.root_cause") == "general"


def test_item_raises_not_found_with_close_ids_when_id_is_misspelled(knowledge: Knowledge) -> None:
    with pytest.raises(NotFoundError) as caught:
        knowledge.item("late_shipment.action.confirmed_backlogs", "en")
    assert "late_shipment.action.confirmed_backlog" in str(caught.value)
    with pytest.raises(NotFoundError):
        knowledge.question("late_shipment.q.nothing", "en")
    with pytest.raises(NotFoundError):
        knowledge.threshold("late_shipment.threshold.nothing", "en")


def test_text_returns_raw_text_by_key_and_rejects_unknown_keys(knowledge: Knowledge) -> None:
    assert knowledge.text("pricing.name", "en") == knowledge.family("pricing", "en").name
    item = knowledge.item("pricing.evidence.price_history", "en")
    assert knowledge.text("pricing.evidence.price_history.label", "en") == item.label
    assert knowledge.text("pricing.evidence.price_history.text", "en") == item.text
    assert "pricing.name" in knowledge.text_keys()
    with pytest.raises(NotFoundError):
        knowledge.text("pricing.nickname", "en")


def test_load_returns_cached_object_when_called_twice(knowledge: Knowledge) -> None:
    assert Knowledge.load() is knowledge
    assert Knowledge.load(knowledge.root) is knowledge


def test_load_reads_again_when_a_file_changed(data_copy: Path, edit: Edit) -> None:
    first = Knowledge.load(data_copy)
    path = data_copy / "text" / "en" / "pricing.yaml"
    edit(path, "name: Fair pricing\n", "name: Fair pricing policy\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = Knowledge.load(data_copy)
    assert second is not first
    assert second.family("pricing", "en").name == "Fair pricing policy"


def test_for_account_keeps_only_vendor_items_and_valid_suggestions_when_vendor(
    knowledge: Knowledge,
) -> None:
    family = knowledge.family("authenticity", "en")
    vendor = family.for_account(AccountType.VENDOR)
    seller = family.for_account("seller")
    assert all(item.audience is not Audience.SELLER for item in vendor.items())
    assert all(item.audience is not Audience.VENDOR for item in seller.items())
    assert any(item.audience is Audience.VENDOR for item in vendor.preventive_measures)
    assert len(vendor.root_causes) < len(family.root_causes)
    vendor_ids = {item.id for item in vendor.items()}
    for question in vendor.questions:
        assert question.applies_to("vendor")
        assert set(question.suggested) <= vendor_ids
        assert set(question.default) <= set(question.suggested)
        if question.kind is not QuestionKind.FREE_TEXT:
            assert question.default
    # The seller-only single-choice question on the source of goods is not asked of a vendor.
    assert "authenticity.q.source" not in {question.id for question in vendor.questions}


def test_family_applies_only_to_its_account_types(knowledge: Knowledge) -> None:
    assert not knowledge.family("order_defect_rate", "en").applies_to("vendor")
    assert knowledge.family("authenticity", "en").applies_to(AccountType.VENDOR)


def test_render_fills_placeholders_and_capitalises_opening_placeholder(
    knowledge: Knowledge,
) -> None:
    item = knowledge.item("late_shipment.prevention.twice_daily_check", "en")
    assert item.placeholders == ("owner",)
    rendered = item.render({"owner": "our warehouse lead"})
    assert rendered.startswith("Our warehouse lead checks")
    defaults = knowledge.general("en").placeholder_defaults()
    assert "{" not in knowledge.item("late_shipment.prevention.rate_review", "en").render(defaults)


def test_render_raises_input_error_naming_placeholder_when_value_is_missing(
    knowledge: Knowledge,
) -> None:
    item = knowledge.item("late_shipment.prevention.rate_review", "en")
    with pytest.raises(InputError, match="frequency"):
        item.render({"owner": "Ana"})


def test_general_offers_three_templates_and_every_metric_name(knowledge: Knowledge) -> None:
    general = knowledge.general("en")
    assert set(general.templates) == {"seller", "vendor", "cn_template"}
    seller = general.templates["seller"]
    assert [section.label for section in seller.sections][:3] == [
        "Root cause",
        "Actions already taken",
        "Measures to prevent recurrence",
    ]
    assert len(general.templates["cn_template"].sections) == 5
    assert set(general.metrics) == set(METRIC_IDS)
    assert set(general.question_groups) == set(QuestionGroup)
    assert general.placeholders["owner"].default


def test_question_group_maps_to_the_item_kind_that_answers_it() -> None:
    assert QuestionGroup.ROOT_CAUSE.answer_kind is ItemKind.CAUSE
    assert QuestionGroup.IMMEDIATE_ACTIONS.answer_kind is ItemKind.ACTION
    assert QuestionGroup.PREVENTION.answer_kind is ItemKind.PREVENTION
    assert QuestionGroup.EVIDENCE.answer_kind is ItemKind.EVIDENCE


def test_public_names_are_sorted_and_importable() -> None:
    names = knowledge_package.__all__
    # Constants first, then classes, each alphabetically (ruff's RUF022 order).
    assert list(names) == sorted(names, key=lambda name: (not name.isupper(), name))
    for name in names:
        assert getattr(knowledge_package, name) is not None
