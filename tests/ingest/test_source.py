"""Sniffing a file's encoding and header, and cutting its body into line-aligned chunks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from goodstanding.errors import ReportFormatError
from goodstanding.ingest.source import HEAD_SIZE, iter_chunks, sniff

from .samples import Writer


@pytest.mark.parametrize(
    ("raw", "encoding", "bom"),
    [
        (b"a\tb\n", "utf-8", 0),
        (codecs.BOM_UTF8 + b"a\tb\n", "utf-8", 3),
        (codecs.BOM_UTF16_LE + "a\tb\n".encode("utf-16-le"), "utf-16-le", 2),
        (codecs.BOM_UTF16_BE + "a\tb\n".encode("utf-16-be"), "utf-16-be", 2),
        ("order-id\tb\n".encode("utf-16-le"), "utf-16-le", 0),
        ("order-id\tb\n".encode("utf-16-be"), "utf-16-be", 0),
    ],
)
def test_sniff_finds_encoding_and_header(
    write: Writer, raw: bytes, encoding: str, bom: int
) -> None:
    layout = sniff(write("f.txt", raw))
    assert (layout.encoding, layout.bom, layout.json) == (encoding, bom, False)
    assert layout.header[-1] == "b"
    assert layout.delimiter == "\t"


def test_sniff_skips_blank_lines_before_the_header(write: Writer) -> None:
    layout = sniff(write("f.csv", "\r\n  \r\norder-id;claim-id\r\n1;2\r\n"))
    assert (layout.header, layout.header_line, layout.delimiter) == (
        ("order-id", "claim-id"),
        3,
        ";",
    )
    assert not layout.cr_only


def test_sniff_notices_old_mac_line_ends(write: Writer) -> None:
    assert sniff(write("f.csv", "a,b\r1,2\r")).cr_only


def test_sniff_refuses_a_header_longer_than_the_head(write: Writer) -> None:
    with pytest.raises(ReportFormatError, match="longer than"):
        sniff(write("f.txt", "a" * (HEAD_SIZE + 10)))


def test_chunks_cover_the_body_exactly_once(write: Writer) -> None:
    lines = [f"{i}\t{'x' * (i % 37)}" for i in range(500)]
    path = write("f.txt", "h1\th2\n" + "\n".join(lines))
    layout = sniff(path)
    chunks = list(iter_chunks(path, layout, block_size=100))
    body = b"".join(bytes(c.data) for c in chunks)
    assert body == "\n".join(lines).encode()
    assert b"".join(bytes(c.raw) for c in chunks) == path.read_bytes()
    assert all(bytes(c.data).endswith(b"\n") for c in chunks[:-1])
    assert chunks[-1].bytes_done == path.stat().st_size


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_chunks_are_utf8_and_hash_the_raw_bytes(write: Writer, encoding: str) -> None:
    text = "\ufeffh1\th2\r\n" + "".join(f"{i}\tcafé ☕\r\n" for i in range(200))
    path = write("f.txt", text, encoding=encoding)
    chunks = list(iter_chunks(path, sniff(path), block_size=64))
    assert b"".join(bytes(c.data) for c in chunks).decode() == text.split("\r\n", 1)[1]
    assert b"".join(bytes(c.raw) for c in chunks) == path.read_bytes()


def test_broken_utf16_names_its_line(write: Writer) -> None:
    raw = codecs.BOM_UTF16_LE + "h1\th2\n1\t2\n3\t".encode("utf-16-le") + b"\x00\xdc" + b"\n\x00"
    path = write("f.txt", raw)
    with pytest.raises(ReportFormatError, match="UTF-16") as caught:
        list(iter_chunks(path, sniff(path), block_size=8))
    assert caught.value.line == 3


def test_unreadable_path_is_a_report_format_error(tmp_path: Path) -> None:
    with pytest.raises(ReportFormatError, match="cannot read"):
        sniff(tmp_path / "absent.txt")
