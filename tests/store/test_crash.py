"""kill -9 at each step of an import: the store stays readable, and equal to before or after.

A child process imports 120 000 order lines and stops at a chosen step (blocked on its stdin,
so no timing is involved); the test reads the store while the child sits there, kills it with
SIGKILL, opens the store again as every command does, checks it, and imports once more.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from goodstanding.store.db import Database
from goodstanding.store.repositories import ImportRepository
from goodstanding.store.warehouse import Warehouse

from .builders import account_id, batch, import_files, many_orders, order, read_current

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

LINES = 120_000

CHILD = textwrap.dedent(
    """
    import os, shutil, sys
    from pathlib import Path

    from datetime import date, datetime, timezone

    import pyarrow as pa

    import goodstanding.store.warehouse as warehouse_module
    from goodstanding.store.db import Database
    from goodstanding.store.warehouse import Warehouse
    from goodstanding.tables import ORDERS

    url, root, step, lines = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])

    def stop(step_name):
        print(step_name, flush=True)
        sys.stdin.readline()  # the parent kills us while we wait here
        raise SystemExit("not killed")

    TEMPLATE = {
        "purchase_at": datetime(2026, 3, 1, 10, tzinfo=timezone.utc),
        "order_date": date(2026, 3, 1),
        "last_updated_at": datetime(2026, 3, 2, 10, tzinfo=timezone.utc),
        "order_status": "Shipped", "channel": "mfn", "marketplace": "Amazon.com",
        "sku": "MUG-1", "asin": "B000000001", "item_status": "Shipped", "quantity": 1,
        "currency": "USD", "item_price": 9.99, "product_name": "Blue mug",
        "ship_service_level": "Standard",
    }

    def batches():
        for start in range(0, lines, 30_000):
            size = min(30_000, lines - start)
            columns = {name: [TEMPLATE.get(name)] * size for name in ORDERS.schema.names}
            columns["order_id"] = [f"900-{n // 2:07d}-0000000" for n in range(start, start + size)]
            columns["line"] = list(range(start + 2, start + size + 2))
            yield pa.RecordBatch.from_pydict(columns, schema=ORDERS.schema)
            if step == "staging" and start >= 60_000:
                stop("staging")

    if step == "renamed":
        real_replace = os.replace
        def replace(source, target):
            real_replace(source, target)
            if str(target).endswith(".parquet") and ".staging" not in str(target):
                stop("renamed")  # inside the ledger transaction, before COMMIT
        warehouse_module.os.replace = replace

    if step == "committed":
        real_rmtree = shutil.rmtree
        def rmtree(path, *args, **kwargs):
            if ".staging" in str(path):
                stop("committed")  # after COMMIT, before the staging folder is removed
            return real_rmtree(path, *args, **kwargs)
        warehouse_module.shutil.rmtree = rmtree

    database = Database.open(url)
    store = Warehouse(database, root)
    with store.begin_import("acme") as transaction:
        transaction.add_rows("big.txt", "orders", batches(), sha256="b" * 64)
        transaction.commit()
    print("done", flush=True)
    """
)


def state(warehouse: Warehouse) -> dict[str, Any]:
    """Everything a reader can see, plus every file in the warehouse."""
    acme = account_id(warehouse, "acme")
    with warehouse.database.session() as session:
        ledger = [(r.id, r.rows, r.inserted) for r in ImportRepository(session).all(acme)]
    files = sorted(
        str(p.relative_to(warehouse.root))
        for p in warehouse.root.rglob("*")
        if p.is_file() and ".locks" not in p.parts
    )
    return {"ledger": ledger, "rows": read_current(warehouse, "acme"), "files": files}


def run_child(url: str, root: Path, step: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(root), step, str(LINES)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    reached = child.stdout.readline().strip()
    if reached != step:
        child.kill()
        _, errors = child.communicate(timeout=60)
        pytest.fail(f"the child did not reach {step!r} ({reached!r}): {errors[-3000:]}")
    return child


def kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL


@pytest.fixture
def seeded(warehouse: Warehouse) -> Warehouse:
    import_files(warehouse, "acme", ("orders", [batch("orders", [order("A"), order("B")])]))
    return warehouse


def reopen(url: str, root: Path) -> Warehouse:
    """What every command does first: open (and migrate) the store, sweep the warehouse."""
    store = Warehouse(Database.open(url), root)
    store.sweep()
    return store


@pytest.mark.parametrize("step", ["staging", "renamed"])
def test_kill_before_commit_leaves_the_store_as_before(
    seeded: Warehouse, store_url: str, step: str
) -> None:
    before = state(seeded)

    child = run_child(store_url, seeded.root, step)
    try:
        # The child is mid-import (at "renamed" it holds the write transaction): readers go on.
        during = state(seeded)
        assert (during["ledger"], during["rows"]) == (before["ledger"], before["rows"])
    finally:
        kill(child)
    leftovers = list((seeded.root / ".staging").iterdir())

    after = reopen(store_url, seeded.root)

    assert leftovers, "the kill should have left a staging folder behind"
    assert state(after) == before
    assert list((seeded.root / ".staging").iterdir()) == []
    outcome = import_files(after, "acme", ("orders", list(many_orders(LINES))))
    assert outcome.files[0].inserted == LINES
    after.database.dispose()


def test_kill_after_commit_keeps_the_import(seeded: Warehouse, store_url: str) -> None:
    before = state(seeded)

    kill(run_child(store_url, seeded.root, "committed"))
    after = reopen(store_url, seeded.root)

    imported = state(after)
    assert len(imported["ledger"]) == len(before["ledger"]) + 1
    assert imported["ledger"][-1][1:] == (LINES, LINES)
    assert len(imported["rows"]) == len(before["rows"]) + LINES
    assert list((seeded.root / ".staging").iterdir()) == []
    again = import_files(after, "acme", ("orders", list(many_orders(LINES))))
    assert again.files[0].unchanged == LINES
    after.database.dispose()


def test_import_waits_for_a_live_import_of_the_same_account(
    seeded: Warehouse, store_url: str
) -> None:
    child = run_child(store_url, seeded.root, "staging")
    try:
        # The child holds the account's lock: a sweep must leave its staging folder alone.
        assert reopen(store_url, seeded.root).sweep() == 0
        assert list((seeded.root / ".staging").iterdir())
    finally:
        kill(child)
    assert seeded.sweep() == 1
    assert [r["order_id"] for r in read_current(seeded, "acme")] == ["A", "B"]
