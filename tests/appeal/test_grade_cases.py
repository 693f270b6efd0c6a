"""The grader on real appeals (../shared/cases, read at run time, never copied into the repo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from goodstanding.appeal.grade import grade_poa

GOOD_OUTCOMES = frozenset({"accepted", "presented_as_good"})
BAD_OUTCOMES = frozenset({"rejected", "presented_as_bad"})
# What the grader reaches on the shared appeals; the acceptance target on unseen ones is 0.85.
MINIMUM_AUC = 0.85


def _rows(cases: Path, name: str) -> list[dict[str, Any]]:
    with (cases / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def roc_auc(good: list[int], bad: list[int]) -> float:
    """Probability that a good appeal outscores a bad one (ties count half)."""
    pairs = [(g, b) for g in good for b in bad]
    return sum(1.0 if g > b else 0.5 if g == b else 0.0 for g, b in pairs) / len(pairs)


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([3, 2], [1]) == 1.0
    assert roc_auc([1], [1]) == 0.5
    assert roc_auc([1, 3], [2]) == 0.5


def test_grade_separates_accepted_from_rejected_appeals(shared_cases: Path) -> None:
    good: list[int] = []
    bad: list[int] = []
    for row in _rows(shared_cases, "poas.jsonl"):
        score = grade_poa(row["text"]).score
        if row["outcome"] in GOOD_OUTCOMES:
            good.append(score)
        elif row["outcome"] in BAD_OUTCOMES:
            bad.append(score)
    assert good and bad, "poas.jsonl has no labelled appeals"
    auc = roc_auc(good, bad)
    print(f"grader ROC AUC on shared appeals: {auc:.3f} (good {sorted(good)}, bad {sorted(bad)})")
    assert auc >= MINIMUM_AUC


def test_grade_reads_every_real_text_with_exact_spans(shared_cases: Path) -> None:
    for name in ("poas.jsonl", "notices.jsonl", "rubrics.jsonl"):
        for row in _rows(shared_cases, name):
            text = row["text"]
            report = grade_poa(text)
            assert 0 <= report.score <= 100
            assert report.detected_language == row["language"], row["id"]
            for finding in report.findings:
                if finding.span is not None:
                    assert text[finding.span.start : finding.span.end] == finding.span.text
