"""The demo account: real report files that goodstanding reads, with planted defects."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from goodstanding.config import Settings
from goodstanding.demo import DemoFiles, write_demo, write_orders
from goodstanding.errors import InputError
from goodstanding.ingest import ORDER_HEADERS, read_report
from goodstanding.metrics import compute_health
from goodstanding.workspace import Workspace

AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return write_demo(tmp_path_factory.mktemp("demo"), orders=3000, seed=7, as_of=AS_OF)


def _rows(path: Path) -> pa.Table:
    report = read_report(path)
    batches = list(report.iter_batches())
    assert report.schema is not None
    return pa.Table.from_batches(batches, schema=report.schema)


def _statuses(orders: pa.Table) -> dict[str, str]:
    ids = orders.column("order_id").to_pylist()
    return dict(zip(ids, orders.column("order_status").to_pylist(), strict=True))


def _metric(health: dict, marketplace: str, metric: str, channel: str, days: int) -> dict:
    (market,) = [m for m in health["marketplaces"] if m["marketplace"] == marketplace]
    (found,) = [
        m
        for m in market["metrics"]
        if m["id"] == metric and m["channel"] == channel and m["window_days"] == days
    ]
    return found


def test_write_demo_every_file_is_read_as_its_type(demo: DemoFiles) -> None:
    expected = {
        "orders",
        "feedback",
        "returns_mfn",
        "returns_fba",
        "cancellations",
        "shipments",
        "claims",
        "chargebacks",
        "messages",
        "performance_v2",
    }
    assert set(demo.types.values()) == expected
    assert sorted(p.name for p in demo.directory.iterdir()) == sorted(
        p.name for p in demo.files.values()
    )
    for key, path in demo.files.items():
        report = read_report(path)
        assert report.report_type == demo.types[key], path
        if report.report_type == "performance_v2":
            assert report.snapshot is not None
            assert report.snapshot["as_of"] == AS_OF.isoformat()
            assert [m["marketplace"] for m in report.snapshot["marketplaces"]] == [
                "Amazon.com",
                "Amazon.de",
            ]
        else:
            assert _rows(path).num_rows > 0, path


def test_write_demo_orders_file_has_the_current_header_and_both_channels(
    demo: DemoFiles,
) -> None:
    header = demo.files["orders"].read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert tuple(header) == ORDER_HEADERS["2024"]
    orders = _rows(demo.files["orders"])
    assert set(orders.column("channel").to_pylist()) == {"afn", "mfn"}
    assert set(orders.column("marketplace").to_pylist()) == {
        "Amazon.com",
        "Amazon.de",
        "Non-Amazon",
    }
    assert "Cancelled" in orders.column("order_status").to_pylist()
    dates = orders.column("order_date").to_pylist()
    assert min(dates) >= date(2026, 7, 24)  # 119 days before the as-of date
    assert max(dates) == AS_OF
    currencies = {
        (m, c)
        for m, c in zip(
            orders.column("marketplace").to_pylist(),
            orders.column("currency").to_pylist(),
            strict=True,
        )
        if m != "Non-Amazon"
    }
    assert currencies == {("Amazon.com", "USD"), ("Amazon.de", "EUR")}


def test_write_demo_references_only_orders_of_the_orders_files(demo: DemoFiles) -> None:
    known = set(_rows(demo.files["orders"]).column("order_id").to_pylist())
    known |= set(_rows(demo.files["orders_update"]).column("order_id").to_pylist())
    for key in ("feedback", "feedback_de", "claims", "chargebacks", "shipments", "returns_mfn"):
        ids = set(_rows(demo.files[key]).column("order_id").to_pylist())
        assert ids <= known, key
    messages = _rows(demo.files["messages"]).column("order_id").to_pylist()
    assert {m for m in messages if m is not None} <= known
    assert messages.count(None) == 2  # the two questions asked before buying


def test_write_demo_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first = write_demo(tmp_path / "a", orders=400, seed=3, as_of=AS_OF)
    second = write_demo(tmp_path / "b", orders=400, seed=3, as_of=AS_OF)
    other = write_demo(tmp_path / "c", orders=400, seed=4, as_of=AS_OF)
    for key, path in first.files.items():
        assert path.read_bytes() == second.files[key].read_bytes(), key
    assert first.files["orders"].read_bytes() != other.files["orders"].read_bytes()


def test_write_demo_defaults_to_today(tmp_path: Path) -> None:
    files = write_demo(tmp_path, orders=50)
    assert files.as_of == datetime.now(UTC).date()
    assert files.orders == 50


def test_write_demo_rejects_an_unknown_marketplace(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Amazon\.xx"):
        write_demo(tmp_path, marketplaces=("Amazon.xx",))
    with pytest.raises(InputError, match="at least 10"):
        write_demo(tmp_path, orders=5)
    with pytest.raises(InputError, match="seed"):
        write_demo(tmp_path, seed=-1)


def test_write_orders_takes_a_large_seed(tmp_path: Path) -> None:
    path = write_orders(tmp_path / "o.txt", rows=20, seed=10**15, as_of=AS_OF)
    assert _rows(path).num_rows == 20


def test_ingest_of_the_demo_directory_keeps_every_line(demo: DemoFiles, settings: Settings) -> None:
    with Workspace.open(settings) as workspace:
        result = workspace.ingest(sorted(demo.directory.iterdir()), account="demo-store")
        assert workspace.get_account("demo-store").marketplace == "Amazon.com"
        by_file = {f["path"]: f for f in result.to_json()["files"]}
        update = by_file[str(demo.files["orders_update"])]
        # The update re-lists orders of the noon export (now shipped) and adds the evening's.
        assert update["updated"] > 0 and update["inserted"] > 0
        orders = workspace.tables("demo-store")["orders"].to_pyarrow()
        assert orders.num_rows == 3000
        again = workspace.ingest(sorted(demo.directory.iterdir()), account="demo-store")
        assert all(f["inserted"] == 0 and f["updated"] == 0 for f in again.to_json()["files"])


def test_ingest_of_the_demo_update_wins_over_the_noon_export(
    demo: DemoFiles, settings: Settings
) -> None:
    noon = _rows(demo.files["orders"])
    evening = _rows(demo.files["orders_update"])
    before = _statuses(noon)
    after = _statuses(evening)
    changed = {o: s for o, s in after.items() if o in before and before[o] != s}
    assert changed, "the update should change the status of some orders"
    assert {before[o] for o in changed} <= {"Unshipped", "Pending"}
    with Workspace.open(settings) as workspace:
        workspace.ingest([demo.files["orders_update"]], account="shop")
        workspace.ingest([demo.files["orders"]], account="shop")
        stored = workspace.tables("shop")["orders"].to_pyarrow()
    now = _statuses(stored)
    assert {o: now[o] for o in changed} == changed


def test_health_of_the_demo_shows_breaches_and_healthy_metrics(
    demo: DemoFiles, settings: Settings
) -> None:
    with Workspace.open(settings) as workspace:
        workspace.ingest(list(demo.files.values()), account="demo-store")
        health = compute_health(workspace.tables("demo-store"), account="demo-store", as_of=AS_OF)
    statuses = {m["status"] for market in health["marketplaces"] for m in market["metrics"]}
    assert {"breach", "at_risk", "ok"} <= statuses
    odr = _metric(health, "Amazon.com", "order_defect_rate", "mfn", 60)
    # 1.6 % of the window's orders were given a defect, rounded up.
    assert odr["numerator"] == math.ceil(0.016 * odr["denominator"])
    assert odr["status"] == "breach"
    assert _metric(health, "Amazon.com", "order_defect_rate", "afn", 60)["status"] == "ok"
    assert _metric(health, "Amazon.de", "order_defect_rate", "mfn", 60)["status"] == "ok"
    assert _metric(health, "Amazon.com", "late_shipment_rate", "mfn", 30)["status"] == "breach"
    assert _metric(health, "Amazon.de", "late_shipment_rate", "mfn", 30)["status"] == "ok"
    assert _metric(health, "Amazon.de", "valid_tracking_rate", "mfn", 30)["status"] == "at_risk"
    assert _metric(health, "Amazon.com", "valid_tracking_rate", "mfn", 30)["status"] == "ok"
    assert health["unmatched"] == []


@pytest.mark.parametrize("marketplaces", [("Amazon.co.uk",), ("Amazon.ca", "Amazon.fr")])
def test_write_demo_other_marketplaces_import_and_compute(
    tmp_path: Path, settings: Settings, marketplaces: tuple[str, ...]
) -> None:
    files = write_demo(tmp_path, orders=1500, seed=11, as_of=AS_OF, marketplaces=marketplaces)
    with Workspace.open(settings) as workspace:
        workspace.ingest(list(files.files.values()), account="elsewhere")
        assert workspace.get_account("elsewhere").marketplace == marketplaces[0]
        health = compute_health(workspace.tables("elsewhere"), account="elsewhere", as_of=AS_OF)
    assert [m["marketplace"] for m in health["marketplaces"]] == sorted(marketplaces)


def test_write_orders_writes_exactly_the_lines_asked_over_several_chunks(
    tmp_path: Path,
) -> None:
    path = write_orders(tmp_path / "orders.txt", rows=90_000, seed=1, as_of=AS_OF)
    assert path.read_bytes().count(b"\n") == 90_001
    orders = _rows(path)
    assert orders.num_rows == 90_000
    dates = orders.column("order_date").to_pylist()
    assert min(dates) >= date(2026, 7, 24) and max(dates) <= AS_OF
    # Lines of one order share its id and sit together; ids are unique across chunks.
    ids = orders.column("order_id").to_pylist()
    runs = [ids[0]] + [b for a, b in itertools.pairwise(ids) if a != b]
    assert len(runs) == len(set(runs))
    again = write_orders(tmp_path / "again.txt", rows=90_000, seed=1, as_of=AS_OF)
    assert again.read_bytes() == path.read_bytes()


def test_cli_demo_writes_the_files(tmp_path: Path) -> None:
    from goodstanding.cli.main import _register, app

    _register()
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        app, ["demo", "--out", str(out), "--orders", "300", "--as-of", "2026-11-20"]
    )
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 12


def test_write_demo_replaces_the_files_of_an_earlier_demo(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    write_demo(tmp_path, orders=100, as_of=date(2026, 11, 19))
    files = write_demo(tmp_path, orders=100, as_of=AS_OF)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*(p.name for p in files.files.values()), "notes.txt"])
