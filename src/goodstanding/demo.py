"""Deterministic synthetic seller accounts, written as the real report files goodstanding imports.

:func:`write_demo` writes one seller's account the way its owner would download it: Amazon's
all-orders flat file (plus a later export re-listing orders whose status changed), the seller
feedback reports (one per marketplace, each in its store's date format), both returns reports, the
cancellation-rate download, the V2 seller performance report, and goodstanding's own CSV templates
(shipments, A-to-z claims, chargebacks, buyer messages) filled in. The files follow the formats in
``goodstanding.ingest`` (metric-conventions.md §1–3) and agree with each other: every claim,
feedback, return, shipment and message names a real order of the orders file.

Defects are planted at fixed rates inside the metric windows of metric-conventions.md §4, so the
account shows a few metrics in breach (ODR of the first marketplace's merchant-fulfilled orders,
its late shipment rate), one or two at risk (valid tracking and response time of the second
marketplace) and the rest fine, whatever the seed.

:func:`write_orders` writes only an all-orders file of any size, chunk by chunk, for benchmarks.
The same seed and as-of date always give byte-identical files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from goodstanding.errors import InputError
from goodstanding.ingest import ORDER_HEADERS, TEMPLATES

__all__ = ["DemoFiles", "write_demo", "write_orders"]

Array = npt.NDArray[Any]
Frame = dict[str, Array]

DAY: Final = 86_400
HOUR: Final = 3_600
HISTORY_DAYS: Final = 120
"""Days of orders written: the as-of date and the 119 days before it."""

_CHUNK: Final = 1 << 16
"""Orders generated at a time by :func:`write_orders` (fixed, so files do not depend on size)."""

_SLICE: Final = 1 << 17
"""Rows joined into text at a time when a file is written."""

_EPOCH: Final = date(1970, 1, 1)
_MAIN_EXPORT: Final = 12 * HOUR
"""The all-orders file is exported at noon UTC of the as-of date..."""
_LATE_EXPORT: Final = 23 * HOUR
"""...and the update (orders changed since) late that evening."""

_NON_AMAZON: Final = "Non-Amazon"


@dataclass(frozen=True)
class DemoFiles:
    """What :func:`write_demo` wrote.

    Attributes:
        directory: the folder holding the files.
        files: every file by key: the report type (``orders``, ``feedback``, ``shipments``...),
            or the type with a suffix for a second file of one type (``orders_update``,
            ``feedback_de``).
        as_of: the date of the export (the as-of date D of the metrics).
        orders: order lines written (over the orders file and its update).
        types: the report type of each key of ``files``.
    """

    directory: Path
    files: dict[str, Path]
    as_of: date
    orders: int
    types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Market:
    name: str
    marketplace_id: str
    currency: str
    price_factor: float
    sales_tax: float  # US-style tax on top of the price; 0 when VAT is included
    vat: float  # VAT included in the price
    prefixes: tuple[int, ...]
    country: str
    offset: str  # the UTC offset its update exports are written in
    places: tuple[tuple[str, str, str], ...]
    carriers: tuple[str, ...]
    feedback_dates: str  # strftime format of its feedback report
    language: str
    domain: str


_US_PLACES = (
    ("SEATTLE", "WA", "98109-5210"),
    ("AUSTIN", "TX", "78701-2334"),
    ("BROOKLYN", "NY", "11215-4403"),
    ("COLUMBUS", "OH", "43215-1127"),
    ("SAN DIEGO", "CA", "92101-6542"),
    ("DENVER", "CO", "80202-3119"),
    ("ATLANTA", "GA", "30303-1845"),
    ("PORTLAND", "OR", "97205-2011"),
    ("NAPERVILLE", "IL", "60540-5103"),
    ("TAMPA", "FL", "33602-4520"),
    ("CHARLOTTE", "NC", "28202-1701"),
    ("MADISON", "WI", "53703-2247"),
)
_DE_PLACES = (
    ("Berlin", "Berlin", "10115"),
    ("Hamburg", "Hamburg", "20095"),
    ("München", "Bayern", "80331"),
    ("Köln", "Nordrhein-Westfalen", "50667"),
    ("Frankfurt am Main", "Hessen", "60311"),
    ("Stuttgart", "Baden-Württemberg", "70173"),
    ("Leipzig", "Sachsen", "04109"),
    ("Dresden", "Sachsen", "01067"),
    ("Nürnberg", "Bayern", "90402"),
    ("Bremen", "Bremen", "28195"),
)
_MARKETS: Final = {
    m.name: m
    for m in (
        _Market(
            "Amazon.com",
            "ATVPDKIKX0DER",
            "USD",
            1.0,
            0.0725,
            0.0,
            (111, 112, 113, 114),
            "US",
            "-08:00",
            _US_PLACES,
            ("UPS", "USPS", "FedEx", "Amazon Shipping"),
            "%m/%d/%y",
            "en",
            "marketplace.amazon.com",
        ),
        _Market(
            "Amazon.ca",
            "A2EUQ1WTGCTBG2",
            "CAD",
            1.35,
            0.13,
            0.0,
            (701, 702),
            "CA",
            "-05:00",
            (
                ("TORONTO", "ON", "M5V 2T6"),
                ("VANCOUVER", "BC", "V6B 1A1"),
                ("CALGARY", "AB", "T2P 1J9"),
                ("OTTAWA", "ON", "K1P 5J9"),
                ("MONTREAL", "QC", "H2Y 1C6"),
            ),
            ("Canada Post", "Purolator", "UPS"),
            "%m/%d/%y",
            "en",
            "marketplace.amazon.ca",
        ),
        _Market(
            "Amazon.co.uk",
            "A1F83G8C2ARO7P",
            "GBP",
            0.82,
            0.0,
            0.2,
            (202, 203, 204, 205, 206),
            "GB",
            "+00:00",
            (
                ("London", "Greater London", "SW1A 1AA"),
                ("Manchester", "Greater Manchester", "M1 1AE"),
                ("Leeds", "West Yorkshire", "LS1 4DY"),
                ("Bristol", "Bristol", "BS1 4DJ"),
                ("Glasgow", "Glasgow City", "G1 1XQ"),
            ),
            ("Royal Mail", "DPD", "Evri", "Parcelforce"),
            "%d/%m/%Y",
            "en",
            "marketplace.amazon.co.uk",
        ),
        _Market(
            "Amazon.de",
            "A1PA6795UKMFR9",
            "EUR",
            0.95,
            0.0,
            0.19,
            (302, 303, 304, 305, 306),
            "DE",
            "+01:00",
            _DE_PLACES,
            ("DHL", "Hermes", "DPD", "GLS", "Deutsche Post"),
            "%d.%m.%Y",
            "de",
            "marketplace.amazon.de",
        ),
        _Market(
            "Amazon.fr",
            "A13V1IB3VIYZZH",
            "EUR",
            0.95,
            0.0,
            0.2,
            (402, 403, 404, 405, 406, 407),
            "FR",
            "+01:00",
            (
                ("Paris", "Île-de-France", "75002"),
                ("Lyon", "Rhône", "69002"),
                ("Marseille", "Bouches-du-Rhône", "13001"),
                ("Toulouse", "Haute-Garonne", "31000"),
                ("Nantes", "Loire-Atlantique", "44000"),
            ),
            ("Colissimo", "Chronopost", "DPD", "Mondial Relay"),
            "%d/%m/%Y",
            "fr",
            "marketplace.amazon.fr",
        ),
    )
}

# (sku, asin, product name, list price in US cents)
_PRODUCTS: Final = (
    ("KT-GP-01", "B07QXKZ4HM", "Stainless Steel Garlic Press with Peeler, Dishwasher Safe", 1699),
    ("KT-SK-10", "B08L5M9R2T", 'Cast Iron Skillet 10.25" Pre-Seasoned', 2495),
    ("KT-KN-SET6", "B09F3WJ8YQ", "Kitchen Knife Set 6 Pieces with Magnetic Block", 5999),
    ("KT-BRD-XL", "B07ZP2M6DN", "Bamboo Cutting Board XL with Juice Groove", 2899),
    ("KT-THERM-2", "B0B4T7H1LC", "Digital Meat Thermometer, Instant Read, Backlit", 1999),
    ("KT-SPAT-4", "B08N4V2X7K", "Silicone Spatula Set of 4, Heat Resistant", 1299),
    ("HM-LED-STR5", "B09XQ6R3PZ", "LED Strip Lights 16.4 ft, App Controlled", 2199),
    ("HM-DIFF-300", "B0BR9K2W5M", "Essential Oil Diffuser 300 ml with 7 Colours", 2699),
    ("HM-TOW-6G", "B07YH2DN8S", "Cotton Bath Towels, Set of 6, Grey", 3499),
    ("HM-CLK-W12", "B08CJ7Z3QF", 'Silent Wall Clock 12" Non-Ticking', 1899),
    ("OUT-BTL-32", "B09M8T4K6R", "Insulated Water Bottle 32 oz, Leak Proof Lid", 2299),
    ("OUT-LMP-USB", "B0C7N5Y2HX", "Rechargeable Camping Lantern, 4 Light Modes", 2599),
    ("OUT-TARP-10", "B07TQ3V9JF", "Waterproof Tarp 10x12 ft with Grommets", 2799),
    ("OUT-GLV-L", "B0BX4R8M1D", "Gardening Gloves, Thorn Proof, Size L", 1499),
    ("PET-BWL-2", "B08T6F9K3N", "Stainless Steel Dog Bowls, Set of 2, Non-Slip", 1599),
    ("PET-BRSH-1", "B09J2H7P4C", "Self-Cleaning Slicker Brush for Dogs and Cats", 1399),
    ("PET-BED-M", "B0CK3W8T6V", "Orthopedic Dog Bed, Medium, Washable Cover", 4999),
    ("OFF-ORG-3", "B07X9M2Q5L", "Desk Organizer with 3 Drawers, Mesh", 2399),
    ("OFF-LMP-LED", "B0B1V6Z8RK", "LED Desk Lamp with USB Charging Port, Dimmable", 3299),
    ("OFF-STD-LAP", "B08R5J3N7W", "Adjustable Laptop Stand, Aluminium", 2999),
    ("EL-CBL-USB-C3", "B09Q4T7X2M", "USB-C Cable 6 ft, 3 Pack, Braided", 1199),
    ("EL-CHG-65W", "B0BN8V3H5Q", "65W USB-C Charger, 3 Ports, GaN", 3599),
    ("EL-HUB-7", "B0CF2K9R4T", "7-in-1 USB-C Hub with HDMI 4K", 3999),
    ("EL-MNT-PH", "B08Y7W1M3J", "Car Phone Mount, Air Vent, One-Hand Operation", 1699),
)
_POPULARITY: Final = np.array([1 / (i + 2) for i in range(len(_PRODUCTS))]) / sum(
    1 / (i + 2) for i in range(len(_PRODUCTS))
)

_STATUSES: Final = ("Shipped", "Cancelled", "Unshipped", "Pending")
_SHIPPED, _CANCELLED, _UNSHIPPED, _PENDING = range(4)

# Planted rates inside the metric windows (metric-conventions.md §4), by marketplace position.
_ODR_BREACH: Final = 0.016  # first marketplace, mfn: in breach (target < 1 %)
_ODR_BASE: Final = 0.004
_LATE_BREACH: Final = 0.065  # first marketplace: late shipment rate in breach (target < 4 %)
_LATE_BASE: Final = 0.015
_INVALID_AT_RISK: Final = 0.045  # second marketplace: valid tracking 95.5 %, at risk
_INVALID_BASE: Final = 0.015
_LATE_DELIVERY: Final = 0.04
_SLOW_REPLY_AT_RISK: Final = 0.085  # second marketplace: late responses 8.5 %, at risk
_SLOW_REPLY_BASE: Final = 0.03
_SELLER_CANCEL: Final = 0.012


def _utc_today() -> date:
    return datetime.now(UTC).date()


def _check_seed(seed: int) -> None:
    if seed < 0:
        raise InputError(f"The seed must be 0 or more, not {seed}.", hint="Pass --seed 7.")


def _markets(marketplaces: Sequence[str]) -> list[_Market]:
    if isinstance(marketplaces, str):
        marketplaces = (marketplaces,)
    chosen: list[_Market] = []
    for name in marketplaces:
        market = _MARKETS.get(name)
        if market is None:
            raise InputError(
                f"The demo cannot write orders for the marketplace {name!r}.",
                hint=f"Choose among: {', '.join(_MARKETS)}.",
            )
        if market in chosen:
            raise InputError(f"The marketplace {name!r} is named twice.", hint="Name it once.")
        chosen.append(market)
    if not chosen:
        raise InputError("The demo needs at least one marketplace.", hint="Name one.")
    return chosen


def _seconds(day: date) -> int:
    return (day - _EPOCH).days * DAY


# Formatting: whole columns at a time with Arrow, through lookup tables for dates and times.


def _text(values: Array) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _digits(values: Array, width: int) -> pa.Array:
    return pc.utf8_lpad(_text(values), width=width, padding="0")


def _pick(choices: Sequence[str], index: Array) -> pa.Array:
    return pa.array(list(choices), pa.string()).take(pa.array(index))


def _blank_where(values: pa.Array, mask: Array) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar("", pa.string()), values)


_CLOCK: list[pa.Array] = []


def _clock() -> pa.Array:
    if not _CLOCK:
        _CLOCK.append(
            pa.array(
                [
                    f"{h:02d}:{m:02d}:{s:02d}"
                    for h in range(24)
                    for m in range(60)
                    for s in range(60)
                ]
            )
        )
    return _CLOCK[0]


def _days(seconds: Array, fmt: str) -> pa.Array:
    """The calendar days of UTC instants (epoch seconds), written with ``fmt``."""
    days = np.asarray(seconds, dtype=np.int64) // DAY
    if len(days) == 0:
        return pa.array([], pa.string())
    first = int(days.min())
    table = [(_EPOCH + timedelta(days=d)).strftime(fmt) for d in range(first, int(days.max()) + 1)]
    return pa.array(table).take(pa.array(days - first))


def _iso(seconds: Array, offset: pa.Array | str = "+00:00") -> pa.Array:
    """ISO-8601 date-times of UTC instants, in the local time of ``offset`` (``-08:00``...)."""
    values = np.asarray(seconds, dtype=np.int64)
    if isinstance(offset, str):
        local = values + _offset_seconds(offset)
        suffix: pa.Array | pa.Scalar = pa.scalar(offset)
    else:
        local = values + np.array([_offset_seconds(o) for o in offset.to_pylist()], np.int64)
        suffix = offset
    day = _days(local, "%Y-%m-%dT")
    clock = _clock().take(pa.array(local % DAY))
    return pc.binary_join_element_wise(day, clock, suffix, "")


def _offset_seconds(offset: str) -> int:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return sign * (int(hours) * HOUR + int(minutes) * 60)


def _money(minor: Array) -> pa.Array:
    """Amounts in minor units (cents) as ``12.34`` / ``-1.50``."""
    values = np.asarray(minor, dtype=np.int64)
    whole = _text(np.abs(values) // 100)
    cents = _pick([f"{c:02d}" for c in range(100)], np.abs(values) % 100)
    text = pc.binary_join_element_wise(whole, cents, ".")
    return pc.if_else(pa.array(values < 0), pc.binary_join_element_wise("-", text, ""), text)


def _write(
    path: Path,
    header: Sequence[str],
    columns: Sequence[pa.Array | Sequence[str]],
    *,
    delimiter: str = "\t",
    bom: bool = False,
    append: bool = False,
) -> None:
    """Write rows (or, with ``append``, more rows) of a delimited text file."""
    arrays = [c if isinstance(c, pa.Array) else pa.array(list(c), pa.string()) for c in columns]
    mode = "ab" if append else "wb"
    with path.open(mode) as handle:
        if not append:
            handle.write((("\ufeff" if bom else "") + delimiter.join(header) + "\n").encode())
        if not arrays or len(arrays[0]) == 0:
            return
        # In slices, so a joined slice stays far below Arrow's 2 GB limit of one string array.
        for first in range(0, len(arrays[0]), _SLICE):
            filled = [pc.fill_null(a.slice(first, _SLICE), "") for a in arrays]
            filled[-1] = pc.binary_join_element_wise(filled[-1], "\n", "")
            joined = pc.binary_join_element_wise(*filled, delimiter)
            offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32)
            start = int(offsets[joined.offset])
            end = int(offsets[joined.offset + len(joined)])
            handle.write(memoryview(joined.buffers()[2])[start:end])


# The orders: one frame of order-level arrays per chunk, then its lines.


def _order_chunk(
    rng: np.random.Generator,
    seq0: int,
    line0: int,
    rows: int,
    start: int,
    span: int,
    n_markets: int,
) -> tuple[Frame, Frame]:
    n = _CHUNK
    lines = rng.choice(np.array([1, 2, 3], np.int64), n, p=[0.86, 0.11, 0.03])
    first = line0 + np.cumsum(lines) - lines
    keep = first < rows
    n = int(keep.sum())
    draws = rng.random((n, 4))
    lines, first = lines[:n], first[:n]
    lines[-1] = min(int(lines[-1]), rows - int(first[-1]))
    weights = [0.64] + [0.36 / (n_markets - 1)] * (n_markets - 1) if n_markets > 1 else [1.0]
    market = rng.choice(n_markets + 1, n, p=[*(w * 0.97 for w in weights), 0.03])
    non_amazon = market == n_markets
    orders: Frame = {
        "seq": seq0 + np.arange(n, dtype=np.int64),
        "market": market.astype(np.int64),
        "afn": (draws[:, 0] < 0.55) | non_amazon,
        "purchase": start + ((first + draws[:, 1]) / rows * span).astype(np.int64),
        "lines": lines,
        "cancelled": (draws[:, 2] < 0.02) & ~non_amazon,
        "seller_cancel": draws[:, 3] < 0.5,
        "handling": rng.choice(np.array([1, 2], np.int64), n, p=[0.7, 0.3]),
        "late": rng.random(n) < _LATE_BASE,
        "early": rng.integers(2 * HOUR, 30 * HOUR, n),
        "delay": rng.integers(2 * HOUR, 60 * HOUR, n),
        "afn_delay": rng.integers(3 * HOUR, 40 * HOUR, n),
        "cancel_delay": rng.integers(10 * 60, 20 * HOUR, n),
        "update_delay": rng.integers(5 * 60, 8 * HOUR, n),
        "expedited": rng.random(n) < 0.15,
        "place": rng.integers(0, 1 << 20, n),
        "business": rng.random(n) < 0.06,
        "free_shipping": rng.random(n) < 0.8,
    }
    count = int(lines.sum())
    line_frame: Frame = {
        "order": np.repeat(np.arange(n, dtype=np.int64), lines),
        "product": rng.choice(len(_PRODUCTS), count, p=_POPULARITY),
        "quantity": rng.choice(np.array([1, 2, 3], np.int64), count, p=[0.9, 0.08, 0.02]),
        "promotion": rng.random(count) < 0.05,
    }
    return orders, line_frame


def _chunks(rows: int, seed: int, as_of: date, n_markets: int) -> Iterator[tuple[Frame, Frame]]:
    start = _seconds(as_of - timedelta(days=HISTORY_DAYS - 1))
    span = _seconds(as_of) + _LATE_EXPORT - 60 - start
    seq0 = line0 = index = 0
    while line0 < rows:
        rng = np.random.default_rng([seed, index])
        orders, lines = _order_chunk(rng, seq0, line0, rows, start, span, n_markets)
        yield orders, lines
        seq0 += len(orders["seq"])
        line0 += int(orders["lines"].sum())
        index += 1


def _concat(frames: Sequence[Frame]) -> Frame:
    return {key: np.concatenate([f[key] for f in frames]) for key in frames[0]}


def _take(frame: Frame, index: Array) -> Frame:
    return {key: values[index] for key, values in frame.items()}


def _expected_ship(orders: Frame) -> Array:
    """The latest ship date: the end of the UTC day ``handling`` days after purchase."""
    result: Array = (orders["purchase"] // DAY + orders["handling"]) * DAY + DAY - 1
    return result


def _confirm(orders: Frame) -> Array:
    """When the seller confirms shipment of each MFN order (maybe after the export)."""
    expected = _expected_ship(orders)
    on_time = np.maximum(expected - orders["early"], orders["purchase"] + 1800)
    result: Array = np.where(orders["late"], expected + orders["delay"], on_time)
    return result


def _state(orders: Frame, export: int) -> tuple[Array, Array]:
    """Each order's status and last-updated instant as an export at ``export`` shows them."""
    purchase = orders["purchase"]
    shipped_at = np.where(orders["afn"], purchase + orders["afn_delay"], _confirm(orders))
    cancelled = orders["cancelled"]
    shipped = shipped_at <= export
    status = np.where(
        cancelled,
        _CANCELLED,
        np.where(shipped, _SHIPPED, np.where(orders["afn"], _PENDING, _UNSHIPPED)),
    )
    event = np.where(
        cancelled,
        purchase + orders["cancel_delay"],
        np.where(shipped, shipped_at + orders["update_delay"], purchase + 120),
    )
    return status.astype(np.int64), np.minimum(event, export)


