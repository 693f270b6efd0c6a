"""The grader on blind POAs (tests/appeal/data/poas/blind/*.yaml).

These 24 appeals (12 good, 12 bad, seven languages) were written without reading grading.yaml,
in the way sellers write them, to measure how well scores separate good from bad appeals on
wording the rules were not written against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from goodstanding.appeal.grade import grade_poa

BLIND = Path(__file__).parent / "data" / "poas" / "blind"


def _entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted(BLIND.glob("*.yaml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return entries


def _auc(good: list[int], bad: list[int]) -> float:
    wins = sum(1.0 if g > b else 0.5 if g == b else 0.0 for g in good for b in bad)
    return wins / (len(good) * len(bad))


def test_auc_counts_ties_as_half() -> None:
    assert _auc([80, 50], [50, 10]) == pytest.approx(3.5 / 4)


def test_grade_poa_separates_blind_good_from_bad() -> None:
    entries = _entries()
    scores: dict[str, list[int]] = {"good": [], "bad": []}
    for entry in entries:
        report = grade_poa(entry["text"], notice_families=entry["families"])
        assert report.language == entry["language"], entry["id"]
        scores[entry["label"]].append(report.score)
    assert len(scores["good"]) == 12
    assert len(scores["bad"]) == 12
    assert _auc(scores["good"], scores["bad"]) >= 0.85


@pytest.mark.parametrize(
    "entry", [pytest.param(e, id=e["id"]) for e in _entries() if e["label"] == "bad"]
)
def test_grade_poa_never_calls_blind_bad_appeal_ready(entry: dict[str, Any]) -> None:
    report = grade_poa(entry["text"], notice_families=entry["families"])
    assert report.verdict != "ready"


def test_grade_poa_reads_bare_german_prevention_heading() -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "de_good_odr")
    assert "\nVorbeugung\n" in text
    rules = {f.rule for f in grade_poa(text, notice_families=["order_defect_rate"]).findings}
    assert "missing_preventive_measures" not in rules


@pytest.mark.parametrize(
    "sentence",
    [
        "The complaint is completely unfounded.",
        "The brand owner just wants to eliminate the competition.",
    ],
)
def test_grade_poa_flags_blaming_the_complaint(sentence: str) -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "en_good_ip")
    report = grade_poa(
        text + "\n" + sentence + "\n", notice_families=["intellectual_property_trademark"]
    )
    assert "blame_third_party" in {f.rule for f in report.findings}


def test_grade_poa_flags_german_complaint_called_unfounded() -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "de_bad_ip")
    report = grade_poa(text, notice_families=["intellectual_property_trademark"])
    assert "blame_third_party" in {f.rule for f in report.findings}


def test_grade_poa_reads_facts_and_evidence_heading() -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "en_good_related")
    assert "\nFacts and evidence\n" in text
    rules = {f.rule for f in grade_poa(text, notice_families=["related_accounts"]).findings}
    assert "missing_actions_taken" not in rules
    assert "missing_preventive_measures" not in rules


def test_grade_poa_flags_reviews_blamed_on_competitors_in_italian() -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "it_bad_reviews")
    report = grade_poa(text, notice_families=["review_manipulation"])
    assert "blame_third_party" in {f.rule for f in report.findings}


def test_grade_poa_flags_blame_in_long_english_reviews_appeal() -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "en_bad_reviews_long")
    rules = {f.rule for f in grade_poa(text, notice_families=["review_manipulation"]).findings}
    assert {"blame_buyers", "blame_third_party"} <= rules


@pytest.mark.parametrize(
    "heading", ["Corrective and preventive actions", "Actions taken and prevention"]
)
def test_grade_poa_reads_content_under_combined_heading(heading: str) -> None:
    text = next(e["text"] for e in _entries() if e["id"] == "en_good_related")
    text = text.replace("Facts and evidence\n", "").replace("Actions and prevention", heading)
    report = grade_poa(text, notice_families=["related_accounts"])
    rules = {f.rule for f in report.findings}
    assert "missing_actions_taken" not in rules
    assert "missing_preventive_measures" not in rules
    assert report.verdict == "ready"
