"""Health of N order lines: goodstanding vs hand-written DuckDB SQL vs a plain pandas script.

Usage:
    python bench/health.py [--rows 1000000] [--profile]
    python bench/health.py --end-to-end [--rows 2000000]
    python bench/health.py --incremental [--rows 10000000] [--daily 30000]

The account is written by ``goodstanding.demo`` (orders, its update, feedback, returns, claims,
chargebacks, shipments, messages, cancellations, the V2 report) and imported into a temporary home.
Then, each in a fresh process:

- stored data (default): goodstanding's health JSON (``Workspace.health``) against a hand-written
  DuckDB query and a straightforward pandas script over the same committed Parquet files
  (``Workspace.table_files``), both computing ODR per marketplace and channel, the 30-day late
  shipment rate and the cancel rate.
- ``--end-to-end``: import of the raw files plus the health JSON, against a hand-written DuckDB
  script reading the same raw files and computing the same three figures.
- ``--incremental``: what a user lives every day. A history of N order lines over a year (the demo
  account's last 120 days plus two older all-orders exports, each a third of the lines) is
  imported and its health computed (yesterday's look), then a daily export of 30 k lines; then
  goodstanding's health JSON, in a fresh process, against the hand-written DuckDB SQL over the
  same stored files.

The three programs' figures are compared: a benchmark of wrong answers is worth nothing.
Targets (issue 4): goodstanding <= 1.3x hand DuckDB and >= 10x faster than pandas at 1 M lines;
end to end <= 1.5x hand DuckDB at 2 M lines; incremental: health <= 1 s after a daily import of
30 k lines on a 10 M history.
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _common import Timing, report, run_child, scratch

AS_OF = date(2026, 11, 20)
ACCOUNT = "bench"
D = AS_OF
END = D + timedelta(days=1)

Figures = dict[str, dict[str, list[int]]]

# Windows of metric-conventions.md §4, as SQL literals.
WINDOWS = {
    "odr_from": (D - timedelta(days=74)).isoformat(),
    "odr_to": (D - timedelta(days=15)).isoformat(),
    "lsr_from": (D - timedelta(days=29)).isoformat(),
    "cancel_from": (D - timedelta(days=7)).isoformat(),
    "cancel_to": (D - timedelta(days=1)).isoformat(),
    "day": D.isoformat(),
    "end": END.isoformat(),
}

# The three figures in SQL, from views orders, feedback, claims, chargebacks, shipments and
# cancellations holding the canonical columns (current rows only).
FIGURES_SQL = """
CREATE TEMP TABLE order_facts AS
SELECT order_id, any_value(marketplace) AS marketplace, any_value(channel) AS channel,
       min(order_date) AS order_date, bool_or(order_status = 'Cancelled') AS cancelled
FROM orders WHERE marketplace <> 'Non-Amazon' GROUP BY order_id;

CREATE TEMP TABLE odr AS
WITH defects AS (
    SELECT order_id FROM feedback WHERE rating <= 2 AND feedback_date <= DATE '{day}'
    UNION
    SELECT order_id FROM claims
    WHERE filed_at < TIMESTAMPTZ '{end} 00:00:00+00'
      AND status NOT IN ('denied', 'withdrawn_before_decision', 'appeal_won')
      AND NOT (status = 'granted_amazon_funded' AND reason = 'item_not_received'
               AND coalesce(buy_shipping, false))
    UNION
    SELECT order_id FROM chargebacks
    WHERE filed_at < TIMESTAMPTZ '{end} 00:00:00+00'
      AND reason = 'service' AND status <> 'represented_won'
)
SELECT o.marketplace || '/' || o.channel AS k, count(d.order_id) AS n, count(*) AS total
FROM order_facts o LEFT JOIN defects d USING (order_id)
WHERE o.order_date BETWEEN DATE '{odr_from}' AND DATE '{odr_to}' AND NOT o.cancelled
GROUP BY 1;

CREATE TEMP TABLE lsr AS
WITH per_order AS (
    SELECT order_id, min(expected_ship_at) AS expected,
           bool_or(CASE WHEN ship_confirmed_at IS NOT NULL
                             AND ship_confirmed_at < TIMESTAMPTZ '{end} 00:00:00+00'
                        THEN ship_confirmed_at > expected_ship_at
                        ELSE expected_ship_at < TIMESTAMPTZ '{day} 00:00:00+00' END) AS late
    FROM shipments GROUP BY order_id
)
SELECT o.marketplace AS k, count(*) FILTER (WHERE s.late) AS n, count(*) AS total
FROM per_order s JOIN order_facts o USING (order_id)
WHERE o.channel = 'mfn' AND NOT o.cancelled
  AND CAST(timezone('UTC', s.expected) AS DATE) BETWEEN DATE '{lsr_from}' AND DATE '{day}'
