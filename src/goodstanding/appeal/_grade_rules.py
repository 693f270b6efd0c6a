"""The grader's rules: each check reads the Document and returns raw findings (ids, spans)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from goodstanding.appeal._grade_document import Document, Section
from goodstanding.appeal._grade_lexicon import SECTION_KINDS
from goodstanding.appeal._grade_signals import (
    MetricFact,
    find_dates,
    find_figures,
    find_identifiers,
    find_private_data,
    fractions,
    percentages,
)
from goodstanding.appeal._grade_text import Sentence, cjk_count, word_count


@dataclass(frozen=True, slots=True)
class Ref:
    """A placeholder value looked up in ``names.<table>`` in the message language."""

    table: str
    key: str


@dataclass(frozen=True, slots=True)
class RefList:
    """Several names of one table, joined with the language's list separator."""

    table: str
    keys: tuple[str, ...]


Param = str | int | Ref | RefList


@dataclass(frozen=True, slots=True)
class RawFinding:
    """A rule that fired, before its texts are looked up."""

    rule: str
    span: tuple[int, int] | None
    params: Mapping[str, Param] = field(default_factory=dict)
    severity: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """What the caller knows besides the POA."""

    notice_families: tuple[str, ...]
    facts: Mapping[str, Sequence[MetricFact]]
    prior: frozenset[str]
    explicit_submission: bool


@dataclass(slots=True)
class Facts:
    """Spans shared by several rules and by the score's credits."""

    document: Document
    dates: list[tuple[int, int]]
    identifiers: list[tuple[int, int]]
    figures: list[tuple[int, int]]

    def topic(self, family_id: str) -> list[tuple[int, int]]:
        """Where the POA names the family with one of its specific terms."""
        family = self.document.grading.families[family_id]
        return list(self.document.index_of(f"family:{family_id}", family.terms).spans)

    def mentions(self, family_id: str) -> int:
        """How often the POA touches the family at all (specific or general terms)."""
        family = self.document.grading.families[family_id]
        weak = self.document.index_of(f"family-weak:{family_id}", family.weak)
        return len(self.topic(family_id)) + len(weak)


_DIGIT: Final = re.compile(r"\d")
# Languages that write the comparison after the figure ("2%以上", "低于" aside).
_POSTPOSITIONAL: Final = frozenset({"zh", "ja"})
_CAPITALS: Final = re.compile(r"(?<![\w'])[A-ZÀ-ÖØ-Þ]{3,}(?![\w'])")
_VOWEL: Final = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖÙ-Ü]")
_MARKER_CHARACTERS: Final = " \t0123456789.)(（）、,，:•·・*-–—"


def collect_facts(document: Document) -> Facts:
    """Find dates, ids, figures and topic hits once for all rules."""
    dates = find_dates(document)
    identifiers = find_identifiers(document)
    figures = find_figures(document, dates + identifiers)
    return Facts(document, dates, identifiers, figures)


# -- structure --------------------------------------------------------------------------------


def _starts_with_past(document: Document, sentence: Sentence) -> bool:
    body = document.norm[sentence.start : sentence.end].lstrip(_MARKER_CHARACTERS)
    lexicon = document.grading.lexicons["past_action_start"]
    return any(
        (pattern := lexicon.get(language)) is not None and pattern.match(body) is not None
        for language in document.languages
    )


def _is_past(document: Document, sentence: Sentence) -> bool:
    return document.index("past_action").any_within(
        sentence.start, sentence.end
    ) or _starts_with_past(document, sentence)


def _is_future(document: Document, sentence: Sentence) -> bool:
    return document.index("future").any_within(sentence.start, sentence.end)


def _section_words(document: Document, sections: Sequence[Section]) -> int:
    return sum(
        word_count(document.norm[section.content_start : section.content_end])
        for section in sections
    )


def _cue(document: Document, kind: str, sentence: Sentence) -> bool:
    if kind == "root_cause":
        return document.index("root_cue").any_within(sentence.start, sentence.end)
    if kind == "actions_taken":
        return _is_past(document, sentence)
    return _is_future(document, sentence) or document.index("prevention_cue").any_within(
        sentence.start, sentence.end
    )


