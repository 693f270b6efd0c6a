"""Read an Amazon notice: what the account is accused of, how long it has, what to send.

:func:`classify_notice` turns the text of a suspension e-mail, performance notification or policy
warning (seller or vendor, account or listing level, in any of the seven languages) into a
:class:`NoticeReading`: the violation families with the exact span that triggered each, ASINs,
order ids, marketplace, deadline, whether Amazon calls its decision final, what it asks for, and
the next steps in the notice's language. It is pure, deterministic and offline; every word it
looks for lives in ``knowledge/data/signals.yaml`` (see :mod:`goodstanding.knowledge.signals`).

How a notice is read:

1. A *compact* view of the text folds full-width forms, curly quotes and dashes, collapses white
   space and drops it next to Chinese or Japanese characters, keeping a map back to the original
   offsets, so every evidence span is an exact substring of the input.
2. The language comes from the script (kana → ja, Han without kana → zh) and, for Latin text, from
   stop words.
3. Boilerplate (held-funds sentences that name A-to-z claims, FBA-removal sentences, help-page
   titles quoted as reading lists) is blanked so it never counts.
4. The signals of the notice's language, of English and the language-neutral ones are matched.
   A family's confidence is ``1 - prod(1 - weight)`` over its distinct matching signals; it is
   found at 0.5. ``unless`` signals are dropped when a family they defer to is found without
   them; ``fallback`` signals (generic "listing violates our policy" wording) count only when no
   family was found; shared IP wording becomes ``intellectual_property_trademark`` unless a
   specific right is named; a notice naming no family at all is ``other``.
5. A text that reads as no notice at all gets ``families: []`` and a message, never a guess.

Deadlines: "within 17 days" style phrases give ``days_to_respond``; an explicit date after "by",
"bis zum", "entro il", "まで"... gives ``deadline``. The reference date for the arithmetic is the
``reference_date`` argument, else the notice's own date (a "Date:" header, as e-mails read by
:func:`~goodstanding.appeal.notice_text.read_notice_text` carry), else none: then a relative
deadline gives ``days_to_respond`` but no ``deadline`` (callers such as the CLI pass today).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

from goodstanding.knowledge.signals import (
    ANY_LANGUAGE,
    NOTICE_FAMILIES,
    LanguageProfile,
    Signal,
    Signals,
    load_signals,
    lower_text,
)
from goodstanding.types import DAY_FIRST_MARKETPLACES

FOUND: Final = 0.5
"""Confidence from which a family counts as found (the acceptance checks use the same cut)."""

CANDIDATE: Final = 0.25
"""Confidence from which a family that is not found is still shown as a candidate."""

_OTHER: Final = "other"
_DEFAULT_OTHER_CONFIDENCE: Final = 0.6
_MAX_CONFIDENCE: Final = 0.99

# Characters folded one-to-one, so the compact view keeps one offset per character.
_FOLD: Final = {
    **{
        code: unicodedata.normalize("NFKC", chr(code))
        for code in range(0xFF01, 0xFFEF)
        if len(unicodedata.normalize("NFKC", chr(code))) == 1
    },
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'),
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"),
    **dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"), " "),
    **dict.fromkeys(map(ord, "\u2009\u200a\u202f\u205f\u3000"), " "),
}
_FOLD_TABLE: Final = str.maketrans(_FOLD)
_SPACE_RUN: Final = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_CJK_CHAR: Final = re.compile(
    r"[\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_KANA: Final = re.compile(r"[\u3040-\u30ff]")
_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD: Final = re.compile(r"[a-zà-öø-ÿœæß]+")
_URL_OR_MAIL: Final = re.compile(r"\S*(?:https?://|www\.|@|\.com|\.html)\S*", re.IGNORECASE)
_SENTENCE_END: Final = re.compile(r"[.!?。!?;;]")
_YEAR: Final = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")

_ASIN: Final = re.compile(r"(?<![A-Z0-9])B0[0-9A-Z]{8}(?![A-Z0-9])")
_ASIN_LIST: Final = re.compile(
    r"\bASINs?\s*(?:[:#=-]|\(s\))?\s*((?:[0-9]{9}[0-9X])(?:\s*[,;/、]\s*[0-9]{9}[0-9X]|\s+[0-9]{9}[0-9X])*)",
    re.IGNORECASE,
)
_TEN_DIGIT: Final = re.compile(r"[0-9]{9}[0-9X]")
_ORDER_ID: Final = re.compile(r"(?<![0-9])[0-9]{3}-[0-9]{7}-[0-9]{7}(?![0-9])")
_DOMAIN: Final = re.compile(
    r"(?P<prefix>sellercentral-europe\.|sellercentral-japan\.|sellercentral\.|vendorcentral\.|www\.|@|"
    r"(?<![\w.-]))amazon\.(?P<tld>co\.uk|co\.jp|com\.au|com\.mx|com\.br|com\.tr|com\.be|com|ca|de|fr|it|"
    r"es|nl|se|pl|ie|ae|sa|eg|in|sg)(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """An exact span of the notice: ``notice[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        """The span as a JSON object."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class FamilyFinding:
    """A violation family found in a notice, why, and how sure the reader is."""

    id: str
    confidence: float
    evidence: Evidence
    matches: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The finding as a JSON object (``evidence`` is the exact text, offsets beside it)."""
        return {
            "id": self.id,
            "confidence": self.confidence,
            "evidence": self.evidence.text,
            "start": self.evidence.start,
            "end": self.evidence.end,
            "matches": [match.to_json() for match in self.matches],
        }


@dataclass(frozen=True, slots=True)
class RequestedItem:
    """Something the notice asks the seller to send, with its stable id."""

    id: str
    text: str
    evidence: Evidence

    def to_json(self) -> dict[str, Any]:
        """The item as a JSON object."""
        return {"id": self.id, "text": self.text, "evidence": self.evidence.text}


@dataclass(frozen=True, slots=True)
class NoticeReading:
    """Everything the reader got from one notice."""

    language: str
    account_type: str
    scope: str
    families: tuple[FamilyFinding, ...]
    asins: tuple[str, ...]
    order_ids: tuple[str, ...]
    marketplace: str | None
    deadline: date | None
    days_to_respond: int | None
    final_decision: bool
    requested: tuple[RequestedItem, ...]
    next_steps: tuple[str, ...]
    message: str | None
    is_notice: bool
    reference_date: date | None
    candidates: tuple[FamilyFinding, ...] = ()
    final_evidence: Evidence | None = None

    @property
    def family_ids(self) -> tuple[str, ...]:
        """Ids of the families found, most confident first."""
        return tuple(finding.id for finding in self.families)

    def to_json(self) -> dict[str, Any]:
        """The reading as one JSON object (the keys of ``goodstanding notice classify``)."""
        return {
            "language": self.language,
            "account_type": self.account_type,
            "scope": self.scope,
            "families": [finding.to_json() for finding in self.families],
            "asins": list(self.asins),
            "order_ids": list(self.order_ids),
            "marketplace": self.marketplace,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_to_respond": self.days_to_respond,
            "final_decision": self.final_decision,
            "requested": [item.to_json() for item in self.requested],
            "next_steps": list(self.next_steps),
            "message": self.message,
            "is_notice": self.is_notice,
            "reference_date": self.reference_date.isoformat() if self.reference_date else None,
            "candidates": [finding.to_json() for finding in self.candidates],
            "final_evidence": self.final_evidence.to_json() if self.final_evidence else None,
        }


def classify_notice(text: str, *, reference_date: date | None = None) -> NoticeReading:
    """Read one notice (any of the seven languages) into a :class:`NoticeReading`.

    Args:
        text: the notice's text, as pasted or as returned by ``read_notice_text``.
        reference_date: the day deadlines count from; default the notice's own date, if it has one.

    Returns:
        The reading. A text that is not a notice gets ``families == ()`` and a ``message``.
    """
    signals = load_signals()
    view = _CompactText.build(text)
    language, others = _detect(view.text, signals)
    profile = signals.languages[language]
    languages = _languages_for(language, others)
    spoken = tuple(code for code in languages if code != ANY_LANGUAGE)
    masked = _mask(view, languages, signals)
    lowered = lower_text(masked)

    family_hits = _match(_selection("families", languages), masked, lowered)
    notice_hits = _match(_selection("notice", languages), masked, lowered)
    action_score = _combine(hit.weight for hit in notice_hits if hit.key == "action")
    total_score = _combine(hit.weight for hit in notice_hits)
    scored = _score_families(family_hits, signals, view)
    # signals.yaml, section "notice": a family needs little context, bare wording needs more.
    strongest = max((finding.confidence for finding in scored.found), default=0.0)
    final_evidence = _final_decision(view, language, languages, signals)
    is_notice = (
        strongest >= 0.85
        or (strongest >= FOUND and total_score >= 0.2)
        or (action_score >= 0.35 and total_score >= 0.5)
        or (final_evidence is not None and action_score >= 0.35)
    )

    asins = _asins(text)
    order_ids = tuple(dict.fromkeys(_ORDER_ID.findall(text)))
    marketplace = _marketplace(view, languages, signals)
    if reference_date is None:
        reference_date = _own_date(text, spoken, signals, marketplace)

    if not is_notice:
        return NoticeReading(
            language=language,
            account_type="seller",
            scope="account",
            families=(),
            asins=asins,
            order_ids=order_ids,
            marketplace=marketplace,
            deadline=None,
            days_to_respond=None,
            final_decision=False,
            requested=(),
            next_steps=(),
            message=signals.messages["not_a_notice"][language],
            is_notice=False,
            reference_date=reference_date,
        )

    families = scored.found
    if not families:
        # A notice that names no policy at all (cases/README: "other"); show what made it a notice.
        evidence = _strongest(notice_hits, view) if notice_hits else final_evidence
        assert evidence is not None  # is_notice needs a notice word or a final decision
        families = (FamilyFinding(_OTHER, _DEFAULT_OTHER_CONFIDENCE, evidence, (evidence,)),)
    account_type = _account_type(_match(_selection("account_type", languages), masked, lowered))
    scope = _scope(_match(_selection("scope", languages), masked, lowered))
    deadline, days = _deadline(view, spoken, signals, reference_date, marketplace)
    requested = _requested(masked, lowered, view, language, languages, signals)
    final = final_evidence is not None
    next_steps = _next_steps(
        signals,
        profile,
        final=final,
        deadline=deadline,
        days=days,
        requested=requested,
        account_type=account_type,
        scope=scope,
        families=families,
    )
    return NoticeReading(
        language=language,
        account_type=account_type,
        scope=scope,
        families=families,
        asins=asins,
        order_ids=order_ids,
        marketplace=marketplace,
        deadline=deadline,
        days_to_respond=days,
        final_decision=final,
        requested=requested,
        next_steps=next_steps,
        message=signals.messages["final_decision"][language] if final else None,
        is_notice=True,
        reference_date=reference_date,
        candidates=scored.candidates,
        final_evidence=final_evidence,
    )


def detect_language(text: str) -> str:
    """The language of ``text``: one of en, zh, fr, it, de, es, ja (en when unsure)."""
    return _detect(_CompactText.build(text).text, load_signals())[0]


# --- the compact view -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CompactText:
    """The notice folded and with collapsed white space, mapped back to original offsets."""

    original: str
    text: str
    positions: tuple[int, ...]
    breaks: frozenset[int]

    @classmethod
    def build(cls, original: str) -> _CompactText:
        folded = original.translate(_FOLD_TABLE)
        has_cjk = _CJK_CHAR.search(folded) is not None
        parts: list[str] = []
        positions: list[int] = []
        breaks: set[int] = set()
        last = 0
        size = len(folded)
        for run in _SPACE_RUN.finditer(folded):
            start, end = run.span()
            if start > last:
                parts.append(folded[last:start])
                positions.extend(range(last, start))
            last = end
            if not positions or end >= size:
                continue  # leading or trailing white space
            if run.group().count("\n") >= 2:
                breaks.add(len(positions))  # a paragraph ends here
            if not any(char.isspace() for char in run.group()):
                continue  # only zero-width characters or soft hyphens: join the word
            if has_cjk and (_CJK_CHAR.match(folded[start - 1]) or _CJK_CHAR.match(folded[end])):
                continue  # Chinese and Japanese do not separate words with spaces
            parts.append(" ")
            positions.append(start)
        if last < size:
            parts.append(folded[last:])
            positions.extend(range(last, size))
        return cls(original, "".join(parts), tuple(positions), frozenset(breaks))

    def evidence(self, start: int, end: int) -> Evidence:
        """The original span behind ``text[start:end]``."""
        first = self.positions[start]
        last = self.positions[end - 1] + 1
        return Evidence(self.original[first:last], first, last)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence (in the compact text) around ``text[start:end]``."""
        left = start
        while left > 0 and not _SENTENCE_END.match(self.text[left - 1]) and left not in self.breaks:
            left -= 1
        right = end
        size = len(self.text)
        while (
            right < size and not _SENTENCE_END.match(self.text[right]) and right not in self.breaks
        ):
            right += 1
        return left, right

    def sentences(self) -> list[tuple[int, int]]:
        """Bounds of every sentence (approximate: split on end punctuation and paragraphs)."""
        ends = {match.end() for match in _SENTENCE_END.finditer(self.text)} | self.breaks
        bounds: list[tuple[int, int]] = []
        start = 0
        for end in sorted(ends | {len(self.text)}):
            if end > start:
                bounds.append((start, end))
                start = end
        return bounds


# --- language ---------------------------------------------------------------------------------


def _detect(compact: str, signals: Signals) -> tuple[str, tuple[str, ...]]:
    """The main language, and other Latin-script languages whose signals should run too.

    A second language runs when it is clearly present (a pasted translation), and every language
    seen at all runs when the text is too short for its stop words to be conclusive.
    """
    kana = len(_KANA.findall(compact))
    han = len(_HAN.findall(compact))
    plain = _URL_OR_MAIL.sub(" ", compact).lower()
    words = _LATIN_WORD.findall(plain)
    # A Chinese or Japanese character carries about half a Latin word.
    if kana + han >= 12 and (kana + han) / 2 >= 0.5 * len(words):
        return ("ja" if kana >= max(3, 0.05 * (kana + han)) else "zh"), ()
    counts = dict.fromkeys(("en", "de", "fr", "it", "es"), 0)
    for word in words:
        for code in counts:
            if word in signals.languages[code].stopwords:
                counts[code] += 1
    ranked = sorted(counts, key=lambda code: (-counts[code], code != "en"))
    best = ranked[0]
    if counts[best] == 0:
        return "en", ()
    if counts[best] < 3:
        return best, tuple(code for code in ranked[1:] if counts[code] > 0)
    runner_up = ranked[1]
    # Function words shared by Romance languages give every text a few hits in its neighbours;
    # only a clear presence of a second language earns its signals a run.
    if counts[runner_up] >= max(2, 0.3 * counts[best]):
        return best, (runner_up,)
    return best, ()


def _languages_for(language: str, others: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys((language, *others, "en", ANY_LANGUAGE)))


@lru_cache(maxsize=128)
def _selection(group: str, languages: tuple[str, ...]) -> tuple[Signal, ...]:
    table = getattr(load_signals(), group)
    return Signals.select(table, languages)


# --- matching and scoring ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    signal: Signal
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.signal.key

    @property
    def weight(self) -> float:
        return self.signal.weight


def _mask(view: _CompactText, languages: Iterable[str], signals: Signals) -> str:
    chars = list(view.text)
    rules = [signals.boilerplate[code] for code in languages if code in signals.boilerplate]
    for rule in rules:
        for pattern in rule.spans:
            for match in pattern.finditer(view.text):
                chars[match.start() : match.end()] = " " * (match.end() - match.start())
    sentence_rules = [group for rule in rules for group in rule.sentences]
    if sentence_rules:
        for start, end in view.sentences():
            sentence = view.text[start:end]
            if any(all(p.search(sentence) for p in group) for group in sentence_rules):
                chars[start:end] = " " * (end - start)
    return "".join(chars)


def _match(selection: Sequence[Signal], text: str, lowered: str) -> list[_Hit]:
    hits = []
    for signal in selection:
        match = signal.search(text, lowered)
        if match is not None and match.end() > match.start():
            hits.append(_Hit(signal, match.start(), match.end()))
    return hits


def _combine(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    # Rounded so that a single 0.2 signal is exactly 0.2, not 0.19999999999999996.
    return round(1.0 - remaining, 9)


@dataclass(frozen=True, slots=True)
class _Scored:
    found: tuple[FamilyFinding, ...]
    candidates: tuple[FamilyFinding, ...]


def _score_families(hits: list[_Hit], signals: Signals, view: _CompactText) -> _Scored:
    def scores(keep: Iterable[_Hit]) -> dict[str, float]:
        grouped: dict[str, list[float]] = {}
        for hit in keep:
            grouped.setdefault(hit.key, []).append(hit.weight)
        return {key: _combine(weights) for key, weights in grouped.items()}

    def found(score: Mapping[str, float]) -> set[str]:
        return {key for key, value in score.items() if value >= FOUND}

    plain = [h for h in hits if not h.signal.unless and not h.signal.fallback]
    first = found(scores(plain))
    active = plain + [
        h
        for h in hits
        if h.signal.unless and not h.signal.fallback and not (h.signal.unless & (first - {h.key}))
    ]
    score = scores(active)
    if not found(score):
        # Generic wording ("your listing violates our policies") speaks only when nothing else did.
        active += [h for h in hits if h.signal.fallback and h.key != _OTHER]
        score = scores(active)
    if not found(score):
        active += [h for h in hits if h.signal.fallback and h.key == _OTHER]
        score = scores(active)

    kept: dict[str, list[_Hit]] = {}
    for hit in active:
        kept.setdefault(hit.key, []).append(hit)
    for generic in signals.generic_families.values():
        if generic.name not in score:
            continue
        generic_score = score.pop(generic.name)
        generic_hits = kept.pop(generic.name)
        # cases/README: an IP complaint that names no right counts as a trademark complaint.
        named = any(score.get(member, 0.0) >= FOUND for member in generic.members)
        if not named and generic_score > score.get(generic.default, 0.0):
            score[generic.default] = generic_score
            kept[generic.default] = generic_hits + kept.get(generic.default, [])

    ranked = sorted(
        (
            (key, round(min(value, _MAX_CONFIDENCE), 2))
            for key, value in score.items()
            if key in NOTICE_FAMILIES and value >= CANDIDATE
        ),
        key=lambda item: (-item[1], NOTICE_FAMILIES.index(item[0])),
    )
    findings = []
    for key, confidence in ranked:
        key_hits = sorted(kept[key], key=lambda h: (-h.weight, h.start))
        spans = tuple(view.evidence(h.start, h.end) for h in key_hits)
        findings.append(FamilyFinding(key, confidence, spans[0], spans))
    return _Scored(
        found=tuple(f for f in findings if f.confidence >= FOUND),
        candidates=tuple(f for f in findings if f.confidence < FOUND),
    )


def _strongest(hits: Sequence[_Hit], view: _CompactText) -> Evidence:
    best = min(hits, key=lambda h: (-h.weight, h.start))
    return view.evidence(best.start, best.end)


# --- account type and scope -------------------------------------------------------------------


def _account_type(hits: Sequence[_Hit]) -> str:
    vendor = _combine(h.weight for h in hits if h.key == "vendor")
    seller = _combine(h.weight for h in hits if h.key == "seller")
    return "vendor" if vendor >= FOUND and vendor >= seller else "seller"


def _scope(hits: Sequence[_Hit]) -> str:
    account = _combine(h.weight for h in hits if h.key == "account")
    listing = _combine(h.weight for h in hits if h.key == "listing")
    return "listing" if listing > account else "account"


# --- identifiers ------------------------------------------------------------------------------


def _asins(text: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = [(m.start(), m.group()) for m in _ASIN.finditer(text)]
    # Ten-digit (ISBN-like) ASINs only count where the notice labels them as ASINs.
    for labelled in _ASIN_LIST.finditer(text):
        offset = labelled.start(1)
        found.extend(
            (offset + m.start(), m.group()) for m in _TEN_DIGIT.finditer(labelled.group(1))
        )
    return tuple(dict.fromkeys(asin for _, asin in sorted(found)))


def _marketplace(view: _CompactText, languages: Sequence[str], signals: Signals) -> str | None:
    votes: dict[str, float] = {}
    first_seen: dict[str, int] = {}

    def vote(name: str, weight: float, at: int) -> None:
        votes[name] = votes.get(name, 0.0) + weight
        first_seen.setdefault(name, at)

    for domain in _DOMAIN.finditer(view.text):
        name = signals.marketplace_domains.get(domain.group("tld").lower())
        prefix = (domain.group("prefix") or "").lower()
        if name is None or prefix == "sellercentral-europe.":
            continue  # the European Seller Central serves several stores
        if prefix in {"sellercentral.", "vendorcentral.", "sellercentral-japan."}:
            weight = 3.0
        elif prefix == "@":
            weight = 0.5 if name == "Amazon.com" else 1.0  # amazon.com mailboxes serve every store
        elif prefix == "www.":
            weight = 2.0
        else:
            # A store name written out ("sell on Amazon.co.uk") names the marketplace itself.
            weight = 3.0 if view.text[domain.start()] == "A" else 1.5
        vote(name, weight, domain.start())
    lowered = lower_text(view.text)
    for signal in Signals.select(signals.marketplace_wording, languages):
        match = signal.search(view.text, lowered)
        if match is not None:
            vote(signal.key, 3.0 * signal.weight, match.start())
    if not votes:
        return None
    return max(votes, key=lambda name: (votes[name], -first_seen[name]))


# --- dates and deadlines ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Date:
    value: date
    start: int
    end: int


def _dates(
    lowered: str, languages: Sequence[str], signals: Signals, marketplace: str | None
) -> list[_Date]:
    """Every date written in ``lowered`` (a lower-cased compact text), in order."""
    found: dict[tuple[int, int], _Date] = {}
    if _YEAR.search(lowered) is None:
        return []  # every pattern needs a four-digit year
    day_first = marketplace in DAY_FIRST_MARKETPLACES or (
        marketplace is None and languages[0] != "en"
    )
    patterns: list[tuple[re.Pattern[str], LanguageProfile | None]] = [
        (pattern, signals.languages[code])
        for code in dict.fromkeys(languages)
        for pattern in signals.languages[code].dates
    ]
    patterns += [(pattern, None) for pattern in signals.any_dates]
    for pattern, profile in patterns:
        for match in pattern.finditer(lowered):
            value = _date_from(match, profile, day_first=day_first)
            if value is not None:
                found.setdefault(
                    (match.start(), match.end()), _Date(value, match.start(), match.end())
                )
    return sorted(found.values(), key=lambda d: d.start)


def _date_from(
    match: re.Match[str], profile: LanguageProfile | None, *, day_first: bool
) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("first") is not None:
        first, second = int(groups["first"]), int(groups["second"])
        day, month = (first, second) if day_first else (second, first)
        if month > 12 >= day:  # only one reading is a real date
            day, month = month, day
    else:
        day_text = groups["day"]
        day = 1 if day_text.lower() == "1er" else int(day_text)
        if groups.get("month_number") is not None:
            month = int(groups["month_number"])
        elif profile is not None and groups.get("month") is not None:
            month = profile.months.get(groups["month"].lower().rstrip("."), 0)
        else:
            return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _own_date(
    text: str, languages: Sequence[str], signals: Signals, marketplace: str | None
) -> date | None:
    # The notice's own date sits on a header line ("Date: ...", "Datum: ...", "日付:").
    headers = [
        signals.languages[code].header_date
        for code in dict.fromkeys(languages)
        if signals.languages[code].header_date is not None
    ]
    for line in text.splitlines()[:40]:
        if ":" not in line and "\uff1a" not in line:
            continue  # a header line always has its colon
        folded = _CompactText.build(line).text
        for header in headers:
            assert header is not None
            match = header.match(folded)
            if match is None:
                continue
            rest = lower_text(folded[match.end() :])
            dates = _dates(rest, languages, signals, marketplace)
            if dates and dates[0].start <= 20:
                return dates[0].value
    return None


def _deadline(
    view: _CompactText,
    languages: Sequence[str],
    signals: Signals,
    reference: date | None,
    marketplace: str | None,
) -> tuple[date | None, int | None]:
    text = lower_text(view.text)
    relative: list[tuple[bool, int, int]] = []  # (has a reply verb nearby, position, days)
    for code in dict.fromkeys(languages):
        profile = signals.languages[code]
        for pattern in profile.within:
            for match in pattern.finditer(text):
                number = profile.number(match.group("n"))
                per_unit = profile.days_per_unit(match.group("unit"))
                if number is None or per_unit is None or number == 0:
                    continue
                before = text[max(0, match.start() - 12) : match.start()]
                if profile.look_back is not None and profile.look_back.search(before):
                    continue  # "in the last 365 days" looks back, it is no deadline
                window = text[max(0, match.start() - 160) : match.end() + 80]
                replies = profile.respond is not None and profile.respond.search(window) is not None
                relative.append((replies, match.start(), number * per_unit))
    days: int | None = None
    if relative:
        relative.sort(key=lambda item: (not item[0], item[1]))
        days = relative[0][2]

    absolute: date | None = None
    for found in _dates(text, languages, signals, marketplace):
        for code in dict.fromkeys(languages):
            profile = signals.languages[code]
            before = text[max(0, found.start - 30) : found.start]
            after = text[found.end : found.end + 8]
            if (profile.deadline_before is not None and profile.deadline_before.search(before)) or (
                profile.deadline_after is not None and profile.deadline_after.search(after)
            ):
                absolute = found.value
                break
        if absolute is not None:
            break

    if absolute is not None:
        if reference is not None:
            days = (absolute - reference).days
        return absolute, days
    if days is not None and reference is not None:
        return reference + timedelta(days=days), days
    return None, days


# --- final decision, requests, next steps -----------------------------------------------------


def _final_decision(
    view: _CompactText, language: str, languages: tuple[str, ...], signals: Signals
) -> Evidence | None:
    lowered = lower_text(view.text)
    for signal in _selection("final_decision", languages):
        profile = signals.languages.get(signal.language) or signals.languages[language]
        searched = view.text if signal.case_sensitive else lowered
        for match in signal.pattern.finditer(searched):
            start, _ = view.sentence(match.start(), match.end())
            sentence = view.text[start : match.start()]
            # "If we do not hear from you, we will not reinstate..." is a threat, not a decision.
            if profile.conditional is not None and profile.conditional.search(sentence):
                continue
            return view.evidence(match.start(), match.end())
    return None


def _requested(
    masked: str,
    lowered: str,
    view: _CompactText,
    language: str,
    languages: tuple[str, ...],
    signals: Signals,
) -> tuple[RequestedItem, ...]:
    first: dict[str, _Hit] = {}
    for hit in _match(_selection("requested", languages), masked, lowered):
        if hit.key not in first or hit.start < first[hit.key].start:
            first[hit.key] = hit
    ordered = sorted(first.values(), key=lambda h: h.start)
    return tuple(
        RequestedItem(
            hit.key, signals.requested_texts[hit.key][language], view.evidence(hit.start, hit.end)
        )
        for hit in ordered
    )


_NOT_DOCUMENTS: Final = frozenset({"plan_of_action", "explanation", "acknowledgement"})


def _next_steps(
    signals: Signals,
    profile: LanguageProfile,
    *,
    final: bool,
    deadline: date | None,
    days: int | None,
    requested: Sequence[RequestedItem],
    account_type: str,
    scope: str,
    families: Sequence[FamilyFinding],
) -> tuple[str, ...]:
    language = profile.code
    steps = signals.next_steps

    def texts(key: str, **values: object) -> list[str]:
        return [text.format(**values) for text in steps[key][language]]

    if final:
        return tuple(texts("final"))
    chosen: list[str] = []
    when = deadline.isoformat() if deadline is not None else ""
    if deadline is not None and days is not None:
        chosen += texts("deadline_days_date", days=days, deadline=when)
    elif days is not None:
        chosen += texts("deadline_days", days=days)
    elif deadline is not None:
        chosen += texts("deadline_date", deadline=when)
    documents = [item.text for item in requested if item.id not in _NOT_DOCUMENTS]
    if documents:
        chosen += texts("documents", items=profile.list_separator.join(documents))
    ids = {finding.id for finding in families}
    asks_plan = any(item.id == "plan_of_action" for item in requested)
    if asks_plan or (not requested and ids != {_OTHER}):
        chosen += texts("plan")
    if account_type == "vendor":
        chosen += texts("appeal_vendor")
    elif scope == "listing":
        chosen += texts("appeal_listing")
    else:
        chosen += texts("appeal_account")
    if ids == {_OTHER}:
        chosen += texts("other")
    return tuple(chosen)
