"""CommonMark (with GitHub tables) for a document: headings, lists, tables and exhibits."""

from __future__ import annotations

import re

from goodstanding.documents._scripts import punctuation, text_width
from goodstanding.documents.model import (
    BulletList,
    Document,
    ExhibitList,
    Heading,
    NumberedList,
    PageBreak,
    Paragraph,
    Table,
    exhibit_label,
)
from goodstanding.errors import InputError

# Characters that start emphasis, code, links or raw HTML anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<])")
# "&copy;" and "&#169;" would turn into a character; a lone "&" is left as it is.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Line openings that would make a heading, quote, list, rule or fence of plain text.
_BLOCK_START = re.compile(r"^([#>+=~-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def escape(text: str, *, table_cell: bool = False) -> str:
    """Escape ``text`` so Markdown shows it literally, one line at a time."""
    lines = []
    for line in text.split("\n"):
        # Leading blanks mean nothing in running text, but four of them would open a code block.
        line = line.lstrip(" \t")
        line = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
        line = _ORDERED_START.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", line))
        if table_cell:
            line = line.replace("|", r"\|")
        lines.append(line)
    return "\n".join(lines)


def _hard_breaks(text: str, continuation: str) -> str:
    """Join escaped lines with CommonMark hard breaks, indenting the ones that follow."""
    return ("\\\n" + continuation).join(text.split("\n"))


def _table(block: Table) -> str:
    rows = [
        [escape(cell, table_cell=True).replace("\n", "<br>") for cell in row]
        for row in (block.header, *block.rows)
    ]
    widths = [max(3, *(text_width(row[i]) for row in rows)) for i in range(len(block.header))]

    def line(cells: list[str]) -> str:
        padded = [cell + " " * (widths[i] - text_width(cell)) for i, cell in enumerate(cells)]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join("-" * width for width in widths) + " |"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def _block(block: object, language: str) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + escape(block.text).replace("\n", " ")
    if isinstance(block, Paragraph):
        return _hard_breaks(escape(block.text), "")
    if isinstance(block, NumberedList):
        return "\n".join(
            f"{number}. " + _hard_breaks(escape(item), " " * (len(str(number)) + 2))
            for number, item in enumerate(block.items, start=1)
        )
    if isinstance(block, BulletList):
        return "\n".join("- " + _hard_breaks(escape(item), "  ") for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, ExhibitList):
        marks = punctuation(language)
        lines = []
        for exhibit in block.items:
            label = escape(f"{exhibit_label(exhibit.number, language)}{marks.colon}{exhibit.title}")
            line = f"- **{label.strip()}**"
            if exhibit.description:
                line += marks.dash + _hard_breaks(escape(exhibit.description), "  ")
            lines.append(line)
        return "\n".join(lines)
    if isinstance(block, PageBreak):
        return "---"
    raise InputError(f"Cannot write a {type(block).__name__} block as Markdown.")


def to_markdown(doc: Document) -> str:
    """Render ``doc`` as Markdown, blocks separated by a blank line, ending in a newline."""
    body = "\n\n".join(_block(block, doc.language) for block in doc.blocks)
    return body + "\n" if body else ""
