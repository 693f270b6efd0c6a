"""write_document: every format on disk, atomic replacement, clear errors, nothing left behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from goodstanding.documents import (
    FORMATS,
    Document,
    render_document,
    to_markdown,
    to_plaintext,
    write_document,
)
from goodstanding.errors import InputError


def test_write_document_txt_is_form_text_with_final_newline(plan: Document, tmp_path: Path) -> None:
    path = write_document(plan, tmp_path / "plan.txt", "txt")
    assert path.read_text(encoding="utf-8") == to_plaintext(plan) + "\n"


def test_write_document_md_matches_markdown(plan: Document, tmp_path: Path) -> None:
    path = write_document(plan, tmp_path / "plan.md", "md")
    assert path.read_text(encoding="utf-8") == to_markdown(plan)


def test_write_document_docx_opens_in_python_docx(chinese_plan: Document, tmp_path: Path) -> None:
    path = write_document(chinese_plan, tmp_path / "plan.docx", "docx")
    assert docx.Document(str(path)).paragraphs[0].text == "问题原因"


def test_write_document_pdf_opens_in_pypdf(plan: Document, tmp_path: Path) -> None:
    path = write_document(plan, tmp_path / "plan.pdf", "pdf")
    assert len(PdfReader(path).pages) == 2


@pytest.mark.parametrize("fmt", ["PDF", ".pdf", "Pdf"])
def test_render_document_accepts_format_spellings(plan: Document, fmt: str) -> None:
    assert render_document(plan, fmt).startswith(b"%PDF")


def test_write_document_rejects_unknown_format(plan: Document, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Unknown document format 'rtf'") as caught:
        write_document(plan, tmp_path / "plan.rtf", "rtf")
    assert caught.value.hint == f"Choose one of: {', '.join(FORMATS)}."
    assert list(tmp_path.iterdir()) == []


def test_write_document_replaces_existing_file(plan: Document, tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("old", encoding="utf-8")
    write_document(plan, target, "txt")
    assert target.read_text(encoding="utf-8").startswith("Plan of Action")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


def test_write_document_file_mode_follows_umask(plan: Document, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    path = write_document(plan, tmp_path / "plan.md", "md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_write_document_names_missing_folder(plan: Document, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "plan.pdf"
    with pytest.raises(InputError, match=r"plan\.pdf: the folder .*nope does not exist"):
        write_document(plan, target, "pdf")
    assert list(tmp_path.iterdir()) == []


def test_write_document_names_file_used_as_folder(plan: Document, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file, not a folder"):
        write_document(plan, tmp_path / "notes" / "plan.txt", "txt")


def test_write_document_refuses_directory_as_path(plan: Document, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="it is a directory"):
        write_document(plan, tmp_path, "txt")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: permission bits do not stop root (the simulated test below covers it)",
)
def test_write_document_unwritable_folder_leaves_nothing(plan: Document, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(
            InputError, match=r"Cannot write .*locked.*plan\.pdf: Permission denied"
        ):
            write_document(plan, locked / "plan.pdf", "pdf")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_write_document_permission_denied_names_path(
    plan: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    target = tmp_path / "plan.pdf"
    with pytest.raises(InputError) as caught:
        write_document(plan, target, "pdf")
    assert str(target) in caught.value.message
    assert "Permission denied" in caught.value.message
    assert caught.value.hint is not None
    assert list(tmp_path.iterdir()) == []


def test_write_document_failed_rename_keeps_old_file_and_no_temp(
    plan: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.docx"
    target.write_bytes(b"previous version")

    def fail_replace(source: object, destination: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(InputError, match="Invalid cross-device link"):
        write_document(plan, target, "docx")
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.docx"]


def test_write_document_disk_full_mid_write_leaves_nothing(
    plan: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError, match="No space left on device"):
        write_document(plan, tmp_path / "plan.pdf", "pdf")
    assert list(tmp_path.iterdir()) == []


def test_write_document_render_error_leaves_existing_file(plan: Document, tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"previous version")
    with pytest.raises(InputError, match="Font file"):
        write_document(plan, target, "pdf", cjk_font=tmp_path / "missing.ttf")
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


def test_write_document_empty_text_file_is_empty(tmp_path: Path) -> None:
    path = write_document(Document("t", "en", ()), tmp_path / "empty.txt", "txt")
    assert path.read_bytes() == b""
