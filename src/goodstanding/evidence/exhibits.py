"""Evidence packs: the documents chosen for an appeal as numbered exhibits, one PDF and one ZIP.

The PDF starts with an index (the exhibit list the appeal cites), then for each exhibit a cover
page ("Exhibit 3 — title") followed by the document itself: PDFs are appended as they are,
images are placed on a page of their own, anything else is named on its cover and shipped in the
ZIP only. The ZIP holds the PDF pack, every original file named ``Exhibit-NN-<name>``, and an
``index.txt``. Amazon accepts PDF, JPG, PNG or GIF attachments (reference §4.1, §4.4).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from goodstanding.documents import (
    Document,
    Exhibit,
    ExhibitList,
    Heading,
    Paragraph,
    exhibit_cover,
    exhibit_label,
    merge_pdfs,
    to_pdf,
)
from goodstanding.errors import InputError

_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff")


@dataclass(frozen=True)
class ExhibitSource:
    """One document to put in a pack: its title, a description, and its file (name and bytes)."""

    title: str
    description: str = ""
    file_name: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class EvidencePack:
    """A built pack: the exhibit list, the PDF and the ZIP."""

    exhibits: tuple[Exhibit, ...]
    pdf: bytes
    zip: bytes
    attached_only: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """The exhibit list as a JSON-ready dict."""
        return {
            "exhibits": [
                {"number": e.number, "title": e.title, "description": e.description}
                for e in self.exhibits
            ],
            "attached_only": list(self.attached_only),
            "pdf_bytes": len(self.pdf),
            "zip_bytes": len(self.zip),
        }


def _image_pdf(data: bytes, name: str) -> bytes:
    try:
        image = ImageReader(io.BytesIO(data))
        width, height = image.getSize()
    except (OSError, ValueError) as error:
        raise InputError(f"The image {name} cannot be read ({error}).") from None
    page_width, page_height = A4
    margin = 36
    scale = min((page_width - 2 * margin) / width, (page_height - 2 * margin) / height, 1.0)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    drawn_width, drawn_height = width * scale, height * scale
    canvas.drawImage(
        image,
        (page_width - drawn_width) / 2,
        page_height - margin - drawn_height,
        drawn_width,
        drawn_height,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "document"


def build_evidence_pack(
    sources: Sequence[ExhibitSource], *, title: str, language: str = "en"
) -> EvidencePack:
    """Number the sources 1, 2, 3... and build the PDF and the ZIP of the pack.

    Raises:
        InputError: no sources, or a PDF or image that cannot be read (the message names it).
    """
    if not sources:
        raise InputError(
            "The evidence pack has no documents.",
            hint="Add invoices or documents first, or choose them with --ids.",
        )
    exhibits = tuple(
        Exhibit(number, source.title, source.description)
        for number, source in enumerate(sources, start=1)
    )
    index = Document(
        title=title,
        language=language,
        blocks=(Heading(title), ExhibitList(exhibits)),
    )
    parts: list[bytes] = [to_pdf(index)]
    outline = [title]
    attached_only = []
    for exhibit, source in zip(exhibits, sources, strict=True):
        name = source.file_name or ""
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        body: bytes | None = None
        if source.data is not None and (suffix == ".pdf" or source.data.startswith(b"%PDF")):
            body = source.data
        elif source.data is not None and suffix in _IMAGE_SUFFIXES:
            body = _image_pdf(source.data, name)
        cover_title = exhibit.title
        if body is None:
            attached_only.append(exhibit.number)
            if source.data is not None:
                cover_title = f"{exhibit.title} ({name})"
        parts.append(exhibit_cover(exhibit.number, cover_title, language))
        outline.append(f"{exhibit_label(exhibit.number, language)} {exhibit.title}")
        if body is not None:
            parts.append(body)
            outline.append(f"{exhibit_label(exhibit.number, language)} {name or exhibit.title}")
    if attached_only:
        note = Document(
            title=title,
            language=language,
            blocks=(
                Paragraph(
                    "Files attached in the ZIP only: "
                    + ", ".join(exhibit_label(n, language) for n in attached_only)
                ),
            ),
        )
        parts.append(to_pdf(note))
        outline.append("Attachments")
    pdf = merge_pdfs(parts, outline=outline)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence-pack.pdf", pdf)
        lines = []
        for exhibit, source in zip(exhibits, sources, strict=True):
            lines.append(
                f"{exhibit_label(exhibit.number, language)}: {exhibit.title}"
                + (f" — {exhibit.description}" if exhibit.description else "")
            )
            if source.data is not None:
                stored = (
                    f"Exhibit-{exhibit.number:02d}-{_safe_name(source.file_name or 'document')}"
                )
                archive.writestr(stored, source.data)
                lines.append(f"    file: {stored}")
        archive.writestr("index.txt", "\n".join(lines) + "\n")
    return EvidencePack(exhibits, pdf, buffer.getvalue(), tuple(attached_only))
