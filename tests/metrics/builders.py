"""Builders for canonical rows, memtables and a realistic synthetic account.

Rows are written by hand in the tests with these helpers; every table is an ``ibis.memtable`` of
the canonical schema of ``goodstanding.tables``. Time stamps are UTC; a date-only value is stored,
as the ingest stores it, at 23:59:59.999999 of that day.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from goodstanding.metrics import compute_health
from goodstanding.metrics.orders import order_facts_per_file
from goodstanding.sqlplans import SqlPlans, SqlTables
from goodstanding.tables import TABLES

D = date(2020, 11, 19)
"""The as-of date of Amazon's own V2 report example; most tests compute as of it."""

Row = dict[str, Any]


def days_before(days: int, as_of: date = D) -> date:
    """The date ``days`` days before ``as_of`` (negative: after)."""
    return as_of - timedelta(days=days)


def at(day: date, hour: int = 12, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    """A UTC time stamp on ``day``."""
    return datetime.combine(day, time(hour, minute, second, micro), tzinfo=UTC)


def end_of_day(day: date) -> datetime:
    """How the ingest stores a date-only value where a time is expected: 23:59:59.999999 UTC."""
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=UTC)


def order(
    order_id: str,
    day: date,
    *,
    channel: str = "mfn",
    marketplace: str = "Amazon.com",
    status: str = "Shipped",
    lines: int = 1,
    purchase_at: datetime | None = None,
    asin: str = "B000000001",
    quantity: int = 1,
    price: float | None = 10.0,
    currency: str = "USD",
) -> list[Row]:
    """The lines of one order (one per item)."""
    purchased = purchase_at or at(day)
    return [
        {
            "order_id": order_id,
            "purchase_at": purchased,
            "order_date": day,
            "last_updated_at": purchased,
            "order_status": status,
            "channel": channel,
            "marketplace": marketplace,
            "sku": f"SKU-{asin}-{item}",
            "asin": asin if item == 0 else f"{asin}-{item}",
            "item_status": status,
            "quantity": quantity,
            "currency": currency,
            "item_price": price,
            "product_name": "A product",
            "ship_service_level": "Standard",
        }
        for item in range(lines)
    ]


def orders_on(
    prefix: str, day: date, count: int, *, channel: str = "mfn", marketplace: str = "Amazon.com"
) -> list[Row]:
    """``count`` clean one-line orders on ``day``, ids ``<prefix>-<n>``."""
    rows: list[Row] = []
    for number in range(count):
        rows += order(f"{prefix}-{number}", day, channel=channel, marketplace=marketplace)
    return rows


def feedback(order_id: str, day: date, rating: int = 1) -> Row:
    """One seller feedback row."""
    return {
        "feedback_date": day,
        "rating": rating,
        "comments": "late and broken" if rating <= 2 else "fine",
        "response": None,
        "order_id": order_id,
        "rater_email": None,
    }


def claim(
    order_id: str,
    claim_id: str,
    filed: datetime,
    *,
    reason: str = "item_not_received",
    status: str = "pending",
    buy_shipping: bool | None = None,
) -> Row:
    """One A-to-z claim row."""
    return {
        "order_id": order_id,
        "claim_id": claim_id,
        "filed_at": filed,
        "reason": reason,
        "status": status,
        "buy_shipping": buy_shipping,
    }


def chargeback(
    order_id: str,
    chargeback_id: str,
    filed: datetime,
    *,
    reason: str = "service",
    status: str = "open",
) -> Row:
    """One chargeback row."""
    return {
        "order_id": order_id,
        "chargeback_id": chargeback_id,
        "filed_at": filed,
        "reason": reason,
        "status": status,
    }


def cancellation(order_id: str, day: date, *, impacts: bool = True) -> Row:
    """One row of the cancellation-rate download."""
    return {"order_date": day, "order_id": order_id, "impacts_account_health": impacts}


def shipment(
    order_id: str,
    expected: datetime,
    confirmed: datetime | None = None,
    *,
    tracking: str | None = "1Z999",
    scan: datetime | None = None,
    promised: datetime | None = None,
    delivered: datetime | None = None,
    carrier: str | None = "UPS",
) -> Row:
    """One shipments-template row."""
    return {
        "order_id": order_id,
        "expected_ship_at": expected,
        "ship_confirmed_at": confirmed,
        "carrier": carrier,
        "tracking_id": tracking,
        "first_carrier_scan_at": scan,
        "promised_delivery_at": promised,
        "delivered_at": delivered,
        "units": 1,
    }


def message(
    message_id: str,
    received: datetime,
    *,
    order_id: str | None = None,
    response: datetime | None = None,
    no_response_needed: bool | None = None,
) -> Row:
    """One buyer-message row."""
    return {
        "message_id": message_id,
        "received_at": received,
        "order_id": order_id,
        "first_response_at": response,
        "no_response_needed": no_response_needed,
    }


