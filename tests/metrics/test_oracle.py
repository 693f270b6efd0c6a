"""The engine against an independent plain-Python reading of the contract (``oracle.py``).

Randomized accounts (fixed seeds) crowd every boundary metric-conventions.md §4 names: first and
last included day and one day outside each window, every claim status and chargeback rule, two
defects on one order, time stamps at D 00:00 and the end of D, replies at exactly 24 h, cancelled,
MCF (Non-Amazon) and unknown orders, several marketplaces, both channels, missing and header-only
files. The health JSON of ``compute_health`` must equal the oracle's in every field but
``generated_at`` and ``amazon_reported``.
"""

from __future__ import annotations

import json
import random
import tempfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import ibis
import pytest

from goodstanding.errors import DataError
from goodstanding.metrics import compute_health
from goodstanding.sqlplans import SqlPlans

from . import oracle
from .builders import CLAIM_STATUSES, Row, arrow, spark_tables, sql_tables

BASE = date(2020, 11, 19)
# Offsets from D (days back) where a window starts, ends, or is one day outside (§4).
EDGES = (-2, -1, 0, 1, 2, 6, 7, 8, 9, 10, 11, 14, 15, 16, 29, 30, 38, 39, 40, 73, 74, 75, 89, 90)
MARKETPLACES = ("Amazon.com", "Amazon.de", "Amazon.co.uk")


def _stamp(day: date, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second, micro), tzinfo=UTC)


def _end(day: date) -> datetime:
    # §3 / tables.py: a date-only value is stored as that day's 23:59:59.999999 UTC.
    return _stamp(day, 23, 59, 59, 999999)


def _edge_time(rng: random.Random, day: date) -> datetime:
    """A time on ``day``, often at one of its edges."""
    choice = rng.random()
    if choice < 0.2:
        return _stamp(day)
    if choice < 0.35:
        return _end(day)
    if choice < 0.45:
        return _stamp(day, 23, 59, 59)
    return _stamp(day, rng.randrange(24), rng.randrange(60), rng.randrange(60))


