"""The monthly performance summary: sales, returns, refunds, feedback, claims, chargebacks.

Per calendar month (UTC) and marketplace, like Amazon's Performance Summary page. The figures come
from three grouped ibis queries (orders and units, sales, then every other report at once); a
figure whose report was never imported is ``null`` (unknown), never 0. Orders of Non-Amazon (MCF)
sales channels are left out, as in every metric. A return, feedback, claim or chargeback goes to
the marketplace of its order (to the account's only marketplace, or to ``null``, when the order is
not in the data) and to the month of its own date. Nothing dated after D is counted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from goodstanding.errors import DataError
from goodstanding.metrics.definitions import NON_AMAZON
from goodstanding.metrics.odr import counting_chargebacks, counting_claims
from goodstanding.metrics.orders import amazon_lines
from goodstanding.metrics.queries import queries
from goodstanding.sqlplans import SqlTables

if TYPE_CHECKING:
    import ibis.expr.types as ir

FEEDBACK_NOTE = (
    "No feedback rating is given: Amazon's feedback report lists only 1 to 3 star feedback, so "
    "the share of positive feedback cannot be computed from it."
)
REFUND_NOTE = (
    "Refunds are the amounts of the seller-fulfilled returns report, in the order's currency; "
    "Amazon-fulfilled returns carry no amount."
)
OPTIONAL_REPORTS = ("returns_mfn", "returns_fba", "feedback", "claims", "chargebacks")

Row = dict[str, Any]


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def months_back(as_of: date, months: int) -> list[str]:
    """The ``months`` calendar months ending with the month of ``as_of``, oldest first."""
    year, month = as_of.year, as_of.month
    keys = []
    for _ in range(months):
        keys.append(_month_key(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def _owners(orders: ir.Table, ids: ir.Column) -> ir.Table:
    named = orders.filter(orders.order_id.isin(ids))
    return named.group_by("order_id").aggregate(
        owner=named.marketplace.min(), owner_currency=named.currency.min()
    )


EVENT_FIGURES: dict[str, str] = {
    "count": "int64",
    "units": "int64",
    "refunded": "float64",
    "negative": "int64",
    "neutral": "int64",
    "counting": "int64",
}
"""What each dated row of a returns, feedback, claims or chargebacks report adds to its month."""


def _event_rows(name: str, table: ir.Table, start: date, as_of: date) -> ir.Table:
    """The rows of ``table`` dated in [start, D]: kind, date, order id and their figures."""
    import ibis

    values: dict[str, ir.Value]
    if name == "returns_mfn":
        when = table.return_requested_on
        values = {"units": table.quantity, "refunded": table.refunded_amount}
    elif name == "returns_fba":
        when = table.return_date
        values = {"units": table.quantity}
    elif name == "feedback":
        when = table.feedback_date
        values = {"negative": table.rating.isin([1, 2]), "neutral": table.rating == 3}
    elif name == "claims":
        when = table.filed_at.date()
        values = {"counting": counting_claims(table)}
    elif name == "chargebacks":
        when = table.filed_at.date()
        values = {"counting": counting_chargebacks(table)}
    else:
        raise ValueError(f"not an event report: {name!r}")
    figures = {
        figure: (values[figure] if figure in values else ibis.null()).cast(dtype)
        for figure, dtype in EVENT_FIGURES.items()
        if figure != "count"
    }
    rows = table.select(
        kind=ibis.literal(name),
        when=when,
        order_id=table.order_id,
        count=ibis.literal(1, type="int64"),
        **figures,
    )
    return rows.filter(rows.when.between(start, as_of))


def _events(
    tables: Mapping[str, ir.Table], dates: Sequence[date], kinds: Sequence[str]
) -> ir.Table:
    """Every event report's figures per kind, month, owning marketplace and currency.

    One query for all of them: the orders are searched once for the owners of every event.
    """
    import ibis

    start, as_of = dates
    parts = [_event_rows(name, tables[name], start, as_of) for name in kinds]
    events = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    owners = _owners(tables["orders"], events.order_id)
    joined = events.left_join(owners, events.order_id == owners.order_id)
    keyed = joined.mutate(year=joined.when.year(), month=joined.when.month())
    return keyed.group_by("kind", "year", "month", "owner", "owner_currency").aggregate(
        **{figure: keyed[figure].sum() for figure in EVENT_FIGURES}
    )


def _last_order_dates(tables: Mapping[str, ir.Table], _: Sequence[date]) -> ir.Table:
    lines = amazon_lines(tables["orders"])
    return lines.group_by("marketplace").aggregate(last=lines.order_date.max())


def _window(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    """The Amazon order lines dated in [start, D], with their month and what they count for."""
    start, day = dates
    lines = amazon_lines(tables["orders"])
    window = lines.filter(lines.order_date.between(start, day))
    status = window.order_status.lower().fill_null("")
    live = (status != "cancelled") & (window.item_status.lower().fill_null("") != "cancelled")
    return window.mutate(
        year=window.order_date.year(),
        month=window.order_date.month(),
        live=live,
        cancelled_order=status == "cancelled",
    )


def _orders_and_units(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    window = _window(tables, dates)
    # Orders counted as groups, not as distinct ids: engines group in parallel far faster.
    per_order = window.group_by("year", "month", "marketplace", "order_id").aggregate(
        cancelled=window.cancelled_order.any(), units=window.quantity.sum(where=window.live)
    )
    return per_order.group_by("year", "month", "marketplace").aggregate(
        orders=per_order.count(),
        cancelled_orders=per_order.cancelled.sum(),
        units=per_order.units.sum(),
    )


def _sales(tables: Mapping[str, ir.Table], dates: Sequence[date]) -> ir.Table:
    window = _window(tables, dates)
    priced = window.filter(window.live, window.item_price.notnull(), window.currency.notnull())
    return priced.group_by("year", "month", "marketplace", "currency").aggregate(
        amount=priced.item_price.sum()
    )


def _empty_row(month: str, marketplace: str | None, imported: frozenset[str]) -> Row:
    def known(name: str) -> int | None:
        return 0 if name in imported else None

    has_returns = bool({"returns_mfn", "returns_fba"} & imported)
    return {
        "month": month,
        "marketplace": marketplace,
        "orders": 0,
        "cancelled_orders": 0,
        "units": 0,
        "sales": {},
        "returns": 0 if has_returns else None,
        "returns_detail": {
            "mfn_count": known("returns_mfn"),
            "mfn_units": known("returns_mfn"),
            "fba_count": known("returns_fba"),
            "fba_units": known("returns_fba"),
        },
        "refunds": None,
        "negative_feedback": known("feedback"),
        "neutral_feedback": known("feedback"),
        "a_to_z_claims": known("claims"),
        "a_to_z_claims_counting": known("claims"),
        "chargebacks": known("chargebacks"),
        "chargebacks_counting": known("chargebacks"),
    }


class _Rows:
    """The summary rows, created on first use, keyed by (month, marketplace)."""

    def __init__(self, imported: frozenset[str], fallback: str | None) -> None:
        self.imported = imported
        self.fallback = fallback
        self.rows: dict[tuple[str, str | None], Row] = {}

    def get(self, month: str, marketplace: str | None) -> Row:
        key = (month, marketplace)
        if key not in self.rows:
            self.rows[key] = _empty_row(month, marketplace, self.imported)
        return self.rows[key]

    def add(self, found: list[Row], fill: Callable[[Row, Row], None]) -> None:
        for item in found:
            owner = item["owner"]
            if owner == NON_AMAZON:
                continue
            marketplace = str(owner) if owner is not None else self.fallback
            fill(self.get(_month_key(item["year"], item["month"]), marketplace), item)

    def ordered(self) -> list[Row]:
        keys = sorted(self.rows, key=lambda k: (k[0], k[1] is None, k[1] or ""))
        return [self.rows[key] for key in keys]


def _fill_returns_mfn(target: Row, item: Row) -> None:
    detail = target["returns_detail"]
    detail["mfn_count"] += item["count"]
    detail["mfn_units"] += item["units"] or 0
    target["returns"] += item["units"] or 0
    if item["refunded"] is not None:
        refunds = target["refunds"] if target["refunds"] is not None else {}
        currency = item["owner_currency"] or "unknown"
        refunds[currency] = round(refunds.get(currency, 0.0) + item["refunded"], 2)
        target["refunds"] = dict(sorted(refunds.items()))


def _fill_returns_fba(target: Row, item: Row) -> None:
    detail = target["returns_detail"]
    detail["fba_count"] += item["count"]
    detail["fba_units"] += item["units"] or 0
    target["returns"] += item["units"] or 0


def _fill_feedback(target: Row, item: Row) -> None:
    target["negative_feedback"] += item["negative"] or 0
    target["neutral_feedback"] += item["neutral"] or 0


def _fill_claims(target: Row, item: Row) -> None:
    target["a_to_z_claims"] += item["count"]
    target["a_to_z_claims_counting"] += item["counting"] or 0


def _fill_chargebacks(target: Row, item: Row) -> None:
    target["chargebacks"] += item["count"]
    target["chargebacks_counting"] += item["counting"] or 0


_FILLS: dict[str, Callable[[Row, Row], None]] = {
    "returns_mfn": _fill_returns_mfn,
    "returns_fba": _fill_returns_fba,
    "feedback": _fill_feedback,
    "claims": _fill_claims,
    "chargebacks": _fill_chargebacks,
}
"""How each event report's monthly figures add to a summary row, in report order."""


