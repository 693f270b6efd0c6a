"""The neutral document model every writer renders: a title, a language and a tuple of blocks.

A :class:`Document` says *what* is written, never *how*: the plain-text, Markdown, DOCX and PDF
writers each decide the layout. The title is the document's name (file properties, PDF /Title);
it is not printed in the body, so a caller that wants it shown adds a :class:`Heading`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, TypeAlias

from goodstanding.errors import InputError

# BCP 47 shape only ("en", "zh-CN", "de-AT"); writers read the primary subtag.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

MAX_HEADING_LEVEL: Final = 6
"""Deepest heading level (Markdown has six; Word and the PDF writer follow)."""

_EXHIBIT_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "en": "Exhibit {number}",
        "fr": "Pièce n° {number}",
        "de": "Anlage {number}",
        "it": "Allegato {number}",
        "es": "Anexo {number}",
        "zh": "附件{number}",
        "ja": "添付資料{number}",
    }
)


def primary_language(language: str) -> str:
    """Return the lower-case primary subtag of a language tag ("zh-CN" → "zh")."""
    return language.split("-", 1)[0].lower()


def exhibit_label(number: int, language: str) -> str:
    """Return how an exhibit is cited in ``language`` ("Exhibit 3", "附件3"); English otherwise."""
    template = _EXHIBIT_LABELS.get(primary_language(language), _EXHIBIT_LABELS["en"])
    return template.format(number=number)


# Control characters (other than tab and line breaks) and lone surrogates: Word's XML cannot
# hold them and PDF text extraction of notices leaves them behind.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def _require_text(value: object, what: str) -> str:
    """Check ``value`` is text and return it with line breaks as "\\n" and no control codes."""
    if not isinstance(value, str):
        raise InputError(
            f"Document {what} must be text, got {type(value).__name__}.",
            hint="Convert the value with str() before building the document.",
        )
    return _UNWRITABLE.sub("", _LINE_BREAKS.sub("\n", value))


def _as_text_tuple(values: object, what: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, tuple | list):
        raise InputError(
            f"Document {what} must be a tuple of texts, got {type(values).__name__}.",
            hint="Pass the items as a tuple, e.g. ('first', 'second').",
        )
    return tuple(_require_text(item, what) for item in values)


def _clean(instance: object, name: str, what: str) -> None:
    object.__setattr__(instance, name, _require_text(getattr(instance, name), what))


@dataclass(frozen=True)
class Heading:
    """A section title; level 1 is the top level."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        _clean(self, "text", "heading")
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            raise InputError(f"Heading level must be an integer, got {self.level!r}.")
        if not 1 <= self.level <= MAX_HEADING_LEVEL:
            raise InputError(
                f"Heading level {self.level} is out of range for {self.text!r}.",
                hint=f"Use a level from 1 to {MAX_HEADING_LEVEL}.",
            )


@dataclass(frozen=True)
class Paragraph:
    """Running text; a newline inside it is kept as a line break."""

    text: str

    def __post_init__(self) -> None:
        _clean(self, "text", "paragraph")


@dataclass(frozen=True)
class NumberedList:
    """Points numbered from 1, each one short sentence or two."""

    items: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _as_text_tuple(self.items, "numbered list items"))


@dataclass(frozen=True)
class BulletList:
    """Unordered points."""

    items: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _as_text_tuple(self.items, "bullet list items"))


@dataclass(frozen=True)
class Table:
    """A header row and data rows of text cells, every row as wide as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        header = _as_text_tuple(self.header, "table header")
        if not header:
            raise InputError("A document table needs at least one column in its header.")
        if isinstance(self.rows, str) or not isinstance(self.rows, tuple | list):
            raise InputError(f"Table rows must be a tuple of rows, got {type(self.rows).__name__}.")
        rows = tuple(_as_text_tuple(row, "table cells") for row in self.rows)
        for index, row in enumerate(rows, start=1):
            if len(row) != len(header):
                raise InputError(
                    f"Table row {index} has {len(row)} cells but the header has {len(header)}.",
                    hint="Give every row one cell per header column (use '' for an empty cell).",
                )
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True)
class Exhibit:
    """One numbered piece of evidence an appeal cites ("Exhibit 3")."""

    number: int
    title: str
    description: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 1:
            raise InputError(
                f"Exhibit number must be a positive integer, got {self.number!r}.",
                hint="Number exhibits 1, 2, 3... in the order the appeal cites them.",
            )
        _clean(self, "title", "exhibit title")
        _clean(self, "description", "exhibit description")


@dataclass(frozen=True)
class ExhibitList:
    """The list of exhibits attached to an appeal or evidence pack."""

    items: tuple[Exhibit, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.items, tuple | list):
            raise InputError(
                f"Exhibit list items must be a tuple, got {type(self.items).__name__}."
            )
        items = tuple(self.items)
        for item in items:
            if not isinstance(item, Exhibit):
                raise InputError(f"Exhibit list holds {item!r}, which is not an Exhibit.")
        numbers = [item.number for item in items]
        duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
        if duplicates:
            raise InputError(
                f"Exhibit numbers {duplicates} appear more than once in one exhibit list.",
                hint="Give each exhibit its own number.",
            )
        object.__setattr__(self, "items", items)


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (PDF, DOCX); a block separator in text formats."""


Block: TypeAlias = Heading | Paragraph | NumberedList | BulletList | Table | ExhibitList | PageBreak
"""Any block a :class:`Document` may hold."""

BLOCK_TYPES: Final = (Heading, Paragraph, NumberedList, BulletList, Table, ExhibitList, PageBreak)


@dataclass(frozen=True)
class Document:
    """A titled, single-language document made of blocks, ready for any writer.

    ``metadata`` feeds file properties where a format has them (keys ``author``, ``subject``,
    ``keywords``, ``comments``, ``category``); other keys are kept but not written.
    """

    title: str
    language: str
    blocks: tuple[Block, ...]
    metadata: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        _clean(self, "title", "title")
        _clean(self, "language", "language")
        if not _LANGUAGE_TAG.match(self.language):
            raise InputError(
                f"Document language {self.language!r} is not a language tag.",
                hint="Use a code such as 'en', 'zh', 'ja' or 'de-AT'.",
            )
        if isinstance(self.blocks, str) or not isinstance(self.blocks, tuple | list):
            raise InputError(f"Document blocks must be a tuple, got {type(self.blocks).__name__}.")
        blocks = tuple(self.blocks)
        for index, block in enumerate(blocks, start=1):
            if not isinstance(block, BLOCK_TYPES):
                raise InputError(
                    f"Document block {index} is {type(block).__name__}, not a document block.",
                    hint="Use Heading, Paragraph, NumberedList, BulletList, Table, ExhibitList "
                    "or PageBreak.",
                )
        metadata = {
            _require_text(key, "metadata key"): _require_text(value, f"metadata value for {key!r}")
            for key, value in dict(self.metadata).items()
        }
        object.__setattr__(self, "blocks", blocks)
        # A read-only copy, so a frozen document cannot change through the caller's dict.
        object.__setattr__(self, "metadata", MappingProxyType(metadata))

    @property
    def base_language(self) -> str:
        """The primary language subtag ("zh" for "zh-CN")."""
        return primary_language(self.language)
