"""The monthly performance summary and the monthly review of returns and complaints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from goodstanding.errors import DataError, InputError
from goodstanding.metrics import compute_review, compute_summary
from goodstanding.metrics.summary import FEEDBACK_NOTE, REFUND_NOTE
from goodstanding.sqlplans import SqlPlans, SqlTables

from .builders import (
    D,
    Row,
    arrow,
    at,
    chargeback,
    claim,
    feedback,
    memtables,
    order,
    realistic_account,
    return_fba,
    return_mfn,
    shipment,
    sql_tables,
)

Tables = Callable[..., Any]


@pytest.fixture(params=["ibis", "kept"])
def tables(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tables]:
    """Rows to tables: ibis memtables, or Parquet behind the views the kept SQL runs on."""
    opened: list[SqlTables] = []

    def make(**rows: list[Row]) -> Any:
        if request.param == "ibis":
            return memtables(**rows)
        found = sql_tables(rows, tmp_path / f"t{len(opened)}", SqlPlans(tmp_path / "plans"))
        opened.append(found)
        return found

    yield make
    for found in opened:
        found.close()


def summary_rows() -> dict[str, list[Row]]:
    orders: list[Row] = [
        *order("a", date(2020, 10, 15), lines=2),
        *order("b", date(2020, 11, 2), status="Cancelled", price=None),
        *order(
            "c",
            date(2020, 11, 5),
            marketplace="Amazon.de",
            quantity=3,
            price=30.0,
            currency="EUR",
            channel="afn",
        ),
        *order("m", date(2020, 11, 6), marketplace="Non-Amazon"),
        *order("old", date(2020, 9, 20)),
        *order("future", date(2020, 11, 25)),
    ]
    return {
        "orders": orders,
        "returns_mfn": [return_mfn("a", date(2020, 11, 3), refunded=10.0)],
        "returns_fba": [return_fba("c", date(2020, 11, 7), quantity=2)],
        "feedback": [
            feedback("a", date(2020, 10, 20), 1),
            feedback("c", date(2020, 11, 10), 3),
            feedback("m", date(2020, 11, 10), 1),
            feedback("ghost", date(2020, 11, 11), 2),
        ],
        "claims": [claim("a", "C1", at(date(2020, 11, 1)), status="denied")],
    }


def row(month: str, marketplace: str | None, **figures: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "month": month,
        "marketplace": marketplace,
        "orders": 0,
        "cancelled_orders": 0,
        "units": 0,
        "sales": {},
        "returns": 0,
        "returns_detail": {"mfn_count": 0, "mfn_units": 0, "fba_count": 0, "fba_units": 0},
        "refunds": None,
        "negative_feedback": 0,
        "neutral_feedback": 0,
        "a_to_z_claims": 0,
        "a_to_z_claims_counting": 0,
        "chargebacks": None,
        "chargebacks_counting": None,
    }
    base.update(figures)
    return base


def test_summary_per_month_and_marketplace_worked_by_hand(tables: Tables) -> None:
    summary = compute_summary(tables(**summary_rows()), months=2, as_of=D)
    assert summary["as_of"] == "2020-11-19"
    assert summary["months_covered"] == ["2020-10", "2020-11"]
    assert summary["marketplaces"] == ["Amazon.com", "Amazon.de"]
    assert summary["months"] == [
        row("2020-10", "Amazon.com", orders=1, units=2, sales={"USD": 20.0}, negative_feedback=1),
        row("2020-10", "Amazon.de"),
        row(
            "2020-11",
            "Amazon.com",
            orders=1,
            cancelled_orders=1,
            returns=1,
            returns_detail={"mfn_count": 1, "mfn_units": 1, "fba_count": 0, "fba_units": 0},
            refunds={"USD": 10.0},
            a_to_z_claims=1,
        ),
        row(
            "2020-11",
            "Amazon.de",
            orders=1,
            units=3,
            sales={"EUR": 30.0},
            returns=2,
            returns_detail={"mfn_count": 0, "mfn_units": 0, "fba_count": 1, "fba_units": 2},
            neutral_feedback=1,
        ),
        # Feedback naming an order the data does not have, in an account with two marketplaces.
        row("2020-11", None, negative_feedback=1),
    ]
    assert summary["notes"] == [
        FEEDBACK_NOTE,
        REFUND_NOTE,
        "Not imported, so shown as unknown: chargebacks.",
    ]
    assert "1 to 3 star" in FEEDBACK_NOTE


def test_summary_default_as_of_and_missing_orders(tables: Tables) -> None:
    summary = compute_summary(tables(orders=order("x", date(2020, 3, 31))), months=1)
    assert summary["months_covered"] == ["2020-03"]
    assert summary["months"][0]["returns"] is None
    assert summary["months"][0]["negative_feedback"] is None
    with pytest.raises(DataError, match="No orders report"):
        compute_summary(tables(feedback=[]))
    with pytest.raises(DataError, match="at least one month"):
        compute_summary(tables(orders=order("x", D)), months=0)


def test_summary_counts_each_report_of_one_order_on_its_own(tables: Tables) -> None:
    # Two orders in two marketplaces and currencies, every event report naming them in one month:
    # each report's figures stay its own, and go to the order's marketplace.
    summary = compute_summary(
        tables(
            orders=[
                *order("a", date(2020, 11, 2), marketplace="Amazon.de", currency="EUR"),
                *order("b", date(2020, 11, 3)),
            ],
            returns_mfn=[
                return_mfn("a", date(2020, 11, 4), quantity=2, refunded=5.0),
                return_mfn("b", date(2020, 11, 5), refunded=7.5),
            ],
            returns_fba=[return_fba("a", date(2020, 11, 6), quantity=3)],
            feedback=[feedback("a", date(2020, 11, 7), 2), feedback("a", date(2020, 11, 8), 3)],
            claims=[
                claim("a", "C1", at(date(2020, 11, 9))),
                claim("a", "C2", at(date(2020, 11, 10)), status="denied"),
            ],
            chargebacks=[
                chargeback("a", "K1", at(date(2020, 11, 11))),
                chargeback("a", "K2", at(date(2020, 11, 12)), reason="fraud"),
                chargeback("a", "K3", at(date(2020, 11, 13)), status="represented_won"),
            ],
        ),
        months=1,
        as_of=D,
    )
    by_marketplace = {row["marketplace"]: row for row in summary["months"]}
    germany = by_marketplace["Amazon.de"]
    assert germany["returns_detail"] == {
        "mfn_count": 1,
        "mfn_units": 2,
        "fba_count": 1,
        "fba_units": 3,
    }
    assert germany["returns"] == 5
    assert germany["refunds"] == {"EUR": 5.0}
    assert (germany["negative_feedback"], germany["neutral_feedback"]) == (1, 1)
    assert (germany["a_to_z_claims"], germany["a_to_z_claims_counting"]) == (2, 1)
    assert (germany["chargebacks"], germany["chargebacks_counting"]) == (3, 1)
    us = by_marketplace["Amazon.com"]
    assert us["refunds"] == {"USD": 7.5}
    assert (us["a_to_z_claims"], us["chargebacks"], us["negative_feedback"]) == (0, 0, 0)


def review_rows() -> dict[str, list[Row]]:
    orders: list[Row] = [
        *order("o1", date(2020, 10, 25), asin="A1"),
        *order("o2", date(2020, 10, 26), asin="A2"),
        *order("o3", date(2020, 10, 27), asin="A1", channel="afn"),
        *order("o4", date(2020, 10, 28), asin="A3"),
        *order("o5", date(2020, 10, 29), asin="A5"),
    ]
    ship = date(2020, 10, 30)
    return {
        "orders": orders,
        "returns_mfn": [
            return_mfn("o1", date(2020, 11, 3), asin="A1", quantity=2),
            return_mfn("o2", date(2020, 11, 4), asin="A2"),
            return_mfn("o1", date(2020, 10, 30), asin="A1"),  # previous month
        ],
        "returns_fba": [return_fba("o3", date(2020, 11, 5), asin="A1", reason="DAMAGED")],
        "feedback": [
            feedback("o1", date(2020, 11, 6), 1),
            feedback("o4", date(2020, 11, 7), 2),
            feedback("o2", date(2020, 11, 8), 3),
            feedback("o5", date(2020, 11, 9), 1),
            feedback("ghost", date(2020, 11, 10), 1),
            feedback("o2", date(2020, 12, 1), 1),  # next month
        ],
        "claims": [claim("o4", "C1", at(date(2020, 11, 2)))],
        "shipments": [
            shipment("o1", at(ship, 10), at(ship, 9), carrier="UPS"),
            shipment("o2", at(ship, 10), at(ship, 9), carrier="DHL"),
            shipment("o4", at(ship, 10), at(ship, 9), carrier="UPS"),
            shipment("o5", at(ship, 10), at(ship, 15), carrier="USPS"),
        ],
    }


def group(key: str, count: int, total: int, units: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": key, "count": count, "share": count / total}
    if units is not None:
        entry["units"] = units
    return entry


def test_review_groups_returns_and_complaints_top_causes_first(tables: Tables) -> None:
    review = compute_review(tables(**review_rows()), month="2020-11")
    assert review["month"] == "2020-11"
    assert review["totals"] == {"returns": 3, "returned_units": 4, "negative_feedback": 4}
    groups = review["groups"]
    assert groups["returns_by_asin"] == [group("A1", 2, 3, 3), group("A2", 1, 3, 1)]
    assert groups["returns_by_reason"] == [group("DEFECTIVE", 2, 3, 3), group("DAMAGED", 1, 3, 1)]
    assert groups["returns_by_carrier"] == [
        group("Amazon (FBA)", 1, 3, 1),
        group("DHL", 1, 3, 1),
        group("UPS", 1, 3, 2),
    ]
    assert groups["negative_feedback_by_asin"] == [
        group("A1", 1, 4),
        group("A3", 1, 4),
        group("A5", 1, 4),
        group("unknown", 1, 4),
    ]
    assert groups["negative_feedback_by_reason"] == [
        group("A-to-z claim: item_not_received", 1, 4),
        group("no other record (read the comment)", 1, 4),
        group("returned: DEFECTIVE", 1, 4),
        group("shipped late", 1, 4),
    ]
    assert groups["negative_feedback_by_carrier"] == [
        group("UPS", 2, 4),
        group("USPS", 1, 4),
        group("unknown", 1, 4),
    ]
    assert review["top_causes"] == [
        {"source": "returns", "key": "DEFECTIVE", "count": 2},
        {"source": "negative_feedback", "key": "A-to-z claim: item_not_received", "count": 1},
        {"source": "negative_feedback", "key": "returned: DEFECTIVE", "count": 1},
        {"source": "negative_feedback", "key": "shipped late", "count": 1},
        {"source": "returns", "key": "DAMAGED", "count": 1},
    ]


@pytest.mark.parametrize("month", ["2020-13", "Nov 2020", "2020/11"])
def test_review_rejects_a_month_not_written_yyyy_mm(month: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM"):
        compute_review(memtables(**review_rows()), month=month)


def test_review_without_returns_or_feedback_is_a_clear_error(tables: Tables) -> None:
    with pytest.raises(DataError, match="nothing to review"):
        compute_review(tables(orders=order("x", D)), month="2020-11")


def test_summary_and_review_of_the_kept_sql_equal_the_ibis_ones(tmp_path: Path) -> None:
    # A realistic account (several marketplaces, both channels, every report) through both paths.
    account = realistic_account(5, orders=500)
    account["returns_mfn"] = arrow(
        "returns_mfn",
        [
            return_mfn(f"005-{n:07d}", date(2020, 11, 2 + n % 9), refunded=4.5)
            for n in range(0, 300, 7)
        ],
    )
    rows = {name: table.to_pylist() for name, table in account.items()}
    ibis_tables = memtables(**rows)
    kept = sql_tables(rows, tmp_path / "tables", SqlPlans(tmp_path / "plans"))
    try:
        for months, as_of in ((3, D), (12, None)):
            assert compute_summary(kept, months=months, as_of=as_of) == compute_summary(
                ibis_tables, months=months, as_of=as_of
            )
        for month in ("2020-10", "2020-11"):
            review = compute_review(ibis_tables, month=month)
            assert compute_review(kept, month=month) == review
        assert review["totals"]["returns"] > 0
    finally:
        kept.close()
