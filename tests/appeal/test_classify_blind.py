"""The notice reader on blind notices (tests/appeal/data/notices/blind_*.yaml), one test each.

These notices were written without looking at signals.yaml, in the wording Amazon uses in each
marketplace, to measure how the reader does on phrasing it was not written against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from goodstanding.appeal import classify_notice

NOTICES = Path(__file__).parent / "data" / "notices"
EXPECTATIONS = ("scope", "final_decision")


def _blind_notices() -> list[Any]:
    cases = []
    for path in sorted(NOTICES.glob("blind_*.yaml")):
        language = path.stem.removeprefix("blind_").split("_")[0]
        entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases.extend(pytest.param(language, entry, id=entry["id"]) for entry in entries)
    return cases


@pytest.mark.parametrize(("language", "entry"), _blind_notices())
def test_classify_notice_reads_blind_notice(language: str, entry: dict[str, Any]) -> None:
    reading = classify_notice(entry["text"])
    assert reading.is_notice
    assert reading.language == language
    assert set(reading.family_ids) == set(entry["families"])
    for key in EXPECTATIONS:
        if key in entry:
            assert getattr(reading, key) == entry[key], key
    if "asins" in entry:
        assert list(reading.asins) == entry["asins"]
    for finding in reading.families:
        span = finding.evidence
        assert entry["text"][span.start : span.end] == span.text != ""


def test_blind_notices_cover_every_marketplace_language() -> None:
    languages = {language for language, _ in (case.values for case in _blind_notices())}
    assert {"fr", "it", "es", "de", "ja", "zh"} <= languages
