"""PDF: text in three scripts extracts back, fonts by name, covers, merges, bad input."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from goodstanding.documents import (
    Document,
    Heading,
    PageBreak,
    Paragraph,
    exhibit_cover,
    merge_pdfs,
    to_pdf,
)
from goodstanding.errors import InputError

from .conftest import CHINESE_SENTENCE, JAPANESE_SENTENCE, LATIN_SENTENCE


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _text(data: bytes) -> str:
    # Compare without line breaks: a long sentence may wrap anywhere.
    return "".join("".join(page.extract_text().split()) for page in _reader(data).pages)


def _fonts(data: bytes) -> dict[str, str]:
    """BaseFont name → whether it is embedded ("embedded" / "referenced"), over all pages."""
    fonts: dict[str, str] = {}
    for page in _reader(data).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor_owner = descendants[0].get_object() if descendants else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = "embedded" if embedded else "referenced"
    return fonts


def _squash(text: str) -> str:
    return "".join(text.split())


def test_pdf_extracts_latin_chinese_and_japanese_sentences(mixed: Document) -> None:
    text = _text(to_pdf(mixed))
    for sentence in (LATIN_SENTENCE, CHINESE_SENTENCE, JAPANESE_SENTENCE):
        assert _squash(sentence) in text


def test_pdf_references_cid_fonts_by_paragraph_script(mixed: Document) -> None:
    fonts = _fonts(to_pdf(mixed))
    assert fonts["/Helvetica"] == "referenced"
    assert fonts["/STSong-Light"] == "referenced"  # the Chinese paragraph
    assert fonts["/HeiseiMin-W3"] == "referenced"  # the Japanese one (kana)
    assert "/HeiseiKakuGo-W5" not in fonts  # the only heading is Latin


def test_pdf_japanese_document_sets_han_only_text_in_japanese_font() -> None:
    doc = Document("t", "ja", (Heading("改善計画"), Paragraph("在庫管理を改善しました。")))
    fonts = _fonts(to_pdf(doc))
    assert "/HeiseiKakuGo-W5" in fonts  # heading
    assert "/HeiseiMin-W3" in fonts
    assert "/STSong-Light" not in fonts


def test_pdf_english_document_uses_no_cid_font(plan: Document) -> None:
    assert set(_fonts(to_pdf(plan))) == {"/Helvetica", "/Helvetica-Bold"}


def test_pdf_renders_every_block_of_plan(plan: Document) -> None:
    data = to_pdf(plan)
    reader = _reader(data)
    assert len(reader.pages) == 2  # the PageBreak starts page two
    text = _text(data)
    for expected in ("PlanofAction", "1.Ourwarehouse", "B0TEST0002", "Exhibit1:Carriercontract"):
        assert expected in text
    assert "Thankyou" in _squash(reader.pages[1].extract_text())
    assert reader.metadata is not None
    assert reader.metadata.title == "Plan of Action: late shipments"
    assert reader.metadata.author == "Example Trading Ltd"


def test_pdf_wraps_long_chinese_paragraph_inside_page() -> None:
    doc = Document("t", "zh", (Paragraph(CHINESE_SENTENCE * 12),))
    data = to_pdf(doc)
    lines = [line for line in _reader(data).pages[0].extract_text().split("\n") if line.strip()]
    assert len(lines) > 3  # wrapped, not one line running off the page
    assert _squash(CHINESE_SENTENCE * 12) in _text(data)


def test_pdf_escapes_markup_characters() -> None:
    doc = Document("t", "en", (Paragraph("Fish & chips <b>not bold</b>"),))
    assert "Fish&chips<b>notbold</b>" in _text(to_pdf(doc))


def test_pdf_same_document_gives_same_bytes(mixed: Document) -> None:
    assert to_pdf(mixed) == to_pdf(mixed)


def test_pdf_empty_document_has_one_page() -> None:
    assert len(_reader(to_pdf(Document("t", "en", ()))).pages) == 1


def test_pdf_page_breaks_count_pages() -> None:
    doc = Document(
        "t", "en", (Paragraph("a"), PageBreak(), Paragraph("b"), PageBreak(), Paragraph("c"))
    )
    assert len(_reader(to_pdf(doc)).pages) == 3


def test_pdf_embeds_truetype_font_when_given(mixed: Document, cjk_truetype_font: Path) -> None:
    data = to_pdf(mixed, cjk_font=cjk_truetype_font)
    fonts = _fonts(data)
    assert "/STSong-Light" not in fonts
    cjk = [state for name, state in fonts.items() if not name.startswith("/Helvetica")]
    assert cjk == ["embedded"]
    assert _squash(JAPANESE_SENTENCE) in _text(data)


def test_pdf_rejects_missing_font_file(mixed: Document, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        to_pdf(mixed, cjk_font=tmp_path / "none.ttf")


def test_pdf_rejects_font_file_that_is_not_truetype(mixed: Document, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"OTTO" + b"\x00" * 64)
    with pytest.raises(InputError, match="cannot be embedded") as caught:
        to_pdf(mixed, cjk_font=bogus)
    assert caught.value.hint is not None
    assert "TrueType" in caught.value.hint


@pytest.mark.parametrize(
    ("language", "title", "expected"),
    [
        ("en", "Supplier invoices", "Exhibit 3 — Supplier invoices"),
        ("zh", "供应商发票", "附件3——供应商发票"),
        ("ja", "仕入先の請求書", "添付資料3——仕入先の請求書"),
    ],
)
def test_exhibit_cover_is_one_page_with_label(language: str, title: str, expected: str) -> None:
    reader = _reader(exhibit_cover(3, title, language))
    assert len(reader.pages) == 1
    assert _squash(expected) in _squash(reader.pages[0].extract_text())


def test_exhibit_cover_long_title_stays_on_one_page() -> None:
    reader = _reader(exhibit_cover(12, "Supplier invoice and delivery note " * 40, "en"))
    assert len(reader.pages) == 1


def test_exhibit_cover_rejects_zero() -> None:
    with pytest.raises(InputError, match="positive integer"):
        exhibit_cover(0, "x", "en")


def test_merge_pdfs_adds_up_pages_from_bytes_and_files(plan: Document, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(to_pdf(plan))
    parts: list[bytes | Path] = [exhibit_cover(1, "Plan", "en"), path, exhibit_cover(2, "x", "en")]
    merged = _reader(merge_pdfs(parts))
    assert len(merged.pages) == 1 + 2 + 1
    assert "Exhibit2" in _squash(merged.pages[3].extract_text())


def test_merge_pdfs_writes_one_bookmark_per_part(plan: Document) -> None:
    merged = _reader(
        merge_pdfs([exhibit_cover(1, "a", "en"), to_pdf(plan)], outline=["Cover", "Plan"])
    )
    assert [item.title for item in merged.outline] == ["Cover", "Plan"]  # type: ignore[union-attr]
    assert [merged.get_destination_page_number(item) for item in merged.outline] == [0, 1]  # type: ignore[arg-type]


def test_merge_pdfs_rejects_outline_of_wrong_length() -> None:
    with pytest.raises(InputError, match="2 titles for 1 PDFs"):
        merge_pdfs([exhibit_cover(1, "a", "en")], outline=["a", "b"])


def test_merge_pdfs_rejects_empty_list() -> None:
    with pytest.raises(InputError, match="no PDFs"):
        merge_pdfs([])


def test_merge_pdfs_names_corrupt_part() -> None:
    with pytest.raises(InputError, match=r"part 2 .* cannot be read"):
        merge_pdfs([exhibit_cover(1, "a", "en"), b"%PDF-1.4 not really a pdf"])


def test_merge_pdfs_names_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    with pytest.raises(InputError, match=r"gone\.pdf does not exist"):
        merge_pdfs([missing])


def test_merge_pdfs_refuses_password_protected_part() -> None:
    writer = PdfWriter(clone_from=_reader(exhibit_cover(1, "a", "en")))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match="password-protected") as caught:
        merge_pdfs([buffer.getvalue()])
    assert caught.value.hint is not None