GROUP BY 1;

CREATE TEMP TABLE cancel AS
SELECT o.marketplace AS k, count(c.order_id) AS n, count(*) AS total
FROM order_facts o
LEFT JOIN (SELECT DISTINCT order_id FROM cancellations WHERE impacts_account_health) c
  USING (order_id)
WHERE o.channel = 'mfn' AND o.order_date BETWEEN DATE '{cancel_from}' AND DATE '{cancel_to}'
GROUP BY 1;
"""

DUCKDB_STORED = """
import json, time
import duckdb
start = time.perf_counter()
files = {files!r}
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
def parquet(paths):
    return "read_parquet([" + ", ".join(repr(str(p)) for p in paths) + "], union_by_name=true)"
orders = files["orders"]
if len(orders) > 1:
    # A later import replaces an order's whole line set.
    con.execute(
        "CREATE VIEW orders AS SELECT * FROM " + parquet(orders) + " o WHERE NOT EXISTS ("
        "SELECT 1 FROM " + parquet(orders[1:]) + " u "
        "WHERE u.order_id = o.order_id AND u._import_seq > o._import_seq)"
    )
else:
    con.execute("CREATE VIEW orders AS SELECT * FROM " + parquet(orders))
for name in ("feedback", "claims", "chargebacks", "shipments", "cancellations"):
    con.execute(f"CREATE VIEW {{name}} AS SELECT * FROM " + parquet(files[name]))
con.execute({sql!r})
out = {{t: {{k: [n, total] for k, n, total in con.execute(f"SELECT * FROM {{t}}").fetchall()}}
       for t in ("odr", "lsr", "cancel")}}
open({out!r}, "w").write(json.dumps(out))
print("__PHASES__" + json.dumps({{"compute": time.perf_counter() - start}}))
"""

DUCKDB_RAW = """
import json, time
import duckdb
start = time.perf_counter()
raw = {raw!r}
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
def tsv(paths):
    names = ", ".join(repr(str(p)) for p in paths)
    return f"read_csv([{{names}}], delim='\\t', header=true, quote='', all_varchar=true)"
def csv(path):
    return f"read_csv({{str(path)!r}}, header=true)"
# The update export re-lists orders: the line set with the latest last-updated-date wins.
con.execute(
    "CREATE TABLE orders AS SELECT * FROM (SELECT \\"amazon-order-id\\" AS order_id, "
    "\\"sales-channel\\" AS marketplace, "
    "CASE WHEN \\"fulfillment-channel\\" IN ('Amazon', 'AFN') THEN 'afn' ELSE 'mfn' END "
    "AS channel, "
    "CAST(timezone('UTC', CAST(\\"purchase-date\\" AS TIMESTAMPTZ)) AS DATE) AS order_date, "
    "\\"order-status\\" AS order_status, "
    "CAST(\\"last-updated-date\\" AS TIMESTAMPTZ) AS updated FROM " + tsv(raw["orders"]) + ") "
    "QUALIFY updated = max(updated) OVER (PARTITION BY order_id)"
)
parts = []
for path, fmt in raw["feedback"]:
    parts.append(
        f"SELECT \\"Order ID\\" AS order_id, CAST(Rating AS INTEGER) AS rating, "
        f"CAST(strptime(Date, '{{fmt}}') AS DATE) AS feedback_date FROM " + tsv([path])
    )
