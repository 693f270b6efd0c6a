"""The health JSON as a whole: coverage, bad input, determinism, recovery, Amazon's figures."""

from __future__ import annotations

import json
from typing import Any

import ibis
import pytest

from goodstanding.errors import DataError
from goodstanding.metrics import compute_health, evaluate

from .builders import (
    Row,
    at,
    claim,
    days_before,
    feedback,
    figures,
    health,
    memtables,
    metric,
    order,
    orders_on,
    realistic_account,
)

ALL_INPUTS = ("feedback", "claims", "chargebacks", "cancellations", "shipments", "messages")
METRIC_KEYS = [
    "id",
    "channel",
    "window_days",
    "window_start",
    "window_end",
    "numerator",
    "denominator",
    "value",
    "target",
    "status",
    "defects",
    "recovery",
]


def empty_inputs(*names: str) -> dict[str, list[Row]]:
    """Header-only imports: the file was imported and holds no rows."""
    return {name: [] for name in names}


def test_only_orders_lists_every_metric_in_coverage() -> None:
    document = health(memtables(orders=orders_on("o", days_before(30), 3)))
    assert document["coverage"] == [
        {"metric": "order_defect_rate", "status": "missing_input", "needs": "feedback"},
        {"metric": "order_defect_rate", "status": "missing_input", "needs": "claims"},
        {"metric": "order_defect_rate", "status": "missing_input", "needs": "chargebacks"},
        {"metric": "negative_feedback_rate", "status": "missing_input", "needs": "feedback"},
        {"metric": "a_to_z_claim_rate", "status": "missing_input", "needs": "claims"},
        {"metric": "chargeback_rate", "status": "missing_input", "needs": "chargebacks"},
        {"metric": "late_shipment_rate", "status": "missing_input", "needs": "shipments"},
        {
            "metric": "pre_fulfillment_cancel_rate",
            "status": "missing_input",
            "needs": "cancellations",
        },
        {"metric": "valid_tracking_rate", "status": "missing_input", "needs": "shipments"},
        {"metric": "on_time_delivery_rate", "status": "missing_input", "needs": "shipments"},
        {"metric": "late_response_rate", "status": "missing_input", "needs": "messages"},
    ]
    assert document["marketplaces"] == [{"marketplace": "Amazon.com", "metrics": []}]


def test_feedback_without_claims_gives_the_component_and_not_odr() -> None:
    orders = orders_on("o", days_before(30), 4)
    document = health(memtables(orders=orders, feedback=[feedback("o-1", days_before(2))]))
    ids = {m["id"] for m in document["marketplaces"][0]["metrics"]}
    assert ids == {"negative_feedback_rate"}
    assert figures(metric(document, "negative_feedback_rate")) == (1, 4, "info")
    assert {c["needs"] for c in document["coverage"] if c["metric"] == "order_defect_rate"} == {
        "claims",
        "chargebacks",
    }


def test_header_only_files_mean_no_rows_not_missing() -> None:
    orders = orders_on("o", days_before(30), 4) + orders_on("n", days_before(3), 2)
    document = health(memtables(orders=orders, **empty_inputs(*ALL_INPUTS)))
    assert document["coverage"] == []
    assert figures(metric(document, "order_defect_rate")) == (0, 4, "ok")
    assert figures(metric(document, "pre_fulfillment_cancel_rate")) == (0, 2, "ok")
    assert figures(metric(document, "late_shipment_rate", window_days=10)) == (0, 0, "no_data")
    assert figures(metric(document, "late_response_rate", "all", 90)) == (0, 0, "no_data")
    assert document["unmatched"] == []


def test_account_with_only_feedback_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="no orders report") as caught:
        health(memtables(feedback=[feedback("o1", days_before(3))]))
    assert "all-orders report" in str(caught.value)


def test_table_without_canonical_columns_is_a_clear_error() -> None:
    tables = memtables(orders=orders_on("o", days_before(30), 3))
    tables["feedback"] = ibis.memtable({"order_id": ["o-1"], "rating": [1]})
    with pytest.raises(DataError, match="feedback table lacks the canonical column"):
        health(tables)


