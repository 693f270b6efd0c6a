"""PDF documents, exhibit covers and merged evidence packs (reportlab platypus and pypdf).

Fonts: Latin text is set in Helvetica. Any character Helvetica cannot encode (Chinese, Japanese,
Korean, but also Greek or Cyrillic) is set, run by run, in one of reportlab's built-in CID fonts:
STSong-Light for Chinese, HeiseiMin-W3 (body) and HeiseiKakuGo-W5 (headings) for Japanese.
The language of each paragraph is detected from its characters (kana → Japanese), so a Chinese
paragraph inside an English document still renders, and Han-only text follows the document's
language. CID fonts need no font file, but they are *referenced*, not embedded: the reader
supplies the glyphs (Acrobat, macOS Preview and browsers on Windows and macOS do; a Linux reader
without a CJK font shows empty boxes). ``cjk_font`` embeds a TrueType font instead, so the file
renders anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from xml.sax.saxutils import escape as xml_escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    ListFlowable,
    ListItem,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as PlatypusPageBreak
from reportlab.platypus import Paragraph as PlatypusParagraph
from reportlab.platypus import Table as PlatypusTable

from goodstanding.documents._locale import language_tag, letter_paper
from goodstanding.documents._scripts import CJK_LANGUAGES, cjk_language, punctuation
from goodstanding.documents.model import (
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

LATIN_FONT: Final = "Helvetica"
LATIN_BOLD_FONT: Final = "Helvetica-Bold"
# (body, heading) CID font per East Asian language; all ship inside reportlab.
CID_FONTS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "zh": ("STSong-Light", "STSong-Light"),
        "ja": ("HeiseiMin-W3", "HeiseiKakuGo-W5"),
        "ko": ("HYSMyeongJo-Medium", "HYGothic-Medium"),
    }
)
_MARGIN: Final = 20 * mm
_BODY_SIZE: Final = 10.5
_HEADING_SIZES: Final = (16.0, 13.5, 12.0, 11.0, 10.5, 10.5)


@functools.cache
def _register_cid_fonts() -> None:
    for body, heading in CID_FONTS.values():
        for name in {body, heading}:
            pdfmetrics.registerFont(UnicodeCIDFont(name))
            # <b> and bold styles look the family up; CID fonts have no bold face, so map to self.
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )


@functools.cache
def _register_truetype(path: str) -> str:
    """Register a TrueType font file for embedding; return its reportlab name."""
    name = "GS-CJK-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:12]
    if not Path(path).is_file():
        raise InputError(
            f"Font file {path} does not exist.", hint="Give the path of a .ttf or .ttc font."
        )
    try:
        font = TTFont(name, path, subfontIndex=0)
    except (TTFError, OSError) as error:
        raise InputError(
            f"Font file {path} cannot be embedded: {error}.",
            hint="Use a TrueType font (.ttf or .ttc, e.g. WenQuanYi Zen Hei or IPAGothic); "
            "OpenType fonts with PostScript outlines (.otf, Noto Sans CJK) are not supported.",
        ) from error
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


class _Fonts:
    """Chooses the font of each run of text for one document."""

    def __init__(self, language: str, cjk_font: Path | None) -> None:
        self.language = language
        self.embedded = _register_truetype(str(cjk_font)) if cjk_font is not None else None
        _register_cid_fonts()

    def wide(self, east_asian: str | None, *, heading: bool) -> str:
        """The font for characters Helvetica cannot encode."""
        if self.embedded is not None:
            return self.embedded
        base = self.language.split("-", 1)[0].lower()
        # Greek, Cyrillic and symbols outside CJK text: the CID fonts hold them too.
        choice = east_asian or (base if base in CJK_LANGUAGES else "zh")
        body, heading_font = CID_FONTS[choice]
        return heading_font if heading else body


def _helvetica_can(char: str) -> bool:
    # Helvetica as reportlab writes it is WinAnsi-encoded, which is cp1252.
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _needs_wide_font(char: str, cjk_text: bool) -> bool:
    if char.isspace():
        return False
    if not _helvetica_can(char):
        return True
    # Dashes, quotes and ellipses inside CJK text take the CJK font's full-width forms
    # ("——" is one joined line there, two short dashes in Helvetica).
    return (
        cjk_text
        and unicodedata.east_asian_width(char) == "A"
        and unicodedata.category(char)[0] in "PS"
    )


def _runs(text: str, cjk_text: bool) -> list[tuple[bool, str]]:
    """Split text into (needs_wide_font, run); spaces stay with the run they are in."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        wide = _needs_wide_font(char, cjk_text)
        if runs and (char.isspace() or runs[-1][0] == wide):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((wide, char))
    return runs