def random_account(seed: int, *, orders: int) -> tuple[dict[str, list[Row]], dict[str, Any]]:
    """Canonical rows of one random account and the options to compute it with."""
    rng = random.Random(seed)
    day = BASE + timedelta(days=rng.randrange(-40, 40))
    markets = list(MARKETPLACES[: rng.choice([1, 1, 2, 3])])
    with_mcf = rng.random() < 0.6
    # Defect rates: high (breach), low (around the targets: at_risk, ok with defects) or tiny.
    scale = rng.choice([1.0, 0.15, 0.05, 0.01])

    def bad(chance: float) -> bool:
        return rng.random() < chance * scale

    def pick_day() -> date:
        if rng.random() < 0.45:
            return day - timedelta(days=rng.choice(EDGES))
        if rng.random() < 0.08:
            # Long before every window: shipments, messages and defects may still name them.
            return day - timedelta(days=rng.randrange(115, 200))
        return day - timedelta(days=rng.randrange(-3, 130))

    rows: dict[str, list[Row]] = {
        name: []
        for name in (
            "orders",
            "feedback",
            "claims",
            "chargebacks",
            "cancellations",
            "shipments",
            "messages",
        )
    }
    known: list[tuple[str, date, str, bool]] = []
    for number in range(orders):
        order_id = f"{seed:04d}-{number:06d}"
        order_day = pick_day()
        marketplace = rng.choice(markets)
        if with_mcf and rng.random() < 0.06:
            marketplace = "Non-Amazon"
        channel = "afn" if marketplace == "Non-Amazon" or rng.random() < 0.35 else "mfn"
        status = rng.choices(["Shipped", "Pending", "Unshipped", "Cancelled"], [10, 2, 1, 2])[0]
        purchased = _edge_time(rng, order_day)
        # Updated later than purchased, sometimes much later (a re-export).
        updated = purchased + timedelta(hours=rng.randrange(0, 400))
        for item in range(rng.choice([1, 1, 1, 2, 3])):
            rows["orders"].append(
                {
                    "order_id": order_id,
                    "purchase_at": purchased,
                    "order_date": purchased.date(),
                    "last_updated_at": updated,
                    "order_status": status,
                    "channel": channel,
                    "marketplace": marketplace,
                    "sku": f"SKU-{item}",
                    "asin": f"B0{item:08d}",
                    "item_status": status,
                    "quantity": 1,
                    "currency": "USD",
                    "item_price": None if status == "Cancelled" else 10.0,
                    "product_name": "A product",
                    "ship_service_level": "Standard",
                }
            )
        known.append((order_id, purchased.date(), channel, status == "Cancelled"))
    if with_mcf and rng.random() < 0.5:
        # An MCF order after every Amazon order: does it move the default D?
        rows["orders"].append(
            {
                **rows["orders"][0],
                "order_id": f"{seed:04d}-mcf",
                "purchase_at": _stamp(day + timedelta(days=5), 9),
                "order_date": day + timedelta(days=5),
                "last_updated_at": _stamp(day + timedelta(days=5), 9),
                "marketplace": "Non-Amazon",
                "channel": "afn",
            }
        )

    def some_orders(share: float) -> list[tuple[str, date, str, bool]]:
        return [entry for entry in known if rng.random() < share]

    missing = [f"{seed:04d}-missing-{n}" for n in range(4)]
    feedback_ids: set[str] = set()
    for order_id, placed, _, _ in some_orders(0.08) + [(m, day, "", False) for m in missing[:2]]:
        if order_id in feedback_ids:
            continue
        feedback_ids.add(order_id)
        rows["feedback"].append(
            {
                "feedback_date": placed + timedelta(days=rng.choice([0, 1, 5, 20, 40, 80])),
                "rating": rng.choice([1, 2]) if bad(0.6) else rng.choice([3, 4, 5]),
                "comments": None,
                "response": None,
                "order_id": order_id,
                "rater_email": None,
            }
        )
    claim_number = 0
    for order_id, placed, _, _ in some_orders(0.05 * scale) + [
        (m, day, "", False) for m in missing[1:3]
    ]:
        for _ in range(rng.choice([1, 1, 2])):
            claim_number += 1
            filed_day = placed + timedelta(days=rng.choice([0, 3, 10, 30, 60]))
            if rng.random() < 0.1:
                filed_day = day + timedelta(days=rng.choice([0, 1]))
            rows["claims"].append(
                {
                    "order_id": order_id,
                    "claim_id": f"C{seed}-{claim_number}",
                    "filed_at": _edge_time(rng, filed_day),
                    "reason": rng.choice(["item_not_received", "not_as_described", "other"]),
                    "status": rng.choice(CLAIM_STATUSES),
                    "buy_shipping": rng.choice([True, False, None]),
                }
            )
    chargeback_number = 0
    for order_id, placed, _, _ in [*some_orders(0.03 * scale), (missing[3], day, "", False)]:
        for _ in range(rng.choice([1, 1, 2])):
            chargeback_number += 1
            filed_day = placed + timedelta(days=rng.choice([0, 5, 20, 50]))
            if rng.random() < 0.1:
                filed_day = day + timedelta(days=rng.choice([0, 1]))
            rows["chargebacks"].append(
                {
                    "order_id": order_id,
                    "chargeback_id": f"K{seed}-{chargeback_number}",
                    "filed_at": _edge_time(rng, filed_day),
                    "reason": rng.choice(["service", "fraud"]),
                    "status": rng.choice(["open", "represented_won", "refunded", "debited"]),
                }
            )
    cancelled_ids: set[str] = set()
    for order_id, placed, channel, cancelled in known:
        wanted = 0.7 if cancelled else (0.05 if channel == "mfn" else 0.02)
        if bad(wanted) and order_id not in cancelled_ids:
            cancelled_ids.add(order_id)
            rows["cancellations"].append(
                {
                    "order_date": placed,
                    "order_id": order_id,
                    "impacts_account_health": rng.random() < 0.7,
                }
            )
    rows["cancellations"].append(
        {
            "order_date": day - timedelta(days=3),
            "order_id": missing[0],
            "impacts_account_health": True,
        }
    )

    tracking_number = 0
    for order_id, placed, channel, cancelled in known:
        wanted = 0.9 if channel == "mfn" and not cancelled else 0.05
        if rng.random() >= wanted:
            continue
        for _ in range(rng.choice([1, 1, 1, 2])):
            tracking_number += 1
            expected_day = placed + timedelta(days=rng.choice([0, 1, 2, 3]))
            expected = rng.choice(
                [_end(expected_day), _stamp(expected_day, 14), _stamp(expected_day)]
            )
            confirmed = rng.choices(
                [
                    None,
                    expected,
                    expected + timedelta(microseconds=1),
                    expected - timedelta(hours=rng.randrange(1, 30)),
                    expected + timedelta(hours=rng.randrange(1, 60)),
                    _stamp(day + timedelta(days=1)),
                    _end(day),
                ],
                [2, 2, 1, 6, 2, 1, 1],
            )[0]
            if not bad(1.0):
                confirmed = expected - timedelta(hours=rng.randrange(0, 30))
            promised_day = (
                day - timedelta(days=rng.choice(EDGES))
                if rng.random() < 0.3
                else (placed + timedelta(days=rng.randrange(2, 9)))
            )
            promised = rng.choice([_end(promised_day), _stamp(promised_day, 20), None])
            delivered = None
            if promised is not None and not bad(0.15):
                on_time = [
                    _end(promised.date()),
                    _stamp(promised.date() - timedelta(days=rng.randrange(0, 4)), 10),
                ]
                late = [
                    _stamp(promised.date() + timedelta(days=1)),
                    _stamp(promised.date() + timedelta(days=rng.randrange(1, 5)), 10),
                ]
                delivered = rng.choice(late if bad(0.5) else on_time)
            rows["shipments"].append(
                {
                    "order_id": order_id,
                    "expected_ship_at": expected,
                    "ship_confirmed_at": confirmed,
                    "carrier": "UPS",
                    "tracking_id": None if bad(0.08) else f"T{seed}-{tracking_number}",
                    "first_carrier_scan_at": None
                    if bad(0.1)
                    else (confirmed or _end(expected_day))
                    + timedelta(hours=rng.choice([1, 30, 200])),
                    "promised_delivery_at": promised,
                    "delivered_at": delivered,
                    "units": 1,
                }
            )
    rows["shipments"].append(
        {
            "order_id": missing[2],
            "expected_ship_at": _end(day - timedelta(days=3)),
            "ship_confirmed_at": None,
            "carrier": None,
            "tracking_id": "TX",
            "first_carrier_scan_at": None,
            "promised_delivery_at": _end(day - timedelta(days=20)),
            "delivered_at": None,
            "units": 1,
        }
    )

    for number in range(max(10, orders // 6)):
        received_day = pick_day()
        received = rng.choice(
            [
                _stamp(received_day),
                _stamp(received_day, 23, 59, 59),
                _end(received_day),
                _stamp(received_day, rng.randrange(24), rng.randrange(60)),
            ]
        )
        response = rng.choices(
            [
                None,
                received + timedelta(hours=24),
                received + timedelta(hours=24, microseconds=1),
                received + timedelta(hours=rng.randrange(0, 24)),
                received + timedelta(hours=rng.randrange(25, 90)),
            ],
            [2, 2, 1, 5, 2],
        )[0]
        if not bad(1.0):
            response = received + timedelta(hours=rng.randrange(0, 24))
        owner = rng.random()
        if owner < 0.15:
            order_id = None
        elif owner < 0.2:
            order_id = rng.choice(missing)
        else:
            order_id = rng.choice(known)[0]
        rows["messages"].append(
            {
                "message_id": f"M{seed}-{number}",
                "received_at": received,
                "order_id": order_id,
                "first_response_at": response,
                "no_response_needed": rng.choice([None, None, False, True]),
            }
        )

    # Files never imported (left out of `metrics`, §5) or imported header-only ("none").
    for name in ("feedback", "claims", "chargebacks", "cancellations", "shipments", "messages"):
        chance = rng.random()
        if chance < 0.07:
            del rows[name]
        elif chance < 0.1:
            rows[name] = []
    options: dict[str, Any] = {"as_of": None if rng.random() < 0.25 else day}
    amazon_markets = sorted({r["marketplace"] for r in rows["orders"]} - {"Non-Amazon"})
    if len(amazon_markets) > 1 and rng.random() < 0.15:
        options["marketplace"] = rng.choice(amazon_markets)
    return rows, options


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its volatile and Amazon parts and without free-text reasons."""
    kept = {k: v for k, v in document.items() if k not in ("generated_at", "amazon_reported")}
    kept["coverage"] = [{k: v for k, v in c.items() if k != "reason"} for c in kept["coverage"]]
    return json.loads(json.dumps(kept, default=str))


def differences(engine: Any, expected: Any, path: str = "") -> list[str]:
    """Field-level differences between two JSON values, metrics labelled by id/channel/window."""
    if isinstance(engine, dict) and isinstance(expected, dict):
        found: list[str] = []
        for key in sorted(set(engine) | set(expected)):
            if key not in engine or key not in expected:
                found.append(
                    f"{path}/{key}: engine {engine.get(key)!r} oracle {expected.get(key)!r}"
                )
            else:
                found += differences(engine[key], expected[key], f"{path}/{key}")
        return found
    if isinstance(engine, list) and isinstance(expected, list):
        if len(engine) != len(expected):
            return [f"{path}: engine {engine!r} oracle {expected!r}"]
        found = []
        for index, (left, right) in enumerate(zip(engine, expected, strict=True)):
            label = index
            if isinstance(left, dict) and "id" in left:
                label = f"{left['id']}/{left['channel']}/{left['window_days']}"
            elif isinstance(left, dict) and "marketplace" in left and "metrics" in left:
                label = left["marketplace"]
            found += differences(left, right, f"{path}[{label}]")
        return found
    if engine != expected or type(engine) is not type(expected):
        return [f"{path}: engine {engine!r} oracle {expected!r}"]
    return []


KEPT_SQL = SqlPlans()
"""One in-memory plan cache for every account here: templates compiled for one as-of date are
rendered for the others, as a later process renders what an earlier one kept."""


def check(rows: dict[str, list[Row]], options: dict[str, Any]) -> int:
    """Compare engine and oracle on one account; return the number of rows compared.

    The engine runs twice: as ibis expressions on memtables and as the kept SQL of
    :mod:`goodstanding.sqlplans` on Parquet files (what ``Workspace.health`` runs on DuckDB).
    """
    expected = oracle.compute(rows, account="acme", **options)
    tables = {name: ibis.memtable(arrow(name, table_rows)) for name, table_rows in rows.items()}
    metrics = [m for b in expected["marketplaces"] for m in b["metrics"]]
    with tempfile.TemporaryDirectory() as scratch:
        views = sql_tables(rows, Path(scratch), KEPT_SQL)
        try:
            for source in (tables, views):
                if metrics and all(m["denominator"] == 0 for m in metrics):
                    with pytest.raises(DataError):
                        compute_health(source, account="acme", **options)
                    continue
                engine = compute_health(source, account="acme", **options)
                found = differences(comparable(engine), comparable(expected))
                assert not found, "\n".join(found[:40])
        finally:
            views.close()
    return sum(len(table_rows) for table_rows in rows.values())


RANDOM_SEEDS = range(1, 41)


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_health_equals_oracle_on_random_account(seed: int) -> None:
    rows, options = random_account(seed, orders=150 + (seed * 37) % 600)
    check(rows, options)


def test_health_equals_oracle_on_demo_account(settings: Any, tmp_path: Path) -> None:
    demo = pytest.importorskip("goodstanding.demo")
    if not hasattr(demo, "write_demo"):
        pytest.skip("goodstanding.demo.write_demo is not written yet")
    from goodstanding.workspace import Workspace

    files = demo.write_demo(tmp_path / "demo", orders=3000, seed=7, as_of=BASE)
    with Workspace.open(settings) as workspace:
        workspace.ingest(sorted(files.files.values()), account="demo")
        tables = workspace.tables("demo")
        rows = {name: table.to_pyarrow().to_pylist() for name, table in tables.items()}
        for as_of in (None, files.as_of - timedelta(days=20)):
            engine = workspace.health("demo", as_of=as_of)
            expected = oracle.compute(rows, account="demo", as_of=as_of)
            found = differences(comparable(engine), comparable(expected))
            assert not found, "\n".join(found[:40])


# --- Through the files: offsets, date-only values and re-exported orders ------------------------

OFFSETS = (-8 * 60, -7 * 60, -5 * 60, 0, 60, 5 * 60 + 30, 9 * 60, 13 * 60)


def _iso(stamp: datetime | None, rng: random.Random) -> str:
    """A UTC instant as a seller's file may write it: date-only at the end of a day, else ISO with
    an offset that often puts the local date on another day than the UTC one."""
    if stamp is None:
        return ""
    if stamp.time() == time(23, 59, 59, 999999):
        return stamp.date().isoformat()  # §3 "a date-only value ... means by the end of that day"
    minutes = rng.choice(OFFSETS)
    local = stamp.astimezone(timezone(timedelta(minutes=minutes)))
    text = local.isoformat(timespec="microseconds" if local.microsecond else "seconds")
    return text.replace("+00:00", "Z") if minutes == 0 and rng.random() < 0.5 else text


def _write(path: Path, header: list[str], lines: list[list[str]], sep: str) -> Path:
    path.write_text(
        "\n".join(sep.join(cells) for cells in [header, *lines]) + "\n", encoding="utf-8"
    )
    return path


ORDER_COLUMNS = [
    "amazon-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
]


def _order_lines(lines: list[Row], rng: random.Random) -> list[list[str]]:
    out = []
    for row in lines:
        channel = {"afn": rng.choice(["Amazon", "AFN"]), "mfn": rng.choice(["Merchant", "MFN"])}
        out.append(
            [
                row["order_id"],
                _iso(row["purchase_at"], rng),
                _iso(row["last_updated_at"], rng),
                row["order_status"],
                channel[row["channel"]],
                row["marketplace"],
                row["sku"],
                row["asin"],
                row["item_status"],
                str(row["quantity"]),
                row["currency"],
                "" if row["item_price"] is None else f"{row['item_price']:.2f}",
            ]
        )
    return out


def write_account_files(
    rows: dict[str, list[Row]], folder: Path, rng: random.Random
) -> tuple[list[Path], list[list[Row]]]:
    """The account as report files: two order exports plus every other file it holds.

    Returns the files in import order and the canonical order rows of each export, for the
    oracle's own §2 resolution of re-exported orders.
    """
    by_order: dict[str, list[Row]] = {}
    for row in rows["orders"]:
        by_order.setdefault(row["order_id"], []).append(row)
    first: list[Row] = []
    second: list[Row] = []
    for _order_id, lines in by_order.items():
        updated = lines[0]["last_updated_at"]
        # The other version differs in status (cancelled or not: it moves the denominators) and
        # in its line set.
        status = "Cancelled" if lines[0]["order_status"] != "Cancelled" else "Pending"
        stale = [
            {**line, "order_status": status, "item_status": status, "sku": f"OLD-{n}"}
            for n, line in enumerate(lines[:1] * rng.choice([1, 2]))
        ]
        chance = rng.random()
        if chance < 0.25:  # an older export first, the current line set re-exported later
            first += [{**line, "last_updated_at": updated - timedelta(hours=5)} for line in stale]
            second += lines
        elif chance < 0.35:  # the current set first; a re-export with an older update loses
            first += lines
            second += [
                {**line, "last_updated_at": updated - timedelta(seconds=1)} for line in stale
            ]
        elif chance < 0.42:  # a tie on the instant (written with other offsets): later file wins
            first += [{**line, "last_updated_at": updated} for line in stale]
            second += lines
        else:
            first += lines
    files = [
        _write(folder / "orders-1.txt", ORDER_COLUMNS, _order_lines(first, rng), "\t"),
        _write(folder / "orders-2.txt", ORDER_COLUMNS, _order_lines(second, rng), "\t"),
    ]

    def yes_no(value: bool | None, yes: str = "Y", no: str = "N") -> str:
        return "" if value is None else (yes if value else no)

    writers: dict[str, tuple[list[str], Any, str]] = {
        "feedback": (
            ["Date", "Rating", "Comments", "Your Response", "Order ID", "Rater Email"],
            lambda r: [r["feedback_date"].isoformat(), str(r["rating"]), "", "", r["order_id"], ""],
            "\t",
        ),
        "cancellations": (
            ["Order Date", "Order ID", "Impacts Account Health"],
            lambda r: [
                r["order_date"].isoformat(),
                r["order_id"],
                yes_no(r["impacts_account_health"], "Yes", "No"),
            ],
            ",",
        ),
        "claims": (
            ["order-id", "claim-id", "filed-at", "reason", "status", "buy-shipping"],
            lambda r: [
                r["order_id"],
                r["claim_id"],
                _iso(r["filed_at"], rng),
                r["reason"],
                r["status"],
                yes_no(r["buy_shipping"]),
            ],
            ",",
        ),
        "chargebacks": (
            ["order-id", "chargeback-id", "filed-at", "reason", "status"],
            lambda r: [
                r["order_id"],
                r["chargeback_id"],
                _iso(r["filed_at"], rng),
                r["reason"],
                r["status"],
            ],
            ",",
        ),
        "shipments": (
            [
                "order-id",
                "expected-ship-date",
                "ship-confirmed-at",
                "carrier",
                "tracking-id",
                "first-carrier-scan-at",
                "promised-delivery-date",
                "delivered-at",
                "units",
            ],
            lambda r: [
                r["order_id"],
                _iso(r["expected_ship_at"], rng),
                _iso(r["ship_confirmed_at"], rng),
                r["carrier"] or "",
                r["tracking_id"] or "",
                _iso(r["first_carrier_scan_at"], rng),
                _iso(r["promised_delivery_at"], rng),
                _iso(r["delivered_at"], rng),
                str(r["units"]),
            ],
            ",",
        ),
        "messages": (
            ["message-id", "received-at", "order-id", "first-response-at", "no-response-needed"],
            lambda r: [
                r["message_id"],
                _iso(r["received_at"], rng),
                r["order_id"] or "",
                _iso(r["first_response_at"], rng),
                yes_no(r["no_response_needed"]),
            ],
            ",",
        ),
    }
    for name, (header, cells, sep) in writers.items():
        if name in rows:
            suffix = "txt" if sep == "\t" else "csv"
            lines = [cells(r) for r in rows[name]]
            files.append(_write(folder / f"{name}.{suffix}", header, lines, sep))
    return files, [first, second]


FILE_SEEDS = (101, 102, 103, 104)


@pytest.mark.parametrize("seed", FILE_SEEDS)
def test_health_through_files_equals_oracle(settings: Any, tmp_path: Path, seed: int) -> None:
    from goodstanding.workspace import Workspace

    rows, options = random_account(seed, orders=300)
    if "shipments" in rows:
        # The natural key of a shipments row is (order id, tracking id): keep one per key.
        seen: set[tuple[str, str | None]] = set()
        unique = []
        for row in rows["shipments"]:
            if (row["order_id"], row["tracking_id"]) not in seen:
                seen.add((row["order_id"], row["tracking_id"]))
                unique.append(row)
        rows["shipments"] = unique
    folder = tmp_path / "files"
    folder.mkdir()
    files, exports = write_account_files(rows, folder, random.Random(seed))
    expected_rows = {**rows, "orders": oracle.current_orders(exports)}
    assert sorted(r["order_id"] for r in expected_rows["orders"]) == sorted(
        r["order_id"] for r in rows["orders"]
    )
    expected = oracle.compute(expected_rows, account="acme", **options)
    with Workspace.open(settings) as workspace:
        for path in files:
            workspace.ingest([path], account="acme")
        engine = workspace.health("acme", **options)
    found = differences(comparable(engine), comparable(expected))
    assert not found, "\n".join(found[:40])


@pytest.mark.spark
def test_health_on_spark_equals_oracle(spark_backend: Any, tmp_path: Path) -> None:
    rows, options = random_account(7, orders=400)
    expected = oracle.compute(rows, account="acme", **options)
    bound = spark_tables(
        spark_backend, {name: arrow(name, r) for name, r in rows.items()}, tmp_path, "oracle7"
    )
    engine = compute_health(bound, account="acme", **options)
    found = differences(comparable(engine), comparable(expected))
    assert not found, "\n".join(found[:40])
