"""The monthly review of returns and negative feedback, top causes first.

A habit the French seller guide recommends: once a month, look at what came back and what buyers
complained about, grouped by product (ASIN), reason and carrier, and fix the biggest cause first.

- Returns (both reports) of the month, by their own date: grouped by ASIN, by the return reason as
  written in the report, and by the outbound carrier of the order (``shipments`` file; Amazon for
  Amazon-fulfilled returns).
- Negative feedback (1–2 stars) of the month, by feedback date: grouped by the ASINs of the order,
  by the outbound carrier, and by a *reason* read from the order's other records, since the
  feedback report carries none: a return and its reason, an A-to-z claim and its reason, a late
  shipment or a late delivery; otherwise "no other record (read the comment)".

The queries fetch only the month's returns and feedback and the records of their orders, so the
Python work grows with the number of returns and complaints, not of orders.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from goodstanding.errors import DataError, InputError
from goodstanding.metrics.definitions import NON_AMAZON
from goodstanding.metrics.queries import Queries, queries
from goodstanding.sqlplans import SqlTables

if TYPE_CHECKING:
    import ibis.expr.types as ir

FBA_CARRIER = "Amazon (FBA)"
UNKNOWN = "unknown"
NO_RECORD = "no other record (read the comment)"
TOP_CAUSES = 5


def _month_bounds(month: str) -> tuple[date, date]:
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise InputError(
            f"Month {month!r} is not a month like 2025-07.", hint="Write the month as YYYY-MM."
        ) from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def _groups(counts: Counter[str], units: Counter[str] | None = None) -> list[dict[str, Any]]:
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    groups = []
    for key, count in ordered:
        group: dict[str, Any] = {"key": key, "count": count, "share": count / total}
        if units is not None:
            group["units"] = units[key]
        groups.append(group)
    return groups


_RETURNS = (("returns_mfn", "return_requested_on", False), ("returns_fba", "return_date", True))
"""The two returns reports: table, the column dating a return, whether Amazon fulfilled it."""

_MONTH_SOURCES = ("returns_mfn", "returns_fba", "feedback")
"""The reports whose rows of the month are reviewed."""


def _month_returns(
    tables: Mapping[str, ir.Table], dates: Sequence[date], name: str, column: str
) -> ir.Table:
    first, last, _ = dates
    table = tables[name]
    return table.filter(table[column].between(first, last)).select(
        "order_id", "asin", "reason", "quantity"
    )


def _month_complaints(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    first, last, _ = dates
    feedback = tables["feedback"]
    return feedback.filter(
        feedback.feedback_date.between(first, last), feedback.rating.isin([1, 2])
    ).select("order_id", "rating")


def _text(value: object, default: str = UNKNOWN) -> str:
    if value is None or not str(value).strip():
        return default
    return str(value).strip()


def compute_review(tables: Mapping[str, ir.Table] | SqlTables, *, month: str) -> dict[str, Any]:
    """The monthly review: returns and negative feedback by ASIN, reason and carrier.

    Args:
        tables: current canonical tables by report type, or the warehouse's kept-SQL views.
        month: the month to review, ``YYYY-MM``.

    Returns:
        ``{"month", "totals", "groups", "top_causes", "notes"}``; ``groups`` maps
        ``returns_by_asin``, ``returns_by_reason``, ``returns_by_carrier``,
        ``negative_feedback_by_asin``, ``negative_feedback_by_reason`` and
        ``negative_feedback_by_carrier`` to lists of ``{"key", "count", "share"}`` (returns also
        ``units``), biggest first.

    Raises:
        InputError: the month is not ``YYYY-MM``.
        DataError: none of the returns or feedback reports was imported.
    """
    first, following = _month_bounds(month)
    last = date.fromordinal(following.toordinal() - 1)
    run = queries(tables)
    if not set(_MONTH_SOURCES) & run.imported:
        raise DataError(
            "There is nothing to review: no returns or feedback report imported.",
            hint="Import the returns reports and the feedback report.",
        )
    dates = [first, last, following]
    returns: list[dict[str, Any]] = []
    for name, column, fba in _RETURNS:
        if name in run.imported:
            build = functools.partial(_month_returns, name=name, column=column)
            returns += [{**row, "fba": fba} for row in run.records(("review", name), dates, build)]
    complaints: list[dict[str, Any]] = []
    if "feedback" in run.imported:
        complaints = run.records(("review", "feedback"), dates, _month_complaints)
    context = _OrderContext.load(run, dates)
    returns = [r for r in returns if context.marketplace.get(str(r["order_id"])) != NON_AMAZON]
    complaints = [
        c for c in complaints if context.marketplace.get(str(c["order_id"])) != NON_AMAZON
    ]

    by_asin, by_reason, by_carrier = Counter[str](), Counter[str](), Counter[str]()
    units_asin, units_reason, units_carrier = Counter[str](), Counter[str](), Counter[str]()
    for item in returns:
        quantity = int(item["quantity"] or 0)
        order_id = str(item["order_id"])
        carrier = FBA_CARRIER if item["fba"] else context.carrier(order_id)
        for counter, units, key in (
            (by_asin, units_asin, _text(item["asin"])),
            (by_reason, units_reason, _text(item["reason"])),
            (by_carrier, units_carrier, carrier),
        ):
            counter[key] += 1
            units[key] += quantity

    feedback_asin, feedback_reason, feedback_carrier = (
        Counter[str](),
        Counter[str](),
        Counter[str](),
    )
    for item in complaints:
        order_id = str(item["order_id"])
        for asin in context.asins.get(order_id) or [UNKNOWN]:
            feedback_asin[asin] += 1
        feedback_reason[context.reason(order_id)] += 1
        feedback_carrier[context.carrier(order_id)] += 1

    groups = {
        "returns_by_asin": _groups(by_asin, units_asin),
        "returns_by_reason": _groups(by_reason, units_reason),
        "returns_by_carrier": _groups(by_carrier, units_carrier),
        "negative_feedback_by_asin": _groups(feedback_asin),
        "negative_feedback_by_reason": _groups(feedback_reason),
        "negative_feedback_by_carrier": _groups(feedback_carrier),
    }
    causes = [
        {"source": "returns", "key": g["key"], "count": g["count"]}
        for g in groups["returns_by_reason"]
    ] + [
        {"source": "negative_feedback", "key": g["key"], "count": g["count"]}
        for g in groups["negative_feedback_by_reason"]
        if g["key"] != NO_RECORD
    ]
    causes.sort(key=lambda c: (-c["count"], c["source"], c["key"]))
    notes = [
        "Negative feedback reasons are read from the order's other records (returns, claims, "
        "shipments); the feedback report itself gives none."
    ]
    missing = [
        n for n in ("returns_mfn", "returns_fba", "feedback", "shipments") if n not in run.imported
    ]
    if missing:
        notes.append(f"Not imported: {', '.join(missing)}; their part of the review is empty.")
    return {
        "month": month,
        "totals": {
            "returns": len(returns),
            "returned_units": sum(int(r["quantity"] or 0) for r in returns),
            "negative_feedback": len(complaints),
        },
        "groups": groups,
        "top_causes": causes[:TOP_CAUSES],
        "notes": notes,
    }


class _OrderContext:
    """What the other reports say about a few orders: marketplace, ASINs, carrier, problems."""

    def __init__(self) -> None:
        self.marketplace: dict[str, str] = {}
        self.channel: dict[str, str] = {}
        self.asins: dict[str, list[str]] = defaultdict(list)
        self.carriers: dict[str, str] = {}
        self.problems: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def load(cls, run: Queries, dates: Sequence[date]) -> _OrderContext:
        """The records of the orders the month's returns and negative feedback name.

        ``dates``: the month's first and last day, and the first day of the next month.
        """
        context = cls()
        # The ids' query changes shape with the reports present: part of every key below.
        sources = tuple(name for name in _MONTH_SOURCES if name in run.imported)

        def key(name: str) -> tuple[str, ...]:
            return ("review", "context", name, *sources)

        if "orders" in run.imported:
            lines = run.records(key("orders"), dates, _order_lines)
            for row in sorted(lines, key=lambda r: (r["order_id"], _text(r["asin"]))):
                order_id = row["order_id"]
                context.marketplace.setdefault(order_id, _text(row["marketplace"]))
                context.channel.setdefault(order_id, _text(row["channel"]))
                asin = _text(row["asin"])
                if asin not in context.asins[order_id]:
                    context.asins[order_id].append(asin)
        for name, column, _ in _RETURNS:
            if name not in run.imported:
                continue
            build = functools.partial(_returns_before, name=name, column=column)
            for row in run.records(key(name), dates, build):
                context.problems[row["order_id"]].append(f"returned: {_text(row['reason'])}")
        if "claims" in run.imported:
            for row in run.records(key("claims"), dates, _claims_of):
                context.problems[row["order_id"]].append(f"A-to-z claim: {_text(row['reason'])}")
        if "shipments" in run.imported:
            found = run.records(key("shipments"), dates, _shipments_of)
            for row in sorted(found, key=lambda r: (r["order_id"], _text(r["carrier"]))):
                order_id = row["order_id"]
                context.carriers.setdefault(order_id, _text(row["carrier"]))
                if row["late_shipped"]:
                    context.problems[order_id].append("shipped late")
                if row["late_delivered"]:
                    context.problems[order_id].append("delivered late")
        return context

    def carrier(self, order_id: str) -> str:
        """The outbound carrier of an order (Amazon for FBA orders, ``unknown`` if no record)."""
        if self.channel.get(order_id) == "afn":
            return FBA_CARRIER
        return self.carriers.get(order_id, UNKNOWN)

    def reason(self, order_id: str) -> str:
        """The first problem the other records show for an order, in a fixed order of kinds."""
        problems = sorted(set(self.problems.get(order_id, [])), key=_problem_rank)
        return problems[0] if problems else NO_RECORD


_PROBLEM_ORDER = ("A-to-z claim", "returned", "delivered late", "shipped late")


def _problem_rank(problem: str) -> tuple[int, str]:
    for rank, prefix in enumerate(_PROBLEM_ORDER):
        if problem.startswith(prefix):
            return (rank, problem)
    return (len(_PROBLEM_ORDER), problem)


def _month_order_ids(tables: Mapping[str, ir.Table], first: date, last: date) -> ir.Table:
    """The order ids of the month's returns and negative feedback, as an expression."""
    import ibis

    parts: list[ir.Table] = []
    for name, column in (("returns_mfn", "return_requested_on"), ("returns_fba", "return_date")):
        if name in tables:
            table = tables[name]
            parts.append(table.filter(table[column].between(first, last)).select("order_id"))
    if "feedback" in tables:
        feedback = tables["feedback"]
        parts.append(
            feedback.filter(
                feedback.feedback_date.between(first, last), feedback.rating.isin([1, 2])
            ).select("order_id")
        )
    return ibis.union(*parts, distinct=True) if len(parts) > 1 else parts[0].distinct()


def _wanted(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Column:
    first, last, _ = dates
    return _month_order_ids(tables, first, last).order_id


def _order_lines(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    orders = tables["orders"]
    return orders.filter(orders.order_id.isin(_wanted(tables, dates))).select(
        "order_id", "marketplace", "channel", "asin"
    )


def _returns_before(
    tables: Mapping[str, ir.Table], dates: Sequence[date], name: str, column: str
) -> ir.Table:
    """The returns of the month's orders up to the month's end, whatever month they came in."""
    table = tables[name]
    return table.filter(
        table.order_id.isin(_wanted(tables, dates)), table[column] < dates[2]
    ).select("order_id", "reason")


def _claims_of(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    claims = tables["claims"]
    return claims.filter(claims.order_id.isin(_wanted(tables, dates))).select("order_id", "reason")


def _shipments_of(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    shipments = tables["shipments"]
    late_shipped = shipments.ship_confirmed_at > shipments.expected_ship_at
    late_delivered = shipments.delivered_at.date() > shipments.promised_delivery_at.date()
    return shipments.filter(shipments.order_id.isin(_wanted(tables, dates))).select(
        "order_id",
        "carrier",
        late_shipped=late_shipped.fill_null(False),
        late_delivered=late_delivered.fill_null(False),
    )
