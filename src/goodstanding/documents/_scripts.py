"""Script detection and display widths for Chinese, Japanese and Korean text."""

from __future__ import annotations

import unicodedata
from typing import Final, NamedTuple

from goodstanding.documents.model import primary_language

CJK_LANGUAGES: Final = frozenset({"zh", "ja", "ko"})

_KANA: Final = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_HANGUL: Final = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))
_HAN: Final = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
# Punctuation, bopomofo and full-width forms that only East Asian text uses.
_CJK_OTHER: Final = ((0x3000, 0x303F), (0x3100, 0x312F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))

# Kinsoku: characters that may not begin a line, and ones that may not end it.
CANNOT_START: Final = frozenset(
    ",.;:!?)]}%、。，．：；？！）」』】〕〉》〗〙〛］｝’”ー…‥々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ・･～"
)
CANNOT_END: Final = frozenset("([{（「『【〔〈《〖〘〚［｛‘“")


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han, kana or Hangul character or East Asian punctuation."""
    code = ord(char)
    return _in(code, _HAN) or _in(code, _KANA) or _in(code, _HANGUL) or _in(code, _CJK_OTHER)


def char_width(char: str) -> int:
    """Columns ``char`` takes in a monospaced display: 2 for wide East Asian, 0 for marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def text_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced display."""
    return sum(char_width(char) for char in text)


def cjk_language(text: str, document_language: str) -> str | None:
    """The East Asian language ``text`` is written in, or None when it holds no CJK text.

    Kana means Japanese and Hangul Korean; Han characters alone follow the document's language
    when that is Chinese, Japanese or Korean, and are taken as Chinese otherwise.
    """
    has_han = False
    for char in text:
        code = ord(char)
        if _in(code, _KANA):
            return "ja"
        if _in(code, _HANGUL):
            return "ko"
        if _in(code, _HAN) or _in(code, _CJK_OTHER):
            has_han = True
    if not has_han:
        return None
    base = primary_language(document_language)
    return base if base in CJK_LANGUAGES else "zh"


class Punctuation(NamedTuple):
    """Separators a writer puts between label and text, written the way the language does."""

    colon: str
    semicolon: str
    dash: str


def punctuation(language: str) -> Punctuation:
    """The label separators for ``language`` (full-width in Chinese and Japanese)."""
    if primary_language(language) in {"zh", "ja"}:
        return Punctuation(colon="：", semicolon="；", dash="——")
    if primary_language(language) == "fr":
        # French typography puts a (narrow) space before the colon and semicolon.
        return Punctuation(colon="\u00a0: ", semicolon="\u00a0; ", dash=" — ")
    return Punctuation(colon=": ", semicolon="; ", dash=" — ")
