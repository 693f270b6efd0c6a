"""Loads ``knowledge/data/grading.yaml``: checks its shape and compiles every pattern once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import yaml

from goodstanding.errors import DataError
from goodstanding.types import LANGUAGES

GRADING_FILE: Final = "knowledge/data/grading.yaml"
SEVERITIES: Final = ("error", "warning", "info")
SECTION_KINDS: Final = ("root_cause", "actions_taken", "preventive_measures")
HEADING_KINDS: Final = (*SECTION_KINDS, "plan", "other")
CJK_LANGUAGES: Final = frozenset({"zh", "ja"})

# A Latin "word character" for the whole-word rule. CJK characters count as \w in Python, so an
# English term glued to Chinese text ("我们的ODR是") must not need a \b there.
LATIN_WORD: Final = r"[0-9A-Za-z\u00C0-\u024F_]"
_BEFORE: Final = f"(?<!{LATIN_WORD})"
_AFTER: Final = f"(?!{LATIN_WORD})"

_LEXICONS: Final = (
    "root_cue",
    "past_action",
    "past_action_start",
    "remedy",
    "future",
    "prevention_cue",
    "vague",
    "absolute_promise",
    "promise_specifics",
    "roles",
    "emotion",
    "pleading",
    "blame_amazon",
    "blame_buyers",
    "blame_third_party",
    "ownership",
    "flattery",
    "threat",
    "business_intro",
    "case_reference",
    "apology",
    "document_mention",
    "exhibit_reference",
    "exhibit_numbered",
    "cosmetic_fix",
    "target_words",
    "negation_before",
    "negation_after",
    "customer_words",
    "phone_words",
    "months",
)


class GradingDataError(DataError):
    """``grading.yaml`` does not have the shape the grader needs (names the key path)."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(
            f"{GRADING_FILE}, key '{key}': {problem}.",
            hint="The file ships with goodstanding; restore it from the release or fix the key.",
        )


Lexicon = Mapping[str, re.Pattern[str]]
"""One compiled alternation per language."""


@dataclass(frozen=True, slots=True)
class Admission:
    """A phrase that admits a violation, with the family it belongs to."""

    id: str
    family: str
    always: bool
    patterns: Lexicon


@dataclass(frozen=True, slots=True)
class Family:
    """Topic lexicon of one violation family."""

    id: str
    related: frozenset[str]
    terms: Lexicon
    weak: Lexicon


@dataclass(frozen=True, slots=True)
class RuleText:
    """Default severity, message and fix of one rule, per language."""

    severity: str
    message: Mapping[str, str]
    fix: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Grading:
    """Everything grading.yaml holds, validated and compiled."""

    limits: Mapping[str, Any]
    severity_points: Mapping[str, float]
    repeat_factor: float
    credits: Mapping[str, tuple[int, int]]
    ready_at: int
    reject_below: int
    start: int
    stopwords: Mapping[str, tuple[str, ...]]
    """For each function word, the languages that list it."""
    zh_markers: tuple[str, ...]
    acronyms: frozenset[str]
    headings: Mapping[str, Lexicon]
    lexicons: Mapping[str, Lexicon]
    admissions: tuple[Admission, ...]
    families: Mapping[str, Family]
    metrics: Mapping[str, Lexicon]
    names: Mapping[str, Any]
    rules: Mapping[str, RuleText]
    month_names: str
    """One regular expression (without word boundaries) for the month names of all languages."""


def _spaces_to_whitespace(pattern: str) -> str:
    """Turn each space outside a character class into ``\\s+`` (see the file's conventions)."""
    out: list[str] = []
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == " " and not in_class:
            out.append(r"\s+")
        else:
            out.append(char)
    return "".join(out)


