"""The words and patterns the notice reader looks for, per language (``data/signals.yaml``).

The file is language-specific by nature: for every violation family it lists the phrases Amazon's
notices use in English, Chinese, French, Italian, German, Spanish and Japanese, each with a weight
saying how strongly the phrase alone points at the family. It also holds the language profiles
(stop words, month names, deadline phrasing), the boilerplate to ignore, and the seller-facing texts
of the reader (requested items, next steps, messages) in the seven languages. The header comment
of the YAML file documents the signal syntax.

Patterns are compiled once, case-insensitively, and are meant to run on the *compact* view of a
notice built by :mod:`goodstanding.appeal.classify` (single spaces, no space next to CJK text).
This module imports nothing but the base modules, the knowledge model, PyYAML and the standard
library, so any package may read the signals.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

from goodstanding.errors import InputError
from goodstanding.knowledge.model import FAMILY_IDS
from goodstanding.types import LANGUAGES

SIGNALS_PATH: Final = Path(__file__).parent / "data" / "signals.yaml"
"""The signals file shipped in the package."""

ANY_LANGUAGE: Final = "any"
"""Key of the language-neutral signals, used for every notice."""

NOTICE_FAMILIES: Final = FAMILY_IDS
"""The violation family ids a notice can be classified into (the knowledge base's FAMILY_IDS)."""

NEXT_STEP_KEYS: Final = (
    "final",
    "deadline_days_date",
    "deadline_days",
    "deadline_date",
    "documents",
    "plan",
    "appeal_account",
    "appeal_listing",
    "appeal_vendor",
    "other",
)
MESSAGE_KEYS: Final = ("not_a_notice", "final_decision")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SIGNAL_LANGUAGES: Final = (*LANGUAGES, ANY_LANGUAGE)

KeyPath = tuple[str | int, ...]


class SignalsFileError(InputError):
    """The signals file is malformed; the message names the file, line and key path."""

    def __init__(self, path: Path, key_path: KeyPath, problem: str, *, line: int | None) -> None:
        self.path = path
        self.key_path = key_path
        self.problem = problem
        self.line = line
        where = str(path) if line is None else f"{path}, line {line}"
        keys = ".".join(str(part) for part in key_path) or "(top level)"
        super().__init__(
            f"{where}, at {keys}: {problem}.",
            hint="Fix the entry in the signals file; the header comment documents its syntax.",
        )


@dataclass(frozen=True, slots=True)
class Signal:
    """One weighted pattern: when it matches a notice it points at ``key``.

    Patterns are compiled without ``re.IGNORECASE`` (about four times faster). Most are folded
    to lower case and searched in the lower-cased text; a pattern containing ``(?-i:...)``
    (acronyms such as ODR) has ``case_sensitive`` set and is searched in the text as written.
    ``anchors`` are literal strings one of which every match contains, tested first.
    """

    key: str
    language: str
    pattern: re.Pattern[str]
    weight: float
    unless: frozenset[str] = frozenset()
    fallback: bool = False
    case_sensitive: bool = False
    anchors: tuple[str, ...] = ()

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        """The first match in the notice (``text`` as written, ``lowered`` its lower case)."""
        searched = text if self.case_sensitive else lowered
        # Every match contains one of the anchors: a plain substring test rules most texts out.
        if self.anchors and not any(anchor in searched for anchor in self.anchors):
            return None
        return self.pattern.search(searched)


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Text of one language that never counts as a signal."""

    spans: tuple[re.Pattern[str], ...]
    sentences: tuple[tuple[re.Pattern[str], ...], ...]


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """How one language writes dates and deadlines, and the words that identify it."""

    code: str
    stopwords: frozenset[str]
    months: Mapping[str, int]
    numbers: Mapping[str, int]
    dates: tuple[re.Pattern[str], ...]  # folded: search lower-cased text
    within: tuple[re.Pattern[str], ...]  # folded: search lower-cased text
    units: tuple[tuple[re.Pattern[str], int], ...]
    look_back: re.Pattern[str] | None
    deadline_before: re.Pattern[str] | None
    deadline_after: re.Pattern[str] | None
    respond: re.Pattern[str] | None
    conditional: re.Pattern[str] | None
    header_date: re.Pattern[str] | None
    list_separator: str

    def days_per_unit(self, unit: str) -> int | None:
        """Days in one ``unit`` as written in a deadline ("weeks" → 7), or None."""
        for pattern, days in self.units:
            if pattern.fullmatch(unit):
                return days
        return None

    def number(self, text: str) -> int | None:
        """The value of a number written in digits or in words of this language."""
        if text.isdigit():
            return int(text)
        return self.numbers.get(text.lower())


@dataclass(frozen=True, slots=True)
class GenericFamily:
    """A pseudo-family (shared wording) reported as ``default`` when no member is found."""

    name: str
    default: str
    members: frozenset[str]


SignalTable = Mapping[str, tuple[Signal, ...]]
"""Signals of one group, by language code (including ``any``)."""


@dataclass(frozen=True, slots=True)
class Signals:
    """Everything the notice reader looks for, compiled."""

    languages: Mapping[str, LanguageProfile]
    any_dates: tuple[re.Pattern[str], ...]
    boilerplate: Mapping[str, Boilerplate]
    generic_families: Mapping[str, GenericFamily]
    families: SignalTable
    notice: SignalTable
    account_type: SignalTable
    scope: SignalTable
    final_decision: SignalTable
    requested: SignalTable
    requested_texts: Mapping[str, Mapping[str, str]]
    marketplace_domains: Mapping[str, str]
    marketplace_wording: SignalTable
    next_steps: Mapping[str, Mapping[str, tuple[str, ...]]]
    messages: Mapping[str, Mapping[str, str]]

    @staticmethod
    def select(table: SignalTable, languages: Iterable[str]) -> tuple[Signal, ...]:
        """The signals of ``table`` for ``languages`` (each once, in order)."""
        chosen: list[Signal] = []
        for language in dict.fromkeys(languages):
            chosen.extend(table.get(language, ()))
        return tuple(chosen)


@lru_cache(maxsize=4)
def load_signals(path: Path = SIGNALS_PATH) -> Signals:
    """Read, check and compile a signals file (the packaged one by default; cached).

    Raises:
        SignalsFileError: the file is missing, is not YAML, or an entry is malformed (bad
            regular expression, unknown family or language, weight out of range, missing text).
    """
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SignalsFileError(path, (), f"cannot be read ({exc.strerror})", line=None) from exc
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SignalsFileError(path, (), f"is not valid YAML ({exc})", line=line) from exc
    return _Builder(path, source).build(data)


class _Builder:
    """Turns the parsed YAML into :class:`Signals`, failing with the file line on any fault."""

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.source = source

    def fail(self, key_path: KeyPath, problem: str) -> SignalsFileError:
        return SignalsFileError(self.path, key_path, problem, line=self._line_of(key_path))

    def _line_of(self, key_path: KeyPath) -> int | None:
        # Walk the composed node tree (it keeps source marks) down the failing key path.
        try:
            node: yaml.Node | None = yaml.compose(self.source, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return None
        line = node.start_mark.line + 1 if node is not None else None
        for part in key_path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if part < len(node.value) else None
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def mapping(self, value: Any, key_path: KeyPath) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key_path, f"expected a mapping, found {type(value).__name__}")
        return {str(key): item for key, item in value.items()}

    def sequence(self, value: Any, key_path: KeyPath) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key_path, f"expected a list, found {type(value).__name__}")
        return value

    def text(self, value: Any, key_path: KeyPath) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key_path, "expected a non-empty text")
        return value

    def regex(
        self, value: Any, key_path: KeyPath, *, flags: int = re.IGNORECASE, **placeholders: str
    ) -> re.Pattern[str]:
        pattern = self.text(value, key_path)
        for name, alternation in placeholders.items():
            pattern = pattern.replace("{" + name + "}", alternation)
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise self.fail(key_path, f"invalid regular expression ({exc})") from exc

    def optional_regex(self, value: Any, key_path: KeyPath) -> re.Pattern[str] | None:
        return None if value is None else self.regex(value, key_path)

    def build(self, data: Any) -> Signals:
        root = self.mapping(data, ())
        if root.get("version") != 1:
            raise self.fail(("version",), "unsupported version (expected 1)")
        languages_node = self.mapping(root.get("languages"), ("languages",))
        languages = {
            code: self.language(code, self.mapping(languages_node.get(code), ("languages", code)))
            for code in LANGUAGES
        }
        any_node = self.mapping(languages_node.get(ANY_LANGUAGE, {}), ("languages", ANY_LANGUAGE))
        any_dates = tuple(
            self.regex(item, ("languages", ANY_LANGUAGE, "dates", index))
            for index, item in enumerate(
                self.sequence(any_node.get("dates"), ("languages", ANY_LANGUAGE, "dates"))
            )
        )
        generic = self.generic_families(root.get("generic_families", {}))
        family_keys = frozenset(NOTICE_FAMILIES) | frozenset(generic)
        families = self.table(root.get("families"), ("families",), family_keys, family_keys)
        missing = sorted(
            set(NOTICE_FAMILIES) - {s.key for group in families.values() for s in group}
        )
        if missing:
            raise self.fail(("families",), f"no signals for {', '.join(missing)}")
        requested = self.table(root.get("requested"), ("requested",), None, frozenset())
        requested_texts = self.texts(root.get("requested_texts"), ("requested_texts",))
        unnamed = sorted(
            {s.key for group in requested.values() for s in group} - set(requested_texts)
        )
        if unnamed:
            raise self.fail(("requested_texts",), f"no text for {', '.join(unnamed)}")
        marketplaces = self.mapping(root.get("marketplaces"), ("marketplaces",))
        domains = {
            tld: self.text(name, ("marketplaces", "domains", tld))
            for tld, name in self.mapping(
                marketplaces.get("domains"), ("marketplaces", "domains")
            ).items()
        }
        return Signals(
            languages=languages,
            any_dates=any_dates,
            boilerplate=self.boilerplate(root.get("boilerplate"), ("boilerplate",)),
            generic_families=generic,
            families=families,
            notice=self.table(
                root.get("notice"), ("notice",), frozenset({"context", "action"}), frozenset()
            ),
            account_type=self.table(
                root.get("account_type"),
                ("account_type",),
                frozenset({"seller", "vendor"}),
                frozenset(),
            ),
            scope=self.table(
                root.get("scope"), ("scope",), frozenset({"account", "listing"}), frozenset()
            ),
            final_decision=self.table(
                root.get("final_decision"), ("final_decision",), frozenset({"final"}), frozenset()
            ),
            requested=requested,
            requested_texts=requested_texts,
            marketplace_domains=domains,
            marketplace_wording=self.table(
                marketplaces.get("wording"),
                ("marketplaces", "wording"),
                frozenset(domains.values()),
                frozenset(),
            ),
            next_steps=self.next_steps(root.get("next_steps"), ("next_steps",)),
            messages=self.messages(root.get("messages"), ("messages",)),
        )

    def language(self, code: str, node: Mapping[str, Any]) -> LanguageProfile:
        at: KeyPath = ("languages", code)
        months = {
            str(name).lower(): int(number)
            for name, number in self.mapping(node.get("months", {}), (*at, "months")).items()
        }
        numbers = {
            str(word).lower(): int(value)
            for word, value in self.mapping(node.get("numbers", {}), (*at, "numbers")).items()
        }
        units_node = self.mapping(node.get("units"), (*at, "units"))
        units = tuple(
            (self.regex(unit, (*at, "units", unit)), int(days)) for unit, days in units_node.items()
        )
        month_alternation = _alternation(months) or "(?!x)x"
        number_alternation = r"\d{1,3}" + ("|" + _alternation(numbers) if numbers else "")
        unit_alternation = "|".join(f"(?:{unit})" for unit in units_node)
        # Dates and deadlines run over whole notices: folded and searched in lower-cased text.
        dates = tuple(
            self.regex(
                _fold_case(self.text(item, at)),
                (*at, "dates", index),
                flags=0,
                month=month_alternation,
            )
            for index, item in enumerate(self.sequence(node.get("dates"), (*at, "dates")))
        )
        within = tuple(
            self.regex(
                _fold_case(self.text(item, at)),
                (*at, "within", index),
                flags=0,
                number=number_alternation,
                unit=unit_alternation,
            )
            for index, item in enumerate(self.sequence(node.get("within"), (*at, "within")))
        )
        separator = node.get("list_separator")
        if not isinstance(separator, str) or not separator:
            raise self.fail((*at, "list_separator"), "expected a non-empty text")
        return LanguageProfile(
            code=code,
            stopwords=frozenset(
                str(word).lower()
                for word in self.sequence(node.get("stopwords"), (*at, "stopwords"))
            ),
            months=months,
            numbers=numbers,
            dates=dates,
            within=within,
            units=units,
            look_back=self.optional_regex(node.get("look_back"), (*at, "look_back")),
            deadline_before=self.optional_regex(
                node.get("deadline_before"), (*at, "deadline_before")
            ),
            deadline_after=self.optional_regex(node.get("deadline_after"), (*at, "deadline_after")),
            respond=self.optional_regex(node.get("respond"), (*at, "respond")),
            conditional=self.optional_regex(node.get("conditional"), (*at, "conditional")),
            header_date=self.optional_regex(node.get("header_date"), (*at, "header_date")),
            list_separator=separator,
        )

    def generic_families(self, value: Any) -> Mapping[str, GenericFamily]:
        result: dict[str, GenericFamily] = {}
        for name, entry in self.mapping(value, ("generic_families",)).items():
            at: KeyPath = ("generic_families", name)
            node = self.mapping(entry, at)
            default = self.text(node.get("default"), (*at, "default"))
            members = frozenset(
                str(m) for m in self.sequence(node.get("members"), (*at, "members"))
            )
            unknown = sorted((members | {default}) - set(NOTICE_FAMILIES))
            if unknown:
                raise self.fail(at, f"unknown family {', '.join(unknown)}")
            if name in NOTICE_FAMILIES:
                raise self.fail(at, "a pseudo-family may not reuse a family id")
            result[name] = GenericFamily(name, default, members)
        return result

    def table(
        self,
        value: Any,
        at: KeyPath,
        keys: frozenset[str] | None,
        unless_keys: frozenset[str],
    ) -> SignalTable:
        by_language: dict[str, list[Signal]] = {language: [] for language in _SIGNAL_LANGUAGES}
        for key, languages in self.mapping(value, at).items():
            if keys is not None and key not in keys:
                raise self.fail((*at, key), "unknown key")
            for language, entries in self.mapping(languages, (*at, key)).items():
                if language not in _SIGNAL_LANGUAGES:
                    raise self.fail((*at, key, language), "unknown language")
                for index, entry in enumerate(self.sequence(entries, (*at, key, language))):
                    signal = self.signal(
                        key, language, entry, (*at, key, language, index), unless_keys
                    )
                    by_language[language].append(signal)
        return {language: tuple(signals) for language, signals in by_language.items()}

    def signal(
        self, key: str, language: str, entry: Any, at: KeyPath, unless_keys: frozenset[str]
    ) -> Signal:
        if isinstance(entry, list) and len(entry) == 2:
            weight, pattern, unless, fallback = entry[0], entry[1], [], False
        elif isinstance(entry, dict):
            unknown = set(entry) - {"weight", "pattern", "unless", "fallback"}
            if unknown:
                raise self.fail(at, f"unknown field {', '.join(sorted(unknown))}")
            weight, pattern = entry.get("weight"), entry.get("pattern")
            unless = self.sequence(entry.get("unless"), (*at, "unless"))
            fallback = entry.get("fallback", False)
        else:
            raise self.fail(at, "expected [weight, pattern] or {weight, pattern, ...}")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise self.fail(at, f"weight must be a number in (0, 1], found {weight!r}")
        bad = sorted(str(name) for name in unless if name not in unless_keys)
        if bad:
            raise self.fail((*at, "unless"), f"unknown family {', '.join(bad)}")
        if not isinstance(fallback, bool):
            raise self.fail((*at, "fallback"), "expected true or false")
        where = at if isinstance(entry, list) else (*at, "pattern")
        source = self.text(pattern, where)
        case_sensitive = "(?-i:" in source
        self.regex(source, where)  # validates the pattern as written, errors name its line
        compiled = self.regex(source if case_sensitive else _fold_case(source), where, flags=0)
        return Signal(
            key=key,
            language=language,
            pattern=compiled,
            weight=float(weight),
            unless=frozenset(str(name) for name in unless),
            fallback=fallback,
            case_sensitive=case_sensitive,
            anchors=required_literals(compiled.pattern),
        )

    def boilerplate(self, value: Any, at: KeyPath) -> Mapping[str, Boilerplate]:
        result: dict[str, Boilerplate] = {}
        for language, entry in self.mapping(value, at).items():
            if language not in _SIGNAL_LANGUAGES:
                raise self.fail((*at, language), "unknown language")
            node = self.mapping(entry, (*at, language))
            spans = tuple(
                self.regex(item, (*at, language, "spans", index))
                for index, item in enumerate(
                    self.sequence(node.get("spans"), (*at, language, "spans"))
                )
            )
            sentences = tuple(
                tuple(
                    self.regex(item, (*at, language, "sentences", index, part))
                    for part, item in enumerate(
                        self.sequence(group, (*at, language, "sentences", index))
                    )
                )
                for index, group in enumerate(
                    self.sequence(node.get("sentences"), (*at, language, "sentences"))
                )
            )
            result[language] = Boilerplate(spans, sentences)
        return result

    def texts(self, value: Any, at: KeyPath) -> Mapping[str, Mapping[str, str]]:
        result: dict[str, Mapping[str, str]] = {}
        for key, languages in self.mapping(value, at).items():
            node = self.mapping(languages, (*at, key))
            self._require_languages(node, (*at, key))
            result[key] = {
                language: self.text(node[language], (*at, key, language)) for language in LANGUAGES
            }
        return result

    def next_steps(self, value: Any, at: KeyPath) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        node = self.mapping(value, at)
        result: dict[str, Mapping[str, tuple[str, ...]]] = {}
        for key in NEXT_STEP_KEYS:
            languages = self.mapping(node.get(key), (*at, key))
            self._require_languages(languages, (*at, key))
            texts = {
                language: tuple(
                    self.text(item, (*at, key, language, index))
                    for index, item in enumerate(
                        self.sequence(languages[language], (*at, key, language))
                    )
                )
                for language in LANGUAGES
            }
            self._same_placeholders(texts, (*at, key))
            result[key] = texts
        return result

    def messages(self, value: Any, at: KeyPath) -> Mapping[str, Mapping[str, str]]:
        node = self.mapping(value, at)
        missing = [key for key in MESSAGE_KEYS if key not in node]
        if missing:
            raise self.fail(at, f"missing message {', '.join(missing)}")
        return self.texts(node, at)

    def _require_languages(self, node: Mapping[str, Any], at: KeyPath) -> None:
        missing = [language for language in LANGUAGES if language not in node]
        if missing:
            raise self.fail(at, f"missing language {', '.join(missing)}")

    def _same_placeholders(self, texts: Mapping[str, tuple[str, ...]], at: KeyPath) -> None:
        reference = {name for text in texts["en"] for name in _PLACEHOLDER.findall(text)}
        for language, items in texts.items():
            names = {name for text in items for name in _PLACEHOLDER.findall(text)}
            if names != reference:
                raise self.fail(
                    (*at, language),
                    f"placeholders {sorted(names)} differ from English {sorted(reference)}",
                )


def _fold_case(pattern: str) -> str:
    """``pattern`` with its literal letters in lower case (escapes and ``(?P`` left alone)."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
        elif pattern.startswith("(?P", index):
            out.append("(?P")
            index += 3
        else:
            out.append(char.lower())
            index += 1
    return "".join(out)


# The standard library's own regular-expression parser; private, hence loaded defensively: without
# it no anchors are derived and every pattern is simply searched.
try:
    _PARSER: Any = importlib.import_module("re._parser")
    _CODES: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - every supported Python has them
    _PARSER = _CODES = None


def _selective(text: str) -> bool:
    # Three Latin characters, or two Chinese/Japanese ones, rule out most texts.
    return len(text) >= 3 or (len(text) == 2 and all(ord(char) >= 0x2E80 for char in text))


def required_literals(pattern: str) -> tuple[str, ...]:
    """Literal strings one of which every match of ``pattern`` contains (empty: none known).

    Used as a cheap pre-test: ``'restricted product'`` must occur in a text before the pattern
    ``restricted products?`` can match it. Patterns with case-insensitive flags are not handled
    here (callers pass case-folded patterns compiled without flags).
    """
    if _PARSER is None:
        return ()
    try:
        tree = _PARSER.parse(pattern, 0)
    except re.error:
        return ()
    found = _required(list(tree))
    return tuple(sorted(found)) if found else ()


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    codes = _CODES
    runs: list[str] = []
    run: list[str] = []
    candidates: list[set[str]] = []
    for op, value in items:
        if op is codes.LITERAL:
            run.append(chr(value))
            continue
        if op in (codes.AT, codes.ASSERT, codes.ASSERT_NOT):
            continue  # zero width: the literals on both sides stay adjacent
        runs.append("".join(run))
        run = []
        inner: set[str] | None = None
        if op is codes.BRANCH:
            options = [_required(list(option)) for option in value[1]]
            if all(option is not None for option in options):
                inner = set().union(*(option for option in options if option is not None))
        elif op is codes.SUBPATTERN:
            inner = _required(list(value[-1]))
        elif op in (codes.MAX_REPEAT, codes.MIN_REPEAT) and value[0] >= 1:
            inner = _required(list(value[2]))
        if inner:
            candidates.append(inner)
    runs.append("".join(run))
    longest = max(runs, key=len)
    if _selective(longest):
        return {longest}
    usable = [c for c in candidates if all(_selective(text) for text in c)]
    if usable:
        return max(usable, key=lambda c: min(len(text) for text in c))
    return None


def lower_text(text: str) -> str:
    """``text`` in lower case with one character per character (so offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters ("İ") grow when lower-cased; keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "september" wins over "sep".
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
