"""Exact status bands, clean orders needed and recovery dates (metric-conventions §5)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from goodstanding.metrics.definitions import Target
from goodstanding.metrics.status import clean_orders_needed, metric_status

LESS_2_5 = Target("<", Fraction(25, 1000))
LESS_1 = Target("<", Fraction(1, 100))
AT_LEAST_95 = Target(">=", Fraction(95, 100))


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 50, "at_risk"),  # exactly 0.8 × 2.5 %: in the band (a float 0.8*0.025 would say ok)
        (1, 51, "ok"),
        (1, 40, "breach"),  # exactly 2.5 %: the "<" target is missed
        (1, 41, "at_risk"),
        (0, 10, "ok"),
        (0, 0, "no_data"),
    ],
)
def test_status_less_than_target_compares_exactly(
    numerator: int, denominator: int, expected: str
) -> None:
    assert metric_status(LESS_2_5, numerator, denominator) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (95, 100, "at_risk"),  # meets 95 % but under 95 % + 0.2 × 5 % = 96 %
        (96, 100, "ok"),  # exactly the band's edge is ok
        (94, 100, "breach"),
        (19, 20, "at_risk"),
        (24, 25, "ok"),
    ],
)
def test_status_at_least_target_compares_exactly(
    numerator: int, denominator: int, expected: str
) -> None:
    assert metric_status(AT_LEAST_95, numerator, denominator) == expected


def test_status_component_without_target_is_info() -> None:
    assert metric_status(None, 3, 100) == "info"
    assert metric_status(None, 0, 0) == "no_data"


@pytest.mark.parametrize(
    ("numerator", "denominator", "target", "expected"),
    [
        # breach: 3/200 = 1.5 %; need 3/(200+n) < 1/100 → n > 100 → 101
        (3, 200, LESS_1, 101),
        # breach exactly at target: 2/200; 2/(200+n) < 1/100 → n > 0 → 1
        (2, 200, LESS_1, 1),
        # at risk: 1/50 vs 2 %; 1/(50+n) < 1/50 → n > 0 → 1
        (1, 50, LESS_2_5, 1),
        # at risk: 9/1000 = 0.9 %; 9/(1000+n) < 0.8 % → n > 125 → 126
        (9, 1000, LESS_1, 126),
        (0, 100, LESS_1, 0),
    ],
)
def test_clean_orders_needed_is_least_exact_n(
    numerator: int, denominator: int, target: Target, expected: int
) -> None:
    status = metric_status(target, numerator, denominator)
    assert clean_orders_needed(target, status, numerator, denominator) == expected


def test_clean_orders_needed_is_null_for_at_least_targets_components_and_no_data() -> None:
    assert clean_orders_needed(AT_LEAST_95, "breach", 90, 100) is None
    assert clean_orders_needed(None, "info", 1, 100) is None
    assert clean_orders_needed(LESS_1, "no_data", 0, 0) is None
