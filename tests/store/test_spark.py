"""The same current rows on PySpark as on DuckDB: one ibis expression, two engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from goodstanding.store.db import Database
from goodstanding.store.warehouse import Warehouse
from goodstanding.tables import TABLES

from .builders import account_id, batch, import_files, order, updated_at

pytestmark = pytest.mark.spark

pytest.importorskip("pyspark")


def rows_of(table: Any) -> list[tuple[Any, ...]]:
    arrow: pa.Table = table.to_pyarrow()
    return sorted(
        (tuple(row.values()) for row in arrow.to_pylist()), key=lambda r: tuple(map(str, r))
    )


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """An account whose exports overlap in every way the dedup must handle."""
    root = tmp_path_factory.mktemp("spark")
    warehouse = Warehouse(Database.open(f"sqlite:///{root / 'store.db'}"), root / "warehouse")
    requested = date(2026, 3, 9)
    import_files(
        warehouse,
        "acme",
        (
            "orders",
            [
                batch(
                    "orders",
                    [
                        order("X", last_updated_at=updated_at(2), order_status="Pending"),
                        order("Y", last_updated_at=updated_at(2), item_price=10.0),
                        order("K", **{"x_ship-city": "Paris"}),
                    ],
                    extras=["x_ship-city"],
                )
            ],
        ),
        (
            "returns_mfn",
            [batch("returns_mfn", [{"order_id": "X", "return_requested_on": requested}])],
        ),
        ("claims", [pa.RecordBatch.from_pylist([], schema=TABLES["claims"].schema)]),
    )
    import_files(
        warehouse,
        "acme",
        (
            "orders",
            [
                batch(
                    "orders",
                    [
                        order("X", last_updated_at=updated_at(3), sku="S1"),
                        order("X", last_updated_at=updated_at(3), sku="S2"),
                        order("Y", last_updated_at=updated_at(2), item_price=11.0),
                    ],
                )
            ],
        ),
        (
            "returns_mfn",
            [
                batch(
                    "returns_mfn",
                    [{"order_id": "X", "return_requested_on": requested, "quantity": 3}],
                )
            ],
        ),
    )
    yield warehouse
    warehouse.database.dispose()


def test_pyspark_gives_the_same_current_rows_as_duckdb(overlapping: Warehouse) -> None:
    acme = account_id(overlapping, "acme")

    duck = overlapping.tables(acme, backend="duckdb")
    spark = overlapping.tables(acme, backend="pyspark")

    assert set(spark) == set(duck) == {"orders", "returns_mfn", "claims"}
    for name in duck:
        assert spark[name].columns == duck[name].columns
        assert rows_of(spark[name]) == rows_of(duck[name])
    orders = {(r[0], r[7]) for r in rows_of(spark["orders"])}
    assert orders == {("K", "MUG-1"), ("X", "S1"), ("X", "S2"), ("Y", "MUG-1")}
    assert rows_of(spark["claims"]) == []


def test_pyspark_session_is_created_once_and_reused(overlapping: Warehouse) -> None:
    from goodstanding.store._spark import spark_backend

    first, session = spark_backend()
    second, again = spark_backend()

    assert first is second and session is again
    assert session.conf.get("spark.sql.session.timeZone") == "UTC"


def test_pyspark_tables_follow_each_new_import(tmp_path: Path) -> None:
    warehouse = Warehouse(Database.open(f"sqlite:///{tmp_path / 'store.db'}"), tmp_path / "w")
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    acme = account_id(warehouse, "acme")
    first = warehouse.tables(acme, backend="pyspark")["orders"]
    counted_first = first.count().to_pyarrow().as_py()

    import_files(warehouse, "acme", ("orders", [batch("orders", [order("B")])]))
    second = warehouse.tables(acme, backend="pyspark")["orders"]

    assert counted_first == 1
    assert second.count().to_pyarrow().as_py() == 2
    warehouse.database.dispose()
