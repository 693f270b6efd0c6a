"""Fixtures shared by every test: settings on a temporary home, a workspace, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from goodstanding.config import Settings, load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No test may touch the user's real data directory or a leaked environment.
    for variable in (
        "GOODSTANDING_DATABASE_URL",
        "GOODSTANDING_SECRET_KEY",
        "GOODSTANDING_BACKEND",
    ):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("GOODSTANDING_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh temporary home."""
    return load_settings(home=tmp_path / "home")


@pytest.fixture
def shared_cases() -> Iterator[Path]:
    """The folder of real cases, or a clear skip when it is absent."""
    cases = SHARED / "cases"
    if not cases.is_dir():
        pytest.skip(f"{cases} not found: checks on real cases skipped")
    yield cases
