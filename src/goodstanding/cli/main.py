"""The ``goodstanding`` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

from goodstanding import __version__

app = typer.Typer(
    name="goodstanding",
    help="Keep Amazon seller and vendor accounts in good standing, and get suspended ones back.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


def _register() -> None:
    # Each module adds its commands to `app` (one module per command group).
    from goodstanding.cli import (  # noqa: F401
        appeal,
        case,
        evidence,
        foundation,
        health,
        knowledge,
        notice,
        risk,
        users,
    )


def main() -> None:
    """Run the CLI (console script entry point)."""
    _register()
    app()
