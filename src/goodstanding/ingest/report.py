"""Reading one report file into canonical Arrow record batches (or a V2 performance snapshot).

The file is streamed: a background thread splits the next chunk of lines with Arrow's CSV parser
while the caller converts (and writes) the current one, so a 10 M-line orders file never sits in
memory whole. Every value is validated with vectorized Arrow compute; the first faulty row raises a
:class:`~goodstanding.errors.ReportFormatError` naming its file line and column.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from goodstanding.errors import ReportFormatError
from goodstanding.ingest.arrays import first_true, single
from goodstanding.ingest.dates import DateReader, check_date_format
from goodstanding.ingest.detect import HeaderMap, json_type, map_header, match_header
from goodstanding.ingest.formats import FORMATS, ReportFormat
from goodstanding.ingest.performance import read_performance
from goodstanding.ingest.rows import Rows, Split, Splitter
from goodstanding.ingest.source import BLOCK_SIZE, Layout, iter_chunks, read_text, sniff
from goodstanding.ingest.values import Cell, ValueReader, missing_column
from goodstanding.tables import REPORT_TYPES, TABLES

Progress = Callable[[int, int], None]
"""Called as ``progress(bytes_read, bytes_total)`` while a file is read."""

# Chunks split ahead of the one being converted: one keeps both cores busy without holding more
# than three chunks (about 50 MB of text) in memory.
_PREFETCH = 1


@dataclass
class ParsedReport:
    """One report file, ready to stream as canonical record batches.

    Attributes:
        path: the file.
        report_type: one of ``tables.REPORT_TYPES``.
        snapshot: ``performance_v2`` only: the parsed report (see
            :func:`~goodstanding.ingest.performance.read_performance`); None for row reports.
        size: the file's size in bytes.
    """

    path: Path
    report_type: str
    snapshot: dict[str, Any] | None = None
    size: int = 0
    _sha256: str | None = field(default=None, repr=False)
    _layout: Layout | None = field(default=None, repr=False)
    _header_map: HeaderMap | None = field(default=None, repr=False)
    _date_format: str | None = field(default=None, repr=False)
    _marketplace: str | None = field(default=None, repr=False)
    _block_size: int = field(default=BLOCK_SIZE, repr=False)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the file's raw bytes.

        Known for free once :meth:`iter_batches` has run to the end (it hashes as it reads); asked
        before that, it reads the file once more.
        """
        if self._sha256 is None:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                while block := handle.read(self._block_size):
                    digest.update(block)
            self._sha256 = digest.hexdigest()
        return self._sha256

    @property
    def schema(self) -> pa.Schema | None:
        """The schema of every batch: the canonical table, then ``x_<header>`` string columns.

        None for ``performance_v2``, which yields no batches.
        """
        if self._header_map is None:
            return None
        schema = TABLES[self.report_type].schema
        for _, name in self._header_map.extras:
            schema = schema.append(pa.field(name, pa.string()))
        return schema

    def iter_batches(
        self, *, progress: Progress | None = None
    ) -> Generator[pa.RecordBatch, None, None]:
        """Yield the file's rows as validated canonical record batches, in file order.

        Every batch has :attr:`schema`. A header-only file yields exactly one empty batch, so
        that an import of "no rows" is still recorded. ``performance_v2`` yields nothing: read
        :attr:`snapshot` instead. Closing the generator early (``.close()``) releases the file
        and the worker thread at once.

        Args:
            progress: called after each chunk with (bytes read, file size).

        Raises:
            ReportFormatError: at the first faulty row (after the batches before it were yielded:
                the caller must treat the import as all or nothing).
        """
        if self._layout is None or self._header_map is None:
            return
        report_format = FORMATS[self.report_type]
        splitter = Splitter(
            self.path, self._layout.header, self._layout.delimiter, report_format.quoting
        )
        dates = DateReader(
            self.path,
            date_format=self._date_format,
            marketplace=self._marketplace,
            prescan=lambda reader: self._prescan_dates(splitter, reader),
        )
        values = ValueReader(self.path, dates)
        schema = self.schema
        assert schema is not None
        digest = hashlib.sha256()
        next_line = self._layout.header_line + 1
        yielded = False
        pending: deque[Future[Split]] = deque()
        chunks = iter_chunks(self.path, self._layout, block_size=self._block_size)

        def take() -> list[pa.RecordBatch]:
            nonlocal next_line
            split = pending.popleft().result()
            rows = splitter.rows(split, next_line)
            next_line += split.newlines
            batches = self._convert(rows, report_format, values, schema)
            if progress is not None:
                progress(split.chunk.bytes_done, self.size)
            return batches

        # One worker, so chunks are hashed and split in file order while this thread converts.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="goodstanding-ingest") as pool:
            try:
                for chunk in chunks:
                    pending.append(pool.submit(splitter.split, chunk, digest))
                    while len(pending) > _PREFETCH:
                        for batch in take():
                            yielded = True
                            yield batch
                while pending:
                    for batch in take():
                        yielded = True
                        yield batch
            finally:
                for future in pending:
                    future.cancel()
                chunks.close()
        self._sha256 = digest.hexdigest()
        if not yielded:
            yield pa.RecordBatch.from_pylist([], schema=schema)

    def _rows_without_blanks(self, rows: Rows, report_format: ReportFormat) -> Rows:
        # Spreadsheets leave rows of empty cells (",,,,") at the end of CSV files: skip them. A
        # column that may never be blank is checked first, so clean files cost one comparison.
        assert self._header_map is not None
        probe = next(
            (
                self._header_map.fields[c.name][0]
                for c in report_format.columns
                if not c.nullable and c.name in self._header_map.fields
            ),
            None,
        )
        table = rows.table
        if probe is None or table.num_rows == 0:
            return rows
        if not pc.any(pc.equal(pc.utf8_trim_whitespace(table.column(probe)), "")).as_py():
            return rows
        empty = None
        for column in table.columns:
            blank = pc.equal(pc.utf8_trim_whitespace(column), "")
            empty = blank if empty is None else pc.and_(empty, blank)
        assert empty is not None
        if first_true(empty) is None:
            return rows
        keep = pc.invert(single(empty))
        return Rows(table.filter(keep), pc.filter(rows.lines, keep))

    def _convert(
        self, rows: Rows, report_format: ReportFormat, values: ValueReader, schema: pa.Schema
    ) -> list[pa.RecordBatch]:
        assert self._header_map is not None
        rows = self._rows_without_blanks(rows, report_format)
        count = rows.num_rows
        if count == 0:
            return []
        # Columns stay in the blocks Arrow parsed them in: joining them would copy every byte.
        table, lines = rows.table, rows.lines
        converted: dict[str, pa.Array | pa.ChunkedArray] = {}
        for column in report_format.columns:
            place = self._header_map.fields.get(column.name)
            if place is None:
                converted[column.name] = missing_column(column, count)
                continue
            position, header = place
            raw = table.column(position)
            converted[column.name] = values.convert(column, raw, Cell(lines, header))
        for derived in report_format.derived:
            converted[derived.name] = pc.cast(converted[derived.source], pa.date32())
        converted["line"] = lines
        arrays = [converted[name] for name in TABLES[self.report_type].schema.names]
        arrays += [table.column(position) for position, _ in self._header_map.extras]
        # One batch per chunk (tens of thousands of rows): consumers such as a Parquet writer
        # make one row group per batch, and Arrow's small parse blocks would make them tiny.
        table = pa.Table.from_arrays(arrays, schema=schema).combine_chunks()
        batches: list[pa.RecordBatch] = table.to_batches()
        return batches

    def _prescan_dates(self, splitter: Splitter, dates: DateReader) -> None:
        """Show every date of the file to ``dates``, so it can decide day/month order."""
        assert self._layout is not None and self._header_map is not None
        report_format = FORMATS[self.report_type]
        columns = [
            self._header_map.fields[c.name]
            for c in report_format.columns
            if c.kind in ("timestamp", "date") and c.name in self._header_map.fields
        ]
        next_line = self._layout.header_line + 1
        for chunk in iter_chunks(self.path, self._layout, block_size=self._block_size):
            split = splitter.split(chunk)
            rows = self._rows_without_blanks(splitter.rows(split, next_line), report_format)
            next_line += split.newlines
            for position, header in columns:
                text = pc.utf8_trim_whitespace(single(rows.table.column(position)))
                dates.observe(text, rows.lines, header)


