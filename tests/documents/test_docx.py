"""DOCX: round trip through python-docx, numbering, tables, East Asian fonts and languages."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.oxml.ns import qn

from goodstanding.documents import Document, NumberedList, Paragraph, to_docx

from .conftest import CHINESE_SENTENCE, JAPANESE_SENTENCE, LATIN_SENTENCE


def _read(doc: Document) -> Any:
    return docx.Document(io.BytesIO(to_docx(doc)))


def _num_id(paragraph: Any) -> int | None:
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    return None if num_pr is None else int(num_pr.numId.val)


def _east_asian_fonts(paragraph: Any) -> set[str | None]:
    fonts = set()
    for run in paragraph.runs:
        if run.text:
            rfonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
            fonts.add(None if rfonts is None else rfonts.get(qn("w:eastAsia")))
    return fonts


def test_docx_round_trip_keeps_headings_and_levels(plan: Document) -> None:
    headings = [
        (p.style.name, p.text) for p in _read(plan).paragraphs if p.style.name[:7] == "Heading"
    ]
    assert headings == [
        ("Heading 1", "Plan of Action"),
        ("Heading 2", "Root causes"),
        ("Heading 2", "Actions taken"),
    ]


def test_docx_round_trip_keeps_numbered_and_bullet_items(plan: Document) -> None:
    read = _read(plan)
    numbered = [p.text for p in read.paragraphs if p.style.name == "List Number"]
    bullets = [p.text for p in read.paragraphs if p.style.name == "List Bullet"]
    assert numbered[1] == "The carrier missed two scheduled pick-ups."
    assert len(numbered) == 2
    assert bullets == ["Hired a third packer on 9 September.", "Added a second carrier."]


def test_docx_numbering_restarts_for_each_list() -> None:
    doc = Document("t", "en", (NumberedList(("a", "b")), Paragraph("x"), NumberedList(("c",))))
    read = _read(doc)
    items = [p for p in read.paragraphs if p.style.name == "List Number"]
    first, second = _num_id(items[0]), _num_id(items[2])
    assert first == _num_id(items[1])
    assert first != second
    numbering = read.part.numbering_part.element
    for num_id in (first, second):
        num = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id}']")
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start.get(qn("w:val")) == "1"


def test_docx_round_trip_keeps_table_cells(plan: Document) -> None:
    table = _read(plan).tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["ASIN", "Units sold", "Units invoiced"],
        ["B0TEST0001", "120", "150"],
        ["B0TEST0002", "80", "60"],
    ]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_docx_round_trip_keeps_exhibits_and_page_break(plan: Document) -> None:
    read = _read(plan)
    texts = [p.text for p in read.paragraphs]
    assert "Exhibit 1: Carrier contract — Signed on 10 September." in texts
    assert read.element.body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")


def test_docx_sets_core_properties_and_paper(plan: Document) -> None:
    read = _read(plan)
    assert read.core_properties.title == "Plan of Action: late shipments"
    assert read.core_properties.author == "Example Trading Ltd"
    assert read.core_properties.language == "en-US"
    assert round(read.sections[0].page_width.mm) == 216  # US Letter for en-US


def test_docx_chinese_document_sets_east_asia_font_on_styles(chinese_plan: Document) -> None:
    read = _read(chinese_plan)
    defaults = read.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rPr')}")
    rfonts = defaults.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "SimSun"
    # The theme reference would win over the named font, so it must be gone.
    assert rfonts.get(qn("w:eastAsiaTheme")) is None
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    heading = read.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "SimHei"
    assert heading.get(qn("w:eastAsiaTheme")) is None
    assert round(read.sections[0].page_width.mm) == 210  # A4


def test_docx_chinese_text_present_with_east_asia_runs(chinese_plan: Document) -> None:
    read = _read(chinese_plan)
    numbered = [p for p in read.paragraphs if p.style.name == "List Number"]
    assert numbered[0].text == CHINESE_SENTENCE
    assert _east_asian_fonts(numbered[0]) == {"SimSun"}
    assert read.tables[0].rows[0].cells[1].text == "数量"


def test_docx_detects_script_per_paragraph_in_english_document(mixed: Document) -> None:
    paragraphs = {p.text: p for p in _read(mixed).paragraphs}
    assert _east_asian_fonts(paragraphs[CHINESE_SENTENCE]) == {"SimSun"}
    assert _east_asian_fonts(paragraphs[JAPANESE_SENTENCE]) == {"MS Mincho"}
    assert _east_asian_fonts(paragraphs[LATIN_SENTENCE]) == {None}
    run = paragraphs[JAPANESE_SENTENCE].runs[0]._r.rPr
    assert run.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"
    assert run.find(qn("w:rFonts")).get(qn("w:hint")) == "eastAsia"


def test_docx_japanese_document_uses_japanese_fonts_for_han_only_text() -> None:
    # Han characters alone could be Chinese; in a Japanese document they are Japanese.
    doc = Document("t", "ja", (Paragraph("在庫管理"),))
    read = _read(doc)
    assert _east_asian_fonts(read.paragraphs[0]) == {"MS Mincho"}
    assert read.core_properties.language == "ja-JP"


def test_docx_keeps_line_breaks_inside_paragraph() -> None:
    read = _read(Document("t", "en", (Paragraph("one\ntwo"),)))
    assert read.paragraphs[0].text == "one\ntwo"


def test_docx_accepts_text_extracted_with_control_codes() -> None:
    # Word's XML cannot hold most control codes; the model drops them before they get here.
    read = _read(Document("t", "en", (Paragraph("page one\x0cpage\x00 two\x1b"),)))
    assert read.paragraphs[0].text == "page one\npage two"
