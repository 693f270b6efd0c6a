"""Results of read-only use cases are kept until the account's data changes."""

from __future__ import annotations

import gc
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from goodstanding.config import Settings
from goodstanding.workspace import Workspace
from goodstanding.workspace.memo import ResultCache, paused_gc

AS_OF = date(2026, 11, 20)


def _orders(directory: Path, rows: int, seed: int) -> Path:
    from goodstanding.demo import write_orders

    directory.mkdir(parents=True, exist_ok=True)
    return write_orders(
        directory / "orders.txt", rows=rows, seed=seed, as_of=AS_OF, marketplaces=("Amazon.com",)
    )


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import goodstanding.metrics as metrics

    calls: list[str] = []
    original = metrics.evaluate

    def evaluate(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["account"])
        return original(*args, **kwargs)

    monkeypatch.setattr(metrics, "evaluate", evaluate)
    return calls


def test_health_is_computed_once_while_the_data_stays_the_same(
    settings: Settings, tmp_path: Path, counted: list[str]
) -> None:
    with Workspace.open(settings) as workspace:
        workspace.ingest([_orders(tmp_path / "a", 60, 1)], account="acme")

        first = workspace.health("acme")
        second = workspace.health("acme")
        other_day = workspace.health("acme", as_of=date(2026, 11, 1))

    assert counted == ["acme", "acme"]
    first.pop("generated_at")
    second.pop("generated_at")
    assert first == second
    assert other_day["as_of"] == "2026-11-01"


def test_a_one_shot_workspace_keeps_nothing(
    settings: Settings, tmp_path: Path, counted: list[str]
) -> None:
    with Workspace.open(settings) as workspace:
        workspace.ingest([_orders(tmp_path / "a", 60, 1)], account="acme")
        kept = workspace.health("acme")
    with Workspace.open(settings, remember=False) as command:
        first = command.health("acme")
        second = command.health("acme")
        assert "_results" not in command.__dict__

    assert counted == ["acme", "acme", "acme"]
    for document in (kept, first, second):
        document.pop("generated_at")
    assert first == second == kept


def test_an_import_makes_the_next_health_compute_afresh(
    settings: Settings, tmp_path: Path, counted: list[str]
) -> None:
    with Workspace.open(settings) as workspace, Workspace.open(settings) as other_process:
        workspace.ingest([_orders(tmp_path / "a", 60, 1)], account="acme")
        workspace.health("acme")

        other_process.ingest([_orders(tmp_path / "b", 30, 2)], account="acme")
        workspace.health("acme")

    assert counted == ["acme", "acme"]


def test_changing_a_returned_document_changes_nothing_kept(
    settings: Settings, tmp_path: Path
) -> None:
    with Workspace.open(settings) as workspace:
        workspace.ingest([_orders(tmp_path / "a", 60, 1)], account="acme")
        first = workspace.health("acme")
        first["account"] = "changed"
        first.clear()

        again = workspace.health("acme")

    assert again["account"] == "acme"


def test_removed_account_is_not_found_even_when_its_health_was_kept(
    settings: Settings, tmp_path: Path
) -> None:
    from goodstanding.errors import NotFoundError

    with Workspace.open(settings) as workspace:
        workspace.ingest([_orders(tmp_path / "a", 60, 1)], account="acme")
        workspace.health("acme")
        workspace.remove_account("acme")

        with pytest.raises(NotFoundError):
            workspace.health("acme")


def test_concurrent_callers_of_one_key_wait_for_one_computation() -> None:
    cache = ResultCache()
    started = threading.Event()
    release = threading.Event()
    calls: list[int] = []
    results: list[int] = []

    def compute() -> int:
        calls.append(1)
        started.set()
        release.wait(5)
        return 42

    def ask() -> None:
        results.append(cache.get("key", compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    started.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)

    assert (calls, results) == ([1], [42] * 8)


def test_cache_keeps_at_most_its_limit_dropping_the_oldest() -> None:
    cache = ResultCache(limit=2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key.upper())

    assert cache.get("a", lambda: "again") == "again"
    assert cache.get("c", lambda: "again") == "C"


def test_paused_gc_holds_the_collector_off_until_the_last_pause_ends() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_gc_resumes_the_collector_after_an_error() -> None:
    with pytest.raises(ValueError, match="boom"), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_paused_gc_leaves_a_collector_disabled_before_it_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_health_runs_with_the_collector_held_off(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import goodstanding.metrics as metrics

    seen: list[bool] = []
    original = metrics.evaluate

    def evaluate(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(metrics, "evaluate", evaluate)
    with Workspace.open(settings) as workspace:
        workspace.ingest([_orders(tmp_path, 50, 1)], account="shop")
        workspace.health("shop", as_of=AS_OF)
    assert seen == [False]
    assert gc.isenabled()
