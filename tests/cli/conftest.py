"""A CLI runner on the full Typer app (every command group registered)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from goodstanding.cli.main import _register, app


class Cli:
    """Runs ``goodstanding`` in-process and checks its exit code."""

    def __init__(self) -> None:
        self.runner = CliRunner()
        _register()

    def __call__(self, *args: str, code: int = 0, input: str | bytes | None = None) -> Any:
        result = self.runner.invoke(app, list(args), input=input)
        assert result.exit_code == code, (
            f"goodstanding {' '.join(args)} exited {result.exit_code}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str, input: str | bytes | None = None) -> Any:
        """Run a ``--format json`` command and parse its one JSON document."""
        return json.loads(self(*args, "--format", "json", input=input).stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()
