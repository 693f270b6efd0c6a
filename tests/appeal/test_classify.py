"""The notice reader on our own test notices (tests/appeal/data/notices/*.yaml), one test each."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from goodstanding.appeal import classify_notice
from goodstanding.knowledge.signals import NOTICE_FAMILIES
from goodstanding.types import LANGUAGES

NOTICES = Path(__file__).parent / "data" / "notices"
REQUIRED_KEYS = {
    "language",
    "account_type",
    "scope",
    "families",
    "asins",
    "order_ids",
    "marketplace",
    "deadline",
    "days_to_respond",
    "final_decision",
    "requested",
    "next_steps",
    "message",
}
OPTIONAL_EXPECTATIONS = (
    "account_type",
    "scope",
    "days_to_respond",
    "final_decision",
    "marketplace",
)


def _load(name: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load((NOTICES / name).read_text(encoding="utf-8"))
    return entries


def _notices() -> list[Any]:
    cases = []
    for language in LANGUAGES:
        for entry in _load(f"{language}.yaml"):
            cases.append(pytest.param(language, entry, id=entry["id"]))
    return cases


@pytest.mark.parametrize(("language", "entry"), _notices())
def test_classify_notice_reads_own_notice(language: str, entry: dict[str, Any]) -> None:
    reading = classify_notice(entry["text"])
    assert reading.language == language
    assert reading.is_notice
    assert set(reading.family_ids) == set(entry["families"])
    for key in OPTIONAL_EXPECTATIONS:
        if key in entry:
            assert getattr(reading, key) == entry[key], key
    if "deadline" in entry:
        assert reading.deadline == entry["deadline"]
    if "asins" in entry:
        assert list(reading.asins) == entry["asins"]
    if "order_ids" in entry:
        assert list(reading.order_ids) == entry["order_ids"]
    for finding in reading.families:
        assert 0.5 <= finding.confidence <= 1.0
        span = finding.evidence
        assert entry["text"][span.start : span.end] == span.text != ""
    assert reading.next_steps, "a notice always gets next steps"


@pytest.mark.parametrize("entry", _load("not_notices.yaml"), ids=lambda e: e["id"])
def test_classify_notice_refuses_text_that_is_not_a_notice(entry: dict[str, Any]) -> None:
    reading = classify_notice(entry["text"])
    assert not reading.is_notice
    assert reading.families == ()
    assert reading.language == entry["language"]
    assert reading.message
    assert reading.to_json()["families"] == []


def test_own_notices_cover_every_family_in_english_and_across_other_languages() -> None:
    english = {family for entry in _load("en.yaml") for family in entry["families"]}
    others = {
        family
        for language in LANGUAGES
        if language != "en"
        for entry in _load(f"{language}.yaml")
        for family in entry["families"]
    }
    assert english == set(NOTICE_FAMILIES)
    assert others == set(NOTICE_FAMILIES)
    for language in LANGUAGES:
        assert len(_load(f"{language}.yaml")) >= 7, language


def test_to_json_has_exactly_the_documented_keys_and_spans() -> None:
    text = _load("en.yaml")[0]["text"]
    data = classify_notice(text, reference_date=date(2025, 3, 1)).to_json()
    assert set(data) >= REQUIRED_KEYS
    assert data["deadline"] == "2025-03-18"
    assert data["days_to_respond"] == 17
    family = data["families"][0]
    assert {"id", "confidence", "evidence", "start", "end"} <= set(family)
    assert text[family["start"] : family["end"]] == family["evidence"]
    assert all({"id", "text"} <= set(item) for item in data["requested"])


def test_classify_notice_is_deterministic() -> None:
    text = _load("de.yaml")[0]["text"]
    assert classify_notice(text).to_json() == classify_notice(text).to_json()