def test_marketplace_not_in_data_is_a_clear_error() -> None:
    tables = memtables(orders=orders_on("o", days_before(30), 3), feedback=[])
    with pytest.raises(DataError, match=r"Marketplace 'Amazon\.fr' has no orders") as caught:
        health(tables, marketplace="Amazon.fr")
    assert "Amazon.com" in str(caught.value)
    with pytest.raises(DataError):
        health(tables, marketplace="Non-Amazon")


def test_marketplace_filter_keeps_only_that_marketplace() -> None:
    orders = orders_on("us", days_before(30), 3) + orders_on(
        "de", days_before(30), 2, marketplace="Amazon.de"
    )
    tables = memtables(orders=orders, feedback=[feedback("de-0", days_before(3))])
    everything = health(tables)
    only_de = health(tables, marketplace="Amazon.de")
    assert [b["marketplace"] for b in everything["marketplaces"]] == ["Amazon.com", "Amazon.de"]
    assert only_de["marketplaces"] == [everything["marketplaces"][1]]


@pytest.mark.parametrize("as_of", [days_before(400), days_before(-400)])
def test_as_of_date_with_no_data_is_a_clear_error(as_of: Any) -> None:
    tables = memtables(orders=orders_on("o", days_before(30), 3), feedback=[])
    with pytest.raises(DataError, match="has data as of") as caught:
        health(tables, as_of=as_of)
    assert "2020-10-20" in str(caught.value)


def test_default_as_of_is_latest_order_date() -> None:
    orders = orders_on("o", days_before(30), 3) + order("last", days_before(2))
    document = compute_health(memtables(orders=orders, feedback=[]), account="acme")
    assert document["as_of"] == "2020-11-17"
    assert document["account"] == "acme"


def test_default_as_of_counts_a_later_mcf_order_but_no_metric_does() -> None:
    # §4 "default: the latest order date in the account's data": the MCF order of 11-24 is
    # stored data (§2), so D = 11-24, though it is in no metric and lists no marketplace.
    orders = (
        orders_on("o", days_before(30), 3)
        + order("last", days_before(2))
        + order("mcf", days_before(-5), marketplace="Non-Amazon", channel="afn")
    )
    document = compute_health(memtables(orders=orders, feedback=[]), account="acme")
    assert document["as_of"] == "2020-11-24"
    assert [b["marketplace"] for b in document["marketplaces"]] == ["Amazon.com"]
    # Window [D−74, D−15] = [09-11, 11-09]: the three orders of 10-20, not "last" (11-17).
    entry = metric(document, "negative_feedback_rate")
    assert (entry["window_start"], entry["window_end"]) == ("2020-09-11", "2020-11-09")
    assert figures(entry) == (0, 3, "info")
    assert metric(document, "negative_feedback_rate", "afn")["denominator"] == 0


def test_health_json_keys_and_determinism() -> None:
    tables = _realistic_memtables(5)
    first = health(tables)
    second = health(tables)
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)
    assert list(first) == [
        "account",
        "as_of",
        "marketplaces",
        "coverage",
        "unmatched",
        "amazon_reported",
    ]
    assert [b["marketplace"] for b in first["marketplaces"]] == ["Amazon.com", "Amazon.de"]
    for block in first["marketplaces"]:
        for entry in block["metrics"]:
            assert list(entry) == METRIC_KEYS
            assert list(entry["recovery"]) == [
                "clean_orders_needed",
                "defects_ageing_out",
                "expected_ok_date",
            ]
            if entry["denominator"]:
                assert entry["value"] == entry["numerator"] / entry["denominator"]
    assert {u["order_id"] for u in first["unmatched"]} == {"005-missing-1", "005-missing-2"}


def _realistic_memtables(seed: int) -> dict[str, Any]:
    return {name: ibis.memtable(table) for name, table in realistic_account(seed).items()}


