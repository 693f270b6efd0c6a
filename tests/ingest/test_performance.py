"""Amazon's V2 seller performance report (JSON) as a dated snapshot."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from goodstanding.errors import ReportFormatError
from goodstanding.ingest import detect_type, read_report

from .samples import Writer

SCHEMA = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "schemas"
    / "accountHealthReport-2020-11-18.json"
)


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    """The example payload inside Amazon's published schema."""
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} not found: the schema example test needs the shared reference")
    document = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return dict(document["examples"][0])


def window(start: str, end: str) -> dict[str, str]:
    return {"reportingDateFrom": f"{start}T07:00:00Z", "reportingDateTo": f"{end}T06:59:59Z"}


# Shaped like real 2026 payloads (amazon-account-health.md §3.2): lateShipmentRateList with both
# windows, ahrScore, fields absent from the schema, and OTDR's 0.97 target.
REAL_SHAPED: dict[str, Any] = {
    "accountStatuses": [
        {"marketplaceId": "A1PA6795UKMFR9", "status": "NORMAL"},
        {"marketplaceId": "A1F83G8C2ARO7P", "status": "NORMAL"},
    ],
    "performanceMetrics": [
        {
            "marketplaceId": "A1PA6795UKMFR9",
            "accountHealthRating": {
                "ahrStatus": "GREAT",
                "ahrScore": 428,
                "reportingDateRange": window("2026-04-08", "2026-10-04"),
            },
            "orderDefectRate": {
                "mfn": {
                    "reportingDateRange": window("2026-07-22", "2026-09-19"),
                    "orderCount": 1250,
                    "orderWithDefects": {"count": 9, "status": "GOOD"},
                    "claims": {"count": 2, "status": "NONE"},
                    "chargebacks": {"count": 1, "status": "NONE"},
                    "negativeFeedback": {"count": 7, "status": "NONE"},
                    "fulfillmentType": "MFN",
                    "status": "GOOD",
                    "rate": 0.0072,
                    "targetValue": 0.01,
                    "targetCondition": "LESS_THAN",
                },
                "afn": {
                    "reportingDateRange": window("2026-07-22", "2026-09-19"),
                    "orderCount": 0,
                    "orderWithDefects": {"count": 0, "status": "NONE"},
                    "fulfillmentType": "AFN",
                    "status": "NONE",
                    "targetValue": 0.01,
                    "targetCondition": "LESS_THAN",
                },
            },
            "lateShipmentRate": {
                "reportingDateRange": window("2026-09-05", "2026-10-04"),
                "orderCount": 1302,
                "lateShipmentCount": 30,
                "status": "GOOD",
                "rate": 0.023,
                "targetValue": 0.04,
                "targetCondition": "LESS_THAN",
            },
            "lateShipmentRateList": [
                {
                    "reportingDateRange": window("2026-09-25", "2026-10-04"),
                    "orderCount": 410,
                    "lateShipmentCount": 21,
                    "status": "BAD",
                    "rate": 0.0512,
                    "targetValue": 0.04,
                    "targetCondition": "LESS_THAN",
                },
                {
                    "reportingDateRange": window("2026-09-05", "2026-10-04"),
                    "orderCount": 1302,
                    "lateShipmentCount": 30,
                    "status": "GOOD",
                    "rate": 0.023,
                    "targetValue": 0.04,
                    "targetCondition": "LESS_THAN",
                },
            ],
            "preFulfillmentCancellationRate": {
                "reportingDateRange": window("2026-09-27", "2026-10-03"),
                "orderCount": 301,
                "cancellationCount": 3,
                "status": "GOOD",
                "rate": 0.00997,
                "targetValue": 0.025,
                "targetCondition": "LESS_THAN",
            },
            "validTrackingRate": {
                "reportingDateRange": window("2026-08-26", "2026-09-24"),
                "shipmentCount": 1190,
                "validTrackingCount": 1170,
                "status": "GOOD",
                "rate": 0.9832,
                "targetValue": 0.95,
                "targetCondition": "GREATER_THAN",
            },
            "onTimeDeliveryRate": {
                "reportingDateRange": window("2026-08-26", "2026-09-24"),
                "shipmentCountWithValidTracking": 1170,
                "onTimeDeliveryCount": 503,
                "status": "GOOD",
                "rate": 0.43,
                "targetValue": 0.97,
                "targetCondition": "GREATER_THAN",
            },
            "policyViolationWarnings": {
                "warningsCount": 0,
                "reportingDateRange": window("2026-04-08", "2026-10-04"),
            },
            "customerProductReviewsPolicyViolations": {
                "reportingDateRange": window("2026-04-08", "2026-10-04"),
                "defectsCount": 0,
                "status": "GOOD",
                "targetValue": 0,
                "targetCondition": "EQUALS",
            },
        }
    ],
}


