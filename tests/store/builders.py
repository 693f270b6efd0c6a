"""Canonical Arrow rows for the store tests, built without the parsers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from goodstanding.store.repositories import AccountRepository
from goodstanding.store.warehouse import ImportOutcome, Warehouse
from goodstanding.tables import TABLES
from goodstanding.types import AccountType

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

ORDER_DEFAULTS: Mapping[str, Any] = {
    "order_id": "111-0000001-0000001",
    "purchase_at": T0,
    "order_date": T0.date(),
    "last_updated_at": datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    "order_status": "Shipped",
    "channel": "mfn",
    "marketplace": "Amazon.com",
    "sku": "MUG-1",
    "asin": "B000000001",
    "item_status": "Shipped",
    "quantity": 1,
    "currency": "USD",
    "item_price": 12.5,
    "product_name": "Blue mug",
    "ship_service_level": "Standard",
}

DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "orders": ORDER_DEFAULTS,
    "feedback": {"feedback_date": date(2026, 3, 5), "rating": 1, "order_id": "111-0000001-0000001"},
    "claims": {
        "order_id": "111-0000001-0000001",
        "claim_id": "C1",
        "filed_at": T0,
        "reason": "item_not_received",
        "status": "pending",
    },
    "returns_mfn": {"order_id": "111-0000001-0000001", "asin": "B000000001", "quantity": 1},
}


def batch(
    table: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    extras: Sequence[str] = (),
    first_line: int = 2,
) -> pa.RecordBatch:
    """A canonical record batch of ``table``: each row from the defaults plus its own values.

    ``line`` counts from ``first_line`` unless a row sets it; ``extras`` adds ``x_*`` string
    columns (a row sets them like any column).
    """
    spec = TABLES[table]
    schema = spec.schema
    for name in extras:
        schema = schema.append(pa.field(name, pa.string()))
    defaults = DEFAULTS.get(table, {})
    full = [{**defaults, "line": first_line + index, **row} for index, row in enumerate(rows)]
    return pa.RecordBatch.from_pylist(full, schema=schema)


def order(order_id: str, **values: Any) -> dict[str, Any]:
    """One order line."""
    return {"order_id": order_id, **values}


def updated_at(day: int, hour: int = 10) -> datetime:
    """A ``last_updated_at`` in March 2026."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def many_orders(
    count: int, *, per_batch: int = 50_000, price: float = 9.99
) -> Iterator[pa.RecordBatch]:
    """``count`` order lines (two per order), streamed in batches, built column-wise."""
    spec = TABLES["orders"]
    for start in range(0, count, per_batch):
        size = min(per_batch, count - start)
        numbers = range(start, start + size)
        columns: dict[str, pa.Array] = {
            "order_id": pa.array([f"900-{n // 2:07d}-0000000" for n in numbers]),
            "line": pa.array([n + 2 for n in numbers], pa.int64()),
            "item_price": pa.array([price] * size, pa.float64()),
        }
        arrays = []
        for field in spec.schema:
            if field.name in columns:
                arrays.append(columns[field.name])
            else:
                arrays.append(pa.array([ORDER_DEFAULTS[field.name]] * size, field.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=spec.schema)


def import_files(
    warehouse: Warehouse,
    account: str,
    *files: tuple[str, Iterable[pa.RecordBatch]],
    digest: str = "0" * 64,
) -> ImportOutcome:
    """Import ``(report_type, batches)`` files in one transaction (creating the account)."""
    with warehouse.begin_import(account) as transaction:
        for index, (report_type, batches) in enumerate(files):
            transaction.add_rows(f"file{index}.txt", report_type, batches, sha256=digest)
        if transaction.account is None:
            transaction.create_account(marketplace="Amazon.com", account_type=AccountType.SELLER)
        return transaction.commit()


def account_id(warehouse: Warehouse, account: str) -> int:
    """The id of an account."""
    with warehouse.database.session() as session:
        return AccountRepository(session).get(account).id


def read_current(warehouse: Warehouse, account: str, table: str = "orders") -> list[dict[str, Any]]:
    """The current rows of a table (DuckDB), sorted by order id and line, as dicts."""
    tables = warehouse.tables(account_id(warehouse, account))
    arrow: pa.Table = tables[table].to_pyarrow()
    rows: list[dict[str, Any]] = arrow.to_pylist()
    return sorted(rows, key=lambda r: (str(r.get("order_id")), r["line"]))
