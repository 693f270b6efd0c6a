"""Import of N order lines by goodstanding vs DuckDB's own read_csv of the same file into Parquet.

Usage: python bench/ingest.py [--rows 1000000]
Targets of the issue: <= 1.5x DuckDB's time, <= 2 GB peak memory at 10 M lines.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

from _common import report, run_child, scratch

AS_OF = date(2026, 11, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    work = scratch("ingest")
    try:
        run(work, args.rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, rows: int) -> None:
    """Write the orders file, then time both imports of it."""
    orders = work / "orders.txt"
    print(f"writing {rows:,} order lines to {orders} ...")
    from goodstanding.demo import write_orders

    write_orders(orders, rows=rows, seed=1, as_of=AS_OF)
    print(f"file size {orders.stat().st_size / 1e6:.0f} MB")

    duckdb_run = run_child(
        "duckdb read_csv -> parquet",
        "import duckdb\n"
        f"duckdb.sql(\"COPY (SELECT * FROM read_csv('{orders}', delim='\\t', header=true)) "
        f"TO '{work / 'duck.parquet'}' (FORMAT parquet)\")\n",
    )
    ours = run_child(
        "goodstanding ingest",
        "from pathlib import Path\n"
        "from goodstanding.config import load_settings\n"
        "from goodstanding.workspace import Workspace\n"
        f"ws = Workspace.open(load_settings(home=Path('{work / 'home'}')))\n"
        f"r = ws.ingest([Path('{orders}')], account='bench')\n"
        "print(r.to_json())\n",
    )
    report(f"ingest of {rows:,} order lines", [duckdb_run, ours], "duckdb read_csv -> parquet")


if __name__ == "__main__":
    main()