def check_structure(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Missing, unlabelled, mixed and shallow sections; actions written as intentions."""
    findings: list[RawFinding] = []
    by_kind: dict[str, list[Section]] = defaultdict(list)
    for section in document.sections:
        by_kind[section.kind].append(section)
    coverage: dict[str, str] = {kind: "heading" for kind in SECTION_KINDS if by_kind[kind]}
    content = list(document.content_sentences())

    mixed_plan: Section | None = None
    for plan in by_kind["plan"]:
        sentences = [s for s in content if plan.content_start <= s.start < plan.content_end]
        has_past = any(_is_past(document, sentence) for sentence in sentences)
        has_future = any(_cue(document, "preventive_measures", s) for s in sentences)
        if has_past:
            coverage.setdefault("actions_taken", "plan")
        if has_future:
            coverage.setdefault("preventive_measures", "plan")
        no_split = not by_kind["actions_taken"] and not by_kind["preventive_measures"]
        if has_past and has_future and no_split and mixed_plan is None:
            mixed_plan = plan

    implicit: list[str] = []
    remedy = document.index("remedy")
    for kind in SECTION_KINDS:
        if kind in coverage:
            continue
        # A sentence under another part's heading belongs to that part ("we reduced our packing
        # days" in a root cause is narrative), unless it is plainly a remedy.
        others = [
            section
            for section in document.sections
            if section.kind in SECTION_KINDS and section.kind != kind
        ]
        free = [
            sentence
            for sentence in content
            if not any(o.content_start <= sentence.start < o.content_end for o in others)
        ]
        found = any(_cue(document, kind, sentence) for sentence in free)
        if not found and kind == "actions_taken":
            found = any(remedy.any_within(s.start, s.end) for s in content)
        if found:
            coverage[kind] = "cue"
            implicit.append(kind)
        else:
            findings.append(RawFinding(f"missing_{kind}", None))
    if implicit:
        findings.append(
            RawFinding(
                "unlabelled_sections", None, {"sections": RefList("sections", tuple(implicit))}
            )
        )
    if mixed_plan is not None:
        findings.append(
            RawFinding(
                "mixed_sections",
                (mixed_plan.heading_start, mixed_plan.heading_end),
                {"section": Ref("sections", "plan")},
            )
        )

    for section in by_kind["root_cause"]:
        for sentence in document.sentences_in(section.content_start, section.content_end):
            if remedy.any_within(sentence.start, sentence.end) or _is_future(document, sentence):
                findings.append(
                    RawFinding(
                        "mixed_sections",
                        (sentence.start, sentence.end),
                        {"section": Ref("sections", "root_cause")},
                    )
                )
                break

    for section in by_kind["actions_taken"]:
        sentences = list(document.sentences_in(section.content_start, section.content_end))
        past = [sentence for sentence in sentences if _is_past(document, sentence)]
        future = [
            sentence
            for sentence in sentences
            if _is_future(document, sentence) and not _is_past(document, sentence)
        ]
        if future and len(future) > len(past):
            findings.append(RawFinding("actions_not_taken", (future[0].start, future[0].end)))
            break

    for kind in SECTION_KINDS:
        rule = f"shallow_{kind}"
        prior = rule in context.prior
        limits = document.grading.limits["shallow_after_rejection" if prior else "shallow"]
        minimum = int(limits[kind])
        sections = by_kind[kind]
        span: tuple[int, int] | None = None
        if sections:
            words = _section_words(document, sections)
            span = (sections[0].heading_start, sections[0].heading_end)
        elif prior and coverage.get(kind) == "plan":
            words = _section_words(document, by_kind["plan"])
        elif prior and coverage.get(kind) == "cue":
            words = sum(
                word_count(document.norm[s.start : s.end])
                for s in content
                if _cue(document, kind, s)
            )
        else:
            continue
        if words < minimum:
            findings.append(
                RawFinding(
                    rule,
                    span,
                    {"words": words, "limit": minimum},
                    "error" if prior else None,
                )
            )
    return findings


# -- wording ----------------------------------------------------------------------------------

_SPAN_RULES: Final = (
    ("vague_language", "vague"),
    ("emotional_language", "emotion"),
    ("pleading", "pleading"),
    ("flattery", "flattery"),
    ("threat", "threat"),
    ("business_introduction", "business_intro"),
    ("cosmetic_fix", "cosmetic_fix"),
)
_BLAME_RULES: Final = (
    ("blame_amazon", "blame_amazon"),
    ("blame_buyers", "blame_buyers"),
    ("blame_third_party", "blame_third_party"),
)


def check_wording(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Vague, emotional, pleading, flattering, threatening and blaming phrases."""
    findings: list[RawFinding] = []
    for rule, lexicon in _SPAN_RULES:
        for start, end in document.index(lexicon).spans:
            if not document.in_heading(start):
                findings.append(RawFinding(rule, (start, end)))
    owned = len(document.index("ownership")) > 0
    for rule, lexicon in _BLAME_RULES:
        for start, end in document.index(lexicon).spans:
            if not document.in_heading(start):
                # Blame with no word of ownership anywhere is what gets appeals rejected outright.
                findings.append(RawFinding(rule, (start, end), {}, None if owned else "error"))
    if not owned:
        findings.append(RawFinding("no_ownership", None))

    text = document.norm
    exclamations = text.count("!") + text.count("！")
    if exclamations >= int(document.grading.limits["exclamations_warning"]):
        first = min(i for i in (text.find("!"), text.find("！")) if i >= 0)
        sentence = document.sentence_at(first)
        findings.append(
            RawFinding(
                "excessive_exclamation", (sentence.start, sentence.end), {"count": exclamations}
            )
        )

    capitals = []
    for match in _CAPITALS.finditer(document.text):
        word = match.group()
        line = document.norm.count("\n", 0, match.start())
        if word in document.grading.acronyms or line in document.heading_lines:
            continue
        if _VOWEL.search(word) is None:
            continue
        capitals.append(match.span())
    if capitals:
        severity = (
            None if len(capitals) >= int(document.grading.limits["shouting_warning"]) else "info"
        )
        findings.append(RawFinding("shouting", capitals[0], {}, severity))

    apologies = document.index("apology").spans
    if len(apologies) >= int(document.grading.limits["apologies_info"]):
        third = apologies[int(document.grading.limits["apologies_info"]) - 1]
        findings.append(RawFinding("excessive_apology", third, {"count": len(apologies)}))

    for start, end in document.index("case_reference").spans:
        findings.append(RawFinding("questions_or_case_references", (start, end)))
    for sentence in document.content_sentences():
        if document.norm[sentence.end - 1] in "?？":
            findings.append(
                RawFinding("questions_or_case_references", (sentence.start, sentence.end))
            )
            break
    return findings


def check_promises(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Promises that name no person, no time and no means, and absolute guarantees."""
    findings: list[RawFinding] = []
    absolute = document.index("absolute_promise")
    specifics = document.index("promise_specifics")
    roles = document.index("roles")
    for sentence in document.content_sentences():
        start, end = sentence.start, sentence.end
        if absolute.any_within(start, end):
            findings.append(RawFinding("vague_promise", (start, end)))
            continue
        if not _is_future(document, sentence):
            continue
        if _DIGIT.search(document.norm, start, end) or specifics.any_within(start, end):
            continue
        if roles.any_within(start, end):
            continue
        findings.append(RawFinding("vague_promise", (start, end)))
    if not (facts.dates or facts.figures or facts.identifiers):
        findings.append(RawFinding("no_specifics", None))
    return findings


def check_evidence(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Documents named but not attached; no evidence at all."""
    if len(document.index("exhibit_reference")) or len(document.index("exhibit_numbered")):
        return []
    for start, end in document.index("document_mention").spans:
        if not document.in_heading(start):
            return [RawFinding("claim_without_exhibit", (start, end))]
    return [RawFinding("no_evidence", None)]


# -- topics -----------------------------------------------------------------------------------


def _allowed_families(document: Document, notice: Sequence[str]) -> set[str]:
    families = document.grading.families
    allowed = set(notice)
    for family_id in notice:
        allowed |= families[family_id].related
    allowed |= {family_id for family_id, family in families.items() if family.related & set(notice)}
    return allowed


def check_families(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Families of the notice left unanswered; families discussed that the notice does not raise."""
    if not context.notice_families:
        return []
    findings: list[RawFinding] = []
    for family_id in context.notice_families:
        if family_id != "other" and not facts.mentions(family_id):
            findings.append(
                RawFinding("unanswered_family", None, {"family": Ref("families", family_id)})
            )
    if "other" in context.notice_families:
        return findings
    allowed = _allowed_families(document, context.notice_families)
    minimum = int(document.grading.limits["off_topic_min_hits"])
    for family_id in document.grading.families:
        if family_id in allowed or family_id == "other":
            continue
        strong = facts.topic(family_id)
        if len(strong) < minimum:
            continue
        findings.append(
            RawFinding("off_topic_family", strong[0], {"family": Ref("families", family_id)})
        )
    return findings


def _inferred_families(facts: Facts) -> set[str]:
    """Without a notice, the families the POA itself is mostly about."""
    counts = {family: len(facts.topic(family)) for family in facts.document.grading.families}
    top = max(counts.values(), default=0)
    if top < 2:
        return set()
    return {family for family, count in counts.items() if count == top}


def _negated(document: Document, start: int, end: int) -> bool:
    sentence = document.sentence_at(start)
    cjk = cjk_count(document.norm[start:end]) > 0
    window_start = max(sentence.start, start - (6 if cjk else 30))
    if document.index("negation_before").any_within(window_start, start):
        return True
    after_end = min(len(document.norm), end + 12)
    return document.index("negation_after").any_within(end, after_end)


def check_admissions(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Sentences that admit a further violation."""
    findings: list[RawFinding] = []
    notice: set[str] | None = set(context.notice_families) or None
    for admission in document.grading.admissions:
        index = document.index_of(f"admission:{admission.id}", admission.patterns)
        if not len(index):
            continue
        if notice is None:
            # Only worth computing once some admission actually appears.
            notice = _inferred_families(facts)
        if not admission.always and admission.family in notice:
            continue
        for start, end in index.spans:
            if _negated(document, start, end):
                continue
            findings.append(
                RawFinding(
                    "admission_new_violation",
                    (start, end),
                    {"family": Ref("families", admission.family)},
                )
            )
    return findings


# -- form -------------------------------------------------------------------------------------


def check_length(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Too short to answer three questions, or too long to be read in a few minutes."""
    limits = document.grading.limits
    words = document.words
    if words < int(limits["too_short_error"]):
        return [
            RawFinding(
                "too_short", None, {"words": words, "limit": int(limits["too_short_warning"])}
            )
        ]
    if words < int(limits["too_short_warning"]):
        return [
            RawFinding(
                "too_short",
                None,
                {"words": words, "limit": int(limits["too_short_warning"])},
                "warning",
            )
        ]
    if words > int(limits["too_long_error"]):
        return [
            RawFinding(
                "too_long",
                None,
                {"words": words, "limit": int(limits["too_long_warning"])},
                "error",
            )
        ]
    if words > int(limits["too_long_warning"]):
        return [
            RawFinding("too_long", None, {"words": words, "limit": int(limits["too_long_warning"])})
        ]
    return []


def check_private_data(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Personal data that has no place in an appeal."""
    return [
        RawFinding(
            "private_data",
            (item.start, item.end),
            {"kind": Ref("private_data", item.kind)},
            "error" if item.kind in ("card", "iban") else None,
        )
        for item in find_private_data(document, facts.dates)
    ]


def check_languages(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Passages in a language other than the submission's."""
    submission = document.submission_language

    def params_for(language: str) -> dict[str, Param]:
        return {"language": Ref("languages", language), "submission": Ref("languages", submission)}

    if context.explicit_submission and document.language != submission:
        return [RawFinding("wrong_submission_language", None, params_for(document.language))]
    minimum = int(document.grading.limits["foreign_min_words"])
    groups: list[tuple[str, int, int]] = []
    current: tuple[str, int, int] | None = None
    for line, language, words in zip(
        document.lines, document.line_languages, document.line_words, strict=True
    ):
        if language is None or words < minimum:
            continue
        if language == submission:
            if current is not None:
                groups.append(current)
            current = None
            continue
        if current is not None and current[0] == language:
            current = (language, current[1], line.end)
        else:
            if current is not None:
                groups.append(current)
            current = (language, line.body_start, line.end)
    if current is not None:
        groups.append(current)
    return [
        RawFinding("foreign_language", (start, end), params_for(language))
        for language, start, end in groups
    ]


def _format_actual(fact: MetricFact) -> str:
    text = ""
    if fact.value is not None:
        text = f"{fact.value * 100:.2f}".rstrip("0").rstrip(".") + " %"
    if fact.numerator is not None and fact.denominator is not None:
        text = f"{text} ({fact.numerator}/{fact.denominator})".strip()
    return text


def _percent_matches(claimed: float, decimals: int, fact: MetricFact) -> bool:
    if fact.value is None:
        return True
    # A figure written with d decimals may be rounded or cut: allow one unit of its last digit.
    return bool(abs(claimed - fact.value * 100) < 10.0 ** (-decimals) + 1e-9)


def check_account_facts(document: Document, context: Context, facts: Facts) -> list[RawFinding]:
    """Metric figures in the POA that the account's own data does not hold."""
    findings: list[RawFinding] = []
    targets = document.index("target_words")
    norm = document.norm
    for metric, known in sorted(context.facts.items()):
        lexicon = document.grading.metrics.get(metric)
        if lexicon is None or not known:
            continue
        mentions = document.index_of(f"metric:{metric}", lexicon)
        done: set[int] = set()
        for mention_start, mention_end in mentions.spans:
            sentence = document.sentence_at(mention_start)
            if sentence.start in done:
                continue
            done.add(sentence.start)
            claims = [
                claim
                for claim in percentages(norm, sentence.start, sentence.end)
                if not targets.any_within(max(sentence.start, claim[0] - 25), claim[0])
                # Chinese and Japanese put the comparison after the figure ("2%を超えたら").
                and not (
                    document.language in _POSTPOSITIONAL
                    and targets.any_within(claim[1], min(sentence.end, claim[1] + 6))
                )
            ]
            if claims:
                start, end, value, decimals = min(
                    claims,
                    key=lambda claim: min(
                        abs(claim[0] - mention_end), abs(mention_start - claim[1])
                    ),
                )
                if not any(_percent_matches(value, decimals, fact) for fact in known):
                    findings.append(
                        RawFinding(
                            "contradicts_account_data",
                            (start, end),
                            {
                                "metric": Ref("metrics", metric),
                                "claimed": document.text[start:end],
                                "actual": _format_actual(known[0]),
                            },
                        )
                    )
            for start, end, numerator, denominator in fractions(norm, sentence.start, sentence.end):
                # A figure of one window (7, 30 or 90 days) is not contradicted by the others.
                if any((f.numerator, f.denominator) == (numerator, denominator) for f in known):
                    continue
                for fact in known:
                    if fact.numerator is None or fact.denominator is None:
                        continue
                    same_base = denominator == fact.denominator or numerator == fact.numerator
                    if same_base and (numerator, denominator) != (fact.numerator, fact.denominator):
                        findings.append(
                            RawFinding(
                                "contradicts_account_data",
                                (start, end),
                                {
                                    "metric": Ref("metrics", metric),
                                    "claimed": document.text[start:end],
                                    "actual": _format_actual(fact),
                                },
                            )
                        )
                        break
    return findings


CHECKS: Final = (
    check_structure,
    check_wording,
    check_promises,
    check_evidence,
    check_families,
    check_admissions,
    check_length,
    check_private_data,
    check_languages,
    check_account_facts,
)


def credits(document: Document, facts: Facts) -> dict[str, int]:
    """Counts of the good signals the score rewards (see ``scoring.credits``)."""
    root_sections = [s for s in document.sections if s.kind == "root_cause"]
    action_sections = [s for s in document.sections if s.kind in ("actions_taken", "plan")]
    past_actions = sum(
        1
        for section in action_sections
        for sentence in document.sentences_in(section.content_start, section.content_end)
        if _is_past(document, sentence)
    )
    numbered = sum(
        1 for line in document.lines if line.enumerated and line.index not in document.heading_lines
    )
    return {
        "dates": len(facts.dates),
        "many_dates": len(facts.dates),
        "figures": len(facts.figures),
        "identifiers": len(facts.identifiers),
        "roles": len(document.index("roles")),
        "exhibits_numbered": len(document.index("exhibit_numbered")),
        "exhibits_mentioned": len(document.index("exhibit_reference")),
        "numbered_points": numbered,
        "root_cause_depth": _section_words(document, root_sections),
        "past_actions": past_actions,
        "ownership": len(document.index("ownership")),
    }
