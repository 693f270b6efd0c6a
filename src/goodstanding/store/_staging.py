"""Staging one file: streaming its rows into Parquet, then counting what they change (DuckDB).

Private to the store; :mod:`goodstanding.store.warehouse` re-exports the public names.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from goodstanding.errors import StoreError
from goodstanding.store._files import fsync_file
from goodstanding.tables import TableSpec

if TYPE_CHECKING:
    import duckdb

SEQ_COLUMN = "_import_seq"
"""The column holding each row's import sequence number inside the Parquet files."""

PARQUET_COMPRESSION = "zstd"

# Batches queued for the Parquet writer thread: enough to keep it busy, few enough for memory.
_WRITE_AHEAD = 2
_DUCKDB_MEMORY = "1GB"

_NEW, _CHANGED, _SAME, _OLDER = "inserted", "updated", "unchanged", "older"


def group_columns(spec: TableSpec) -> tuple[str, ...]:
    """The columns whose value set is replaced as a whole by a winning import."""
    return (spec.group,) if spec.group else spec.key


@dataclass(frozen=True)
class FileCounts:
    """What one imported file did to the current data.

    ``inserted``: rows of groups never seen before; ``updated``: rows of groups that replace the
    held ones; ``unchanged``: rows that leave the data as it was (identical to what is held, or
    an older version of it). The three add up to ``rows``.
    """

    rows: int
    inserted: int
    updated: int
    unchanged: int


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _check_schema(spec: TableSpec, schema: pa.Schema, path: str) -> None:
    for field in spec.schema:
        index = schema.get_field_index(field.name)
        if index < 0:
            raise StoreError(f"{path}: the {spec.name} rows lack the column {field.name!r}.")
        if not schema.field(index).type.equals(field.type):
            raise StoreError(
                f"{path}: column {field.name!r} of the {spec.name} rows is "
                f"{schema.field(index).type}, not {field.type}."
            )
    extra = [n for n in schema.names if n not in spec.schema.names and not n.startswith("x_")]
    if extra:
        raise StoreError(
            f"{path}: the {spec.name} rows have columns {extra} that are neither canonical nor "
            "raw extras (x_<header>)."
        )


def _statistics_columns(schema: pa.Schema) -> list[str]:
    """Columns whose row-group min/max are worth writing: dates, times, numbers, flags.

    Readers filter on those (order dates, event times, the import sequence) and skip row groups
    by them; min/max of free-text and id strings are never used and cost a fifth of the
    encoding time.
    """
    return [f.name for f in schema if not pa.types.is_string(f.type)]


class ParquetSink:
    """Streams record batches into one Parquet file, encoding on a background thread."""

    def __init__(self, path: Path, spec: TableSpec, seq: int, source: str) -> None:
        self.path = path
        self.rows = 0
        self._spec = spec
        self._seq_number = seq
        self._seq = pa.scalar(seq, pa.int64())
        self._source = source
        self._schema: pa.Schema | None = None
        self._writer: pq.ParquetWriter | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="goodstanding-parquet")
        self._pending: deque[Future[None]] = deque()

    def _open(self, schema: pa.Schema) -> None:
        _check_schema(self._spec, schema, self._source)
        self._schema = schema
        metadata = {
            "goodstanding.table": self._spec.name,
            "goodstanding.seq": str(self._seq_number),
        }
        full = schema.append(pa.field(SEQ_COLUMN, pa.int64())).with_metadata(metadata)
        self._writer = pq.ParquetWriter(
            self.path,
            full,
            compression=PARQUET_COMPRESSION,
            write_statistics=_statistics_columns(full),
        )

    def write(self, batch: pa.RecordBatch) -> None:
        if self._schema is None:
            self._open(batch.schema)
        elif not batch.schema.equals(self._schema, check_metadata=False):
            raise StoreError(f"{self._source}: a batch changes the schema of the file mid-way.")
        assert self._writer is not None
        with_seq = batch.append_column(SEQ_COLUMN, pa.repeat(self._seq, batch.num_rows))
        self.rows += batch.num_rows
        # One writer thread encodes (pyarrow lets go of the GIL) while the caller parses on.
        while len(self._pending) >= _WRITE_AHEAD:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(self._writer.write_batch, with_seq))

    def close(self) -> None:
        """Finish the file and flush it to the disk."""
        try:
            while self._pending:
                self._pending.popleft().result()
            if self._writer is None:
                self._open(self._spec.schema)
            assert self._writer is not None
            self._writer.close()
        finally:
            self._pool.shutdown(wait=True)
        fsync_file(self.path)

    def abort(self) -> None:
        """Stop, wait for the writer thread and delete the partial file."""
        for future in self._pending:
            future.cancel()
        self._pool.shutdown(wait=True)
        if self._writer is not None:
            with suppress(OSError, pa.ArrowException):  # the file is deleted below anyway
                self._writer.close()
        self.path.unlink(missing_ok=True)


