"""Facts a POA states: dates, figures, order ids and ASINs, personal data, metric figures."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from goodstanding.appeal._grade_document import Document
from goodstanding.appeal._grade_lexicon import LATIN_WORD
from goodstanding.errors import InputError

_B: Final = f"(?<!{LATIN_WORD})"
_E: Final = f"(?!{LATIN_WORD})"

ORDER_ID: Final = re.compile(r"(?<!\d)\d{3}-\d{7}-\d{7}(?!\d)")
_IDENTIFIERS: Final = (
    ORDER_ID,
    re.compile(rf"{_B}B0[0-9A-Z]{{8}}{_E}"),
    re.compile(rf"{_B}FBA[0-9A-Z]{{6,12}}{_E}"),
    re.compile(rf"{_B}1Z[0-9A-Z]{{16}}{_E}"),
    re.compile(rf"{_B}SKU[ :#-]*[A-Za-z0-9][\w-]{{2,}}", re.IGNORECASE),
)
_NUMBER: Final = re.compile(r"(?<![0-9A-Za-z.,])\d+(?:[.,]\d+)*(?:\s?%|％)?")
_EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_AMAZON_ADDRESS: Final = re.compile(r"@amazon\.[a-z.]+$", re.IGNORECASE)
_PHONE: Final = re.compile(r"(?<![0-9A-Za-z+])\+?\(?\d[\d ().-]{7,18}\d(?![0-9A-Za-z])")
_CARD: Final = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_IBAN: Final = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_ADDRESS: Final = (
    re.compile(
        r"\b\d{1,5}[ ](?:[A-Z][\w'-]*[ ]){1,4}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?"
        r"|Drive|Dr\.?|Boulevard|Blvd\.?|Court|Ct\.?|Way|Close|Crescent|Place|Pl\.?)\b"
    ),
    re.compile(
        r"\b(?:Rue|Avenue|Boulevard|Chemin|Via|Viale|Piazza|Corso|Calle|Avenida|Plaza|Paseo)"
        r"[ ][\w' -]{2,40}?,?[ ]\d{1,5}\b"
    ),
    re.compile(
        r"(?<![\w-])[\w-]*(?:straße|strasse|weg|gasse|platz|allee)[ ]\d{1,4}[a-z]?\b",
        re.IGNORECASE,
    ),
    re.compile(r"[\u4e00-\u9fff]{2,12}(?:路|街|道|巷)\d+号"),
    re.compile(r"\d+丁目\d+(?:番地?|-)\d*"),
)
_TITLE: Final = r"(?:Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Herr|Frau|M\.|Mme|Sig\.(?:ra)?|Sr\.?|Sra\.?)"
_NAME: Final = re.compile(rf"(?:{_TITLE}[ ]+)?([A-Z][a-zà-ÿ]+(?:[ ][A-Z][a-zà-ÿ]+){{1,2}})(?![\w])")
_NOT_NAMES: Final = frozenset(
    {
        "Service",
        "Services",
        "Support",
        "Team",
        "Experience",
        "Central",
        "Seller",
        "Amazon",
        "Performance",
        "Account",
        "Health",
        "Messaging",
        "Feedback",
        "Manager",
        "Relations",
        "Care",
    }
)
_CJK_NAME: Final = re.compile(
    r"(?:买家|顾客|客户|購入者|お客様)[:：]?\s*([\u4e00-\u9fff]{2,4}?)(?:先生|女士|小姐|様|さん)"
)
PERCENT: Final = re.compile(
    r"(?<![0-9A-Za-z.,])(\d{1,3}(?:[.,]\d{1,4})?)\s?"
    r"(?:%|％|percent|per cent|prozent|pour ?cent|per ?cento|por ?ciento)",
    re.IGNORECASE,
)
_OF: Final = rf"(?:{_B}(?:out of|of|von|sur|su|de|di|sobre){_E}|/)"
FRACTION: Final = re.compile(
    rf"(?<![\d.,])(\d{{1,7}})\s*{_OF}\s*(\d{{1,7}})(?![\d.,])",
    re.IGNORECASE,
)
FRACTION_CJK: Final = re.compile(
    r"(\d{1,7})\s*(?:个|件|笔|單|单)?(?:订单|注文)?(?:中|のうち|中の)(?:的|有)?\s*(\d{1,7})"
)


@cache
def _date_pattern(months: str) -> re.Pattern[str]:
    """Dates with digits or month names, in one pass (built once per set of month names)."""
    return re.compile(
        rf"""(?<![\d.])(?:
            \d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?!\d)
          | \d{{1,2}}[/.]\d{{1,2}}[/.](?:\d{{4}}|\d{{2}})(?!\d|\.\d)
          | \d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?
          | \d{{1,2}}\s*月\s*\d{{1,2}}\s*日
          | \d{{1,2}}(?:st|nd|rd|th|er|º|°|\.)?\s+(?:de\s+)?(?:{months}){_E}
            (?:\s+(?:de\s+)?\d{{4}})?
        )
        | {_B}(?:{months}){_E}\s+(?:
            \d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?!\d)
          | (?:de\s+)?\d{{4}}
        )""",
        re.IGNORECASE | re.VERBOSE,
    )


_DIGITS: Final = re.compile(r"\d+")
# Every date has a number; looking only this far around each one is much faster than a full scan.
_DATE_REACH: Final = 32


def find_dates(document: Document) -> list[tuple[int, int]]:
    """Spans of dates written with digits or month names (any of the seven languages)."""
    pattern = _date_pattern(document.grading.month_names)
    norm = document.norm
    spans: set[tuple[int, int]] = set()
    searched_to = 0
    for digits in _DIGITS.finditer(norm):
        low = max(searched_to, digits.start() - _DATE_REACH)
        high = min(len(norm), digits.end() + _DATE_REACH)
        if low >= high:
            continue
        spans.update(match.span() for match in pattern.finditer(norm, low, high))
        searched_to = max(low, digits.start())
    return _merge(spans)


def find_identifiers(document: Document) -> list[tuple[int, int]]:
    """Spans of order ids, ASINs, FBA shipment ids, UPS tracking numbers and SKUs."""
    spans: set[tuple[int, int]] = set()
    for pattern in _IDENTIFIERS:
        for match in pattern.finditer(document.text):
            spans.add((match.start(), match.end()))
    return _merge(spans)


def find_figures(document: Document, exclude: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Numbers that state a fact (not list numbering, exhibit numbers, dates or ids)."""
    body_starts = {line.start: line.body_start for line in document.lines}
    exhibit_numbers = document.index("exhibit_numbered")
    excluded = sorted(exclude)
    excluded_starts = [a for a, _ in excluded]
    figures: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(document.norm):
        start, end = match.span()
        before = bisect.bisect_right(excluded_starts, start) - 1
        if before >= 0 and excluded[before][0] <= start < excluded[before][1]:
            continue
        if exhibit_numbers.any_within(max(0, start - 20), end):
            continue
        line_start = document.norm.rfind("\n", 0, start) + 1
        if start < body_starts.get(line_start, line_start):
            continue
        figures.append((start, end))
    return figures


