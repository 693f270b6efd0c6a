"""The workspace's use cases on real-format report files: accounts, ingest, imports, tables."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import ibis
import pytest

from goodstanding.config import Settings
from goodstanding.errors import (
    AlreadyExistsError,
    InputError,
    NotFoundError,
    ReportFormatError,
)
from goodstanding.ingest import ORDER_HEADERS
from goodstanding.types import AccountType
from goodstanding.workspace import Workspace

ORDER_DEFAULTS: Mapping[str, str] = {
    "purchase-date": "2026-03-01T10:00:00+00:00",
    "last-updated-date": "2026-03-02T10:00:00+00:00",
    "order-status": "Shipped",
    "fulfillment-channel": "Merchant",
    "sales-channel": "Amazon.com",
    "sku": "MUG-1",
    "asin": "B000000001",
    "item-status": "Shipped",
    "quantity": "1",
    "currency": "USD",
    "item-price": "12.50",
    "ship-city": "Springfield",
}
FEEDBACK_HEADER = ("Date", "Rating", "Comments", "Your Response", "Order ID", "Rater Email")


def tsv(
    header: Sequence[str], rows: Sequence[Mapping[str, str]], defaults: Mapping[str, str]
) -> str:
    lines = ["\t".join(header)]
    lines += ["\t".join(row.get(h, defaults.get(h, "")) for h in header) for row in rows]
    return "\n".join(lines) + "\n"


def write_orders(path: Path, rows: Sequence[Mapping[str, str]]) -> Path:
    path.write_text(tsv(ORDER_HEADERS["2024"], rows, ORDER_DEFAULTS), encoding="utf-8")
    return path


def write_feedback(path: Path, rows: Sequence[Mapping[str, str]]) -> Path:
    path.write_text(tsv(FEEDBACK_HEADER, rows, {"Rating": "1"}), encoding="utf-8")
    return path


def v2_report(marketplace_id: str = "A1PA6795UKMFR9") -> dict[str, Any]:
    span = {"reportingDateFrom": "2026-01-06T00:00:00Z", "reportingDateTo": "2026-03-06T23:59:59Z"}
    return {
        "accountStatuses": [{"marketplaceId": marketplace_id, "status": "NORMAL"}],
        "performanceMetrics": [
            {
                "marketplaceId": marketplace_id,
                "orderDefectRate": {
                    "mfn": {
                        "reportingDateRange": span,
                        "orderCount": 400,
                        "orderWithDefects": {"count": 2, "status": "GOOD"},
                        "fulfillmentType": "MFN",
                        "status": "GOOD",
                        "rate": 0.005,
                        "targetValue": 0.01,
                        "targetCondition": "LESS_THAN",
                    }
                },
            }
        ],
    }


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    """A workspace on a fresh temporary home."""
    with Workspace.open(settings) as opened:
        yield opened


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    rows = [
        {"amazon-order-id": "111-1", "sku": "S1"},
        {"amazon-order-id": "111-1", "sku": "S2"},
        {"amazon-order-id": "111-2"},
    ]
    return write_orders(tmp_path / "orders.txt", rows)


def parquet_files(settings: Settings) -> list[Path]:
    return sorted(settings.warehouse_dir.rglob("*.parquet"))


def test_open_creates_the_home_and_its_store(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "new" / "home")

    with Workspace.open(settings) as workspace:
        assert workspace.list_accounts() == []

    assert (settings.home / "store.db").is_file()


def test_accounts_are_added_listed_found_and_removed(workspace: Workspace) -> None:
    added = workspace.add_account("acme-de", marketplace="amazon.de", account_type="vendor")
    workspace.add_account("acme-us")

    listed = workspace.list_accounts()
    found = workspace.get_account("acme-de")
    workspace.remove_account("acme-de")

    assert (added.marketplace, added.account_type) == ("Amazon.de", AccountType.VENDOR)
    assert [a.name for a in listed] == ["acme-de", "acme-us"]
    assert found == added
    assert [a.name for a in workspace.list_accounts()] == ["acme-us"]
    with pytest.raises(NotFoundError, match="acme-de"):
        workspace.get_account("acme-de")
    with pytest.raises(NotFoundError):
        workspace.remove_account("acme-de")


def test_marketplace_id_names_the_marketplace(workspace: Workspace) -> None:
    assert workspace.add_account("jp", marketplace="A1VC38T7YXB528").marketplace == "Amazon.co.jp"


@pytest.mark.parametrize(
    ("name", "options", "problem"),
    [
        ("", {}, "is empty"),
        (" acme", {}, "space"),
        ("a/b", {}, "slash"),
        ("x" * 201, {}, "longer"),
        ("acme", {"marketplace": "Amazon.moon"}, "not an Amazon marketplace"),
        ("acme", {"account_type": "wholesaler"}, "not an account type"),
    ],
)
def test_unusable_account_details_are_input_errors(
    workspace: Workspace, name: str, options: dict[str, str], problem: str
) -> None:
    with pytest.raises(InputError, match=problem):
        workspace.add_account(name, **options)
    assert workspace.list_accounts() == []


def test_a_taken_name_is_refused(workspace: Workspace) -> None:
    workspace.add_account("acme")

    with pytest.raises(AlreadyExistsError, match="acme"):
        workspace.add_account("acme", marketplace="Amazon.de")


def test_ingest_reports_every_file_in_the_agreed_json(workspace: Workspace, orders: Path) -> None:
    workspace.add_account("acme")

    result = workspace.ingest([orders], account="acme")

    document = result.to_json()
    assert list(document) == ["files", "account"]
    assert document == {
        "files": [
            {
                "path": str(orders),
                "type": "orders",
                "rows": 3,
                "inserted": 3,
                "updated": 0,
                "unchanged": 0,
            }
        ],
        "account": "acme",
    }
    json.dumps(document)


def test_ingest_of_the_same_file_again_inserts_nothing(workspace: Workspace, orders: Path) -> None:
    workspace.ingest([orders], account="acme")

    again = workspace.ingest([orders], account="acme")

    assert again.to_json()["files"][0] | {"path": ""} == {
        "path": "",
        "type": "orders",
        "rows": 3,
        "inserted": 0,
        "updated": 0,
        "unchanged": 3,
    }
    assert workspace.tables("acme")["orders"].count().to_pyarrow().as_py() == 3


def test_a_later_export_replaces_the_orders_it_updates(
    workspace: Workspace, orders: Path, tmp_path: Path
) -> None:
    later = write_orders(
        tmp_path / "later.txt",
        [
            {
                "amazon-order-id": "111-2",
                "last-updated-date": "2026-03-04T08:00:00-08:00",
                "order-status": "Cancelled",
                "item-price": "",
            },
            {"amazon-order-id": "111-3"},
        ],
    )
    workspace.ingest([orders], account="acme")

    result = workspace.ingest([later], account="acme")

    assert [(f.inserted, f.updated, f.unchanged) for f in result.files] == [(1, 1, 0)]
    table = workspace.tables("acme")["orders"]
    rows = table.select("order_id", "order_status").order_by("order_id").to_pyarrow().to_pylist()
    assert [(r["order_id"], r["order_status"]) for r in rows] == [
        ("111-1", "Shipped"),
        ("111-1", "Shipped"),
        ("111-2", "Cancelled"),
        ("111-3", "Shipped"),
    ]


def test_unknown_account_is_created_in_the_marketplace_of_its_orders(
    workspace: Workspace, tmp_path: Path
) -> None:
    feedback = write_feedback(
        tmp_path / "feedback.txt", [{"Date": "05/03/2026", "Order ID": "302-1"}]
    )
    orders = write_orders(
        tmp_path / "orders.txt",
        [{"amazon-order-id": "302-1", "sales-channel": "Amazon.de", "currency": "EUR"}],
    )

    # Feedback first on the command line: its day-first date is read once the orders are known.
    result = workspace.ingest([feedback, orders], account="neu", account_type="seller")

    account = workspace.get_account("neu")
    assert (account.marketplace, account.account_type) == ("Amazon.de", AccountType.SELLER)
    assert [f.report_type for f in result.files] == ["feedback", "orders"]
    dates = workspace.tables("neu")["feedback"].to_pyarrow().column("feedback_date")
    assert [d.isoformat() for d in dates.to_pylist()] == ["2026-03-05"]


def test_a_performance_report_is_kept_as_a_dated_snapshot(
    workspace: Workspace, tmp_path: Path
) -> None:
    report = tmp_path / "v2.json"
    report.write_text(json.dumps(v2_report()), encoding="utf-8")

    first = workspace.ingest([report], account="de-shop")
    again = workspace.ingest([report], account="de-shop")

    assert workspace.get_account("de-shop").marketplace == "Amazon.de"
    assert [(f.report_type, f.rows, f.inserted) for f in first.files] == [("performance_v2", 1, 1)]
    assert (again.files[0].inserted, again.files[0].unchanged) == (0, 1)
    snapshots = workspace.snapshots("de-shop")
    assert [s.as_of.isoformat() for s in snapshots] == ["2026-03-06"]
    assert snapshots[0].payload["marketplaces"][0]["marketplace"] == "Amazon.de"
    assert "performance_v2" not in workspace.tables("de-shop")


def test_a_bad_file_stores_nothing_of_the_import(
    workspace: Workspace, settings: Settings, orders: Path, tmp_path: Path
) -> None:
    bad = write_feedback(tmp_path / "feedback.txt", [{"Date": "2026-03-05", "Rating": "x"}])

    with pytest.raises(ReportFormatError) as caught:
        workspace.ingest([orders, bad], account="acme")

    assert caught.value.path == str(bad)
    assert caught.value.line == 2
    assert workspace.list_accounts() == []
    assert parquet_files(settings) == []


def test_header_only_template_gives_an_empty_table(workspace: Workspace, tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("order-id,claim-id,filed-at,reason,status\n", encoding="utf-8")

    result = workspace.ingest([claims], account="acme")

    assert result.to_json()["files"][0]["rows"] == 0
    assert workspace.tables("acme")["claims"].count().to_pyarrow().as_py() == 0


def test_imports_lists_each_file_with_its_digest(workspace: Workspace, orders: Path) -> None:
    workspace.ingest([orders], account="acme")

    listed = workspace.imports("acme")

    assert [(r.file_name, r.report_type, r.rows) for r in listed] == [("orders.txt", "orders", 3)]
    assert listed[0].sha256 == hashlib.sha256(orders.read_bytes()).hexdigest()
    assert listed[0].to_json()["path"] == str(orders.resolve())
    with pytest.raises(NotFoundError):
        workspace.imports("nobody")


def test_removing_an_account_deletes_its_files(
    workspace: Workspace, settings: Settings, orders: Path
) -> None:
    workspace.ingest([orders], account="acme")
    assert parquet_files(settings)

    workspace.remove_account("acme")

    assert parquet_files(settings) == []


def test_ingest_checks_its_arguments(workspace: Workspace, orders: Path) -> None:
    workspace.add_account("acme", account_type="vendor")

    with pytest.raises(InputError, match="No file"):
        workspace.ingest([], account="acme")
    with pytest.raises(InputError, match="vendor account"):
        workspace.ingest([orders], account="acme", account_type="seller")
    with pytest.raises(ReportFormatError, match="not a report type"):
        workspace.ingest([orders], account="acme", report_type="invoices")


def test_progress_is_reported_per_file(workspace: Workspace, orders: Path) -> None:
    calls: list[tuple[Path, int, int]] = []

    workspace.ingest([orders], account="acme", progress=lambda *call: calls.append(call))

    size = orders.stat().st_size
    assert calls and calls[-1] == (orders, size, size)


def test_readers_get_answers_while_an_import_runs(workspace: Workspace, orders: Path) -> None:
    workspace.ingest([orders], account="acme")
    more = write_orders(orders.with_name("more.txt"), [{"amazon-order-id": "111-9"}])
    seen: dict[str, Any] = {}

    def read() -> None:
        seen["imports"] = len(workspace.imports("acme"))
        seen["orders"] = workspace.tables("acme")["orders"].count().to_pyarrow().as_py()

    def progress(path: Path, done: int, total: int) -> None:
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=60)
        seen["finished"] = not reader.is_alive()

    workspace.ingest([more], account="acme", progress=progress)

    assert seen == {"imports": 1, "orders": 3, "finished": True}
    assert len(workspace.imports("acme")) == 2


def test_tables_use_the_configured_backend(settings: Settings, orders: Path) -> None:
    with Workspace.open(settings.model_copy(update={"backend": "duckdb"})) as workspace:
        workspace.ingest([orders], account="acme")
        tables = workspace.tables("acme")

    assert ibis.get_backend(tables["orders"]).name == "duckdb"


KILLED_IMPORT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from goodstanding.config import Settings
    from goodstanding.workspace import Workspace

    def stop(path, done, total):
        if done < total:
            print("mid-file", flush=True)
            sys.stdin.readline()  # killed here

    workspace = Workspace.open(Settings(home=Path(sys.argv[1])))
    workspace.ingest([Path(sys.argv[2])], account="acme", progress=stop)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_during_a_real_file_import_leaves_the_store_as_before(
    workspace: Workspace, settings: Settings, orders: Path, tmp_path: Path
) -> None:
    import duckdb

    workspace.ingest([orders], account="acme")
    before = ([r.to_json() for r in workspace.imports("acme")], parquet_files(settings))
    big = tmp_path / "big-orders.txt"
    header = ORDER_HEADERS["2024"]
    values = {**ORDER_DEFAULTS, "amazon-order-id": "'900-' || lpad((i // 2)::VARCHAR, 8, '0')"}
    columns = ", ".join(
        f'{values[h] if h == "amazon-order-id" else repr(values.get(h, ""))} AS "{h}"'
        for h in header
    )
    # ~40 MB: more than two of the parser's 16 MB blocks, so progress comes mid-file.
    duckdb.sql(
        f"COPY (SELECT {columns} FROM range(200000) t(i)) TO '{big}' "
        "(FORMAT csv, DELIMITER '\t', HEADER true, QUOTE '')"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(settings.home), str(big)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    reached = child.stdout.readline().strip()
    os.kill(child.pid, signal.SIGKILL)
    _, errors = child.communicate(timeout=60)
    assert reached == "mid-file", errors[-3000:]

    with Workspace.open(settings) as reopened:
        after = ([r.to_json() for r in reopened.imports("acme")], parquet_files(settings))
        result = reopened.ingest([big], account="acme")

    assert after == before
    assert result.files[0].inserted == 200_000