def return_mfn(
    order_id: str,
    day: date,
    *,
    asin: str = "B000000001",
    reason: str = "DEFECTIVE",
    quantity: int = 1,
    refunded: float | None = None,
) -> Row:
    """One row of the seller-fulfilled returns report."""
    return {
        "order_id": order_id,
        "order_date": day,
        "return_requested_on": day,
        "return_status": "Approved",
        "rma_id": f"RMA-{order_id}",
        "return_carrier": "USPS",
        "tracking_id": None,
        "a_to_z_claim": False,
        "asin": asin,
        "sku": f"SKU-{asin}",
        "item_name": "A product",
        "quantity": quantity,
        "reason": reason,
        "resolution": None,
        "refunded_amount": refunded,
    }


def return_fba(
    order_id: str,
    day: date,
    *,
    asin: str = "B000000001",
    reason: str = "DAMAGED_BY_FC",
    quantity: int = 1,
) -> Row:
    """One row of the Amazon-fulfilled customer returns report."""
    return {
        "returned_at": at(day),
        "return_date": day,
        "order_id": order_id,
        "sku": f"SKU-{asin}",
        "asin": asin,
        "fnsku": "X000",
        "product_name": "A product",
        "quantity": quantity,
        "fulfillment_center_id": "FC1",
        "disposition": "SELLABLE",
        "reason": reason,
        "status": "Unit returned to inventory",
        "license_plate_number": f"LPN-{order_id}",
        "customer_comments": None,
    }


def arrow(name: str, rows: list[Row]) -> pa.Table:
    """Rows as an Arrow table of the canonical schema of ``name`` (lines numbered from 2)."""
    numbered = [{**row, "line": row.get("line", index + 2)} for index, row in enumerate(rows)]
    return pa.Table.from_pylist(numbered, schema=TABLES[name].schema)


def memtables(**rows: list[Row]) -> dict[str, ir.Table]:
    """Memtables for the report types given (a missing keyword: the file was never imported)."""
    return {name: ibis.memtable(arrow(name, table_rows)) for name, table_rows in rows.items()}


def sql_tables(rows: Mapping[str, list[Row]], directory: Path, plans: SqlPlans) -> SqlTables:
    """The tables as Parquet files behind DuckDB views ``current_<name>``, as the warehouse
    hands them to the kept-SQL path (the caller closes the result)."""
    import duckdb

    directory.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    for name, table_rows in rows.items():
        path = directory / f"{name}.parquet"
        pq.write_table(arrow(name, table_rows), path)
        connection.execute(f"CREATE VIEW current_{name} AS SELECT * FROM read_parquet('{path}')")
    derived = frozenset()
    if "orders" in rows:  # the per-order facts, as the warehouse keeps them per orders file
        per_file = order_facts_per_file()
        connection.execute("CREATE VIEW lines AS SELECT * FROM current_orders")
        connection.execute(f"CREATE TABLE current_{per_file.name} AS {per_file.sql()}")
        derived = frozenset([per_file.name])
    return SqlTables(connection, frozenset(rows), plans, derived)


def health(tables: Mapping[str, ir.Table], **options: Any) -> dict[str, Any]:
    """The health JSON as of D unless another ``as_of`` is given."""
    options.setdefault("as_of", D)
    document: dict[str, Any] = compute_health(tables, account="acme", **options)
    return document


def metric(
    document: Mapping[str, Any],
    metric_id: str,
    channel: str = "mfn",
    window_days: int | None = None,
    marketplace: str = "Amazon.com",
) -> dict[str, Any]:
    """One metric entry of the health JSON (exactly one must match)."""
    (block,) = [b for b in document["marketplaces"] if b["marketplace"] == marketplace]
    found = [
        m
        for m in block["metrics"]
        if m["id"] == metric_id
        and m["channel"] == channel
        and (window_days is None or m["window_days"] == window_days)
    ]
    assert len(found) == 1, f"{metric_id}/{channel}/{window_days}: {len(found)} entries"
    entry: dict[str, Any] = found[0]
    return entry


def figures(entry: Mapping[str, Any]) -> tuple[int, int, str]:
    """(numerator, denominator, status) of a metric entry."""
    return entry["numerator"], entry["denominator"], entry["status"]


def defect_ids(entry: Mapping[str, Any]) -> list[str]:
    """The order ids of a metric's defects, in the JSON's order."""
    return [d["order_id"] for d in entry["defects"]]


# A realistic account for backend parity: two Amazon marketplaces plus MCF, both channels, every
# file, with the awkward cases (multi-line orders, cancellations, every claim status, late and
# unconfirmed shipments, unanswered messages) drawn at random from a fixed seed.
CLAIM_STATUSES = (
    "pending",
    "granted_seller_funded",
    "granted_amazon_funded",
    "refunded_by_seller",
    "denied",
    "withdrawn_before_decision",
    "withdrawn_after_refund",
    "appeal_won",
)