class _Styles:
    """Paragraph styles for one document, with a CJK-wrapping twin of each."""

    def __init__(self) -> None:
        self.body = ParagraphStyle(
            "gs-body", fontName=LATIN_FONT, fontSize=_BODY_SIZE, leading=16, spaceAfter=6
        )
        self.cell = ParagraphStyle("gs-cell", parent=self.body, fontSize=9.5, leading=13)
        self.header_cell = ParagraphStyle(
            "gs-header-cell", parent=self.cell, fontName=LATIN_BOLD_FONT
        )
        self.item = ParagraphStyle("gs-item", parent=self.body, spaceAfter=2)
        self.exhibit = ParagraphStyle(
            "gs-exhibit", parent=self.body, fontName=LATIN_BOLD_FONT, spaceAfter=1
        )
        self.exhibit_description = ParagraphStyle(
            "gs-exhibit-description", parent=self.body, leftIndent=12
        )
        self.headings = tuple(
            ParagraphStyle(
                f"gs-heading-{level}",
                parent=self.body,
                fontName=LATIN_BOLD_FONT,
                fontSize=size,
                leading=size * 1.35,
                spaceBefore=10 if level > 1 else 4,
                spaceAfter=5,
                keepWithNext=1,
            )
            for level, size in enumerate(_HEADING_SIZES, start=1)
        )
        self.cover = ParagraphStyle(
            "gs-cover",
            parent=self.body,
            fontName=LATIN_BOLD_FONT,
            fontSize=26,
            leading=36,
            alignment=TA_CENTER,
        )
        self._cjk: dict[str, ParagraphStyle] = {}

    def for_text(self, style: ParagraphStyle, cjk: bool) -> ParagraphStyle:
        """``style``, or its twin that may break lines between any two CJK characters."""
        if not cjk:
            return style
        if style.name not in self._cjk:
            self._cjk[style.name] = ParagraphStyle(
                f"{style.name}-cjk", parent=style, wordWrap="CJK"
            )
        return self._cjk[style.name]


