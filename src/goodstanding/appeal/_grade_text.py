"""Text plumbing for the grader: offsets-preserving normalisation, lines, sentences, languages."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from goodstanding.appeal._grade_lexicon import Grading, Lexicon

# Same-length replacements only, so every offset in the normalised text is an offset in the POA.
_NORMALISE: Final = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201b": "'",
        "\uff07": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\r": " ",
        "\t": " ",
        "\uff1a": ":",
    }
)

CJK_CHAR: Final = (
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
_CJK_RE: Final = re.compile(CJK_CHAR)
_KANA_RE: Final = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_LATIN_WORD_RE: Final = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['-][A-Za-z\u00C0-\u024F]+)*")
_LATIN_LETTER_RE: Final = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LATIN_PART_RE: Final = re.compile(r"[a-z\u00C0-\u024F]+")
_TERMINATOR: Final = re.compile(r"[。！？!?；]+|\.(?=\s|$)|;(?=\s)")

# List markers and Markdown at the start of a line: "1.", "2)", "A)", "•", "①", "一、", "Part 2:"...
_MARKER: Final = re.compile(
    r"""[ ]*(?:
        [#>*_•·・▪●◆■□○◎★☆✓✔➤➢►‣⁃–—\-]+[ ]*
      | (?:\(?\d{1,2}(?:\.\d{1,2})*[.)）、,，:]|[(（]\d{1,2}[)）])(?!\d)[ ]*
      | \(?[A-Ha-h][.)）][ ]+
      | \(?(?:ii|iii|iv|vi|vii|viii|ix|x)[.)）][ ]+
      | [一二三四五六七八九十]{1,3}[、.．:][ ]*
      | 第[一二三四五六七八九十\d]{1,3}(?:部分|步|点|条|章|节)[、.．:]?[ ]*
      | [①-⑳][ ]*
      | (?:part|section|step|teil|partie|parte|sección|paso|schritt)[ ]*
        (?:\d{1,2}|[ivx]{1,4})[.:)]?[ ]+
    )+""",
    re.VERBOSE | re.IGNORECASE,
)
_ENUMERATED: Final = re.compile(
    r"[ ]*(?:\(?\d{1,2}|[A-Ha-h][.)）]|[一二三四五六七八九十①-⑳第(（]|[•·・▪●◆■□○◎★☆✓✔➤➢►‣⁃*\-–—])"
)

_DIACRITIC_HINTS: Final = {
    "de": ("äöüß", 1.0),
    "es": ("ñ¿¡", 1.0),
    "fr": ("çêâîôûœë", 0.5),
    "it": ("ìò", 0.5),
}
_SPANISH_ACCENTS: Final = "áíóú"


def normalise(text: str) -> str:
    """Return ``text`` with curly quotes, odd spaces and CR folded, keeping every offset."""
    return text.translate(_NORMALISE)


def cjk_count(text: str) -> int:
    """Number of Chinese or Japanese characters."""
    return len(_CJK_RE.findall(text))


def word_count(text: str) -> int:
    """Words in ``text``; two Chinese or Japanese characters count as one word."""
    return len(_LATIN_WORD_RE.findall(text)) + (cjk_count(text) + 1) // 2


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the POA: ``text[start:end]`` without its line break."""

    index: int
    start: int
    end: int
    body_start: int
    """Where the text starts once list markers and Markdown are skipped."""
    enumerated: bool
    """The line opens with a list marker (number, letter or bullet)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or a list item, or a line) of the POA."""

    start: int
    end: int
    line: int


def split_lines(norm: str) -> list[Line]:
    """Cut the normalised text into lines and find each line's list marker."""
    lines: list[Line] = []
    start = 0
    for index, chunk in enumerate(norm.split("\n")):
        end = start + len(chunk)
        marker = _MARKER.match(norm, start, end)
        body_start = marker.end() if marker else start
        while body_start < end and norm[body_start] == " ":
            body_start += 1
        enumerated = bool(marker and _ENUMERATED.match(norm, start, marker.end()))
        lines.append(Line(index, start, end, body_start, enumerated and body_start < end))
        start = end + 1
    return lines