class StagedComparer:
    """Counts, with DuckDB, what a staged file changes in the current rows of its table."""

    def __init__(self, scratch: Path) -> None:
        self._scratch = scratch
        self._connection: duckdb.DuckDBPyConnection | None = None

    def _sql(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            import duckdb

            self._connection = duckdb.connect(
                config={
                    "memory_limit": _DUCKDB_MEMORY,
                    "temp_directory": str(self._scratch / "duckdb"),
                }
            )
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def compare(
        self, spec: TableSpec, staged: Path, prior: list[Path], rows: int
    ) -> tuple[FileCounts, Path | None]:
        """Count the staged file's rows by verdict; return the file holding only the kept rows.

        The returned path is ``staged`` itself when every row is kept, a rewritten file when only
        some are, and None when none is.
        """
        if not prior:
            return FileCounts(rows, rows, 0, 0), staged
        if rows == 0:
            return FileCounts(0, 0, 0, 0), staged
        sql = self._sql()
        keys = [_quote(k) for k in group_columns(spec)]
        key_list = ", ".join(keys)
        a_keys = ", ".join(f"a.{k}" for k in keys)
        same_group = " AND ".join(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in keys)
        hashed = [_quote(c) for c in spec.schema.names if c != "line"]
        version = _quote(spec.version) if spec.version else None
        prior_list = "[" + ", ".join(_literal(p) for p in prior) + "]"
        # A group's rows are compared as a multiset: count and sum of 64-bit row hashes.
        sql.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE new_groups AS
            SELECT {key_list}, {f"max({version}) AS v, " if version else ""}count(*) AS n,
                   sum(hash({", ".join(hashed)})::HUGEINT) AS h
            FROM read_parquet({_literal(staged)}) GROUP BY {key_list};

            CREATE OR REPLACE TEMP TABLE old_rows AS
            SELECT {a_keys}, a.{_quote(SEQ_COLUMN)} AS s, {f"a.{version} AS v, " if version else ""}
                   hash({", ".join(f"a.{c}" for c in hashed)})::HUGEINT AS rh
            FROM read_parquet({prior_list}, union_by_name = true) a
            SEMI JOIN new_groups b ON {same_group};

            CREATE OR REPLACE TEMP TABLE old_groups AS
            SELECT {a_keys}, {"max(a.v) AS v, " if version else ""}count(*) AS n, sum(a.rh) AS h
            FROM old_rows a
            JOIN (SELECT {key_list}, max(s) AS s FROM old_rows GROUP BY {key_list}) b
              ON {same_group} AND a.s = b.s
            GROUP BY {a_keys};

            CREATE OR REPLACE TEMP TABLE verdicts AS
            SELECT {a_keys}, a.n, CASE
                WHEN b.n IS NULL THEN '{_NEW}'
                {f"WHEN a.v < b.v THEN '{_OLDER}'" if version else ""}
                WHEN a.n = b.n AND a.h = b.h THEN '{_SAME}'
                ELSE '{_CHANGED}' END AS verdict
            FROM new_groups a LEFT JOIN old_groups b ON {same_group};
            """
        )
        totals = {
            verdict: int(n)
            for verdict, n in sql.execute(
                "SELECT verdict, sum(n) FROM verdicts GROUP BY verdict"
            ).fetchall()
        }
        inserted, updated = totals.get(_NEW, 0), totals.get(_CHANGED, 0)
        counts = FileCounts(rows, inserted, updated, rows - inserted - updated)
        kept = inserted + updated
        if kept == rows:
            return counts, staged
        if kept == 0:
            staged.unlink()
            return counts, None
        trimmed = staged.with_name(staged.stem + ".kept.parquet")
        sql.execute(
            f"""
            COPY (
                SELECT a.* FROM read_parquet({_literal(staged)}) a
                SEMI JOIN (SELECT {key_list} FROM verdicts
                           WHERE verdict IN ('{_NEW}', '{_CHANGED}')) b ON {same_group}
            ) TO {_literal(trimmed)} (FORMAT parquet, COMPRESSION {PARQUET_COMPRESSION})
            """
        )
        staged.unlink()
        fsync_file(trimmed)
        return counts, trimmed