def test_odr_recovery_on_hand_built_breach() -> None:
    # 10 mfn orders a day over the whole window [09-06, 11-04] = 600 orders.
    orders: list[Row] = []
    for day in range(60):
        orders += orders_on(f"d{day}", days_before(74 - day), 10)
    # Defects: 4 orders of 09-06 and 5 of 10-20 → 9 / 600 = 1.5 %.
    bad = [f"d0-{n}" for n in range(4)] + [f"d44-{n}" for n in range(5)]
    defects = [feedback(order_id, days_before(1)) for order_id in bad]
    entry = metric(
        health(memtables(orders=orders, feedback=defects, claims=[], chargebacks=[])),
        "order_defect_rate",
    )
    assert figures(entry) == (9, 600, "breach")
    recovery = entry["recovery"]
    # 9 / (600 + n) < 1 %  ⇔  n > 300
    assert recovery["clean_orders_needed"] == 301
    # Order date + 75 days: 09-06 → 11-20, 10-20 → 01-03.
    assert [a["date"] for a in recovery["defects_ageing_out"]] == ["2020-11-20"] * 4 + [
        "2021-01-03"
    ] * 5
    assert recovery["defects_ageing_out"][0] == {"order_id": "d0-0", "date": "2020-11-20"}
    # On 11-20 the four of 09-06 leave and 10 new orders a day replace the day lost:
    # 5 / 600 = 0.83 % < 1 %: the target is met again (still at risk).
    assert recovery["expected_ok_date"] == "2020-11-20"


def test_odr_recovery_on_hand_built_at_risk() -> None:
    orders: list[Row] = []
    for day in range(60):
        orders += orders_on(f"d{day}", days_before(74 - day), 10)
    defects = [feedback(f"d44-{n}", days_before(1)) for n in range(5)]
    entry = metric(
        health(memtables(orders=orders, feedback=defects, claims=[], chargebacks=[])),
        "order_defect_rate",
    )
    assert figures(entry) == (5, 600, "at_risk")
    # 5 / (600 + n) < 0.8 %  ⇔  n > 25
    assert entry["recovery"]["clean_orders_needed"] == 26
    # The rate stays 5/600 until the defects of 10-20 leave the window on 2021-01-03.
    assert entry["recovery"]["expected_ok_date"] == "2021-01-03"


def test_ok_metric_still_lists_when_its_defects_age_out() -> None:
    # §5 "defects_ageing_out: for each defect, the first as-of date on which its order is outside
    # the window (for ODR, order date + 75 days)": ok metrics and components included.
    orders = orders_on("o", days_before(30), 200)
    document = health(
        memtables(
            orders=orders, feedback=[feedback("o-1", days_before(2))], claims=[], chargebacks=[]
        )
    )
    entry = metric(document, "order_defect_rate")
    assert figures(entry) == (1, 200, "ok")
    # Order date 10-20 + 75 days = 2021-01-03.
    assert entry["recovery"] == {
        "clean_orders_needed": 0,
        "defects_ageing_out": [{"order_id": "o-1", "date": "2021-01-03"}],
        "expected_ok_date": None,
    }
    assert len(entry["defects"]) == 1
    component = metric(document, "negative_feedback_rate")
    assert figures(component) == (1, 200, "info")
    assert component["recovery"] == {
        "clean_orders_needed": None,
        "defects_ageing_out": [{"order_id": "o-1", "date": "2021-01-03"}],
        "expected_ok_date": None,
    }


# --- Amazon's own figures ------------------------------------------------------------------


def snapshot(as_of: str, **overrides: Any) -> dict[str, Any]:
    odr = {
        "id": "order_defect_rate",
        "channel": "mfn",
        "window_days": 60,
        "numerator": 1,
        "denominator": 100,
        "value": 0.01,
        "target": {"op": "<", "value": 0.01},
        "amazon_status": "BAD",
    }
    odr.update(overrides)
    lsr = {
        "id": "late_shipment_rate",
        "channel": "mfn",
        "numerator": 0,
        "denominator": 5,
        "value": 0.0,
        "target": {"op": "<", "value": 0.04},
        "amazon_status": "GOOD",
    }
    return {"as_of": as_of, "marketplaces": [{"marketplace": "Amazon.com", "metrics": [odr, lsr]}]}


