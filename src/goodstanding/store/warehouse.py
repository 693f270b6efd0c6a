"""The warehouse: report rows as append-only Parquet files, made visible by the import ledger.

Layout under the warehouse root (``<home>/warehouse``)::

    <account_id>/<table>/<import_file_id>.parquet   committed rows, never rewritten
    .staging/<lock key>-<token>/                    one import or removal in progress
    .locks/<lock key>.lock                          one lock per account name
    .plans/<version digest>/<key>.sql               compiled SQL kept for later processes

**Import protocol.** An import holds its account's lock from start to end (imports into one
account queue; other accounts and every reader go on). Each file is streamed into a Parquet file
in the staging folder and fsynced. DuckDB then compares it, set-wise, with the account's current
rows to count what is new, changed or already there, and rewrites it without the groups that
change nothing. Then one short SQL transaction inserts the ledger rows; inside it, once the new ids
are known, the staged files are renamed to their final names (after their names were written to
the token's ``manifest.json``) and the folders fsynced; then it commits. Readers list committed
ledger rows only, so before the commit the renamed files are invisible, and after it they are
complete. A kill -9 at any moment leaves a token folder whose lock nobody holds; the next open
(or the next import into that account) deletes the files its manifest names that no committed
ledger row lists, then the folder.

**Which rows are current.** Every file carries its import's per-account sequence number in the
column ``_import_seq``. A group (orders: one ``order_id``; other tables: one value of
``TableSpec.key``) is written only when its rows are new or win over the held ones (a later or
equal ``last_updated_at`` for orders, a later import elsewhere), so the newest file holding a
group always holds its current rows. Files that replaced a group are marked by ``updated > 0``
in the ledger; :func:`current_rows` drops the rows of every group that such a later file holds
again: one ibis anti-join that runs on DuckDB and PySpark alike.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlalchemy.exc import SQLAlchemyError

from goodstanding.errors import StoreError
from goodstanding.sqlplans import PerFile, SqlPlans, SqlTables
from goodstanding.store._files import (
    FileLock,
    fsync_directory,
    read_json,
    replaced_when_written,
    write_json,
)
from goodstanding.store._staging import (
    SEQ_COLUMN,
    FileCounts,
    ParquetSink,
    StagedComparer,
    _literal,
    group_columns,
)
from goodstanding.store.db import Database
from goodstanding.store.repositories import (
    AccountRecord,
    AccountRepository,
    ImportRecord,
    ImportRepository,
    SnapshotRepository,
    WarehouseFile,
)
from goodstanding.tables import TABLES, TableSpec
from goodstanding.types import AccountType

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "BACKENDS",
    "SEQ_COLUMN",
    "FileCounts",
    "ImportOutcome",
    "ImportTransaction",
    "Warehouse",
    "current_rows",
    "group_columns",
    "lock_key",
]

BACKENDS = ("duckdb", "pyspark")
"""The engines :meth:`Warehouse.tables` can hand tables out on."""

log = logging.getLogger(__name__)

_STAGING = ".staging"
_LOCKS = ".locks"
_PLANS = ".plans"
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ImportOutcome:
    """A committed import: the account (created if it was new) and one ledger row per file."""

    account: AccountRecord
    batch_id: int
    files: tuple[ImportRecord, ...]


@dataclass
class _Staged:
    position: int
    path: str
    report_type: str
    sha256: str
    size: int
    seq: int
    counts: FileCounts
    parquet: Path | None = None
    snapshot: Mapping[str, Any] | None = None
    snapshot_as_of: date | None = None
    snapshot_digest: str | None = None


def lock_key(account: str) -> str:
    """The file-name-safe key of an account name's lock."""
    return hashlib.sha256(account.encode("utf-8")).hexdigest()[:24]


