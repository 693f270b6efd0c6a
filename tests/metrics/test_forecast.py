"""Breach forecast: at-risk metrics projected at the current daily defect rate."""

from __future__ import annotations

from typing import Any

from goodstanding.metrics import compute_forecast

from .builders import D, Row, at, days_before, memtables, order, shipment


def shipping_account(late_days: set[int]) -> dict[str, Any]:
    """Four mfn orders a day expected over [10-21, 11-19]; one late order on each ``late_days``."""
    orders: list[Row] = []
    shipments: list[Row] = []
    for days in range(30):
        for number in range(4):
            order_id = f"d{days}-{number}"
            orders += order(order_id, days_before(days + 1))
            late = number == 0 and days in late_days
            shipments.append(
                shipment(
                    order_id, at(days_before(days), 10), at(days_before(days), 12 if late else 8)
                )
            )
    return memtables(orders=orders, shipments=shipments)


def test_at_risk_metric_with_recent_defects_breaches_on_computed_date() -> None:
    # 30-day late shipment: 4 late of 120 (3.3 %: at risk), all in the last week (11-15…11-18),
    # so the current pace is 4/7 late orders a day while 4 orders a day enter and leave.
    # D+1: (4 + 4/7) / 120 = 3.8 %; D+2: (4 + 8/7) / 120 = 4.3 % ≥ 4 %: breach on 11-21.
    forecast = compute_forecast(shipping_account({1, 2, 3, 4}), account="acme", as_of=D)
    assert forecast["as_of"] == "2020-11-19"
    (entry,) = forecast["forecast"]  # the 10-day rate (4 of 40) is already in breach
    assert entry["id"] == "late_shipment_rate"
    assert entry["window_days"] == 30
    assert entry["status"] == "at_risk"
    assert entry["daily_defect_rate"] == 4 / 7
    assert entry["daily_rate"] == 4.0
    assert entry["will_breach"] is True
    assert entry["breach_date"] == "2020-11-21"


def test_at_risk_metric_without_recent_defects_does_not_breach() -> None:
    # The four late orders are a month old: no late order in the last week, the rate only falls.
    forecast = compute_forecast(shipping_account({25, 26, 27, 28}), account="acme", as_of=D)
    (entry,) = forecast["forecast"]
    assert entry["daily_defect_rate"] == 0.0
    assert entry["will_breach"] is False
    assert entry["breach_date"] is None
