"""A report file's bytes: encoding, header line, and line-aligned UTF-8 chunks of its body.

Amazon's flat files are tab-separated text; some stores send them as UTF-16 or UTF-8 with a BOM,
with Windows line ends (metric-conventions.md §1). Everything below turns any of these into UTF-8
chunks that end on a line break, and knows the file line number each chunk starts at, so every
later error can name its line.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from goodstanding.errors import ReportFormatError

BLOCK_SIZE: Final = 16 << 20
"""Raw bytes read at a time: large enough for Arrow's parser to go fast, small enough to stream."""

HEAD_SIZE: Final = 1 << 20
"""Bytes read to find the header line; a header longer than this is not a report header."""

_UTF8_HINT = (
    "Save the file as UTF-8 text (in Excel: 'CSV UTF-8'), or download the report from Amazon "
    "again; Amazon's own files are UTF-8 or UTF-16."
)
_BINARY_HINT = (
    "goodstanding reads text reports: Amazon's tab-separated .txt downloads, its JSON performance "
    "report, or CSV files made from goodstanding's templates."
)

# Leading bytes of file kinds people pick up by mistake, with what to do instead.
_MAGIC: Final = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)", "Save it as 'CSV UTF-8' first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)", "Save it as 'CSV UTF-8' first"),
    (b"%PDF", "a PDF document", "Download the report as a text file instead"),
    (b"\x1f\x8b", "a gzip-compressed file", "Decompress it first (gunzip FILE)"),
)


@dataclass(frozen=True)
class Layout:
    """What the head of a file says about how to read it.

    Attributes:
        encoding: ``utf-8``, ``utf-16-le`` or ``utf-16-be``.
        bom: length in bytes of the byte-order mark at the start (0 when none).
        json: the file is a JSON document (the V2 performance report), not delimited text.
        header: the header names as written (BOM and surrounding spaces removed).
        header_line: 1-based line of the header (blank lines before it are skipped).
        delimiter: the field separator (tab for Amazon's files; comma or semicolon for CSV).
        cr_only: lines end with a lone carriage return (old Mac exports).
    """

    encoding: str
    bom: int
    json: bool
    header: tuple[str, ...]
    header_line: int
    delimiter: str
    cr_only: bool


