"""Amazon's V2 seller performance report (``GET_V2_SELLER_PERFORMANCE_REPORT``) as a dated snapshot.

Real files differ from the published schema (amazon-account-health.md §3.1–3.2): the schema's
own example writes ``prefulfillmentCancelRate`` for ``preFulfillmentCancellationRate`` and
``ahrStatus`` for ``accountHealthRatingStatus``; real payloads add ``lateShipmentRateList`` (10- and
30-day windows) and ``ahrScore``. So keys are matched case-insensitively under every known
spelling, unknown keys are ignored, and a missing block is simply left out. Rates are fractions
(0.009 = 0.9 %), whatever the schema's description says; a report whose target values exceed 1
writes percents and is scaled.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from goodstanding.errors import ReportFormatError
from goodstanding.types import MARKETPLACE_IDS

_OPS = {"LESS_THAN": "<", "GREATER_THAN": ">=", "GREATER_THAN_OR_EQUAL": ">="}


def _get(block: Any, *names: str) -> Any:
    """The value under any of ``names`` (case-insensitive), or None."""
    if not isinstance(block, dict):
        return None
    for name in names:
        if name in block:
            return block[name]
    lowered = {key.lower(): value for key, value in block.items() if isinstance(key, str)}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, where: str, problem: str, value: Any = None) -> ReportFormatError:
        return ReportFormatError(
            self.path,
            problem,
            column=where,
            value=None if value is None else json.dumps(value)[:80],
            hint="Download the report from Amazon again; if it still fails, the report's "
            "layout has changed: please report it with the file.",
        )

    def number(self, block: Any, where: str, *names: str) -> float | int | None:
        value = _get(block, *names)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip().rstrip("%"))
            except ValueError:
                raise self.error(f"{where}.{names[0]}", "this is not a number", value) from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{where}.{names[0]}", "this is not a number", value)
        if isinstance(value, float) and value.is_integer() and "rate" not in names[0].lower():
            return int(value)
        return value

    def count(self, block: Any, where: str, *names: str) -> int | None:
        value = self.number(block, where, *names)
        if value is None:
            return None
        if isinstance(value, float) or value < 0:
            raise self.error(f"{where}.{names[0]}", "a count must be a whole number ≥ 0", value)
        return value

    def day(self, block: Any, where: str, name: str) -> str | None:
        value = _get(_get(block, "reportingDateRange"), name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(f"{where}.reportingDateRange.{name}", "this is not a date", value)
        text = value.strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise self.error(
                f"{where}.reportingDateRange.{name}", "this is not a date", value
            ) from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
        return moment.date().isoformat()

    def metric(
        self,
        block: Any,
        where: str,
        metric_id: str,
        channel: str,
        numerator: int | None,
        denominator: int | None,
        *,
        rate: bool = True,
    ) -> dict[str, Any]:
        start = self.day(block, where, "reportingDateFrom")
        end = self.day(block, where, "reportingDateTo")
        value = self.number(block, where, "rate") if rate else None
        target_value = self.number(block, where, "targetValue") if rate else None
        condition = _get(block, "targetCondition") if rate else None
        if target_value is not None and target_value > 1:
            # Percent-style report: bring both rate and target back to fractions.
            target_value = target_value / 100
            value = None if value is None else value / 100
        if value is None and numerator is not None and denominator:
            value = numerator / denominator
        target = None
        if target_value is not None and isinstance(condition, str) and condition.upper() in _OPS:
            target = {"op": _OPS[condition.upper()], "value": float(target_value)}
        window_days = None
        if start is not None and end is not None:
            window_days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
        status = _get(block, "status")
        return {
            "id": metric_id,
            "channel": channel,
            "window_days": window_days,
            "window_start": start,
            "window_end": end,
            "numerator": numerator,
            "denominator": denominator,
            "value": None if value is None else float(value),
            "target": target,
            "amazon_status": status if isinstance(status, str) else None,
        }

    def order_defects(self, metrics: Any, where: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        odr = _get(metrics, "orderDefectRate")
        for channel in ("mfn", "afn"):
            block = _get(odr, channel)
            if not isinstance(block, dict):
                continue
            at = f"{where}.orderDefectRate.{channel}"
            orders = self.count(block, at, "orderCount")
            defects = self.count(_get(block, "orderWithDefects"), at, "count")
            out.append(self.metric(block, at, "order_defect_rate", channel, defects, orders))
            for key, metric_id in (
                ("negativeFeedback", "negative_feedback_rate"),
                ("claims", "a_to_z_claim_rate"),
                ("chargebacks", "chargeback_rate"),
            ):
                part = _get(block, key)
                number = self.count(part, f"{at}.{key}", "count")
                if number is None:
                    continue
                component = self.metric(block, at, metric_id, channel, number, orders, rate=False)
                status = _get(part, "status")
                component["amazon_status"] = status if isinstance(status, str) else None
                out.append(component)
        return out

    def late_shipments(self, metrics: Any, where: str) -> list[dict[str, Any]]:
        blocks: list[tuple[str, Any]] = []
        listed = _get(metrics, "lateShipmentRateList")
        if isinstance(listed, list):
            blocks += [(f"{where}.lateShipmentRateList[{i}]", b) for i, b in enumerate(listed)]
        single = _get(metrics, "lateShipmentRate")
        if isinstance(single, dict):
            blocks.append((f"{where}.lateShipmentRate", single))
        out: list[dict[str, Any]] = []
        seen: set[int | None] = set()
        for at, block in blocks:
            if not isinstance(block, dict):
                continue
            late = self.count(block, at, "lateShipmentCount")
            orders = self.count(block, at, "orderCount")
            metric = self.metric(block, at, "late_shipment_rate", "mfn", late, orders)
            # The top-level block repeats the list's 30-day window: keep one per window.
            if metric["window_days"] in seen:
                continue
            seen.add(metric["window_days"])
            out.append(metric)
        return out

    def simple(self, metrics: Any, where: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        specs = (
            (
                ("preFulfillmentCancellationRate", "prefulfillmentCancelRate"),
                "pre_fulfillment_cancel_rate",
                "cancellationCount",
                "orderCount",
            ),
            (("validTrackingRate",), "valid_tracking_rate", "validTrackingCount", "shipmentCount"),
            (
                ("onTimeDeliveryRate",),
                "on_time_delivery_rate",
                "onTimeDeliveryCount",
                "shipmentCountWithValidTracking",
            ),
        )
        for keys, metric_id, numerator_key, denominator_key in specs:
            block = _get(metrics, *keys)
            if not isinstance(block, dict):
                continue
            at = f"{where}.{keys[0]}"
            numerator = self.count(block, at, numerator_key)
            denominator = self.count(block, at, denominator_key)
            out.append(self.metric(block, at, metric_id, "mfn", numerator, denominator))
        return out

    def rating(self, metrics: Any, where: str) -> dict[str, Any] | None:
        block = _get(metrics, "accountHealthRating")
        if not isinstance(block, dict):
            return None
        status = _get(block, "ahrStatus", "accountHealthRatingStatus")
        return {
            "status": status if isinstance(status, str) else None,
            "score": self.number(block, f"{where}.accountHealthRating", "ahrScore"),
        }


def _report_dates(node: Any) -> list[Any]:
    found: list[Any] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.lower() == "reportingdaterange":
                found.append(_get(value, "reportingDateTo"))
            else:
                found += _report_dates(value)
    elif isinstance(node, list):
        for item in node:
            found += _report_dates(item)
    return found


def read_performance(path: Path, text: str) -> dict[str, Any]:
    """Parse a V2 seller performance report into goodstanding's snapshot dict.

    Returns:
        ``{"as_of", "marketplaces": [{"marketplace", "marketplace_id", "account_status",
        "account_health_rating", "metrics": [...]}], "raw"}``; ``as_of`` is the latest
        ``reportingDateTo`` in the report (UTC date). Each metric has ``id``, ``channel``,
        ``window_days``, ``window_start``, ``window_end``, ``numerator``, ``denominator``,
        ``value``, ``target`` (``{"op", "value"}`` or None) and ``amazon_status``.

    Raises:
        ReportFormatError: not JSON, not this report, or a field of the wrong kind.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportFormatError(
            path,
            f"the file is not valid JSON ({error.msg}, character {error.colno})",
            line=error.lineno,
            hint="The download may be cut short: download the report from Amazon again.",
        ) from None
    reader = _Reader(path)
    if not isinstance(raw, dict) or (
        _get(raw, "performanceMetrics") is None and _get(raw, "accountStatuses") is None
    ):
        raise ReportFormatError(
            path,
            "this JSON file is not Amazon's seller performance report: it has no "
            "performanceMetrics or accountStatuses",
            hint="Download GET_V2_SELLER_PERFORMANCE_REPORT, or pass --type for another report.",
        )
    statuses: dict[str, str | None] = {}
    listed_statuses = _get(raw, "accountStatuses") or []
    if not isinstance(listed_statuses, list):
        raise reader.error("accountStatuses", "this should be a list", listed_statuses)
    for index, entry in enumerate(listed_statuses):
        marketplace_id = _get(entry, "marketplaceId")
        if not isinstance(marketplace_id, str):
            raise reader.error(f"accountStatuses[{index}].marketplaceId", "missing", entry)
        status = _get(entry, "status")
        statuses[marketplace_id] = status if isinstance(status, str) else None
    listed = _get(raw, "performanceMetrics") or []
    if not isinstance(listed, list):
        raise reader.error("performanceMetrics", "this should be a list", listed)
    marketplaces: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, block in enumerate(listed):
        where = f"performanceMetrics[{index}]"
        marketplace_id = _get(block, "marketplaceId")
        if not isinstance(marketplace_id, str):
            raise reader.error(f"{where}.marketplaceId", "missing", block)
        seen.add(marketplace_id)
        metrics = (
            reader.order_defects(block, where)
            + reader.late_shipments(block, where)
            + reader.simple(block, where)
        )
        marketplaces.append(
            {
                "marketplace": MARKETPLACE_IDS.get(marketplace_id, marketplace_id),
                "marketplace_id": marketplace_id,
                "account_status": statuses.get(marketplace_id),
                "account_health_rating": reader.rating(block, where),
                "metrics": metrics,
            }
        )
    for marketplace_id, status in statuses.items():
        if marketplace_id not in seen:
            marketplaces.append(
                {
                    "marketplace": MARKETPLACE_IDS.get(marketplace_id, marketplace_id),
                    "marketplace_id": marketplace_id,
                    "account_status": status,
                    "account_health_rating": None,
                    "metrics": [],
                }
            )
    ends = []
    for value in _report_dates(listed):
        # Dates of blocks goodstanding does not read (policy counters...) only date the report;
        # an odd one there is skipped rather than refusing the whole file.
        try:
            day = reader.day({"reportingDateRange": {"to": value}}, "performanceMetrics", "to")
        except ReportFormatError:
            continue
        if day is not None:
            ends.append(day)
    if not ends:
        raise ReportFormatError(
            path,
            "the report holds no reportingDateTo, so it cannot be dated",
            hint="Download GET_V2_SELLER_PERFORMANCE_REPORT from Amazon again.",
        )
    return {"as_of": max(ends), "marketplaces": marketplaces, "raw": raw}
