"""Breach forecast: which at-risk metrics will breach at the current daily defect rate, and when.

For each at-risk metric the projection of :func:`goodstanding.metrics.status.project` runs with
new items entering at the window's average daily rate, of which the *current* daily defect rate are
bad: the bad items per day over the last days of the window (a week by default, the whole window
when it is shorter). Items already counted leave the window on their own dates. The breach date is
the first as-of date on which the projected value misses the target, within one window length. Like
every projection it is an estimate: it says what happens if the recent pace holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from goodstanding.metrics.definitions import metric_sort_key
from goodstanding.metrics.health import evaluate
from goodstanding.metrics.results import HealthEvaluation, MetricResult
from goodstanding.metrics.status import metric_status, project

if TYPE_CHECKING:
    import ibis.expr.types as ir

RECENT_DAYS = 7
"""How many of the window's last days set the current defect rate."""


def current_defect_rate(result: MetricResult, *, recent_days: int = RECENT_DAYS) -> Fraction:
    """Bad items per day over the last ``recent_days`` days of the window (exact)."""
    span = min(recent_days, result.definition.window_days)
    _, end = result.window
    first = end - timedelta(days=span - 1)
    recent = sum(1 for defect in result.defects if defect.entry_date >= first)
    return Fraction(recent, span)


def breach_date(result: MetricResult, *, recent_days: int = RECENT_DAYS) -> date | None:
    """The first as-of date the metric misses its target at the current defect rate, if any."""
    target = result.definition.target
    if target is None or result.denominator == 0:
        return None
    rate = current_defect_rate(result, recent_days=recent_days)
    for day, value in project(result, new_bad_per_day=rate):
        if not target.is_met(value):
            return day
    return None


def forecast_breaches(
    evaluation: HealthEvaluation, *, recent_days: int = RECENT_DAYS
) -> list[dict[str, Any]]:
    """One entry per at-risk metric: will it breach at the current pace, and on which date.

    Entries are sorted soonest breach first, then by marketplace and metric order.
    """
    entries: list[dict[str, Any]] = []
    for result in evaluation.results:
        definition = result.definition
        status = metric_status(definition.target, result.numerator, result.denominator)
        if status != "at_risk":
            continue
        when = breach_date(result, recent_days=recent_days)
        rate = current_defect_rate(result, recent_days=recent_days)
        entries.append(
            {
                "marketplace": result.marketplace,
                "id": definition.id,
                "channel": result.channel,
                "window_days": definition.window_days,
                "status": status,
                "value": result.numerator / result.denominator,
                "daily_defect_rate": float(rate),
                "daily_rate": result.denominator / definition.window_days,
                "will_breach": when is not None,
                "breach_date": when.isoformat() if when else None,
            }
        )
    entries.sort(
        key=lambda e: (
            e["breach_date"] is None,
            e["breach_date"] or "",
            e["marketplace"],
            *metric_sort_key(e["id"], e["channel"], e["window_days"]),
        )
    )
    return entries


def compute_forecast(
    tables: Mapping[str, ir.Table],
    *,
    account: str,
    as_of: date | None = None,
    marketplace: str | None = None,
    recent_days: int = RECENT_DAYS,
) -> dict[str, Any]:
    """The breach forecast of an account as a plain dict: ``{"account", "as_of", "forecast"}``.

    Raises:
        DataError: as :func:`goodstanding.metrics.health.evaluate`.
    """
    evaluation = evaluate(tables, account=account, as_of=as_of, marketplace=marketplace)
    return {
        "account": account,
        "as_of": evaluation.as_of.isoformat(),
        "recent_days": recent_days,
        "forecast": forecast_breaches(evaluation, recent_days=recent_days),
    }
