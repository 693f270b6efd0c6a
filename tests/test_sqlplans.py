"""Kept SQL: templates render as a fresh compile would, and a later process loads no ibis."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import ibis
import pytest

from goodstanding.config import Settings
from goodstanding.metrics.health import _fact_queries, _held_days_query, _union
from goodstanding.metrics.orders import canonical_table
from goodstanding.sqlplans import SENTINELS, SqlPlans, Template, TemplateError, make_template

ALL_TABLES = (
    "orders",
    "feedback",
    "claims",
    "chargebacks",
    "shipments",
    "cancellations",
    "messages",
)


def _unbound(names: Sequence[str]) -> dict[str, ibis.Table]:
    return {name: canonical_table(name, f"current_{name}") for name in names}


def _facts_sql(names: Sequence[str], day: date) -> str:
    return str(ibis.to_sql(_union(_fact_queries(_unbound(names), day)), dialect="duckdb"))


def _days() -> list[date]:
    rng = random.Random(11)
    edges = [date(2024, 2, 29), date(2023, 3, 1), date(2025, 12, 31), date(2026, 1, 1)]
    return edges + [date(2015, 1, 1) + timedelta(days=rng.randrange(8000)) for _ in range(12)]


@pytest.mark.parametrize(
    "names",
    [ALL_TABLES, ("orders", "feedback"), ("orders", "shipments", "messages")],
    ids=["every table", "orders and feedback", "orders, shipments, messages"],
)
def test_health_template_renders_as_a_fresh_compile(names: Sequence[str]) -> None:
    template = make_template(lambda dates: _facts_sql(names, dates[0]), 1)
    # Every window of §4 is a literal of the compiled SQL: the template holds them as offsets.
    assert template.sql.count("MAKE_DATE(1700, ") + template.sql.count("MAKE_TIMESTAMPTZ(1700, ")
    for day in _days():
        assert template.render([day]) == _facts_sql(names, day), day


def test_day_list_template_renders_each_day() -> None:
    def build(dates: Sequence[date]) -> str:
        return str(ibis.to_sql(_held_days_query(_unbound(["orders"])["orders"], dates), "duckdb"))

    template = make_template(build, 3)
    days = [date(2026, 1, 31), date(2026, 2, 28), date(2027, 7, 4)]
    assert template.render(days) == build(days)
    with pytest.raises(ValueError, match="3 date"):
        template.render(days[:2])


def test_shape_depending_on_a_date_is_refused() -> None:
    orders = _unbound(["orders"])["orders"]

    def build(dates: Sequence[date]) -> str:
        query = orders.filter(orders.order_date <= dates[0])
        if dates[0].year % 2:  # a query whose shape changes with the date
            query = query.filter(orders.quantity > 1)
        return str(ibis.to_sql(query, dialect="duckdb"))

    with pytest.raises(TemplateError, match="shape"):
        make_template(build, 1)


def test_a_literal_no_parameter_explains_is_refused() -> None:
    orders = _unbound(["orders"])["orders"]

    def build(dates: Sequence[date]) -> str:
        query = orders.filter(orders.order_date.between(date(1970, 1, 1), dates[0]))
        return str(ibis.to_sql(query, dialect="duckdb"))

    with pytest.raises(TemplateError, match="1970-01-01"):
        make_template(build, 1)


def test_plans_are_kept_on_disk_for_a_later_process(tmp_path: Path) -> None:
    calls: list[Sequence[date]] = []

    def build(dates: Sequence[date]) -> str:
        calls.append(dates)
        return f"SELECT MAKE_DATE({dates[0].year}, {dates[0].month}, {dates[0].day})"

    first = SqlPlans(tmp_path / "plans").template(("test", "one"), 1, build)
    assert first is not None and len(calls) == 2  # the sentinels, then the check
    assert first.render([date(2026, 3, 1)]) == "SELECT MAKE_DATE(2026, 3, 1)"

    def never(dates: Sequence[date]) -> str:
        raise AssertionError("the kept SQL should have been read")

    again = SqlPlans(tmp_path / "plans").template(("test", "one"), 1, never)
    assert again == first
    assert len(list((tmp_path / "plans").rglob("*.sql"))) == 1
    other = SqlPlans(tmp_path / "plans").template(("test", "two"), 1, build)
    assert other is not None and len(list((tmp_path / "plans").rglob("*.sql"))) == 2


def test_an_upgrade_forgets_what_the_earlier_version_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import goodstanding.sqlplans as sqlplans

    def build(dates: Sequence[date]) -> str:
        return f"SELECT MAKE_DATE({dates[0].year}, {dates[0].month}, {dates[0].day})"

    SqlPlans(tmp_path).template(("test",), 1, build)
    (earlier,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    monkeypatch.setattr(sqlplans, "fingerprint", lambda: "a-later-version")

    SqlPlans(tmp_path).template(("test",), 1, build)

    assert [p.name for p in tmp_path.iterdir()] == ["a-later-version"]
    assert not earlier.exists()


def test_a_plan_cache_that_cannot_be_written_still_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    template = SqlPlans(blocked / "plans").template(
        ("test",), 1, lambda d: f"SELECT MAKE_DATE({d[0].year}, {d[0].month}, {d[0].day})"
    )
    assert template == Template(f"SELECT MAKE_DATE({SENTINELS[0].year}, 1, 1)", 1)


def test_a_refused_template_is_compiled_every_time(tmp_path: Path) -> None:
    plans = SqlPlans(tmp_path)
    assert plans.template(("test",), 1, lambda d: "SELECT MAKE_DATE(1970, 1, 1)") is None
    assert not list(tmp_path.rglob("*.sql"))


def test_a_later_process_runs_the_kept_sql_without_ibis(settings: Settings, tmp_path: Path) -> None:
    from goodstanding.demo import write_demo
    from goodstanding.workspace import Workspace

    demo = write_demo(tmp_path / "raw", orders=800, seed=3, as_of=date(2026, 11, 20))
    with Workspace.open(settings) as workspace:
        workspace.ingest(sorted(demo.files.values()), account="demo")
        first = workspace.health("demo")  # compiles the SQL and keeps it in the warehouse
        earlier = workspace.health("demo", as_of=date(2026, 10, 30))
        summary = workspace.summary("demo", months=3)
        review = workspace.review("demo", month="2026-10")
    script = textwrap.dedent(
        f"""
        import json, sys
        from datetime import date
        from pathlib import Path
        from goodstanding.config import load_settings
        from goodstanding.workspace import Workspace
        with Workspace.open(load_settings(home=Path({str(settings.home)!r}))) as workspace:
            latest = workspace.health("demo")
            earlier = workspace.health("demo", as_of=date(2026, 10, 30))
            summary = workspace.summary("demo", months=3)
            review = workspace.review("demo", month="2026-10")
        print(json.dumps({{"ibis": "ibis" in sys.modules, "latest": latest, "earlier": earlier,
                           "summary": summary, "review": review}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    later = json.loads(done.stdout)
    assert later["ibis"] is False
    for kept, fresh in ((later["latest"], first), (later["earlier"], earlier)):
        kept.pop("generated_at")
        fresh.pop("generated_at")
        assert kept == fresh
    assert later["summary"] == summary
    assert later["review"] == review
