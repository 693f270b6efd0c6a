"""A progress bar on stderr for imports of large files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from goodstanding.cli.output import stderr

LARGE_FILE_BYTES = 4 * 1024 * 1024


@contextmanager
def ingest_progress(paths: Sequence[Path]) -> Iterator[Callable[[Path, int, int], None] | None]:
    """Yield a progress callback ``(path, bytes_done, bytes_total)`` when a file is large."""
    sizes = [p.stat().st_size for p in paths if p.is_file()]
    if not sizes or max(sizes) < LARGE_FILE_BYTES:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        tasks: dict[Path, TaskID] = {}

        def update(path: Path, done: int, total: int) -> None:
            if path not in tasks:
                tasks[path] = progress.add_task(path.name, total=total)
            progress.update(tasks[path], completed=done)

        yield update
