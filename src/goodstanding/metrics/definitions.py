"""One declarative definition per account-health metric (metric-conventions.md §4 and §5).

A definition says which items a metric counts, how an item enters its window, the window's offsets
from the as-of date ``D``, the target and the report files it needs. The family modules (``odr``,
``fulfilment``, ``response``) turn a family of definitions into one ibis expression; ``status``
applies the exact rational comparisons of §5. Nothing here knows an engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Final, Literal

TargetOp = Literal["<", ">="]

STATUSES: Final = ("breach", "at_risk", "ok", "info", "no_data")
"""Every status a metric can have, worst first."""

CHANNEL_ORDER: Final = {"mfn": 0, "afn": 1, "all": 2}
"""Channels in the order the health JSON lists them (§6: mfn before afn)."""

NON_AMAZON: Final = "Non-Amazon"
"""The sales channel of multi-channel (MCF) orders, excluded from every metric (§2)."""


@dataclass(frozen=True)
class Target:
    """A metric's target: ``op`` is ``"<"`` or ``">="``, ``value`` an exact fraction."""

    op: TargetOp
    value: Fraction

    @property
    def at_risk_bound(self) -> Fraction:
        """The edge of the at-risk band (§5): 0.8·t for "<", t + 0.2·(1 − t) for ">="."""
        if self.op == "<":
            return Fraction(4, 5) * self.value
        return self.value + Fraction(1, 5) * (1 - self.value)

    def is_met(self, value: Fraction) -> bool:
        """Whether ``value`` meets the target (no breach), compared exactly."""
        return value < self.value if self.op == "<" else value >= self.value

    def is_safe(self, value: Fraction) -> bool:
        """Whether ``value`` is outside the at-risk band, i.e. status ``ok``."""
        bound = self.at_risk_bound
        return value < bound if self.op == "<" else value >= bound

    def to_json(self) -> dict[str, object]:
        """The target as the health JSON writes it (§6)."""
        return {"op": self.op, "value": float(self.value)}


@dataclass(frozen=True)
class MetricDefinition:
    """One metric of §4 at one window length.

    Attributes:
        id: the metric id of the health JSON.
        family: the query that computes it: ``order_defects``, ``cancellation``,
            ``late_shipment``, ``tracking`` or ``response``.
        channels: the channels it is reported for, in JSON order.
        window_days: days in the window (``end - start + 1``).
        start_offset: the window starts on ``D - start_offset``.
        end_offset: the window ends on ``D - end_offset`` (inclusive).
        unit: what numerator and denominator count (orders, shipments, messages).
        entry: what places an item in the window.
        numerator: the items the numerator counts.
        denominator: the items the denominator counts.
        target: the target, or ``None`` for an ODR component (status ``info``).
        inputs: the report types it needs besides ``orders``; all of them must be imported.
        defect_kinds: the defect kinds its ``defects`` list can carry.
        bad_is_numerator: ``True`` when the numerator counts bad items (a "<" rate); ``False``
            when it counts good ones (valid tracking, on-time delivery), whose defects are the
            denominator items left outside the numerator.
    """

    id: str
    family: str
    channels: tuple[str, ...]
    window_days: int
    start_offset: int
    end_offset: int
    unit: str
    entry: str
    numerator: str
    denominator: str
    target: Target | None
    inputs: tuple[str, ...]
    defect_kinds: tuple[str, ...]
    bad_is_numerator: bool = True

    def __post_init__(self) -> None:
        if self.start_offset - self.end_offset + 1 != self.window_days:
            raise ValueError(f"{self.id}: offsets do not span {self.window_days} days")

    def window(self, as_of: date) -> tuple[date, date]:
        """The first and last UTC date of the window for as-of date ``as_of`` (inclusive)."""
        return as_of - timedelta(days=self.start_offset), as_of - timedelta(days=self.end_offset)

    def leaves_window_on(self, entry: date) -> date:
        """The first as-of date on which an item that entered on ``entry`` is outside the window."""
        return entry + timedelta(days=self.start_offset + 1)


def _rate(percent: str) -> Fraction:
    return Fraction(percent) / 100


_BOTH: Final = ("mfn", "afn")


def _order_defects(
    metric_id: str,
    numerator: str,
    target: Target | None,
    inputs: tuple[str, ...],
    kinds: tuple[str, ...],
) -> MetricDefinition:
    # ODR and its components share the 60-day window [D−74, D−15] and the denominator.
    return MetricDefinition(
        id=metric_id,
        family="order_defects",
        channels=_BOTH,
        window_days=60,
        start_offset=74,
        end_offset=15,
        unit="orders",
        entry="order date (UTC)",
        numerator=numerator,
        denominator="non-cancelled orders",
        target=target,
        inputs=inputs,
        defect_kinds=kinds,
    )


