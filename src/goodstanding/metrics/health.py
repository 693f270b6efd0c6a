"""The health JSON of metric-conventions.md §6, computed from the canonical tables.

:func:`evaluate` runs two queries on the tables' own backend: one small query for the marketplaces
and the default as-of date, then one union of every family's grouped rows (see ``orders.FACTS``).
Everything after that is Python over a few rows per day plus one row per defect: statuses, recovery,
coverage, ``unmatched`` and the side-by-side with Amazon's own figures.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from goodstanding.errors import DataError
from goodstanding.metrics import fulfilment, odr, response
from goodstanding.metrics.amazon import compare_with_amazon
from goodstanding.metrics.definitions import (
    METRICS,
    NON_AMAZON,
    MetricDefinition,
    definitions_of,
    metric_sort_key,
)
from goodstanding.metrics.orders import (
    FactRow,
    current_order_facts,
    order_facts,
)
from goodstanding.metrics.queries import queries
from goodstanding.metrics.results import Defect, HealthEvaluation, MetricResult
from goodstanding.metrics.status import metric_status, recovery
from goodstanding.sqlplans import SqlTables
from goodstanding.tables import TABLES

if TYPE_CHECKING:
    import ibis.expr.types as ir


def _check_columns(tables: Mapping[str, ir.Table]) -> None:
    for name, table in tables.items():
        spec = TABLES.get(name)
        if spec is None:
            continue
        missing = [column for column in spec.schema.names if column not in table.columns]
        if missing:
            raise DataError(
                f"The {name} table lacks the canonical column(s) {', '.join(missing)}.",
                hint="Re-import the file with this version of goodstanding.",
            )


Spans = dict[str, tuple[date, date]]
"""First and last order date per Amazon marketplace."""


def _spans_query(orders: ir.Table) -> ir.Table:
    """First and last order date per marketplace over the current lines.

    The default D is "the latest order date in the account's data" (§4): Non-Amazon (MCF) orders
    are stored data too, so they set it, though they are in no metric (§2).
    """
    return orders.group_by("marketplace").aggregate(
        first=orders.order_date.min(), last=orders.order_date.max()
    )


def _held_days_query(orders: ir.Table, days: Sequence[date]) -> ir.Table:
    """The (marketplace, order date) pairs the current lines hold on these days."""
    held = orders.filter(orders.order_date.isin(list(days)))
    return held.select("marketplace", "order_date").distinct()


def _bound_days(bounds: Mapping[str | None, tuple[date, date]]) -> list[date]:
    return sorted({day for pair in bounds.values() for day in pair})


def _checked_spans(
    bounds: Mapping[str | None, tuple[date, date]], present: set[tuple[str | None, date]]
) -> tuple[Spans, date | None] | None:
    """The bounds, when the current lines reach every one of them; None otherwise.

    ``bounds`` are the first and last order dates over every stored line, superseded versions of
    re-exported orders included: a superset of the current lines, so they bound the current
    dates, and when the current lines hold each of them they are the answer. Then only the
    lines of those few dates were read instead of the whole history.
    """
    for marketplace, (first, last) in bounds.items():
        if (marketplace, first) not in present or (marketplace, last) not in present:
            return None
    return _spans((marketplace, first, last) for marketplace, (first, last) in bounds.items())


def _spans(
    rows: Iterable[tuple[str | None, date | None, date | None]],
) -> tuple[Spans, date | None]:
    found: Spans = {}
    latest: date | None = None
    for marketplace, first, last in rows:
        if first is None or last is None:
            continue
        latest = last if latest is None else max(latest, last)
        if marketplace is not None and marketplace != NON_AMAZON:
            found[marketplace] = (first, last)
    return found, latest


def _missing_inputs(definition: MetricDefinition, imported: frozenset[str]) -> list[str]:
    return [name for name in definition.inputs if name not in imported]


def _coverage(imported: frozenset[str]) -> list[dict[str, object]]:
    seen: set[tuple[str, str]] = set()
    coverage: list[dict[str, object]] = []
    for definition in METRICS:
        for needs in _missing_inputs(definition, imported):
            if (definition.id, needs) in seen:
                continue
            seen.add((definition.id, needs))
            coverage.append({"metric": definition.id, "status": "missing_input", "needs": needs})
    return coverage


_FACT_INPUTS = frozenset(
    ("feedback", "claims", "chargebacks", "cancellations", "shipments", "messages")
)
"""Tables some family reads besides the orders: without any of them there is nothing to run."""


def _fact_queries(tables: Mapping[str, ir.Table], as_of: date) -> list[ir.Table]:
    """Every family's grouped rows, sharing one read of the order lines (none without inputs)."""
    if not tables.keys() & _FACT_INPUTS:
        return []
    events = odr.defect_events(tables, as_of)
    shipments = tables.get("shipments")
    recent = None if shipments is None else fulfilment.late_shipment_recent(shipments, as_of)
    tracking = None if shipments is None else fulfilment.tracking_rows(shipments, as_of)
    messages = (
        None if "messages" not in tables else response.window_messages(tables["messages"], as_of)
    )
    dated = [
        definitions_of(family)[0].window(as_of)
        for family, needed in (
            ("order_defects", events is not None),
            ("cancellation", "cancellations" in tables),
        )
        if needed
    ]
    named = [t for t in (events, recent, tracking, messages) if t is not None]
    orders = order_facts(
        current_order_facts(tables),
        dated=(min(s for s, _ in dated), max(e for _, e in dated)) if dated else None,
        named=named,
    )
    queries: list[ir.Table] = []
    if events is not None:
        queries += odr.facts(orders, events, as_of)
    if "cancellations" in tables:
        queries += fulfilment.cancellation_facts(tables["cancellations"], orders, as_of)
    if shipments is not None and recent is not None and tracking is not None:
        candidates = fulfilment.late_shipment_orders(recent, shipments, as_of)
        queries += fulfilment.late_shipment_facts(candidates, orders)
        queries += fulfilment.tracking_facts(tracking, orders)
    if messages is not None:
        queries += response.facts(messages, orders)
    return queries


