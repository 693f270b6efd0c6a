"""Word (.docx) documents through python-docx, with East Asian fonts Word needs for CJK text.

Word picks the font of each character from one of four slots; Chinese and Japanese characters
use the ``w:eastAsia`` slot. python-docx's template fills that slot from the theme
(``w:eastAsiaTheme``), which takes precedence over a named font, so for a Chinese or Japanese
document the theme reference is removed and a named font set in its place. Runs of CJK text in
any document also carry the font, the East Asian language tag (which chooses Chinese or Japanese
glyph shapes for the same Han code point) and ``w:hint="eastAsia"`` (so quotes and dashes use
the East Asian font as well).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import docx as python_docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from goodstanding.documents._locale import language_tag, letter_paper
from goodstanding.documents._scripts import CJK_LANGUAGES, cjk_language, punctuation
from goodstanding.documents.model import (
    MAX_HEADING_LEVEL,
    Block,
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

# (body, heading) fonts: shipped with Windows and with Office for Mac.
EAST_ASIAN_FONTS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "zh": ("SimSun", "SimHei"),
        "ja": ("MS Mincho", "MS Gothic"),
        "ko": ("Batang", "Malgun Gothic"),
    }
)
_EAST_ASIAN_TAGS: Final[Mapping[str, str]] = MappingProxyType(
    {"zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}
)
_METADATA_FIELDS: Final = ("author", "subject", "keywords", "comments", "category")
_HEADING_STYLES: Final = ("Title", "Subtitle", "Heading")


def _set_east_asian(rpr: Any, language: str, *, heading: bool, hint: bool) -> None:
    """Name the East Asian font and language on a ``w:rPr`` element."""
    body, heading_font = EAST_ASIAN_FONTS[language]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.set(qn("w:eastAsia"), heading_font if heading else body)
    if hint:
        fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), _EAST_ASIAN_TAGS[language])


def _prepare(target: Any, doc: Document) -> None:
    """Set language, paper and (for CJK documents) East Asian fonts on defaults and styles."""
    tag = language_tag(doc.language)
    defaults = target.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    if doc.base_language in CJK_LANGUAGES:
        _set_east_asian(rpr, doc.base_language, heading=False, hint=False)
        for style in target.styles:
            style_rpr = style.element.rPr
            if style_rpr is None or style_rpr.find(qn("w:rFonts")) is None:
                continue
            heading = style.name.startswith(_HEADING_STYLES)
            _set_east_asian(style_rpr, doc.base_language, heading=heading, hint=False)
    section = target.sections[0]
    if letter_paper(doc.language):
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    properties = target.core_properties
    properties.title = doc.title
    properties.language = tag
    for name in _METADATA_FIELDS:
        if name in doc.metadata:
            setattr(properties, name, doc.metadata[name])


def _fill(
    paragraph: Any, text: str, language: str, *, heading: bool = False, bold: bool = False
) -> None:
    """Append ``text`` to ``paragraph``, newlines as line breaks, CJK runs marked for Word."""
    east_asian = cjk_language(text, language)
    for number, line in enumerate(text.split("\n")):
        if number:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
        if east_asian is not None and east_asian in EAST_ASIAN_FONTS:
            _set_east_asian(run._r.get_or_add_rPr(), east_asian, heading=heading, hint=True)


def _restarted_numbering(target: Any) -> int:
    """A new Word list instance that counts from 1 again (all 'List Number' paragraphs otherwise
    share one counter and the second list would go on from the first)."""
    numbering = target.part.numbering_part.numbering_definitions._numbering
    style_num_id = target.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _numbered(target: Any, block: NumberedList, language: str) -> None:
    num_id = _restarted_numbering(target)
    for item in block.items:
        paragraph = target.add_paragraph(style="List Number")
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id
        _fill(paragraph, item, language)


def _table(target: Any, block: Table, language: str) -> None:
    table = target.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = target.styles["Table Grid"]
    for row_index, row in enumerate((block.header, *block.rows)):
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            _fill(cell.paragraphs[0], text, language, bold=row_index == 0)
    # Repeat the header row at the top of every page the table runs over.
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(OxmlElement("w:tblHeader"))


def _exhibits(target: Any, block: ExhibitList, language: str) -> None:
    marks = punctuation(language)
    for exhibit in block.items:
        paragraph = target.add_paragraph()
        label = f"{exhibit_label(exhibit.number, language)}{marks.colon}{exhibit.title}"
        _fill(paragraph, label.rstrip(), language, bold=True)
        if exhibit.description:
            _fill(paragraph, marks.dash + exhibit.description, language)


def _block(target: Any, block: Block, language: str) -> None:
    if isinstance(block, Heading):
        paragraph = target.add_heading(level=min(block.level, MAX_HEADING_LEVEL))
        _fill(paragraph, block.text, language, heading=True)
    elif isinstance(block, Paragraph):
        _fill(target.add_paragraph(), block.text, language)
    elif isinstance(block, NumberedList):
        _numbered(target, block, language)
    elif isinstance(block, BulletList):
        for item in block.items:
            _fill(target.add_paragraph(style="List Bullet"), item, language)
    elif isinstance(block, Table):
        _table(target, block, language)
    elif isinstance(block, ExhibitList):
        _exhibits(target, block, language)
    elif isinstance(block, PageBreak):
        target.add_page_break()
    else:
        raise InputError(f"Cannot write a {type(block).__name__} block as DOCX.")


def to_docx(doc: Document) -> bytes:
    """Render ``doc`` as a Word document and return the .docx bytes."""
    target = python_docx.Document()
    _prepare(target, doc)
    for block in doc.blocks:
        _block(target, block, doc.language)
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()
