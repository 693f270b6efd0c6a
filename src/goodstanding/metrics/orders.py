"""Expressions shared by the metric families: order facts, time bounds, the facts layout.

Every family query ends in the same small layout (:data:`FACTS`): counts grouped by marketplace,
channel and entry date, with one extra row per defective item carrying its ids. The families are
unioned and executed as ONE query. The order lines are read once for all of them:
:func:`order_facts` keeps the orders of the order-dated windows plus every order a shipment, message
or defect names, so the engine groups a few weeks of orders instead of the whole history, and Python
only sees a few rows per day plus one row per defect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from goodstanding.metrics.definitions import NON_AMAZON
from goodstanding.sqlplans import PerFile
from goodstanding.tables import TABLES

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

FACTS: dict[str, str] = {
    "family": "string",
    "marketplace": "string",
    "channel": "string",
    "day": "date",
    "order_id": "string",
    "order_date": "date",
    "item_id": "string",
    "flag_a": "boolean",
    "flag_b": "boolean",
    "flag_c": "boolean",
    "flag_d": "boolean",
    "n": "int64",
}
"""Columns of every family's rows, in union order; the ``flag_*`` meanings belong to each family."""


class FactRow(NamedTuple):
    """One executed row of the :data:`FACTS` layout (fields in :data:`FACTS` order)."""

    family: str
    marketplace: str | None
    channel: str | None
    day: date | None
    order_id: str | None
    order_date: date | None
    item_id: str | None
    flag_a: bool | None
    flag_b: bool | None
    flag_c: bool | None
    flag_d: bool | None
    n: int


def as_facts(table: ir.Table, family: str, **columns: ir.Value) -> ir.Table:
    """Select ``columns`` of ``table`` into the :data:`FACTS` layout, typed nulls elsewhere."""
    import ibis
    import ibis.expr.datatypes as dt

    unknown = set(columns) - set(FACTS)
    if unknown:
        raise ValueError(f"not fact columns: {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name, dtype in FACTS.items():
        if name == "family":
            values[name] = ibis.literal(family, type=dt.string)
        elif name in columns:
            values[name] = columns[name].cast(dtype)
        else:
            values[name] = ibis.null(dtype)
    return table.select(**values)


def fetch(expr: ir.Table) -> pa.Table:
    """Execute ``expr`` on its tables' own backend and return the rows as an Arrow table."""
    # Not ``to_pyarrow_batches``: with duckdb 2.0 ibis 12's batch reader calls a cursor method
    # duckdb removed. The warehouse's DuckDB backend returns Arrow without importing pandas.
    return expr.to_pyarrow()


def day_start(day: date) -> ir.TimestampScalar:
    """``day`` 00:00:00 UTC as a literal (a time before it is "before" the day, §4)."""
    import ibis

    return ibis.literal(datetime.combine(day, time(0), tzinfo=UTC))


def end_of(day: date) -> ir.TimestampScalar:
    """The end of ``day``: the next day's 00:00:00 UTC, exclusive (§4)."""
    return day_start(day + timedelta(days=1))


def happened_by(column: ir.TimestampValue, as_of: date) -> ir.BooleanValue:
    """Whether a time stamp is set and lies before the end of D (later means "not yet", §4)."""
    return column.notnull() & (column < end_of(as_of))


def is_blank(column: ir.StringValue) -> ir.BooleanValue:
    """Null or only spaces: how a blank template cell reaches the table."""
    return column.isnull() | (column.strip().length() == 0)


def received_between(column: ir.TimestampValue, start: date, end: date) -> ir.BooleanValue:
    """Whether a time stamp's UTC date lies in [start, end], as a range the engine can push down."""
    return (column >= day_start(start)) & (column < end_of(end))


def amazon_lines(orders: ir.Table) -> ir.Table:
    """Order lines of Amazon marketplaces: Non-Amazon (MCF) orders are in no metric (§2)."""
    return orders.filter(orders.marketplace.notnull() & (orders.marketplace != NON_AMAZON))


def is_amazon(facts: ir.Table) -> ir.BooleanValue:
    """Whether an order of :func:`order_facts` belongs to an Amazon marketplace."""
    return facts.marketplace.notnull() & (facts.marketplace != NON_AMAZON)


ORDER_FACTS = "order_facts"
"""Name of the per-order table (:func:`per_order` of the order lines) when a caller keeps it."""


def per_order(lines: ir.Table) -> ir.Table:
    """One row per order of ``lines``: marketplace, channel, order date and the cancelled flag.

    An order is cancelled when its order status is ``Cancelled`` (§2; every line carries the
    order's status, so "all lines" and "any line" agree on well-formed files). The warehouse may
    keep this per imported file (an import replaces an order's whole line set, so the current
    orders' facts are the current files' facts); :func:`current_order_facts` takes them then.
    """
    status = lines.order_status.lower().fill_null("")
    return lines.group_by("order_id").aggregate(
        marketplace=lines.marketplace.min(),
        channel=lines.channel.min(),
        order_date=lines.order_date.min(),
        cancelled=(status == "cancelled").all(),
    )


def order_facts_per_file() -> PerFile:
    """:func:`per_order` as a table the warehouse keeps per orders file, sorted by order date."""
    return PerFile(ORDER_FACTS, "orders", "order_id", _per_order_sql, sort="order_date")


def _per_order_sql() -> str:
    import ibis

    return str(ibis.to_sql(per_order(canonical_table("orders", "lines")), dialect="duckdb"))


def canonical_table(table: str, name: str) -> ir.Table:
    """An unbound ibis table of the canonical columns of ``table``, named ``name`` in SQL."""
    import ibis

    return ibis.table(ibis.Schema.from_pyarrow(TABLES[table].schema), name=name)


def current_order_facts(tables: Mapping[str, ir.Table]) -> ir.Table:
    """The per-order facts of the current order lines: kept ones when given, else grouped."""
    if ORDER_FACTS in tables:
        return tables[ORDER_FACTS]
    return per_order(tables["orders"])


def order_facts(
    facts: ir.Table,
    *,
    dated: tuple[date, date] | None = None,
    named: Sequence[ir.Table] = (),
) -> ir.Table:
    """The orders some metric needs, out of :func:`current_order_facts`.

    Those whose order date is in ``dated`` and those whose id appears in the ``order_id`` column
    of a ``named`` table (shipments, messages, defects), of every marketplace — callers drop
    Non-Amazon orders with :func:`is_amazon`, and a message or defect naming a Non-Amazon order
    must still be told apart from one naming no known order.
    """
    import ibis

    parts: list[ir.Table] = []
    if dated is not None:
        parts.append(facts.filter(facts.order_date.between(*dated)))
    if named:
        ids = ibis.union(*(t.select("order_id") for t in named), distinct=False)
        # The two parts hold different orders: the ids are probed only outside the dated range.
        outside = facts if dated is None else facts.filter(~facts.order_date.between(*dated))
        parts.append(outside.filter(outside.order_id.isin(ids.order_id)))
    if not parts:
        parts.append(facts.limit(0))
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