class ImportTransaction:
    """One import into one account, under its lock; nothing is visible before :meth:`commit`.

    Made by :meth:`Warehouse.begin_import`. Add files in order (a later file wins ties over an
    earlier one), create the account if it does not exist yet, then commit.
    """

    def __init__(
        self,
        warehouse: Warehouse,
        name: str,
        token: Path,
        account: AccountRecord | None,
        next_seq: int,
        committed: Mapping[str, list[Path]],
    ) -> None:
        self.name = name
        self._warehouse = warehouse
        self._token = token
        self._account = account
        self._new_account: tuple[str, AccountType] | None = None
        self._next_seq = next_seq
        self._files: dict[str, list[Path]] = {k: list(v) for k, v in committed.items()}
        self._staged: list[_Staged] = []
        self._comparer = StagedComparer(token)
        self._done = False
        self._renamed = False

    @property
    def account(self) -> AccountRecord | None:
        """The account imported into; None until committed when it is being created."""
        return self._account

    def _check_open(self) -> None:
        if self._done:
            raise StoreError("This import is finished; begin a new one.")

    def add_rows(
        self,
        path: str | Path,
        report_type: str,
        batches: Iterable[pa.RecordBatch],
        *,
        sha256: str | Callable[[], str],
        size: int = 0,
    ) -> FileCounts:
        """Stage one file's rows and count what they change.

        Args:
            path: the source file (recorded in the ledger).
            report_type: a row table of ``tables.TABLES``.
            batches: the canonical rows (plus ``x_*`` string columns), streamed once; an error
                raised while iterating cancels this file and reaches the caller unchanged.
            sha256: hex digest of the source bytes, or a callable giving it once ``batches`` is
                exhausted (parsers hash as they read).
            size: the source file's size in bytes.

        Raises:
            StoreError: the batches are not of the canonical shape of ``report_type``.
        """
        self._check_open()
        spec = TABLES.get(report_type)
        if spec is None:
            raise StoreError(f"{path}: {report_type!r} is not a row table of the warehouse.")
        seq = self._next_seq
        sink = ParquetSink(self._token / f"{seq}.parquet", spec, seq, str(path))
        try:
            for batch in batches:
                sink.write(batch)
            sink.close()
        except BaseException:
            sink.abort()
            raise
        digest = sha256() if callable(sha256) else sha256
        prior = self._files.get(report_type, [])
        counts, kept = self._comparer.compare(spec, sink.path, prior, sink.rows)
        self._next_seq += 1
        self._staged.append(
            _Staged(len(self._staged), str(path), report_type, digest, size, seq, counts, kept)
        )
        if kept is not None:
            self._files.setdefault(report_type, []).append(kept)
        return counts

    def add_snapshot(
        self,
        path: str | Path,
        snapshot: Mapping[str, Any],
        *,
        sha256: str,
        size: int = 0,
    ) -> FileCounts:
        """Stage a V2 performance report's snapshot (kept unless the same one is held).

        Counts one row: inserted for a new date, unchanged when the newest snapshot of that date
        has the same content, updated otherwise (both are kept; the later one is newest).

        Raises:
            StoreError: the snapshot has no ``as_of`` date.
        """
        self._check_open()
        try:
            as_of = date.fromisoformat(str(snapshot["as_of"]))
        except (KeyError, ValueError):
            raise StoreError(
                f"{path}: the performance snapshot has no valid 'as_of' date."
            ) from None
        canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), default=str)
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        held = next(
            (s.snapshot_digest for s in reversed(self._staged) if s.snapshot_as_of == as_of),
            None,
        )
        if held is None and self._account is not None:
            with self._warehouse.database.session() as session:
                held = SnapshotRepository(session).latest_digest(self._account.id, as_of)
        if held is None:
            counts = FileCounts(1, 1, 0, 0)
        elif held == digest:
            counts = FileCounts(1, 0, 0, 1)
        else:
            counts = FileCounts(1, 0, 1, 0)
        staged = _Staged(
            len(self._staged), str(path), "performance_v2", sha256, size, self._next_seq, counts
        )
        if counts.unchanged == 0:
            staged.snapshot, staged.snapshot_as_of, staged.snapshot_digest = snapshot, as_of, digest
        self._next_seq += 1
        self._staged.append(staged)
        return counts

    def create_account(self, *, marketplace: str, account_type: AccountType) -> None:
        """Create the account with the commit (only when it does not exist yet)."""
        self._check_open()
        if self._account is not None:
            raise StoreError(f"The account {self.name!r} exists already.")
        self._new_account = (marketplace, account_type)

    def commit(self) -> ImportOutcome:
        """Make every staged file visible at once, in one short SQL transaction.

        Raises:
            StoreError: no file was added, or the account neither exists nor is being created.
            AlreadyExistsError: the account was created by someone else meanwhile.
        """
        self._check_open()
        if not self._staged:
            raise StoreError("Nothing to import: no file was added.")
        if self._account is None and self._new_account is None:
            raise StoreError(f"The account {self.name!r} does not exist and is not being created.")
        self._done = True
        self._comparer.close()
        root = self._warehouse.root
        now = datetime.now(UTC)
        committed = False
        try:
            with self._warehouse.database.transaction() as session:
                account = self._account
                if account is None:
                    assert self._new_account is not None
                    marketplace, account_type = self._new_account
                    account = AccountRepository(session).add(
                        self.name,
                        marketplace=marketplace,
                        account_type=account_type,
                        created_at=now,
                    )
                ledger = ImportRepository(session)
                batch = ledger.add_batch(account.id, now)
                rows = []
                moves: list[tuple[Path, Path]] = []
                for staged in self._staged:
                    row = ledger.add_file(
                        batch,
                        position=staged.position,
                        seq=staged.seq,
                        file_name=Path(staged.path).name,
                        path=staged.path,
                        report_type=staged.report_type,
                        sha256=staged.sha256,
                        size_bytes=staged.size,
                        rows=staged.counts.rows,
                        inserted=staged.counts.inserted,
                        updated=staged.counts.updated,
                        unchanged=staged.counts.unchanged,
                    )
                    rows.append(row)
                    if staged.parquet is not None:
                        relative = f"{account.id}/{staged.report_type}/{row.id}.parquet"
                        row.parquet = relative
                        moves.append((staged.parquet, root / relative))
                    if staged.snapshot is not None:
                        assert staged.snapshot_as_of is not None
                        assert staged.snapshot_digest is not None
                        SnapshotRepository(session).add(
                            account_id=account.id,
                            import_file_id=row.id,
                            as_of=staged.snapshot_as_of,
                            imported_at=now,
                            sha256=staged.snapshot_digest,
                            payload=staged.snapshot,
                        )
                self._move_into_place(moves)
                session.flush()
                records = tuple(ledger.record(row) for row in rows)
            committed = True
        finally:
            if not committed and self._renamed:
                # Best effort: when the database is gone too, the next open finishes the job.
                with suppress(SQLAlchemyError, OSError):
                    self._warehouse.recover(self._token)
        self._account = account
        shutil.rmtree(self._token, ignore_errors=True)
        return ImportOutcome(account, batch.id, records)

    def _move_into_place(self, moves: list[tuple[Path, Path]]) -> None:
        root = self._warehouse.root
        # The manifest names the final files before they exist: a crash from here on is
        # cleaned up by deleting those no committed ledger row lists.
        write_json(
            self._token / _MANIFEST,
            {"account": self.name, "files": [str(t.relative_to(root)) for _, t in moves]},
        )
        self._renamed = True
        folders: set[Path] = set()
        for source, target in moves:
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.update((target.parent.parent, root))
            os.replace(source, target)
            folders.add(target.parent)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            fsync_directory(folder)

    def close(self) -> None:
        """Drop whatever was staged and not committed (the lock is released by the caller)."""
        self._done = True
        self._comparer.close()
        if not self._renamed:
            shutil.rmtree(self._token, ignore_errors=True)


