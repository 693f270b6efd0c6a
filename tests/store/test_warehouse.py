"""The warehouse: atomic, idempotent imports, which rows are current, cleanup after failures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from goodstanding.errors import ConfigError, NotFoundError, ReportFormatError, StoreError
from goodstanding.store._files import FileLock
from goodstanding.store.repositories import (
    AccountRepository,
    ImportRecord,
    ImportRepository,
    SnapshotRepository,
)
from goodstanding.store.warehouse import (
    SEQ_COLUMN,
    FileCounts,
    ImportTransaction,
    Warehouse,
    lock_key,
)
from goodstanding.tables import TABLES
from goodstanding.types import AccountType

from .builders import (
    account_id,
    batch,
    import_files,
    many_orders,
    order,
    read_current,
    updated_at,
)


def counts_of(record: ImportRecord) -> tuple[int, int, int, int]:
    return (record.rows, record.inserted, record.updated, record.unchanged)


def parquet_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.parquet"))


def test_import_makes_rows_visible_when_committed(warehouse: Warehouse) -> None:
    rows = [order("A", sku="S1"), order("A", sku="S2"), order("B")]

    outcome = import_files(warehouse, "acme", ("orders", [batch("orders", rows)]))

    assert outcome.account.name == "acme"
    assert counts_of(outcome.files[0]) == (3, 3, 0, 0)
    current = read_current(warehouse, "acme")
    assert [(r["order_id"], r["sku"], r["line"]) for r in current] == [
        ("A", "S1", 2),
        ("A", "S2", 3),
        ("B", "MUG-1", 4),
    ]
    assert list(current[0]) == TABLES["orders"].schema.names


def test_reimport_inserts_nothing_when_content_is_identical(warehouse: Warehouse) -> None:
    rows = [order("A", sku="S1"), order("A", sku="S2"), order("B")]
    import_files(warehouse, "acme", ("orders", [batch("orders", rows)]))
    before = read_current(warehouse, "acme")

    again = import_files(warehouse, "acme", ("orders", [batch("orders", rows)]))

    assert counts_of(again.files[0]) == (3, 0, 0, 3)
    assert read_current(warehouse, "acme") == before
    assert len(warehouse.files(account_id(warehouse, "acme"))["orders"]) == 1


def test_reimport_is_unchanged_when_only_lines_and_extras_differ(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A"), order("B")])]))
    moved = batch(
        "orders",
        [order("B", **{"x_ship-city": "Paris"}), order("A", **{"x_ship-city": "Lyon"})],
        extras=["x_ship-city"],
        first_line=40,
    )

    again = import_files(warehouse, "acme", ("orders", [moved]))

    assert counts_of(again.files[0]) == (2, 0, 0, 2)
    assert [r["line"] for r in read_current(warehouse, "acme")] == [2, 3]


def test_later_last_updated_wins_when_exports_overlap(warehouse: Warehouse) -> None:
    first = [
        order("X", last_updated_at=updated_at(2), order_status="Pending", item_price=None),
        order("Y", last_updated_at=updated_at(2)),
    ]
    second = [
        order("X", last_updated_at=updated_at(3), sku="S1"),
        order("X", last_updated_at=updated_at(3), sku="S2"),
        order("Z", last_updated_at=updated_at(3)),
    ]
    import_files(warehouse, "acme", ("orders", [batch("orders", first)]))

    outcome = import_files(warehouse, "acme", ("orders", [batch("orders", second)]))

    assert counts_of(outcome.files[0]) == (3, 1, 2, 0)
    current = read_current(warehouse, "acme")
    assert [(r["order_id"], r["sku"], r["order_status"]) for r in current] == [
        ("X", "S1", "Shipped"),
        ("X", "S2", "Shipped"),
        ("Y", "MUG-1", "Shipped"),
        ("Z", "MUG-1", "Shipped"),
    ]


def test_older_export_changes_nothing_when_imported_after_a_newer_one(
    warehouse: Warehouse,
) -> None:
    newer = [order("X", last_updated_at=updated_at(5), order_status="Shipped")]
    older = [
        order("X", last_updated_at=updated_at(2), order_status="Pending"),
        order("X", last_updated_at=updated_at(2), order_status="Pending", sku="S9"),
        order("W", last_updated_at=updated_at(2)),
    ]
    import_files(warehouse, "acme", ("orders", [batch("orders", newer)]))

    outcome = import_files(warehouse, "acme", ("orders", [batch("orders", older)]))

    assert counts_of(outcome.files[0]) == (3, 1, 0, 2)
    current = read_current(warehouse, "acme")
    assert [(r["order_id"], r["order_status"]) for r in current] == [
        ("W", "Shipped"),
        ("X", "Shipped"),
    ]


def test_later_import_wins_when_last_updated_ties(warehouse: Warehouse) -> None:
    cheap = [order("X", last_updated_at=updated_at(2), item_price=10.0)]
    dear = [order("X", last_updated_at=updated_at(2), item_price=11.0)]
    import_files(warehouse, "acme", ("orders", [batch("orders", cheap)]))

    second = import_files(warehouse, "acme", ("orders", [batch("orders", dear)]))
    after_second = [r["item_price"] for r in read_current(warehouse, "acme")]
    third = import_files(warehouse, "acme", ("orders", [batch("orders", cheap)]))

    assert counts_of(second.files[0]) == (1, 0, 1, 0)
    assert after_second == [11.0]
    assert counts_of(third.files[0]) == (1, 0, 1, 0)
    assert [r["item_price"] for r in read_current(warehouse, "acme")] == [10.0]


def test_order_line_set_is_replaced_whole_when_it_shrinks(warehouse: Warehouse) -> None:
    three = [order("X", sku=f"S{i}", last_updated_at=updated_at(2)) for i in range(3)]
    one = [order("X", sku="S1", last_updated_at=updated_at(4), order_status="Cancelled")]
    import_files(warehouse, "acme", ("orders", [batch("orders", three)]))

    outcome = import_files(warehouse, "acme", ("orders", [batch("orders", one)]))

    assert counts_of(outcome.files[0]) == (1, 0, 1, 0)
    assert [(r["sku"], r["order_status"]) for r in read_current(warehouse, "acme")] == [
        ("S1", "Cancelled")
    ]


def test_later_import_wins_per_key_in_other_tables(warehouse: Warehouse) -> None:
    first = [{"order_id": "O1", "rating": 1}, {"order_id": "O2", "rating": 2}]
    second = [{"order_id": "O1", "rating": 3}, {"order_id": "O2", "rating": 2}]
    import_files(warehouse, "acme", ("feedback", [batch("feedback", first)]))

    outcome = import_files(warehouse, "acme", ("feedback", [batch("feedback", second)]))

    assert counts_of(outcome.files[0]) == (2, 0, 1, 1)
    ratings = {r["order_id"]: r["rating"] for r in read_current(warehouse, "acme", "feedback")}
    assert ratings == {"O1": 3, "O2": 2}


def test_blank_key_parts_match_each_other(warehouse: Warehouse) -> None:
    requested = date(2026, 3, 9)
    first = [{"order_id": "O1", "return_requested_on": requested, "rma_id": None, "quantity": 1}]
    second = [{"order_id": "O1", "return_requested_on": requested, "rma_id": None, "quantity": 2}]
    import_files(warehouse, "acme", ("returns_mfn", [batch("returns_mfn", first)]))

    outcome = import_files(warehouse, "acme", ("returns_mfn", [batch("returns_mfn", second)]))

    assert counts_of(outcome.files[0]) == (1, 0, 1, 0)
    assert [r["quantity"] for r in read_current(warehouse, "acme", "returns_mfn")] == [2]


def test_files_of_one_import_compete_in_their_order(warehouse: Warehouse) -> None:
    early = [order("X", last_updated_at=updated_at(2), order_status="Pending")]
    late = [order("X", last_updated_at=updated_at(3))]

    outcome = import_files(
        warehouse,
        "acme",
        ("orders", [batch("orders", early)]),
        ("orders", [batch("orders", late)]),
        ("orders", [batch("orders", late)]),
    )

    assert [counts_of(f) for f in outcome.files] == [(1, 1, 0, 0), (1, 0, 1, 0), (1, 0, 0, 1)]
    assert [r["order_status"] for r in read_current(warehouse, "acme")] == ["Shipped"]


def test_unchanged_groups_are_not_written_again(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("X"), order("Y")])]))

    import_files(warehouse, "acme", ("orders", [batch("orders", [order("X"), order("Z")])]))

    files = warehouse.files(account_id(warehouse, "acme"))["orders"]
    written = pq.read_table(files[1]).column("order_id").to_pylist()
    assert written == ["Z"]
    assert [r["order_id"] for r in read_current(warehouse, "acme")] == ["X", "Y", "Z"]


def test_header_only_file_gives_an_empty_table(warehouse: Warehouse) -> None:
    empty = pa.RecordBatch.from_pylist([], schema=TABLES["claims"].schema)

    outcome = import_files(warehouse, "acme", ("claims", [empty]))
    again = import_files(warehouse, "acme", ("claims", [empty]))

    assert counts_of(outcome.files[0]) == (0, 0, 0, 0)
    assert counts_of(again.files[0]) == (0, 0, 0, 0)
    tables = warehouse.tables(account_id(warehouse, "acme"))
    assert set(tables) == {"claims"}
    claims = tables["claims"].to_pyarrow()
    assert claims.num_rows == 0
    assert claims.column_names == TABLES["claims"].schema.names


def test_file_without_any_batch_counts_as_header_only(warehouse: Warehouse) -> None:
    outcome = import_files(warehouse, "acme", ("messages", []))

    assert counts_of(outcome.files[0]) == (0, 0, 0, 0)
    assert read_current(warehouse, "acme", "messages") == []


def test_raw_extras_of_every_file_are_columns(warehouse: Warehouse) -> None:
    first = batch("orders", [order("A", **{"x_ship-city": "Paris"})], extras=["x_ship-city"])
    second = batch("orders", [order("B", x_cpf="123")], extras=["x_cpf"])

    import_files(warehouse, "acme", ("orders", [first]), ("orders", [second]))

    current = read_current(warehouse, "acme")
    assert list(current[0])[-2:] == ["x_cpf", "x_ship-city"]
    assert [(r["x_ship-city"], r["x_cpf"]) for r in current] == [("Paris", None), (None, "123")]
    assert all(SEQ_COLUMN not in r for r in current)


def failing(first: pa.RecordBatch) -> Iterator[pa.RecordBatch]:
    yield first
    raise ReportFormatError("bad.txt", "a date cannot be read", line=9, column="purchase-date")


def test_import_is_atomic_when_a_later_file_fails(warehouse: Warehouse) -> None:
    good = batch("orders", [order("A")])

    with pytest.raises(ReportFormatError, match="line 9"):
        import_files(
            warehouse,
            "acme",
            ("orders", [good]),
            ("feedback", failing(batch("feedback", [{"order_id": "A"}]))),
        )

    with warehouse.database.session() as session:
        assert AccountRepository(session).find("acme") is None
    assert parquet_files(warehouse.root) == []
    assert list((warehouse.root / ".staging").iterdir()) == []


def test_failed_import_leaves_an_existing_account_as_it_was(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    before = read_current(warehouse, "acme")
    files_before = parquet_files(warehouse.root)

    with pytest.raises(ReportFormatError):
        import_files(
            warehouse,
            "acme",
            ("orders", [batch("orders", [order("A", item_price=1.0), order("B")])]),
            ("orders", failing(batch("orders", [order("C")]))),
        )

    assert read_current(warehouse, "acme") == before
    assert parquet_files(warehouse.root) == files_before
    with warehouse.database.session() as session:
        assert len(ImportRepository(session).all(account_id(warehouse, "acme"))) == 1


def test_nothing_is_kept_when_commit_is_not_called(warehouse: Warehouse) -> None:
    with warehouse.begin_import("acme") as transaction:
        transaction.add_rows("a.txt", "orders", [batch("orders", [order("A")])], sha256="0")

    assert parquet_files(warehouse.root) == []
    with pytest.raises(NotFoundError):
        account_id(warehouse, "acme")


def test_files_renamed_before_a_failed_commit_are_deleted(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    files_before = parquet_files(warehouse.root)
    original = ImportTransaction._move_into_place
    moved: list[int] = []

    def move_then_fail(self: ImportTransaction, moves: list[tuple[Path, Path]]) -> None:
        original(self, moves)
        moved.append(len(moves))
        raise StoreError("the database went away")

    monkeypatch.setattr(ImportTransaction, "_move_into_place", move_then_fail)

    with pytest.raises(StoreError, match="went away"):
        import_files(warehouse, "acme", ("orders", [batch("orders", [order("B")])]))

    assert moved == [1]
    assert parquet_files(warehouse.root) == files_before
    assert [r["order_id"] for r in read_current(warehouse, "acme")] == ["A"]
    assert list((warehouse.root / ".staging").iterdir()) == []


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (pa.RecordBatch.from_pylist([{"order_id": "A"}]), "lack the column"),
        (
            pa.RecordBatch.from_pylist(
                [{"order_id": "A"}],
                schema=TABLES["orders"].schema.set(
                    TABLES["orders"].schema.get_field_index("quantity"),
                    pa.field("quantity", pa.string()),
                ),
            ),
            "column 'quantity'",
        ),
        (batch("orders", [order("A")]).append_column("sneaky", pa.array(["v"])), "neither"),
    ],
)
def test_batches_of_the_wrong_shape_are_refused(
    warehouse: Warehouse, rows: pa.RecordBatch, problem: str
) -> None:
    with pytest.raises(StoreError, match=problem):
        import_files(warehouse, "acme", ("orders", [rows]))

    assert parquet_files(warehouse.root) == []


def test_a_schema_change_mid_file_is_refused(warehouse: Warehouse) -> None:
    first = batch("orders", [order("A")])
    second = batch("orders", [order("B")], extras=["x_more"])

    with pytest.raises(StoreError, match="mid-way"):
        import_files(warehouse, "acme", ("orders", [first, second]))


def test_unknown_report_type_is_refused(warehouse: Warehouse) -> None:
    with pytest.raises(StoreError, match="not a row table"):
        import_files(warehouse, "acme", ("performance_v2", []))


def test_commit_needs_a_file_and_an_account(warehouse: Warehouse) -> None:
    with warehouse.begin_import("acme") as transaction, pytest.raises(StoreError, match="Nothing"):
        transaction.commit()
    with warehouse.begin_import("acme") as transaction:
        transaction.add_rows("a.txt", "orders", [batch("orders", [order("A")])], sha256="0")
        with pytest.raises(StoreError, match="not being created"):
            transaction.commit()


def snapshot(as_of: str, value: float) -> dict[str, object]:
    return {"as_of": as_of, "marketplaces": [{"marketplace": "Amazon.com", "odr": value}]}


def add_snapshots(warehouse: Warehouse, *snapshots: dict[str, object]) -> list[FileCounts]:
    with warehouse.begin_import("acme") as transaction:
        counts = [
            transaction.add_snapshot(f"v2-{i}.json", s, sha256="f" * 64)
            for i, s in enumerate(snapshots)
        ]
        if transaction.account is None:
            transaction.create_account(marketplace="Amazon.com", account_type=AccountType.SELLER)
        transaction.commit()
    return counts


def test_snapshots_are_kept_by_date_and_not_twice(warehouse: Warehouse) -> None:
    first = add_snapshots(warehouse, snapshot("2026-03-01", 0.01), snapshot("2026-03-02", 0.02))
    second = add_snapshots(warehouse, snapshot("2026-03-02", 0.02), snapshot("2026-03-02", 0.03))

    assert first == [FileCounts(1, 1, 0, 0), FileCounts(1, 1, 0, 0)]
    assert second == [FileCounts(1, 0, 0, 1), FileCounts(1, 0, 1, 0)]
    with warehouse.database.session() as session:
        kept = SnapshotRepository(session).all(account_id(warehouse, "acme"))
        ledger = ImportRepository(session).all(account_id(warehouse, "acme"))
    assert [(s.as_of.isoformat(), s.payload["marketplaces"][0]["odr"]) for s in kept] == [
        ("2026-03-01", 0.01),
        ("2026-03-02", 0.02),
        ("2026-03-02", 0.03),
    ]
    assert [r.report_type for r in ledger] == ["performance_v2"] * 4
    assert "performance_v2" not in warehouse.tables(account_id(warehouse, "acme"))


def test_snapshot_without_a_date_is_refused(warehouse: Warehouse) -> None:
    with pytest.raises(StoreError, match="as_of"):
        add_snapshots(warehouse, {"marketplaces": []})


def test_remove_account_deletes_its_files_and_ledger(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    import_files(warehouse, "other", ("orders", [batch("orders", [order("B")])]))
    acme = account_id(warehouse, "acme")

    removed = warehouse.remove_account("acme")

    assert removed.id == acme
    assert not (warehouse.root / str(acme)).exists()
    with warehouse.database.session() as session:
        assert ImportRepository(session).all(acme) == []
    assert [r["order_id"] for r in read_current(warehouse, "other")] == ["B"]
    with pytest.raises(NotFoundError):
        warehouse.remove_account("acme")


def test_account_ids_are_not_reused_after_a_removal(warehouse: Warehouse) -> None:
    first = warehouse.create_account("a", marketplace="Amazon.com", account_type=AccountType.SELLER)
    warehouse.remove_account("a")

    second = warehouse.create_account(
        "b", marketplace="Amazon.com", account_type=AccountType.SELLER
    )

    assert second.id > first.id


def dead_token(warehouse: Warehouse, account: str, manifest: dict[str, object]) -> Path:
    token = warehouse.root / ".staging" / f"{lock_key(account)}-deadbeef"
    token.mkdir(parents=True)
    (token / "3.parquet").write_bytes(b"partial")
    (token / "manifest.json").write_text(json.dumps(manifest))
    return token


def test_sweep_deletes_what_a_dead_import_left(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    acme = account_id(warehouse, "acme")
    committed = warehouse.files(acme)["orders"][0]
    orphan = warehouse.root / str(acme) / "orders" / "99.parquet"
    orphan.write_bytes(b"renamed but never committed")
    listed = [str(committed.relative_to(warehouse.root)), str(orphan.relative_to(warehouse.root))]
    token = dead_token(warehouse, "acme", {"account": "acme", "files": listed})

    assert warehouse.sweep() == 1

    assert not token.exists()
    assert not orphan.exists()
    assert committed.exists()
    assert [r["order_id"] for r in read_current(warehouse, "acme")] == ["A"]


def test_sweep_leaves_a_live_import_alone(warehouse: Warehouse) -> None:
    token = dead_token(warehouse, "acme", {})
    lock = FileLock(warehouse.root / ".locks" / f"{lock_key('acme')}.lock")
    lock.acquire()
    try:
        assert warehouse.sweep() == 0
        assert token.exists()
    finally:
        lock.release()

    assert warehouse.sweep() == 1
    assert not token.exists()


def test_sweep_finishes_an_interrupted_account_removal(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    acme = account_id(warehouse, "acme")
    with warehouse.database.transaction() as session:
        AccountRepository(session).delete(acme)
    dead_token(warehouse, "acme", {"account": "acme", "removed_account": acme})

    warehouse.sweep()

    assert not (warehouse.root / str(acme)).exists()


def test_import_sweeps_dead_leftovers_of_its_own_account(warehouse: Warehouse) -> None:
    token = dead_token(warehouse, "acme", {})

    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))

    assert not token.exists()


def test_reimport_of_many_rows_is_counted_set_wise(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", list(many_orders(60_000, per_batch=20_000))))

    again = import_files(
        warehouse,
        "acme",
        ("orders", list(many_orders(60_000, per_batch=25_000))),
        ("orders", list(many_orders(2_000, price=1.0))),
    )

    assert counts_of(again.files[0]) == (60_000, 0, 0, 60_000)
    assert counts_of(again.files[1]) == (2_000, 0, 2_000, 0)
    orders = warehouse.tables(account_id(warehouse, "acme"))["orders"]
    totals = orders.aggregate(n=orders.count(), cheap=(orders.item_price == 1.0).sum())
    assert totals.to_pyarrow().to_pylist() == [{"n": 60_000, "cheap": 2_000}]


def test_tables_refuses_an_unknown_backend(warehouse: Warehouse) -> None:
    with pytest.raises(ConfigError, match="backend"):
        warehouse.tables(1, backend="polars")


def test_a_lost_committed_file_is_reported_clearly(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A")])]))
    acme = account_id(warehouse, "acme")
    warehouse.files(acme)["orders"][0].unlink()

    with pytest.raises(StoreError, match="lost 1 committed file") as caught:
        warehouse.tables(acme)

    assert "backup" in str(caught.value)


def test_duckdb_tables_are_views_that_a_query_may_name_twice(warehouse: Warehouse) -> None:
    import ibis

    first = [order("X", last_updated_at=updated_at(2), order_status="Pending"), order("Y")]
    second = [order("X", last_updated_at=updated_at(4), order_status="Shipped")]
    import_files(warehouse, "acme", ("orders", [batch("orders", first)]))
    import_files(warehouse, "acme", ("orders", [batch("orders", second)]))
    orders = warehouse.tables(account_id(warehouse, "acme"))["orders"]

    shipped = orders.filter(orders.order_status == "Shipped").select("order_id")
    twice = orders.filter(orders.order_id.isin(shipped.order_id))
    sql = ibis.to_sql(twice)

    # Named, not inlined as a CTE that DuckDB would materialize over the whole history.
    assert "current_orders" in sql
    assert "WITH" not in sql.upper().split()
    assert sorted(twice.select("order_id", "order_status").to_pyarrow().to_pylist(), key=str) == [
        {"order_id": "X", "order_status": "Shipped"},
        {"order_id": "Y", "order_status": "Shipped"},
    ]


def test_order_date_bounds_count_superseded_versions_too(warehouse: Warehouse) -> None:
    first = [
        order(
            "X", order_date=date(2026, 1, 5), marketplace="Amazon.de", last_updated_at=updated_at(2)
        ),
        order("Y", order_date=date(2026, 2, 1), marketplace="Amazon.com"),
        order("Z", order_date=None, marketplace="Amazon.fr"),
    ]
    # The re-export moves X to another date and marketplace: its old line stays stored.
    second = [
        order(
            "X",
            order_date=date(2026, 3, 9),
            marketplace="Amazon.com",
            last_updated_at=updated_at(4),
        )
    ]
    import_files(warehouse, "acme", ("orders", [batch("orders", first)]))
    import_files(warehouse, "acme", ("orders", [batch("orders", second)]))

    bounds = warehouse.order_date_bounds(account_id(warehouse, "acme"))

    assert bounds == {
        "Amazon.de": (date(2026, 1, 5), date(2026, 1, 5)),
        "Amazon.com": (date(2026, 2, 1), date(2026, 3, 9)),
    }


def test_order_date_bounds_are_empty_without_orders(warehouse: Warehouse) -> None:
    import_files(warehouse, "acme", ("orders", [batch("orders", [])]))

    assert warehouse.order_date_bounds(account_id(warehouse, "acme")) == {}