con.execute("CREATE VIEW feedback AS " + " UNION ALL ".join(parts))
con.execute(
    "CREATE VIEW claims AS SELECT \\"order-id\\" AS order_id, "
    "CAST(\\"filed-at\\" AS TIMESTAMPTZ) AS filed_at, lower(reason) AS reason, "
    "lower(status) AS status, upper(CAST(\\"buy-shipping\\" AS VARCHAR)) = 'Y' AS buy_shipping "
    "FROM " + csv(raw["claims"])
)
con.execute(
    "CREATE VIEW chargebacks AS SELECT \\"order-id\\" AS order_id, "
    "CAST(\\"filed-at\\" AS TIMESTAMPTZ) AS filed_at, lower(reason) AS reason, "
    "lower(status) AS status FROM " + csv(raw["chargebacks"])
)
con.execute(
    "CREATE VIEW shipments AS SELECT \\"order-id\\" AS order_id, "
    "CAST(\\"expected-ship-date\\" AS TIMESTAMPTZ) AS expected_ship_at, "
    "CAST(\\"ship-confirmed-at\\" AS TIMESTAMPTZ) AS ship_confirmed_at FROM "
    + csv(raw["shipments"])
)
con.execute(
    "CREATE VIEW cancellations AS SELECT \\"Order ID\\" AS order_id, "
    "\\"Impacts Account Health\\" = 'Yes' AS impacts_account_health FROM "
    + csv(raw["cancellations"])
)
con.execute({sql!r})
out = {{t: {{k: [n, total] for k, n, total in con.execute(f"SELECT * FROM {{t}}").fetchall()}}
       for t in ("odr", "lsr", "cancel")}}
open({out!r}, "w").write(json.dumps(out))
print("__PHASES__" + json.dumps({{"compute": time.perf_counter() - start}}))
"""

PANDAS_STORED = """
import json, time
import pandas as pd
start = time.perf_counter()
files = {files!r}
w = {windows!r}
def read(name, columns):
    return pd.concat([pd.read_parquet(p, columns=columns) for p in files[name]], ignore_index=True)
orders = read("orders", ["order_id", "marketplace", "channel", "order_date", "order_status",
                         "_import_seq"])
if len(files["orders"]) > 1:
    latest = orders.groupby("order_id")["_import_seq"].transform("max")
    orders = orders[orders["_import_seq"] == latest]
orders = orders[orders["marketplace"] != "Non-Amazon"].copy()
orders["cancelled"] = orders["order_status"] == "Cancelled"
facts = orders.groupby("order_id").agg(
    marketplace=("marketplace", "first"), channel=("channel", "first"),
    order_date=("order_date", "min"), cancelled=("cancelled", "any"),
).reset_index()
facts["order_date"] = pd.to_datetime(facts["order_date"])
day = pd.Timestamp(w["day"])
end = pd.Timestamp(w["end"], tz="UTC")
feedback = read("feedback", ["order_id", "rating", "feedback_date"])
feedback = feedback[(feedback["rating"] <= 2)
                    & (pd.to_datetime(feedback["feedback_date"]) <= day)]
claims = read("claims", ["order_id", "filed_at", "reason", "status", "buy_shipping"])
amazon_funded = ((claims["status"] == "granted_amazon_funded")
                 & (claims["reason"] == "item_not_received")
                 & claims["buy_shipping"].fillna(False).astype(bool))
claims = claims[(claims["filed_at"] < end)
                & ~claims["status"].isin(["denied", "withdrawn_before_decision", "appeal_won"])
                & ~amazon_funded]
chargebacks = read("chargebacks", ["order_id", "filed_at", "reason", "status"])
chargebacks = chargebacks[(chargebacks["filed_at"] < end) & (chargebacks["reason"] == "service")
                          & (chargebacks["status"] != "represented_won")]
defects = set(feedback["order_id"]) | set(claims["order_id"]) | set(chargebacks["order_id"])
window = facts[(facts["order_date"] >= pd.Timestamp(w["odr_from"]))
               & (facts["order_date"] <= pd.Timestamp(w["odr_to"])) & ~facts["cancelled"]].copy()
window["defect"] = window["order_id"].isin(defects)
window["k"] = window["marketplace"] + "/" + window["channel"]
odr = window.groupby("k")["defect"].agg(["sum", "count"])
shipments = read("shipments", ["order_id", "expected_ship_at", "ship_confirmed_at"])
confirmed = shipments["ship_confirmed_at"].notna() & (shipments["ship_confirmed_at"] < end)
late_confirmed = shipments["ship_confirmed_at"] > shipments["expected_ship_at"]
overdue = shipments["expected_ship_at"] < pd.Timestamp(w["day"], tz="UTC")
shipments["late"] = (confirmed & late_confirmed) | (~confirmed & overdue)
per_order = shipments.groupby("order_id").agg(
    expected=("expected_ship_at", "min"), late=("late", "any")).reset_index()