def write_json(write: Writer, payload: object, name: str = "v2.json") -> Path:
    return write(name, json.dumps(payload, indent=2))


def metric(snapshot: dict[str, Any], metric_id: str, channel: str = "mfn", **match: Any) -> Any:
    (found,) = [
        m
        for m in snapshot["marketplaces"][0]["metrics"]
        if m["id"] == metric_id
        and m["channel"] == channel
        and all(m[k] == v for k, v in match.items())
    ]
    return found


def test_schema_example_becomes_a_dated_snapshot(write: Writer, example: dict[str, Any]) -> None:
    path = write_json(write, example)
    report = read_report(path)
    assert report.report_type == "performance_v2"
    assert list(report.iter_batches()) == []
    assert report.schema is None
    snapshot = report.snapshot
    assert snapshot is not None
    assert snapshot["as_of"] == "2020-11-19"
    assert snapshot["raw"] == example
    names = [(m["marketplace"], m["account_status"]) for m in snapshot["marketplaces"]]
    assert names == [
        ("Amazon.com", "AT_RISK"),
        ("Amazon.ca", "NORMAL"),
        ("Amazon.com.mx", "SUSPENDED"),
    ]
    us = snapshot["marketplaces"][0]
    assert us["account_health_rating"] == {"status": "WARNED", "score": None}
    assert metric(snapshot, "order_defect_rate") == {
        "id": "order_defect_rate",
        "channel": "mfn",
        "window_days": 60,
        "window_start": "2020-09-06",
        "window_end": "2020-11-04",
        "numerator": 1078,
        "denominator": 539000,
        "value": 0.009,
        "target": {"op": "<", "value": 0.01},
        "amazon_status": "GOOD",
    }
    assert metric(snapshot, "order_defect_rate", "afn")["denominator"] == 539000
    claims = metric(snapshot, "a_to_z_claim_rate")
    assert (claims["numerator"], claims["denominator"], claims["target"]) == (442, 539000, None)
    assert claims["value"] == pytest.approx(442 / 539000)
    assert metric(snapshot, "negative_feedback_rate")["numerator"] == 628
    assert metric(snapshot, "chargeback_rate")["numerator"] == 15
    late = metric(snapshot, "late_shipment_rate")
    assert (late["window_days"], late["numerator"], late["denominator"]) == (30, 27896, 870669)
    cancel = metric(snapshot, "pre_fulfillment_cancel_rate")
    assert (cancel["window_start"], cancel["window_end"], cancel["window_days"]) == (
        "2020-11-12",
        "2020-11-18",
        7,
    )
    assert (cancel["numerator"], cancel["denominator"], cancel["value"]) == (551, 17197, 0.005)
    tracking = metric(snapshot, "valid_tracking_rate")
    assert tracking["target"] == {"op": ">=", "value": 0.95}
    assert (tracking["numerator"], tracking["denominator"]) == (896462, 878443)
    on_time = metric(snapshot, "on_time_delivery_rate")
    assert (on_time["numerator"], on_time["denominator"]) == (847987, 808046)
    assert on_time["window_days"] == 30
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_real_shaped_payload_keeps_both_late_shipment_windows(write: Writer) -> None:
    report = read_report(write_json(write, REAL_SHAPED))
    snapshot = report.snapshot
    assert snapshot is not None
    assert snapshot["as_of"] == "2026-10-04"
    de = snapshot["marketplaces"][0]
    assert (de["marketplace"], de["marketplace_id"]) == ("Amazon.de", "A1PA6795UKMFR9")
    assert de["account_health_rating"] == {"status": "GREAT", "score": 428}
    ten = metric(snapshot, "late_shipment_rate", window_days=10)
    thirty = metric(snapshot, "late_shipment_rate", window_days=30)
    assert (ten["numerator"], ten["denominator"], ten["amazon_status"]) == (21, 410, "BAD")
    assert (thirty["window_start"], thirty["window_end"]) == ("2026-09-05", "2026-10-04")
    assert metric(snapshot, "pre_fulfillment_cancel_rate")["target"] == {"op": "<", "value": 0.025}
    # Amazon's status, not the arithmetic, says GOOD here: both are kept as given.
    on_time = metric(snapshot, "on_time_delivery_rate")
    assert (on_time["value"], on_time["target"], on_time["amazon_status"]) == (
        0.43,
        {"op": ">=", "value": 0.97},
        "GOOD",
    )
    afn = metric(snapshot, "order_defect_rate", "afn")
    assert (afn["numerator"], afn["denominator"], afn["value"]) == (0, 0, None)
    assert [m["id"] for m in de["metrics"] if m["channel"] == "afn"] == ["order_defect_rate"]
    uk = snapshot["marketplaces"][1]
    assert (uk["marketplace"], uk["account_status"], uk["metrics"]) == (
        "Amazon.co.uk",
        "NORMAL",
        [],
    )