METRICS: tuple[MetricDefinition, ...] = (
    _order_defects(
        "order_defect_rate",
        "orders with at least one defect: negative feedback, counting A-to-z claim, "
        "counting chargeback",
        Target("<", _rate("1")),
        ("feedback", "claims", "chargebacks"),
        ("negative_feedback", "a_to_z_claim", "chargeback"),
    ),
    _order_defects(
        "negative_feedback_rate",
        "orders with seller feedback rated 1 or 2",
        None,
        ("feedback",),
        ("negative_feedback",),
    ),
    _order_defects(
        "a_to_z_claim_rate",
        "orders with at least one counting A-to-z claim",
        None,
        ("claims",),
        ("a_to_z_claim",),
    ),
    _order_defects(
        "chargeback_rate",
        "orders with at least one counting (service) chargeback",
        None,
        ("chargebacks",),
        ("chargeback",),
    ),
    *(
        MetricDefinition(
            id="late_shipment_rate",
            family="late_shipment",
            channels=("mfn",),
            window_days=days,
            start_offset=days - 1,
            end_offset=0,
            unit="orders",
            entry="the order's earliest expected-ship date (UTC)",
            numerator="orders with a shipment confirmed after its expected-ship time, or still "
            "unconfirmed with an expected-ship time before D 00:00 UTC",
            denominator="non-cancelled orders with a shipments row",
            target=Target("<", _rate("4")),
            inputs=("shipments",),
            defect_kinds=("late_shipment",),
        )
        for days in (10, 30)
    ),
    MetricDefinition(
        id="pre_fulfillment_cancel_rate",
        family="cancellation",
        channels=("mfn",),
        window_days=7,
        start_offset=7,
        end_offset=1,
        unit="orders",
        entry="order date (UTC)",
        numerator="orders listed in the cancellations file with Impacts Account Health = Yes",
        denominator="seller-fulfilled orders, cancelled ones included",
        target=Target("<", _rate("2.5")),
        inputs=("cancellations",),
        defect_kinds=("cancellation",),
    ),
    MetricDefinition(
        id="valid_tracking_rate",
        family="tracking",
        channels=("mfn",),
        window_days=30,
        start_offset=39,
        end_offset=10,
        unit="shipments",
        entry="promised-delivery date (UTC)",
        numerator="confirmed shipments with a tracking id and a first carrier scan",
        denominator="confirmed shipments",
        target=Target(">=", _rate("95")),
        inputs=("shipments",),
        defect_kinds=("invalid_tracking",),
        bad_is_numerator=False,
    ),
    MetricDefinition(
        id="on_time_delivery_rate",
        family="tracking",
        channels=("mfn",),
        window_days=30,
        start_offset=39,
        end_offset=10,
        unit="shipments",
        entry="promised-delivery date (UTC)",
        numerator="shipments delivered on or before their promised-delivery date (UTC)",
        denominator="shipments with a tracking id",
        target=Target(">=", _rate("90")),
        inputs=("shipments",),
        defect_kinds=("late_delivery",),
        bad_is_numerator=False,
    ),
    *(
        MetricDefinition(
            id="late_response_rate",
            family="response",
            channels=("all",),
            window_days=days,
            start_offset=days - 1,
            end_offset=0,
            unit="messages",
            entry="received-at date (UTC)",
            numerator="messages answered more than 24 h after receipt, or unanswered and "
            "received more than 24 h before the end of D",
            denominator="buyer messages not marked no-response-needed",
            target=Target("<", _rate("10")),
            inputs=("messages",),
            defect_kinds=("late_response",),
        )
        for days in (7, 30, 90)
    ),
)
"""Every metric goodstanding computes, in the order of the §4 table (the health JSON's order)."""

METRIC_ORDER: Final = {
    metric_id: position for position, metric_id in enumerate(dict.fromkeys(d.id for d in METRICS))
}
"""Position of each metric id in the §4 table."""


def definitions_of(family: str) -> tuple[MetricDefinition, ...]:
    """The definitions computed by one family query, in JSON order."""
    return tuple(d for d in METRICS if d.family == family)


def metric_sort_key(
    metric_id: str, channel: str | None, window_days: int | None
) -> tuple[int, ...]:
    """Sort key putting metrics in §4 order, mfn before afn, shorter windows first."""
    return (
        METRIC_ORDER.get(metric_id, len(METRIC_ORDER)),
        CHANNEL_ORDER.get(channel or "", len(CHANNEL_ORDER)),
        window_days or 0,
    )
