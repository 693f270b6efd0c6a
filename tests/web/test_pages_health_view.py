"""Dashboard tiles and trends built from a hand-written health JSON (metric-conventions §6)."""

from __future__ import annotations

from datetime import date

from goodstanding.errors import DataError
from goodstanding.web.i18n import translator
from goodstanding.web.routes.pages.health_view import (
    TrendCache,
    find_metric,
    metric_tiles,
    trend_dates,
    trend_points,
)


def _metric(metric_id: str, channel: str, days: int, num: int, den: int, **extra: object) -> dict:
    entry = {
        "id": metric_id,
        "channel": channel,
        "window_days": days,
        "numerator": num,
        "denominator": den,
        "value": num / den if den else None,
        "target": None,
        "status": "info",
        "defects": [],
        "recovery": {
            "clean_orders_needed": None,
            "defects_ageing_out": [],
            "expected_ok_date": None,
        },
    }
    entry.update(extra)
    return entry


HEALTH = {
    "account": "acme",
    "as_of": "2020-11-19",
    "marketplaces": [
        {
            "marketplace": "Amazon.com",
            "metrics": [
                _metric(
                    "order_defect_rate",
                    "mfn",
                    60,
                    3,
                    412,
                    target={"op": "<", "value": 0.01},
                    status="ok",
                ),
                _metric(
                    "late_shipment_rate",
                    "mfn",
                    10,
                    5,
                    100,
                    target={"op": "<", "value": 0.04},
                    status="breach",
                    defects=[{"order_id": "1"}] * 5,
                    recovery={
                        # 5 / (100 + n) < 0.04 first holds for n = 26.
                        "clean_orders_needed": 26,
                        "defects_ageing_out": [],
                        "expected_ok_date": "2020-11-25",
                    },
                ),
                _metric(
                    "valid_tracking_rate",
                    "mfn",
                    30,
                    0,
                    0,
                    target={"op": ">=", "value": 0.95},
                    status="no_data",
                ),
                _metric(
                    "late_response_rate",
                    "all",
                    7,
                    1,
                    12,
                    target={"op": "<", "value": 0.1},
                    status="ok",
                ),
            ],
        }
    ],
    "coverage": [],
}


def test_tiles_come_worst_first_with_counts_targets_and_the_safe_date() -> None:
    tiles = metric_tiles(HEALTH, translator("en"))
    assert [t.status for t in tiles] == ["breach", "ok", "ok", "no_data"]
    lsr = tiles[0]
    assert lsr.key == "late_shipment_rate.mfn.10"
    assert lsr.name == "Late shipment rate"
    assert lsr.scope == "MFN, 10 days"
    assert lsr.value == "5.00%"
    assert lsr.target == "target under 4%"
    assert lsr.counts == "5 of 100 orders"
    assert lsr.days_until_safe == 6
    assert lsr.clean_orders_needed == 26
    assert lsr.defects == 5
    tracking = tiles[-1]
    assert tracking.value == "—"
    assert tracking.target == "target at least 95%"
    assert tracking.counts == "0 of 0 shipments"
    response = next(t for t in tiles if t.metric_id == "late_response_rate")
    assert response.scope == "7 days"
    assert response.counts == "1 of 12 messages"


def test_tiles_speak_the_language_asked() -> None:
    tiles = metric_tiles(HEALTH, translator("de"))
    assert tiles[0].name == "Quote verspäteter Lieferungen"
    assert tiles[0].value.replace("\xa0", " ") == "5,00 %"
    assert tiles[0].counts == "5 von 100 Bestellungen"


def test_find_metric_by_key_and_marketplace() -> None:
    found = find_metric(HEALTH, "order_defect_rate.mfn.60")
    assert found is not None and found[0] == "Amazon.com" and found[1]["numerator"] == 3
    assert find_metric(HEALTH, "order_defect_rate.mfn.60", "Amazon.de") is None
    assert find_metric(HEALTH, "order_defect_rate.afn.60") is None


def test_trend_dates_step_back_from_the_as_of_date() -> None:
    assert trend_dates(date(2020, 11, 19), points=3) == [
        date(2020, 11, 5),
        date(2020, 11, 12),
        date(2020, 11, 19),
    ]


def test_trend_points_put_amazons_snapshot_beside_our_recompute() -> None:
    earlier = {**HEALTH, "as_of": "2020-11-12"}
    history = {
        "points": [
            {
                "as_of": "2020-11-19",
                "marketplace": "Amazon.com",
                "id": "late_shipment_rate",
                "channel": "mfn",
                "window_days": 10,
                "value": 0.051,
            },
            {
                "as_of": "2020-11-19",
                "marketplace": "Amazon.com",
                "id": "late_shipment_rate",
                "channel": "mfn",
                "window_days": 30,
                "value": 0.02,
            },
            {
                "as_of": "2020-11-19",
                "marketplace": "Amazon.com",
                "id": "order_defect_rate",
                "channel": "mfn",
                "window_days": None,
                "value": 0.007,
            },
        ]
    }
    series = trend_points([earlier, HEALTH], history)
    lsr = series[("Amazon.com", "late_shipment_rate.mfn.10")]
    assert lsr == [
        {"as_of": "2020-11-12", "value": 0.05, "source": "ours"},
        {"as_of": "2020-11-19", "value": 0.05, "source": "ours"},
        {"as_of": "2020-11-19", "value": 0.051, "source": "amazon"},
    ]
    assert ("Amazon.com", "late_shipment_rate.mfn.30") not in series
    assert [p["source"] for p in series[("Amazon.com", "order_defect_rate.mfn.60")]] == [
        "ours",
        "ours",
    ]


def test_trend_cache_computes_once_per_key_and_forgets_the_oldest() -> None:
    cache = TrendCache(size=2)
    calls: list[int] = []

    def compute(value: int):
        def run() -> dict:
            calls.append(value)
            return {"v": value}

        return run

    day = date(2020, 1, 1)
    assert cache.get("a", 1, day, compute(1)) == {"v": 1}
    assert cache.get("a", 1, day, compute(99)) == {"v": 1}
    assert cache.get("a", 2, day, compute(2)) == {"v": 2}  # a new data version
    assert cache.get("b", 1, day, compute(3)) == {"v": 3}  # evicts ("a", 1)
    assert cache.get("a", 1, day, compute(4)) == {"v": 4}
    assert calls == [1, 2, 3, 4]

    def fails() -> dict:
        raise DataError("no orders")

    assert cache.get("c", 1, day, fails) is None
