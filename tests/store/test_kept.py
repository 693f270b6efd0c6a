"""What the warehouse keeps beside its files for fast reads: views for kept SQL, per-file tables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from goodstanding.sqlplans import PerFile, SqlPlans
from goodstanding.store.warehouse import Warehouse

from .builders import account_id, batch, import_files, order, read_current, updated_at

COUNTS = PerFile(
    "order_lines",
    "orders",
    "order_id",
    lambda: "SELECT order_id, count(*) AS lines FROM lines GROUP BY order_id",
    sort="order_id",
)


def _two_exports(warehouse: Warehouse) -> None:
    first = [order("X", last_updated_at=updated_at(2)), order("Y", last_updated_at=updated_at(2))]
    second = [
        order("X", last_updated_at=updated_at(3), sku="S1"),
        order("X", last_updated_at=updated_at(3), sku="S2"),
        order("Z", last_updated_at=updated_at(3)),
    ]
    import_files(warehouse, "acme", ("orders", [batch("orders", first)]))
    import_files(warehouse, "acme", ("orders", [batch("orders", second)]))


def _rows(warehouse: Warehouse, sql: str, derived: list[PerFile] | None = None) -> list[Any]:
    tables = warehouse.sql_tables(account_id(warehouse, "acme"), derived or [])
    try:
        return sorted(tables.rows(sql), key=str)
    finally:
        tables.close()


def test_views_hold_the_current_rows_of_the_ibis_tables(warehouse: Warehouse) -> None:
    _two_exports(warehouse)
    expected = [(r["order_id"], r["sku"], r["line"]) for r in read_current(warehouse, "acme")]

    found = _rows(warehouse, "SELECT order_id, sku, line FROM current_orders")

    assert sorted(found) == sorted(expected)
    assert len(found) == 4  # X twice from the re-export, Y, Z


def test_per_file_tables_are_derived_once_and_follow_reexports(warehouse: Warehouse) -> None:
    _two_exports(warehouse)

    first = _rows(warehouse, "SELECT order_id, lines FROM current_order_lines", [COUNTS])
    kept = sorted((warehouse.root).rglob("*.order_lines-*.parquet"))
    stamps = [path.stat().st_mtime_ns for path in kept]
    again = _rows(warehouse, "SELECT order_id, lines FROM current_order_lines", [COUNTS])

    # X's line set was replaced by the second export: its two lines, not the first file's one.
    assert first == again == [("X", 2), ("Y", 1), ("Z", 1)]
    assert len(kept) == 2
    assert [path.stat().st_mtime_ns for path in kept] == stamps


def test_a_changed_derivation_replaces_the_kept_files(warehouse: Warehouse) -> None:
    _two_exports(warehouse)
    _rows(warehouse, "SELECT * FROM current_order_lines", [COUNTS])
    changed = PerFile(
        "order_lines",
        "orders",
        "order_id",
        lambda: "SELECT order_id, count(*) * 10 AS lines FROM lines GROUP BY order_id",
    )

    # A new version of goodstanding: its sources' digest keys new plans.
    warehouse.plans = SqlPlans()
    found = _rows(warehouse, "SELECT order_id, lines FROM current_order_lines", [changed])

    assert found == [("X", 20), ("Y", 10), ("Z", 10)]
    assert len(sorted(warehouse.root.rglob("*.order_lines-*.parquet"))) == 2


def test_a_derived_table_the_home_cannot_keep_is_left_out(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_exports(warehouse)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    tables = warehouse.sql_tables(account_id(warehouse, "acme"), [COUNTS])
    try:
        assert tables.derived == frozenset()
        assert tables.imported == frozenset({"orders"})
    finally:
        tables.close()
    assert not list(warehouse.root.rglob("*.tmp"))
    assert not list(warehouse.root.rglob("*.order_lines-*.parquet"))


def test_order_date_bounds_are_kept_beside_each_file(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_exports(warehouse)
    account = account_id(warehouse, "acme")

    bounds = warehouse.order_date_bounds(account)
    kept = sorted(warehouse.root.rglob("*.order-dates.json"))
    assert len(kept) == 2
    kept[0].write_text("not json")  # a damaged file is read again from the Parquet file

    import duckdb

    assert warehouse.order_date_bounds(account) == bounds

    def closed(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the kept figures should have been read")

    monkeypatch.setattr(duckdb, "connect", closed)
    assert warehouse.order_date_bounds(account) == bounds
    assert bounds and all(first <= last for first, last in bounds.values())


def test_a_removed_account_takes_its_kept_files_along(warehouse: Warehouse, tmp_path: Path) -> None:
    _two_exports(warehouse)
    _rows(warehouse, "SELECT * FROM current_order_lines", [COUNTS])
    warehouse.order_date_bounds(account_id(warehouse, "acme"))

    warehouse.remove_account("acme")

    assert not list(warehouse.root.rglob("*.order_lines-*.parquet"))
    assert not list(warehouse.root.rglob("*.order-dates.json"))


def test_a_file_missing_a_canonical_column_is_a_clear_error(warehouse: Warehouse) -> None:
    import pyarrow.parquet as pq

    from goodstanding.errors import StoreError

    _two_exports(warehouse)
    # As an older version might have written them: without a column this version reads.
    for stored in warehouse.root.glob("*/orders/*.parquet"):
        pq.write_table(pq.read_table(stored).drop_columns(["order_status"]), stored)

    with pytest.raises(StoreError, match="orders files of account") as raised:
        warehouse.sql_tables(account_id(warehouse, "acme"))
    assert "Re-import" in (raised.value.hint or "")
