"""What a family query hands back: one :class:`MetricResult` per metric, marketplace and channel.

A result keeps the counts and, for recovery and forecasts, the denominator per entry date and every
defect with the date it entered the window. Everything is plain Python: the ibis work is done by
then, and the amount of data here is proportional to the number of days and defects, not of orders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import NamedTuple

from goodstanding.metrics.definitions import MetricDefinition


class Defect(NamedTuple):
    """One item counted against a metric.

    Attributes:
        order_id: the order; ``None`` only for a message naming no order.
        order_date: the order's UTC order date; ``None`` when the order is not in the data.
        entry_date: the date that placed the item in the window (order date, expected-ship date,
            promised-delivery date or received-at date, per the metric's definition).
        kinds: the defect kinds, in the order of the definition.
        item: what the metric counts: ``order``, ``shipment`` (one shipments row) or ``message``.
        message_id: the buyer message, for response metrics.
        tracking_id: the shipment's tracking id (may be blank), for tracking and delivery metrics.
    """

    order_id: str | None
    order_date: date | None
    entry_date: date
    kinds: tuple[str, ...]
    item: str = "order"
    message_id: str | None = None
    tracking_id: str | None = None

    def sort_key(self) -> tuple[date, str, str, date]:
        """Order date, order id, tracking id, promised date (messages: received date, order id,
        message id).

        Two defects with the same key have the same JSON, so the order never depends on the order
        the backend returned rows in (one order's shipments may share a blank tracking id).
        """
        if self.item == "message":
            return (self.entry_date, self.order_id or "", self.message_id or "", self.entry_date)
        return (
            self.order_date or self.entry_date,
            self.order_id or "",
            self.tracking_id or "",
            self.entry_date,
        )

    def to_json(self, iso: Callable[[date], str] = date.isoformat) -> dict[str, object]:
        """The defect as the health JSON lists it (§6), plus the item id for messages/shipments.

        ``iso`` writes a date; a caller writing many defects passes a memoised one.
        """
        out: dict[str, object] = {
            "order_id": self.order_id,
            "order_date": iso(self.order_date) if self.order_date else None,
            "kinds": list(self.kinds),
        }
        if self.item == "message":
            out["message_id"] = self.message_id
            out["received_date"] = iso(self.entry_date)
        elif self.item == "shipment":
            out["tracking_id"] = self.tracking_id
            out["promised_date"] = iso(self.entry_date)
        return out


@dataclass
class MetricResult:
    """The figures of one metric for one marketplace and channel as of one date.

    Attributes:
        definition: the metric.
        marketplace: the sales channel (``Amazon.com``...).
        channel: ``mfn``, ``afn`` or ``all``.
        as_of: the as-of date ``D``.
        numerator: the numerator count.
        denominator: the denominator count.
        daily: denominator items per entry date (dates inside the window only).
        defects: the bad items: the numerator's for a "<" metric, the denominator items outside
            the numerator for a ">=" one (valid tracking, on-time delivery).
    """

    definition: MetricDefinition
    marketplace: str
    channel: str
    as_of: date
    numerator: int = 0
    denominator: int = 0
    daily: Counter[date] = field(default_factory=Counter)
    defects: list[Defect] = field(default_factory=list)

    @property
    def window(self) -> tuple[date, date]:
        """First and last date of the window."""
        return self.definition.window(self.as_of)

    @property
    def rate(self) -> Fraction | None:
        """numerator / denominator, exactly; ``None`` when the denominator is 0."""
        if self.denominator == 0:
            return None
        return Fraction(self.numerator, self.denominator)

    @property
    def key(self) -> tuple[str, str, int]:
        """(metric id, channel, window days): what identifies the metric inside a marketplace."""
        return (self.definition.id, self.channel, self.definition.window_days)


@dataclass
class HealthEvaluation:
    """Everything the health JSON is made of, before it is written as a dict.

    Attributes:
        account: the account name.
        as_of: the as-of date D.
        marketplaces: the marketplaces reported, sorted (one when a marketplace was asked for).
        results: one result per marketplace, metric, channel and window.
        coverage: metrics that could not be computed, or only in part, and why.
        unmatched: defects whose order is not in the data.
        imported: the report types present in the tables.
        account_marketplaces: every marketplace with orders in the account, sorted.
        first_order_date: the earliest order date of the account (Amazon marketplaces).
        last_order_date: the latest order date of the account (Amazon marketplaces).
    """

    account: str
    as_of: date
    marketplaces: list[str]
    results: list[MetricResult]
    coverage: list[dict[str, object]] = field(default_factory=list)
    unmatched: list[dict[str, object]] = field(default_factory=list)
    imported: frozenset[str] = frozenset()
    account_marketplaces: list[str] = field(default_factory=list)
    first_order_date: date | None = None
    last_order_date: date | None = None
