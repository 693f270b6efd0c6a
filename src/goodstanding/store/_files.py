"""File-system plumbing of the warehouse: inter-process locks, fsync, atomic small writes."""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from goodstanding.errors import StoreError


class FileLock:
    """An exclusive lock on a file, held until released or until the holding process dies.

    The operating system drops the lock when the process ends, even on kill -9, which is what
    tells a later process that leftovers under this lock belong to nobody. Locks taken through two
    separate ``FileLock`` objects exclude each other even inside one process (threads).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, *, blocking: bool = True) -> bool:
        """Take the lock; without ``blocking``, return False at once when another holder has it."""
        if self._fd is not None:
            raise StoreError(f"The lock {self.path} is already held by this object.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            taken = _lock(fd, blocking=blocking)
        except OSError as error:
            os.close(fd)
            raise StoreError(
                f"Cannot lock {self.path}: {error.strerror or error}.",
                hint="Check the permissions of the goodstanding home.",
            ) from None
        if not taken:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Give the lock back (closing the descriptor releases it)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int, *, blocking: bool) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if blocking else msvcrt.LK_NBLCK, 1)
        except OSError:
            if blocking:
                raise
            return False
        return True

    def fsync_directory(path: Path) -> None:
        """Make renames inside ``path`` durable (Windows commits them with the file)."""

else:
    import fcntl

    def _lock(fd: int, *, blocking: bool) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def fsync_directory(path: Path) -> None:
        """Make the entries created or renamed inside ``path`` durable."""
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a written file's content to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write a small JSON file atomically and durably (temporary file, fsync, rename)."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(document, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    fsync_directory(path.parent)


@contextmanager
def replaced_when_written(path: Path) -> Iterator[Path]:
    """A temporary path to write; it replaces ``path`` when the block ends without error.

    For derived files that concurrent readers may each write: every writer has its own temporary
    name, the rename is atomic, and nothing is left behind on failure. Not fsynced: a derived file
    lost in a crash is derived again.
    """
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_json(path: Path) -> dict[str, Any]:
    """Read a file written by :func:`write_json`; an absent file reads as ``{}``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    document = json.loads(text)
    if not isinstance(document, dict):
        raise StoreError(f"{path} is not a goodstanding manifest.")
    return document