per_order = per_order.merge(facts, on="order_id")
per_order["entry"] = per_order["expected"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
lsr = per_order[(per_order["channel"] == "mfn") & ~per_order["cancelled"]
                & (per_order["entry"] >= pd.Timestamp(w["lsr_from"])) & (per_order["entry"] <= day)]
lsr = lsr.groupby("marketplace")["late"].agg(["sum", "count"])
cancellations = read("cancellations", ["order_id", "impacts_account_health"])
seller = set(cancellations.loc[cancellations["impacts_account_health"], "order_id"])
recent = facts[(facts["channel"] == "mfn") & (facts["order_date"] >= pd.Timestamp(w["cancel_from"]))
               & (facts["order_date"] <= pd.Timestamp(w["cancel_to"]))].copy()
recent["seller"] = recent["order_id"].isin(seller)
cancel = recent.groupby("marketplace")["seller"].agg(["sum", "count"])
out = {{name: {{k: [int(r["sum"]), int(r["count"])] for k, r in frame.iterrows()}}
       for name, frame in (("odr", odr), ("lsr", lsr), ("cancel", cancel))}}
open({out!r}, "w").write(json.dumps(out))
print("__PHASES__" + json.dumps({{"compute": time.perf_counter() - start}}))
"""

GOODSTANDING_STORED = """
import json, time
from datetime import date
from pathlib import Path
import duckdb  # before the clock, as the DuckDB script imports it
from goodstanding.config import load_settings
from goodstanding.workspace import Workspace
start = time.perf_counter()
# As a CLI command opens it: one use case, then the process ends, so no result is kept.
workspace = Workspace.open(load_settings(home=Path({home!r})), remember=False)
opened = time.perf_counter()
health = workspace.health({account!r}, as_of=date.fromisoformat({day!r}))
done = time.perf_counter()
open({out!r}, "w").write(json.dumps(health))
print("__PHASES__" + json.dumps({{"open": opened - start, "health": done - opened}}))
"""

GOODSTANDING_END_TO_END = """
import json, time
from datetime import date
from pathlib import Path
from goodstanding.config import load_settings
from goodstanding.workspace import Workspace
start = time.perf_counter()
workspace = Workspace.open(load_settings(home=Path({home!r})))
opened = time.perf_counter()
workspace.ingest([Path(p) for p in {paths!r}], account={account!r})
imported = time.perf_counter()
health = workspace.health({account!r}, as_of=date.fromisoformat({day!r}))
done = time.perf_counter()
open({out!r}, "w").write(json.dumps(health))
print("__PHASES__" + json.dumps(
    {{"open": opened - start, "import": imported - opened, "health": done - imported}}))
"""

PROFILE = """
import cProfile, pstats, io
from datetime import date
from pathlib import Path
from goodstanding.config import load_settings
from goodstanding.workspace import Workspace
workspace = Workspace.open(load_settings(home=Path({home!r})))
profile = cProfile.Profile()
profile.enable()
workspace.health({account!r}, as_of=date.fromisoformat({day!r}))
profile.disable()
text = io.StringIO()
pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(30)
print(text.getvalue())
"""


def goodstanding_figures(health: dict[str, Any]) -> Figures:
    """The three compared figures out of goodstanding's health JSON."""
    figures: Figures = {"odr": {}, "lsr": {}, "cancel": {}}
    for market in health["marketplaces"]:
        name = market["marketplace"]
        for metric in market["metrics"]:
            pair = [metric["numerator"], metric["denominator"]]
            if metric["id"] == "order_defect_rate":
                figures["odr"][f"{name}/{metric['channel']}"] = pair
            elif metric["id"] == "late_shipment_rate" and metric["window_days"] == 30:
                figures["lsr"][name] = pair
            elif metric["id"] == "pre_fulfillment_cancel_rate":
                figures["cancel"][name] = pair
    return figures


def compare(label: str, ours: Figures, theirs: Figures) -> bool:
    """Print whether two programs found the same figures; True when they did."""
    if ours == theirs:
        print(f"  figures of {label}: same as goodstanding's")
        return True
    print(f"  figures of {label} DIFFER from goodstanding's:")
    for name in sorted(set(ours) | set(theirs)):
        for key in sorted(set(ours.get(name, {})) | set(theirs.get(name, {}))):
            a, b = ours.get(name, {}).get(key), theirs.get(name, {}).get(key)
            if a != b:
                print(f"    {name} {key}: goodstanding {a}, {label} {b}")
    return False


def phases(timing: Timing) -> dict[str, float]:
    """The in-process phase times a child printed."""
    line = next(x for x in timing.output.splitlines() if x.startswith("__PHASES__"))
    found: dict[str, float] = json.loads(line.removeprefix("__PHASES__"))
    return found


def inside(timing: Timing) -> Timing:
    """The same run, timed inside its process: without interpreter start and imports."""
    return Timing(timing.label, sum(phases(timing).values()), timing.peak_mb)


def setup(work: Path, rows: int, *, load: bool) -> dict[str, Any]:
    """Write the demo account (and, with ``load``, import it) in a child process.

    The parent stays small, so the children's peak memory is their own (Linux keeps the
    parent's peak across fork and exec).
    """
    code = (
        "import json, time\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from goodstanding.demo import write_demo\n"
        "t = time.perf_counter()\n"
        f"demo = write_demo(Path({str(work / 'raw')!r}), orders={rows}, seed=1, "
        f"as_of=date.fromisoformat({D.isoformat()!r}))\n"
        "out = {'files': {k: str(p) for k, p in demo.files.items()}, "
        "'write': time.perf_counter() - t}\n"
        "out['mb'] = sum(p.stat().st_size for p in demo.files.values()) / 1e6\n"
    )
    if load:
        code += (
            "from goodstanding.config import load_settings\n"
            "from goodstanding.workspace import Workspace\n"
            "t = time.perf_counter()\n"
            f"with Workspace.open(load_settings(home=Path({str(work / 'home')!r}))) as ws:\n"
            f"    ws.ingest(list(demo.files.values()), account={ACCOUNT!r})\n"
            f"    out['tables'] = {{k: [str(p) for p in v] "
            f"for k, v in ws.table_files({ACCOUNT!r}).items()}}\n"
            "out['import'] = time.perf_counter() - t\n"
        )
    code += "print('__SETUP__' + json.dumps(out))\n"
    done = run_child("setup", code)
    line = next(x for x in done.output.splitlines() if x.startswith("__SETUP__"))
    found: dict[str, Any] = json.loads(line.removeprefix("__SETUP__"))
    print(
        f"wrote {rows:,} order lines and their reports ({found['mb']:.0f} MB) "
        f"in {found['write']:.1f} s"
    )
    if load:
        print(f"imported them in {found['import']:.1f} s")
    return found


def stored(work: Path, rows: int, profile: bool) -> None:
    """Health over the stored Parquet files: goodstanding vs DuckDB SQL vs pandas."""
    home = work / "home"
    table_files = setup(work, rows, load=True)["tables"]
    sql = FIGURES_SQL.format(**WINDOWS)
    first = run_child(
        "goodstanding health, first on this home",
        GOODSTANDING_STORED.format(
            home=str(home), account=ACCOUNT, day=D.isoformat(), out=str(work / "first.json")
        ),
    )
    ours = run_child(
        "goodstanding health (Workspace.health)",
        GOODSTANDING_STORED.format(
            home=str(home), account=ACCOUNT, day=D.isoformat(), out=str(work / "health.json")
        ),
    )
    duck = run_child(
        "hand-written DuckDB SQL on the Parquet files",
        DUCKDB_STORED.format(files=table_files, sql=sql, out=str(work / "duckdb.json")),
    )
    pandas = run_child(
        "pandas script on the Parquet files",
        PANDAS_STORED.format(files=table_files, windows=WINDOWS, out=str(work / "pandas.json")),
    )
    runs = [duck, ours, first, pandas]
    report(f"health of {rows:,} order lines, stored data: whole process", runs, duck.label)
    print(
        "  (the first health on a home compiles the metrics' ibis expressions and keeps the SQL;\n"
        "   every later process, whatever the data or the as-of date, runs the kept SQL)"
    )
    report(
        "the same, timed inside each process (no interpreter start, no imports)",
        [inside(t) for t in runs],
        duck.label,
    )
    steps = phases(ours)
    print(f"  goodstanding: open {steps['open']:.2f} s, health {steps['health']:.2f} s")
    for label, a, b in (("whole process", ours, duck), ("inside", inside(ours), inside(duck))):
        print(f"  goodstanding / DuckDB, {label}: {a.seconds / b.seconds:.2f}x (target <= 1.3x)")
    for label, a, b in (("whole process", pandas, ours), ("inside", inside(pandas), inside(ours))):
        print(f"  pandas / goodstanding, {label}: {a.seconds / b.seconds:.1f}x (target >= 10x)")
    figures = goodstanding_figures(json.loads((work / "health.json").read_text()))
    compare("DuckDB", figures, json.loads((work / "duckdb.json").read_text()))
    compare("pandas", figures, json.loads((work / "pandas.json").read_text()))
    compare(
        "the first run",
        figures,
        goodstanding_figures(json.loads((work / "first.json").read_text())),
    )
    if profile:
        done = run_child(
            "profile", PROFILE.format(home=str(home), account=ACCOUNT, day=D.isoformat())
        )
        print("\nwhere goodstanding's health time goes (cProfile, cumulative):")
        print("\n".join(x for x in done.output.splitlines() if not x.startswith("__BENCH__")))


def end_to_end(work: Path, rows: int) -> None:
    """Import of the raw files plus health, against a DuckDB script over the raw files."""
    files = setup(work, rows, load=False)["files"]
    formats = {"feedback": "%m/%d/%y", "feedback_de": "%d.%m.%Y"}
    raw = {
        "orders": [files["orders"], files["orders_update"]],
        "feedback": [(files[k], fmt) for k, fmt in formats.items() if k in files],
        "claims": files["claims"],
        "chargebacks": files["chargebacks"],
        "shipments": files["shipments"],
        "cancellations": files["cancellations"],
    }
    sql = FIGURES_SQL.format(**WINDOWS)
    ours = run_child(
        "goodstanding import + health",
        GOODSTANDING_END_TO_END.format(
            home=str(work / "home"),
            paths=list(files.values()),
            account=ACCOUNT,
            day=D.isoformat(),
            out=str(work / "health.json"),
        ),
    )
    duck = run_child(
        "hand-written DuckDB script on the raw files",
        DUCKDB_RAW.format(raw=raw, sql=sql, out=str(work / "duckdb.json")),
    )
    report(f"end to end, {rows:,} order lines: whole process", [duck, ours], duck.label)
    report("the same, timed inside each process", [inside(duck), inside(ours)], duck.label)
    steps = phases(ours)
    print("  goodstanding: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
    for label, a, b in (("whole process", ours, duck), ("inside", inside(ours), inside(duck))):
        print(f"  goodstanding / DuckDB, {label}: {a.seconds / b.seconds:.2f}x (target <= 1.5x)")
    figures = goodstanding_figures(json.loads((work / "health.json").read_text()))
    compare("DuckDB", figures, json.loads((work / "duckdb.json").read_text()))


INCREMENTAL_SETUP = """
import json, time
from datetime import date, timedelta
from pathlib import Path
from goodstanding.config import load_settings
from goodstanding.demo import write_demo, write_orders
from goodstanding.workspace import Workspace
raw, rows, day = Path({raw!r}), {rows!r}, date.fromisoformat({day!r})
out = {{}}
t = time.perf_counter()
demo = write_demo(raw / "recent", orders=rows - 2 * (rows // 3), seed=1, as_of=day)
older = [
    write_orders(raw / f"older_{{k}}.txt", rows=rows // 3, seed=10 + k,
                 as_of=day - timedelta(days=120 * k))
    for k in (2, 1)
]
out["write"] = time.perf_counter() - t
out["mb"] = sum(p.stat().st_size for p in [*demo.files.values(), *older]) / 1e6
t = time.perf_counter()
with Workspace.open(load_settings(home=Path({home!r}))) as ws:
    # Oldest first, as the seller downloaded them over the year.
    for path in older:
        ws.ingest([path], account={account!r})
    ws.ingest(list(demo.files.values()), account={account!r})
out["import"] = time.perf_counter() - t
print("__SETUP__" + json.dumps(out))
"""

INCREMENTAL_DAILY = """
import json, time
from datetime import date
from pathlib import Path
from goodstanding.config import load_settings
from goodstanding.demo import write_orders
daily = write_orders(Path({path!r}), rows={rows!r}, seed=99, as_of=date.fromisoformat({day!r}))
from goodstanding.workspace import Workspace
start = time.perf_counter()
with Workspace.open(load_settings(home=Path({home!r}))) as ws:
    result = ws.ingest([daily], account={account!r})
    files = {{k: [str(p) for p in v] for k, v in ws.table_files({account!r}).items()}}
done = time.perf_counter()
print("__DAILY__" + json.dumps({{"files": files, "result": result.to_json()}}))
print("__PHASES__" + json.dumps({{"import": done - start}}))
"""


def incremental(work: Path, rows: int, daily: int) -> None:
    """A year of history imported, then one daily export, then health: what a user lives."""
    home = work / "home"
    done = run_child(
        "setup",
        INCREMENTAL_SETUP.format(
            raw=str(work / "raw"), rows=rows, day=D.isoformat(), home=str(home), account=ACCOUNT
        ),
    )
    line = next(x for x in done.output.splitlines() if x.startswith("__SETUP__"))
    found = json.loads(line.removeprefix("__SETUP__"))
    print(
        f"wrote a history of {rows:,} order lines over a year ({found['mb']:.0f} MB) in "
        f"{found['write']:.1f} s, imported it in {found['import']:.1f} s "
        f"(peak {done.peak_mb:.0f} MB)"
    )
    # What the user saw yesterday: the first health on this home also keeps the compiled SQL
    # and the per-order facts of each stored orders file; after the daily import only the new
    # file's facts are derived.
    yesterday = run_child(
        "goodstanding health before the daily import",
        GOODSTANDING_STORED.format(
            home=str(home), account=ACCOUNT, day=D.isoformat(), out=str(work / "before.json")
        ),
    )
    print(
        f"health before the daily import (the first on this home): {yesterday.seconds:.2f} s "
        f"whole process, {inside(yesterday).seconds:.2f} s inside, peak {yesterday.peak_mb:.0f} MB"
    )
    imported = run_child(
        f"daily import of {daily:,} order lines",
        INCREMENTAL_DAILY.format(
            path=str(work / "raw" / "daily.txt"),
            rows=daily,
            day=D.isoformat(),
            home=str(home),
            account=ACCOUNT,
        ),
    )
    line = next(x for x in imported.output.splitlines() if x.startswith("__DAILY__"))
    daily_out = json.loads(line.removeprefix("__DAILY__"))
    counts = daily_out["result"]["files"][0]
    print(
        f"daily import: {counts['rows']:,} rows, {counts['inserted']:,} inserted, "
        f"{counts['updated']:,} updated in {phases(imported)['import']:.2f} s "
        f"({imported.seconds:.2f} s whole process, peak {imported.peak_mb:.0f} MB)"
    )
    table_files = daily_out["files"]
    print(f"  orders files in the warehouse: {len(table_files['orders'])}")
    ours = run_child(
        "goodstanding health (Workspace.health)",
        GOODSTANDING_STORED.format(
            home=str(home), account=ACCOUNT, day=D.isoformat(), out=str(work / "health.json")
        ),
    )
    duck = run_child(
        "hand-written DuckDB SQL on the Parquet files",
        DUCKDB_STORED.format(
            files=table_files, sql=FIGURES_SQL.format(**WINDOWS), out=str(work / "duckdb.json")
        ),
    )
    title = f"health after a daily import of {daily:,} lines on a {rows:,}-line history"
    report(title + ": whole process", [duck, ours], duck.label)
    report("the same, timed inside each process", [inside(duck), inside(ours)], duck.label)
    steps = phases(ours)
    print(f"  goodstanding: open {steps['open']:.2f} s, health {steps['health']:.2f} s")
    print(
        f"  goodstanding health: {ours.seconds:.2f} s whole process, "
        f"{inside(ours).seconds:.2f} s inside (target <= 1 s)"
    )
    figures = goodstanding_figures(json.loads((work / "health.json").read_text()))
    compare("DuckDB", figures, json.loads((work / "duckdb.json").read_text()))


def main() -> None:
    """Parse the options and run one benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=None, help="order lines (1 M; 2 M end to end)")
    parser.add_argument("--end-to-end", action="store_true", help="import + health, raw files")
    parser.add_argument(
        "--incremental", action="store_true", help="history, then a daily import, then health"
    )
    parser.add_argument("--daily", type=int, default=30_000, help="lines of the daily import")
    parser.add_argument("--profile", action="store_true", help="cProfile goodstanding's health")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    kind = "incremental" if args.incremental else "e2e" if args.end_to_end else "stored"
    work = scratch(f"health-{kind}")
    try:
        if args.incremental:
            incremental(work, args.rows or 10_000_000, args.daily)
        elif args.end_to_end:
            end_to_end(work, args.rows or 2_000_000)
        else:
            stored(work, args.rows or 1_000_000, args.profile)
    finally:
        if args.keep:
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