def _union(queries: Sequence[ir.Table]) -> ir.Table:
    import ibis

    return ibis.union(*queries, distinct=False) if len(queries) > 1 else queries[0]


def _by_family(rows: Iterable[FactRow]) -> dict[str, list[FactRow]]:
    by_family: dict[str, list[FactRow]] = {}
    for row in rows:
        by_family.setdefault(row.family, []).append(row)
    return by_family


def _marketplace_dates(
    runner: _Runner, bounds: Mapping[str | None, tuple[date, date]] | None
) -> tuple[Spans, date | None]:
    """First and last order date per Amazon marketplace, and the latest order date of all.

    ``bounds`` (see :func:`evaluate`) are checked against the lines of their few dates; only when
    the current lines miss one of them is the whole history aggregated.
    """
    days = _bound_days(bounds) if bounds else []
    if bounds and days:
        checked = _checked_spans(bounds, runner.held_days(days))
        if checked is not None:
            return checked
    return _spans(runner.spans())


class _Runner:
    """The queries of :func:`evaluate`, run as ibis expressions or as kept SQL (see ``queries``)."""

    def __init__(self, tables: Mapping[str, ir.Table] | SqlTables) -> None:
        if not isinstance(tables, SqlTables):
            _check_columns(tables)
        self.queries = queries(tables)
        self.imported = self.queries.imported
        self.derived = tables.derived if isinstance(tables, SqlTables) else frozenset()

    def held_days(self, days: Sequence[date]) -> set[tuple[str | None, date]]:
        """The (marketplace, order date) pairs the current lines hold on these days."""
        held = self.queries.rows(
            ("health", "held_days"), days, lambda t, values: _held_days_query(t["orders"], values)
        )
        return {(marketplace, day) for marketplace, day in held}

    def spans(self) -> list[tuple[str | None, date | None, date | None]]:
        """(marketplace, first, last order date) over the current lines."""
        rows = self.queries.rows(("health", "spans"), [], lambda t, _: _spans_query(t["orders"]))
        return [(marketplace, first, last) for marketplace, first, last in rows]

    def facts(self, day: date) -> dict[str, list[FactRow]]:
        """Every family's rows as of ``day``, by family."""
        if not self.imported & _FACT_INPUTS:
            return {}
        key = ("health", "facts", *sorted(self.imported), *sorted(self.derived))
        rows = self.queries.rows(key, [day], lambda t, values: _union(_fact_queries(t, values[0])))
        return _by_family(map(FactRow._make, rows))


