"""Case tracking rules: read Amazon's replies to an appeal, and say what to do next.

A suspension is followed as a case: its notice, each Plan of Action version sent, Amazon's
replies. :func:`read_reply` reads a reply with the notice reader (language, final decision,
deadline) and finds the reasons a rejection gives; each reason maps to grader rule ids that
become ``prior_findings`` when the next version is graded, so the same weakness is an error.
:func:`case_guidance` lists the conduct rules of an open case (one appeal at a time, no new
account) and the escalation steps that apply. The patterns live in ``knowledge/data/cases.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Final

import yaml

from goodstanding.appeal.classify import classify_notice
from goodstanding.errors import InputError
from goodstanding.knowledge import DATA_DIR, Item, Knowledge

__all__ = ["CONDUCT_IDS", "ReplyReading", "case_guidance", "read_reply"]

CONDUCT_IDS: Final = (
    "general.do.one_appeal_at_a_time",
    "general.dont.no_parallel_appeals",
    "general.dont.no_new_account",
    "general.do.keep_serving_buyers",
    "general.do.record_everything",
    "general.do.meet_deadlines",
)
"""The do's and don'ts every open case shows (the Italian guide's rules of conduct)."""

_CJK: Final = ("zh", "ja")
_SPACE: Final = r"\s+"


@dataclass(frozen=True, slots=True)
class ReplyReading:
    """What one reply of Amazon says about the appeal."""

    language: str
    rejection: bool
    final_decision: bool
    information_request: bool
    reasons: tuple[str, ...]
    prior_findings: tuple[str, ...]
    families: tuple[str, ...]
    deadline: date | None

    def to_json(self) -> dict[str, Any]:
        """The reading as a JSON object."""
        return {
            "language": self.language,
            "rejection": self.rejection,
            "final_decision": self.final_decision,
            "information_request": self.information_request,
            "reasons": list(self.reasons),
            "prior_findings": list(self.prior_findings),
            "families": list(self.families),
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass(frozen=True, slots=True)
class _Rules:
    rejection: Mapping[str, re.Pattern[str]]
    information: Mapping[str, re.Pattern[str]]
    reasons: tuple[tuple[str, tuple[str, ...], Mapping[str, re.Pattern[str]]], ...]
    rejections_before_review: int


def _compile(patterns: Mapping[str, Sequence[str]]) -> dict[str, re.Pattern[str]]:
    compiled = {}
    for lang, items in patterns.items():
        body = "|".join("(?:" + item.replace(" ", _SPACE) + ")" for item in items)
        if lang not in _CJK:
            body = rf"(?<![^\W\d_])(?:{body})(?![^\W\d_])"
        compiled[lang] = re.compile(body, re.IGNORECASE)
    return compiled


@cache
def _rules() -> _Rules:
    path = DATA_DIR / "cases.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        reasons = tuple(
            (str(entry["id"]), tuple(entry["rules"]), _compile(entry["patterns"]))
            for entry in data["reasons"]
        )
        return _Rules(
            rejection=_compile(data["rejection"]),
            information=_compile(data["information_request"]),
            reasons=reasons,
            rejections_before_review=int(data["rejections_before_review"]),
        )
    except (KeyError, TypeError, re.error) as error:
        raise InputError(
            f"{path}: malformed case rules ({error}).", hint="Fix the file."
        ) from error


def _found(patterns: Mapping[str, re.Pattern[str]], text: str, languages: Sequence[str]) -> bool:
    return any(
        (pattern := patterns.get(lang)) is not None and pattern.search(text) is not None
        for lang in languages
    )


def read_reply(text: str, *, reference_date: date | None = None) -> ReplyReading:
    """Read one of Amazon's replies to an appeal.

    Args:
        text: the reply as received (any of the seven languages).
        reference_date: the day it was received (deadlines count from it).

    Returns:
        Whether it rejects the appeal, is final or asks for information, the reasons it gives
        and the grader rule ids those reasons become for the next version.

    Raises:
        InputError: the text is empty.
    """
    if not text.strip():
        raise InputError("The reply is empty.", hint="Paste Amazon's whole reply.")
    rules = _rules()
    reading = classify_notice(text, reference_date=reference_date)
    languages = tuple(dict.fromkeys((reading.language, "en")))
    rejection = reading.final_decision or _found(rules.rejection, text, languages)
    reasons: list[str] = []
    prior: list[str] = []
    if rejection:
        for reason_id, rule_ids, patterns in rules.reasons:
            if _found(patterns, text, languages):
                reasons.append(reason_id)
                prior.extend(rule for rule in rule_ids if rule not in prior)
    return ReplyReading(
        language=reading.language,
        rejection=rejection,
        final_decision=reading.final_decision,
        information_request=_found(rules.information, text, languages),
        reasons=tuple(reasons),
        prior_findings=tuple(prior),
        families=tuple(f for f in reading.family_ids if f != "other"),
        deadline=reading.deadline,
    )


def case_guidance(
    knowledge: Knowledge,
    lang: str,
    *,
    rejections: int = 0,
    final_decision: bool = False,
    information_request: bool = False,
    unnamed_policy: bool = False,
) -> tuple[Item, ...]:
    """The conduct rules of an open case and the escalation steps that apply now.

    Args:
        knowledge: the knowledge base.
        lang: the language of the texts.
        rejections: how many versions Amazon has rejected so far.
        final_decision: Amazon said its decision is final.
        information_request: the last reply asks for information rather than a new plan.
        unnamed_policy: the notice names no specific policy.

    Raises:
        InputError: ``lang`` is unknown or not installed.
    """
    items = [knowledge.item(item_id, lang) for item_id in CONDUCT_IDS]
    escalation: list[str] = []
    if unnamed_policy:
        escalation.append("general.escalation.ask_for_the_reason")
    if information_request:
        escalation.append("general.escalation.answer_requests_for_information")
    if rejections >= _rules().rejections_before_review:
        escalation.append("general.escalation.seek_professional_review")
    if final_decision:
        escalation.append("general.escalation.final_decision")
    items.extend(knowledge.item(item_id, lang) for item_id in escalation)
    return tuple(items)
