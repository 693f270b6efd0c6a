"""Grade a Plan of Action the way an Amazon reviewer reads it, in any of the seven languages.

The grader reads any POA (ours or the seller's own), finds what reviewers reject — missing or mixed
sections, vague or emotional wording, blame, flattery, empty promises, claims without exhibits,
off-topic or unanswered issues, bad length, personal data, admissions of further violations,
passages in another language, figures the account's data contradicts — and points at each with a
message and a fix in the POA's own language. Rules, lexicons and texts live in
``knowledge/data/grading.yaml``; the grading is deterministic.

Score: ``scoring.start`` (100) minus points per finding (error 20, warning 8, info 2; each further
finding of the same rule costs half), plus credits for good signals (dates, figures, order ids or
ASINs, named roles, exhibits, numbered points, a developed root cause, actions in the past tense,
ownership), clamped to 0–100 and kept below 80 while any finding is an error. Verdict: ``ready``
when the score is at least 80 and no finding is an error, ``reject`` below 50, ``revise`` otherwise.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from goodstanding.appeal._grade_document import Document
from goodstanding.appeal._grade_lexicon import (
    SEVERITIES,
    Grading,
    GradingDataError,
    load_grading,
)
from goodstanding.appeal._grade_rules import (
    CHECKS,
    Context,
    Param,
    RawFinding,
    Ref,
    RefList,
    collect_facts,
    credits,
)
from goodstanding.appeal._grade_signals import read_account_facts
from goodstanding.errors import InputError
from goodstanding.types import LANGUAGES

__all__ = [
    "Finding",
    "GradeReport",
    "Span",
    "detect_language",
    "grade_poa",
    "rule_ids",
]

Severity = Literal["error", "warning", "info"]
Verdict = Literal["ready", "revise", "reject"]

# Whole-document findings first, worst first; then the findings with a span, in text order.
_SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}
# One finding per family or figure: capping these would hide an issue the seller must fix.
_UNCAPPED: Final = frozenset({"unanswered_family", "contradicts_account_data", "private_data"})


@dataclass(frozen=True, slots=True)
class Span:
    """Where a finding points: ``text[start:end]`` of the graded POA."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        """The span as ``{"start", "end", "text"}``."""
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the POA, with what to do about it."""

    rule: str
    severity: Severity
    message: str
    span: Span | None
    fix: str

    def to_json(self) -> dict[str, Any]:
        """The finding as ``{"rule", "severity", "message", "span", "fix"}``."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "span": self.span.to_json() if self.span else None,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class GradeReport:
    """The grade of one POA."""

    score: int
    verdict: Verdict
    language: str
    """The submission language (the POA's own language unless the caller chose one)."""
    findings: tuple[Finding, ...]
    detected_language: str
    """The POA's dominant language, in which messages and fixes are written."""
    credits: Mapping[str, int]
    """Points awarded per good signal (only the signals that earned points)."""

    def to_json(self) -> dict[str, Any]:
        """``{"score", "verdict", "language", "findings"}``, ready for ``json.dumps``."""
        return {
            "score": self.score,
            "verdict": self.verdict,
            "language": self.language,
            "findings": [finding.to_json() for finding in self.findings],
        }


def rule_ids() -> tuple[str, ...]:
    """Every rule id the grader can report (also the ids ``prior_findings`` accepts)."""
    return tuple(sorted(load_grading().rules))


def detect_language(text: str) -> str:
    """The dominant language of ``text``, one of ``goodstanding.types.LANGUAGES``."""
    return Document(text, load_grading(), None).language


def _check_inputs(
    grading: Grading,
    text: str,
    notice_families: Sequence[str],
    submission_language: str | None,
    prior_findings: Sequence[str],
) -> None:
    if not text.strip():
        raise InputError(
            "The plan of action is empty.", hint="Give the text of the appeal to grade."
        )
    if submission_language is not None and submission_language not in LANGUAGES:
        raise InputError(
            f"Unknown submission language {submission_language!r}.",
            hint=f"Use one of {', '.join(LANGUAGES)}.",
        )
    unknown = [family for family in notice_families if family not in grading.families]
    if unknown:
        raise InputError(
            f"Unknown violation families {unknown}.",
            hint=f"Use the ids of the notice reader: {', '.join(sorted(grading.families))}.",
        )
    unknown = [rule for rule in prior_findings if rule not in grading.rules]
    if unknown:
        raise InputError(
            f"Unknown rule ids in prior_findings: {unknown}.",
            hint=f"Use rule ids of the grader: {', '.join(sorted(grading.rules))}.",
        )


def _resolve(grading: Grading, value: Param, language: str) -> str:
    if isinstance(value, Ref):
        return str(grading.names[value.table][value.key][language])
    if isinstance(value, RefList):
        separator = str(grading.names["list_separator"][language])
        return separator.join(str(grading.names[value.table][key][language]) for key in value.keys)
    return str(value)


def _select(raw: list[RawFinding], limit: int) -> list[RawFinding]:
    """Drop duplicates and keep the first ``limit`` findings of each rule, in text order."""
    seen: set[tuple[str, tuple[int, int] | None]] = set()
    per_rule: dict[str, int] = defaultdict(int)
    kept: list[RawFinding] = []
    for finding in sorted(raw, key=lambda f: (f.span is not None, f.span or (0, 0), f.rule)):
        key = (finding.rule, finding.span)
        if key in seen:
            continue
        seen.add(key)
        if finding.rule not in _UNCAPPED and per_rule[finding.rule] >= limit:
            continue
        per_rule[finding.rule] += 1
        kept.append(finding)
    return kept


def _finding(
    grading: Grading,
    raw: RawFinding,
    text: str,
    language: str,
    prior: frozenset[str],
) -> Finding:
    rule = grading.rules[raw.rule]
    severity = raw.severity or rule.severity
    values = {name: _resolve(grading, value, language) for name, value in raw.params.items()}
    message = rule.message[language].format(**values)
    if raw.rule in prior:
        # Amazon already named this reason: the seller cannot send it again.
        severity = "error"
        message = str(grading.names["prior_prefix"][language]) + message
    span = Span(raw.span[0], raw.span[1], text[raw.span[0] : raw.span[1]]) if raw.span else None
    return Finding(
        rule=raw.rule,
        severity=_as_severity(severity),
        message=message,
        span=span,
        fix=rule.fix[language].format(**values),
    )


def _as_severity(value: str) -> Severity:
    # Severities come from grading.yaml (checked against SEVERITIES when it loads) or the rules.
    if value == "error":
        return "error"
    if value == "warning":
        return "warning"
    if value == "info":
        return "info"
    raise GradingDataError("rules", f"unknown severity {value!r} (expected one of {SEVERITIES})")


def _score(
    grading: Grading, findings: Sequence[Finding], counts: Mapping[str, int]
) -> tuple[int, dict[str, int]]:
    by_rule: dict[str, list[float]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(grading.severity_points[finding.severity])
    penalty = 0.0
    for points in by_rule.values():
        ordered = sorted(points, reverse=True)
        penalty += ordered[0] + grading.repeat_factor * sum(ordered[1:])
    awarded = {
        name: points
        for name, (minimum, points) in grading.credits.items()
        if counts.get(name, 0) >= minimum
    }
    raw_score = grading.start - penalty + sum(awarded.values())
    if any(finding.severity == "error" for finding in findings):
        # Credits cannot buy an error back: the score stays below the "ready" band.
        raw_score = min(raw_score, grading.ready_at - 1)
    return math.floor(min(100.0, max(0.0, raw_score)) + 0.5), awarded


def _verdict(grading: Grading, score: int, findings: Sequence[Finding]) -> Verdict:
    if score < grading.reject_below:
        return "reject"
    if score >= grading.ready_at and not any(f.severity == "error" for f in findings):
        return "ready"
    return "revise"


def grade_poa(
    text: str,
    *,
    notice_families: Sequence[str] = (),
    account_facts: Mapping[str, Any] | None = None,
    submission_language: str | None = None,
    prior_findings: Sequence[str] = (),
) -> GradeReport:
    """Grade a Plan of Action.

    Args:
        text: The POA as the seller would paste it into Seller Central.
        notice_families: Violation families of the notice (ids of the notice reader); enables the
            unanswered-family and off-topic checks and tells admissions apart from ownership.
        account_facts: The account's own figures, ``{metric_id: ratio}`` or
            ``{metric_id: {"value", "numerator", "denominator"}}`` (or a health JSON with
            ``marketplaces[].metrics[]``); figures in the POA that contradict them are errors.
        submission_language: The language the appeal will be sent in; by default the POA's own
            dominant language.
        prior_findings: Rule ids Amazon already gave as reasons for rejecting an earlier version;
            those findings become errors (and "shallow" sections need more detail).

    Returns:
        The score (0–100), the verdict and the findings, messages in the POA's language.

    Raises:
        InputError: empty text, an unknown language, family or rule id, or malformed facts.
    """
    grading = load_grading()
    _check_inputs(grading, text, notice_families, submission_language, prior_findings)
    document = Document(text, grading, submission_language)
    context = Context(
        notice_families=tuple(dict.fromkeys(notice_families)),
        facts=read_account_facts(account_facts, tuple(grading.metrics)),
        prior=frozenset(prior_findings),
        explicit_submission=submission_language is not None,
    )
    facts = collect_facts(document)
    raw: list[RawFinding] = []
    for check in CHECKS:
        raw.extend(check(document, context, facts))
    selected = _select(raw, int(grading.limits["max_findings_per_rule"]))
    language = document.language
    findings = [_finding(grading, item, text, language, context.prior) for item in selected]
    findings.sort(
        key=lambda f: (
            f.span is not None,
            f.span.start if f.span else _SEVERITY_ORDER[f.severity],
            f.span.end if f.span else 0,
            f.rule,
        )
    )
    score, awarded = _score(grading, findings, credits(document, facts))
    return GradeReport(
        score=score,
        verdict=_verdict(grading, score, findings),
        language=document.submission_language,
        findings=tuple(findings),
        detected_language=language,
        credits=awarded,
    )
