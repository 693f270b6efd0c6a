"""The same expressions on PySpark give the same JSON as on DuckDB, byte for byte."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pytest

from goodstanding.metrics import compute_health, compute_review, compute_summary

from .builders import D, arrow, realistic_account, return_mfn, spark_tables

pytestmark = pytest.mark.spark


def as_text(document: Any) -> str:
    return json.dumps(document, sort_keys=False, ensure_ascii=False)


@pytest.mark.parametrize(("seed", "as_of"), [(7, D), (11, None)])
def test_health_on_spark_equals_duckdb(
    spark_backend: Any, tmp_path: Path, seed: int, as_of: date | None
) -> None:
    account = realistic_account(seed)
    on_duckdb = compute_health(
        {name: ibis.memtable(table) for name, table in account.items()},
        account="acme",
        as_of=as_of,
    )
    on_spark = compute_health(
        spark_tables(spark_backend, account, tmp_path, f"health{seed}"),
        account="acme",
        as_of=as_of,
    )
    assert as_text(on_spark) == as_text(on_duckdb)
    # The dataset exercises the metrics: defects and statuses beyond "ok" on both channels.
    statuses = {m["status"] for b in on_duckdb["marketplaces"] for m in b["metrics"]}
    assert {"breach", "info"} <= statuses
    assert on_duckdb["unmatched"]


def test_summary_and_review_on_spark_equal_duckdb(spark_backend: Any, tmp_path: Path) -> None:
    account = realistic_account(3, orders=600)
    account["returns_mfn"] = arrow(
        "returns_mfn",
        [
            return_mfn(f"003-{n:07d}", date(2020, 11, 2 + n % 9), refunded=9.5)
            for n in range(0, 300, 7)
        ],
    )
    duckdb_tables = {name: ibis.memtable(table) for name, table in account.items()}
    spark_bound = spark_tables(spark_backend, account, tmp_path, "summary")
    on_duckdb = compute_summary(duckdb_tables, months=3, as_of=D)
    assert as_text(compute_summary(spark_bound, months=3, as_of=D)) == as_text(on_duckdb)
    review = compute_review(duckdb_tables, month="2020-11")
    assert review["totals"]["returns"] > 0
    assert as_text(compute_review(spark_bound, month="2020-11")) == as_text(review)
