"""Writing a document to disk in one of the four formats, atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from goodstanding.documents.docx import to_docx
from goodstanding.documents.markdown import to_markdown
from goodstanding.documents.model import Document
from goodstanding.documents.pdf import to_pdf
from goodstanding.documents.plaintext import to_plaintext
from goodstanding.errors import InputError

FORMATS: Final = ("txt", "md", "docx", "pdf")
"""The formats :func:`write_document` knows, by file extension."""


def _text(render: Callable[[Document], str]) -> Callable[[Document, Path | None], bytes]:
    def encode(doc: Document, cjk_font: Path | None) -> bytes:
        text = render(doc)
        # Files end with a newline; the text itself has none so it can go straight into a form.
        return (text if text.endswith("\n") or not text else text + "\n").encode("utf-8")

    return encode


_RENDERERS: Final[Mapping[str, Callable[[Document, Path | None], bytes]]] = MappingProxyType(
    {
        "txt": _text(to_plaintext),
        "md": _text(to_markdown),
        "docx": lambda doc, cjk_font: to_docx(doc),
        "pdf": lambda doc, cjk_font: to_pdf(doc, cjk_font=cjk_font),
    }
)


def render_document(doc: Document, fmt: str, *, cjk_font: Path | None = None) -> bytes:
    """Render ``doc`` to the bytes of a ``fmt`` file ("txt", "md", "docx" or "pdf")."""
    renderer = _RENDERERS.get(fmt.lower().lstrip("."))
    if renderer is None:
        raise InputError(
            f"Unknown document format {fmt!r}.", hint=f"Choose one of: {', '.join(FORMATS)}."
        )
    return renderer(doc, cjk_font)


def write_bytes_atomically(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    The temporary file is renamed over ``path`` only once it is complete and flushed to disk, so
    a reader (or a crash) sees the old file or the new one, never half of one.

    Raises:
        InputError: The directory is missing, is not writable, or ``path`` is a directory.
    """
    path = Path(path)
    directory = path.parent
    if path.is_dir():
        raise InputError(
            f"Cannot write {path}: it is a directory.", hint="Give a file name, e.g. plan.pdf."
        )
    if directory.exists() and not directory.is_dir():
        raise InputError(
            f"Cannot write {path}: {directory} is a file, not a folder.",
            hint="Choose an output path inside a folder.",
        )
    if not directory.is_dir():
        raise InputError(
            f"Cannot write {path}: the folder {directory} does not exist.",
            hint="Create the folder first or choose another output path.",
        )
    temporary = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        # os.open with 0o666 lets the umask decide the permissions, like a normal file.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        # Nothing half-written may stay behind, whatever step failed.
        with contextlib.suppress(OSError):
            temporary.unlink()
        reason = error.strerror or str(error)
        raise InputError(
            f"Cannot write {path}: {reason}.",
            hint="Choose a folder you can write to, or check its permissions and free space.",
        ) from error
    return path


def write_document(doc: Document, path: Path, fmt: str, *, cjk_font: Path | None = None) -> Path:
    """Render ``doc`` as ``fmt`` ("txt", "md", "docx", "pdf") and write it atomically to ``path``.

    Plain text is written without line wrapping, ready to paste into Seller Central's form.
    The document is rendered completely before the file is touched, so a rendering error leaves
    any existing file as it was.

    Raises:
        InputError: Unknown format, or the path cannot be written (the message names it).
    """
    data = render_document(doc, fmt, cjk_font=cjk_font)
    return write_bytes_atomically(data, Path(path))