def evaluate(
    tables: Mapping[str, ir.Table] | SqlTables,
    *,
    account: str,
    as_of: date | None = None,
    marketplace: str | None = None,
    order_dates: Mapping[str | None, tuple[date, date]] | None = None,
) -> HealthEvaluation:
    """Compute every metric of §4 for every marketplace (or one), as of D.

    Args:
        tables: the current canonical tables by report type; a missing key means the file was
            never imported, an empty table means it was imported with no rows. Or the same as
            DuckDB views (:class:`~goodstanding.sqlplans.SqlTables`): then the expressions run
            as the SQL they compile to, kept between processes.
        account: the account name written in the result.
        as_of: the date D; default the latest order date of the account.
        marketplace: only this marketplace (it must have orders).
        order_dates: first and last order date per marketplace (None: no marketplace) over
            every stored order line, superseded versions of re-exported orders included, when
            the caller has them cheaply (the warehouse does); checked against the current lines
            of those dates only, they spare a read of the whole history. Default: aggregated
            from the current lines.

    Raises:
        DataError: no orders were imported, the marketplace has no orders, or no metric has data
            as of D.
    """
    runner = _Runner(tables)
    if "orders" not in runner.imported:
        raise DataError(
            f"Account {account!r} has no orders report imported, so no metric can be computed.",
            hint="Import Amazon's all-orders report (the orders flat file) first.",
        )
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    imported = runner.imported
    spans, latest = _marketplace_dates(runner, order_dates)
    if not spans or latest is None:
        raise DataError(
            f"Account {account!r} has no order from an Amazon marketplace.",
            hint="Import an orders report holding Amazon orders (Non-Amazon orders never count).",
        )
    first_order = min(first for first, _ in spans.values())
    last_order = max(last for _, last in spans.values())
    day = as_of or latest
    account_marketplaces = sorted(spans)
    if marketplace is not None and marketplace not in spans:
        raise DataError(
            f"Marketplace {marketplace!r} has no orders in account {account!r}.",
            hint=f"Choose one of: {', '.join(account_marketplaces)}.",
        )
    reported = [marketplace] if marketplace is not None else account_marketplaces

    rows = runner.facts(day)
    results: list[MetricResult] = []
    results += odr.read(
        rows.get(odr.FAMILY, []), as_of=day, marketplaces=reported, imported=imported
    )
    if "cancellations" in imported:
        results += fulfilment.read_cancellation(
            rows.get(fulfilment.CANCELLATION, []), as_of=day, marketplaces=reported
        )
    if "shipments" in imported:
        results += fulfilment.read_late_shipment(
            rows.get(fulfilment.LATE_SHIPMENT, []), as_of=day, marketplaces=reported
        )
        results += fulfilment.read_tracking(
            rows.get(fulfilment.TRACKING, []), as_of=day, marketplaces=reported
        )
    coverage = _coverage(imported)
    if "messages" in imported:
        message_results, left_out = response.read(
            rows.get(response.FAMILY, []),
            as_of=day,
            marketplaces=reported,
            account_marketplaces=account_marketplaces,
        )
        results += message_results
        if left_out:
            coverage.append(
                {
                    "metric": "late_response_rate",
                    "status": "left_out",
                    "needs": "messages",
                    "reason": "messages without a known order while the account sells on "
                    "several marketplaces: fill their order-id to count them",
                    "messages": left_out,
                }
            )
    results.sort(key=lambda r: (r.marketplace, *metric_sort_key(*r.key)))
    for result in results:
        result.defects.sort(key=Defect.sort_key)
    if results and all(r.denominator == 0 for r in results):
        raise DataError(
            f"No metric of account {account!r} has data as of {day.isoformat()}: its orders run "
            f"from {first_order.isoformat()} to {last_order.isoformat()}.",
            hint="Choose an as-of date inside that range, or import the reports covering it.",
        )
    return HealthEvaluation(
        account=account,
        as_of=day,
        marketplaces=reported,
        results=results,
        coverage=coverage,
        unmatched=odr.read_unmatched(rows.get(odr.UNMATCHED, [])),
        imported=imported,
        account_marketplaces=account_marketplaces,
        first_order_date=first_order,
        last_order_date=last_order,
    )