def test_schema_example_key_spellings_and_unknown_marketplaces_are_read(write: Writer) -> None:
    payload = copy.deepcopy(REAL_SHAPED)
    block = payload["performanceMetrics"][0]
    block["marketplaceId"] = "AXXXXXXXXXXXXX"
    block["prefulfillmentCancelRate"] = block.pop("preFulfillmentCancellationRate")
    block["lateShipmentRate"]["targetValue"] = 4  # a percent-style report
    block["lateShipmentRate"]["rate"] = 2.3
    del block["lateShipmentRateList"]
    snapshot = read_report(write_json(write, payload)).snapshot
    assert snapshot is not None
    assert snapshot["marketplaces"][0]["marketplace"] == "AXXXXXXXXXXXXX"
    assert metric(snapshot, "pre_fulfillment_cancel_rate")["numerator"] == 3
    late = metric(snapshot, "late_shipment_rate")
    assert late["value"] == pytest.approx(0.023)
    assert late["target"] == {"op": "<", "value": 0.04}


def test_json_in_utf16_with_bom_reads(write: Writer) -> None:
    path = write("v2.json", "\ufeff" + json.dumps(REAL_SHAPED), encoding="utf-16-le")
    assert detect_type(path) == "performance_v2"
    assert read_report(path).snapshot is not None


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ('{"performanceMetrics": [\n  {"marketplaceId": "X",\n', "not valid JSON"),
        ('{"reportType": "GET_FLAT_FILE_ORDERS"}', "not Amazon's seller performance report"),
        ("[1, 2, 3]", "not Amazon's seller performance report"),
        ('{"performanceMetrics": {"marketplaceId": "X"}}', "should be a list"),
        ('{"performanceMetrics": [{"rate": 1}]}', "missing"),
        ('{"performanceMetrics": [{"marketplaceId": "X"}]}', "no reportingDateTo"),
    ],
)
def test_malformed_json_is_a_report_format_error(write: Writer, payload: str, problem: str) -> None:
    path = write("v2.json", payload)
    with pytest.raises(ReportFormatError, match=problem) as caught:
        read_report(path, report_type="performance_v2")
    assert "v2.json" in str(caught.value)


def test_invalid_json_names_its_line(write: Writer) -> None:
    path = write("v2.json", '{"performanceMetrics": [\n  {"marketplaceId": "X",\n')
    with pytest.raises(ReportFormatError) as caught:
        read_report(path)
    assert caught.value.line == 3


@pytest.mark.parametrize("count", [-3, 1.5, "many", True])
def test_bad_counts_name_their_json_path(write: Writer, count: object) -> None:
    payload = copy.deepcopy(REAL_SHAPED)
    payload["performanceMetrics"][0]["orderDefectRate"]["mfn"]["orderCount"] = count
    with pytest.raises(ReportFormatError) as caught:
        read_report(write_json(write, payload))
    assert caught.value.column == "performanceMetrics[0].orderDefectRate.mfn.orderCount"


def test_type_and_content_must_agree(write: Writer) -> None:
    path = write_json(write, REAL_SHAPED)
    with pytest.raises(ReportFormatError, match="JSON document"):
        read_report(path, report_type="orders")
    text = write("claims.csv", "order-id,claim-id,filed-at,reason,status\n")
    with pytest.raises(ReportFormatError, match="performance_v2"):
        read_report(text, report_type="performance_v2")
