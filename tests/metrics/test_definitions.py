"""The declarative metric definitions: windows, lengths and targets (metric-conventions §4, §5)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

import goodstanding.metrics as metrics
from goodstanding.metrics.definitions import METRICS, metric_sort_key

# Amazon's V2 report example of 2020-11-19 gives these windows (metric-conventions §4).
V2_WINDOWS = {
    ("order_defect_rate", 60): ("2020-09-06", "2020-11-04"),
    ("negative_feedback_rate", 60): ("2020-09-06", "2020-11-04"),
    ("a_to_z_claim_rate", 60): ("2020-09-06", "2020-11-04"),
    ("chargeback_rate", 60): ("2020-09-06", "2020-11-04"),
    ("late_shipment_rate", 10): ("2020-11-10", "2020-11-19"),
    ("late_shipment_rate", 30): ("2020-10-21", "2020-11-19"),
    ("pre_fulfillment_cancel_rate", 7): ("2020-11-12", "2020-11-18"),
    ("valid_tracking_rate", 30): ("2020-10-11", "2020-11-09"),
    ("on_time_delivery_rate", 30): ("2020-10-11", "2020-11-09"),
    ("late_response_rate", 7): ("2020-11-13", "2020-11-19"),
    ("late_response_rate", 30): ("2020-10-21", "2020-11-19"),
    ("late_response_rate", 90): ("2020-08-22", "2020-11-19"),
}


@pytest.mark.parametrize(("key", "window"), sorted(V2_WINDOWS.items()))
def test_window_matches_amazon_example_as_of_2020_11_19(
    key: tuple[str, int], window: tuple[str, str]
) -> None:
    (definition,) = [d for d in METRICS if (d.id, d.window_days) == key]
    start, end = definition.window(date(2020, 11, 19))
    assert (start.isoformat(), end.isoformat()) == window
    assert (end - start).days + 1 == definition.window_days


def test_metrics_cover_every_metric_and_window_of_the_table() -> None:
    assert {(d.id, d.window_days) for d in METRICS} == set(V2_WINDOWS)


def test_metrics_are_in_table_order_mfn_first_short_windows_first() -> None:
    keys = [metric_sort_key(d.id, d.channels[0], d.window_days) for d in METRICS]
    assert keys == sorted(keys)
    assert [d.id for d in METRICS][:2] == ["order_defect_rate", "negative_feedback_rate"]
    assert all(d.channels[0] != "afn" for d in METRICS)


def test_targets_are_exact_fractions() -> None:
    targets = {d.id: d.target for d in METRICS}
    assert targets["order_defect_rate"] is not None
    assert targets["order_defect_rate"].value == Fraction(1, 100)
    assert targets["pre_fulfillment_cancel_rate"] is not None
    assert targets["pre_fulfillment_cancel_rate"].value == Fraction(1, 40)
    assert targets["valid_tracking_rate"] is not None
    assert targets["valid_tracking_rate"].op == ">="
    assert targets["valid_tracking_rate"].value == Fraction(19, 20)
    assert targets["negative_feedback_rate"] is None


def test_leaves_window_on_is_order_date_plus_75_days_for_odr() -> None:
    (odr,) = [d for d in METRICS if d.id == "order_defect_rate"]
    assert odr.leaves_window_on(date(2020, 9, 6)) == date(2020, 11, 20)


def test_public_names_are_sorted() -> None:
    assert metrics.__all__ == sorted(metrics.__all__)
    for name in metrics.__all__:
        assert hasattr(metrics, name)
