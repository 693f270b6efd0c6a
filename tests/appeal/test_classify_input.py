"""Reading a notice's text from .txt, .eml and .pdf files (read_notice_text)."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from goodstanding.appeal import classify_notice, read_notice_text
from goodstanding.errors import NoticeReadError

NOTICE = (
    "Hello,\n"
    "Your Amazon seller account has been deactivated because your order defect rate is above "
    "1%.\nSend us a plan of action within 17 days.\n"
)
GERMAN = "Ihr Verkäuferkonto wurde deaktiviert: Bestellmängelquote über 1 %."


def _pdf(lines: list[str], *, encrypt: str | None = None, text: bool = True) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    page.setFont("Helvetica", 11)
    y = 800
    for line in lines:
        if text:
            page.drawString(50, y, line)
        else:
            page.rect(50, y, 200, 10, fill=1)
        y -= 16
    page.save()
    return buffer.getvalue()


def _email(*, plain: str | None, html: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "seller-performance@amazon.com"
    message["To"] = "seller@example.com"
    message["Subject"] = "Your Amazon.com selling account"
    message["Date"] = "Mon, 03 Feb 2025 09:14:00 +0000"
    if plain is not None:
        message.set_content(plain)
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    return bytes(message)


def test_read_notice_text_reads_utf8_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    assert read_notice_text(path) == NOTICE.strip()
    assert read_notice_text(str(path)) == NOTICE.strip()


def test_read_notice_text_reads_utf16_and_legacy_japanese_encodings(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(GERMAN.encode("utf-16"))
    assert read_notice_text(path) == GERMAN
    japanese = "出品用アカウントを停止しました。注文不良率が1%を超えています。"
    assert read_notice_text(japanese.encode("cp932")) == japanese


def test_read_notice_text_reads_bytes_from_standard_input() -> None:
    assert read_notice_text(NOTICE.encode("utf-8")) == NOTICE.strip()


def test_read_notice_text_prefers_the_plain_part_of_an_email(tmp_path: Path) -> None:
    path = tmp_path / "notice.eml"
    path.write_bytes(_email(plain=NOTICE, html="<p>ignored html version</p>"))
    text = read_notice_text(path)
    assert text.startswith("Subject: Your Amazon.com selling account\n")
    assert "Date: Mon, 03 Feb 2025 09:14:00 +0000" in text
    assert "order defect rate" in text
    assert "ignored html" not in text
    reading = classify_notice(text)
    assert reading.family_ids == ("order_defect_rate",)
    assert reading.reference_date is not None
    assert reading.deadline is not None and reading.deadline.isoformat() == "2025-02-20"


def test_read_notice_text_strips_html_when_the_email_has_no_plain_part(tmp_path: Path) -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body><p>Hello,</p>"
        "<p>We removed your listing because a rights owner reported a <b>trademark</b> "
        "infringement &amp; asked for its removal.</p><script>track()</script></body></html>"
    )
    path = tmp_path / "notice.eml"
    path.write_bytes(_email(plain=None, html=html))
    text = read_notice_text(path)
    assert "trademark infringement & asked" in text
    assert "color" not in text and "track()" not in text
    assert classify_notice(text).family_ids == ("intellectual_property_trademark",)


def test_read_notice_text_sniffs_an_email_without_the_eml_suffix() -> None:
    text = read_notice_text(_email(plain=NOTICE))
    assert text.startswith("Subject:")


def test_read_notice_text_reads_a_forwarded_notice_and_an_attached_pdf() -> None:
    inner = EmailMessage()
    inner["Subject"] = "Notice"
    inner.set_content(NOTICE)
    outer = EmailMessage()
    outer["From"] = "me@example.com"
    outer["Subject"] = "Fwd: notice"
    outer.add_attachment(inner)
    assert "order defect rate" in read_notice_text(bytes(outer))

    with_pdf = EmailMessage()
    with_pdf["From"] = "me@example.com"
    with_pdf["Subject"] = "notice as PDF"
    with_pdf.add_attachment(
        _pdf(["Your listing was removed: valid tracking rate below 95%."]),
        maintype="application",
        subtype="pdf",
        filename="notice.pdf",
    )
    assert "valid tracking rate" in read_notice_text(bytes(with_pdf))


def test_read_notice_text_extracts_the_text_of_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(_pdf(["Hello,", "Your listings were removed because of", GERMAN]))
    text = read_notice_text(path)
    assert "Your listings were removed" in text
    assert "Bestellmängelquote" in text
    assert classify_notice(text).family_ids == ("order_defect_rate",)


def test_read_notice_text_refuses_an_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf(["secret notice"], encrypt="s3cret"))
    with pytest.raises(NoticeReadError, match="encrypted"):
        read_notice_text(path)


def test_read_notice_text_refuses_a_pdf_without_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(["x", "y"], text=False))
    with pytest.raises(NoticeReadError, match="no text layer"):
        read_notice_text(path)


def test_read_notice_text_refuses_a_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    with pytest.raises(NoticeReadError, match=r"broken\.pdf"):
        read_notice_text(path)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  "])
def test_read_notice_text_refuses_an_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(NoticeReadError, match="empty"):
        read_notice_text(path)


def test_read_notice_text_refuses_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(NoticeReadError, match="binary"):
        read_notice_text(path)


def test_read_notice_text_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(NoticeReadError, match="no such file") as caught:
        read_notice_text(missing)
    assert str(missing) in str(caught.value)
    assert caught.value.hint


def test_read_notice_text_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(NoticeReadError, match="folder"):
        read_notice_text(tmp_path)


def test_read_notice_text_reads_an_html_file(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    path.write_text("<html><body><p>Line one</p><p>Line&nbsp;two</p></body></html>", "utf-8")
    assert read_notice_text(path) == "Line one\n\nLine\xa0two"
