"""Late response rate of buyer messages over 7, 30 and 90 days (metric-conventions.md §4, ref §1.7).

A message enters the window by its UTC received-at date; messages marked no-response-needed are left
out. It is late when answered more than 24 h after receipt, or still unanswered at the end of D and
received more than 24 h before it (before D 00:00 UTC). A reply after the end of D has not happened
yet. Exactly 24 h is on time.

A message belongs to the marketplace of its order. One naming no order, or an order not in the data,
belongs to the account's only marketplace; with several marketplaces it is left out and counted in
``coverage``. Messages about Non-Amazon (MCF) orders are in no metric.

Facts layout of the ``response`` family: ``marketplace`` of the order (null: no known order;
``Non-Amazon`` kept so it can be told apart), ``day`` received date, ``flag_a`` late; ``item_id``
(message id), ``order_id`` and ``order_date`` only on late messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from goodstanding.metrics.definitions import NON_AMAZON, definitions_of
from goodstanding.metrics.orders import (
    FactRow,
    as_facts,
    day_start,
    happened_by,
    received_between,
)
from goodstanding.metrics.results import Defect, MetricResult

if TYPE_CHECKING:
    import ibis.expr.types as ir

FAMILY = "response"
LATE_AFTER_HOURS = 24
"""A reply more than this many hours after the message is late (§4; exactly 24 h is on time)."""


def window_messages(messages: ir.Table, as_of: date) -> ir.Table:
    """Messages received in the longest (90-day) window that need a reply, with their lateness."""
    import ibis

    longest = max(definitions_of(FAMILY), key=lambda d: d.window_days)
    start, end = longest.window(as_of)
    messages = messages.filter(
        received_between(messages.received_at, start, end),
        ~messages.no_response_needed.fill_null(False),
    )
    answered = happened_by(messages.first_response_at, as_of)
    late = ibis.ifelse(
        answered,
        messages.first_response_at > messages.received_at + ibis.interval(hours=LATE_AFTER_HOURS),
        messages.received_at < day_start(as_of),
    )
    return messages.select(
        "message_id", "order_id", day=messages.received_at.date(), late=late.fill_null(False)
    )


def facts(messages: ir.Table, orders: ir.Table) -> list[ir.Table]:
    """Rows of the late response rates, from :func:`window_messages`.

    Args:
        messages: the result of :func:`window_messages`.
        orders: order facts of every marketplace holding at least every order the messages name.
    """
    import ibis

    owners = orders.select("order_id", owner=orders.marketplace, placed=orders.order_date)
    joined = messages.left_join(owners, messages.order_id == owners.order_id)
    grouped = joined.group_by(
        marketplace=joined.owner,
        day=joined.day,
        late=joined.late,
        detail=ibis.ifelse(joined.late, joined.message_id, ibis.null("string")),
        detail_order=ibis.ifelse(joined.late, joined.order_id, ibis.null("string")),
        detail_date=ibis.ifelse(joined.late, joined.placed, ibis.null("date")),
    ).aggregate(n=joined.count())
    return [
        as_facts(
            grouped,
            FAMILY,
            marketplace=grouped.marketplace,
            channel=ibis.literal("all"),
            day=grouped.day,
            order_id=grouped.detail_order,
            order_date=grouped.detail_date,
            item_id=grouped.detail,
            flag_a=grouped.late,
            n=grouped.n,
        )
    ]


def read(
    rows: Iterable[FactRow],
    *,
    as_of: date,
    marketplaces: Iterable[str],
    account_marketplaces: Iterable[str],
) -> tuple[list[MetricResult], int]:
    """Results of the late response rates, and how many messages were left out.

    Args:
        rows: the family's fact rows.
        as_of: the as-of date D.
        marketplaces: the marketplaces to report.
        account_marketplaces: every marketplace of the account, which decides where a message
            without a known order goes.

    Returns:
        The results, and the number of messages of the 90-day window that could not be given a
        marketplace because the account sells on several.
    """
    definitions = definitions_of(FAMILY)
    every = sorted(account_marketplaces)
    fallback = every[0] if len(every) == 1 else None
    results = {
        (marketplace, definition.window_days): MetricResult(definition, marketplace, "all", as_of)
        for marketplace in marketplaces
        for definition in definitions
    }
    left_out = 0
    for row in rows:
        day, count = row.day, row.n
        if day is None:
            continue
        marketplace = row.marketplace
        if marketplace == NON_AMAZON:
            continue
        if marketplace is None:
            if fallback is None:
                left_out += count
                continue
            marketplace = fallback
        for definition in definitions:
            result = results.get((marketplace, definition.window_days))
            start, end = definition.window(as_of)
            if result is None or not start <= day <= end:
                continue
            result.denominator += count
            result.daily[day] += count
            if row.flag_a:
                result.numerator += count
                result.defects.append(
                    Defect(
                        row.order_id,
                        row.order_date,
                        day,
                        ("late_response",),
                        item="message",
                        message_id=row.item_id,
                    )
                )
    return list(results.values()), left_out
