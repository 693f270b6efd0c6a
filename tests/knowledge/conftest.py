"""Fixtures of the knowledge tests: the packaged knowledge, and a writable copy of its files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from goodstanding.knowledge import DATA_DIR, Knowledge

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
"""../shared/reference, the sources every rule cites (may be absent outside the workspace)."""


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The knowledge shipped in the package, loaded once per test session."""
    return Knowledge.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the packaged structure files and English texts, safe to break.

    Only English is copied, so each load stays fast however many translations ship; tests that
    need another language copy ``text/en`` under its code.
    """
    root = tmp_path / "knowledge"
    root.mkdir()
    shutil.copy2(DATA_DIR / "general.yaml", root / "general.yaml")
    shutil.copytree(DATA_DIR / "families", root / "families")
    shutil.copytree(DATA_DIR / "text" / "en", root / "text" / "en")
    return root


Edit = Callable[[Path, str, str], int]


@pytest.fixture
def edit() -> Edit:
    """Replace the first ``old`` by ``new`` in a file; returns the 1-based line of the change."""

    def apply(path: Path, old: str, new: str) -> int:
        text = path.read_text(encoding="utf-8")
        position = text.index(old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return text.count("\n", 0, position) + 1

    return apply


@pytest.fixture
def reference_text() -> str:
    """The text of amazon-account-health.md, or a clear skip when ../shared is absent."""
    path = REFERENCE / "amazon-account-health.md"
    if not path.is_file():
        pytest.skip(f"{path} not found: checks of citations against the reference skipped")
    return path.read_text(encoding="utf-8")
