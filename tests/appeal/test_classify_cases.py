"""The notice reader on real notices (../shared/cases/notices.jsonl, read at run time only).

The real texts are never copied into the repository; without the shared folder these tests skip
(the top-level ``shared_cases`` fixture says so). The floors below are what the reader reaches on
the shared notices; the acceptance target on unseen notices is a macro-F1 of 0.90.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from goodstanding.appeal import classify_notice

MINIMUM_MACRO_F1 = 0.95
MINIMUM_EXACT_SET = 0.9
MINIMUM_LANGUAGE_ACCURACY = 1.0


def _notices(cases: Path) -> list[dict[str, Any]]:
    with (cases / "notices.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def family_f1(pairs: Iterable[tuple[set[str], set[str]]]) -> dict[str, float]:
    """F1 per family present in the gold labels, from (gold, predicted) label sets."""
    true_pos: dict[str, int] = defaultdict(int)
    false_pos: dict[str, int] = defaultdict(int)
    false_neg: dict[str, int] = defaultdict(int)
    gold_families: set[str] = set()
    for gold, predicted in pairs:
        gold_families |= gold
        for family in gold & predicted:
            true_pos[family] += 1
        for family in predicted - gold:
            false_pos[family] += 1
        for family in gold - predicted:
            false_neg[family] += 1
    scores = {}
    for family in sorted(gold_families):
        denominator = 2 * true_pos[family] + false_pos[family] + false_neg[family]
        scores[family] = 2 * true_pos[family] / denominator if denominator else 1.0
    return scores


def macro(scores: dict[str, float]) -> float:
    """Mean of the per-family scores."""
    return sum(scores.values()) / len(scores) if scores else 1.0


def test_family_f1_counts_false_positives_and_misses() -> None:
    scores = family_f1([({"a"}, {"a"}), ({"a"}, set()), ({"b"}, {"b", "a"})])
    assert scores == {"a": 0.5, "b": 1.0}
    assert macro(scores) == 0.75


def test_classify_reaches_macro_f1_floor_on_real_notices(shared_cases: Path) -> None:
    rows = _notices(shared_cases)
    pairs = []
    by_language: dict[str, list[tuple[set[str], set[str]]]] = defaultdict(list)
    exact = language_hits = 0
    for row in rows:
        reading = classify_notice(row["text"])
        predicted = {f.id for f in reading.families if f.confidence >= 0.5}
        gold = set(row["labels"])
        pairs.append((gold, predicted))
        by_language[row["language"]].append((gold, predicted))
        exact += predicted == gold
        language_hits += reading.language == row["language"]
        if predicted != gold:
            print(f"  miss {row['id']}: gold {sorted(gold)}, predicted {sorted(predicted)}")
    scores = family_f1(pairs)
    print(f"\nmacro-F1 {macro(scores):.3f} over {len(scores)} families, {len(rows)} notices")
    for family, value in scores.items():
        print(f"  {family:<34}{value:.3f}")
    for language, subset in sorted(by_language.items()):
        print(f"  language {language}: macro-F1 {macro(family_f1(subset)):.3f} ({len(subset)})")
    exact_share = exact / len(rows)
    print(
        f"exact-set accuracy {exact_share:.3f}, language accuracy {language_hits / len(rows):.3f}"
    )
    assert macro(scores) >= MINIMUM_MACRO_F1
    assert exact / len(rows) >= MINIMUM_EXACT_SET
    assert language_hits / len(rows) >= MINIMUM_LANGUAGE_ACCURACY


def test_classify_gives_exact_evidence_spans_on_real_notices(shared_cases: Path) -> None:
    for row in _notices(shared_cases):
        text = row["text"]
        reading = classify_notice(text)
        assert reading.is_notice, row["id"]
        for finding in (*reading.families, *reading.candidates):
            for span in (finding.evidence, *finding.matches):
                assert text[span.start : span.end] == span.text, row["id"]
        for item in reading.requested:
            assert item.evidence.text in text