def _trimmed(norm: str, start: int, end: int) -> tuple[int, int]:
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(norm: str, lines: Sequence[Line]) -> list[Sentence]:
    """Cut every line at sentence ends (``.`` before a space, ``。``, ``!``, ``?``...)."""
    sentences: list[Sentence] = []
    for line in lines:
        position = line.start
        for match in _TERMINATOR.finditer(norm, line.start, line.end):
            start, end = _trimmed(norm, position, match.end())
            if end > start:
                sentences.append(Sentence(start, end, line.index))
            position = match.end()
        start, end = _trimmed(norm, position, line.end)
        if end > start:
            sentences.append(Sentence(start, end, line.index))
    return sentences


def detect_chunk_language(text: str, grading: Grading) -> str | None:
    """The language of one line or paragraph, ``"cjk"`` for kanji-only text, or None if unsure."""
    kana = len(_KANA_RE.findall(text))
    cjk = cjk_count(text)
    latin_letters = len(_LATIN_LETTER_RE.findall(text))
    if cjk >= 4 and cjk * 3 >= latin_letters:
        if kana >= max(1, cjk // 20):
            return "ja"
        if any(marker in text for marker in grading.zh_markers):
            return "zh"
        return "cjk"
    lowered = text.lower()
    words = _LATIN_PART_RE.findall(lowered)
    if len(words) < 3:
        return None
    scores: dict[str, float] = {}
    for word in words:
        for language in grading.stopwords.get(word, ()):
            scores[language] = scores.get(language, 0.0) + 1.0
    for language, (characters, weight) in _DIACRITIC_HINTS.items():
        hits = sum(lowered.count(character) for character in characters)
        scores[language] = scores.get(language, 0.0) + min(3.0, hits * weight)
    accents = sum(lowered.count(character) for character in _SPANISH_ACCENTS)
    scores["es"] = scores.get("es", 0.0) + min(2.0, 0.5 * accents)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:2]
    if not ranked or ranked[0][1] < 2:
        return None
    best, best_score = ranked[0]
    second_score = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < 1.5 * second_score:
        return None
    return best


def resolve_cjk(language: str | None, document_language: str) -> str | None:
    """Settle a kanji-only chunk: Japanese in a Japanese document, Chinese otherwise."""
    if language == "cjk":
        return "ja" if document_language == "ja" else "zh"
    return language


def dominant_language(chunks: Iterable[tuple[str | None, int]], norm: str) -> str:
    """The language with the most words among the detected chunks (English when none is sure)."""
    totals: Counter[str] = Counter()
    for language, words in chunks:
        if language is not None:
            totals[language] += words
    if totals["cjk"]:
        target = "ja" if totals["ja"] > totals["zh"] else "zh"
        totals[target] += totals.pop("cjk")
    if totals:
        # Sorting first makes a tie resolve the same way on every run.
        return max(sorted(totals), key=lambda language: totals[language])
    if _KANA_RE.search(norm):
        return "ja"
    if _CJK_RE.search(norm):
        return "zh"
    return "en"


@dataclass(slots=True)
class MatchIndex:
    """All matches of one lexicon in the document, sorted, for range queries."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, lexicon: Lexicon, norm: str, languages: Iterable[str]) -> MatchIndex:
        """Run the lexicon of each language over the whole text."""
        found: set[tuple[int, int]] = set()
        for language in languages:
            pattern = lexicon.get(language)
            if pattern is None:
                continue
            for match in pattern.finditer(norm):
                if match.end() > match.start():
                    found.add((match.start(), match.end()))
        spans = _drop_nested(sorted(found))
        return cls(spans, [start for start, _ in spans])

    def within(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Matches that lie entirely in ``[start, end)``."""
        index = bisect.bisect_left(self.starts, start)
        while index < len(self.spans) and self.spans[index][0] < end:
            if self.spans[index][1] <= end:
                yield self.spans[index]
            index += 1

    def any_within(self, start: int, end: int) -> bool:
        """Whether any match lies in ``[start, end)``."""
        return next(self.within(start, end), None) is not None

    def __len__(self) -> int:
        return len(self.spans)


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the longest of overlapping matches (two languages may match the same words)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept
