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

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from goodstanding.errors import DataError, InputError
from goodstanding.metrics.definitions import NON_AMAZON
from goodstanding.metrics.orders import fetch

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


def _rows(table: ir.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = fetch(table).to_pylist()
    return rows


def _text(value: object, default: str = UNKNOWN) -> str:
    if value is None or not str(value).strip():
        return default
    return str(value).strip()


def compute_review(tables: Mapping[str, ir.Table], *, month: str) -> dict[str, Any]:
    """The monthly review: returns and negative feedback by ASIN, reason and carrier.

    Args:
        tables: current canonical tables by report type.
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
    if not {"returns_mfn", "returns_fba", "feedback"} & set(tables):
        raise DataError(
            "There is nothing to review: no returns or feedback report imported.",
            hint="Import the returns reports and the feedback report.",
        )
    returns: list[dict[str, Any]] = []
    if "returns_mfn" in tables:
        mfn = tables["returns_mfn"]
        for row in _rows(
            mfn.filter(mfn.return_requested_on.between(first, last)).select(
                "order_id", "asin", "reason", "quantity"
            )
        ):
            returns.append({**row, "fba": False})
    if "returns_fba" in tables:
        fba = tables["returns_fba"]
        for row in _rows(
            fba.filter(fba.return_date.between(first, last)).select(
                "order_id", "asin", "reason", "quantity"
            )
        ):
            returns.append({**row, "fba": True})
    complaints: list[dict[str, Any]] = []
    if "feedback" in tables:
        feedback = tables["feedback"]
        complaints = _rows(
            feedback.filter(
                feedback.feedback_date.between(first, last), feedback.rating.isin([1, 2])
            ).select("order_id", "rating")
        )
    context = _OrderContext.load(tables, _month_order_ids(tables, first, last), month_end=following)
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
        n for n in ("returns_mfn", "returns_fba", "feedback", "shipments") if n not in tables
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
    def load(
        cls, tables: Mapping[str, ir.Table], ids: ir.Table, *, month_end: date
    ) -> _OrderContext:
        context = cls()
        wanted = ids.order_id
        if "orders" in tables:
            orders = tables["orders"]
            lines = orders.filter(orders.order_id.isin(wanted)).select(
                "order_id", "marketplace", "channel", "asin"
            )
            for row in sorted(_rows(lines), key=lambda r: (r["order_id"], _text(r["asin"]))):
                order_id = row["order_id"]
                context.marketplace.setdefault(order_id, _text(row["marketplace"]))
                context.channel.setdefault(order_id, _text(row["channel"]))
                asin = _text(row["asin"])
                if asin not in context.asins[order_id]:
                    context.asins[order_id].append(asin)
        if "returns_mfn" in tables or "returns_fba" in tables:
            for name, date_column in (
                ("returns_mfn", "return_requested_on"),
                ("returns_fba", "return_date"),
            ):
                if name not in tables:
                    continue
                table = tables[name]
                found = table.filter(
                    table.order_id.isin(wanted), table[date_column] < month_end
                ).select("order_id", "reason")
                for row in _rows(found):
                    context.problems[row["order_id"]].append(f"returned: {_text(row['reason'])}")
        if "claims" in tables:
            claims = tables["claims"]
            found = claims.filter(claims.order_id.isin(wanted)).select("order_id", "reason")
            for row in _rows(found):
                context.problems[row["order_id"]].append(f"A-to-z claim: {_text(row['reason'])}")
        if "shipments" in tables:
            shipments = tables["shipments"]
            late_shipped = shipments.ship_confirmed_at > shipments.expected_ship_at
            late_delivered = shipments.delivered_at.date() > shipments.promised_delivery_at.date()
            found = shipments.filter(shipments.order_id.isin(wanted)).select(
                "order_id",
                "carrier",
                late_shipped=late_shipped.fill_null(False),
                late_delivered=late_delivered.fill_null(False),
            )
            for row in sorted(_rows(found), key=lambda r: (r["order_id"], _text(r["carrier"]))):
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
