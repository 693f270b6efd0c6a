"""The composition root: settings in, the store and the parsers wired together, use cases out.

``cli`` and ``web`` call the methods of :class:`Workspace` and nothing below it. Each use case
loads what it needs, calls a domain package, saves the result and returns plain frozen values,
never ORM objects. Errors of the domain (``NotFoundError``, ``AlreadyExistsError``,
``ReportFormatError``...) pass through unchanged, and nothing is half-stored when one is raised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from goodstanding.config import Settings
from goodstanding.errors import InputError
from goodstanding.sqlplans import PerFile, SqlTables
from goodstanding.store.db import Database
from goodstanding.store.repositories import (
    AccountRecord,
    AccountRepository,
    ImportRecord,
    ImportRepository,
    SnapshotRecord,
    SnapshotRepository,
)
from goodstanding.store.warehouse import FileCounts, ImportTransaction, Warehouse
from goodstanding.types import DEFAULT_MARKETPLACE, MARKETPLACE_IDS, AccountType
from goodstanding.workspace.memo import remembered

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from goodstanding.appeal import NoticeReading
    from goodstanding.ingest import ParsedReport
    from goodstanding.knowledge import Knowledge
    from goodstanding.workspace.appeals import Appeals
    from goodstanding.workspace.cases import Cases
    from goodstanding.workspace.evidence import Evidence
    from goodstanding.workspace.users import Secrets, Users

__all__ = [
    "AccountRecord",
    "FileCounts",
    "FileResult",
    "ImportRecord",
    "IngestProgress",
    "IngestResult",
    "SnapshotRecord",
    "Workspace",
]

IngestProgress = Callable[[Path, int, int], None]
"""Called as ``progress(path, bytes_read, bytes_total)`` while a file is imported."""

_MARKETPLACES = {name.casefold(): name for name in MARKETPLACE_IDS.values()}
_NAME_LIMIT = 200
# Reports that name the account's marketplace: staged first when the account is new, so the
# dates of the other files can be read in that marketplace's day/month order.
_MARKETPLACE_SOURCES = frozenset({"orders", "performance_v2"})


@dataclass(frozen=True)
class FileResult:
    """What the import of one file did."""

    path: str
    report_type: str
    rows: int
    inserted: int
    updated: int
    unchanged: int

    def to_json(self) -> dict[str, Any]:
        """The file's line of ``goodstanding ingest --format json``."""
        return {
            "path": self.path,
            "type": self.report_type,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class IngestResult:
    """What one import did, file by file, in the order the files were given."""

    account: str
    files: tuple[FileResult, ...]

    def to_json(self) -> dict[str, Any]:
        """The document ``goodstanding ingest --format json`` prints."""
        return {"files": [f.to_json() for f in self.files], "account": self.account}


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_name(name: str) -> str:
    problem = None
    if not name or not name.strip():
        problem = "is empty"
    elif name != name.strip():
        problem = "starts or ends with a space"
    elif len(name) > _NAME_LIMIT:
        problem = f"is longer than {_NAME_LIMIT} characters"
    elif any(c in "/\\" or not c.isprintable() for c in name):
        problem = "contains a slash, a backslash or a control character"
    if problem:
        raise InputError(
            f"The account name {name!r} {problem}.",
            hint="Use a short name such as acme-us (letters, digits, spaces, - _ .).",
        )
    return name


def _check_marketplace(marketplace: str) -> str:
    known = _MARKETPLACES.get(marketplace.strip().casefold()) or MARKETPLACE_IDS.get(
        marketplace.strip()
    )
    if known is None:
        raise InputError(
            f"{marketplace!r} is not an Amazon marketplace goodstanding knows.",
            hint="Use the sales-channel name, e.g. " + ", ".join(sorted(_MARKETPLACES.values())),
        )
    return known


def _check_account_type(account_type: str | AccountType) -> AccountType:
    try:
        return AccountType(str(account_type).strip().lower())
    except ValueError:
        raise InputError(
            f"{account_type!r} is not an account type.",
            hint="Use seller (Seller Central) or vendor (Vendor Central).",
        ) from None


def _count_marketplaces(
    batches: Iterator[pa.RecordBatch], seen: Counter[str]
) -> Iterator[pa.RecordBatch]:
    import pyarrow.compute as pc  # here: a health or a page view never needs it

    for batch in batches:
        for entry in pc.value_counts(batch.column("marketplace")).to_pylist():
            value = entry["values"]
            if isinstance(value, str) and value.casefold() in _MARKETPLACES:
                seen[_MARKETPLACES[value.casefold()]] += entry["counts"]
        yield batch


def _snapshot_marketplaces(snapshot: dict[str, Any], seen: Counter[str]) -> None:
    for market in snapshot.get("marketplaces") or []:
        value = market.get("marketplace") if isinstance(market, dict) else None
        if isinstance(value, str) and value.casefold() in _MARKETPLACES:
            seen[_MARKETPLACES[value.casefold()]] += 1


class Workspace:
    """One goodstanding home: its app store, its warehouse and the use cases on them."""

    def __init__(
        self, settings: Settings, database: Database, warehouse: Warehouse, *, remember: bool = True
    ) -> None:
        self.settings = settings
        self.database = database
        self.warehouse = warehouse
        self.remember = remember
        """Keep read-only results (health, summary...) while the data stays the same (memo)."""

    @classmethod
    def open(cls, settings: Settings, *, remember: bool = True) -> Workspace:
        """Open the home of ``settings``: create and migrate the store, clean up dead imports.

        Args:
            settings: the home and its settings.
            remember: keep read-only results for later calls (a server); a process that runs
                one use case and exits (a CLI command) spares the copy kept.

        Raises:
            ConfigError: the database URL is unusable.
            StoreError: the store cannot be reached or migrated.
        """
        settings.home.mkdir(parents=True, exist_ok=True)
        database = Database.open(settings.store_url)
        warehouse = Warehouse(database, settings.warehouse_dir)
        warehouse.sweep()
        return cls(settings, database, warehouse, remember=remember)

    def close(self) -> None:
        """Release the store's connections."""
        self.database.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Accounts

    def add_account(
        self,
        name: str,
        *,
        marketplace: str = DEFAULT_MARKETPLACE,
        account_type: str | AccountType = AccountType.SELLER,
    ) -> AccountRecord:
        """Add an account.

        Raises:
            InputError: the name, marketplace or type is not usable.
            AlreadyExistsError: the name is taken.
        """
        return self.warehouse.create_account(
            _check_name(name),
            marketplace=_check_marketplace(marketplace),
            account_type=_check_account_type(account_type),
        )

    def list_accounts(self) -> list[AccountRecord]:
        """Every account, by name."""
        with self.database.session() as session:
            return AccountRepository(session).all()

    def get_account(self, name: str) -> AccountRecord:
        """The account called ``name``.

        Raises:
            NotFoundError: there is none.
        """
        with self.database.session() as session:
            return AccountRepository(session).get(name)

    def remove_account(self, name: str) -> AccountRecord:
        """Delete an account with everything imported into it (ledger, snapshots, Parquet files).

        Raises:
            NotFoundError: there is no such account.
        """
        return self.warehouse.remove_account(name)

    # Imports

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        account: str,
        report_type: str | None = None,
        date_format: str | None = None,
        account_type: str | AccountType | None = None,
        progress: IngestProgress | None = None,
    ) -> IngestResult:
        """Import report files into an account, all or nothing.

        An unknown account is created, in the marketplace most of the imported orders (or the
        performance report) name, else ``Amazon.com``. Re-importing a file changes nothing; for
        orders, the line set with the latest ``last_updated_at`` wins (ties: the later file).

        Args:
            paths: report files (Amazon TSV/JSON or goodstanding's CSV templates).
            account: the account's name.
            report_type: force this type for every file instead of detecting it.
            date_format: day/month order when the files and the marketplace leave it open.
            account_type: seller or vendor, for an account created by this import.
            progress: called with (path, bytes read, file size) while each file is read.

        Raises:
            InputError: no file, or a bad account name or type.
            ReportFormatError: a file is malformed (nothing of the import is kept).
        """
        if not paths:
            raise InputError("No file to import.", hint="Name one or more report files.")
        kind = None if account_type is None else _check_account_type(account_type)
        with self.database.session() as session:
            existing = AccountRepository(session).find(_check_name(account))
        if existing is not None and kind is not None and kind != existing.account_type:
            raise InputError(
                f"The account {account!r} is a {existing.account_type.value} account, "
                f"not a {kind.value} one.",
                hint="Leave the account type out when importing into an existing account.",
            )
        files = [Path(p) for p in paths]
        opened_with = existing.marketplace if existing else None

        # Imported here: the parsers (and pandas, which pyarrow loads for them) are not needed
        # by the reading use cases, which start faster without them.
        from goodstanding.ingest import read_report

        def open_report(path: Path, marketplace: str | None) -> ParsedReport:
            return read_report(
                path, report_type=report_type, date_format=date_format, marketplace=marketplace
            )

        # Every header is read before any row: a wrong file fails fast, before a long import.
        reports = [open_report(path, opened_with) for path in files]
        order = sorted(
            range(len(reports)),
            key=lambda i: (reports[i].report_type not in _MARKETPLACE_SOURCES, i),
        )
        counts: dict[int, FileCounts] = {}
        seen: Counter[str] = Counter()
        with self.warehouse.begin_import(account) as transaction:
            held = transaction.account
            marketplace = held.marketplace if held is not None else None
            for index in order:
                report, path = reports[index], files[index]
                if marketplace is None and report.report_type not in _MARKETPLACE_SOURCES:
                    marketplace = self._guess_marketplace(seen)
                if report.report_type != "performance_v2" and marketplace != opened_with:
                    report = open_report(path, marketplace)
                counts[index] = self._stage(transaction, report, path, seen, progress)
            if held is None:
                transaction.create_account(
                    marketplace=marketplace or self._guess_marketplace(seen),
                    account_type=kind or AccountType.SELLER,
                )
            outcome = transaction.commit()
        return IngestResult(
            outcome.account.name,
            tuple(
                FileResult(
                    str(files[i]),
                    reports[i].report_type,
                    counts[i].rows,
                    counts[i].inserted,
                    counts[i].updated,
                    counts[i].unchanged,
                )
                for i in range(len(files))
            ),
        )

    @staticmethod
    def _guess_marketplace(seen: Counter[str]) -> str:
        return seen.most_common(1)[0][0] if seen else DEFAULT_MARKETPLACE

    @staticmethod
    def _stage(
        transaction: ImportTransaction,
        report: ParsedReport,
        path: Path,
        seen: Counter[str],
        progress: IngestProgress | None,
    ) -> FileCounts:
        source = str(path.resolve())
        if report.snapshot is not None:
            _snapshot_marketplaces(report.snapshot, seen)
            return transaction.add_snapshot(
                source, report.snapshot, sha256=report.sha256, size=report.size
            )
        report_progress = None
        if progress is not None:

            def report_progress(done: int, total: int) -> None:
                progress(path, done, total)

        batches: Iterator[pa.RecordBatch] = report.iter_batches(progress=report_progress)
        if report.report_type == "orders":
            batches = _count_marketplaces(batches, seen)
        return transaction.add_rows(
            source, report.report_type, batches, sha256=lambda: report.sha256, size=report.size
        )

    def imports(self, account: str) -> list[ImportRecord]:
        """Every file imported into the account, oldest first.

        Raises:
            NotFoundError: there is no such account.
        """
        with self.database.session() as session:
            record = AccountRepository(session).get(account)
            return ImportRepository(session).all(record.id)

    def snapshots(self, account: str) -> list[SnapshotRecord]:
        """Every kept V2 performance snapshot of the account, by date.

        Raises:
            NotFoundError: there is no such account.
        """
        with self.database.session() as session:
            record = AccountRepository(session).get(account)
            return SnapshotRepository(session).all(record.id)

    # Reading

    def tables(self, account: str, backend: str | None = None) -> dict[str, ir.Table]:
        """The account's current canonical tables as ibis tables, by report type.

        Args:
            account: the account's name.
            backend: ``duckdb`` or ``pyspark``; default the ``backend`` setting.

        Raises:
            NotFoundError: there is no such account.
            ConfigError: the backend is unknown or not installed.
        """
        record = self.get_account(account)
        return self.warehouse.tables(record.id, backend or self.settings.backend)

    def table_files(self, account: str) -> dict[str, list[Path]]:
        """The committed Parquet files of each of the account's tables (for benchmarks).

        Raises:
            NotFoundError: there is no such account.
        """
        record = self.get_account(account)
        return self.warehouse.files(record.id)

    # Users and secrets (web app)

    @cached_property
    def users(self) -> Users:
        """Users, their grants on accounts, API tokens and sign-in throttling."""
        from goodstanding.workspace.users import Users

        return Users(self)

    @cached_property
    def secrets(self) -> Secrets:
        """The home's keys and the secret settings encrypted at rest."""
        from goodstanding.workspace.users import Secrets

        return Secrets(self)

    # Evidence and risk

    @cached_property
    def evidence(self) -> Evidence:
        """Invoices, documents, evidence packs, feedback, claims, linked accounts, security."""
        from goodstanding.workspace.evidence import Evidence

        return Evidence(self)

    # Knowledge and notices

    @cached_property
    def appeals(self) -> Appeals:
        """The Plan of Action builder: questions for a notice, the draft, its grade."""
        from goodstanding.workspace.appeals import Appeals

        return Appeals(self)

    @cached_property
    def cases(self) -> Cases:
        """Appeal cases: notice, submitted versions, Amazon's replies, rules of conduct."""
        from goodstanding.workspace.cases import Cases

        return Cases(self)

    @cached_property
    def knowledge(self) -> Knowledge:
        """The packaged knowledge base (violation families, interview, POA layouts; 7 languages)."""
        from goodstanding.knowledge import Knowledge

        return Knowledge.load()

    def read_notice(
        self, source: Path | bytes | str, *, reference_date: date | None = None
    ) -> NoticeReading:
        """Read a suspension notice (text, e-mail or PDF; any of the seven languages).

        Args:
            source: a file path, the file's bytes, or the notice's text itself (``str``).
            reference_date: the day deadlines count from; default the notice's own date.

        Raises:
            NoticeReadError: the input cannot be read (empty, binary, encrypted PDF...).
        """
        from goodstanding.appeal import classify_notice, read_notice_text

        text = source if isinstance(source, str) else read_notice_text(source)
        if not text.strip():
            from goodstanding.errors import NoticeReadError

            raise NoticeReadError("The notice is empty.", hint="Paste or upload the whole notice.")
        return classify_notice(text, reference_date=reference_date)

    # Health

    @remembered("health")
    def health(
        self,
        account: str,
        *,
        as_of: date | None = None,
        marketplace: str | None = None,
        backend: str | None = None,
    ) -> dict[str, Any]:
        """The health JSON of metric-conventions.md §6, with Amazon's figures when known.

        A pure function of the committed data and the as-of date, but for the top-level
        ``generated_at``. When a ``performance_v2`` report dated D was imported, its figures are set
        beside ours in ``amazon_reported``.

        Args:
            account: the account's name.
            as_of: the date D; default the latest order date of the account.
            marketplace: only this marketplace.
            backend: ``duckdb`` or ``pyspark``; default the ``backend`` setting.

        Raises:
            NotFoundError: there is no such account.
            DataError: nothing can be computed (no orders, no data as of D, unknown marketplace).
        """
        from goodstanding.metrics import evaluate, to_json
        from goodstanding.metrics.amazon import compare_with_amazon
        from goodstanding.metrics.orders import order_facts_per_file

        record = self.get_account(account)
        with self._metric_tables(record.id, backend, [order_facts_per_file()]) as tables:
            evaluation = evaluate(
                tables,
                account=account,
                as_of=as_of,
                marketplace=marketplace,
                # Bounds from the stored files spare reading the whole history for the spans.
                order_dates=self.warehouse.order_date_bounds(record.id),
            )
        document: dict[str, Any] = {"generated_at": _utc_now(), **to_json(evaluation)}
        snapshot = self._snapshot_on(account, evaluation.as_of)
        if snapshot is not None:
            document["amazon_reported"] = compare_with_amazon(evaluation, document, snapshot)
        return document

    @contextmanager
    def _metric_tables(
        self, account_id: int, backend: str | None = None, derived: Sequence[PerFile] = ()
    ) -> Iterator[Mapping[str, ir.Table] | SqlTables]:
        """The account's tables for the metrics, on ``backend`` (default the setting).

        On DuckDB the metrics run as SQL compiled once and kept by the warehouse, so a fresh
        process (a CLI call, a web worker) loads no ibis; PySpark runs the ibis expressions.
        """
        backend = backend or self.settings.backend
        if backend != "duckdb":
            yield self.warehouse.tables(account_id, backend)
            return
        tables = self.warehouse.sql_tables(account_id, derived)
        try:
            yield tables
        finally:
            tables.close()

    def _snapshot_on(self, account: str, day: date) -> Mapping[str, Any] | None:
        # The latest import wins when two reports carry the same date.
        found = None
        for record in self.snapshots(account):
            if record.as_of == day:
                found = record.payload
        return found

    def history(self, account: str, *, metric: str | None = None) -> dict[str, Any]:
        """Amazon's own figures over time, one point per imported snapshot, marketplace and metric.

        Amazon's API keeps no history, so every imported ``performance_v2`` report is kept as a
        dated snapshot and this series is built from them.

        Raises:
            NotFoundError: there is no such account.
        """
        points: list[dict[str, Any]] = []
        for record in self.snapshots(account):
            for block in record.payload.get("marketplaces", []):
                named = str(block.get("marketplace") or block.get("marketplace_id") or "")
                for entry in block.get("metrics", []):
                    if metric is not None and entry.get("id") != metric:
                        continue
                    points.append(
                        {
                            "as_of": record.as_of.isoformat(),
                            "marketplace": MARKETPLACE_IDS.get(named, named),
                            "id": entry.get("id"),
                            "channel": entry.get("channel"),
                            "window_days": entry.get("window_days"),
                            "numerator": entry.get("numerator"),
                            "denominator": entry.get("denominator"),
                            "value": entry.get("value"),
                            "amazon_status": entry.get("amazon_status"),
                        }
                    )
        points.sort(
            key=lambda p: (p["as_of"], p["marketplace"], str(p["id"]), str(p["channel"] or ""))
        )
        return {"account": account, "metric": metric, "points": points}

    @remembered("summary")
    def summary(
        self, account: str, *, months: int = 12, as_of: date | None = None
    ) -> dict[str, Any]:
        """The monthly performance summary (orders, sales, returns, feedback, claims...).

        Raises:
            NotFoundError: there is no such account.
            DataError: no orders were imported.
        """
        from goodstanding.metrics import compute_summary

        with self._metric_tables(self.get_account(account).id) as tables:
            return {"account": account, **compute_summary(tables, months=months, as_of=as_of)}

    @remembered("review")
    def review(self, account: str, *, month: str) -> dict[str, Any]:
        """The monthly review: returns and negative feedback by ASIN, reason and carrier.

        Raises:
            NotFoundError: there is no such account.
            InputError: the month is not ``YYYY-MM``.
            DataError: no returns or feedback report was imported.
        """
        from goodstanding.metrics import compute_review

        with self._metric_tables(self.get_account(account).id) as tables:
            return {"account": account, **compute_review(tables, month=month)}
