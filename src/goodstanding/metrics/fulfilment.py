"""Seller-fulfilled (mfn) metrics: cancel rate, late shipment, valid tracking, on-time delivery.

metric-conventions.md §4 and reference §1.3–1.6. Only mfn orders of Amazon marketplaces count.
Anything time-stamped after the end of D has not happened yet: a confirmation, a carrier scan or a
delivery after D is treated as missing.

Facts layouts:
- ``cancellation``: ``day`` order date, ``flag_a`` listed in the cancellations file with Impacts
  Account Health = Yes.
- ``late_shipment``: ``day`` the order's earliest expected-ship date, ``flag_a`` late.
- ``tracking`` (one row per shipments row): ``day`` promised-delivery date, ``flag_a`` confirmed,
  ``flag_b`` valid tracking, ``flag_c`` has a tracking id, ``flag_d`` delivered on time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from goodstanding.metrics.definitions import MetricDefinition, definitions_of
from goodstanding.metrics.orders import (
    FactRow,
    as_facts,
    day_start,
    end_of,
    happened_by,
    is_amazon,
    is_blank,
    received_between,
)
from goodstanding.metrics.results import Defect, MetricResult

if TYPE_CHECKING:
    import ibis.expr.types as ir

CANCELLATION = "cancellation"
LATE_SHIPMENT = "late_shipment"
TRACKING = "tracking"


def _seller_fulfilled(orders: ir.Table) -> ir.Table:
    """Non-cancelled mfn orders of Amazon marketplaces, from order facts."""
    return orders.filter(is_amazon(orders), orders.channel == "mfn", ~orders.cancelled)


def cancellation_facts(cancellations: ir.Table, orders: ir.Table, as_of: date) -> list[ir.Table]:
    """Rows of the cancel rate: mfn orders of [D−7, D−1] (cancelled included), flag = listed.

    Args:
        cancellations: the cancellations table.
        orders: order facts holding at least the orders of the window.
        as_of: the as-of date D.
    """
    import ibis

    start, end = definitions_of(CANCELLATION)[0].window(as_of)
    window_orders = orders.filter(
        is_amazon(orders), orders.channel == "mfn", orders.order_date.between(start, end)
    )
    listed = (
        cancellations.filter(cancellations.impacts_account_health.fill_null(False))
        .select("order_id")
        .distinct()
        .mutate(listed=ibis.literal(True))
    )
    joined = window_orders.left_join(listed, "order_id")
    hit = joined.listed.fill_null(False)
    grouped = joined.group_by(
        marketplace=joined.marketplace,
        day=joined.order_date,
        hit=hit,
        detail=ibis.ifelse(hit, joined.order_id, ibis.null("string")),
    ).aggregate(n=joined.count())
    return [
        as_facts(
            grouped,
            CANCELLATION,
            marketplace=grouped.marketplace,
            channel=ibis.literal("mfn"),
            day=grouped.day,
            order_id=grouped.detail,
            order_date=grouped.day,
            flag_a=grouped.hit,
            n=grouped.n,
        )
    ]


def _confirmed(shipments: ir.Table, as_of: date) -> ir.BooleanValue:
    return happened_by(shipments.ship_confirmed_at, as_of)


def late_shipment_recent(shipments: ir.Table, as_of: date) -> ir.Table:
    """Per order, over its rows expected from the 30-day window's first day on: the earliest
    expected-ship time and whether any of those rows is late.

    A superset of the window's orders (those with rows before the window are still in it); it
    names the orders :func:`late_shipment_orders` needs facts for.
    """
    import ibis

    longest = max(definitions_of(LATE_SHIPMENT), key=lambda d: d.window_days)
    start, end = longest.window(as_of)
    recent = shipments.filter(shipments.expected_ship_at >= day_start(start))
    confirmed = _confirmed(recent, as_of)
    # Confirmed: late when after its expected-ship time. Unconfirmed by the end of D: late once
    # the expected-ship time is before D 00:00 (one due on D itself is not late yet).
    late = ibis.ifelse(
        confirmed,
        recent.ship_confirmed_at > recent.expected_ship_at,
        recent.expected_ship_at < day_start(as_of),
    )
    per_order = recent.group_by("order_id").aggregate(
        first_expected=recent.expected_ship_at.min(), late=late.any()
    )
    return per_order.filter(per_order.first_expected < end_of(end))


def late_shipment_orders(recent: ir.Table, shipments: ir.Table, as_of: date) -> ir.Table:
    """Orders whose *earliest* expected-ship date is in the 30-day window, with their lateness.

    Args:
        recent: the result of :func:`late_shipment_recent`.
        shipments: the shipments table.
        as_of: the as-of date D.
    """
    longest = max(definitions_of(LATE_SHIPMENT), key=lambda d: d.window_days)
    start, _ = longest.window(as_of)
    # An order with a row expected before the window entered it earlier: it is not in it.
    earlier = shipments.filter(
        shipments.expected_ship_at < day_start(start), shipments.order_id.isin(recent.order_id)
    )
    kept = recent.anti_join(earlier, "order_id")
    return kept.select("order_id", day=kept.first_expected.date(), late=kept.late.fill_null(False))


def late_shipment_facts(candidates: ir.Table, orders: ir.Table) -> list[ir.Table]:
    """Rows of the late shipment rate, per order, from :func:`late_shipment_orders`.

    Args:
        candidates: the result of :func:`late_shipment_orders`.
        orders: order facts holding at least every candidate order.
    """
    import ibis

    joined = candidates.join(_seller_fulfilled(orders), "order_id")
    grouped = joined.group_by(
        marketplace=joined.marketplace,
        day=joined.day,
        late=joined.late,
        detail=ibis.ifelse(joined.late, joined.order_id, ibis.null("string")),
        detail_date=ibis.ifelse(joined.late, joined.order_date, ibis.null("date")),
    ).aggregate(n=joined.count())
    return [
        as_facts(
            grouped,
            LATE_SHIPMENT,
            marketplace=grouped.marketplace,
            channel=ibis.literal("mfn"),
            day=grouped.day,
            order_id=grouped.detail,
            order_date=grouped.detail_date,
            flag_a=grouped.late,
            n=grouped.n,
        )
    ]


def tracking_rows(shipments: ir.Table, as_of: date) -> ir.Table:
    """Shipments rows whose promised-delivery date is in the window, with their checks."""
    start, end = definitions_of(TRACKING)[0].window(as_of)
    rows = shipments.filter(received_between(shipments.promised_delivery_at, start, end))
    rows = rows.mutate(promised=rows.promised_delivery_at.date())
    confirmed = _confirmed(rows, as_of)
    tracked = ~is_blank(rows.tracking_id)
    scanned = happened_by(rows.first_carrier_scan_at, as_of)
    delivered = happened_by(rows.delivered_at, as_of)
    return rows.select(
        "order_id",
        "tracking_id",
        "promised",
        confirmed=confirmed,
        tracked=tracked,
        valid=confirmed & tracked & scanned,
        on_time=tracked & delivered & (rows.delivered_at.date() <= rows.promised),
    )


def tracking_facts(rows: ir.Table, orders: ir.Table) -> list[ir.Table]:
    """Rows of valid tracking and on-time delivery, per shipments row, by promised date.

    Args:
        rows: the result of :func:`tracking_rows`.
        orders: order facts holding at least every order of ``rows``.
    """
    import ibis

    joined = rows.join(_seller_fulfilled(orders), "order_id")
    bad = (joined.confirmed & ~joined.valid) | (joined.tracked & ~joined.on_time)
    grouped = joined.group_by(
        marketplace=joined.marketplace,
        day=joined.promised,
        confirmed=joined.confirmed,
        valid=joined.valid,
        tracked=joined.tracked,
        on_time=joined.on_time,
        detail=ibis.ifelse(bad, joined.order_id, ibis.null("string")),
        detail_date=ibis.ifelse(bad, joined.order_date, ibis.null("date")),
        detail_tracking=ibis.ifelse(bad, joined.tracking_id, ibis.null("string")),
    ).aggregate(n=joined.count())
    return [
        as_facts(
            grouped,
            TRACKING,
            marketplace=grouped.marketplace,
            channel=ibis.literal("mfn"),
            day=grouped.day,
            order_id=grouped.detail,
            order_date=grouped.detail_date,
            item_id=grouped.detail_tracking,
            flag_a=grouped.confirmed,
            flag_b=grouped.valid,
            flag_c=grouped.tracked,
            flag_d=grouped.on_time,
            n=grouped.n,
        )
    ]


def _empty_results(
    definitions: Iterable[MetricDefinition], marketplaces: Iterable[str], as_of: date
) -> dict[tuple[str, int], MetricResult]:
    return {
        (marketplace, id(definition)): MetricResult(definition, marketplace, "mfn", as_of)
        for marketplace in marketplaces
        for definition in definitions
    }


def read_cancellation(
    rows: Iterable[FactRow], *, as_of: date, marketplaces: Iterable[str]
) -> list[MetricResult]:
    """Results of the cancel rate for every marketplace."""
    (definition,) = definitions_of(CANCELLATION)
    results = _empty_results([definition], marketplaces, as_of)
    for row in rows:
        result = results.get((str(row.marketplace), id(definition)))
        day = row.day
        if result is None or day is None:
            continue
        result.denominator += row.n
        result.daily[day] += row.n
        if row.flag_a:
            result.numerator += row.n
            if row.order_id is not None:
                result.defects.append(Defect(row.order_id, row.order_date, day, ("cancellation",)))
    return list(results.values())


def read_late_shipment(
    rows: Iterable[FactRow], *, as_of: date, marketplaces: Iterable[str]
) -> list[MetricResult]:
    """Results of the 10- and 30-day late shipment rates for every marketplace."""
    definitions = definitions_of(LATE_SHIPMENT)
    results = _empty_results(definitions, marketplaces, as_of)
    windows = [(definition, *definition.window(as_of)) for definition in definitions]
    for row in rows:
        day = row.day
        if day is None:
            continue
        for definition, start, end in windows:
            result = results.get((str(row.marketplace), id(definition)))
            if result is None or not start <= day <= end:
                continue
            result.denominator += row.n
            result.daily[day] += row.n
            if row.flag_a:
                result.numerator += row.n
                if row.order_id is not None:
                    result.defects.append(
                        Defect(row.order_id, row.order_date, day, ("late_shipment",))
                    )
    return list(results.values())


def read_tracking(
    rows: Iterable[FactRow], *, as_of: date, marketplaces: Iterable[str]
) -> list[MetricResult]:
    """Results of valid tracking and on-time delivery for every marketplace."""
    valid_tracking, on_time = definitions_of(TRACKING)
    results = _empty_results((valid_tracking, on_time), marketplaces, as_of)
    pairs = {
        market: (results[(market, id(valid_tracking))], results[(market, id(on_time))])
        for market, _ in results
    }
    for row in rows:
        day, count = row.day, row.n
        pair = pairs.get(str(row.marketplace))
        if day is None or pair is None:
            continue
        checks = (
            (pair[0], row.flag_a, row.flag_b, "invalid_tracking"),
            (pair[1], row.flag_c, row.flag_d, "late_delivery"),
        )
        for result, counted, good, kind in checks:
            if not counted:
                continue
            result.denominator += count
            result.daily[day] += count
            if good:
                result.numerator += count
            elif row.order_id is not None:
                defect = Defect(
                    row.order_id,
                    row.order_date,
                    day,
                    (kind,),
                    item="shipment",
                    tracking_id=row.item_id,
                )
                result.defects.extend([defect] * count)
    return list(results.values())
