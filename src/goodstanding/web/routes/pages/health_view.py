"""What the dashboard shows, built from the health JSON (metric-conventions §6): tiles and trends.

Pure functions of the JSON and a translator, so they are tested without a web request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from threading import Lock
from typing import Any

from goodstanding.errors import DataError
from goodstanding.web.i18n import Translator
from goodstanding.web.routes.pages.labels import METRIC_NAMES, STATUS_NAMES, label, metric_unit

__all__ = [
    "Tile",
    "TrendCache",
    "metric_key",
    "metric_tiles",
    "trend_dates",
    "trend_points",
]

_STATUS_ORDER = {"breach": 0, "at_risk": 1, "ok": 2, "no_data": 3, "info": 4}


@dataclass(frozen=True)
class Tile:
    """One metric of one marketplace, as a dashboard tile."""

    key: str
    marketplace: str
    metric_id: str
    channel: str
    window_days: int
    name: str
    scope: str
    status: str
    status_name: str
    value: str
    target: str
    counts: str
    days_until_safe: int | None
    expected_ok_date: str | None
    clean_orders_needed: int | None
    defects: int
    target_value: float | None
    percent: bool


def metric_key(metric: Mapping[str, Any]) -> str:
    """The URL key of a metric entry: ``id.channel.window``."""
    return f"{metric['id']}.{metric['channel']}.{metric['window_days']}"


def _target_text(target: Mapping[str, Any] | None, tr: Translator) -> str:
    if not target:
        return tr.gettext("No target")
    rate = float(target["value"])
    value = tr.percent(rate, digits=0 if round(rate * 100, 6).is_integer() else 1)
    if target["op"] == "<":
        return tr.gettext("target under %(value)s", value=value)
    return tr.gettext("target at least %(value)s", value=value)


def metric_tiles(health: Mapping[str, Any], tr: Translator) -> list[Tile]:
    """One tile per metric and marketplace, the worst first (breach, at risk, ok, no data)."""
    as_of = date.fromisoformat(str(health["as_of"]))
    tiles: list[Tile] = []
    for block in health.get("marketplaces", []):
        marketplace = str(block["marketplace"])
        for metric in block.get("metrics", []):
            metric_id = str(metric["id"])
            channel = str(metric["channel"])
            days = int(metric["window_days"])
            recovery = metric.get("recovery") or {}
            ok_date = recovery.get("expected_ok_date")
            until = (date.fromisoformat(ok_date) - as_of).days if ok_date else None
            if channel == "all":
                scope = tr.gettext("%(days)s days", days=days)
            else:
                scope = tr.gettext("%(channel)s, %(days)s days", channel=channel.upper(), days=days)
            value = metric.get("value")
            tiles.append(
                Tile(
                    key=metric_key(metric),
                    marketplace=marketplace,
                    metric_id=metric_id,
                    channel=channel,
                    window_days=days,
                    name=label(METRIC_NAMES, metric_id, tr),
                    scope=scope,
                    status=str(metric["status"]),
                    status_name=label(STATUS_NAMES, str(metric["status"]), tr),
                    value=tr.percent(value) if value is not None else "—",
                    target=_target_text(metric.get("target"), tr),
                    counts=metric_unit(
                        metric_id, int(metric["numerator"]), int(metric["denominator"]), tr
                    ),
                    days_until_safe=until,
                    expected_ok_date=ok_date,
                    clean_orders_needed=recovery.get("clean_orders_needed"),
                    defects=len(metric.get("defects") or []),
                    target_value=float(metric["target"]["value"]) if metric.get("target") else None,
                    percent=True,
                )
            )
    tiles.sort(key=lambda t: (_STATUS_ORDER.get(t.status, 9), t.marketplace))
    return tiles


def find_metric(
    health: Mapping[str, Any], key: str, marketplace: str | None = None
) -> tuple[str, dict[str, Any]] | None:
    """The (marketplace, metric entry) of ``key`` in the health JSON, or ``None``."""
    for block in health.get("marketplaces", []):
        if marketplace and block["marketplace"] != marketplace:
            continue
        for metric in block.get("metrics", []):
            if metric_key(metric) == key:
                return str(block["marketplace"]), metric
    return None


def trend_dates(as_of: date, *, points: int = 8, step_days: int = 7) -> list[date]:
    """The as-of dates of a trend: ``points`` dates ``step_days`` apart, ending on ``as_of``."""
    return [as_of - timedelta(days=step_days * k) for k in range(points - 1, -1, -1)]


def trend_points(
    healths: Iterable[Mapping[str, Any]],
    history: Mapping[str, Any],
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Points per (marketplace, metric key): our recomputes and Amazon's snapshots."""
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for health in healths:
        for block in health.get("marketplaces", []):
            for metric in block.get("metrics", []):
                series.setdefault((str(block["marketplace"]), metric_key(metric)), []).append(
                    {"as_of": health["as_of"], "value": metric.get("value"), "source": "ours"}
                )
    for point in history.get("points", []):
        if point.get("value") is None or point.get("window_days") is None:
            continue
        key = f"{point['id']}.{point['channel']}.{point['window_days']}"
        found = series.get((str(point["marketplace"]), key))
        if found is not None:
            found.append({"as_of": point["as_of"], "value": point["value"], "source": "amazon"})
    return series


class TrendCache:
    """Recomputed health documents by (account, data version, as-of date), bounded in size.

    A trend recomputes the health JSON at several past dates; the result only changes when the
    account's data does (the data version is the ledger's latest import id).
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: dict[tuple[str, int, date], dict[str, Any] | None] = {}
        self._lock = Lock()

    def get(
        self,
        account: str,
        version: int,
        day: date,
        compute: Callable[[], dict[str, Any]],
    ) -> dict[str, Any] | None:
        """The cached document, computing it on a miss; ``None`` when nothing can be computed."""
        key = (account, version, day)
        with self._lock:
            if key in self._items:
                return self._items[key]
        try:
            value: dict[str, Any] | None = compute()
        except DataError:
            value = None
        with self._lock:
            if len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = value
        return value


def sequence_or_empty(value: Sequence[Any] | None) -> Sequence[Any]:
    """``value`` or an empty tuple."""
    return value or ()
