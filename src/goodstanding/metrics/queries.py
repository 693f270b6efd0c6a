"""Where a metric query runs: as an ibis expression, or as the DuckDB SQL kept from compiling it.

A metric module writes each query once, as a function building an ibis expression from the tables
and the query's dates (:data:`Build`). :class:`IbisQueries` executes it on the tables' own backend
(PySpark, or DuckDB through ``Warehouse.tables``). :class:`KeptQueries` runs the SQL it compiles
to, kept by :class:`~goodstanding.sqlplans.SqlPlans` with the dates as parameters, over the views
of :class:`~goodstanding.sqlplans.SqlTables`: once the SQL is kept, a fresh process loads no ibis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from goodstanding.metrics.orders import ORDER_FACTS, canonical_table, fetch, per_order
from goodstanding.sqlplans import SqlTables
from goodstanding.tables import TABLES

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

Build = Callable[[Mapping[str, "ir.Table"], Sequence[date]], "ir.Table"]
"""Builds one query from the tables (by report type) and the query's dates."""


class Queries(Protocol):
    """Runs the queries a metric module builds; ``imported`` names the tables present."""

    imported: frozenset[str]

    def rows(
        self, key: Sequence[str], dates: Sequence[date], build: Build
    ) -> list[tuple[Any, ...]]:
        """The rows of ``build(tables, dates)``, as tuples in column order.

        ``key`` names the query among every query kept: it must change whenever the shape of the
        expression does (for instance with the tables present).
        """

    def records(
        self, key: Sequence[str], dates: Sequence[date], build: Build
    ) -> list[dict[str, Any]]:
        """The rows of ``build(tables, dates)``, as dicts keyed by column name."""


class IbisQueries:
    """The expressions, executed on their tables' own backend."""

    def __init__(self, tables: Mapping[str, ir.Table]) -> None:
        self.tables = tables
        self.imported = frozenset(name for name in tables if name in TABLES)

    def rows(
        self, key: Sequence[str], dates: Sequence[date], build: Build
    ) -> list[tuple[Any, ...]]:
        import pyarrow as pa

        table = fetch(build(self.tables, dates))
        columns = [
            _dates(column) if pa.types.is_date32(column.type) else column.to_pylist()
            for column in table.columns
        ]
        return list(zip(*columns, strict=True))

    def records(
        self, key: Sequence[str], dates: Sequence[date], build: Build
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = fetch(build(self.tables, dates)).to_pylist()
        return found


class KeptQueries:
    """The expressions' DuckDB SQL, compiled once and kept, run over the views of ``tables``."""

    def __init__(self, tables: SqlTables) -> None:
        self.tables = tables
        self.imported = tables.imported

    def unbound(self) -> dict[str, ir.Table]:
        """Unbound ibis tables named like the views: what the kept SQL is compiled against."""
        import ibis

        found = {name: canonical_table(name, f"current_{name}") for name in self.imported}
        if ORDER_FACTS in self.tables.derived and "orders" in found:
            schema = per_order(found["orders"]).schema()
            found[ORDER_FACTS] = ibis.table(schema, name=f"current_{ORDER_FACTS}")
        return found

    def sql(self, key: Sequence[str], dates: Sequence[date], build: Build) -> str:
        """The SQL of the query for these dates: rendered from the kept template when it can be."""

        def compiled(values: Sequence[date]) -> str:
            import ibis

            return str(ibis.to_sql(build(self.unbound(), values), dialect="duckdb"))

        template = self.tables.plans.template(key, len(dates), compiled)
        return template.render(dates) if template else compiled(dates)

    def rows(
        self, key: Sequence[str], dates: Sequence[date], build: Build
    ) -> list[tuple[Any, ...]]:
        return self.tables.rows(self.sql(key, dates, build))

    def records(
        self, key: Sequence[str], dates: Sequence[date], build: Build
    ) -> list[dict[str, Any]]:
        return self.tables.records(self.sql(key, dates, build))


def queries(tables: Mapping[str, ir.Table] | SqlTables) -> IbisQueries | KeptQueries:
    """The runner for ``tables``: kept SQL for :class:`SqlTables`, else the ibis expressions."""
    return KeptQueries(tables) if isinstance(tables, SqlTables) else IbisQueries(tables)


_EPOCH = date(1970, 1, 1)


def _dates(column: pa.ChunkedArray) -> list[date | None]:
    # Arrow builds one Python date per value, slowly; result rows hold few distinct days.
    import pyarrow as pa

    days: dict[int, date] = {}
    out: list[date | None] = []
    for number in column.cast(pa.int32()).to_pylist():
        if number is None:
            out.append(None)
            continue
        day = days.get(number)
        if day is None:
            day = days[number] = _EPOCH + timedelta(days=number)
        out.append(day)
    return out