def amazon_tables() -> dict[str, Any]:
    orders = orders_on("o", days_before(30), 99) + order("bad", days_before(30))
    return memtables(
        orders=orders,
        feedback=[feedback("bad", days_before(20))],
        claims=[claim("bad", "C1", at(days_before(20)), status="granted_amazon_funded")],
        chargebacks=[],
    )


def test_amazon_figures_set_beside_ours_when_snapshot_date_is_d() -> None:
    document = health(amazon_tables(), amazon_snapshot=snapshot("2020-11-19"))
    odr, lsr = document["amazon_reported"]
    assert odr == {
        "marketplace": "Amazon.com",
        "id": "order_defect_rate",
        "channel": "mfn",
        "window_days": 60,
        "amazon": {
            "numerator": 1,
            "denominator": 100,
            "value": 0.01,
            "target": {"op": "<", "value": 0.01},
            "status": "BAD",
        },
        "ours": {"numerator": 1, "denominator": 100, "value": 0.01, "status": "breach"},
        "differs": False,
        "likely_reason": None,
    }
    # Amazon's late shipment figure has no window length: its top-level figure is 30 days.
    assert lsr["window_days"] == 30
    assert lsr["ours"] is None
    assert lsr["differs"] is True
    assert lsr["likely_reason"] == "missing file: import the 'shipments' report to compute it"


def test_amazon_figures_differ_with_likely_reason() -> None:
    document = health(
        amazon_tables(), amazon_snapshot=snapshot("2020-11-19", numerator=0, value=0.0)
    )
    odr = document["amazon_reported"][0]
    assert odr["differs"] is True
    assert "Amazon funded" in odr["likely_reason"]
    fewer = health(amazon_tables(), amazon_snapshot=snapshot("2020-11-19", denominator=120))
    assert "misses days" in fewer["amazon_reported"][0]["likely_reason"]


def test_amazon_snapshot_naming_marketplace_by_id_is_matched() -> None:
    named_by_id = snapshot("2020-11-19")
    named_by_id["marketplaces"][0]["marketplace"] = "ATVPDKIKX0DER"
    document = health(amazon_tables(), amazon_snapshot=named_by_id)
    assert document["amazon_reported"][0]["marketplace"] == "Amazon.com"
    assert document["amazon_reported"][0]["differs"] is False


def test_amazon_snapshot_of_another_date_is_not_compared() -> None:
    document = health(amazon_tables(), amazon_snapshot=snapshot("2020-11-18"))
    assert document["amazon_reported"] == []


def test_order_dates_reached_by_current_lines_are_taken_as_they_are() -> None:
    orders = orders_on("o", days_before(30), 3) + order("last", days_before(2))
    tables = memtables(orders=orders, feedback=[])
    # Both dates hold current lines, so the history is not aggregated: the bounds are the answer.
    bounds = {"Amazon.com": (days_before(2), days_before(2))}

    evaluation = evaluate(tables, account="acme", order_dates=bounds)

    assert evaluation.as_of == days_before(2)
    assert (evaluation.first_order_date, evaluation.last_order_date) == (
        days_before(2),
        days_before(2),
    )


def test_order_dates_of_superseded_lines_fall_back_to_the_current_lines() -> None:
    orders = (
        orders_on("o", days_before(30), 3)
        + order("last", days_before(2))
        + order("mcf", days_before(-5), marketplace="Non-Amazon", channel="afn")
    )
    tables = memtables(orders=orders, feedback=[])
    # Stored bounds wider than the current lines (an older version dated 60 days back, and a
    # marketplace whose every line a re-export moved away): the current lines decide.
    bounds = {
        "Amazon.com": (days_before(60), days_before(2)),
        "Amazon.de": (days_before(50), days_before(50)),
        "Non-Amazon": (days_before(-5), days_before(-5)),
    }

    evaluation = evaluate(tables, account="acme", order_dates=bounds)

    assert evaluation.as_of == days_before(-5)
    assert evaluation.account_marketplaces == ["Amazon.com"]
    assert (evaluation.first_order_date, evaluation.last_order_date) == (
        days_before(30),
        days_before(2),
    )
