"""Evidence packs: numbered exhibits in one PDF and a ZIP."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from goodstanding.errors import InputError
from goodstanding.evidence.exhibits import ExhibitSource, build_evidence_pack

from . import pdfs


def png() -> bytes:
    # A tiny PNG made with Pillow (reportlab reads images through it).
    pil = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    pil.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pack_numbers_exhibits_with_covers_and_keeps_originals_in_the_zip() -> None:
    invoice = pdfs.text_pdf(pdfs.ENGLISH)
    sources = [
        ExhibitSource("Invoice INV-2026-0042", "180 units", "inv.pdf", invoice),
        ExhibitSource("Business licence", "", "licence.txt", b"licence text"),
        ExhibitSource("Bank statement"),
    ]

    pack = build_evidence_pack(sources, title="Evidence — acme")

    reader = PdfReader(io.BytesIO(pack.pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # index, 3 covers, the invoice page, the "attached only" note
    assert len(reader.pages) == 6
    assert "Exhibit 1" in text and "Exhibit 3" in text
    assert "ACME Supplies Ltd" in text
    assert [e.number for e in pack.exhibits] == [1, 2, 3]
    assert pack.attached_only == (2, 3)
    archive = zipfile.ZipFile(io.BytesIO(pack.zip))
    assert sorted(archive.namelist()) == [
        "Exhibit-01-inv.pdf",
        "Exhibit-02-licence.txt",
        "evidence-pack.pdf",
        "index.txt",
    ]
    assert archive.read("Exhibit-01-inv.pdf") == invoice
    assert "Exhibit 2: Business licence" in archive.read("index.txt").decode()


def test_images_get_a_page_of_their_own() -> None:
    pack = build_evidence_pack([ExhibitSource("ID card", "", "id.png", png())], title="Pack")

    assert len(PdfReader(io.BytesIO(pack.pdf)).pages) == 3  # index, cover, image page
    assert pack.attached_only == ()


def test_labels_follow_the_language() -> None:
    pack = build_evidence_pack([ExhibitSource("发票")], title="证据", language="zh")

    text = PdfReader(io.BytesIO(pack.pdf)).pages[1].extract_text()
    assert "附件1" in text.replace(" ", "")


def test_empty_pack_and_protected_pdf_are_refused() -> None:
    with pytest.raises(InputError, match="no documents"):
        build_evidence_pack([], title="Pack")
    locked = pdfs.encrypted(pdfs.text_pdf(pdfs.ENGLISH))
    with pytest.raises(InputError, match="password-protected"):
        build_evidence_pack([ExhibitSource("Invoice", "", "x.pdf", locked)], title="Pack")
