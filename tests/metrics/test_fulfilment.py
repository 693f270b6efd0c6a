"""Late shipment, cancel rate, valid tracking and on-time delivery (metric-conventions §4).

D is 2020-11-19: late shipment windows [11-10, 11-19] and [10-21, 11-19], cancel rate
[11-12, 11-18], valid tracking and on-time delivery [10-11, 11-09] by promised-delivery date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .builders import (
    D,
    Row,
    at,
    cancellation,
    days_before,
    defect_ids,
    end_of_day,
    figures,
    health,
    memtables,
    metric,
    order,
    shipment,
)

# --- late shipment -------------------------------------------------------------------------


def clean_shipped(prefix: str, count: int, days: int) -> tuple[list[Row], list[Row]]:
    """``count`` mfn orders whose shipment was confirmed on time, expected ``days`` before D."""
    orders: list[Row] = []
    shipments: list[Row] = []
    for number in range(count):
        order_id = f"{prefix}-{number}"
        orders += order(order_id, days_before(days + 2))
        expected = at(days_before(days), 18)
        shipments.append(shipment(order_id, expected, expected - timedelta(hours=5)))
    return orders, shipments


@pytest.mark.parametrize(
    ("days", "in_10", "in_30"),
    [
        (30, False, False),  # one day before the 30-day window
        (29, False, True),  # first day of the 30-day window
        (10, False, True),  # one day before the 10-day window
        (9, True, True),  # first day of the 10-day window
        (0, True, True),  # D itself, the last day of both
        (-1, False, False),  # the day after D
    ],
)
def test_late_shipment_window_boundary_by_expected_ship_date(
    days: int, in_10: bool, in_30: bool
) -> None:
    orders, shipments = clean_shipped("ok", 9, 5)
    orders += order("edge", days_before(days + 1))
    # Expected at 10:00, confirmed at 12:00 the same day: late, and confirmed before the end of D.
    shipments.append(shipment("edge", at(days_before(days), 10), at(days_before(days), 12)))
    document = health(memtables(orders=orders, shipments=shipments))
    ten = metric(document, "late_shipment_rate", window_days=10)
    thirty = metric(document, "late_shipment_rate", window_days=30)
    assert figures(ten)[:2] == ((1, 10) if in_10 else (0, 9))
    assert figures(thirty)[:2] == ((1, 10) if in_30 else (0, 9))
    assert (ten["window_start"], ten["window_end"]) == ("2020-11-10", "2020-11-19")
    assert (thirty["window_start"], thirty["window_end"]) == ("2020-10-21", "2020-11-19")


@pytest.mark.parametrize(
    ("expected", "confirmed", "late"),
    [
        (end_of_day(days_before(1)), None, True),  # unconfirmed, due D−1: late
        (end_of_day(D), None, False),  # unconfirmed, due on D (date only): not late yet
        (at(D, 8), None, False),  # unconfirmed, due on D at 08:00: not late yet
        (at(days_before(1), 23, 59, 59), None, True),  # due before D 00:00
        (at(days_before(3)), at(days_before(3)), False),  # confirmed exactly on time
        (at(days_before(3)), at(days_before(3), 12, 0, 1), True),  # one second after
        (end_of_day(days_before(3)), at(days_before(2), 0, 0, 0), True),  # next day 00:00
        # Confirmed after the end of D has not happened yet: unconfirmed as of D.
        (at(days_before(2)), datetime(2020, 11, 20, 0, 0, tzinfo=UTC), True),
        (at(D, 12), datetime(2020, 11, 20, 0, 0, tzinfo=UTC), False),
    ],
)
def test_late_shipment_confirmation_rules(
    expected: datetime, confirmed: datetime | None, late: bool
) -> None:
    orders = order("x", days_before(5))
    document = health(memtables(orders=orders, shipments=[shipment("x", expected, confirmed)]))
    assert figures(metric(document, "late_shipment_rate", window_days=10))[:2] == (
        (1 if late else 0),
        1,
    )


def test_late_shipment_order_enters_by_earliest_expected_date_and_counts_once() -> None:
    orders = order("split", days_before(35)) + order("two", days_before(8))
    shipments = [
        # Earliest expected 30 days before D: the order is outside both windows.
        shipment("split", at(days_before(30)), None),
        shipment("split", at(days_before(5)), None),
        # Two late packages of one order inside the window: one late order.
        shipment("two", at(days_before(6)), at(days_before(5))),
        shipment("two", at(days_before(4)), at(days_before(3))),
    ]
    document = health(memtables(orders=orders, shipments=shipments))
    entry = metric(document, "late_shipment_rate", window_days=30)
    assert figures(entry) == (1, 1, "breach")
    assert entry["defects"] == [
        {"order_id": "two", "order_date": "2020-11-11", "kinds": ["late_shipment"]}
    ]


def test_late_shipment_leaves_out_cancelled_afn_mcf_and_unknown_orders() -> None:
    orders = (
        order("cancelled", days_before(4), status="Cancelled")
        + order("fba", days_before(4), channel="afn")
        + order("mcf", days_before(4), marketplace="Non-Amazon")
        + order("kept", days_before(4))
    )
    # Unconfirmed and due three days ago: late, for every order that counts.
    shipments = [
        shipment(order_id, at(days_before(3)))
        for order_id in ("cancelled", "fba", "mcf", "kept", "unknown")
    ]
    document = health(memtables(orders=orders, shipments=shipments))
    entry = metric(document, "late_shipment_rate", window_days=10)
    assert figures(entry) == (1, 1, "breach")
    assert defect_ids(entry) == ["kept"]


def test_late_shipment_recovery_on_hand_built_case() -> None:
    # Four orders in the 10-day window [11-10, 11-19]; the late one expected on 11-12.
    orders: list[Row] = []
    shipments: list[Row] = []
    for order_id, days, confirmed_late in (
        ("a", 7, True),
        ("b", 4, False),
        ("c", 3, False),
        ("d", 2, False),
    ):
        orders += order(order_id, days_before(days + 1))
        expected = at(days_before(days), 10)
        shift = timedelta(hours=2) if confirmed_late else -timedelta(hours=2)
        shipments.append(shipment(order_id, expected, expected + shift))
    entry = metric(
        health(memtables(orders=orders, shipments=shipments)),
        "late_shipment_rate",
        window_days=10,
    )
    assert figures(entry) == (1, 4, "breach")
    # 1 / (4 + n) < 4 %  ⇔  n > 21
    assert entry["recovery"]["clean_orders_needed"] == 22
    # Expected on 11-12, the first as-of date it is outside [D'−9, D'] is 11-22; until then the
    # late order keeps the rate above 4 % even with 0.4 new orders a day.
    assert entry["recovery"]["defects_ageing_out"] == [{"order_id": "a", "date": "2020-11-22"}]
    assert entry["recovery"]["expected_ok_date"] == "2020-11-22"


# --- cancel rate -------------------------------------------------------------------------


def mfn_orders(prefix: str, count: int, days: int) -> list[Row]:
    rows: list[Row] = []
    for number in range(count):
        rows += order(f"{prefix}-{number}", days_before(days))
    return rows


@pytest.mark.parametrize(
    ("days", "inside"),
    [(8, False), (7, True), (1, True), (0, False)],
)
def test_cancel_rate_window_boundary_and_exact_at_risk_band(days: int, inside: bool) -> None:
    orders = mfn_orders("fill", 49, 3) + order("edge", days_before(days), status="Cancelled")
    document = health(
        memtables(orders=orders, cancellations=[cancellation("edge", days_before(days))])
    )
    entry = metric(document, "pre_fulfillment_cancel_rate")
    # 1 of 50 is exactly 0.8 × 2.5 %: at risk, never "ok" through a float rounding.
    assert figures(entry) == ((1, 50, "at_risk") if inside else (0, 49, "ok"))
    assert (entry["window_start"], entry["window_end"]) == ("2020-11-12", "2020-11-18")
    assert entry["window_days"] == 7


def test_cancel_rate_counts_cancelled_orders_in_denominator_and_only_impacting_rows() -> None:
    orders = (
        mfn_orders("fill", 36, 2)
        + order("listed", days_before(3), status="Cancelled")
        + order("not-listed", days_before(3), status="Cancelled")
        + order("no-impact", days_before(3), status="Cancelled")
        + order("ontime", days_before(4))
        + order("fba", days_before(4), channel="afn", status="Cancelled")
    )
    rows = [
        cancellation("listed", days_before(3)),
        cancellation("no-impact", days_before(3), impacts=False),
        cancellation("fba", days_before(4)),
        cancellation("unknown", days_before(4)),
        # The file's own order date does not matter: the order's date (D−4) is in the window.
        cancellation("ontime", days_before(30)),
    ]
    entry = metric(
        health(memtables(orders=orders, cancellations=rows)), "pre_fulfillment_cancel_rate"
    )
    # 36 + listed + not-listed + no-impact + ontime = 40 mfn orders; listed and ontime count.
    assert figures(entry) == (2, 40, "breach")
    assert defect_ids(entry) == ["ontime", "listed"]  # by order date: 11-15, then 11-16
    assert entry["defects"][0]["kinds"] == ["cancellation"]


def test_cancel_rate_recovery_by_dilution() -> None:
    # 7 orders a day over [11-12, 11-18], plus one listed cancellation on 11-18: 1/50, at risk.
    orders: list[Row] = []
    for days in range(1, 8):
        orders += mfn_orders(f"d{days}", 7, days)
    orders += order("bad", days_before(1), status="Cancelled")
    entry = metric(
        health(memtables(orders=orders, cancellations=[cancellation("bad", days_before(1))])),
        "pre_fulfillment_cancel_rate",
    )
    assert figures(entry) == (1, 50, "at_risk")
    assert entry["recovery"]["clean_orders_needed"] == 1
    # On 11-20 seven orders of 11-12 left and 50/7 new ones came: 1 / (50 + 1/7) < 2 %.
    assert entry["recovery"]["expected_ok_date"] == "2020-11-20"
    # The cancelled order itself is dated 11-18: outside [D'−7, D'−1] from 11-26.
    assert entry["recovery"]["defects_ageing_out"] == [{"order_id": "bad", "date": "2020-11-26"}]


# --- valid tracking and on-time delivery ------------------------------------------------------


def tracked(order_id: str, promised_days: int, **overrides: object) -> Row:
    """A confirmed, scanned shipment delivered on time, promised ``promised_days`` before D."""
    promised = end_of_day(days_before(promised_days))
    confirmed = at(days_before(promised_days + 4))
    row = shipment(
        order_id,
        confirmed + timedelta(hours=2),
        confirmed,
        tracking=f"T-{order_id}",
        scan=confirmed + timedelta(hours=3),
        promised=promised,
        delivered=at(days_before(promised_days), 9),
    )
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("days", "inside"),
    [(40, False), (39, True), (10, True), (9, False)],
)
def test_tracking_and_delivery_window_boundary_by_promised_date(days: int, inside: bool) -> None:
    orders = mfn_orders("fill", 9, 30) + order("edge", days_before(days + 5))
    shipments = [tracked(f"fill-{n}", 20) for n in range(9)]
    # Confirmed with a tracking id but never scanned, and delivered the day after the promise.
    shipments.append(
        tracked(
            "edge",
            days,
            first_carrier_scan_at=None,
            delivered_at=at(days_before(days - 1), 9),
        )
    )
    document = health(memtables(orders=orders, shipments=shipments))
    tracking = metric(document, "valid_tracking_rate")
    delivery = metric(document, "on_time_delivery_rate")
    assert figures(tracking) == ((9, 10, "breach") if inside else (9, 9, "ok"))
    # 90 % meets the target but is under 90 % + 0.2 × 10 % = 92 %: at risk.
    assert figures(delivery) == ((9, 10, "at_risk") if inside else (9, 9, "ok"))
    assert (tracking["window_start"], tracking["window_end"]) == ("2020-10-11", "2020-11-09")
    assert tracking["target"] == {"op": ">=", "value": 0.95}
    if inside:
        assert tracking["defects"] == [
            {
                "order_id": "edge",
                "order_date": days_before(days + 5).isoformat(),
                "kinds": ["invalid_tracking"],
                "tracking_id": "T-edge",
                "promised_date": days_before(days).isoformat(),
            }
        ]


def test_valid_tracking_needs_confirmation_tracking_id_and_scan_by_end_of_d() -> None:
    after_d = datetime(2020, 11, 20, 0, 0, 1, tzinfo=UTC)
    rows = [
        tracked("good", 20),
        tracked("no-id", 20, tracking_id=None),
        tracked("blank-id", 20, tracking_id="  "),
        tracked("no-scan", 20, first_carrier_scan_at=None),
        tracked("unconfirmed", 20, ship_confirmed_at=None),
        tracked("confirmed-later", 20, ship_confirmed_at=after_d),
    ]
    orders = [line for row in rows for line in order(row["order_id"], days_before(25))]
    entry = metric(health(memtables(orders=orders, shipments=rows)), "valid_tracking_rate")
    # Confirmed by the end of D: good, no-id, blank-id, no-scan; valid: only good.
    assert figures(entry) == (1, 4, "breach")
    assert sorted(defect_ids(entry)) == ["blank-id", "no-id", "no-scan"]
    assert entry["recovery"]["clean_orders_needed"] is None


def test_on_time_delivery_compares_utc_dates_and_needs_a_tracking_id() -> None:
    promised_day = days_before(20)  # 10-30
    rows = [
        # Delivered at 23:30 UTC on the promised day: on time.
        tracked("same-day", 20, delivered_at=at(promised_day, 23, 30)),
        # 23:30 on 10-30 in New York is 03:30 UTC on 10-31: late by the UTC date.
        tracked("new-york", 20, delivered_at=datetime(2020, 10, 31, 3, 30, tzinfo=UTC)),
        tracked("undelivered", 20, delivered_at=None),
        tracked("untracked", 20, tracking_id=None, delivered_at=None),
        # Unconfirmed but tracked: still a shipment with a tracking id (the denominator's rule).
        tracked("unconfirmed", 20, ship_confirmed_at=None),
    ]
    orders = [line for row in rows for line in order(row["order_id"], days_before(25))]
    entry = metric(health(memtables(orders=orders, shipments=rows)), "on_time_delivery_rate")
    assert figures(entry) == (2, 4, "breach")
    assert sorted(defect_ids(entry)) == ["new-york", "undelivered"]


def test_delivery_after_end_of_d_counts_as_missing() -> None:
    # Promised on D−10, delivered just after the end of D: not delivered as of D, so late.
    row = tracked("x", 10, delivered_at=datetime(2020, 11, 20, 0, 0, 0, tzinfo=UTC))
    entry = metric(
        health(memtables(orders=order("x", days_before(14)), shipments=[row])),
        "on_time_delivery_rate",
    )
    assert figures(entry) == (0, 1, "breach")


def test_valid_tracking_recovery_for_at_least_target() -> None:
    rows = [tracked(f"ok-{n}", 20) for n in range(18)]
    rows += [tracked(f"bad-{n}", 20, first_carrier_scan_at=None) for n in range(2)]
    orders = [line for row in rows for line in order(row["order_id"], days_before(25))]
    entry = metric(health(memtables(orders=orders, shipments=rows)), "valid_tracking_rate")
    assert figures(entry) == (18, 20, "breach")
    recovery = entry["recovery"]
    assert recovery["clean_orders_needed"] is None
    # Promised on 10-30: outside [D'−39, D'−10] from 12-09. Until then the two bad shipments
    # keep the rate under 95 % (2 / (20 + 2k/3) > 5 % for every k < 30).
    assert recovery["defects_ageing_out"] == [
        {"order_id": "bad-0", "date": "2020-12-09", "tracking_id": "T-bad-0"},
        {"order_id": "bad-1", "date": "2020-12-09", "tracking_id": "T-bad-1"},
    ]
    assert recovery["expected_ok_date"] == "2020-12-09"


def test_mfn_metrics_without_orders_in_window_are_no_data() -> None:
    document = health(
        memtables(
            orders=order("old", days_before(200)) + order("now", D) + order("mid", days_before(3)),
            shipments=[],
            cancellations=[],
        )
    )
    for metric_id in ("valid_tracking_rate", "on_time_delivery_rate"):
        entry = metric(document, metric_id)
        assert entry["status"] == "no_data"
        assert entry["value"] is None
        assert entry["recovery"] == {
            "clean_orders_needed": None,
            "defects_ageing_out": [],
            "expected_ok_date": None,
        }


@pytest.mark.parametrize("reverse", [False, True])
def test_tracking_defects_of_one_order_sorted_by_promised_date_whatever_row_order(
    reverse: bool,
) -> None:
    # Two packages of one order, both confirmed without a tracking id: two invalid shipments
    # with the same order, order date and (blank) tracking id. Their order in the JSON must not
    # depend on the order the backend returns rows in (§5: same data, same JSON byte for byte).
    rows = [
        tracked("two", 20, tracking_id=None),  # promised 10-30
        tracked("two", 25, tracking_id=None),  # promised 10-25
    ]
    if reverse:
        rows.reverse()
    entry = metric(
        health(memtables(orders=order("two", days_before(30)), shipments=rows)),
        "valid_tracking_rate",
    )
    assert figures(entry) == (0, 2, "breach")
    assert [d["promised_date"] for d in entry["defects"]] == ["2020-10-25", "2020-10-30"]
    assert entry["defects"][0] == {
        "order_id": "two",
        "order_date": "2020-10-20",
        "kinds": ["invalid_tracking"],
        "tracking_id": None,
        "promised_date": "2020-10-25",
    }
    # Promised date + 40 days: 10-25 → 12-04, 10-30 → 12-09.
    assert [a["date"] for a in entry["recovery"]["defects_ageing_out"]] == [
        "2020-12-04",
        "2020-12-09",
    ]
