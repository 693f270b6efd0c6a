"""Status, recovery and projections, in exact rational arithmetic (metric-conventions.md §5).

Every comparison with a target or an at-risk band is done on :class:`fractions.Fraction` built from
the integer numerator and denominator, never on floats: 1/50 against a 2.5 % target is exactly
0.8·t, hence ``at_risk``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from fractions import Fraction
from operator import attrgetter

from goodstanding.metrics.definitions import Target
from goodstanding.metrics.results import MetricResult


def metric_status(target: Target | None, numerator: int, denominator: int) -> str:
    """``breach``, ``at_risk``, ``ok``, ``info`` (no target) or ``no_data`` (denominator 0), §5."""
    if denominator == 0:
        return "no_data"
    if target is None:
        return "info"
    value = Fraction(numerator, denominator)
    if not target.is_met(value):
        return "breach"
    if not target.is_safe(value):
        return "at_risk"
    return "ok"


def clean_orders_needed(
    target: Target | None, status: str, numerator: int, denominator: int
) -> int | None:
    """The least n ≥ 0 with numerator / (denominator + n) below the bound that ends ``status``.

    The bound is the target t for a breach and 0.8·t for at-risk (§5); 0 when ok; ``None`` for a
    ">=" target, a component without target and no data.
    """
    if target is None or target.op != "<" or status in {"no_data", "info"}:
        return None
    if status == "ok":
        return 0
    bound = target.value if status == "breach" else target.at_risk_bound
    # numerator / (denominator + n) < bound  ⇔  n > numerator / bound − denominator
    edge = Fraction(numerator) / bound - denominator
    return 0 if edge < 0 else math.floor(edge) + 1


def _bad_by_entry(result: MetricResult) -> Counter[date]:
    return Counter(defect.entry_date for defect in result.defects)


def project(
    result: MetricResult, *, new_bad_per_day: Fraction = Fraction(0)
) -> Iterator[tuple[date, Fraction]]:
    """Project the metric's value over the next ``window_days`` as-of dates.

    Items already counted leave on the day their entry date falls out of the window; new items enter
    at the window's average daily rate (denominator / window days), of which ``new_bad_per_day`` are
    bad. Yields (as-of date, value) for D+1 … D+window_days; nothing when the denominator is 0.
    """
    definition = result.definition
    if result.denominator == 0:
        return
    days = definition.window_days
    rate = Fraction(result.denominator, days)
    start, _ = result.window
    bad = _bad_by_entry(result)
    for step in range(1, days + 1):
        first_kept = start + timedelta(days=step)
        kept = sum(count for day, count in result.daily.items() if day >= first_kept)
        kept_bad = sum(count for day, count in bad.items() if day >= first_kept)
        denominator = kept + rate * step
        bad_count = kept_bad + new_bad_per_day * step
        if denominator == 0:
            continue
        share_bad = bad_count / denominator
        value = share_bad if definition.bad_is_numerator else 1 - share_bad
        yield result.as_of + timedelta(days=step), value


def expected_ok_date(result: MetricResult, status: str) -> date | None:
    """First as-of date ending ``status`` if no new defect arrives (an estimate, §5).

    For a breach, the first date the target is met; for at-risk, the first date the value leaves the
    at-risk band; ``None`` otherwise.
    """
    target = result.definition.target
    if target is None or status not in {"breach", "at_risk"}:
        return None
    done = target.is_met if status == "breach" else target.is_safe
    for day, value in project(result):
        if done(value):
            return day
    return None


def recovery(result: MetricResult, status: str) -> dict[str, object]:
    """The ``recovery`` object of one metric (§5).

    ``result.defects`` are in :meth:`~goodstanding.metrics.results.Defect.sort_key` order, as
    :func:`~goodstanding.metrics.health.evaluate` leaves them.
    """
    target = result.definition.target
    # §5 "for each defect, the first as-of date on which its order is outside the window": every
    # defect of every metric, whatever its status (the §6 example's lists are abridged).
    ageing: list[dict[str, object]] = []
    leaves = {
        day: result.definition.leaves_window_on(day).isoformat()
        for day in {defect.entry_date for defect in result.defects}
    }
    # By leaving date, then in the list's own order: the leaving date grows with the entry date,
    # and a stable sort keeps the sort-key order among defects entering on the same day.
    for defect in sorted(result.defects, key=attrgetter("entry_date")):
        entry: dict[str, object] = {
            "order_id": defect.order_id,
            "date": leaves[defect.entry_date],
        }
        if defect.item == "message":
            entry["message_id"] = defect.message_id
        elif defect.item == "shipment":
            entry["tracking_id"] = defect.tracking_id
        ageing.append(entry)
    ok_date = expected_ok_date(result, status)
    return {
        "clean_orders_needed": clean_orders_needed(
            target, status, result.numerator, result.denominator
        ),
        "defects_ageing_out": ageing,
        "expected_ok_date": ok_date.isoformat() if ok_date else None,
    }
