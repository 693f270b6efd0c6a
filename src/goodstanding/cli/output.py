"""Shared output for every command: one JSON document on stdout, everything else on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from goodstanding.errors import GoodstandingError

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


TABLE_ROWS = 200
"""Up to this many rows a list is drawn as a table; a longer one is printed as plain columns,
which a terminal shows at once (drawing thousands of table rows takes seconds)."""


def print_rows(title: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """A titled list on stdout: a table up to :data:`TABLE_ROWS` rows, plain columns beyond."""
    if len(rows) <= TABLE_ROWS:
        table = Table(*header, title=title, title_justify="left")
        for row in rows:
            table.add_row(*row)
        stdout.print(table)
        return
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [title, f"{len(rows):,} rows"]
    for row in (header, *rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    # Written as it is: no markup, highlighting or wrapping to work out line by line.
    stdout.out("\n".join(line.rstrip() for line in lines), highlight=False)


class OutputFormat(StrEnum):
    """The ``--format`` of commands that print a result."""

    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="text for people, json for scripts.")
]
"""The ``--format text|json`` option every reporting command takes."""

AccountOption = Annotated[str, typer.Option("--account", "-a", help="Account name.")]
"""The ``--account NAME`` option."""


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or exit 2 (wrong usage) with a clear message."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date like 2026-11-24.", code=2)


def file_or_stdin(source: str) -> Path | bytes:
    """A ``FILE|-`` argument: the path, or the bytes of stdin for ``-``."""
    return sys.stdin.buffer.read() if source == "-" else Path(source)


def emit_json(document: Any) -> None:
    """Write exactly one JSON document to stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear message on stderr and exit with ``code``."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn goodstanding's errors into one message on stderr and exit code 1."""
    try:
        yield
    except GoodstandingError as error:
        fail(_escape(str(error)))


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def command(function: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a command so that goodstanding's errors exit 1 with one message."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with user_errors():
            return function(*args, **kwargs)

    return wrapper
