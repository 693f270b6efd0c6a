"""Canonical table shapes and natural keys.

``ingest`` turns every report file into Arrow record batches of one of these shapes; ``store`` keeps
them as Parquet, one file per table and import; ``metrics`` reads them back as ibis tables. Column
names are snake_case; report columns goodstanding does not model are kept beside them as
``x_<header>`` string columns (raw values, ignored by the metrics).

Time conventions (metric-conventions.md §3): every timestamp is UTC (``timestamp[us, UTC]``). A
date-only value where a time is expected means "by the end of that day" and is stored as that day's
23:59:59.999999 UTC, so "after it" is simply ``>``. Every table carries ``line``, the 1-based line
of the source file the row came from, so errors and drill-downs can point back at the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class TableSpec:
    """One canonical table: its columns, its natural key and how versions compete.

    Attributes:
        name: the table (and report type) id.
        schema: the canonical columns, without the ``x_*`` raw extras.
        key: columns identifying one fact; a later import of the same key replaces it.
        group: orders only: the whole line set of a group is replaced at once
            (an order's lines arrive together), instead of row by row.
        version: the column whose larger value wins between two imports of the same key/group;
            ties (and tables without one) go to the later import.
    """

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    group: str | None = None
    version: str | None = None


ORDERS = TableSpec(
    "orders",
    pa.schema(
        [
            ("order_id", pa.string()),
            ("purchase_at", TS),
            ("order_date", pa.date32()),  # UTC calendar date of purchase_at
            ("last_updated_at", TS),
            ("order_status", pa.string()),  # as in the file: Shipped, Pending, Cancelled...
            ("channel", pa.string()),  # 'afn' | 'mfn'
            ("marketplace", pa.string()),  # sales-channel: Amazon.com, Amazon.de, Non-Amazon...
            ("sku", pa.string()),
            ("asin", pa.string()),
            ("item_status", pa.string()),
            ("quantity", pa.int64()),
            ("currency", pa.string()),
            ("item_price", pa.float64()),  # line total; null = unknown (blank in the file)
            ("product_name", pa.string()),
            ("ship_service_level", pa.string()),
            ("line", pa.int64()),
        ]
    ),
    key=("order_id",),
    group="order_id",
    version="last_updated_at",
)

FEEDBACK = TableSpec(
    "feedback",
    pa.schema(
        [
            ("feedback_date", pa.date32()),
            ("rating", pa.int64()),  # 1..5; Amazon's report holds only 1–3
            ("comments", pa.string()),
            ("response", pa.string()),
            ("order_id", pa.string()),
            ("rater_email", pa.string()),
            ("line", pa.int64()),
        ]
    ),
    key=("order_id",),
)

RETURNS_MFN = TableSpec(
    "returns_mfn",
    pa.schema(
        [
            ("order_id", pa.string()),
            ("order_date", pa.date32()),
            ("return_requested_on", pa.date32()),
            ("return_status", pa.string()),
            ("rma_id", pa.string()),
            ("return_carrier", pa.string()),
            ("tracking_id", pa.string()),
            ("a_to_z_claim", pa.bool_()),
            ("asin", pa.string()),
            ("sku", pa.string()),
            ("item_name", pa.string()),
            ("quantity", pa.int64()),
            ("reason", pa.string()),
            ("resolution", pa.string()),
            ("refunded_amount", pa.float64()),
            ("line", pa.int64()),
        ]
    ),
    key=("order_id", "asin", "return_requested_on", "rma_id"),
)

RETURNS_FBA = TableSpec(
    "returns_fba",
    pa.schema(
        [
            ("returned_at", TS),
            ("return_date", pa.date32()),
            ("order_id", pa.string()),
            ("sku", pa.string()),
            ("asin", pa.string()),
            ("fnsku", pa.string()),
            ("product_name", pa.string()),
            ("quantity", pa.int64()),
            ("fulfillment_center_id", pa.string()),
            ("disposition", pa.string()),
            ("reason", pa.string()),
            ("status", pa.string()),
            ("license_plate_number", pa.string()),
            ("customer_comments", pa.string()),
            ("line", pa.int64()),
        ]
    ),
    key=("order_id", "sku", "returned_at", "license_plate_number"),
)

CANCELLATIONS = TableSpec(
    "cancellations",
    pa.schema(
        [
            ("order_date", pa.date32()),
            ("order_id", pa.string()),
            ("impacts_account_health", pa.bool_()),
            ("line", pa.int64()),
        ]
    ),
    key=("order_id",),
)

SHIPMENTS = TableSpec(
    "shipments",
    pa.schema(
        [
            ("order_id", pa.string()),
            ("expected_ship_at", TS),
            ("ship_confirmed_at", TS),  # null = not confirmed
            ("carrier", pa.string()),
            ("tracking_id", pa.string()),
            ("first_carrier_scan_at", TS),
            ("promised_delivery_at", TS),
            ("delivered_at", TS),
            ("units", pa.int64()),
            ("line", pa.int64()),
        ]
    ),
    key=("order_id", "tracking_id"),
)

CLAIMS = TableSpec(
    "claims",
    pa.schema(
        [
            ("order_id", pa.string()),
            ("claim_id", pa.string()),
            ("filed_at", TS),
            ("reason", pa.string()),  # item_not_received | not_as_described | other (lower case)
            ("status", pa.string()),  # metric-conventions.md §1 vocabulary, lower case
            ("buy_shipping", pa.bool_()),  # null when the column is absent or blank
            ("line", pa.int64()),
        ]
    ),
    key=("claim_id",),
)

CHARGEBACKS = TableSpec(
    "chargebacks",
    pa.schema(
        [
            ("order_id", pa.string()),
            ("chargeback_id", pa.string()),
            ("filed_at", TS),
            ("reason", pa.string()),  # service | fraud
            ("status", pa.string()),  # open | represented_won | refunded | debited
            ("line", pa.int64()),
        ]
    ),
    key=("chargeback_id",),
)

MESSAGES = TableSpec(
    "messages",
    pa.schema(
        [
            ("message_id", pa.string()),
            ("received_at", TS),
            ("order_id", pa.string()),
            ("first_response_at", TS),
            ("no_response_needed", pa.bool_()),  # blank = False
            ("line", pa.int64()),
        ]
    ),
    key=("message_id",),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        ORDERS,
        FEEDBACK,
        RETURNS_MFN,
        RETURNS_FBA,
        CANCELLATIONS,
        SHIPMENTS,
        CLAIMS,
        CHARGEBACKS,
        MESSAGES,
    )
}
"""Every row table, by report type id. ``performance_v2`` is a JSON snapshot, not a row table."""

REPORT_TYPES: tuple[str, ...] = (*TABLES, "performance_v2")
"""Every report type id ``ingest`` accepts (metric-conventions.md §1)."""