class _Writer:
    """Turns blocks into platypus flowables with the right fonts."""

    def __init__(self, language: str, cjk_font: Path | None) -> None:
        self.language = language
        self.fonts = _Fonts(language, cjk_font)
        self.styles = _Styles()

    def paragraph(
        self, text: str, style: ParagraphStyle, *, heading: bool = False
    ) -> PlatypusParagraph:
        """A platypus paragraph of ``text``: Latin runs in ``style``'s font, others in CJK."""
        east_asian = cjk_language(text, self.language)
        markup = []
        for wide, run in _runs(text, east_asian is not None):
            escaped = xml_escape(run).replace("\n", "<br/>")
            if wide:
                face = self.fonts.wide(east_asian, heading=heading)
                markup.append(f'<font face="{face}">{escaped}</font>')
            else:
                markup.append(escaped)
        cjk = east_asian is not None
        return PlatypusParagraph("".join(markup), self.styles.for_text(style, cjk))

    def bullets(self, items: Sequence[str], *, numbered: bool) -> ListFlowable:
        """A numbered or bulleted list whose markers are set in Helvetica."""
        flowables = [ListItem(self.paragraph(item, self.styles.item)) for item in items]
        options: dict[str, Any] = {
            "bulletFontName": LATIN_FONT,
            "bulletFontSize": _BODY_SIZE,
            "leftIndent": 18,
            "spaceAfter": 6,
        }
        if numbered:
            return ListFlowable(flowables, bulletType="1", bulletFormat="%s.", **options)
        return ListFlowable(flowables, bulletType="bullet", start="•", **options)

    def table(self, block: Table, width: float) -> PlatypusTable:
        """A grid table whose header row repeats on each page it spans."""
        rows = [[self.paragraph(cell, self.styles.header_cell) for cell in block.header]]
        rows.extend([self.paragraph(cell, self.styles.cell) for cell in row] for row in block.rows)
        table = PlatypusTable(
            rows, colWidths=[width / len(block.header)] * len(block.header), repeatRows=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    def exhibits(self, block: ExhibitList) -> list[Flowable]:
        """Each exhibit as its bold label and title, then its description."""
        marks = punctuation(self.language)
        flowables: list[Flowable] = []
        for exhibit in block.items:
            label = f"{exhibit_label(exhibit.number, self.language)}{marks.colon}{exhibit.title}"
            parts = [self.paragraph(label.rstrip(), self.styles.exhibit, heading=True)]
            if exhibit.description:
                parts.append(self.paragraph(exhibit.description, self.styles.exhibit_description))
            flowables.append(KeepTogether(parts))
        return flowables

    def block(self, block: Block, width: float) -> list[Flowable]:
        """The flowables for one block."""
        if isinstance(block, Heading):
            style = self.styles.headings[block.level - 1]
            return [self.paragraph(block.text, style, heading=True)]
        if isinstance(block, Paragraph):
            return [self.paragraph(block.text, self.styles.body)]
        if isinstance(block, NumberedList | BulletList):
            return [self.bullets(block.items, numbered=isinstance(block, NumberedList))]
        if isinstance(block, Table):
            return [self.table(block, width), Spacer(1, 6)]
        if isinstance(block, ExhibitList):
            return self.exhibits(block)
        if isinstance(block, PageBreak):
            return [PlatypusPageBreak()]
        raise InputError(f"Cannot write a {type(block).__name__} block as PDF.")


def _page_number(canvas: Canvas, template: Any) -> None:
    canvas.saveState()
    canvas.setFont(LATIN_FONT, 8)
    canvas.drawCentredString(template.pagesize[0] / 2, 10 * mm, str(canvas.getPageNumber()))
    canvas.restoreState()


def _template(buffer: io.BytesIO, language: str, title: str, metadata: Mapping[str, str]) -> Any:
    # invariant=1 drops the creation date and random file id, so the same document gives the
    # same bytes (reproducible exports, comparable evidence packs).
    return SimpleDocTemplate(
        buffer,
        pagesize=LETTER if letter_paper(language) else A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=title,
        author=metadata.get("author", ""),
        subject=metadata.get("subject", ""),
        keywords=metadata.get("keywords", ""),
        creator="goodstanding",
        lang=language_tag(language),
        invariant=1,
    )


def to_pdf(doc: Document, *, cjk_font: Path | None = None) -> bytes:
    """Render ``doc`` as a PDF that shows Latin, Chinese and Japanese text.

    Args:
        doc: The document.
        cjk_font: A TrueType font (.ttf/.ttc) to embed for CJK text; by default reportlab's
            built-in CID fonts are referenced and the reader supplies the glyphs.

    Raises:
        InputError: ``cjk_font`` is missing or is not a TrueType font.
    """
    writer = _Writer(doc.language, cjk_font)
    buffer = io.BytesIO()
    template = _template(buffer, doc.language, doc.title, doc.metadata)
    story: list[Flowable] = []
    for block in doc.blocks:
        story.extend(writer.block(block, template.width))
    if not story:
        story.append(Spacer(1, 1))  # a PDF needs one page, even for an empty document
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def exhibit_cover(number: int, title: str, language: str, *, cjk_font: Path | None = None) -> bytes:
    """A one-page PDF announcing "Exhibit N — title", put before each exhibit in a pack."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InputError(f"Exhibit number must be a positive integer, got {number!r}.")
    marks = punctuation(language)
    heading = (
        f"{exhibit_label(number, language)}{marks.dash}{title}"
        if title
        else exhibit_label(number, language)
    )
    writer = _Writer(language, cjk_font)
    buffer = io.BytesIO()
    template = _template(buffer, language, heading, {})
    # Shrink a very long title rather than let it spill onto a second page.
    content = KeepInFrame(
        template.width,
        template.height * 0.6,
        [writer.paragraph(heading, writer.styles.cover, heading=True)],
        mode="shrink",
    )
    template.build([Spacer(1, template.height * 0.3), content])
    return buffer.getvalue()


def _reader(part: bytes | Path, index: int) -> PdfReader:
    name = str(part) if isinstance(part, Path) else f"part {index} ({len(part)} bytes)"
    try:
        reader = PdfReader(part if isinstance(part, Path) else io.BytesIO(part))
        if reader.is_encrypted:
            raise InputError(
                f"PDF {name} is password-protected.",
                hint="Save an unprotected copy (print to PDF) and add that instead.",
            )
        if len(reader.pages) == 0:
            raise InputError(f"PDF {name} has no pages.")
    except FileNotFoundError as error:
        raise InputError(f"PDF {name} does not exist.") from error
    except (PyPdfError, OSError, ValueError, KeyError) as error:
        raise InputError(
            f"PDF {name} cannot be read: {error}.",
            hint="Check that the file is a complete, undamaged PDF.",
        ) from error
    return reader


_WHITESPACE = re.compile(r"\s+")


def merge_pdfs(parts: Sequence[bytes | Path], *, outline: Sequence[str] | None = None) -> bytes:
    """Join PDFs (bytes or files) into one, in order, e.g. cover and exhibit pages of a pack.

    Args:
        parts: The PDFs to join.
        outline: One bookmark title per part, shown in the reader's sidebar.

    Raises:
        InputError: No parts, an outline of the wrong length, or a part that is not a readable,
            unprotected PDF (the message names it).
    """
    if not parts:
        raise InputError("There are no PDFs to merge.", hint="Choose at least one document.")
    if outline is not None and len(outline) != len(parts):
        raise InputError(
            f"The outline has {len(outline)} titles for {len(parts)} PDFs.",
            hint="Give one bookmark title per PDF.",
        )
    writer = PdfWriter()
    for index, part in enumerate(parts, start=1):
        reader = _reader(part, index)
        title = _WHITESPACE.sub(" ", outline[index - 1]).strip() if outline else None
        writer.append(reader, outline_item=title or None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
