"""`goodstanding health|history|summary|review` on the demo account, and their bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from goodstanding.config import load_settings
from goodstanding.demo import DemoFiles, write_demo
from goodstanding.workspace import Workspace

AS_OF = date(2026, 11, 20)
ACCOUNT = "demo-store"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return write_demo(tmp_path_factory.mktemp("demo"), orders=2000, seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory, demo: DemoFiles) -> Path:
    home = tmp_path_factory.mktemp("demo-home")
    with Workspace.open(load_settings(home=home, database_url=None)) as workspace:
        workspace.ingest(sorted(demo.files.values()), account=ACCOUNT)
    return home


@pytest.fixture
def on_demo(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOODSTANDING_HOME", str(demo_home))
    return demo_home


def _metrics(document: dict) -> list[dict]:
    return [
        {**metric, "marketplace": block["marketplace"]}
        for block in document["marketplaces"]
        for metric in block["metrics"]
    ]


def test_health_json_follows_the_contract(cli, on_demo: Path) -> None:
    document = cli.json("health", "--account", ACCOUNT, "--as-of", AS_OF.isoformat())
    assert document["account"] == ACCOUNT
    assert document["as_of"] == AS_OF.isoformat()
    assert {"marketplaces", "coverage", "unmatched", "amazon_reported", "generated_at"} <= set(
        document
    )
    metrics = _metrics(document)
    assert {m["marketplace"] for m in metrics} == {"Amazon.com", "Amazon.de"}
    for metric in metrics:
        assert isinstance(metric["window_days"], int)
        assert metric["numerator"] <= metric["denominator"]
        if metric["denominator"]:
            assert metric["value"] == pytest.approx(metric["numerator"] / metric["denominator"])
        assert {"clean_orders_needed", "defects_ageing_out", "expected_ok_date"} <= set(
            metric["recovery"]
        )
    assert any(m["status"] == "breach" for m in metrics)
    assert any(m["status"] == "ok" for m in metrics)


def test_health_is_a_pure_function_of_data_and_date(cli, on_demo: Path) -> None:
    first = cli.json("health", "--account", ACCOUNT, "--as-of", AS_OF.isoformat())
    second = cli.json("health", "--account", ACCOUNT, "--as-of", AS_OF.isoformat())
    first.pop("generated_at")
    second.pop("generated_at")
    assert first == second


def test_health_sets_amazons_figures_beside_ours_on_the_snapshot_date(cli, on_demo: Path) -> None:
    document = cli.json("health", "--account", ACCOUNT, "--as-of", AS_OF.isoformat())
    assert document["amazon_reported"], "the demo imports a performance_v2 report dated D"
    earlier = cli.json("health", "--account", ACCOUNT, "--as-of", "2026-11-10")
    assert earlier["amazon_reported"] == []


def test_health_marketplace_filter_keeps_one_marketplace(cli, on_demo: Path) -> None:
    document = cli.json("health", "--account", ACCOUNT, "--marketplace", "Amazon.de")
    assert [block["marketplace"] for block in document["marketplaces"]] == ["Amazon.de"]


def test_health_text_shows_a_breach_in_words(cli, on_demo: Path) -> None:
    shown = cli("health", "--account", ACCOUNT, "--as-of", AS_OF.isoformat()).stdout
    assert "BREACH" in shown
    assert " of " in shown  # "n of N orders"


def test_health_details_lists_the_orders_behind_a_metric(cli, on_demo: Path) -> None:
    document = cli.json("health", "--account", ACCOUNT, "--as-of", AS_OF.isoformat())
    defect = next(
        d for m in _metrics(document) if m["id"] == "order_defect_rate" for d in m["defects"]
    )
    shown = cli(
        "health",
        "--account",
        ACCOUNT,
        "--as-of",
        AS_OF.isoformat(),
        "--details",
        "order_defect_rate",
    ).stdout
    assert defect["order_id"] in shown


def test_health_unknown_marketplace_exits_1_naming_the_known_ones(cli, on_demo: Path) -> None:
    result = cli("health", "--account", ACCOUNT, "--marketplace", "Amazon.fr", code=1)
    assert "Amazon.fr" in result.stderr
    assert "Amazon.com" in result.stderr


def test_health_as_of_without_data_exits_1(cli, on_demo: Path) -> None:
    result = cli("health", "--account", ACCOUNT, "--as-of", "2019-01-01", code=1)
    assert "2019-01-01" in result.stderr


def test_health_bad_date_is_a_usage_error(cli, on_demo: Path) -> None:
    cli("health", "--account", ACCOUNT, "--as-of", "20/11/2026", code=2)


def test_health_unknown_account_exits_1(cli) -> None:
    result = cli("health", "--account", "nobody", code=1)
    assert "nobody" in result.stderr


def test_health_of_an_account_with_only_feedback_exits_1(cli, demo: DemoFiles) -> None:
    cli("ingest", str(demo.files["feedback"]), "--account", "fb-only")
    result = cli("health", "--account", "fb-only", code=1)
    assert "orders" in result.stderr


def test_history_lists_amazons_snapshot_series(cli, on_demo: Path) -> None:
    series = cli.json("history", "--account", ACCOUNT, "--metric", "order_defect_rate")
    assert series["points"]
    assert {point["id"] for point in series["points"]} == {"order_defect_rate"}
    assert all(point["as_of"] == AS_OF.isoformat() for point in series["points"])


def test_summary_json_has_months_per_marketplace(cli, on_demo: Path) -> None:
    document = cli.json("summary", "--account", ACCOUNT, "--months", "3")
    assert document["account"] == ACCOUNT
    assert len({row["month"] for row in document["months"]}) == 3
    assert sum(row["orders"] for row in document["months"]) > 0
    assert document["notes"], "the summary says what the feedback report cannot tell"
    assert "summary" in cli("summary", "--account", ACCOUNT).stdout


def test_review_groups_returns_and_feedback_with_top_causes(cli, on_demo: Path) -> None:
    document = cli.json("review", "--account", ACCOUNT, "--month", "2026-10")
    assert document["month"] == "2026-10"
    assert document["groups"]["returns_by_reason"]
    assert document["top_causes"]
    cli("review", "--account", ACCOUNT, "--month", "2026-10")


def test_review_bad_month_exits_1(cli, on_demo: Path) -> None:
    result = cli("review", "--account", ACCOUNT, "--month", "October", code=1)
    assert "October" in result.stderr


def test_health_text_groups_thousands_so_big_counts_read_at_a_glance() -> None:
    from goodstanding.cli import health as health_command
    from goodstanding.cli.output import stdout

    metric = {
        "id": "order_defect_rate",
        "channel": "mfn",
        "window_days": 60,
        "value": 6233 / 393191,
        "target": {"op": "<", "value": 0.01},
        "status": "breach",
        "numerator": 6233,
        "denominator": 393191,
        "recovery": {"clean_orders_needed": 230110, "expected_ok_date": "2026-12-13"},
    }
    document = {
        "account": "big",
        "as_of": "2026-11-20",
        "marketplaces": [{"marketplace": "Amazon.com", "metrics": [metric]}],
        "coverage": [],
        "unmatched": [],
        "amazon_reported": [],
    }
    width = stdout.width
    stdout.width = 200  # one line per row: the phrases are not cut by cell wrapping
    try:
        with stdout.capture() as captured:
            health_command._render_health(document)
    finally:
        stdout.width = width
    shown = captured.get()
    assert "6,233 of 393,191 orders" in shown
    assert "230,110 defect-free orders needed" in shown


@pytest.mark.parametrize("count", [3, 201])
def test_details_lists_every_row_as_a_table_or_in_plain_columns(count: int) -> None:
    from goodstanding.cli import output
    from goodstanding.cli.output import stdout

    rows = [(f"111-{n:07d}-0000001", "2026-10-01", "a_to_z_claim") for n in range(count)]
    with stdout.capture() as captured:
        output.print_rows("Amazon.com · order_defect_rate", ("order", "date", "kinds"), rows)
    shown = captured.get()
    assert all(row[0] in shown for row in rows)
    long = count > output.TABLE_ROWS
    # A long list comes as plain columns, one line per row, with its count.
    assert ("┃" not in shown and f"{count:,} rows" in shown) if long else "┃" in shown
    if long:
        assert "111-0000200-0000001  2026-10-01  a_to_z_claim" in shown.splitlines()
