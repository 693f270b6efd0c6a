"""Splitting a chunk of lines into string columns, with the file line of every row.

The fast path hands the chunk to Arrow's CSV parser (all columns as strings, quoting off for
Amazon's TSV). It runs on a worker thread, which does not yet know at which file line its chunk
starts, so it returns lines relative to the chunk. Arrow cannot say which line a bad row is on:
whenever a chunk holds NUL bytes, or Arrow refuses it, the chunk is split again line by line in
Python (:meth:`Splitter.split_exactly`), which names the line, the column and the fault. Arrow skips
blank lines; a chunk with fewer rows than lines has its blank lines located so rows keep their
true line numbers.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from goodstanding.errors import ReportFormatError
from goodstanding.ingest.arrays import line_numbers
from goodstanding.ingest.source import Chunk, decode_error

_BLANK_LINE = re.compile(rb"^\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Rows:
    """The rows of one chunk as string columns (named by position) and their file lines."""

    table: pa.Table
    lines: pa.Array

    @property
    def num_rows(self) -> int:
        """How many rows the chunk held."""
        return int(self.table.num_rows)


@dataclass(frozen=True)
class Split:
    """What the worker made of a chunk.

    Attributes:
        chunk: the chunk.
        newlines: how many line breaks it holds (the next chunk starts that many lines later).
        table: its rows, or None when it must be split exactly (a fault is likely).
        offsets: each row's line, counted from the chunk's first line (0); None when the rows are
            the chunk's lines one for one.
    """

    chunk: Chunk
    newlines: int
    table: pa.Table | None
    offsets: pa.Array | None


@dataclass(frozen=True)
class Splitter:
    """How to split the lines of one file into fields.

    Attributes:
        path: the file, for error messages.
        header: the header names as written, one per field.
        delimiter: the field separator.
        quoting: whether double quotes delimit fields (CSV) or are literal (Amazon TSV).
    """

    path: Path
    header: tuple[str, ...]
    delimiter: str
    quoting: bool

    @property
    def names(self) -> list[str]:
        """Positional names of the string columns (``c0``, ``c1``...)."""
        return [f"c{i}" for i in range(len(self.header))]

    def split(self, chunk: Chunk, digest: hashlib._Hash | None = None) -> Split:
        """Split a chunk with Arrow (thread-safe; the worker's part), hashing it first if asked."""
        if digest is not None:
            digest.update(chunk.raw)
        buffer, start, end = chunk.buffer, chunk.start, chunk.end
        newlines = buffer.count(b"\n", start, end)
        if end == start:
            return Split(chunk, newlines, self._empty(), None)
        expected = newlines + (0 if buffer[end - 1] == 0x0A else 1)
        # NUL bytes need naming; a BOM opening the chunk would be dropped by Arrow as if it
        # opened the file.
        if buffer.find(b"\x00", start, end) >= 0 or buffer.startswith(codecs.BOM_UTF8, start):
            return Split(chunk, newlines, None, None)
        table = self._split_with_arrow(chunk.data)
        if table is None or table.num_rows > expected:
            return Split(chunk, newlines, None, None)
        if table.num_rows == expected:
            return Split(chunk, newlines, table, None)
        # Arrow skipped blank lines: find them, so that every row keeps its own line number.
        blanks = self._blank_lines(chunk)
        if len(blanks) != expected - table.num_rows:
            return Split(chunk, newlines, None, None)
        every = line_numbers(0, expected)
        kept = pc.invert(pc.is_in(every, pa.array(blanks, pa.int64())))
        return Split(chunk, newlines, table, pc.filter(every, kept))

    def rows(self, split: Split, first_line: int) -> Rows:
        """The chunk's rows with file line numbers, now that its first line is known."""
        if split.table is None:
            return self.split_exactly(split.chunk, first_line)
        if split.offsets is None:
            return Rows(split.table, line_numbers(first_line, split.table.num_rows))
        return Rows(split.table, pc.add(split.offsets, first_line))

    def _empty(self) -> pa.Table:
        return pa.table({name: pa.array([], pa.string()) for name in self.names})

    def _blank_lines(self, chunk: Chunk) -> list[int]:
        data = bytes(chunk.data)
        blanks: list[int] = []
        line, position = 0, 0
        for match in _BLANK_LINE.finditer(data):
            if match.start() == len(data):
                break  # the end of the last line, not a line of its own
            line += data.count(b"\n", position, match.start())
            position = match.start()
            blanks.append(line)
        return blanks

    def _split_with_arrow(self, data: memoryview) -> pa.Table | None:
        names = self.names
        try:
            table = pa_csv.read_csv(
                pa.py_buffer(data),
                read_options=pa_csv.ReadOptions(column_names=names, use_threads=True),
                parse_options=pa_csv.ParseOptions(
                    delimiter=self.delimiter,
                    quote_char='"' if self.quoting else False,
                    double_quote=True,
                    escape_char=False,
                    newlines_in_values=False,
                    ignore_empty_lines=True,
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid:
            # Bad UTF-8, a short or long row, a stray quote: the exact path names it.
            return None
        return table

    def split_exactly(self, chunk: Chunk, first_line: int) -> Rows:
        """Split a chunk line by line in Python; the reference path, and the one naming faults.

        Raises:
            ReportFormatError: binary data, bytes that are not UTF-8, a line with too few or too
                many fields, or broken quoting.
        """
        width = len(self.header)
        columns: list[list[str]] = [[] for _ in range(width)]
        lines: list[int] = []
        number = first_line
        data = bytes(chunk.data)
        pieces = data.split(b"\n")
        if data.endswith(b"\n"):
            pieces.pop()
        for raw in pieces:
            line = raw[:-1] if raw.endswith(b"\r") else raw
            if line.strip():
                fields = self._fields(line, number)
                if len(fields) != width:
                    raise self._width_error(fields, number)
                for column, value in zip(columns, fields, strict=True):
                    column.append(value)
                lines.append(number)
            number += 1
        arrays = [pa.array(values, pa.string()) for values in columns]
        table = pa.table(dict(zip(self.names, arrays, strict=True)))
        return Rows(table, pa.array(lines, pa.int64()))

    def _fields(self, line: bytes, number: int) -> list[str]:
        nul = line.find(b"\x00")
        if nul >= 0:
            raise ReportFormatError(
                self.path,
                "the line holds binary data (a NUL byte), not text",
                line=number,
                column=self._column_at(line, nul),
                hint="goodstanding reads text reports; download the report again as a text file.",
            )
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = line[error.start : error.end]
            column = self._column_at(line, error.start)
            raise decode_error(self.path, number, bad, "utf-8", column) from None
        if not self.quoting:
            return text.split(self.delimiter)
        try:
            return next(csv.reader([text], delimiter=self.delimiter, strict=True))
        except csv.Error as error:
            raise ReportFormatError(
                self.path,
                f"the line cannot be split into fields ({error})",
                line=number,
                hint="Check the double quotes on this line: a quoted field must end with a quote "
                "before the next separator, and may not span lines.",
            ) from None

    def _column_at(self, line: bytes, offset: int) -> str | None:
        index = line.count(self.delimiter.encode(), 0, offset)
        return self.header[index] if index < len(self.header) else None

    def _width_error(self, fields: list[str], number: int) -> ReportFormatError:
        width = len(self.header)
        if len(fields) < width:
            missing = self.header[len(fields)]
            return ReportFormatError(
                self.path,
                f"the line has {len(fields)} fields but the header has {width}: it is cut short "
                f"before column '{missing}'",
                line=number,
                hint="The file looks truncated or edited by hand: download the report again, "
                "or repair this line.",
            )
        return ReportFormatError(
            self.path,
            f"the line has {len(fields)} fields but the header has {width}",
            line=number,
            value=self.delimiter.join(fields[width:])[:80],
            hint="A value contains the separator, or columns were added by hand: download the "
            "report again, or repair this line.",
        )