def read_report(
    path: Path,
    *,
    report_type: str | None = None,
    date_format: str | None = None,
    marketplace: str | None = None,
) -> ParsedReport:
    """Open a report file: detect (or check) its type and map its header; rows stream later.

    Args:
        path: an Amazon report (TSV, UTF-8/UTF-16, or V2 JSON) or a filled-in CSV template.
        report_type: force the type (one of ``tables.REPORT_TYPES``) instead of detecting it.
        date_format: one of :data:`~goodstanding.ingest.dates.DATE_FORMATS`, when day and month
            order cannot be told from the file or the marketplace.
        marketplace: the account's marketplace (e.g. ``Amazon.de``), used only to decide day and
            month order of ambiguous dates.

    Raises:
        ReportFormatError: the file is empty, binary, undecodable, of no known type, or lacks a
            required column; for ``performance_v2``, malformed JSON.
        InputError: ``date_format`` is not a known format.
    """
    path = Path(path)
    canonical_format = check_date_format(date_format)
    if report_type is not None and report_type not in REPORT_TYPES:
        raise ReportFormatError(
            path,
            f"{report_type!r} is not a report type goodstanding knows",
            hint=f"Use one of: {', '.join(REPORT_TYPES)}; or leave --type out to detect it.",
        )
    layout = sniff(path)
    size = path.stat().st_size
    if layout.json:
        if report_type not in (None, "performance_v2"):
            raise ReportFormatError(
                path,
                f"the file is a JSON document, but --type says {report_type}",
                hint="Only the V2 seller performance report is JSON: pass --type "
                "performance_v2, or leave --type out.",
            )
        raw, text = read_text(path, layout)
        if report_type is None:
            json_type(path, layout, text[: 1 << 20])
        snapshot = read_performance(path, text)
        return ParsedReport(
            path,
            "performance_v2",
            snapshot=snapshot,
            size=size,
            _sha256=hashlib.sha256(raw).hexdigest(),
        )
    if report_type == "performance_v2":
        raise ReportFormatError(
            path,
            "the file is delimited text, but --type says performance_v2, which is JSON",
            hint="Pass the report's own type, or leave --type out to detect it.",
        )
    chosen = report_type or match_header(path, layout.header, layout.header_line)
    header_map = map_header(path, FORMATS[chosen], layout.header, layout.header_line)
    return ParsedReport(
        path,
        chosen,
        size=size,
        _layout=layout,
        _header_map=header_map,
        _date_format=canonical_format,
        _marketplace=marketplace,
    )
