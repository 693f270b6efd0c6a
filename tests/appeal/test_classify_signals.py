"""The signals file behind the notice reader (knowledge/data/signals.yaml and its loader)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from goodstanding.knowledge import FAMILY_IDS
from goodstanding.knowledge.signals import (
    ANY_LANGUAGE,
    NOTICE_FAMILIES,
    SIGNALS_PATH,
    SignalsFileError,
    load_signals,
    lower_text,
    required_literals,
)
from goodstanding.types import LANGUAGES


def test_notice_families_are_the_knowledge_base_families() -> None:
    assert NOTICE_FAMILIES == FAMILY_IDS


def test_every_family_has_signals_in_every_language() -> None:
    signals = load_signals()
    for language in LANGUAGES:
        keys = {signal.key for signal in signals.families[language]}
        generic = set(signals.generic_families)
        for family in NOTICE_FAMILIES:
            # Trademark notices that name no right are found through the shared IP wording.
            assert family in keys or (keys & generic), (language, family)


def test_every_seller_facing_text_exists_in_the_seven_languages() -> None:
    signals = load_signals()
    for texts in (*signals.next_steps.values(), *signals.messages.values()):
        assert set(texts) >= set(LANGUAGES)
    for item, texts in signals.requested_texts.items():
        assert set(texts) >= set(LANGUAGES), item
    # Other languages do not fall back to English.
    for key, texts in signals.next_steps.items():
        for language in LANGUAGES:
            if language != "en":
                assert texts[language] != texts["en"], (key, language)


def test_requested_items_have_signals_in_every_language() -> None:
    signals = load_signals()
    for item in signals.requested_texts:
        for language in LANGUAGES:
            assert any(s.key == item for s in signals.requested[language]), (item, language)


def test_acronyms_match_case_sensitively_and_other_patterns_are_folded() -> None:
    signals = load_signals()
    odr = next(s for s in signals.families["en"] if "ODR" in s.pattern.pattern)
    assert odr.case_sensitive
    assert odr.search("Your ODR is 2%", "your odr is 2%")
    assert not odr.search("your odr", "your odr")
    for group in (signals.families, signals.requested, signals.notice, signals.scope):
        for signal in (s for language in group.values() for s in language):
            assert not signal.pattern.flags & re.IGNORECASE
            if not signal.case_sensitive:
                # Folded: no upper-case literal is left outside escapes (\S, \W...).
                assert not re.search(r"(?<!\\)[A-Z]", signal.pattern.pattern), signal


def test_anchors_are_required_substrings_of_every_match() -> None:
    assert required_literals(r"\border defect rate") == ("order defect rate",)
    assert required_literals("(?:late|early) shipment|cancel rate") == (" shipment", "cancel rate")
    assert required_literals("a-?to-?z") == ()
    assert required_literals("出荷遅延率") == ("出荷遅延率",)
    signals = load_signals()
    for signal in (s for group in signals.families.values() for s in group):
        for anchor in signal.anchors:
            assert anchor, signal


def test_lower_text_keeps_one_character_per_character() -> None:
    text = "İstanbul ÄÖÜ Straße"
    assert len(lower_text(text)) == len(text)
    assert lower_text("ABC") == "abc"


def _write(tmp_path: Path, replace: tuple[str, str]) -> Path:
    source = SIGNALS_PATH.read_text(encoding="utf-8")
    assert replace[0] in source
    path = tmp_path / "signals.yaml"
    path.write_text(source.replace(replace[0], replace[1], 1), encoding="utf-8")
    return path


def test_bad_regular_expression_names_file_line_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, ("[0.92, '\\border defect rate']", "[0.92, '(unclosed']"))
    with pytest.raises(SignalsFileError) as caught:
        load_signals(path)
    error = caught.value
    assert error.line is not None
    assert "(unclosed" in path.read_text(encoding="utf-8").splitlines()[error.line - 1]
    assert error.key_path[:3] == ("families", "order_defect_rate", "en")
    assert "signals.yaml, line" in str(error)


def test_weight_out_of_range_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, ("[0.92, '\\border defect rate']", "[1.5, '\\border defect rate']"))
    with pytest.raises(SignalsFileError, match="weight"):
        load_signals(path)


def test_unknown_family_and_language_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, ("  late_shipment:\n", "  late_shipments:\n"))
    with pytest.raises(SignalsFileError, match="unknown key"):
        load_signals(path)
    path = _write(tmp_path, ("  cancellation_rate:\n    en:", "  cancellation_rate:\n    pt:"))
    with pytest.raises(SignalsFileError, match="unknown language"):
        load_signals(path)


def test_missing_translation_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, ('    zh: "亚马逊表示这是最终决定。"\n', ""))
    with pytest.raises(SignalsFileError, match="missing language zh"):
        load_signals(path)


def test_placeholder_mismatch_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, ('["Antworten Sie bis zum {deadline}."]', '["Antworten Sie bald."]'))
    with pytest.raises(SignalsFileError, match="placeholders"):
        load_signals(path)


def test_invalid_yaml_and_missing_file_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nlanguages: [unclosed\n", encoding="utf-8")
    with pytest.raises(SignalsFileError, match="not valid YAML"):
        load_signals(broken)
    with pytest.raises(SignalsFileError, match="cannot be read"):
        load_signals(tmp_path / "absent.yaml")


def test_any_language_holds_only_language_neutral_signals() -> None:
    signals = load_signals()
    for signal in signals.families[ANY_LANGUAGE]:
        assert signal.pattern.pattern.isascii(), signal.pattern.pattern
