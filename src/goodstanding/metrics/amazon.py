"""Amazon's own figures (a ``performance_v2`` snapshot) beside ours, and why they may differ.

Amazon's API keeps no history, so a snapshot compares only on its own as-of date: when it is not D
the comparison is empty. The snapshot is the normalised dict ``ingest`` stores::

    {"as_of": "2020-11-19",
     "marketplaces": [{"marketplace": "Amazon.com",
                       "metrics": [{"id", "channel", "window_days"?, "window_start"?, "window_end"?,
                                    "numerator", "denominator", "value", "target",
                                    "amazon_status"}]}]}

Counts are compared exactly when Amazon gives both; otherwise the rates, allowing for Amazon's
rounding (half a unit of the fourth decimal).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from goodstanding.metrics.definitions import METRICS, metric_sort_key
from goodstanding.metrics.results import HealthEvaluation
from goodstanding.types import MARKETPLACE_IDS

ROUNDING: float = 0.00005
"""The largest rate difference treated as Amazon's rounding."""

_NUMERATOR_REASONS: dict[str, tuple[str, str]] = {
    # metric id: (reason when ours is higher, reason when ours is lower)
    "order_defect_rate": (
        "defects Amazon leaves out: claims Amazon funded or covered by Buy Shipping, feedback "
        "removed at Amazon, fraud chargebacks",
        "defects missing from the imported feedback, claims or chargebacks files, or arrived "
        "after they were downloaded (lag)",
    ),
    "negative_feedback_rate": (
        "feedback removed or struck through at Amazon is still in the imported feedback report",
        "feedback received after the feedback report was downloaded (lag)",
    ),
    "a_to_z_claim_rate": (
        "claims Amazon funded or protected by Buy Shipping, which Amazon does not count",
        "claims missing from the claims file, or filed after it was exported (lag)",
    ),
    "chargeback_rate": (
        "chargebacks Amazon does not count (fraud, or represented and won)",
        "chargebacks missing from the chargebacks file (lag)",
    ),
    "late_shipment_rate": (
        "confirmation times in the shipments file are later than Amazon recorded",
        "Amazon recorded later confirmations than the shipments file holds",
    ),
    "pre_fulfillment_cancel_rate": (
        "the cancellations file lists cancellations Amazon no longer counts (lag)",
        "cancellations missing from the cancellations file (download it again)",
    ),
    "valid_tracking_rate": (
        "Amazon received carrier scans the shipments file does not show",
        "Amazon did not accept some tracking ids (carrier not integrated, no scan yet)",
    ),
    "on_time_delivery_rate": (
        "Amazon recorded deliveries the shipments file does not show",
        "Amazon's promised dates or delivery scans differ from the shipments file",
    ),
    "late_response_rate": (
        "messages answered outside Amazon's messaging, or marked no-response-needed at Amazon",
        "messages missing from the messages file",
    ),
}


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _window_days(entry: Mapping[str, Any]) -> int | None:
    given = entry.get("window_days")
    if isinstance(given, int):
        return given
    start, end = _as_date(entry.get("window_start")), _as_date(entry.get("window_end"))
    if start and end:
        return (end - start).days + 1
    lengths = sorted({d.window_days for d in METRICS if d.id == entry.get("id")})
    # Amazon's top-level figure is its longest window (the 30-day late shipment rate, §1.3).
    return lengths[-1] if lengths else None


def _channel(entry: Mapping[str, Any]) -> str | None:
    channel = entry.get("channel")
    if isinstance(channel, str) and channel:
        return channel.lower()
    channels = {c for d in METRICS if d.id == entry.get("id") for c in d.channels}
    return next(iter(channels)) if len(channels) == 1 else None


def _differs(amazon: Mapping[str, Any], ours: Mapping[str, Any]) -> bool:
    numerator, denominator = amazon.get("numerator"), amazon.get("denominator")
    if isinstance(numerator, int) and isinstance(denominator, int):
        return bool((numerator, denominator) != (ours["numerator"], ours["denominator"]))
    value, our_value = amazon.get("value"), ours["value"]
    if not isinstance(value, int | float) or our_value is None:
        return (value is None) != (our_value is None)
    return abs(float(value) - float(our_value)) > ROUNDING


