"""Order Defect Rate and its components: windows, defect rules, cancelled and MCF orders (§4)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from .builders import (
    CLAIM_STATUSES,
    D,
    Row,
    at,
    chargeback,
    claim,
    days_before,
    defect_ids,
    feedback,
    figures,
    health,
    memtables,
    metric,
    order,
    orders_on,
)

ODR_INPUTS: dict[str, list[Row]] = {"feedback": [], "claims": [], "chargebacks": []}


def odr_tables(orders: list[Row], **defects: list[Row]) -> dict[str, object]:
    return memtables(orders=orders, **{**ODR_INPUTS, **defects})


@pytest.mark.parametrize(
    ("days", "inside"),
    [
        (75, False),  # one day before the first day D−74
        (74, True),  # first day of the window
        (15, True),  # last day D−15
        (14, False),  # one day after
    ],
)
def test_odr_window_boundary_by_order_date(days: int, inside: bool) -> None:
    day = days_before(days)
    orders = order("edge", day) + orders_on("fill", days_before(40), 99)
    document = health(odr_tables(orders, feedback=[feedback("edge", days_before(1))]))
    entry = metric(document, "order_defect_rate")
    # 99 clean orders inside; the edge order adds one order and one defect when inside.
    assert figures(entry)[:2] == ((1, 100) if inside else (0, 99))
    assert entry["window_start"] == "2020-09-06"
    assert entry["window_end"] == "2020-11-04"
    assert entry["window_days"] == 60


def test_odr_counts_mfn_and_afn_separately() -> None:
    orders = (
        orders_on("m", days_before(30), 50)
        + orders_on("a", days_before(30), 20, channel="afn")
        + order("m-bad", days_before(30))
        + order("a-bad", days_before(31), channel="afn")
    )
    defects = [feedback("m-bad", days_before(10)), feedback("a-bad", days_before(10), 2)]
    document = health(odr_tables(orders, feedback=defects))
    assert figures(metric(document, "order_defect_rate", "mfn")) == (1, 51, "breach")
    assert figures(metric(document, "order_defect_rate", "afn")) == (1, 21, "breach")
    channels = [
        m["channel"]
        for m in document["marketplaces"][0]["metrics"]
        if m["id"] == "order_defect_rate"
    ]
    assert channels == ["mfn", "afn"]


def test_odr_order_with_two_defects_counts_once_and_once_per_component() -> None:
    orders = order("both", days_before(20)) + orders_on("fill", days_before(20), 199)
    document = health(
        odr_tables(
            orders,
            feedback=[feedback("both", days_before(18), 1)],
            claims=[claim("both", "C1", at(days_before(17)), status="granted_seller_funded")],
            chargebacks=[
                chargeback("both", "K1", at(days_before(16))),
                chargeback("both", "K2", at(days_before(15))),
            ],
        )
    )
    odr = metric(document, "order_defect_rate")
    assert figures(odr) == (1, 200, "ok")  # 0.5 %, under the 0.8 % band
    assert odr["defects"] == [
        {
            "order_id": "both",
            "order_date": "2020-10-30",
            "kinds": ["negative_feedback", "a_to_z_claim", "chargeback"],
        }
    ]
    for component, kind in (
        ("negative_feedback_rate", "negative_feedback"),
        ("a_to_z_claim_rate", "a_to_z_claim"),
        ("chargeback_rate", "chargeback"),
    ):
        entry = metric(document, component)
        assert figures(entry) == (1, 200, "info")
        assert entry["target"] is None
        assert entry["defects"][0]["kinds"] == [kind]
        assert entry["recovery"]["clean_orders_needed"] is None


def _claim_counts(status: str, reason: str, buy_shipping: bool | None) -> bool:
    # Written out from metric-conventions §4, independently of the code under test.
    if status in {"denied", "withdrawn_before_decision", "appeal_won"}:
        return False
    return not (
        status == "granted_amazon_funded" and reason == "item_not_received" and buy_shipping is True
    )


CLAIM_CASES = list(
    itertools.product(
        CLAIM_STATUSES, ("item_not_received", "not_as_described", "other"), (True, False, None)
    )
)


def test_claim_counting_every_status_reason_and_buy_shipping() -> None:
    orders: list[Row] = []
    claims: list[Row] = []
    for number, (status, reason, buy_shipping) in enumerate(CLAIM_CASES):
        orders += order(f"o{number}", days_before(30))
        claims.append(
            claim(
                f"o{number}",
                f"C{number}",
                at(days_before(20)),
                reason=reason,
                status=status,
                buy_shipping=buy_shipping,
            )
        )
    document = health(memtables(orders=orders, claims=claims))
    expected = sorted(
        f"o{number}" for number, case in enumerate(CLAIM_CASES) if _claim_counts(*case)
    )
    entry = metric(document, "a_to_z_claim_rate")
    assert sorted(defect_ids(entry)) == expected
    # 8 statuses × 3 reasons × 3 buy-shipping values = 72 orders; 3 statuses never count (27),
    # granted_amazon_funded + item_not_received + Y does not (1): 44 count.
    assert figures(entry) == (44, 72, "info")
    assert len(expected) == 44


def test_claim_status_and_reason_compare_case_insensitively() -> None:
    orders = order("o1", days_before(30)) + order("o2", days_before(30))
    claims = [
        claim("o1", "C1", at(days_before(20)), status="DENIED"),
        claim(
            "o2",
            "C2",
            at(days_before(20)),
            status="Granted_Amazon_Funded",
            reason="Item_Not_Received",
            buy_shipping=True,
        ),
    ]
    document = health(memtables(orders=orders, claims=claims))
    assert figures(metric(document, "a_to_z_claim_rate"))[:2] == (0, 2)


@pytest.mark.parametrize(
    ("reason", "status", "counts"),
    [
        ("service", "open", True),
        ("service", "refunded", True),
        ("service", "debited", True),
        ("service", "represented_won", False),
        ("fraud", "open", False),
        ("fraud", "debited", False),
        ("fraud", "refunded", False),
        ("fraud", "represented_won", False),
    ],
)
def test_chargeback_counts_only_service_not_represented_won(
    reason: str, status: str, counts: bool
) -> None:
    orders = order("cb", days_before(30)) + orders_on("fill", days_before(30), 9)
    document = health(
        memtables(
            orders=orders,
            chargebacks=[chargeback("cb", "K1", at(days_before(25)), reason=reason, status=status)],
        )
    )
    assert figures(metric(document, "chargeback_rate"))[:2] == ((1 if counts else 0), 10)


def test_order_date_comes_from_stored_utc_date_across_midnight() -> None:
    # Bought at 19:30 on 4 Nov in New York = 00:30 UTC on 5 Nov: the stored UTC date is 5 Nov,
    # one day after the window's last day (D−15 = 4 Nov), so the order is outside.
    late_evening = datetime(2020, 11, 5, 0, 30, tzinfo=UTC)
    # Bought at 08:30 on 5 Nov in Tokyo = 23:30 UTC on 4 Nov: inside.
    tokyo_morning = datetime(2020, 11, 4, 23, 30, tzinfo=UTC)
    orders = (
        order("ny", days_before(14), purchase_at=late_evening)
        + order("tokyo", days_before(15), purchase_at=tokyo_morning)
        + orders_on("fill", days_before(30), 8)
    )
    defects = [feedback("ny", days_before(2)), feedback("tokyo", days_before(2))]
    document = health(memtables(orders=orders, feedback=defects))
    entry = metric(document, "negative_feedback_rate")
    assert figures(entry)[:2] == (1, 9)
    assert entry["defects"] == [
        {"order_id": "tokyo", "order_date": "2020-11-04", "kinds": ["negative_feedback"]}
    ]


def test_cancelled_orders_are_out_of_denominator_and_their_defects_do_not_count() -> None:
    orders = (
        order("gone", days_before(30), status="Cancelled")
        + order("bad", days_before(30))
        + orders_on("fill", days_before(30), 98)
    )
    defects = [feedback("gone", days_before(20)), feedback("bad", days_before(20))]
    document = health(memtables(orders=orders, feedback=defects))
    entry = metric(document, "negative_feedback_rate")
    assert figures(entry)[:2] == (1, 99)
    assert defect_ids(entry) == ["bad"]
    assert document["unmatched"] == []


def test_non_amazon_orders_are_in_no_metric_nor_unmatched() -> None:
    orders = order("mcf", days_before(30), marketplace="Non-Amazon", channel="afn") + orders_on(
        "fill", days_before(30), 10, channel="afn"
    )
    document = health(memtables(orders=orders, feedback=[feedback("mcf", days_before(20))]))
    assert [b["marketplace"] for b in document["marketplaces"]] == ["Amazon.com"]
    assert figures(metric(document, "negative_feedback_rate", "afn")) == (0, 10, "info")
    assert document["unmatched"] == []


def test_multi_line_order_counts_once() -> None:
    orders = order("big", days_before(30), lines=3) + orders_on("fill", days_before(30), 4)
    document = health(memtables(orders=orders, feedback=[feedback("big", days_before(29))]))
    assert figures(metric(document, "negative_feedback_rate"))[:2] == (1, 5)


def test_feedback_rating_three_and_above_is_not_negative() -> None:
    orders = orders_on("o", days_before(30), 5)
    rows = [feedback("o-0", days_before(20), 3), feedback("o-1", days_before(20), 2)]
    document = health(memtables(orders=orders, feedback=rows))
    assert defect_ids(metric(document, "negative_feedback_rate")) == ["o-1"]


def test_defects_dated_after_d_have_not_happened_yet() -> None:
    orders = orders_on("o", days_before(30), 10)
    document = health(
        memtables(
            orders=orders,
            feedback=[feedback("o-0", D), feedback("o-1", days_before(-1))],
            claims=[
                claim("o-2", "C1", datetime(2020, 11, 19, 23, 59, 59, tzinfo=UTC)),
                claim("o-3", "C2", datetime(2020, 11, 20, 0, 0, 0, tzinfo=UTC)),
            ],
            chargebacks=[chargeback("o-4", "K1", datetime(2020, 11, 20, 0, 0, 1, tzinfo=UTC))],
        )
    )
    assert defect_ids(metric(document, "order_defect_rate")) == ["o-0", "o-2"]


def test_unmatched_lists_defects_of_unknown_orders_with_all_their_kinds() -> None:
    orders = orders_on("o", days_before(30), 3)
    document = health(
        odr_tables(
            orders,
            feedback=[feedback("ghost-2", days_before(20)), feedback("ghost-1", days_before(20))],
            claims=[
                claim("ghost-1", "C1", at(days_before(10))),
                claim("ghost-3", "C2", at(days_before(10)), status="denied"),
            ],
        )
    )
    assert document["unmatched"] == [
        {"order_id": "ghost-1", "kinds": ["negative_feedback", "a_to_z_claim"]},
        {"order_id": "ghost-2", "kinds": ["negative_feedback"]},
    ]


def test_defects_sorted_by_order_date_then_order_id() -> None:
    orders = (
        order("b", days_before(20))
        + order("a", days_before(20))
        + order("c", days_before(40))
        + orders_on("fill", days_before(30), 7)
    )
    defects = [feedback(x, days_before(5)) for x in ("a", "b", "c")]
    document = health(memtables(orders=orders, feedback=defects))
    assert defect_ids(metric(document, "negative_feedback_rate")) == ["c", "a", "b"]