def _order_ids(orders: Frame, markets: Sequence[_Market], seed: int) -> pa.Array:
    # A bijection of the order number onto 14 digits (the multiplier is prime to 10).
    shift = (seed + 1) * 1_234_567_890_123 % 10**14
    scrambled = (orders["seq"] * 3_935_559_009 + shift) % 10**14
    width = max(len(m.prefixes) for m in markets)
    table = [
        f"{markets[m].prefixes[i % len(markets[m].prefixes)]:03d}"
        for m in range(len(markets))
        for i in range(width)
    ]
    table += ["S01"] * width
    prefix = pa.array(table).take(
        pa.array(orders["market"] * width + orders["seq"] % width, pa.int64())
    )
    return pc.binary_join_element_wise(
        prefix, _digits(scrambled // 10**7, 7), _digits(scrambled % 10**7, 7), "-"
    )


def _order_columns(
    orders: Frame,
    lines: Frame,
    status: Array,
    updated: Array,
    markets: Sequence[_Market],
    seed: int,
    *,
    local_offsets: bool = False,
    ids: pa.Array | None = None,
) -> list[pa.Array]:
    """The all-orders file's columns (2024 era, 33 columns) for these order lines."""
    n_markets = len(markets)
    at = lines["order"]
    market = orders["market"][at]
    non_amazon = market == n_markets
    afn = orders["afn"][at]
    line_status = status[at]
    product = lines["product"]
    quantity = lines["quantity"]
    factor = np.array([m.price_factor for m in markets] + [1.0])[market]
    list_price = np.array([p[3] for p in _PRODUCTS], np.int64)[product]
    unit = (np.round(list_price * factor / 100) * 100 - 1).astype(np.int64)
    price = unit * quantity
    priced = (line_status != _CANCELLED) & (line_status != _PENDING) & ~non_amazon
    vat = np.array([m.vat for m in markets] + [0.0])[market]
    sales_tax = np.array([m.sales_tax for m in markets] + [0.0])[market]
    tax = np.round(price * sales_tax + price * vat / (1 + vat)).astype(np.int64)
    first_line = np.r_[True, at[1:] != at[:-1]]
    shipping = np.where(~afn & first_line, 499, 0)
    discount = np.where(lines["promotion"], -np.round(price * 0.1).astype(np.int64), 0)
    ship_discount = -shipping * orders["free_shipping"][at]
    blank = ~priced

    market_names = [m.name for m in markets] + [_NON_AMAZON]
    currencies = [m.currency for m in markets] + [markets[0].currency]
    places = [m.places for m in markets] + [markets[0].places]
    countries = [m.country for m in markets] + [markets[0].country]
    widest = max(len(p) for p in places)
    place_table = [
        (*p[i % len(p)], countries[m]) for m, p in enumerate(places) for i in range(widest)
    ]
    place_index = market * widest + orders["place"][at] % widest
    promo = [f"{m.country} Core Free Shipping Promotion A2M4X7KQ3ZP9" for m in markets] + [""]
    if ids is None:
        ids = _order_ids(orders, markets, seed)
    order_id = ids.take(pa.array(at))
    business = orders["business"][at] & ~non_amazon
    if local_offsets:
        offsets = _pick([m.offset for m in markets] + ["+00:00"], market)
        purchase_text = _iso(orders["purchase"][at], offsets)
        updated_text = _iso(updated[at], offsets)
    else:
        purchase_text = _iso(orders["purchase"][at])
        updated_text = _iso(updated[at])
    merchant_id = pc.binary_join_element_wise("SHOP-", _text(orders["seq"][at] + 100_000), "")
    zeros = pc.if_else(pa.array(blank), "\t\t", pa.repeat(pa.scalar("0.00\t0.00\t0.00"), len(at)))
    columns: dict[str, pa.Array] = {
        "amazon-order-id": order_id,
        "merchant-order-id": _blank_where(merchant_id, ~non_amazon),
        "purchase-date": purchase_text,
        "last-updated-date": updated_text,
        "order-status": _pick(_STATUSES, line_status),
        "fulfillment-channel": _pick(("Merchant", "Amazon"), afn.astype(np.int64)),
        "sales-channel": _pick(market_names, market),
        "order-channel": _blank_where(
            _pick(("", "Shopify"), non_amazon.astype(np.int64)), ~non_amazon
        ),
        "ship-service-level": _pick(
            ("Standard", "Expedited"), orders["expedited"][at].astype(np.int64)
        ),
        # Neighbouring columns that come from one lookup are written as one segment.
        "product-name\tsku\tasin": _pick([f"{p[2]}\t{p[0]}\t{p[1]}" for p in _PRODUCTS], product),
        "item-status": _pick(("Shipped", "Cancelled", "Unshipped", "Unshipped"), line_status),
        "quantity": _text(quantity),
        "currency": _pick(currencies, market),
        "item-price": _blank_where(_money(price), blank),
        "item-tax": _blank_where(_money(tax), blank),
        "shipping-price": _blank_where(_money(shipping), blank),
        "shipping-tax\tgift-wrap-price\tgift-wrap-tax": zeros,
        "item-promotion-discount": _blank_where(_money(discount), blank),
        "ship-promotion-discount": _blank_where(_money(ship_discount), blank),
        "ship-city\tship-state\tship-postal-code\tship-country": _pick(
            ["\t".join(p) for p in place_table], place_index
        ),
        "promotion-ids": _blank_where(
            _pick(promo, market), ~(orders["free_shipping"][at] & ~afn) | blank
        ),
        "cpf": pa.nulls(len(at), pa.string()),
        "is-business-order": _pick(("false", "true"), business.astype(np.int64)),
        "purchase-order-number": _blank_where(
            pc.binary_join_element_wise("PO-", _text(orders["seq"][at] % 90_000 + 10_000), ""),
            ~business,
        ),
        "price-designation": _blank_where(
            pa.array(["BusinessPrice"] * len(at), pa.string()), ~business
        ),
        "signature-confirmation-recommended": _pick(
            ("false", "true"), (price >= 10_000).astype(np.int64)
        ),
    }
    return _segments(columns, ORDER_HEADERS["2024"])


def _segments(columns: dict[str, pa.Array], header: Sequence[str]) -> list[pa.Array]:
    """The columns in header order; a key naming several tab-joined headers fills them all."""
    found: list[pa.Array] = []
    at = 0
    while at < len(header):
        width = next(w for w in (4, 3, 1) if "\t".join(header[at : at + w]) in columns)
        found.append(columns["\t".join(header[at : at + width])])
        at += width
    return found


def write_orders(
    path: Path | str,
    *,
    rows: int,
    seed: int,
    as_of: date,
    marketplaces: tuple[str, ...] = ("Amazon.com", "Amazon.de"),
) -> Path:
    """Write an all-orders flat file of ``rows`` order lines, exported late on ``as_of``.

    The orders are placed over the 120 days up to ``as_of`` in every marketplace named (3 % are
    multi-channel fulfilment orders with sales channel ``Non-Amazon``), about 55 % fulfilled by
    Amazon. The file is written in chunks, so any size takes little memory.

    Raises:
        InputError: ``rows`` is below 1, the seed is negative or a marketplace is unknown.
    """
    if rows < 1:
        raise InputError(f"Cannot write {rows} order lines.", hint="Ask for at least one.")
    _check_seed(seed)
    markets = _markets(marketplaces)
    path = Path(path)
    export = _seconds(as_of) + _LATE_EXPORT
    _write(path, ORDER_HEADERS["2024"], [])
    for orders, lines in _chunks(rows, seed, as_of, len(markets)):
        status, updated = _state(orders, export)
        columns = _order_columns(orders, lines, status, updated, markets, seed)
        _write(path, ORDER_HEADERS["2024"], columns, append=True)
    return path


# The whole account: orders plus every file that refers to them, with planted defects.

_COMMENTS: Final = {
    "en": (
        (
            "Package never arrived and tracking has not moved in 10 days.",
            "Item arrived two weeks late and nobody answered my messages.",
            "Received a used item with scratches, not new as described.",
            "Wrong size sent, the return process was a hassle.",
            "Broke after one use. Very disappointed.",
            "Seller cancelled my order without any explanation.",
        ),
        (
            "Product is ok but shipping took longer than promised.",
            "Box was damaged, item itself fine.",
            "Does the job, packaging could be better.",
        ),
        "We are sorry about this and have sent you a replacement.",
    ),
    "de": (
        (
            "Paket nie angekommen, die Sendungsverfolgung zeigt seit 10 Tagen nichts Neues.",
            "Lieferung kam eine Woche zu spät, keine Antwort vom Verkäufer.",
            "Artikel war gebraucht und zerkratzt, nicht neu wie beschrieben.",
            "Falsche Größe geliefert, Rücksendung sehr umständlich.",
            "Nach einmaligem Gebrauch kaputt. Sehr enttäuscht.",
        ),
        (
            "Ware in Ordnung, aber der Versand dauerte länger als angegeben.",
            "Karton beschädigt, Inhalt in Ordnung.",
        ),
        "Es tut uns leid, wir haben Ihnen eine Erstattung angeboten.",
    ),
    "fr": (
        (
            "Colis jamais reçu, le suivi ne bouge plus depuis 10 jours.",
            "Article reçu avec deux semaines de retard.",
            "Produit d'occasion rayé, pas neuf comme annoncé.",
        ),
        ("Produit correct mais livraison plus longue que prévu.",),
        "Nous sommes désolés et vous avons proposé un remboursement.",
    ),
}
_MFN_RETURN_REASONS: Final = (
    "CR-UNWANTED_ITEM",
    "CR-DEFECTIVE",
    "CR-ORDERED_WRONG_ITEM",
    "CR-NOT_AS_DESCRIBED",
    "CR-DAMAGED_BY_CARRIER",
    "CR-QUALITY_UNACCEPTABLE",
    "AMZ-PG-APP-TOO-SMALL",
    "CR-MISSING_PARTS",
)
_FBA_RETURN_REASONS: Final = (
    ("UNWANTED_ITEM", "SELLABLE", "Packaging intact, no longer needed."),
    ("DEFECTIVE", "DEFECTIVE", "Stopped working after a week."),
    ("NOT_COMPATIBLE", "SELLABLE", "Does not fit my model."),
    ("DAMAGED_BY_FC", "CARRIER_DAMAGED", "Arrived with a dented corner."),
    ("QUALITY_UNACCEPTABLE", "CUSTOMER_DAMAGED", "Cheaper feel than the pictures suggest."),
    ("ORDERED_WRONG_ITEM", "SELLABLE", ""),
    ("MISSED_ESTIMATED_DELIVERY", "SELLABLE", "Came too late for the birthday."),
)
_FULFILMENT_CENTERS: Final = {
    "US": ("PHX7", "ONT8", "BFI4", "MDW2", "TPA1", "CLT2"),
    "CA": ("YYZ4", "YVR3"),
    "GB": ("LBA1", "BHX4", "MAN1"),
    "DE": ("LEJ1", "DTM2", "FRA7", "MUC3", "STR1"),
    "FR": ("ORY1", "LYS1", "MRS1"),
}
# Carrier → (prefix, digits, suffix) of its tracking numbers.
_TRACKING: Final = {
    "UPS": ("1ZA8E91703", 8, ""),
    "USPS": ("9400", 18, ""),
    "FedEx": ("", 12, ""),
    "Amazon Shipping": ("TBA", 12, ""),
    "Canada Post": ("", 16, ""),
    "Purolator": ("", 12, ""),
    "Royal Mail": ("RK", 9, "GB"),
    "Evri": ("H", 15, ""),
    "Parcelforce": ("PB", 8, "001"),
    "DHL": ("00340434", 12, ""),
    "Hermes": ("H10", 17, ""),
    "DPD": ("0", 13, ""),
    "GLS": ("", 11, ""),
    "Deutsche Post": ("RR", 9, "DE"),
    "Colissimo": ("6A", 11, ""),
    "Chronopost": ("XJ", 9, "FR"),
    "Mondial Relay": ("", 8, ""),
}


def _exact(rng: np.random.Generator, eligible: Array, rate: float, *, at_least: bool) -> Array:
    """Exactly ``rate`` of the eligible items (rounded up or down), chosen at random."""
    index = np.flatnonzero(eligible)
    count = math.ceil(rate * len(index)) if at_least else math.floor(rate * len(index))
    chosen = np.zeros(len(eligible), dtype=bool)
    if count:
        chosen[rng.choice(index, size=count, replace=False)] = True
    return chosen


class _Demo:
    """One generated account: every order-level fact the files are written from."""

    def __init__(self, rows: int, seed: int, as_of: date, markets: list[_Market]) -> None:
        self.markets = markets
        self.seed = seed
        self.as_of = as_of
        self.today = (as_of - _EPOCH).days
        self.first_export = _seconds(as_of) + _MAIN_EXPORT
        self.export = _seconds(as_of) + _LATE_EXPORT
        order_frames: list[Frame] = []
        line_frames: list[Frame] = []
        count = 0
        for orders, lines in _chunks(rows, seed, as_of, len(markets)):
            lines["order"] = lines["order"] + count
            count += len(orders["seq"])
            order_frames.append(orders)
            line_frames.append(lines)
        self.orders = _concat(order_frames)
        self.lines = _concat(line_frames)
        self.first_line = np.searchsorted(self.lines["order"], np.arange(count))
        self.rng = np.random.default_rng([seed, 7_000_001])
        o = self.orders
        self.n = count
        self.amazon = o["market"] < len(markets)
        self.mfn = ~o["afn"]
        self.day = o["purchase"] // DAY
        self.ids = _order_ids(o, markets, seed)
        self._plant_cancellations()
        self._plant_late_shipments()
        self.expected = _expected_ship(o)
        self.confirm = np.where(self.mfn, _confirm(o), o["purchase"] + o["afn_delay"])
        self.status, self.updated = _state(o, self.export)
        self.shipped = self.status == _SHIPPED
        self._plan_shipments()
        self._plan_defects()

    def window(self, first_back: int, last_back: int) -> tuple[int, int]:
        return self.today - first_back, self.today - last_back

    def in_days(self, days: Array, window: tuple[int, int]) -> Array:
        result: Array = (days >= window[0]) & (days <= window[1])
        return result

    def market_is(self, index: int) -> Array:
        result: Array = self.orders["market"] == index
        return result

    def text_ids(self, index: Array) -> list[str]:
        ids: list[str] = self.ids.take(pa.array(index, pa.int64())).to_pylist()
        return ids

    def _plant_cancellations(self) -> None:
        o = self.orders
        window = self.window(7, 1)
        for m in range(len(self.markets)):
            eligible = self.mfn & self.market_is(m) & self.in_days(self.day, window)
            o["seller_cancel"] = np.where(eligible, False, o["seller_cancel"])
            chosen = _exact(self.rng, eligible, _SELLER_CANCEL, at_least=False)
            o["cancelled"] = o["cancelled"] | chosen
            o["seller_cancel"] = o["seller_cancel"] | chosen

    def _plant_late_shipments(self) -> None:
        o = self.orders
        expected_day = _expected_ship(o) // DAY
        window = self.window(29, 1)
        for m in range(len(self.markets)):
            eligible = (
                self.mfn & ~o["cancelled"] & self.market_is(m) & self.in_days(expected_day, window)
            )
            rate = _LATE_BREACH if m == 0 else _LATE_BASE
            chosen = _exact(self.rng, eligible, rate, at_least=m == 0)
            o["late"] = np.where(eligible, chosen, o["late"])

    def _plan_shipments(self) -> None:
        o, rng, n = self.orders, self.rng, self.n
        self.ships = self.amazon & self.mfn & ~o["cancelled"]
        self.confirmed = self.ships & (self.confirm <= self.export)
        transit = np.where(o["expedited"], rng.integers(1, 3, n), rng.integers(2, 6, n))
        self.promised_day = self.expected // DAY + transit
        window = self.window(39, 10)
        invalid = (rng.random(n) < _INVALID_BASE) & self.confirmed
        late_delivery = rng.random(n) < _LATE_DELIVERY
        in_window = self.confirmed & self.in_days(self.promised_day, window)
        for m in range(len(self.markets)):
            eligible = in_window & self.market_is(m)
            rate = _INVALID_AT_RISK if m == 1 else _INVALID_BASE
            chosen = _exact(rng, eligible, rate, at_least=m == 1)
            invalid = np.where(eligible, chosen, invalid)
        no_tracking = invalid & (rng.random(n) < 0.4)
        self.has_tracking = self.confirmed & ~no_tracking
        self.scan = self.confirm + rng.integers(HOUR, 20 * HOUR, n)
        self.has_scan = self.has_tracking & ~invalid & (self.scan <= self.export)
        for m in range(len(self.markets)):
            eligible = in_window & self.has_tracking & self.market_is(m)
            chosen = _exact(rng, eligible, _LATE_DELIVERY, at_least=False)
            late_delivery = np.where(eligible, chosen, late_delivery)
        promised_end = (self.promised_day + 1) * DAY - 1
        on_time = np.maximum(
            self.scan + 8 * HOUR, promised_end - rng.integers(2 * HOUR, 48 * HOUR, n)
        )
        late = promised_end + rng.integers(1, 4, n) * DAY - rng.integers(0, 12, n) * HOUR
        self.delivered = np.where(late_delivery, late, on_time)
        self.has_delivery = self.has_tracking & (self.delivered <= self.export)
        self.carrier = o["place"] % 7

    def _plan_defects(self) -> None:
        o, rng, n = self.orders, self.rng, self.n
        counted = self.amazon & ~o["cancelled"]
        window = self.window(74, 15)
        in_window = counted & self.in_days(self.day, window)
        defective = np.zeros(n, dtype=bool)
        for m in range(len(self.markets)):
            for mfn in (True, False):
                eligible = in_window & self.market_is(m) & (self.mfn == mfn)
                breach = m == 0 and mfn
                rate = _ODR_BREACH if breach else _ODR_BASE
                defective |= _exact(rng, eligible, rate, at_least=breach)
        kind = rng.random(n)
        both = rng.random(n) < 0.12
        outside = counted & self.shipped & ~in_window
        self.negative = (defective & ((kind < 0.55) | both)) | (outside & (rng.random(n) < 0.003))
        self.claim = (defective & (kind >= 0.55) & (kind < 0.88)) | (
            outside & (rng.random(n) < 0.0012)
        )
        self.chargeback = (defective & (kind >= 0.88)) | (outside & (rng.random(n) < 0.0004))
        # Claims and chargebacks that do not count (denied, fraud...), and neutral feedback.
        self.soft_claim = counted & self.shipped & ~self.claim & (rng.random(n) < 0.001)
        self.soft_chargeback = counted & self.shipped & ~self.chargeback & (rng.random(n) < 0.0005)
        self.neutral = counted & self.shipped & ~self.negative & (rng.random(n) < 0.004)
        # Defects of orders in the window surface within two weeks, so before D.
        soon = rng.integers(2, 14, n)
        later = rng.integers(2, 40, n)
        self.event_day = self.day + np.where(in_window, soon, later)
        self.event_at = self.event_day * DAY + rng.integers(6 * HOUR, 22 * HOUR, n)
        self.visible = self.event_at < self.export

    # Files

    def orders_files(self, directory: Path) -> tuple[Path, Path]:
        """The all-orders export at noon of D, and the update exported late that evening."""
        o = self.orders
        start = self.as_of - timedelta(days=HISTORY_DAYS - 1)
        main = directory / f"All_Orders_{start:%Y%m%d}_{self.as_of:%Y%m%d}.txt"
        update = directory / f"All_Orders_Last_Updated_{self.as_of:%Y%m%d}.txt"
        early_status, early_updated = _state(o, self.first_export)
        in_main = o["purchase"] <= self.first_export
        changed = ~in_main | (self.updated > early_updated) | (self.status != early_status)
        header = ORDER_HEADERS["2024"]
        at = self.lines["order"]
        for path, keep, status, updated, local in (
            (main, in_main, early_status, early_updated, False),
            (update, changed, self.status, self.updated, True),
        ):
            lines = _take(self.lines, np.flatnonzero(keep[at]))
            columns = _order_columns(
                o,
                lines,
                status,
                updated,
                self.markets,
                self.seed,
                local_offsets=local,
                ids=self.ids,
            )
            _write(path, header, columns)
        return main, update

    def feedback_files(self, directory: Path) -> dict[str, Path]:
        rng = self.rng
        written: dict[str, Path] = {}
        rated = (self.negative | self.neutral) & self.visible & self.amazon
        for m, market in enumerate(self.markets):
            index = np.flatnonzero(rated & self.market_is(m))
            index = index[np.argsort(self.event_at[index], kind="stable")]
            negative, neutral, reply = _COMMENTS.get(market.language, _COMMENTS["en"])
            fmt = market.feedback_dates
            days = [_EPOCH + timedelta(days=int(d)) for d in self.event_day[index]]
            if "%d/%m" in fmt and not any(d.day > 12 for d in days):
                fmt = "%Y-%m-%d"  # an all-ambiguous day-first file would need --date-format
            ids = self.text_ids(index)
            rows: list[list[str]] = [[] for _ in range(6)]
            for i, (order, day) in enumerate(zip(index, days, strict=True)):
                bad = bool(self.negative[order])
                pool = negative if bad else neutral
                rating = str(int(rng.integers(1, 3))) if bad else "3"
                handle = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz0123456789"), 14))
                for column, value in enumerate(
                    (
                        day.strftime(fmt),
                        rating,
                        pool[int(rng.integers(0, len(pool)))],
                        reply if bad and rng.random() < 0.4 else "",
                        ids[i],
                        f"{handle}@{market.domain}",
                    )
                ):
                    rows[column].append(value)
            key = "feedback" if m == 0 else f"feedback_{market.country.lower()}"
            path = directory / f"Feedback_{market.country}_{self.as_of:%Y%m%d}.txt"
            header = ("Date", "Rating", "Comments", "Your Response", "Order ID", "Rater Email")
            _write(path, header, rows, bom=market.language == "de")
            written[key] = path
        return written

    def claims_file(self, directory: Path) -> Path:
        rng = self.rng
        index = np.flatnonzero((self.claim | self.soft_claim) & self.visible)
        index = index[np.argsort(self.event_at[index], kind="stable")]
        ids = self.text_ids(index)
        filed = _iso(self.event_at[index]).to_pylist()
        counting = (
            "granted_seller_funded",
            "refunded_by_seller",
            "pending",
            "withdrawn_after_refund",
        )
        soft = ("denied", "withdrawn_before_decision", "appeal_won")
        rows: list[list[str]] = [[] for _ in range(6)]
        for i, order in enumerate(index):
            mfn = bool(self.mfn[order])
            reason = ("item_not_received", "not_as_described", "other")[
                int(rng.choice(3, p=[0.5, 0.4, 0.1]))
            ]
            buy_shipping = ("Y" if rng.random() < 0.5 else "N") if mfn else ""
            if self.claim[order]:
                status = counting[int(rng.choice(4, p=[0.45, 0.3, 0.15, 0.1]))]
            elif mfn and rng.random() < 0.3:
                status, reason, buy_shipping = "granted_amazon_funded", "item_not_received", "Y"
            else:
                status = soft[int(rng.integers(0, 3))]
            claim_id = f"{int(rng.integers(10**9, 10**10))}"
            for column, value in enumerate(
                (ids[i], claim_id, filed[i], reason, status, buy_shipping)
            ):
                rows[column].append(value)
        path = directory / TEMPLATES["claims"].filename
        _write(path, TEMPLATES["claims"].header, rows, delimiter=",")
        return path

    def chargebacks_file(self, directory: Path) -> Path:
        rng = self.rng
        index = np.flatnonzero((self.chargeback | self.soft_chargeback) & self.visible)
        index = index[np.argsort(self.event_at[index], kind="stable")]
        ids = self.text_ids(index)
        filed = _iso(self.event_at[index] + 3 * DAY).to_pylist()
        rows: list[list[str]] = [[] for _ in range(5)]
        for i, order in enumerate(index):
            if self.chargeback[order]:
                reason = "service"
                status = ("open", "refunded", "debited")[int(rng.integers(0, 3))]
            elif rng.random() < 0.5:
                reason, status = "fraud", ("open", "debited")[int(rng.integers(0, 2))]
            else:
                reason, status = "service", "represented_won"
            chargeback_id = f"CB{int(rng.integers(10**11, 10**12))}"
            for column, value in enumerate((ids[i], chargeback_id, filed[i], reason, status)):
                rows[column].append(value)
        path = directory / TEMPLATES["chargebacks"].filename
        _write(path, TEMPLATES["chargebacks"].header, rows, delimiter=",")
        return path

    def shipments_file(self, directory: Path) -> Path:
        rng = self.rng
        index = np.flatnonzero(self.ships)
        index = index[np.argsort(self.expected[index], kind="stable")]
        market = self.orders["market"][index]
        names: list[str] = []
        for m in self.markets:
            names += [m.carriers[i % len(m.carriers)] for i in range(7)]
        carrier_at = market * 7 + self.carrier[index]
        carriers = [names[int(c)] for c in carrier_at]
        numbers = rng.integers(0, 10**18, len(index), dtype=np.int64)
        tracking = [_tracking(c, int(x)) for c, x in zip(carriers, numbers, strict=True)]
        confirmed = self.confirmed[index]
        has_tracking = self.has_tracking[index]
        units = np.bincount(self.lines["order"], weights=self.lines["quantity"], minlength=self.n)
        columns = [
            _take_ids(self.ids, index),
            _iso(self.expected[index] - 59).to_pylist(),
            _blank_where(_iso(self.confirm[index]), ~confirmed),
            _blank_where(pa.array(carriers, pa.string()), ~confirmed),
            _blank_where(pa.array(tracking, pa.string()), ~has_tracking),
            _blank_where(_iso(self.scan[index]), ~self.has_scan[index]),
            _days(self.promised_day[index] * DAY, "%Y-%m-%d"),
            _blank_where(_iso(self.delivered[index]), ~self.has_delivery[index]),
            _text(units[index].astype(np.int64)),
        ]
        path = directory / TEMPLATES["shipments"].filename
        _write(path, TEMPLATES["shipments"].header, columns, delimiter=",")
        return path

    def messages_file(self, directory: Path) -> Path:
        o, rng, n = self.orders, self.rng, self.n
        asked = self.amazon & (rng.random(n) < 0.07)
        received = o["purchase"] + rng.integers(HOUR, 12 * DAY, n)
        asked &= received < self.export
        received_day = received // DAY
        window = self.window(29, 0)
        slow = asked & (rng.random(n) < _SLOW_REPLY_BASE)
        for m in range(len(self.markets)):
            eligible = asked & self.market_is(m) & self.in_days(received_day, window)
            rate = _SLOW_REPLY_AT_RISK if m == 1 else _SLOW_REPLY_BASE
            chosen = _exact(rng, eligible, rate, at_least=False)
            slow = np.where(eligible, chosen, slow)
        no_reply = asked & ~slow & (rng.random(n) < 0.04)
        delay = np.where(
            slow, rng.integers(26 * HOUR, 80 * HOUR, n), rng.integers(1200, 20 * HOUR, n)
        )
        answered_at = received + delay
        index = np.flatnonzero(asked)
        index = index[np.argsort(received[index], kind="stable")]
        answered = ~no_reply[index] & (answered_at[index] <= self.export)
        message_ids = pc.binary_join_element_wise(
            "M", _digits(o["seq"][index] * 7 + 1_000_003, 11), ""
        )
        columns: list[pa.Array] = [
            message_ids,
            _iso(received[index]),
            _take_ids(self.ids, index),
            _blank_where(_iso(answered_at[index]), ~answered),
            _pick(("", "Y"), no_reply[index].astype(np.int64)),
        ]
        path = directory / TEMPLATES["messages"].filename
        _write(path, TEMPLATES["messages"].header, columns, delimiter=",")
        # Two questions about no order (before buying), answered within hours.
        general = _seconds(self.as_of - timedelta(days=3)) + np.array([9 * HOUR, 15 * HOUR])
        extra = [
            pa.array(["M00000000001", "M00000000002"]),
            _iso(general),
            pa.array(["", ""]),
            _iso(general + np.array([2 * HOUR, 5 * HOUR])),
            pa.array(["", ""]),
        ]
        _write(path, TEMPLATES["messages"].header, extra, delimiter=",", append=True)
        return path

    def cancellations_file(self, directory: Path) -> Path:
        o = self.orders
        listed = (
            self.amazon & self.mfn & o["cancelled"] & self.in_days(self.day, self.window(59, 0))
        )
        index = np.flatnonzero(listed)
        columns = [
            _days(o["purchase"][index], "%Y-%m-%d"),
            _take_ids(self.ids, index),
            _pick(("No", "Yes"), o["seller_cancel"][index].astype(np.int64)),
        ]
        path = directory / f"Cancellation_Rate_{self.as_of:%Y%m%d}.csv"
        _write(path, ("Order Date", "Order ID", "Impacts Account Health"), columns, delimiter=",")
        return path

    def returns_mfn_file(self, directory: Path) -> Path:
        o, rng, n = self.orders, self.rng, self.n
        requested = self.confirm + rng.integers(3, 26, n) * DAY + rng.integers(0, DAY, n)
        returned = (
            self.confirmed & self.shipped & (rng.random(n) < 0.035) & (requested < self.export)
        )
        index = np.flatnonzero(returned)
        index = index[np.argsort(requested[index], kind="stable")]
        line = self.first_line[index]
        product = self.lines["product"][line]
        quantity = self.lines["quantity"][line]
        market = o["market"][index]
        factor = np.array([m.price_factor for m in self.markets])[market]
        list_price = np.array([p[3] for p in _PRODUCTS], np.int64)[product]
        price = (np.round(list_price * factor / 100) * 100 - 1).astype(np.int64) * quantity
        count = len(index)
        reason = rng.integers(0, len(_MFN_RETURN_REASONS), count)
        prepaid = rng.random(count) < 0.7
        delivered = requested[index] + rng.integers(3, 9, count) * DAY
        arrived = delivered < self.export
        rma = [
            "D"
            + "".join(
                rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"), 8)
            )
            + "RRMA"
            for _ in range(count)
        ]
        carriers = [self.markets[int(m)].carriers[0] for m in market]
        numbers = rng.integers(0, 10**18, count, dtype=np.int64)
        tracking = [_tracking(c, int(x)) for c, x in zip(carriers, numbers, strict=True)]
        blank = pa.nulls(count, pa.string())
        month_day = "%d-%b-%Y"
        columns: dict[str, pa.Array | list[str]] = {
            "Order ID": _take_ids(self.ids, index),
            "Order date": _days(o["purchase"][index], month_day),
            "Return request date": _days(requested[index], month_day),
            "Return request status": _pick(("Approved", "Closed"), arrived.astype(np.int64)),
            "Amazon RMA ID": rma,
            "Merchant RMA ID": blank,
            "Label type": _pick(("SelfShipped", "AmazonPrePaidLabel"), prepaid.astype(np.int64)),
            "Label cost": _blank_where(_money(rng.integers(450, 900, count)), ~prepaid),
            "Currency code": _pick([m.currency for m in self.markets], market),
            "Return carrier": carriers,
            "Tracking ID": tracking,
            "Label to be paid by": _pick(("Customer", "Seller"), prepaid.astype(np.int64)),
            "A-to-Z Claim": _pick(("N", "Y"), self.claim[index].astype(np.int64)),
            "Is prime": _pick(("N", "Y"), o["expedited"][index].astype(np.int64)),
            "ASIN": _pick([p[1] for p in _PRODUCTS], product),
            "Merchant SKU": _pick([p[0] for p in _PRODUCTS], product),
            "Item Name": _pick([p[2] for p in _PRODUCTS], product),
            "Return quantity": _text(quantity),
            "Return Reason": _pick(_MFN_RETURN_REASONS, reason),
            "In policy": _pick(("N", "Y"), (rng.random(count) < 0.93).astype(np.int64)),
            "Return type": pa.array(["C-Returns"] * count, pa.string()),
            "Resolution": pa.array(["StandardRefund"] * count, pa.string()),
            "Invoice number": blank,
            "Return delivery date": _blank_where(_days(delivered, month_day), ~arrived),
            "Order Amount": _money(price),
            "Order quantity": _text(quantity),
            "SafeT Action reason": blank,
            "SafeT claim id": blank,
            "SafeT claim state": blank,
            "SafeT claim creation time": blank,
            "SafeT claim reimbursement amount": blank,
            "Refunded Amount": _blank_where(_money(price), ~arrived),
        }
        path = directory / f"Returns_Report_{self.as_of:%Y%m%d}.txt"
        _write(path, list(columns), list(columns.values()))
        return path

    def returns_fba_file(self, directory: Path) -> Path:
        o, rng, n = self.orders, self.rng, self.n
        returned_at = self.confirm + rng.integers(4, 31, n) * DAY + rng.integers(0, DAY, n)
        returned = (
            self.amazon
            & ~self.mfn
            & self.shipped
            & (rng.random(n) < 0.04)
            & (returned_at < self.export)
        )
        index = np.flatnonzero(returned)
        index = index[np.argsort(returned_at[index], kind="stable")]
        count = len(index)
        line = self.first_line[index]
        product = self.lines["product"][line]
        market = o["market"][index]
        reason = rng.integers(0, len(_FBA_RETURN_REASONS), count)
        centers = [_FULFILMENT_CENTERS.get(m.country, ("XUS1",)) for m in self.markets]
        center = [
            centers[int(m)][int(i) % len(centers[int(m)])]
            for m, i in zip(market, index, strict=True)
        ]
        fnsku = pc.binary_join_element_wise(
            "X00", _digits(np.arange(len(_PRODUCTS)) * 7_919 + 1_000_000, 7), ""
        )
        lpn = pc.binary_join_element_wise("LPN", _digits(rng.integers(0, 10**9, count), 9), "")
        columns = [
            _iso(returned_at[index]),
            _take_ids(self.ids, index),
            _pick([p[0] for p in _PRODUCTS], product),
            _pick([p[1] for p in _PRODUCTS], product),
            fnsku.take(pa.array(product)),
            _pick([p[2] for p in _PRODUCTS], product),
            _text(self.lines["quantity"][line]),
            center,
            _pick([r[1] for r in _FBA_RETURN_REASONS], reason),
            _pick([r[0] for r in _FBA_RETURN_REASONS], reason),
            _pick(("Unit returned to inventory", "Reimbursed"), (reason == 3).astype(np.int64)),
            lpn,
            _pick([r[2] for r in _FBA_RETURN_REASONS], reason),
        ]
        header = (
            "return-date",
            "order-id",
            "sku",
            "asin",
            "fnsku",
            "product-name",
            "quantity",
            "fulfillment-center-id",
            "detailed-disposition",
            "reason",
            "status",
            "license-plate-number",
            "customer-comments",
        )
        path = directory / f"FBA_Customer_Returns_{self.as_of:%Y%m%d}.txt"
        _write(path, header, columns)
        return path

    def performance_file(self, directory: Path) -> Path:
        """Amazon's V2 seller performance report as of D, with the figures of these orders."""
        path = directory / f"Seller_Performance_V2_{self.as_of:%Y%m%d}.json"
        report = {
            "accountStatuses": [
                {"marketplaceId": m.marketplace_id, "status": "AT_RISK" if i == 0 else "NORMAL"}
                for i, m in enumerate(self.markets)
            ],
            "performanceMetrics": [self._performance(i, m) for i, m in enumerate(self.markets)],
        }
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def _range(self, first_back: int, last_back: int) -> dict[str, str]:
        first, last = self.window(first_back, last_back)
        return {
            "reportingDateFrom": f"{_EPOCH + timedelta(days=first):%Y-%m-%d}T00:00Z",
            "reportingDateTo": f"{_EPOCH + timedelta(days=last):%Y-%m-%d}T23:59Z",
        }

    @staticmethod
    def _rate(count: int, total: int, target: float, op: str) -> dict[str, Any]:
        rate = round(count / total, 4) if total else 0.0
        good = rate < target if op == "LESS_THAN" else rate >= target
        return {
            "status": "GOOD" if good or not total else "BAD",
            "rate": rate,
            "targetValue": target,
            "targetCondition": op,
        }

    def _performance(self, m: int, market: _Market) -> dict[str, Any]:
        o = self.orders
        here = self.market_is(m)
        counted = here & ~o["cancelled"]
        odr_days = self.in_days(self.day, self.window(74, 15))
        odr: dict[str, Any] = {}
        for channel, fulfilled in (("mfn", self.mfn), ("afn", ~self.mfn)):
            base = counted & odr_days & fulfilled
            negative = int((base & self.negative & self.visible).sum())
            claims = int((base & self.claim & self.visible).sum())
            chargebacks = int((base & self.chargeback & self.visible).sum())
            defects = int(
                (base & self.visible & (self.negative | self.claim | self.chargeback)).sum()
            )
            total = int(base.sum())
            odr[channel] = {
                "reportingDateRange": self._range(74, 15),
                "orderCount": total,
                "orderWithDefects": {"count": defects, "status": "NONE"},
                "claims": {"count": claims, "status": "NONE"},
                "chargebacks": {"count": chargebacks, "status": "NONE"},
                "negativeFeedback": {"count": negative, "status": "NONE"},
                "fulfillmentType": channel,
                **self._rate(defects, total, 0.01, "LESS_THAN"),
            }
        expected_day = self.expected // DAY
        unconfirmed_late = ~self.confirmed & (self.expected < _seconds(self.as_of))
        late = self.ships & (((self.confirm > self.expected) & self.confirmed) | unconfirmed_late)
        late_blocks = []
        for days in (10, 30):
            base = here & self.ships & self.in_days(expected_day, self.window(days - 1, 0))
            total, count = int(base.sum()), int((base & late).sum())
            late_blocks.append(
                {
                    "reportingDateRange": self._range(days - 1, 0),
                    "orderCount": total,
                    "lateShipmentCount": count,
                    **self._rate(count, total, 0.04, "LESS_THAN"),
                }
            )
        cancel_base = here & self.mfn & self.in_days(self.day, self.window(7, 1))
        cancels = int((cancel_base & o["cancelled"] & o["seller_cancel"]).sum())
        tracked = here & self.confirmed & self.in_days(self.promised_day, self.window(39, 10))
        valid = int((tracked & self.has_scan).sum())
        with_tracking = tracked & self.has_tracking
        on_time = int(
            (with_tracking & self.has_delivery & (self.delivered // DAY <= self.promised_day)).sum()
        )
        return {
            "marketplaceId": market.marketplace_id,
            "orderDefectRate": odr,
            "lateShipmentRate": late_blocks[1],
            "lateShipmentRateList": late_blocks,
            "preFulfillmentCancellationRate": {
                "reportingDateRange": self._range(7, 1),
                "orderCount": int(cancel_base.sum()),
                "cancellationCount": cancels,
                **self._rate(cancels, int(cancel_base.sum()), 0.025, "LESS_THAN"),
            },
            "validTrackingRate": {
                "reportingDateRange": self._range(39, 10),
                "shipmentCount": int(tracked.sum()),
                "validTrackingCount": valid,
                **self._rate(valid, int(tracked.sum()), 0.95, "GREATER_THAN"),
            },
            "onTimeDeliveryRate": {
                "reportingDateRange": self._range(39, 10),
                "shipmentCountWithValidTracking": int(with_tracking.sum()),
                "onTimeDeliveryCount": on_time,
                **self._rate(on_time, int(with_tracking.sum()), 0.9, "GREATER_THAN"),
            },
            "accountHealthRating": {
                "ahrStatus": "WARNED" if m == 0 else "GREAT",
                "ahrScore": 212 if m == 0 else 410,
                "reportingDateRange": self._range(179, 0),
            },
            "listingPolicyViolations": {
                "reportingDateRange": self._range(179, 0),
                "defectsCount": 1 if m == 0 else 0,
                "status": "BAD" if m == 0 else "GOOD",
                "targetValue": 0,
                "targetCondition": "EQUALS",
            },
            "warningStates": [],
        }


def _tracking(carrier: str, number: int) -> str:
    prefix, digits, suffix = _TRACKING[carrier]
    return f"{prefix}{number % 10**digits:0{digits}d}{suffix}"


def _take_ids(ids: pa.Array, index: Array) -> pa.Array:
    return ids.take(pa.array(index, pa.int64()))


_DEMO_PATTERNS: Final = (
    "All_Orders_*.txt",
    "Feedback_*.txt",
    "Returns_Report_*.txt",
    "FBA_Customer_Returns_*.txt",
    "Cancellation_Rate_*.csv",
    "Seller_Performance_V2_*.json",
)
"""Names of the dated files a demo writes: an earlier demo's are removed, so that importing
``DIR/*`` after a demo of another day does not mix two accounts."""


def write_demo(
    out_dir: Path | str,
    *,
    orders: int = 3000,
    seed: int = 7,
    as_of: date | None = None,
    marketplaces: tuple[str, ...] = ("Amazon.com", "Amazon.de"),
) -> DemoFiles:
    """Write a realistic seller account as the report files its owner would download.

    Args:
        out_dir: the folder to write into (created if needed). Files an earlier demo wrote
            there (the same names, maybe of another date) are replaced.
        orders: order lines over the orders file and its update (at least 10).
        seed: the same seed and as-of date give byte-identical files.
        as_of: the export date D; default today (UTC).
        marketplaces: the marketplaces sold on; the first is the main one, where the order
            defect rate and the late shipment rate are in breach.

    Raises:
        InputError: fewer than 10 order lines, a negative seed or an unknown marketplace.
    """
    if orders < 10:
        raise InputError(
            f"A demo account needs at least 10 order lines, not {orders}.",
            hint="Pass --orders 10 or more.",
        )
    _check_seed(seed)
    markets = _markets(marketplaces)
    day = as_of or _utc_today()
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    for pattern in _DEMO_PATTERNS:
        for stale in directory.glob(pattern):
            stale.unlink()
    demo = _Demo(orders, seed, day, markets)
    files: dict[str, Path] = {}
    files["orders"], files["orders_update"] = demo.orders_files(directory)
    files.update(demo.feedback_files(directory))
    files["returns_mfn"] = demo.returns_mfn_file(directory)
    files["returns_fba"] = demo.returns_fba_file(directory)
    files["cancellations"] = demo.cancellations_file(directory)
    files["shipments"] = demo.shipments_file(directory)
    files["claims"] = demo.claims_file(directory)
    files["chargebacks"] = demo.chargebacks_file(directory)
    files["messages"] = demo.messages_file(directory)
    files["performance_v2"] = demo.performance_file(directory)
    types = {
        key: key.split("_")[0] if key.startswith(("orders", "feedback")) else key for key in files
    }
    return DemoFiles(directory, files, day, orders, types)