@dataclass(frozen=True)
class Chunk:
    """Whole lines of a file's body, as UTF-8: ``buffer[start:end]``.

    The chunk is a window on the block it was read in, so nothing is copied on the way to Arrow.

    Attributes:
        buffer: the bytes holding the chunk.
        start: where the chunk's first line begins in ``buffer``.
        end: where it ends; every line but perhaps the file's last ends with ``\\n``.
        raw: the file's own bytes this chunk used up (header included), to hash them in order.
        bytes_done: bytes of the file read up to the end of this chunk (for progress).
    """

    buffer: bytes
    start: int
    end: int
    raw: memoryview
    bytes_done: int

    @property
    def data(self) -> memoryview:
        """The chunk's bytes, without copying them."""
        return memoryview(self.buffer)[self.start : self.end]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _sniff_encoding(path: Path, head: bytes) -> tuple[str, int]:
    for magic, what, todo in _MAGIC:
        if head.startswith(magic):
            raise ReportFormatError(path, f"this is {what}, not a text report", hint=f"{todo}.")
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ReportFormatError(
            path, "the file is UTF-32 text, which goodstanding does not read", hint=_UTF8_HINT
        )
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    # UTF-16 without a BOM: plain-ASCII headers then have a zero in every other byte.
    sample = head[: min(len(head), 512) // 2 * 2]
    if len(sample) >= 8:
        evens, odds = sample[0::2], sample[1::2]
        if odds.count(0) == len(odds) and evens.count(0) == 0:
            return "utf-16-le", 0
        if evens.count(0) == len(evens) and odds.count(0) == 0:
            return "utf-16-be", 0
    nul = head.find(b"\x00")
    if nul >= 0:
        raise ReportFormatError(
            path,
            "the file holds binary data (a NUL byte), not text",
            line=_line_of(head, nul),
            hint=_BINARY_HINT,
        )
    return "utf-8", 0


def decode_error(
    path: Path, line: int, bad: bytes, encoding: str, column: str | None = None
) -> ReportFormatError:
    """The error for bytes that are not valid text in the file's encoding."""
    name = "UTF-8" if encoding == "utf-8" else encoding.upper()
    return ReportFormatError(
        path,
        f"the file is not valid {name} text (undecodable bytes {bad.hex(' ')})",
        line=line,
        column=column,
        hint=_UTF8_HINT,
    )


def _decode_head(path: Path, head: bytes, encoding: str, complete: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return str(decoder.decode(head, final=complete))
    except UnicodeDecodeError as error:
        prefix = head[: error.start].decode(encoding, errors="replace")
        raise decode_error(
            path, prefix.count("\n") + 1, head[error.start : error.end], encoding
        ) from None


def _header_end(head: bytes, start: int) -> int:
    """Offset just past the line break ending the first non-blank line (or the head's end)."""
    position = start
    while position < len(head):
        ends = [i for i in (head.find(b"\n", position), head.find(b"\r", position)) if i >= 0]
        if not ends:
            return len(head)
        end = min(ends)
        after = end + (2 if head.startswith(b"\r\n", end) else 1)
        if head[position:end].strip():
            return after
        position = after
    return len(head)


def _split_header(line: str, delimiter: str) -> tuple[str, ...]:
    if delimiter == "\t":
        fields = line.split("\t")
    else:
        fields = next(csv.reader([line], delimiter=delimiter))
    return tuple(f.replace("\ufeff", "").strip() for f in fields)


def _pick_delimiter(line: str) -> str:
    if "\t" in line:
        return "\t"
    # Excel in European locales writes semicolon-separated "CSV".
    if line.count(";") > line.count(","):
        return ";"
    return ","


def sniff(path: Path) -> Layout:
    """Read the head of ``path``: encoding, JSON or delimited, header names and line ends.

    Raises:
        ReportFormatError: the file is empty, binary, not decodable, or has no header line.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_SIZE)
    except OSError as error:
        raise ReportFormatError(
            path, f"cannot read the file ({error.strerror or error})", hint="Check the path."
        ) from None
    if size == 0 or not head:
        raise ReportFormatError(
            path,
            "the file is empty (0 bytes)",
            hint="Download the report again: even a report with no rows has a header line.",
        )
    encoding, bom = _sniff_encoding(path, head)
    if encoding == "utf-8":
        # Decode only up to the header: a bad byte further down is reported by the splitter,
        # which can also name its column.
        limit = _header_end(head, bom)
        complete = limit < len(head) or size <= HEAD_SIZE
        text = _decode_head(path, head[bom:limit], encoding, complete=complete)
    else:
        text = _decode_head(path, head[bom:], encoding, complete=size <= HEAD_SIZE)
    text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return Layout(encoding, bom, True, (), 0, "", False)
    position = 0
    while True:
        end = len(text)
        for mark in ("\n", "\r"):
            found = text.find(mark, position)
            if 0 <= found < end:
                end = found
        line = text[position:end]
        if line.strip():
            break
        if end >= len(text):
            raise ReportFormatError(
                path,
                "the file holds no header line (only blank lines)",
                hint="Download the report again: a report starts with a line of column names.",
            )
        position = end + (2 if text.startswith("\r\n", end) else 1)
    cr_only = end < len(text) and text[end] == "\r" and not text.startswith("\r\n", end)
    # Count lines the way the chunker will (which only sees \n, after CR → LF in CR-only files).
    before = text[:position].replace("\r", "\n") if cr_only else text[:position]
    header_line = before.count("\n") + 1
    if end >= len(text) and size > HEAD_SIZE:
        raise ReportFormatError(
            path,
            f"the first line is longer than {HEAD_SIZE // 1024} KB, so it is not a header line",
            line=header_line,
            hint=_BINARY_HINT,
        )
    delimiter = _pick_delimiter(line)
    try:
        header = _split_header(line, delimiter)
    except csv.Error as error:
        raise ReportFormatError(
            path, f"the header line cannot be read ({error})", line=header_line
        ) from None
    return Layout(encoding, bom, False, header, header_line, delimiter, cr_only)


MAX_JSON_BYTES: Final = 100 << 20
"""Largest JSON file read: a seller performance report is a few hundred kilobytes."""


def read_text(path: Path, layout: Layout) -> tuple[bytes, str]:
    """The whole file, as raw bytes and as text (for JSON documents, which are small).

    Raises:
        ReportFormatError: the file is too large for a JSON report, or not decodable.
    """
    if path.stat().st_size > MAX_JSON_BYTES:
        raise ReportFormatError(
            path,
            f"the JSON file is larger than {MAX_JSON_BYTES >> 20} MB, far more than a seller "
            "performance report holds",
            hint="Check that this is the GET_V2_SELLER_PERFORMANCE_REPORT download.",
        )
    data = path.read_bytes()
    text = _decode_head(path, data[layout.bom :], layout.encoding, complete=True)
    return data, text.lstrip("\ufeff")


def iter_chunks(
    path: Path, layout: Layout, *, block_size: int = BLOCK_SIZE
) -> Generator[Chunk, None, None]:
    """Yield the body of a delimited file (the lines after its header) as UTF-8 chunks.

    Args:
        path: the file.
        layout: what :func:`sniff` found.
        block_size: raw bytes read at a time.

    Raises:
        ReportFormatError: bytes that are not valid UTF-16 (UTF-8 is checked when fields are split).
    """
    if layout.encoding == "utf-8" and not layout.cr_only:
        yield from _utf8_chunks(path, layout, block_size)
    else:
        yield from _decoded_chunks(path, layout, block_size)


def _skip_header(buffer: bytes, start: int, end: int, lines: int) -> int | None:
    """Offset just after the first ``lines`` lines of ``buffer[start:end]``; None if they do not
    all end inside it."""
    position = start
    for _ in range(lines):
        cut = buffer.find(b"\n", position, end)
        if cut < 0:
            return None
        position = cut + 1
    return position


def _utf8_chunks(path: Path, layout: Layout, block_size: int) -> Generator[Chunk, None, None]:
    # UTF-8 needs no decoding: each block is cut after its last line break and the file position
    # moved back to the start of the partial line, so no byte is copied or joined.
    size = block_size
    done = 0
    first = True
    with path.open("rb") as handle:
        while True:
            buffer = handle.read(size)
            if not buffer:
                return
            eof = len(buffer) < size
            end = len(buffer)
            if not eof:
                cut = buffer.rfind(b"\n")
                if cut < 0:
                    # A line longer than the block: read it again with a larger block.
                    handle.seek(-len(buffer), 1)
                    size *= 2
                    continue
                end = cut + 1
                handle.seek(end - len(buffer), 1)
            start = 0
            if first:
                body = _skip_header(buffer, layout.bom, end, layout.header_line)
                if body is None:
                    if not eof:
                        handle.seek(-end, 1)
                        size *= 2
                        continue
                    body = end  # a header-only file without a final line break
                start = body
                first = False
            done += end
            size = block_size
            yield Chunk(buffer, start, end, memoryview(buffer)[:end], done)
            if eof:
                return


def _decoded_chunks(path: Path, layout: Layout, block_size: int) -> Generator[Chunk, None, None]:
    decoder = None
    if layout.encoding != "utf-8":
        decoder = codecs.getincrementaldecoder(layout.encoding)("strict")
    skip = layout.header_line  # the header and any blank lines before it
    line = 1
    pending = b""
    done = 0
    first = True
    with path.open("rb") as handle:
        while True:
            raw = handle.read(block_size)
            eof = not raw
            done += len(raw)
            consumed = memoryview(raw)
            if first:
                raw = raw[layout.bom :]
                first = False
            if decoder is not None:
                try:
                    data = decoder.decode(raw, final=eof).encode("utf-8")
                except UnicodeDecodeError as error:
                    prefix = raw[: error.start].decode(layout.encoding, errors="replace")
                    at = line + pending.count(b"\n") + prefix.count("\n")
                    raise decode_error(
                        path, at, raw[error.start : error.end], layout.encoding
                    ) from None
            else:
                data = raw
            if layout.cr_only:
                data = data.replace(b"\r", b"\n")
            data = pending + data if pending else data
            if skip:
                body = _skip_header(data, 0, len(data), skip)
                if body is None and not eof:
                    pending = data
                    yield Chunk(b"", 0, 0, consumed, done)
                    continue
                data = data[body:] if body is not None else b""
                line += skip
                skip = 0
            body_end = len(data) if eof else data.rfind(b"\n") + 1
            pending = data[body_end:]
            line += data.count(b"\n", 0, body_end)
            yield Chunk(data, 0, body_end, consumed, done)
            if eof:
                return