class Warehouse:
    """Parquet files of report rows plus the SQL ledger that says which are committed."""

    def __init__(self, database: Database, root: Path) -> None:
        self.database = database
        self.root = root
        self.plans = SqlPlans(root / _PLANS)
        """Compiled SQL of the current-row views and of the metrics, kept between processes."""

    def _lock(self, account: str) -> FileLock:
        return FileLock(self.root / _LOCKS / f"{lock_key(account)}.lock")

    def _new_token(self, account: str) -> Path:
        token = self.root / _STAGING / f"{lock_key(account)}-{uuid.uuid4().hex}"
        token.mkdir(parents=True)
        return token

    def recover(self, token: Path) -> None:
        """Undo what a dead (or failed) import or removal left in its staging folder.

        The caller holds the account's lock, or knows the token's owner is gone.
        """
        manifest = read_json(token / _MANIFEST)
        files = [str(f) for f in manifest.get("files", [])]
        if files:
            with self.database.session() as session:
                kept = ImportRepository(session).referenced(files)
            for relative in files:
                if relative not in kept:
                    (self.root / relative).unlink(missing_ok=True)
        removed = manifest.get("removed_account")
        if isinstance(removed, int):
            with self.database.session() as session:
                gone = not AccountRepository(session).exists(removed)
            if gone:
                shutil.rmtree(self.root / str(removed), ignore_errors=True)
        shutil.rmtree(token, ignore_errors=True)

    def _sweep_tokens(self, key: str | None) -> int:
        staging = self.root / _STAGING
        if not staging.is_dir():
            return 0
        swept = 0
        for token in sorted(staging.iterdir()):
            token_key = token.name.split("-", 1)[0]
            if key is not None:
                if token_key == key:
                    self.recover(token)
                    swept += 1
                continue
            lock = FileLock(self.root / _LOCKS / f"{token_key}.lock")
            if not lock.acquire(blocking=False):
                continue  # a live import or removal owns it
            try:
                self.recover(token)
                swept += 1
            finally:
                lock.release()
        return swept

    def sweep(self) -> int:
        """Clean up after imports and removals that died; return how many were cleaned.

        Leftovers of live operations (their account lock is held) are left alone.
        """
        return self._sweep_tokens(None)

    @contextmanager
    def _locked(self, account: str) -> Iterator[None]:
        lock = self._lock(account)
        lock.acquire()
        try:
            self._sweep_tokens(lock_key(account))
            yield
        finally:
            lock.release()

    def create_account(
        self, name: str, *, marketplace: str, account_type: AccountType
    ) -> AccountRecord:
        """Add an account.

        Raises:
            AlreadyExistsError: the name is taken.
        """
        with self._locked(name), self.database.transaction() as session:
            return AccountRepository(session).add(
                name,
                marketplace=marketplace,
                account_type=account_type,
                created_at=datetime.now(UTC),
            )

    def remove_account(self, name: str) -> AccountRecord:
        """Delete an account, its ledger, its snapshots and its Parquet files.

        Raises:
            NotFoundError: there is no such account.
        """
        with self._locked(name):
            with self.database.session() as session:
                account = AccountRepository(session).get(name)
            token = self._new_token(name)
            # Written before the delete: if the process dies after it, the next open deletes
            # the files of the account the ledger no longer has.
            write_json(token / _MANIFEST, {"account": name, "removed_account": account.id})
            try:
                with self.database.transaction() as session:
                    AccountRepository(session).delete(account.id)
            finally:
                self.recover(token)
        return account

    @contextmanager
    def begin_import(self, account: str) -> Iterator[ImportTransaction]:
        """Start an import into ``account`` (which may not exist yet), holding its lock.

        Whatever was not committed when the block ends, by an error or without ``commit``, is
        dropped; errors reach the caller unchanged.
        """
        with self._locked(account):
            with self.database.session() as session:
                record = AccountRepository(session).find(account)
                committed: dict[str, list[Path]] = {}
                next_seq = 1
                if record is not None:
                    ledger = ImportRepository(session)
                    for file in ledger.files(record.id):
                        committed.setdefault(file.report_type, []).append(self.root / file.parquet)
                    next_seq = ledger.next_seq(record.id)
            transaction = ImportTransaction(
                self, account, self._new_token(account), record, next_seq, committed
            )
            try:
                yield transaction
            finally:
                transaction.close()

    def _committed(self, account_id: int) -> tuple[set[str], dict[str, list[WarehouseFile]]]:
        with self.database.session() as session:
            ledger = ImportRepository(session)
            imported = ledger.report_types(account_id)
            files = ledger.files(account_id)
        return imported, _by_table(files)

    def files(self, account_id: int) -> dict[str, list[Path]]:
        """The committed Parquet files of each table of the account, oldest first.

        Rows of one group may appear in several files; :meth:`tables` gives the current ones.
        """
        with self.database.session() as session:
            by_table = _by_table(ImportRepository(session).files(account_id))
        return {
            name: [self.root / f.parquet for f in entries] for name, entries in by_table.items()
        }

    def order_date_bounds(self, account_id: int) -> dict[str | None, tuple[date, date]]:
        """First and last order date per marketplace over every stored order line.

        Superseded versions of re-exported orders count too (no dedupe: only the marketplace and
        order date columns are read), so these bound the current lines' dates; lines without an
        order date are left out. Empty when no orders file was imported. Each file's figures are
        read once and kept beside it (``<file>.order-dates.json``): a file never changes.

        Raises:
            StoreError: a committed orders file cannot be read.
        """
        import duckdb

        paths = self.files(account_id).get("orders", [])
        per_file: dict[Path, list[list[Any]]] = {}
        for path in paths:
            with suppress(OSError, ValueError):
                per_file[path] = json.loads(_bounds_path(path).read_text(encoding="utf-8"))
        missing = [p for p in paths if p not in per_file]
        if missing:
            files = "[" + ", ".join(_literal(p) for p in missing) + "]"
            try:
                with duckdb.connect() as connection:
                    rows = connection.execute(
                        "SELECT filename, marketplace, min(order_date), max(order_date) "
                        f"FROM read_parquet({files}, union_by_name = true, filename = true) "
                        "WHERE order_date IS NOT NULL GROUP BY filename, marketplace"
                    ).fetchall()
            except duckdb.Error as error:
                raise StoreError(
                    f"The warehouse cannot read the orders files of account {account_id}: {error}",
                    hint="Restore the goodstanding home from a backup, or remove the account "
                    "and import its reports again.",
                ) from error
            found: dict[str, list[list[Any]]] = {str(p): [] for p in missing}
            for name, marketplace, first, last in rows:
                found[name].append([marketplace, first.isoformat(), last.isoformat()])
            for path in missing:
                per_file[path] = found[str(path)]
                _write_aside(_bounds_path(path), json.dumps(found[str(path)]))
        bounds: dict[str | None, tuple[date, date]] = {}
        for entries in per_file.values():
            for marketplace, first_text, last_text in entries:
                first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
                if marketplace in bounds:
                    low, high = bounds[marketplace]
                    first, last = min(first, low), max(last, high)
                bounds[marketplace] = (first, last)
        return bounds

    def _lost_files(self, account_id: int) -> tuple[set[str], dict[str, list[WarehouseFile]]]:
        imported, by_table = self._committed(account_id)
        lost = [
            f.parquet for e in by_table.values() for f in e if not (self.root / f.parquet).is_file()
        ]
        if lost:
            raise StoreError(
                f"The warehouse lost {len(lost)} committed file(s) of account {account_id}, "
                f"e.g. {self.root / lost[0]}.",
                hint="Restore the goodstanding home from a backup, or remove the account and "
                "import its reports again.",
            )
        return imported, by_table

    def sql_tables(self, account_id: int, derived: Sequence[PerFile] = ()) -> SqlTables:
        """The account's current rows as DuckDB views ``current_<table>``, for kept SQL.

        The same rows as :meth:`tables` gives on DuckDB (canonical columns only), defined by the
        SQL :func:`current_rows` compiles to, kept in :attr:`plans`, so no ibis is loaded when
        the SQL was kept by an earlier process. Each ``derived`` table is computed once per
        committed file of its source and kept beside it (``<file>.<name>-<digest>.parquet``),
        so a daily import costs the derivation of the day's file only; a table that cannot be
        kept (a read-only home) is left out, and the caller derives it from the source instead.
        The caller closes the result.

        Raises:
            StoreError: a committed file is missing from the warehouse folder.
        """
        import duckdb

        imported, by_table = self._lost_files(account_id)
        connection = duckdb.connect()
        # As ibis's DuckDB backend does: UTC dates of time stamps, whatever the machine's zone.
        connection.execute("SET TimeZone = 'UTC'")
        present: set[str] = set()
        for name, spec in TABLES.items():
            entries = by_table.get(name)
            if name not in imported or not entries:
                continue
            present.add(name)
            columns = (*spec.schema.names, SEQ_COLUMN)
            try:
                self._current_view(connection, name, entries, group_columns(spec), columns)
            except duckdb.Error as error:
                connection.close()
                raise StoreError(
                    f"The {name} files of account {account_id} cannot be read as the {name} "
                    f"table: {error}",
                    hint="Re-import the file with this version of goodstanding, or remove the "
                    "account and import its reports again.",
                ) from error
        kept: set[str] = set()
        for table in derived:
            entries = by_table.get(table.source)
            if table.source not in present or not entries:
                continue
            try:
                files = self._per_file(connection, table, entries)
            except (OSError, duckdb.Error) as error:
                log.warning("%s not kept for account %s: %s", table.name, account_id, error)
                continue
            self._current_view(connection, table.name, files, (table.group,), None)
            kept.add(table.name)
        return SqlTables(connection, frozenset(present), self.plans, frozenset(kept))

    def _current_view(
        self,
        connection: Any,
        name: str,
        entries: Sequence[WarehouseFile],
        keys: Sequence[str],
        columns: Sequence[str] | None,
    ) -> None:
        """Views ``stored_<name>`` (every file), ``updating_<name>`` and ``current_<name>``."""
        paths = ", ".join(_literal(self.root / f.parquet) for f in entries)
        connection.execute(
            f"CREATE VIEW stored_{name} AS SELECT * "
            f"FROM read_parquet([{paths}], union_by_name = true)"
        )
        if columns is None:
            described = connection.execute(f"DESCRIBE stored_{name}").fetchall()
            columns = [row[0] for row in described]
        updating = [f for f in entries if f.updated > 0]
        if updating:
            paths = ", ".join(_literal(self.root / f.parquet) for f in updating)
            connection.execute(
                f"CREATE VIEW updating_{name} AS SELECT * "
                f"FROM read_parquet([{paths}], union_by_name = true)"
            )
        build = functools.partial(_current_sql, name, tuple(keys), tuple(columns), bool(updating))
        template = self.plans.template(
            ("current", name, *keys, *columns, "updating" if updating else "all"), 0, build
        )
        sql = template.sql if template else build(())
        connection.execute(f"CREATE VIEW current_{name} AS {sql}")

    def _per_file(
        self, connection: Any, table: PerFile, entries: Sequence[WarehouseFile]
    ) -> list[WarehouseFile]:
        """The derived file of each entry, written where missing; as ledger-like entries."""
        template = self.plans.template(("per_file", table.name), 0, lambda _: table.sql())
        sql = template.sql if template else table.sql()
        # Named after the derivation itself: a changed definition derives afresh.
        digest = hashlib.sha256(f"{sql}\n{table.sort}".encode()).hexdigest()[:12]
        found: list[WarehouseFile] = []
        for entry in entries:
            source = self.root / entry.parquet
            kept = source.with_name(f"{source.stem}.{table.name}-{digest}.parquet")
            if not kept.is_file():
                for stale in source.parent.glob(f"{source.stem}.{table.name}-*.parquet"):
                    stale.unlink(missing_ok=True)
                connection.execute(
                    "CREATE OR REPLACE TEMP VIEW lines AS SELECT * "
                    f"FROM read_parquet({_literal(source)})"
                )
                order = f" ORDER BY {table.sort}" if table.sort else ""
                with replaced_when_written(kept) as partial:
                    connection.execute(
                        f"COPY (SELECT *, CAST({entry.seq} AS BIGINT) AS {SEQ_COLUMN} "
                        f"FROM ({sql}){order}) TO {_literal(partial)} "
                        "(FORMAT parquet, COMPRESSION zstd)"
                    )
            found.append(
                WarehouseFile(
                    entry.report_type,
                    entry.seq,
                    str(kept.relative_to(self.root)),
                    entry.rows,
                    entry.updated,
                )
            )
        return found

    def tables(self, account_id: int, backend: str = "duckdb") -> dict[str, ir.Table]:
        """The account's current rows, one ibis table per imported report table.

        A table is present once any file of its type was imported, a header-only one included
        (then it is empty): "no claims this period" is a fact, not a gap. Columns: the canonical
        ones in ``tables.TABLES`` order, then the raw ``x_*`` extras of every file, sorted.

        Args:
            account_id: the account's id.
            backend: ``duckdb`` (a fresh in-memory connection, each table a view named
                ``current_<table>``) or ``pyspark`` (the process's local Spark session, started
                on first use).

        Raises:
            ConfigError: ``backend`` is unknown, or PySpark is not installed.
            StoreError: a committed file is missing from the warehouse folder.
        """
        reader, publish = _reader(backend)
        imported, by_table = self._lost_files(account_id)
        found: dict[str, ir.Table] = {}
        for name, spec in TABLES.items():
            entries = by_table.get(name)
            if name not in imported or not entries:
                continue
            rows = reader([self.root / f.parquet for f in entries])
            updating = [self.root / f.parquet for f in entries if f.updated > 0]
            if updating:
                rows = current_rows(rows, reader(updating), spec)
            extras = sorted(c for c in rows.columns if c.startswith("x_"))
            table = _canonical_types(rows, spec).select(*spec.schema.names, *extras)
            found[name] = publish(name, table)
        return found


