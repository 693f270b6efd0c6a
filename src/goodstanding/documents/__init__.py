"""One neutral document model and its writers: plain text, Markdown, DOCX and PDF.

The appeal builder (Plan of Action exports), the evidence pack (numbered exhibits) and reports
build a :class:`Document` of blocks and hand it to a writer: ``to_plaintext`` for Seller
Central's form (no markup), ``to_markdown``, ``to_docx`` (Word, with East Asian fonts) and
``to_pdf`` (Chinese and Japanese through reportlab's CID fonts). ``write_document`` writes any
of them atomically; ``exhibit_cover`` and ``merge_pdfs`` assemble evidence packs.
"""

from goodstanding.documents.docx import to_docx
from goodstanding.documents.files import (
    FORMATS,
    render_document,
    write_bytes_atomically,
    write_document,
)
from goodstanding.documents.markdown import to_markdown
from goodstanding.documents.model import (
    Block,
    BulletList,
    Document,
    Exhibit,
    ExhibitList,
    Heading,
    NumberedList,
    PageBreak,
    Paragraph,
    Table,
    exhibit_label,
)
from goodstanding.documents.pdf import exhibit_cover, merge_pdfs, to_pdf
from goodstanding.documents.plaintext import plaintext_length, to_plaintext

__all__ = [
    "FORMATS",
    "Block",
    "BulletList",
    "Document",
    "Exhibit",
    "ExhibitList",
    "Heading",
    "NumberedList",
    "PageBreak",
    "Paragraph",
    "Table",
    "exhibit_cover",
    "exhibit_label",
    "merge_pdfs",
    "plaintext_length",
    "render_document",
    "to_docx",
    "to_markdown",
    "to_pdf",
    "to_plaintext",
    "write_bytes_atomically",
    "write_document",
]