def realistic_account(seed: int, *, orders: int = 1500, as_of: date = D) -> dict[str, pa.Table]:
    """A deterministic synthetic account of about ``orders`` orders over 120 days before D."""
    rng = random.Random(seed)
    rows: dict[str, list[Row]] = {
        name: []
        for name in (
            "orders",
            "feedback",
            "claims",
            "chargebacks",
            "cancellations",
            "shipments",
            "messages",
        )
    }
    for number in range(orders):
        order_id = f"{seed:03d}-{number:07d}"
        day = as_of - timedelta(days=rng.randrange(0, 120))
        marketplace = rng.choices(["Amazon.com", "Amazon.de", "Non-Amazon"], [6, 3, 1])[0]
        channel = "afn" if marketplace == "Non-Amazon" or rng.random() < 0.35 else "mfn"
        cancelled = rng.random() < 0.04
        purchased = at(day, rng.randrange(24), rng.randrange(60), rng.randrange(60))
        rows["orders"] += order(
            order_id,
            day,
            channel=channel,
            marketplace=marketplace,
            status="Cancelled" if cancelled else rng.choice(["Shipped", "Shipped", "Pending"]),
            lines=rng.choice([1, 1, 1, 2, 3]),
            purchase_at=purchased,
            asin=f"B0{rng.randrange(30):08d}",
            currency="EUR" if marketplace == "Amazon.de" else "USD",
        )
        if rng.random() < 0.04:
            rows["feedback"].append(
                feedback(
                    order_id, day + timedelta(days=rng.randrange(1, 25)), rng.choice([1, 2, 3])
                )
            )
        if rng.random() < 0.02:
            rows["claims"].append(
                claim(
                    order_id,
                    f"C{seed}-{number}",
                    purchased + timedelta(days=rng.randrange(3, 30), hours=rng.randrange(24)),
                    reason=rng.choice(["item_not_received", "not_as_described", "other"]),
                    status=rng.choice(CLAIM_STATUSES),
                    buy_shipping=rng.choice([True, False, None]),
                )
            )
        if rng.random() < 0.01:
            rows["chargebacks"].append(
                chargeback(
                    order_id,
                    f"K{seed}-{number}",
                    purchased + timedelta(days=rng.randrange(5, 40)),
                    reason=rng.choice(["service", "fraud"]),
                    status=rng.choice(["open", "represented_won", "refunded", "debited"]),
                )
            )
        if channel == "mfn" and (cancelled or rng.random() < 0.02):
            rows["cancellations"].append(cancellation(order_id, day, impacts=rng.random() < 0.7))
        if channel == "mfn" and not cancelled:
            expected = end_of_day(day + timedelta(days=rng.choice([1, 2])))
            for package in range(rng.choice([1, 1, 1, 2])):
                confirmed = None
                if rng.random() > 0.03:
                    confirmed = expected - timedelta(hours=rng.randrange(-10, 30))
                promised = end_of_day(day + timedelta(days=rng.randrange(3, 8)))
                delivered = None
                if confirmed is not None and rng.random() > 0.05:
                    delivered = at(day + timedelta(days=rng.randrange(2, 9)), rng.randrange(24))
                rows["shipments"].append(
                    shipment(
                        order_id,
                        expected + timedelta(days=package),
                        confirmed,
                        tracking=None if rng.random() < 0.03 else f"TRK{seed}{number}{package}",
                        scan=None
                        if confirmed is None or rng.random() < 0.04
                        else confirmed + timedelta(hours=3),
                        promised=promised,
                        delivered=delivered,
                    )
                )
        if rng.random() < 0.12:
            received = purchased + timedelta(hours=rng.randrange(1, 200))
            reply = None
            if rng.random() > 0.05:
                reply = received + timedelta(minutes=rng.choice([5, 120, 1440, 1441, 3000]))
            rows["messages"].append(
                message(
                    f"M{seed}-{number}",
                    received,
                    order_id=None if rng.random() < 0.1 else order_id,
                    response=reply,
                    no_response_needed=rng.choice([None, False, False, True]),
                )
            )
    # Defects naming orders the data does not hold.
    rows["feedback"].append(feedback(f"{seed:03d}-missing-1", as_of - timedelta(days=30), 1))
    rows["claims"].append(
        claim(f"{seed:03d}-missing-2", f"C{seed}-x", at(as_of - timedelta(days=20)))
    )
    return {name: arrow(name, table_rows) for name, table_rows in rows.items()}


def spark_tables(
    backend: Any, tables: Mapping[str, pa.Table], folder: Path, prefix: str
) -> dict[str, ir.Table]:
    """The Arrow tables written as Parquet and read by Spark, as the store would hand them over."""
    bound: dict[str, ir.Table] = {}
    for name, table in tables.items():
        path = folder / f"{prefix}_{name}.parquet"
        pq.write_table(table, path)
        bound[name] = backend.read_parquet(str(path), table_name=f"{prefix}_{name}")
    return bound