def _reason(
    metric_id: str,
    amazon: Mapping[str, Any],
    ours: Mapping[str, Any],
    our_window: tuple[str, str],
) -> str:
    start, end = _as_date(amazon.get("window_start")), _as_date(amazon.get("window_end"))
    if start and end and (start.isoformat(), end.isoformat()) != our_window:
        return (
            f"window differences: Amazon counts {start.isoformat()} to {end.isoformat()}, "
            f"goodstanding {our_window[0]} to {our_window[1]}"
        )
    denominator = amazon.get("denominator")
    if isinstance(denominator, int) and denominator != ours["denominator"]:
        if ours["denominator"] < denominator:
            return "fewer items than Amazon counts: an imported report misses days of the window"
        return "more items than Amazon counts: Amazon has not counted the latest ones yet (lag)"
    numerator = amazon.get("numerator")
    if isinstance(numerator, int) and numerator != ours["numerator"]:
        higher, lower = _NUMERATOR_REASONS.get(metric_id, ("lag", "lag"))
        return higher if ours["numerator"] > numerator else lower
    return "Amazon rounds the rate it reports"


def compare_with_amazon(
    evaluation: HealthEvaluation,
    document: Mapping[str, Any],
    snapshot: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """The ``amazon_reported`` list: Amazon's figures beside ours when the snapshot's date is D.

    Args:
        evaluation: our evaluation (its as-of date, marketplaces and coverage).
        document: the health JSON built from it.
        snapshot: the normalised ``performance_v2`` snapshot.
    """
    if _as_date(snapshot.get("as_of")) != evaluation.as_of:
        return []
    ours_by_key: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for block in document["marketplaces"]:
        for metric in block["metrics"]:
            key = (block["marketplace"], metric["id"], metric["channel"], metric["window_days"])
            ours_by_key[key] = metric
    missing = {
        str(c["metric"]): str(c["needs"])
        for c in evaluation.coverage
        if c["status"] == "missing_input"
    }
    known_ids = {d.id for d in METRICS}
    filtered = evaluation.marketplaces != evaluation.account_marketplaces
    entries: list[dict[str, Any]] = []
    for block in snapshot.get("marketplaces", []):
        named = str(block.get("marketplace") or block.get("marketplace_id"))
        # A snapshot may name a marketplace by its SP-API id; the health JSON uses sales channels.
        marketplace = MARKETPLACE_IDS.get(named, named)
        if filtered and marketplace not in evaluation.marketplaces:
            continue
        for entry in block.get("metrics", []):
            metric_id = str(entry.get("id"))
            channel = _channel(entry)
            window_days = _window_days(entry)
            amazon = {
                "numerator": entry.get("numerator"),
                "denominator": entry.get("denominator"),
                "value": entry.get("value"),
                "target": entry.get("target"),
                "status": entry.get("amazon_status"),
            }
            ours_metric = ours_by_key.get((marketplace, metric_id, channel or "", window_days or 0))
            ours: dict[str, Any] | None = None
            reason: str | None = None
            if ours_metric is not None:
                ours = {
                    "numerator": ours_metric["numerator"],
                    "denominator": ours_metric["denominator"],
                    "value": ours_metric["value"],
                    "status": ours_metric["status"],
                }
                differs = _differs(amazon, ours)
                if differs:
                    window = (ours_metric["window_start"], ours_metric["window_end"])
                    reason = _reason(metric_id, entry, ours, window)
            elif metric_id in missing:
                differs = True
                reason = f"missing file: import the '{missing[metric_id]}' report to compute it"
            elif metric_id in known_ids and marketplace not in evaluation.marketplaces:
                differs = True
                reason = "no orders of this marketplace in the imported files"
            else:
                differs = False
            entries.append(
                {
                    "marketplace": marketplace,
                    "id": metric_id,
                    "channel": channel,
                    "window_days": window_days,
                    "amazon": amazon,
                    "ours": ours,
                    "differs": differs,
                    "likely_reason": reason,
                }
            )
    entries.sort(
        key=lambda e: (
            e["marketplace"],
            *metric_sort_key(e["id"], e["channel"], e["window_days"]),
            e["id"],
        )
    )
    return entries