def current_rows(rows: ir.Table, updating: ir.Table, spec: TableSpec) -> ir.Table:
    """Rows of ``rows`` whose group no later file of ``updating`` holds again.

    Args:
        rows: every committed file of a table (with :data:`SEQ_COLUMN`).
        updating: the files among them that replaced groups (``updated > 0`` in the ledger).
        spec: the table.
    """
    return _anti_latest(rows, updating, group_columns(spec))


def _anti_latest(rows: ir.Table, updating: ir.Table, keys: Sequence[str]) -> ir.Table:
    latest = updating.group_by(list(keys)).aggregate(_latest_seq=updating[SEQ_COLUMN].max())
    predicates = [rows[k].identical_to(latest[k]) for k in keys]
    predicates.append(rows[SEQ_COLUMN] < latest["_latest_seq"])
    return rows.anti_join(latest, predicates)


def _by_table(files: Iterable[WarehouseFile]) -> dict[str, list[WarehouseFile]]:
    by_table: dict[str, list[WarehouseFile]] = {}
    for file in files:
        by_table.setdefault(file.report_type, []).append(file)
    return by_table


def _bounds_path(parquet: Path) -> Path:
    return parquet.with_name(f"{parquet.stem}.order-dates.json")


def _write_aside(path: Path, text: str) -> None:
    """Keep a derived file beside a committed one; a home that cannot take it only loses time."""
    try:
        with replaced_when_written(path) as partial:
            partial.write_text(text, encoding="utf-8")
    except OSError as error:
        log.warning("%s not kept: %s", path, error)


