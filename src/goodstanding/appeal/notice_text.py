"""Get the text out of a notice file: plain text, an e-mail (.eml) or a PDF.

:func:`read_notice_text` accepts a path (``Path`` or ``str``) or the raw bytes (for example read
from standard input). The format is sniffed from the content, with the file suffix as a tie
breaker: ``%PDF-`` is a PDF, RFC 822 headers (or ``.eml``) an e-mail, ``<html`` (or ``.html``)
HTML, anything else text in UTF-8/UTF-16 (BOM honoured), Shift_JIS, GB18030 or Windows-1252.

An e-mail's header lines ``Subject``, ``From`` and ``Date`` are kept above its body: the subject
often names the policy and the date is the reference for relative deadlines. The body is the
first ``text/plain`` part, else the first ``text/html`` part with its tags stripped; a forwarded
message or an attached PDF is read when the e-mail has no text of its own.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import io
import re
import warnings
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Final

from goodstanding.errors import NoticeReadError

MAX_BYTES: Final = 20 * 1024 * 1024
"""Largest notice file read (a notice is a few kilobytes; anything bigger is not one)."""

_HEADER_LINE: Final = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]", re.MULTILINE)
_EMAIL_HEADERS: Final = (b"from:", b"subject:", b"date:", b"to:", b"received:", b"mime-version:")
_BLOCK_TAGS: Final = frozenset(
    {"p", "br", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "td"}
)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HINT: Final = "Paste the notice's text instead, or save the e-mail as .eml or the page as PDF."


def read_notice_text(source: Path | str | bytes) -> str:
    """The text of a notice given as a file path or as the file's bytes.

    Raises:
        NoticeReadError: the file is missing, empty, binary, an encrypted or damaged PDF, a PDF
            without a text layer, or an e-mail without any text.
    """
    if isinstance(source, bytes):
        name, data, suffix = "input", source, ""
    else:
        path = Path(source)
        name, suffix = str(path), path.suffix.lower()
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise NoticeReadError(
                    f"{name}: {size} bytes is too large for a notice.", hint=_HINT
                )
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NoticeReadError(
                f"{name}: no such file.", hint="Check the path, or pass - to read standard input."
            ) from exc
        except IsADirectoryError as exc:
            raise NoticeReadError(f"{name}: is a folder, not a file.", hint=_HINT) from exc
        except OSError as exc:
            raise NoticeReadError(f"{name}: cannot be read ({exc.strerror}).", hint=_HINT) from exc
    if not data.strip():
        raise NoticeReadError(f"{name}: the file is empty.", hint=_HINT)
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        text = _pdf_text(data, name)
    elif suffix == ".eml" or _looks_like_email(data):
        text = _email_text(data, name)
    else:
        text = _decode(data, name)
        if suffix in {".html", ".htm"} or text.lstrip()[:15].lower().startswith(
            ("<!doctype html", "<html")
        ):
            text = html_to_text(text)
    text = _tidy(text)
    if not text:
        raise NoticeReadError(f"{name}: no text was found in the file.", hint=_HINT)
    return text


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document, one line per block element."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head", "title"}:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head", "title"}:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _looks_like_email(data: bytes) -> bool:
    head = data[:4096].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) < 2 or not _HEADER_LINE.match(lines[0]):
        return False
    known = sum(1 for line in lines if line.lower().startswith(_EMAIL_HEADERS))
    return known >= 2


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), name)
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has a NUL in every other byte of Latin text; else it is binary.
        zeros_odd = data[1:4096:2].count(0)
        zeros_even = data[0:4096:2].count(0)
        if zeros_odd > len(data[1:4096:2]) * 0.3:
            return _checked(data.decode("utf-16-le", errors="replace"), name)
        if zeros_even > len(data[0:4096:2]) * 0.3:
            return _checked(data.decode("utf-16-be", errors="replace"), name)
        raise NoticeReadError(f"{name}: this is a binary file, not a text notice.", hint=_HINT)
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    # Legacy encodings of the Japanese and Chinese stores; the one that decodes cleanly wins.
    for encoding in ("cp932", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _cjk_share(text) > 0.2:
            return _checked(text, name)
    return _checked(data.decode("cp1252", errors="replace"), name)


def _cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if ord(c) >= 0x3000) / len(letters)


def _checked(text: str, name: str) -> str:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise NoticeReadError(f"{name}: this is a binary file, not a text notice.", hint=_HINT)
    return text


def _pdf_text(data: bytes, name: str) -> str:
    # pypdf is imported here: only PDF input pays for it.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    encrypted = NoticeReadError(
        f"{name}: the PDF is encrypted.",
        hint="Remove the password (print it to a new PDF) or paste the notice's text.",
    )
    try:
        # A damaged PDF makes pypdf warn about every repair; the outcome is checked below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise encrypted
            pages = [page.extract_text() or "" for page in reader.pages]
    except NoticeReadError:
        raise
    except (FileNotDecryptedError, DependencyError, NotImplementedError) as exc:
        raise encrypted from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise NoticeReadError(f"{name}: the PDF cannot be read ({exc}).", hint=_HINT) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise NoticeReadError(
            f"{name}: the PDF has no text layer (a scan or an image).",
            hint="Run it through OCR, or paste the notice's text.",
        )
    return text


def _email_text(data: bytes, name: str) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    body = _message_body(message, name)
    if not body.strip():
        raise NoticeReadError(f"{name}: the e-mail contains no text.", hint=_HINT)
    headers = [
        f"{label}: {value}"
        for label in ("Subject", "From", "Date")
        if (value := str(message.get(label, "") or "").strip())
    ]
    return "\n".join(headers) + ("\n\n" if headers else "") + body


def _message_body(message: Message, name: str) -> str:
    plain = html = ""
    attachments: list[Message] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if disposition == "attachment" or content_type in {"application/pdf", "message/rfc822"}:
            attachments.append(part)
            continue
        if content_type == "text/plain" and not plain:
            plain = _part_text(part)
        elif content_type == "text/html" and not html:
            html = html_to_text(_part_text(part))
    if plain.strip():
        return plain
    if html.strip():
        return html
    # A notice forwarded as an attachment: a nested e-mail or a PDF.
    for part in attachments:
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                text = _message_body(inner, name)
                if text.strip():
                    return text
        raw = part.get_payload(decode=True)
        if isinstance(raw, bytes) and raw.startswith(b"%PDF-"):
            return _pdf_text(raw, f"{name} (attachment)")
        if isinstance(raw, bytes) and part.get_content_maintype() == "text":
            return _decode(raw, name)
    return ""


def _part_text(part: Message) -> str:
    if isinstance(part, EmailMessage):
        try:
            content = part.get_content()
        except (LookupError, UnicodeDecodeError):
            content = None
        if isinstance(content, str):
            return content
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return raw.decode(charset, errors="replace")
        except LookupError:
            return raw.decode("utf-8", errors="replace")
    return ""


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Strip trailing spaces and squeeze runs of blank lines left by HTML and PDF extraction.
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()
