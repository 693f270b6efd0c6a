"""Order Defect Rate and its three components (metric-conventions.md §4, reference §1.2).

An order enters the 60-day window [D−74, D−15] by its UTC order date. Its defects are: seller
feedback rated 1–2, a *counting* A-to-z claim, a *counting* chargeback — each only once it has
happened by the end of D. Cancelled orders are in no denominator, so their defects do not count;
an order with two defects counts once in ODR and once in each component. Defects naming an order
that is not in the data are returned as ``unmatched`` rows, never dropped.

Facts layout of the ``order_defects`` family: ``flag_a`` negative feedback, ``flag_b`` counting
claim, ``flag_c`` counting chargeback; ``order_id`` set only on defective orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from goodstanding.metrics.definitions import definitions_of
from goodstanding.metrics.orders import FactRow, as_facts, end_of, is_amazon
from goodstanding.metrics.results import Defect, MetricResult

if TYPE_CHECKING:
    import ibis.expr.types as ir

FAMILY = "order_defects"
UNMATCHED = "unmatched"
KINDS: tuple[str, ...] = ("negative_feedback", "a_to_z_claim", "chargeback")
"""Defect kinds in the order every ``kinds`` list uses."""
SOURCES: dict[str, str] = {
    "negative_feedback": "feedback",
    "a_to_z_claim": "claims",
    "chargeback": "chargebacks",
}
"""The report file each defect kind comes from."""

CLAIM_STATUSES_NOT_COUNTING: tuple[str, ...] = ("denied", "withdrawn_before_decision", "appeal_won")


def counting_claims(claims: ir.Table) -> ir.BooleanValue:
    """Whether a claim counts toward ODR (§4).

    Not counting: denied, withdrawn before a decision, appeal won, and a not-received claim Amazon
    funded on a Buy Shipping order. A blank buy-shipping cell is "not Buy Shipping".
    """
    status = claims.status.lower().strip()
    reason = claims.reason.lower().strip()
    protected = (
        (status == "granted_amazon_funded")
        & (reason == "item_not_received")
        & claims.buy_shipping.fill_null(False)
    )
    return status.notnull() & ~status.isin(CLAIM_STATUSES_NOT_COUNTING) & ~protected


def counting_chargebacks(chargebacks: ir.Table) -> ir.BooleanValue:
    """Whether a chargeback counts toward ODR: reason service, status not represented_won."""
    reason = chargebacks.reason.lower().strip()
    status = chargebacks.status.lower().strip().fill_null("")
    return (reason == "service") & (status != "represented_won")


def defect_events(tables: Mapping[str, ir.Table], as_of: date) -> ir.Table | None:
    """(order_id, kind) of every defect that happened by the end of D; ``None`` without inputs."""
    import ibis

    parts: list[ir.Table] = []
    if "feedback" in tables:
        feedback = tables["feedback"]
        parts.append(
            feedback.filter(feedback.rating.isin([1, 2]), feedback.feedback_date <= as_of).select(
                "order_id", kind=ibis.literal("negative_feedback")
            )
        )
    if "claims" in tables:
        claims = tables["claims"]
        parts.append(
            claims.filter(counting_claims(claims), claims.filed_at < end_of(as_of)).select(
                "order_id", kind=ibis.literal("a_to_z_claim")
            )
        )
    if "chargebacks" in tables:
        chargebacks = tables["chargebacks"]
        parts.append(
            chargebacks.filter(
                counting_chargebacks(chargebacks), chargebacks.filed_at < end_of(as_of)
            ).select("order_id", kind=ibis.literal("chargeback"))
        )
    if not parts:
        return None
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]


def _kind_flags(events: ir.Table) -> ir.Table:
    return events.group_by("order_id").aggregate(
        flag_a=(events.kind == KINDS[0]).any(),
        flag_b=(events.kind == KINDS[1]).any(),
        flag_c=(events.kind == KINDS[2]).any(),
    )


def facts(orders: ir.Table, events: ir.Table, as_of: date) -> list[ir.Table]:
    """The family's rows (per marketplace, channel, order date and defect flags) plus unmatched.

    Args:
        orders: order facts (:func:`goodstanding.metrics.orders.order_facts`) holding at least
            the orders of the window and every order ``events`` names.
        events: the defects, from :func:`defect_events`.
        as_of: the as-of date D.
    """
    import ibis

    start, end = definitions_of(FAMILY)[0].window(as_of)
    window_orders = orders.filter(
        is_amazon(orders), orders.order_date.between(start, end), ~orders.cancelled
    )
    flags = _kind_flags(events)
    joined = window_orders.left_join(flags, "order_id")
    neg = joined.flag_a.fill_null(False)
    claim = joined.flag_b.fill_null(False)
    chargeback = joined.flag_c.fill_null(False)
    defective = neg | claim | chargeback
    grouped = joined.group_by(
        marketplace=joined.marketplace,
        channel=joined.channel,
        day=joined.order_date,
        neg=neg,
        claim=claim,
        chargeback=chargeback,
        detail=ibis.ifelse(defective, joined.order_id, ibis.null("string")),
    ).aggregate(n=joined.count())
    rows = as_facts(
        grouped,
        FAMILY,
        marketplace=grouped.marketplace,
        channel=grouped.channel,
        day=grouped.day,
        order_id=grouped.detail,
        order_date=grouped.day,
        flag_a=grouped.neg,
        flag_b=grouped.claim,
        flag_c=grouped.chargeback,
        n=grouped.n,
    )
    # ``orders`` holds every order the events name, of any marketplace or date: a defect left
    # without one names an order the data does not have.
    orphans = events.anti_join(orders, "order_id")
    orphan_flags = _kind_flags(orphans)
    unmatched = as_facts(
        orphan_flags,
        UNMATCHED,
        order_id=orphan_flags.order_id,
        flag_a=orphan_flags.flag_a,
        flag_b=orphan_flags.flag_b,
        flag_c=orphan_flags.flag_c,
        n=ibis.literal(1),
    )
    return [rows, unmatched]


def _kinds(row: FactRow) -> tuple[str, ...]:
    flags = (row.flag_a, row.flag_b, row.flag_c)
    return tuple(kind for kind, flag in zip(KINDS, flags, strict=True) if flag)


def read(
    rows: Iterable[FactRow],
    *,
    as_of: date,
    marketplaces: Iterable[str],
    imported: Iterable[str],
) -> list[MetricResult]:
    """Turn the family's fact rows into results for every marketplace and channel.

    Args:
        rows: the fact rows of this family (already executed).
        as_of: the as-of date D.
        marketplaces: the marketplaces to report, each getting every metric (``no_data`` if empty).
        imported: the report types imported, which decide the metrics computed.
    """
    present = set(imported)
    definitions = [d for d in definitions_of(FAMILY) if set(d.inputs) <= present]
    results: dict[tuple[str, str, str], MetricResult] = {}
    for marketplace in marketplaces:
        for definition in definitions:
            for channel in definition.channels:
                results[(marketplace, channel, definition.id)] = MetricResult(
                    definition, marketplace, channel, as_of
                )
    # The results one row feeds, by (marketplace, channel): looked up once per row.
    targets: dict[tuple[str, str], list[tuple[MetricResult, frozenset[str]]]] = {}
    for (marketplace, channel, _), result in results.items():
        kinds_counted = frozenset(result.definition.defect_kinds)
        targets.setdefault((marketplace, channel), []).append((result, kinds_counted))
    for row in rows:
        day, count, order_id = row.day, row.n, row.order_id
        if day is None:
            continue
        fed = targets.get((str(row.marketplace), str(row.channel)))
        if fed is None:
            continue
        kinds = _kinds(row)
        for result, kinds_counted in fed:
            result.denominator += count
            result.daily[day] += count
            if not kinds:
                continue
            counted = tuple(kind for kind in kinds if kind in kinds_counted)
            if counted and order_id is not None:
                result.numerator += count
                result.defects.append(
                    Defect(
                        order_id=order_id,
                        order_date=day,
                        entry_date=day,
                        kinds=counted,
                    )
                )
    return list(results.values())


def read_unmatched(rows: Iterable[FactRow]) -> list[dict[str, object]]:
    """The ``unmatched`` list of the health JSON: defects whose order is not in the data."""
    ordered = sorted(rows, key=lambda row: (row.order_id is None, row.order_id or ""))
    return [{"order_id": row.order_id, "kinds": list(_kinds(row))} for row in ordered]