def _compile(
    key: str, language: str, patterns: list[str], *, anchored: bool = False
) -> re.Pattern[str]:
    parts = [_spaces_to_whitespace(pattern) for pattern in patterns]
    body = "|".join(f"(?:{part})" for part in parts)
    if language not in CJK_LANGUAGES:
        body = f"{_BEFORE}(?:{body}){_AFTER}"
    if anchored:
        body = f"^(?:{body})"
    try:
        return re.compile(body, re.IGNORECASE)
    except re.error as exc:
        # Find the culprit so the message names it.
        for pattern in patterns:
            try:
                re.compile(_spaces_to_whitespace(pattern))
            except re.error as inner:
                raise GradingDataError(
                    f"{key}.{language}", f"bad pattern {pattern!r}: {inner}"
                ) from exc
        raise GradingDataError(f"{key}.{language}", f"patterns do not combine: {exc}") from exc


def _mapping(value: object, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise GradingDataError(key, "expected a mapping")
    return value


def _string_list(value: object, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise GradingDataError(key, "expected a list of strings")
    return list(value)


def _lexicon(value: object, key: str, *, anchored: bool = False, required: bool = False) -> Lexicon:
    per_language = _mapping(value, key)
    compiled: dict[str, re.Pattern[str]] = {}
    for language, patterns in per_language.items():
        if language not in LANGUAGES:
            raise GradingDataError(
                f"{key}.{language}", f"unknown language (use one of {LANGUAGES})"
            )
        items = _string_list(patterns, f"{key}.{language}")
        if items:
            compiled[language] = _compile(key, language, items, anchored=anchored)
    if required:
        missing = [language for language in LANGUAGES if language not in compiled]
        if missing:
            raise GradingDataError(key, f"no patterns for {', '.join(missing)}")
    return compiled


def _texts(value: object, key: str) -> dict[str, str]:
    per_language = _mapping(value, key)
    missing = [
        language for language in LANGUAGES if not isinstance(per_language.get(language), str)
    ]
    if missing:
        raise GradingDataError(key, f"no text for {', '.join(missing)}")
    return {language: str(per_language[language]) for language in LANGUAGES}


def _number(value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GradingDataError(key, "expected a number")
    return float(value)


def parse_grading(data: object) -> Grading:
    """Validate and compile the parsed content of grading.yaml."""
    root = _mapping(data, "(top level)")
    scoring = _mapping(root.get("scoring"), "scoring")
    points = _mapping(scoring.get("severity_points"), "scoring.severity_points")
    severity_points = {
        severity: _number(points.get(severity), f"scoring.severity_points.{severity}")
        for severity in SEVERITIES
    }
    credits: dict[str, tuple[int, int]] = {}
    for name, spec in _mapping(scoring.get("credits"), "scoring.credits").items():
        spec_map = _mapping(spec, f"scoring.credits.{name}")
        credits[name] = (
            int(_number(spec_map.get("min"), f"scoring.credits.{name}.min")),
            int(_number(spec_map.get("points"), f"scoring.credits.{name}.points")),
        )
    verdict = _mapping(scoring.get("verdict"), "scoring.verdict")

    headings_data = _mapping(root.get("headings"), "headings")
    headings = {
        kind: _lexicon(headings_data.get(kind), f"headings.{kind}", anchored=True, required=True)
        for kind in HEADING_KINDS
    }
    lexicons_data = _mapping(root.get("lexicons"), "lexicons")
    lexicons: dict[str, Lexicon] = {}
    for name in _LEXICONS:
        if name not in lexicons_data:
            raise GradingDataError(f"lexicons.{name}", "missing")
        lexicons[name] = _lexicon(lexicons_data[name], f"lexicons.{name}")

    family_ids: list[str] = list(_mapping(root.get("families"), "families"))
    families: dict[str, Family] = {}
    for family_id, spec in _mapping(root.get("families"), "families").items():
        key = f"families.{family_id}"
        spec_map = _mapping(spec, key)
        related = _string_list(spec_map.get("related", []), f"{key}.related")
        unknown = [item for item in related if item not in family_ids]
        if unknown:
            raise GradingDataError(f"{key}.related", f"unknown families {unknown}")
        families[family_id] = Family(
            id=family_id,
            related=frozenset(related),
            terms=_lexicon(spec_map.get("terms", {}), f"{key}.terms"),
            weak=_lexicon(spec_map.get("weak", {}), f"{key}.weak"),
        )

    admissions: list[Admission] = []
    if not isinstance(root.get("admissions"), list):
        raise GradingDataError("admissions", "expected a list")
    for index, spec in enumerate(root["admissions"]):
        key = f"admissions[{index}]"
        spec_map = _mapping(spec, key)
        family = spec_map.get("family")
        if family not in families:
            raise GradingDataError(f"{key}.family", f"unknown family {family!r}")
        admissions.append(
            Admission(
                id=str(spec_map.get("id")),
                family=str(family),
                always=bool(spec_map.get("always", False)),
                patterns=_lexicon(spec_map.get("patterns"), f"{key}.patterns", required=True),
            )
        )

    metrics = {
        metric: _lexicon(spec, f"metrics.{metric}", required=True)
        for metric, spec in _mapping(root.get("metrics"), "metrics").items()
    }

    rules: dict[str, RuleText] = {}
    for rule_id, spec in _mapping(root.get("rules"), "rules").items():
        key = f"rules.{rule_id}"
        spec_map = _mapping(spec, key)
        severity = spec_map.get("severity")
        if severity not in SEVERITIES:
            raise GradingDataError(f"{key}.severity", f"expected one of {SEVERITIES}")
        rules[rule_id] = RuleText(
            severity=str(severity),
            message=_texts(spec_map.get("message"), f"{key}.message"),
            fix=_texts(spec_map.get("fix"), f"{key}.fix"),
        )

    names = _mapping(root.get("names"), "names")
    for table in ("sections", "languages", "private_data", "families", "metrics"):
        for item, texts in _mapping(names.get(table), f"names.{table}").items():
            _texts(texts, f"names.{table}.{item}")
    for family_id in families:
        if family_id not in names["families"]:
            raise GradingDataError(f"names.families.{family_id}", "missing")
    _texts(names.get("list_separator"), "names.list_separator")
    _texts(names.get("prior_prefix"), "names.prior_prefix")

    stopword_sets: dict[str, set[str]] = {}
    for language, words in _mapping(root.get("stopwords"), "stopwords").items():
        if language not in LANGUAGES:
            raise GradingDataError(f"stopwords.{language}", "unknown language")
        for word in _string_list(words, f"stopwords.{language}"):
            stopword_sets.setdefault(word.lower(), set()).add(language)
    stopwords = {word: tuple(sorted(languages)) for word, languages in stopword_sets.items()}
    month_names = "|".join(
        f"(?:{_spaces_to_whitespace(pattern)})"
        for language in LANGUAGES
        for pattern in _string_list(
            _mapping(lexicons_data["months"], "lexicons.months").get(language, []),
            f"lexicons.months.{language}",
        )
    )
    return Grading(
        limits=_mapping(root.get("limits"), "limits"),
        severity_points=severity_points,
        repeat_factor=_number(scoring.get("repeat_factor"), "scoring.repeat_factor"),
        credits=credits,
        ready_at=int(_number(verdict.get("ready"), "scoring.verdict.ready")),
        reject_below=int(_number(verdict.get("reject"), "scoring.verdict.reject")),
        start=int(_number(scoring.get("start"), "scoring.start")),
        stopwords=stopwords,
        zh_markers=tuple(_string_list(root.get("zh_markers"), "zh_markers")),
        acronyms=frozenset(_string_list(root.get("acronyms"), "acronyms")),
        headings=headings,
        lexicons=lexicons,
        admissions=tuple(admissions),
        families=families,
        metrics=metrics,
        names=names,
        rules=rules,
        month_names=month_names,
    )


@cache
def load_grading() -> Grading:
    """The packaged grading rules, loaded and compiled once per process."""
    resource = resources.files("goodstanding").joinpath(GRADING_FILE)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise GradingDataError("(file)", "not found in the installed package") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GradingDataError("(file)", f"not valid YAML: {exc}") from exc
    return parse_grading(data)