def _merge(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class PrivateItem:
    """A piece of personal data found in the POA."""

    kind: str
    start: int
    end: int


def find_private_data(document: Document, dates: Sequence[tuple[int, int]]) -> list[PrivateItem]:
    """E-mails, phones, card numbers, IBANs, and buyers' names or addresses."""
    text = document.text
    norm = document.norm
    items: list[PrivateItem] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        items.append(PrivateItem(kind, start, end))

    protected = [match.span() for match in ORDER_ID.finditer(text)]
    protected += dates
    for match in _EMAIL.finditer(text):
        if not _AMAZON_ADDRESS.search(match.group()):
            add("email", *match.span())
    for match in _IBAN.finditer(text):
        add("iban", *match.span())
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        overlaps_protected = any(match.start() < b and a < match.end() for a, b in protected)
        if not overlaps_protected and 13 <= len(digits) <= 19 and _luhn(digits):
            add("card", *match.span())
    for match in _PHONE.finditer(norm):
        start, end = match.span()
        digits = re.sub(r"\D", "", match.group())
        if not 9 <= len(digits) <= 15:
            continue
        if any(start < b and a < end for a, b in protected):
            continue
        # A long number is only a phone when it says so: "+" prefix or a phone word just before.
        if match.group().startswith("+") or document.index("phone_words").any_within(
            max(0, start - 25), start
        ):
            add("phone", start, end)
    customers = document.index("customer_words")
    for _, customer_end in customers.spans:
        name = _NAME.match(text, _skip_spaces(text, customer_end))
        if name is None:
            continue
        words = name.group(1).split()
        if any(word in _NOT_NAMES for word in words):
            continue
        add("customer_name", name.start(1), name.end(1))
    for match in _CJK_NAME.finditer(text):
        add("customer_name", match.start(1), match.end(0))
    for pattern in _ADDRESS:
        for match in pattern.finditer(text):
            sentence = document.sentence_at(match.start())
            if customers.any_within(sentence.start, sentence.end):
                add("address", *match.span())
    return sorted(items, key=lambda item: (item.start, item.end))


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " :":
        position += 1
    return position


@dataclass(frozen=True, slots=True)
class MetricFact:
    """One figure of the account's own data."""

    value: float | None
    numerator: int | None
    denominator: int | None


def _fact(raw: object, key: str) -> MetricFact:
    if isinstance(raw, bool):
        raise InputError(
            f"account_facts['{key}'] is a boolean.", hint="Give the metric as a ratio."
        )
    if isinstance(raw, int | float):
        return MetricFact(float(raw), None, None)
    if not isinstance(raw, Mapping):
        raise InputError(
            f"account_facts['{key}'] must be a number or a mapping.",
            hint='Use {"value": 0.023, "numerator": 14, "denominator": 610}.',
        )
    value = raw.get("value")
    numerator = raw.get("numerator")
    denominator = raw.get("denominator")
    for name, item in (("numerator", numerator), ("denominator", denominator)):
        if item is not None and (isinstance(item, bool) or not isinstance(item, int)):
            raise InputError(
                f"account_facts['{key}']['{name}'] must be a whole number, not {item!r}.",
                hint="Counts of orders are integers.",
            )
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise InputError(
            f"account_facts['{key}']['value'] must be a number, not {value!r}.",
            hint="Give the metric as a ratio, e.g. 0.023 for 2.3 %.",
        )
    if (
        value is None
        and isinstance(numerator, int)
        and isinstance(denominator, int)
        and denominator
    ):
        value = numerator / denominator
    return MetricFact(
        None if value is None else float(value),
        numerator if isinstance(numerator, int) else None,
        denominator if isinstance(denominator, int) else None,
    )


def read_account_facts(
    account_facts: Mapping[str, Any] | None, known_metrics: Sequence[str]
) -> dict[str, list[MetricFact]]:
    """Metric figures from ``account_facts``: ``{metric_id: figure}`` or a health JSON's metrics.

    Keys that are not metric ids are other facts and are left alone.
    """
    facts: dict[str, list[MetricFact]] = {}
    if not account_facts:
        return facts
    for key, raw in account_facts.items():
        if key in known_metrics:
            facts.setdefault(key, []).append(_fact(raw, key))
    listed: list[Any] = []
    if isinstance(account_facts.get("metrics"), list):
        listed.extend(account_facts["metrics"])
    marketplaces = account_facts.get("marketplaces")
    if isinstance(marketplaces, list):
        for marketplace in marketplaces:
            if isinstance(marketplace, Mapping) and isinstance(marketplace.get("metrics"), list):
                listed.extend(marketplace["metrics"])
    for entry in listed:
        if isinstance(entry, Mapping) and entry.get("id") in known_metrics:
            metric = str(entry["id"])
            facts.setdefault(metric, []).append(_fact(entry, metric))
    return facts


def percentages(text: str, start: int, end: int) -> Iterator[tuple[int, int, float, int]]:
    """``(start, end, value, decimals)`` of each percentage in ``text[start:end]``."""
    for match in PERCENT.finditer(text, start, end):
        number = match.group(1).replace(",", ".")
        decimals = len(number.split(".")[1]) if "." in number else 0
        yield match.start(), match.end(), float(number), decimals


def fractions(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """``(start, end, numerator, denominator)`` of "14 of 610" style figures."""
    for match in FRACTION.finditer(text, start, end):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if 0 <= numerator <= denominator:
            yield match.start(), match.end(), numerator, denominator
    for match in FRACTION_CJK.finditer(text, start, end):
        denominator, numerator = int(match.group(1)), int(match.group(2))
        if 0 <= numerator <= denominator:
            yield match.start(), match.end(), numerator, denominator
