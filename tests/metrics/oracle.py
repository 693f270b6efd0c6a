"""An independent, plain-Python reading of metric-conventions.md §2–§6: the health JSON.

Written from the contract's text alone (not from ``goodstanding.metrics``), over plain rows (lists
of dicts of the canonical shapes of ``goodstanding.tables``), with no ibis and no pandas, so the
test suite can check the engine against a second computation. Every rule quotes the section it
implements. Where the contract leaves a choice open, the choice is written down next to the code
(``CHOICE:``); the names the contract does not fix (defect kinds other than
``negative_feedback``, the extra keys of shipment and message defects, the shape of an ageing-out
entry and of a ``left_out`` coverage entry, the order of lists) follow the engine's documented
conventions (src/goodstanding/metrics/README.md), since only the arithmetic is the contract.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

Row = dict[str, Any]

# §4 table, in its order: (metric id, channels, [(days back of window start, days back of window
# end)], target op, target value). §5: "ODR and its components 60, late shipment 10 and 30,
# cancel rate 7, valid tracking and on-time delivery 30, late response 7, 30 and 90."
ODR_WINDOW = (74, 15)  # §4: [D−74, D−15]
METRIC_TABLE: list[tuple[str, tuple[str, ...], tuple[tuple[int, int], ...], str | None, str]] = [
    ("order_defect_rate", ("mfn", "afn"), (ODR_WINDOW,), "<", "0.01"),
    ("negative_feedback_rate", ("mfn", "afn"), (ODR_WINDOW,), None, ""),
    ("a_to_z_claim_rate", ("mfn", "afn"), (ODR_WINDOW,), None, ""),
    ("chargeback_rate", ("mfn", "afn"), (ODR_WINDOW,), None, ""),
    ("late_shipment_rate", ("mfn",), ((9, 0), (29, 0)), "<", "0.04"),
    ("pre_fulfillment_cancel_rate", ("mfn",), ((7, 1),), "<", "0.025"),
    ("valid_tracking_rate", ("mfn",), ((39, 10),), ">=", "0.95"),
    ("on_time_delivery_rate", ("mfn",), ((39, 10),), ">=", "0.90"),
    ("late_response_rate", ("all",), ((6, 0), (29, 0), (89, 0)), "<", "0.10"),
]

# §5 "A metric whose input file was never imported is left out of `metrics` and listed in
# `coverage` (`missing_input`, with the file it needs); ODR needs all three of feedback, claims and
# chargebacks".
NEEDS: dict[str, tuple[str, ...]] = {
    "order_defect_rate": ("feedback", "claims", "chargebacks"),
    "negative_feedback_rate": ("feedback",),
    "a_to_z_claim_rate": ("claims",),
    "chargeback_rate": ("chargebacks",),
    "late_shipment_rate": ("shipments",),
    "pre_fulfillment_cancel_rate": ("cancellations",),
    "valid_tracking_rate": ("shipments",),
    "on_time_delivery_rate": ("shipments",),
    "late_response_rate": ("messages",),
}

ODR_KINDS = ("negative_feedback", "a_to_z_claim", "chargeback")
COMPONENT_KIND = {
    "negative_feedback_rate": "negative_feedback",
    "a_to_z_claim_rate": "a_to_z_claim",
    "chargeback_rate": "chargeback",
}

# §4 "A counting claim: status not in {denied, withdrawn_before_decision, appeal_won}, and not
# (granted_amazon_funded with reason item_not_received and buy-shipping = Y)."
NOT_COUNTING_CLAIM_STATUSES = {"denied", "withdrawn_before_decision", "appeal_won"}


@dataclass(frozen=True)
class Order:
    """One order (§2: one amazon-order-id; its lines are its items)."""

    order_id: str
    order_date: date
    cancelled: bool
    channel: str
    marketplace: str


def midnight(day: date) -> datetime:
    """``day`` 00:00:00 UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def utc(value: datetime) -> datetime:
    """A time stamp as UTC (§3: no offset = UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def current_orders(imports: Iterable[Iterable[Row]]) -> list[Row]:
    """The current order lines from several imports, oldest import first.

    §2 "When the same order arrives in several files, the line set with the latest
    `last-updated-date` wins" ... "When an order's line sets tie on `last-updated-date`, the file
    imported later wins. Compare `last-updated-date` as instants".
    """
    best: dict[str, tuple[datetime, list[Row]]] = {}
    for rows in imports:
        sets: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            sets[row["order_id"]].append(row)
        for order_id, lines in sets.items():
            updated = max(utc(line["last_updated_at"]) for line in lines)
            if order_id not in best or updated >= best[order_id][0]:  # tie: later import wins
                best[order_id] = (updated, lines)
    return [line for _, lines in best.values() for line in lines]


def orders_of(rows: Iterable[Row]) -> dict[str, Order]:
    """Orders by id from their lines."""
    lines: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        lines[row["order_id"]].append(row)
    found: dict[str, Order] = {}
    for order_id, items in lines.items():
        first = items[0]
        found[order_id] = Order(
            order_id=order_id,
            # §2 "Order date = purchase-date converted to UTC, then its calendar date."
            order_date=utc(first["purchase_at"]).date(),
            # §2 "Cancelled = order-status is Cancelled".
            cancelled=first["order_status"] == "Cancelled",
            # §2 "Channel: ... → afn; ... → mfn" (the canonical rows hold it already).
            channel=first["channel"],
            # §2 "Marketplace = sales-channel".
            marketplace=first["marketplace"],
        )
    return found


def status_of(
    numerator: int, denominator: int, op: str | None, target: Fraction | None
) -> tuple[float | None, str]:
    """§5 value and status."""
    if denominator == 0:
        # §5 "`value` ... `null` and status `no_data` when the denominator is 0."
        return None, "no_data"
    value = numerator / denominator  # §5 "numerator / denominator as a float"
    if op is None or target is None:
        return value, "info"  # §5 "Components without a target get `info`."
    exact = Fraction(numerator, denominator)  # §4 "Comparisons ... are exact"
    return value, band(exact, op, target)


def band(exact: Fraction, op: str, target: Fraction) -> str:
    """§5 "`breach` when the target is missed; else `at_risk` when ..., else `ok`"."""
    if op == "<":
        if not exact < target:
            return "breach"
        # §5 "for a "<" target t, value ≥ 0.8·t"
        return "at_risk" if exact >= Fraction(4, 5) * target else "ok"
    if not exact >= target:
        return "breach"
    # §5 "for a "≥" target t, value < t + 0.2·(1 − t)"
    return "at_risk" if exact < target + Fraction(1, 5) * (1 - target) else "ok"


def clean_orders_needed(
    numerator: int, denominator: int, op: str | None, target: Fraction | None, status: str
) -> int | None:
    """§5 `recovery.clean_orders_needed`."""
    # §5 "`null` for "≥" targets, components without a target and no_data."
    if op != "<" or target is None or status == "no_data":
        return None
    if status == "ok":
        return 0  # §5 "0 when ok"
    # §5 "the least n ≥ 0 with numerator / (denominator + n) < 0.8·t for at_risk, < t for breach"
    bound = Fraction(4, 5) * target if status == "at_risk" else target
    n = 0
    while not Fraction(numerator, denominator + n) < bound:
        n += 1
    return n


def expected_ok_date(
    day: date,
    entries: list[tuple[date, bool]],
    window: tuple[int, int],
    op: str | None,
    target: Fraction | None,
    status: str,
) -> date | None:
    """§5 `recovery.expected_ok_date` for the items of the window (entry date, is a defect).

    §5 "the first as-of date on which the metric meets its target if no new defects arrive and
    orders keep entering the window at the window's average daily rate".
    CHOICE: null when the metric is ok, no_data or has no target; for a breach the first date the
    target is met, for at_risk the first date the status is ok (the bound of clean_orders_needed);
    new items (all clean) arrive at denominator / window days per day, as exact fractions.
    """
    if op is None or target is None or status in ("ok", "no_data", "info"):
        return None
    start, end = window
    days = start - end + 1
    rate = Fraction(len(entries), days)
    for ahead in range(1, days + 2):
        first_day = day + timedelta(days=ahead) - timedelta(days=start)
        kept = [defect for entered, defect in entries if entered >= first_day]
        total = Fraction(len(kept)) + rate * min(ahead, days)
        bad = sum(1 for defect in kept if defect)
        good = total - bad
        value = Fraction(bad) / total if op == "<" else good / total
        if status == "breach":
            met = value < target if op == "<" else value >= target
        else:
            met = band(value, op, target) == "ok"
        if met:
            return day + timedelta(days=ahead)
    raise AssertionError("a window always empties of its defects")


def compute(
    tables: Mapping[str, list[Row]],
    *,
    account: str,
    as_of: date | None = None,
    marketplace: str | None = None,
) -> dict[str, Any]:
    """The §6 health JSON of plain canonical rows (no ``generated_at``, ``amazon_reported`` [])."""
    orders = orders_of(tables["orders"])
    # §2 "Orders whose sales channel is `Non-Amazon` ... are stored but excluded from every metric."
    amazon = {k: o for k, o in orders.items() if o.marketplace != "Non-Amazon"}
    # §4 "`D` is the as-of date (default: the latest order date in the account's data)".
    # CHOICE (literal): every stored order is in "the account's data", Non-Amazon ones included
    # (they are excluded from the metrics, and D is not a metric).
    day = as_of or max(o.order_date for o in orders.values())
    end_of_d = midnight(day + timedelta(days=1))  # §4 "D+1 00:00:00 UTC, exclusive"
    start_of_d = midnight(day)  # §4 "before D" means before D 00:00:00 UTC

    def happened(stamp: datetime | None) -> bool:
        # §4 "Anything time-stamped after the end of D (UTC) has not happened yet as of D".
        return stamp is not None and utc(stamp) < end_of_d

    # §5 "Every marketplace with at least one order is listed."
    account_marketplaces = sorted({o.marketplace for o in amazon.values()})
    listed = [m for m in account_marketplaces if marketplace is None or m == marketplace]

    # Defects by order (§4 ODR numerator "negative feedback, counting claim, counting chargeback").
    defect_kinds: dict[str, set[str]] = defaultdict(set)
    for row in tables.get("feedback", []):
        # §4 "every rating 1–2 row counts"; CHOICE: feedback dated after D has not happened yet.
        if row["rating"] in (1, 2) and row["feedback_date"] <= day:
            defect_kinds[row["order_id"]].add("negative_feedback")
    for row in tables.get("claims", []):
        # §4 "A counting claim: status not in {denied, withdrawn_before_decision, appeal_won}, and
        # not (granted_amazon_funded with reason item_not_received and buy-shipping = Y)"; blank
        # buy-shipping is not Y. CHOICE: a claim filed after the end of D has not happened yet.
        counting = row["status"] not in NOT_COUNTING_CLAIM_STATUSES and not (
            row["status"] == "granted_amazon_funded"
            and row["reason"] == "item_not_received"
            and row["buy_shipping"] is True
        )
        if counting and happened(row["filed_at"]):
            defect_kinds[row["order_id"]].add("a_to_z_claim")
    for row in tables.get("chargebacks", []):
        # §4 "A counting chargeback: reason `service` and status not `represented_won`."
        counting = row["reason"] == "service" and row["status"] != "represented_won"
        if counting and happened(row["filed_at"]):
            defect_kinds[row["order_id"]].add("chargeback")

    # §4 "`unmatched` lists defects ... whose order is unknown: [{"order_id", "kinds"}]".
    unmatched = [
        {"order_id": order_id, "kinds": [k for k in ODR_KINDS if k in kinds]}
        for order_id, kinds in sorted(defect_kinds.items())
        if order_id not in orders
    ]

    # Shipments by order, of known orders only.
    shipments: dict[str, list[Row]] = defaultdict(list)
    for row in tables.get("shipments", []):
        shipments[row["order_id"]].append(row)

    impacting = {
        row["order_id"]
        for row in tables.get("cancellations", [])
        if row["impacts_account_health"] is True
    }

    # §4 "Messages belong to the marketplace of their order; a message without order-id belongs to
    # the account's only marketplace, and is left out (and said so in `coverage`) when there are
    # several." CHOICE: a message naming an unknown order is treated as one without order-id; one
    # of a Non-Amazon order is in no metric.
    messages_by_market: dict[str, list[Row]] = defaultdict(list)
    left_out = 0
    for row in tables.get("messages", []):
        known = orders.get(row["order_id"]) if row["order_id"] is not None else None
        if known is not None:
            if known.marketplace != "Non-Amazon":
                messages_by_market[known.marketplace].append(row)
        elif len(account_marketplaces) == 1:
            messages_by_market[account_marketplaces[0]].append(row)
        elif row["no_response_needed"] is not True and (
            day - timedelta(days=89) <= utc(row["received_at"]).date() <= day
        ):
            # CHOICE: the count said in coverage is of the messages the longest (90-day) window
            # would have counted.
            left_out += 1

    blocks: list[dict[str, Any]] = []
    for market in listed:
        metrics: list[dict[str, Any]] = []
        for metric_id, channels, windows, op, target_text in METRIC_TABLE:
            if any(name not in tables for name in NEEDS[metric_id]):
                continue  # §5: left out of metrics, listed in coverage
            target = Fraction(target_text) if op else None
            for channel in channels:
                for window in windows:
                    start, end = window
                    first, last = day - timedelta(days=start), day - timedelta(days=end)

                    def inside(entered: date, first: date = first, last: date = last) -> bool:
                        return first <= entered <= last  # §4 "All ranges are inclusive."

                    items, defects = _items(
                        metric_id,
                        market,
                        channel,
                        inside,
                        amazon,
                        defect_kinds,
                        shipments,
                        impacting,
                        messages_by_market.get(market, []),
                        happened,
                        start_of_d,
                        end_of_d,
                    )
                    numerator = (
                        len(items) - len(defects) if op == ">=" else len(defects)
                    )  # ">=" metrics count the good items
                    denominator = len(items)
                    value, status = status_of(numerator, denominator, op, target)
                    # Order of lists (not in the contract, but §5 wants the same JSON byte for
                    # byte): defects by order date, order id, tracking id and promised date;
                    # messages by received date, order id, message id.
                    defects.sort(key=_sort_key)
                    ageing = [
                        {
                            **_defect_key(d),
                            # §5 "the first as-of date on which its order is outside the window":
                            # entry date + (days from window start to D) + 1.
                            "date": (d["_entered"] + timedelta(days=start + 1)).isoformat(),
                        }
                        for d in sorted(defects, key=lambda d: (d["_entered"], _sort_key(d)))
                    ]
                    ok_date = expected_ok_date(
                        day,
                        [(e["_entered"], e["_defect"]) for e in items],
                        window,
                        op,
                        target,
                        status,
                    )
                    metrics.append(
                        {
                            "id": metric_id,
                            "channel": channel,
                            "window_days": start - end + 1,
                            "window_start": first.isoformat(),
                            "window_end": last.isoformat(),
                            "numerator": numerator,
                            "denominator": denominator,
                            "value": value,
                            "target": {"op": op, "value": float(target)} if op and target else None,
                            "status": status,
                            "defects": [
                                {k: v for k, v in d.items() if not k.startswith("_")}
                                for d in defects
                            ],
                            "recovery": {
                                "clean_orders_needed": clean_orders_needed(
                                    numerator, denominator, op, target, status
                                ),
                                # §5 "for each defect, the first as-of date on which its order is
                                # outside the window (for ODR, order date + 75 days)".
                                "defects_ageing_out": ageing,
                                "expected_ok_date": ok_date.isoformat() if ok_date else None,
                            },
                        }
                    )
        blocks.append({"marketplace": market, "metrics": metrics})

    # §6 "`coverage` lists every metric that cannot be computed and the file it needs".
    # CHOICE: one entry per (metric, missing file), in §4 order; ODR may need up to three.
    coverage: list[dict[str, Any]] = []
    for metric_id, *_ in METRIC_TABLE:
        missing = [name for name in NEEDS[metric_id] if name not in tables]
        for name in missing:
            coverage.append({"metric": metric_id, "status": "missing_input", "needs": name})
    if left_out and "messages" in tables:
        coverage.append(
            {
                "metric": "late_response_rate",
                "status": "left_out",
                "needs": "messages",
                "messages": left_out,
            }
        )
    return {
        "account": account,
        "as_of": day.isoformat(),
        "marketplaces": blocks,
        "coverage": coverage,
        "unmatched": unmatched,
        "amazon_reported": [],
    }


def _sort_key(defect: Mapping[str, Any]) -> tuple[str, str, str, str]:
    if "message_id" in defect:
        return (defect["received_date"], defect["order_id"] or "", defect["message_id"] or "", "")
    return (
        defect["order_date"],
        defect["order_id"],
        defect.get("tracking_id") or "",
        defect.get("promised_date") or "",
    )


def _defect_key(defect: Mapping[str, Any]) -> dict[str, Any]:
    keys = {"order_id": defect["order_id"]}
    for extra in ("tracking_id", "message_id"):
        if extra in defect:
            keys[extra] = defect[extra]
    return keys


def _items(
    metric_id: str,
    market: str,
    channel: str,
    inside: Any,
    orders: Mapping[str, Order],
    defect_kinds: Mapping[str, set[str]],
    shipments: Mapping[str, list[Row]],
    impacting: set[str],
    messages: list[Row],
    happened: Any,
    start_of_d: datetime,
    end_of_d: datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The denominator items of one metric entry (with entry date) and its defect entries."""
    items: list[dict[str, Any]] = []
    defects: list[dict[str, Any]] = []

    def add(entered: date, defect: dict[str, Any] | None) -> None:
        items.append({"_entered": entered, "_defect": defect is not None})
        if defect is not None:
            defect["_entered"] = entered
            defects.append(defect)

    def order_defect(o: Order, kinds: list[str]) -> dict[str, Any]:
        return {"order_id": o.order_id, "order_date": o.order_date.isoformat(), "kinds": kinds}

    mine = [o for o in orders.values() if o.marketplace == market and o.channel == channel]
    if metric_id in ("order_defect_rate", *COMPONENT_KIND):
        kinds_counted = (
            ODR_KINDS if metric_id == "order_defect_rate" else (COMPONENT_KIND[metric_id],)
        )
        for o in mine:
            # §4 entry "order date"; denominator "non-cancelled orders"; "Defects on cancelled
            # orders do not count".
            if o.cancelled or not inside(o.order_date):
                continue
            # "An order with two defects counts once in ODR and once in each component."
            kinds = [k for k in kinds_counted if k in defect_kinds.get(o.order_id, set())]
            add(o.order_date, order_defect(o, kinds) if kinds else None)
    elif metric_id == "late_shipment_rate":
        for o in mine:
            rows = shipments.get(o.order_id)
            # §4 denominator "non-cancelled orders with a `shipments` row".
            if o.cancelled or not rows:
                continue
            # §4 entry "the order's earliest expected-ship-date".
            entered = min(utc(r["expected_ship_at"]) for r in rows).date()
            if not inside(entered):
                continue
            late = any(
                # "a shipment confirmed after its expected-ship-date"
                (
                    happened(r["ship_confirmed_at"])
                    and r["ship_confirmed_at"] > r["expected_ship_at"]
                )
                # "or still unconfirmed with an expected-ship-date before D 00:00 UTC"
                or (not happened(r["ship_confirmed_at"]) and r["expected_ship_at"] < start_of_d)
                for r in rows
            )
            add(entered, order_defect(o, ["late_shipment"]) if late else None)
    elif metric_id == "pre_fulfillment_cancel_rate":
        for o in mine:
            # §4 entry "order date"; denominator "mfn orders (cancelled ones included)".
            if not inside(o.order_date):
                continue
            # numerator "orders listed in `cancellations` with Impacts Account Health = Yes"
            add(
                o.order_date, order_defect(o, ["cancellation"]) if o.order_id in impacting else None
            )
    elif metric_id in ("valid_tracking_rate", "on_time_delivery_rate"):
        for o in mine:
            # CHOICE: shipments of cancelled orders are left out ("Defects on cancelled orders do
            # not count"), as for late shipment.
            if o.cancelled:
                continue
            for r in shipments.get(o.order_id, []):
                promised = r["promised_delivery_at"]
                # §4 entry "promised-delivery-date".
                if promised is None or not inside(utc(promised).date()):
                    continue
                has_tracking = bool(r["tracking_id"])
                if metric_id == "valid_tracking_rate":
                    # denominator "confirmed shipments"; numerator "with a tracking-id **and** a
                    # first-carrier-scan-at"
                    if not happened(r["ship_confirmed_at"]):
                        continue
                    good = has_tracking and happened(r["first_carrier_scan_at"])
                    kind = "invalid_tracking"
                else:
                    # denominator "shipments with a tracking-id"; numerator "delivered on or
                    # before the promised-delivery-date (UTC date)"
                    if not has_tracking:
                        continue
                    delivered = r["delivered_at"]
                    good = happened(delivered) and utc(delivered).date() <= utc(promised).date()
                    kind = "late_delivery"
                defect = None
                if not good:
                    defect = {
                        **order_defect(o, [kind]),
                        "tracking_id": r["tracking_id"],
                        "promised_date": utc(promised).date().isoformat(),
                    }
                add(utc(promised).date(), defect)
    elif metric_id == "late_response_rate":
        for r in messages:
            # §4 denominator "messages not marked no-response-needed" (blank = False).
            if r["no_response_needed"] is True:
                continue
            received = utc(r["received_at"])
            if not inside(received.date()):  # entry "received-at date"
                continue
            answered = happened(r["first_response_at"])
            late = (
                # "answered more than 24 h after received-at"
                (answered and utc(r["first_response_at"]) - received > timedelta(hours=24))
                # "or unanswered and received more than 24 h before the end of D"
                or (not answered and end_of_d - received > timedelta(hours=24))
            )
            defect = None
            if late:
                known = orders.get(r["order_id"]) if r["order_id"] is not None else None
                defect = {
                    "order_id": r["order_id"],
                    "order_date": known.order_date.isoformat() if known else None,
                    "kinds": ["late_response"],
                    "message_id": r["message_id"],
                    "received_date": received.date().isoformat(),
                }
            add(received.date(), defect)
    return items, defects
