"""The evidence and risk rules file: every rule has a severity, a source and its texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from goodstanding.errors import InputError
from goodstanding.knowledge.evidence_rules import (
    EVIDENCE_RULES_PATH,
    load_evidence_rules,
    read_evidence_rules,
)


def test_every_rule_has_a_source_and_english_texts() -> None:
    rules = load_evidence_rules()

    for rule, spec in rules.rules.items():
        assert spec["source"].startswith(("ref §", "seed ")), rule
        texts = rules.messages["en"][rule]
        assert texts["message"] and texts["fix"], rule
    assert set(rules.messages["en"]) == set(rules.rules)


def test_thresholds_carry_the_reference_figures() -> None:
    rules = load_evidence_rules()

    assert rules.threshold("invoice_max_age_days") == 365
    assert rules.threshold("a_to_z_represent_days") == 3
    assert rules.threshold("chargeback_response_days") == 7
    assert rules.threshold("feedback_removal_window_days") == 90
    assert all(re.match(r"(ref §|seed )", s) for s in rules.threshold_sources.values())


def test_findings_fill_their_placeholders_and_keep_a_message_key() -> None:
    finding = load_evidence_rules().finding(
        "coverage_short", asin="B01", invoiced=3, sold=10, short=7, days=365
    )

    assert finding.message == "B01: 3 units invoiced in 365 days for 10 sold (7 short)."
    assert finding.to_json()["message_key"] == "evidence.coverage_short"
    assert finding.severity == "error"


def test_a_rule_without_source_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(EVIDENCE_RULES_PATH.read_text(encoding="utf-8"))
    del data["rules"]["pro_forma"]["source"]
    path = tmp_path / "evidence.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    with pytest.raises(InputError, match="pro_forma"):
        read_evidence_rules(path)