def _current_sql(
    name: str,
    keys: tuple[str, ...],
    columns: tuple[str, ...],
    updating: bool,
    _: Sequence[date],
) -> str:
    """The SQL of :func:`current_rows` over views ``stored_<name>`` and ``updating_<name>``."""
    import ibis

    schema = {column: "int64" if column == SEQ_COLUMN else "string" for column in columns}
    rows = ibis.table(schema, name=f"stored_{name}")
    if updating:
        latest = ibis.table(schema, name=f"updating_{name}")
        rows = _anti_latest(rows, latest, keys)
    return str(ibis.to_sql(rows.select(*(c for c in columns if c != SEQ_COLUMN)), "duckdb"))


def _canonical_types(rows: ir.Table, spec: TableSpec) -> ir.Table:
    """Give UTC timestamps their zone back where the engine drops it (Spark reads them naive)."""
    import ibis.expr.datatypes as dt

    held = rows.schema()
    casts = {
        field.name: rows[field.name].cast(dt.Timestamp(timezone=field.type.tz))
        for field in spec.schema
        if pa.types.is_timestamp(field.type)
        and field.type.tz
        and getattr(held[field.name], "timezone", None) is None
    }
    return rows.mutate(**casts) if casts else rows


def _duckdb_connection() -> Any:
    """A fresh in-memory DuckDB connection of ibis whose ``to_pyarrow`` leaves pandas alone.

    ibis 12's DuckDB backend imports its pandas converters for every Arrow result, and with them
    pandas (a quarter of a second per process, most of what a short command spends importing);
    the Arrow path itself needs only the Arrow converters, with DuckDB's two null-type cases.
    """
    from ibis.backends.duckdb import Backend
    from ibis.formats.pyarrow import PyArrowData

    class ArrowData(PyArrowData):  # type: ignore[misc]  # as ibis's DuckDBPyArrowData
        @classmethod
        def convert_scalar(cls, scalar: Any, dtype: Any) -> Any:
            if dtype.is_null():
                return pa.scalar(None)
            return super().convert_scalar(scalar, dtype)

        @classmethod
        def convert_column(cls, column: Any, dtype: Any) -> Any:
            if dtype.is_null():
                return pa.nulls(len(column))
            return super().convert_column(column, dtype)

    class DuckDB(Backend):  # type: ignore[misc]
        def to_pyarrow(
            self,
            expr: Any,
            /,
            *,
            params: Any = None,
            limit: int | str | None = None,
            **kwargs: Any,
        ) -> pa.Table:
            relation = self._to_duckdb_relation(expr, params=params, limit=limit, **kwargs)
            result: pa.Table = expr.__pyarrow_result__(
                relation.to_arrow_table(), data_mapper=ArrowData
            )
            return result

    return DuckDB().connect()


