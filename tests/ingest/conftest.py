"""Fixtures for the ingest tests: real-format report files written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from .samples import Writer


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write ``text`` to ``tmp_path / name`` in an encoding and line-end style; return the path."""

    def _write(
        name: str,
        text: str | bytes,
        *,
        encoding: str = "utf-8",
        newline: str = "\n",
    ) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.replace("\n", newline).encode(encoding))
        return path

    return _write