@functools.lru_cache(maxsize=4096)
def _isoformat(day: date) -> str:
    # Tens of thousands of defects share a few hundred dates.
    return day.isoformat()


def metric_json(result: MetricResult) -> dict[str, Any]:
    """One entry of a marketplace's ``metrics`` list (§6)."""
    definition = result.definition
    status = metric_status(definition.target, result.numerator, result.denominator)
    start, end = result.window
    return {
        "id": definition.id,
        "channel": result.channel,
        "window_days": definition.window_days,
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": None if result.denominator == 0 else result.numerator / result.denominator,
        "target": definition.target.to_json() if definition.target else None,
        "status": status,
        "defects": [defect.to_json(_isoformat) for defect in result.defects],
        "recovery": recovery(result, status),
    }


def to_json(
    evaluation: HealthEvaluation, *, amazon_reported: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The health JSON of §6 as a plain dict (without ``generated_at``, which the caller adds)."""
    by_marketplace: dict[str, list[dict[str, Any]]] = {m: [] for m in evaluation.marketplaces}
    for result in evaluation.results:
        by_marketplace[result.marketplace].append(metric_json(result))
    return {
        "account": evaluation.account,
        "as_of": evaluation.as_of.isoformat(),
        "marketplaces": [
            {"marketplace": marketplace, "metrics": metrics}
            for marketplace, metrics in by_marketplace.items()
        ],
        "coverage": evaluation.coverage,
        "unmatched": evaluation.unmatched,
        "amazon_reported": amazon_reported or [],
    }


def compute_health(
    tables: Mapping[str, ir.Table] | SqlTables,
    *,
    account: str,
    as_of: date | None = None,
    marketplace: str | None = None,
    amazon_snapshot: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The health JSON of metric-conventions.md §6 as a plain dict.

    Deterministic: the same tables and as-of date give the same dict (marketplaces sorted, metrics
    in §4 order, mfn before afn, shorter windows first, defects by order date, order id,
    tracking id and promised date, message defects by received date, order id and message id).

    Args:
        tables: current canonical tables by report type, or their DuckDB views (see
            :func:`evaluate`).
        account: the account name.
        as_of: the date D; default the latest order date.
        marketplace: only this marketplace.
        amazon_snapshot: Amazon's own figures (normalised ``performance_v2`` snapshot); they are
            set beside ours only when the snapshot's as-of date is D.

    Raises:
        DataError: see :func:`evaluate`.
    """
    evaluation = evaluate(tables, account=account, as_of=as_of, marketplace=marketplace)
    document = to_json(evaluation)
    if amazon_snapshot is not None:
        document["amazon_reported"] = compare_with_amazon(evaluation, document, amazon_snapshot)
    return document