_Read = Callable[[list[Path]], "ir.Table"]
_Publish = Callable[[str, "ir.Table"], "ir.Table"]


def _reader(backend: str) -> tuple[_Read, _Publish]:
    """How to read Parquet files on ``backend``, and how to hand a finished table out."""
    from goodstanding.errors import ConfigError

    if backend == "duckdb":
        connection = _duckdb_connection()

        def read_duckdb(paths: list[Path]) -> ir.Table:
            return connection.read_parquet([str(p) for p in paths], union_by_name=True)

        def publish_duckdb(name: str, table: ir.Table) -> ir.Table:
            # A view, not the expression itself: a query naming a table twice (order facts do)
            # would get it as one CTE, which DuckDB materializes whole (every order line of the
            # history) before filtering. A view is inlined at each use, so each use's filters
            # reach the Parquet scan and skip row groups outside its dates.
            return connection.create_view(f"current_{name}", table, overwrite=True)

        return read_duckdb, publish_duckdb
    if backend == "pyspark":
        from goodstanding.store._spark import spark_backend

        spark, session = spark_backend()

        def read_spark(paths: list[Path]) -> ir.Table:
            names = [str(p) for p in paths]
            # Same files, same view: repeated reads of an unchanged account reuse the name.
            view = "goodstanding_" + hashlib.sha256("\n".join(names).encode()).hexdigest()[:24]
            frame = session.read.option("mergeSchema", "true").parquet(*names)
            frame.createOrReplaceTempView(view)
            table: ir.Table = spark.table(view)
            return table

        def publish_spark(name: str, table: ir.Table) -> ir.Table:
            return table

        return read_spark, publish_spark
    raise ConfigError("backend", backend, f"choose one of {', '.join(BACKENDS)}")