def compute_summary(
    tables: Mapping[str, ir.Table] | SqlTables, *, months: int = 12, as_of: date | None = None
) -> dict[str, Any]:
    """The monthly performance summary over the last ``months`` months up to D.

    Args:
        tables: current canonical tables by report type, or the warehouse's kept-SQL views.
        months: how many calendar months, the month of D included.
        as_of: the date D; default the latest order date.

    Returns:
        ``{"as_of", "months_covered", "marketplaces", "months": [row, ...], "notes"}``. A row holds
        month, marketplace, orders (all, cancelled included), cancelled_orders, units and sales by
        currency (lines not cancelled), returns (units, seller- and Amazon-fulfilled), the detail
        of returns, refunds by currency (``null`` when unknown), negative (1–2 stars) and neutral
        (3 stars) feedback, A-to-z claims filed and those counting toward ODR, chargebacks filed and
        those counting. A figure whose report was never imported is ``null``.

    Raises:
        DataError: no orders report, no Amazon order in it, or fewer than one month asked for.
    """
    if months < 1:
        raise DataError(f"Cannot summarise {months} months.", hint="Ask for at least one month.")
    run = queries(tables)
    imported = run.imported
    if "orders" not in imported:
        raise DataError(
            "No orders report imported, so there is nothing to summarise.",
            hint="Import Amazon's all-orders report first.",
        )
    found = run.records(("summary", "last_order_dates"), [], _last_order_dates)
    last_dates = {r["marketplace"]: r["last"] for r in found}
    if not last_dates:
        raise DataError(
            "The orders report holds no order from an Amazon marketplace.",
            hint="Import Amazon orders; Non-Amazon (MCF) orders are not summarised.",
        )
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    day = as_of or max(last_dates.values())
    covered = months_back(day, months)
    start = date(int(covered[0][:4]), int(covered[0][5:]), 1)
    marketplaces = sorted(last_dates)
    rows = _Rows(imported, marketplaces[0] if len(marketplaces) == 1 else None)
    for month in covered:
        for marketplace in marketplaces:
            rows.get(month, marketplace)

    for item in run.records(("summary", "orders_and_units"), [start, day], _orders_and_units):
        target = rows.get(_month_key(item["year"], item["month"]), item["marketplace"])
        target.update(
            orders=item["orders"],
            cancelled_orders=item["cancelled_orders"],
            units=item["units"] or 0,
        )
    for item in run.records(("summary", "sales"), [start, day], _sales):
        target = rows.get(_month_key(item["year"], item["month"]), item["marketplace"])
        target["sales"][item["currency"]] = round(item["amount"], 2)
        target["sales"] = dict(sorted(target["sales"].items()))

    kinds = [name for name in _FILLS if name in imported]
    if kinds:
        events = run.records(
            ("summary", "events", *kinds),
            [start, day],
            lambda t, dates: _events(t, dates, kinds),
        )
        for name in kinds:
            rows.add([item for item in events if item["kind"] == name], _FILLS[name])

    notes = [FEEDBACK_NOTE]
    if "returns_mfn" in imported:
        notes.append(REFUND_NOTE)
    missing = [name for name in OPTIONAL_REPORTS if name not in imported]
    if missing:
        notes.append(f"Not imported, so shown as unknown: {', '.join(missing)}.")
    return {
        "as_of": day.isoformat(),
        "months_covered": covered,
        "marketplaces": marketplaces,
        "months": rows.ordered(),
        "notes": notes,
    }
