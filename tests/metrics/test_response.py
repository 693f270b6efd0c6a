"""Late response rate of buyer messages (metric-conventions §4): 24 h, end of D, marketplaces.

D is 2020-11-19; windows [11-13, 11-19], [10-21, 11-19] and [08-22, 11-19]; the end of D is
2020-11-20 00:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .builders import (
    D,
    Row,
    at,
    days_before,
    figures,
    health,
    memtables,
    message,
    metric,
    order,
)

END_OF_D = datetime(2020, 11, 20, 0, 0, tzinfo=UTC)


def response_health(*messages: Row, orders: list[Row] | None = None) -> dict[str, Any]:
    return health(memtables(orders=orders or order("o1", days_before(10)), messages=list(messages)))


@pytest.mark.parametrize(
    ("received", "response", "late"),
    [
        (at(days_before(3), 10), at(days_before(2), 10), False),  # exactly 24 h: on time
        (at(days_before(3), 10), at(days_before(2), 10, 0, 1), True),  # 24 h + 1 s: late
        (at(days_before(3), 10), at(days_before(2), 9, 59, 59), False),
        (at(days_before(1), 23, 59, 59), None, True),  # unanswered, 24 h + 1 s before end of D
        (at(D, 0, 0, 0), None, False),  # unanswered, exactly 24 h before the end of D
        (at(D, 0, 0, 1), None, False),
        # A reply after the end of D has not happened yet: unanswered as of D.
        (at(days_before(3), 10), END_OF_D, True),
        (at(D, 1), END_OF_D + timedelta(hours=1), False),
        (at(D, 1), END_OF_D - timedelta(microseconds=1), False),  # answered within 23 h
        (at(days_before(1), 1), END_OF_D - timedelta(microseconds=1), True),  # 47 h later
    ],
)
def test_late_response_24_hour_rule(
    received: datetime, response: datetime | None, late: bool
) -> None:
    document = response_health(message("m1", received, order_id="o1", response=response))
    entry = metric(document, "late_response_rate", "all", 7)
    assert figures(entry)[:2] == ((1 if late else 0), 1)


@pytest.mark.parametrize(
    ("days", "windows"),
    [
        (6, {7, 30, 90}),
        (7, {30, 90}),
        (29, {30, 90}),
        (30, {90}),
        (89, {90}),
        (90, set()),
        (-1, set()),  # received after D: not yet
    ],
)
def test_late_response_window_boundaries_by_received_date(days: int, windows: set[int]) -> None:
    received = at(days_before(days), 0, 0, 0) if days >= 0 else at(days_before(days), 1)
    document = response_health(
        message("edge", received, order_id="o1"),
        message("fresh", at(D, 9), order_id="o1"),  # received on D, unanswered: not late yet
    )
    for window_days in (7, 30, 90):
        entry = metric(document, "late_response_rate", "all", window_days)
        inside = window_days in windows
        assert figures(entry)[:2] == ((1, 2) if inside else (0, 1)), window_days


def test_messages_marked_no_response_needed_are_left_out() -> None:
    document = response_health(
        message("skip", at(days_before(3)), order_id="o1", no_response_needed=True),
        message("blank", at(days_before(3)), order_id="o1", no_response_needed=None),
        message("no", at(days_before(3)), order_id="o1", no_response_needed=False),
    )
    entry = metric(document, "late_response_rate", "all", 7)
    assert figures(entry) == (2, 2, "breach")
    assert entry["target"] == {"op": "<", "value": 0.1}
    assert [d["message_id"] for d in entry["defects"]] == ["blank", "no"]
    assert entry["defects"][0] == {
        "order_id": "o1",
        "order_date": "2020-11-09",
        "kinds": ["late_response"],
        "message_id": "blank",
        "received_date": "2020-11-16",
    }


def test_messages_go_to_their_order_marketplace_and_unknown_ones_are_left_out() -> None:
    orders = (
        order("us", days_before(10))
        + order("de", days_before(10), marketplace="Amazon.de", currency="EUR")
        + order("mcf", days_before(10), marketplace="Non-Amazon")
    )
    document = response_health(
        message("m-us", at(days_before(3)), order_id="us"),
        message("m-de", at(days_before(3)), order_id="de"),
        message("m-de2", at(days_before(3)), order_id="de", response=at(days_before(3), 13)),
        message("m-mcf", at(days_before(3)), order_id="mcf"),
        message("m-none", at(days_before(3))),
        message("m-ghost", at(days_before(3)), order_id="ghost"),
        orders=orders,
    )
    assert figures(metric(document, "late_response_rate", "all", 7)) == (1, 1, "breach")
    german = metric(document, "late_response_rate", "all", 7, marketplace="Amazon.de")
    assert figures(german) == (1, 2, "breach")
    assert {
        "metric": "late_response_rate",
        "status": "left_out",
        "needs": "messages",
        "reason": "messages without a known order while the account sells on several "
        "marketplaces: fill their order-id to count them",
        "messages": 2,
    } in document["coverage"]


def test_messages_without_order_belong_to_the_only_marketplace() -> None:
    document = response_health(
        message("m-none", at(days_before(3))),
        message("m-ghost", at(days_before(3)), order_id="ghost", response=at(days_before(3), 13)),
    )
    entry = metric(document, "late_response_rate", "all", 7)
    assert figures(entry) == (1, 2, "breach")
    assert entry["defects"][0]["order_id"] is None
    assert entry["defects"][0]["order_date"] is None
    assert [c for c in document["coverage"] if c["status"] == "left_out"] == []


def test_late_response_recovery_ages_messages_out() -> None:
    # 1 late message of 10 on 11-14 in the 7-day window [11-13, 11-19]: 10 % = breach.
    answered = [
        message(f"ok-{n}", at(days_before(2)), order_id="o1", response=at(days_before(2), 13))
        for n in range(9)
    ]
    document = response_health(message("late", at(days_before(5)), order_id="o1"), *answered)
    entry = metric(document, "late_response_rate", "all", 7)
    assert figures(entry) == (1, 10, "breach")
    recovery = entry["recovery"]
    # 1 / (10 + n) < 10 %  ⇔  n > 0
    assert recovery["clean_orders_needed"] == 1
    assert recovery["defects_ageing_out"] == [
        {"order_id": "o1", "date": "2020-11-21", "message_id": "late"}
    ]
    # On 11-20 the window keeps all ten messages and gains 10/7 new ones: 1/11.43 < 10 %.
    assert recovery["expected_ok_date"] == "2020-11-20"
