"""The POA as the grader sees it: lines, sentences, languages, sections and lexicon matches."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from goodstanding.appeal._grade_lexicon import HEADING_KINDS, Grading, Lexicon
from goodstanding.appeal._grade_text import (
    Line,
    MatchIndex,
    Sentence,
    cjk_count,
    detect_chunk_language,
    dominant_language,
    normalise,
    resolve_cjk,
    split_lines,
    split_sentences,
    word_count,
)
from goodstanding.types import LANGUAGES

# When two kinds of heading match equally long, the more specific one wins.
_PRIORITY: Final = {
    "preventive_measures": 0,
    "actions_taken": 1,
    "root_cause": 2,
    "plan": 3,
    "other": 4,
}
_OPENERS: Final = "*_【[〔《〈「『(（"
_CLOSERS: Final = "】]〕》〉」』)）"
_MAX_HEADING_WORDS: Final = 12
_MAX_HEADING_CJK: Final = 25
# Languages whose lexicons run on a line-by-line language vote need this many words in a line.
_MIN_WORDS_FOR_LEXICON_LANGUAGE: Final = 5


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the POA opened by a recognised heading."""

    kind: str
    line: int
    heading_start: int
    heading_end: int
    content_start: int
    content_end: int


class Document:
    """A POA cut into lines, sentences and sections, with cached lexicon matches."""

    def __init__(self, text: str, grading: Grading, submission_language: str | None) -> None:
        self.text = text
        self.norm = normalise(text)
        self.grading = grading
        self.lines: list[Line] = split_lines(self.norm)
        self.sentences: list[Sentence] = split_sentences(self.norm, self.lines)
        self._sentence_starts = [sentence.start for sentence in self.sentences]
        raw_languages = [
            detect_chunk_language(self.norm[line.body_start : line.end], grading)
            for line in self.lines
        ]
        line_words = [word_count(self.norm[line.body_start : line.end]) for line in self.lines]
        self.language = dominant_language(zip(raw_languages, line_words, strict=True), self.norm)
        self.line_languages = [resolve_cjk(language, self.language) for language in raw_languages]
        self.line_words = line_words
        self.submission_language = submission_language or self.language
        lexicon_languages = {self.language, self.submission_language, "en"}
        lexicon_languages.update(
            language
            for language, words in zip(self.line_languages, line_words, strict=True)
            if language is not None and words >= _MIN_WORDS_FOR_LEXICON_LANGUAGE
        )
        self.languages = tuple(sorted(lexicon_languages))
        self.words = word_count(self.norm)
        self._indexes: dict[str, MatchIndex] = {}
        self.sections = self._find_sections()
        self.heading_lines = frozenset(section.line for section in self.sections)
        self._content = list(self._content_sentences())
        self._content_starts = [sentence.start for sentence in self._content]

    # -- lexicon matches -------------------------------------------------------------------

    def index(self, name: str) -> MatchIndex:
        """All matches of a lexicon of grading.yaml (``lexicons.<name>``)."""
        return self.index_of(name, self.grading.lexicons[name])

    def index_of(self, key: str, lexicon: Lexicon) -> MatchIndex:
        """All matches of any lexicon, cached under ``key``."""
        cached = self._indexes.get(key)
        if cached is None:
            cached = MatchIndex.build(lexicon, self.norm, self.languages)
            self._indexes[key] = cached
        return cached

    # -- sentences -------------------------------------------------------------------------

    def content_sentences(self) -> list[Sentence]:
        """Sentences outside headings (an inline heading's label is cut off its sentence)."""
        return self._content

    def _content_sentences(self) -> Iterator[Sentence]:
        inline = {
            section.line: section.content_start
            for section in self.sections
            if section.content_start < self.lines[section.line].end
        }
        for sentence in self.sentences:
            body_start = self.lines[sentence.line].body_start
            if sentence.start < body_start < sentence.end:
                # The list marker ("3)", "•") is not part of what the sentence says.
                sentence = Sentence(body_start, sentence.end, sentence.line)
            if sentence.line in self.heading_lines:
                cut = inline.get(sentence.line)
                if cut is None or sentence.end <= cut:
                    continue
                start = max(sentence.start, cut)
                while start < sentence.end and self.norm[start].isspace():
                    start += 1
                if start < sentence.end:
                    yield Sentence(start, sentence.end, sentence.line)
                continue
            yield sentence

    def sentences_in(self, start: int, end: int) -> Iterator[Sentence]:
        """Content sentences lying inside ``[start, end)``."""
        index = bisect.bisect_left(self._content_starts, start)
        while index < len(self._content) and self._content[index].start < end:
            if self._content[index].end <= end:
                yield self._content[index]
            index += 1

    def sentence_at(self, position: int) -> Sentence:
        """The sentence that holds ``position`` (or the nearest one before it)."""
        index = max(0, bisect.bisect_right(self._sentence_starts, position) - 1)
        if not self.sentences:
            return Sentence(0, len(self.norm), 0)
        return self.sentences[index]

    def in_heading(self, start: int) -> bool:
        """Whether ``start`` falls on a heading label."""
        for section in self.sections:
            if section.heading_start <= start < section.heading_end:
                return True
        return False

    # -- sections --------------------------------------------------------------------------

    def _find_sections(self) -> list[Section]:
        hits: list[tuple[str, Line, int, int]] = []
        for line in self.lines:
            found = self._heading(line)
            if found is not None:
                hits.append((found[0], line, found[1], found[2]))
        sections: list[Section] = []
        for position, (kind, line, label_end, content_start) in enumerate(hits):
            content_end = (
                hits[position + 1][1].start if position + 1 < len(hits) else len(self.norm)
            )
            sections.append(
                Section(kind, line.index, line.body_start, label_end, content_start, content_end)
            )
        return sections

    def _heading(self, line: Line) -> tuple[str, int, int] | None:
        """``(kind, end of the label, start of the content)`` when the line is a heading."""
        start = line.body_start
        while start < line.end and self.norm[start] in _OPENERS:
            start += 1
        candidate = self.norm[start : line.end].rstrip()
        # "【原因】", "[Root cause]": the closing bracket ends the label like a colon would.
        closer = next((i for i, char in enumerate(candidate) if char in _CLOSERS), -1)
        if closer > 0 and start > line.body_start:
            candidate = candidate[:closer] + ":" + candidate[closer + 1 :]
        if not candidate:
            return None
        # Only a short line or a short label before a colon can be a heading: skip the rest early.
        colon = candidate.find(":")
        label = candidate if colon == -1 else candidate[:colon]
        if word_count(label) > _MAX_HEADING_WORDS or cjk_count(label) > _MAX_HEADING_CJK:
            return None
        best: tuple[int, int, str] | None = None
        for kind in HEADING_KINDS:
            lexicon = self.grading.headings[kind]
            # Headings are tried in every language: a short label says too little to vote on.
            for language in LANGUAGES:
                pattern = lexicon.get(language)
                match = pattern.match(candidate) if pattern is not None else None
                if match is None or match.end() == 0:
                    continue
                rank = (match.end(), -_PRIORITY[kind], kind)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        if best is None:
            return None
        match_end, _, kind = best
        if colon >= match_end - 1 and colon != -1 and candidate[colon + 1 :].strip(" *_"):
            return kind, start + colon + 1, start + colon + 1
        bare = candidate.rstrip(" :*_#?？")
        words = word_count(bare)
        if words > _MAX_HEADING_WORDS or cjk_count(bare) > _MAX_HEADING_CJK:
            return None
        # A short sentence ("Problem solved.") is content, not a heading.
        if bare.endswith((".", "。", "!", "！")):
            return None
        return kind, start + len(candidate), line.end
