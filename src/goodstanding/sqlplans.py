"""Compiled SQL kept between processes: ibis expressions compiled once, then replayed without ibis.

Loading ibis and compiling the health queries costs more than DuckDB takes to run them on a million
order lines, and a CLI call or a web worker pays it on every fresh process. The expressions are the
only definition of every metric; this module keeps their compiled DuckDB SQL so a later process
runs the same SQL without importing ibis at all.

**Dates as parameters.** The expressions take dates (the as-of date D, from which every window is
computed, or a list of days to look up). A template is compiled with *sentinel* values for those
dates, far in the past and a thousand days apart; :meth:`Template.render` replaces every date and
timestamp literal of the SQL by the matching real date, keeping its offset from its sentinel
(``D - 74`` stays ``D - 74``). When a template is first built it is compiled a second time with
other dates (a leap day, other months) and rendered to those dates: the two texts must be equal,
so a query whose *shape* depends on a date is never kept (it is compiled afresh every time).

**Invalidation.** Templates are kept in a folder named after the versions of ibis, sqlglot and
DuckDB and a digest of goodstanding's sources that build expressions, so an upgrade or a changed
metric compiles anew; the first template kept by a new version deletes the older folders.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "SENTINELS",
    "PerFile",
    "SqlPlans",
    "SqlTables",
    "Template",
    "TemplateError",
    "fingerprint",
]

log = logging.getLogger(__name__)

_FORMAT = 1
_SPACING = 1000
"""Days between two sentinels; a literal belongs to the sentinel it lies within half of this."""
SENTINELS: tuple[date, ...] = tuple(
    date(1700, 1, 1) + timedelta(days=_SPACING * i) for i in range(40)
)
"""The sentinel value of each date parameter, in parameter order."""
_CHECK_SHIFTS = (1155, 3001, 59)
"""Days added to the sentinels for the check compile: crosses months, years and a 29 February."""

_DATE = re.compile(r"MAKE_DATE\((\d+), (\d+), (\d+)\)")
_MIDNIGHT = re.compile(r"MAKE_TIMESTAMPTZ\((\d+), (\d+), (\d+), 0, 0, 0\.0, 'UTC'\)")
_ANY_TIME = re.compile(r"MAKE_TIMESTAMP")


class TemplateError(Exception):
    """A compiled query cannot be turned into a date template (its shape depends on a date)."""


@dataclass(frozen=True)
class Template:
    """Compiled SQL whose date literals are offsets from the sentinels of ``count`` parameters."""

    sql: str
    count: int

    def render(self, dates: Sequence[date]) -> str:
        """The SQL for these parameter values (as many as the template was compiled with)."""
        if len(dates) != self.count:
            raise ValueError(f"template takes {self.count} date(s), got {len(dates)}")

        def shifted(match: re.Match[str], form: str) -> str:
            day = date(int(match[1]), int(match[2]), int(match[3]))
            index, offset = _parameter_of(day, self.count)
            real = dates[index] + timedelta(days=offset)
            return form.format(real.year, real.month, real.day)

        sql = _DATE.sub(lambda m: shifted(m, "MAKE_DATE({}, {}, {})"), self.sql)
        return _MIDNIGHT.sub(
            lambda m: shifted(m, "MAKE_TIMESTAMPTZ({}, {}, {}, 0, 0, 0.0, 'UTC')"), sql
        )


def _parameter_of(day: date, count: int) -> tuple[int, int]:
    """Which sentinel a literal derives from, and its offset in days."""
    index, rest = divmod((day - SENTINELS[0]).days + _SPACING // 2, _SPACING)
    if not 0 <= index < count:
        raise TemplateError(f"the date literal {day.isoformat()} derives from no parameter")
    return index, rest - _SPACING // 2


def make_template(build: Callable[[Sequence[date]], str], count: int) -> Template:
    """Compile ``build`` at the sentinels and check the result renders like a real compile.

    Raises:
        TemplateError: the SQL holds a literal no parameter explains, a timestamp that is not a
            midnight, or differs in shape when compiled for other dates.
    """
    if count > len(SENTINELS):
        raise TemplateError(f"{count} date parameters; at most {len(SENTINELS)}")
    template = Template(build(SENTINELS[:count]), count)
    if len(_MIDNIGHT.findall(template.sql)) != len(_ANY_TIME.findall(template.sql)):
        raise TemplateError("the SQL holds a timestamp literal that is not a UTC midnight")
    others = [
        SENTINELS[i] + timedelta(days=_CHECK_SHIFTS[i % len(_CHECK_SHIFTS)] + 7 * i)
        for i in range(count)
    ]
    if template.render(others) != build(others):
        raise TemplateError("the query's shape depends on its dates")
    return template


@cache
def fingerprint() -> str:
    """Versions of the compilers and a digest of the sources that build expressions."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"format {_FORMAT}".encode())
    for package in ("ibis-framework", "sqlglot", "duckdb"):
        digest.update(f"{package} {version(package)}\n".encode())
    root = Path(__file__).parent
    sources = [root / "tables.py", root / "sqlplans.py", root / "store" / "warehouse.py"]
    sources += sorted((root / "metrics").glob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class SqlPlans:
    """Templates by key, kept in memory and, with a directory, on disk for later processes."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._kept: dict[str, Template] = {}
        self._lock = threading.Lock()

    def template(
        self, key: Sequence[str], count: int, build: Callable[[Sequence[date]], str]
    ) -> Template | None:
        """The template of ``key``, compiled by ``build`` on first use; None when it cannot be.

        ``build(dates)`` returns the compiled SQL for ``count`` date parameters. None means the
        query must be compiled for its real dates each time (see :class:`TemplateError`).
        """
        name = hashlib.sha256(json.dumps([list(key), count]).encode()).hexdigest()[:40]
        with self._lock:
            found = self._kept.get(name)
        if found is None:
            found = self._read(name, count)
        if found is None:
            try:
                found = make_template(build, count)
            except TemplateError as error:
                log.warning("SQL of %s compiled every time: %s", "/".join(key), error)
                return None
            self._write(name, found)
        with self._lock:
            self._kept[name] = found
        return found

    def _folder(self) -> Path | None:
        # One folder per fingerprint: what an earlier version compiled is never read.
        return None if self.directory is None else self.directory / fingerprint()

    def _read(self, name: str, count: int) -> Template | None:
        folder = self._folder()
        if folder is None:
            return None
        try:
            sql = (folder / f"{name}.sql").read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            return None
        return Template(sql, count)

    def _write(self, name: str, template: Template) -> None:
        # Atomic: another process reads either no file or the whole file. A cache that cannot be
        # written (read-only home, full disk) only costs the next process a compile.
        folder = self._folder()
        if folder is None:
            return
        temporary: str | None = None
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                self._forget_other_versions(folder)
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(template.sql)
            os.replace(temporary, folder / f"{name}.sql")
        except OSError as error:
            log.warning("compiled SQL not kept in %s: %s", folder, error)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    @staticmethod
    def _forget_other_versions(folder: Path) -> None:
        """Delete what other versions of goodstanding kept (an upgrade leaves it unread)."""
        for other in folder.parent.iterdir():
            if other != folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)


@dataclass(frozen=True)
class PerFile:
    """A table derived from each committed file of a canonical table, kept beside the file.

    Attributes:
        name: the derived table (its view is ``current_<name>``).
        source: the canonical table it is derived from.
        group: the column whose later version replaces an earlier one, as the source's group.
        sql: compiles the derivation: SQL reading a view ``lines`` holding one file's rows.
        sort: the column the kept file is sorted by, so filters on it skip row groups.
    """

    name: str
    source: str
    group: str
    sql: Callable[[], str]
    sort: str | None = None


@dataclass
class SqlTables:
    """The canonical tables as views ``current_<table>`` of a DuckDB connection.

    What the warehouse hands the metrics when they may run kept SQL instead of ibis expressions:
    ``imported`` names the tables present (as ``tables()`` keys would), ``derived`` the
    :class:`PerFile` tables it could keep, ``plans`` keeps the compiled templates.
    """

    connection: Any
    imported: frozenset[str]
    plans: SqlPlans
    derived: frozenset[str] = frozenset()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one query and return its rows as tuples."""
        rows: list[tuple[Any, ...]] = self.connection.execute(sql).fetchall()
        return rows

    def records(self, sql: str) -> list[dict[str, Any]]:
        """Run one query and return its rows as dicts keyed by column name."""
        cursor = self.connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()
