"""Dates and times in report files (metric-conventions.md §3), parsed a whole column at a time.

Accepted: ISO-8601 date-times with or without an offset (none means UTC), ``YYYY-MM-DD``,
``DD/MM/YYYY`` and ``DD.MM.YYYY`` (European stores), ``MM/DD/YY`` and ``MM/DD/YYYY`` (US stores),
``YYYY/MM/DD``, and ``10-Jul-2025`` (returns report); day/month dates may carry a time (``14:30``).
A date without a time in a timestamp column means the end of that day (23:59:59.999999 UTC).

Whether ``03/04/2026`` is 3 April or 4 March is decided once per file, in this order:
``--date-format`` when given; else the file's own values (a first part above 12, or dots, mean
day-first; a second part above 12, or a two-digit year with slashes, mean month-first; both kinds in
one file is an error); else the account's marketplace (``types.DAY_FIRST_MARKETPLACES``). When none
of these settles an ambiguous value, the import stops and names it: goodstanding never guesses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import pyarrow as pa
import pyarrow.compute as pc

from goodstanding.errors import InputError, ReportFormatError
from goodstanding.ingest.arrays import first_failing, first_true, single
from goodstanding.types import DAY_FIRST_MARKETPLACES, MARKETPLACE_IDS

TS: Final = pa.timestamp("us", tz="UTC")

DATE_FORMATS: Final = (
    "YYYY-MM-DD",
    "DD/MM/YYYY",
    "MM/DD/YYYY",
    "DD.MM.YYYY",
    "DD/MM/YY",
    "MM/DD/YY",
    "YYYY/MM/DD",
)
"""Accepted ``--date-format`` values (case-insensitive). Only the order of day and month matters:
a day-first format reads every day/month date in the file day-first, and so on."""

_DAY_FIRST_FORMATS: Final = {"DD/MM/YYYY": True, "DD.MM.YYYY": True, "DD/MM/YY": True}
_MONTH_FIRST_FORMATS: Final = {"MM/DD/YYYY": False, "MM/DD/YY": False}

_MONTH_FIRST_MARKETPLACES: Final = frozenset(
    name.lower() for name in MARKETPLACE_IDS.values() if name not in DAY_FIRST_MARKETPLACES
)
_DAY_FIRST_LOWER: Final = frozenset(name.lower() for name in DAY_FIRST_MARKETPLACES)

# Dates outside these years are typos (0202 for 2022) or junk; Python cannot even hold year 0.
_FIRST_YEAR: Final = 1990
_LAST_YEAR: Final = 2199
_BOUNDS_DAYS: Final = (
    (dt.date(_FIRST_YEAR, 1, 1) - dt.date(1970, 1, 1)).days,
    (dt.date(_LAST_YEAR, 12, 31) - dt.date(1970, 1, 1)).days,
)
_BOUNDS_MICROSECONDS: Final = (
    _BOUNDS_DAYS[0] * 86_400_000_000,
    (_BOUNDS_DAYS[1] + 1) * 86_400_000_000 - 1,
)

_TIME = r"(?P<t>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
_ISO_ZONED: Final = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z| ?UTC|[+-]\d{2}(?::?\d{2})?)$"
)
_ISO_NAIVE: Final = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_ISO_DATE: Final = r"^\d{4}-\d{2}-\d{2}$"
_SLASH: Final = rf"^(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}|\d{{2}})(?:[ T]+{_TIME})?$"
_DOT: Final = rf"^(?P<a>\d{{1,2}})\.(?P<b>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}})(?:[ T]+{_TIME})?$"
_YMD_SLASH: Final = rf"^(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?:[ T]+{_TIME})?$"
_MONTH_NAME: Final = r"^(?P<d>\d{1,2})[- ](?P<mon>[A-Za-z]{3,9})[- ,]+(?P<y>\d{4})$"
_MONTH_NAMES: Final = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
# English month names and their usual abbreviations (Jan, Sept...), each with its month number.
_MONTH_WORDS: Final = {
    **{name: i + 1 for i, name in enumerate(_MONTH_NAMES)},
    **{name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)},
    "sept": 9,
}

_FORMAT_HINT: Final = (
    "Write dates as 2026-03-14 or 2026-03-14T09:30:00Z (ISO-8601); DD/MM/YYYY, DD.MM.YYYY, "
    "MM/DD/YYYY, MM/DD/YY and 10-Jul-2025 are read too."
)
_ORDER_HINT: Final = (
    "Pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY to say how it is written."
)

Target = Literal["timestamp", "date"]


def check_date_format(date_format: str | None) -> str | None:
    """Validate a ``--date-format`` value and return it in canonical spelling.

    Raises:
        InputError: the value is not one of :data:`DATE_FORMATS`.
    """
    if date_format is None:
        return None
    wanted = date_format.strip().upper()
    if wanted not in DATE_FORMATS:
        raise InputError(
            f"--date-format {date_format!r} is not a format goodstanding knows.",
            hint=f"Use one of: {', '.join(DATE_FORMATS)}.",
        )
    return wanted


def marketplace_day_first(marketplace: str | None) -> bool | None:
    """Whether the marketplace's stores write day-first dates; None when unknown."""
    if not marketplace:
        return None
    name = marketplace.strip().lower()
    if name in _DAY_FIRST_LOWER:
        return True
    if name in _MONTH_FIRST_MARKETPLACES:
        return False
    return None


@dataclass(frozen=True)
class Evidence:
    """A value that shows how a file writes its dates."""

    line: int
    column: str
    value: str


class DateReader:
    """Parses the date columns of one file and decides, once for the file, day/month order.

    Args:
        path: the file, for error messages.
        date_format: a canonical ``--date-format`` (see :func:`check_date_format`) or None.
        marketplace: the account's marketplace, used only when the file itself cannot tell.
        prescan: called (with this reader) at most once, when an ambiguous date needs the whole
            file's evidence; it must feed every date column of the file to :meth:`observe`.
    """

    def __init__(
        self,
        path: Path,
        *,
        date_format: str | None,
        marketplace: str | None,
        prescan: Callable[[DateReader], None],
    ) -> None:
        self.path = path
        self.date_format = date_format
        self.marketplace = marketplace
        self._prescan = prescan
        self._prescanned = False
        self.day_first_evidence: Evidence | None = None
        self.month_first_evidence: Evidence | None = None
        self.fixed: bool | None = None
        if date_format is not None:
            self.fixed = {**_DAY_FIRST_FORMATS, **_MONTH_FIRST_FORMATS}.get(date_format)

    # -- order of day and month -------------------------------------------------------------

    def observe(self, values: pa.Array, lines: pa.Array, column: str) -> None:
        """Record what a column's day/month values say about the file's date order."""
        if self.date_format is not None or len(values) == 0:
            return
        for pattern, dotted in ((_SLASH, False), (_DOT, True)):
            mask = pc.match_substring_regex(values, pattern)
            if pc.any(mask).as_py():
                self._observe_parts(values, lines, column, mask, dotted)

    def _observe_parts(
        self, values: pa.Array, lines: pa.Array, column: str, mask: pa.Array, dotted: bool
    ) -> None:
        parts = pc.extract_regex(pc.filter(values, mask), _DOT if dotted else _SLASH)
        first = pc.cast(parts.field("a"), pa.int32())
        second = pc.cast(parts.field("b"), pa.int32())
        sub_values = pc.filter(values, mask)
        sub_lines = pc.filter(lines, mask)
        if dotted:
            day = pa.repeat(pa.scalar(True), len(sub_values))
            month = pc.greater(second, 12)
        else:
            day = pc.greater(first, 12)
            two_digit_year = pc.equal(pc.utf8_length(parts.field("y")), 2)
            month = pc.or_(pc.greater(second, 12), two_digit_year)
        self._note(day, sub_values, sub_lines, column, day_first=True)
        self._note(month, sub_values, sub_lines, column, day_first=False)

    def _note(
        self, mask: pa.Array, values: pa.Array, lines: pa.Array, column: str, *, day_first: bool
    ) -> None:
        index = first_true(mask)
        if index is None:
            return
        found = Evidence(int(lines[index].as_py()), column, str(values[index].as_py()))
        current = self.day_first_evidence if day_first else self.month_first_evidence
        if current is None or found.line < current.line:
            if day_first:
                self.day_first_evidence = found
            else:
                self.month_first_evidence = found
        day, month = self.day_first_evidence, self.month_first_evidence
        if day is not None and month is not None:
            later, earlier = (day, month) if day.line >= month.line else (month, day)
            earlier_kind = "month-first" if earlier is month else "day-first"
            later_kind = "day-first" if later is day else "month-first"
            raise ReportFormatError(
                self.path,
                f"the file writes dates both {earlier_kind} (line {earlier.line}, column "
                f"'{earlier.column}': {earlier.value!r}) and {later_kind}",
                line=later.line,
                column=later.column,
                value=later.value,
                hint="Make the dates consistent, or pass --date-format DD/MM/YYYY or "
                "--date-format MM/DD/YYYY to say how the file is meant to be read.",
            )

    def _day_first(self, ambiguous: Evidence | None) -> bool:
        if self.fixed is not None:
            return self.fixed
        for _ in range(2):
            if self.day_first_evidence is not None:
                return True
            if self.month_first_evidence is not None:
                return False
            if ambiguous is None:
                return True  # no value in sight where the order changes the date
            if self._prescanned:
                break
            self._prescanned = True
            self._prescan(self)
        by_market = marketplace_day_first(self.marketplace)
        if by_market is not None:
            return by_market
        assert ambiguous is not None
        raise ReportFormatError(
            self.path,
            "the date is ambiguous: day and month could be either way round, and neither the "
            "file's other dates nor the account's marketplace says which",
            line=ambiguous.line,
            column=ambiguous.column,
            value=ambiguous.value,
            hint=_ORDER_HINT,
        )

    # -- parsing ------------------------------------------------------------------------------

    def parse(self, values: pa.Array, lines: pa.Array, column: str, target: Target) -> pa.Array:
        """Parse a trimmed string column ('' = blank → null) into UTC timestamps or dates.

        Raises:
            ReportFormatError: a value is not a date, not a valid one, or ambiguous.
        """
        blank = pc.equal(values, "")
        present = pc.if_else(blank, pa.scalar(None, pa.string()), values)
        out_type = TS if target == "timestamp" else pa.date32()
        try:
            # Fast path: Amazon's ISO-8601 times with offsets, or plain ISO dates.
            result = pc.cast(present, out_type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            result = self._parse_mixed(present, lines, column, target)
        self._check_range(result, present, lines, column)
        return result

    def _parse_mixed(
        self, values: pa.Array, lines: pa.Array, column: str, target: Target
    ) -> pa.Array:
        out_type = TS if target == "timestamp" else pa.date32()
        values, lines = single(values), single(lines)
        result = pa.nulls(len(values), out_type)
        done = pc.is_null(values)
        steps: list[tuple[str, Callable[[pa.Array, pa.Array], pa.Array]]] = [
            (_ISO_ZONED, lambda v, ln: self._zoned(v, ln, column, target)),
            (_ISO_NAIVE, lambda v, ln: self._naive(v, ln, column, target)),
            (_ISO_DATE, lambda v, ln: self._dated(pc.cast(v, pa.date32()), target)),
            (_YMD_SLASH, lambda v, ln: self._year_first(v, ln, column, target)),
            (_MONTH_NAME, lambda v, ln: self._month_name(v, ln, column, target)),
            (_SLASH, lambda v, ln: self._day_month(v, ln, column, target, dotted=False)),
            (_DOT, lambda v, ln: self._day_month(v, ln, column, target, dotted=True)),
        ]
        for pattern, convert in steps:
            mask = pc.and_(pc.invert(done), pc.match_substring_regex(values, pattern))
            mask = pc.fill_null(mask, False)
            if not pc.any(mask).as_py():
                continue
            sub = pc.filter(values, mask)
            sub_lines = pc.filter(lines, mask)
            parsed = self._guard(convert, sub, sub_lines, column)
            result = pc.replace_with_mask(result, mask, parsed)
            done = pc.or_(done, mask)
        unknown = first_true(pc.invert(done))
        if unknown is not None:
            raise ReportFormatError(
                self.path,
                "this is not a date goodstanding can read",
                line=int(lines[unknown].as_py()),
                column=column,
                value=str(values[unknown].as_py()),
                hint=_FORMAT_HINT,
            )
        return result

    def _guard(
        self,
        convert: Callable[[pa.Array, pa.Array], pa.Array],
        values: pa.Array,
        lines: pa.Array,
        column: str,
    ) -> pa.Array:
        try:
            return convert(values, lines)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        # Narrow down to the first value that does not convert, to name it.
        low = first_failing(
            len(values), lambda at, size: convert(values.slice(at, size), lines.slice(at, size))
        )
        raise ReportFormatError(
            self.path,
            "this is not a valid date (no such day or time)",
            line=int(lines[low].as_py()),
            column=column,
            value=str(values[low].as_py()),
            hint=self._invalid_hint(),
        )

    def _invalid_hint(self) -> str:
        if self.date_format is not None:
            return (
                f"Correct the value; if the file does not write dates as {self.date_format}, "
                "pass the --date-format it does use."
            )
        return "Correct the value in the file. " + _FORMAT_HINT

    def _check_range(
        self, result: pa.Array, values: pa.Array, lines: pa.Array, column: str
    ) -> None:
        if len(result) == 0 or result.null_count == len(result):
            return
        # Compared as numbers (days, or microseconds): year 0 cannot even become a Python date.
        bounds = pc.min_max(result)
        number = pa.int32() if result.type == pa.date32() else pa.int64()
        low, high = bounds["min"].cast(number).as_py(), bounds["max"].cast(number).as_py()
        first, last = _BOUNDS_DAYS if number == pa.int32() else _BOUNDS_MICROSECONDS
        if first <= low and high <= last:
            return
        as_numbers = pc.cast(result, number)
        outside = pc.or_(pc.less(as_numbers, first), pc.greater(as_numbers, last))
        index = first_true(outside)
        assert index is not None
        raise ReportFormatError(
            self.path,
            f"the date is outside the years {_FIRST_YEAR}–{_LAST_YEAR}",
            line=int(lines[index].as_py()),
            column=column,
            value=str(values[index].as_py()),
            hint="Correct the year in the file.",
        )

    # -- one converter per shape --------------------------------------------------------------

    def _dated(self, dates: pa.Array, target: Target) -> pa.Array:
        if target == "date":
            return dates
        return end_of_day(dates)

    def _zoned(self, values: pa.Array, lines: pa.Array, column: str, target: Target) -> pa.Array:
        # Arrow holds microseconds: drop digits beyond them rather than refuse the value.
        trimmed = pc.replace_substring_regex(values, r"(\.\d{6})\d+", r"\1")
        trimmed = pc.replace_substring_regex(trimmed, r" ?UTC$", "Z")
        stamps = pc.cast(trimmed, TS)
        return stamps if target == "timestamp" else pc.cast(stamps, pa.date32())

    def _naive(self, values: pa.Array, lines: pa.Array, column: str, target: Target) -> pa.Array:
        trimmed = pc.replace_substring_regex(values, r"(\.\d{6})\d+", r"\1")
        stamps = pc.cast(pc.cast(trimmed, pa.timestamp("us")), TS)  # no offset means UTC
        return stamps if target == "timestamp" else pc.cast(stamps, pa.date32())

    def _assemble(
        self, year: pa.Array, month: pa.Array, day: pa.Array, time: pa.Array, target: Target
    ) -> pa.Array:
        iso_date = pc.binary_join_element_wise(
            year, pc.utf8_lpad(month, 2, "0"), pc.utf8_lpad(day, 2, "0"), "-"
        )
        dates = pc.cast(iso_date, pa.date32())
        has_time = pc.fill_null(pc.greater(pc.utf8_length(time), 0), False)
        if target == "date" or not pc.any(has_time).as_py():
            return self._dated(dates, target)
        padded = pc.if_else(
            pc.equal(pc.utf8_slice_codeunits(time, 1, 2), ":"),
            pc.binary_join_element_wise("0", time, ""),
            time,
        )
        clock = pc.if_else(has_time, padded, "00:00")
        stamp_text = pc.binary_join_element_wise(iso_date, clock, "T")
        stamps = pc.cast(pc.cast(stamp_text, pa.timestamp("us")), TS)
        return pc.if_else(has_time, stamps, end_of_day(dates))

    def _year_first(
        self, values: pa.Array, lines: pa.Array, column: str, target: Target
    ) -> pa.Array:
        parts = pc.extract_regex(values, _YMD_SLASH)
        return self._assemble(
            parts.field("y"), parts.field("m"), parts.field("d"), _last_field(parts), target
        )

    def _month_name(
        self, values: pa.Array, lines: pa.Array, column: str, target: Target
    ) -> pa.Array:
        parts = pc.extract_regex(values, _MONTH_NAME)
        index = pc.index_in(pc.utf8_lower(parts.field("mon")), pa.array(list(_MONTH_WORDS)))
        if index.null_count:
            bad = first_true(pc.is_null(index))
            assert bad is not None
            raise ReportFormatError(
                self.path,
                "the month name is not an English month",
                line=int(lines[bad].as_py()),
                column=column,
                value=str(values[bad].as_py()),
                hint=_FORMAT_HINT,
            )
        month = pc.cast(pc.take(pa.array(list(_MONTH_WORDS.values())), index), pa.string())
        empty = pa.repeat(pa.scalar("", pa.string()), len(values))
        return self._assemble(parts.field("y"), month, parts.field("d"), empty, target)

    def _day_month(
        self, values: pa.Array, lines: pa.Array, column: str, target: Target, *, dotted: bool
    ) -> pa.Array:
        pattern = _DOT if dotted else _SLASH
        parts = pc.extract_regex(values, pattern)
        first, second, year = parts.field("a"), parts.field("b"), parts.field("y")
        if self.date_format == "YYYY-MM-DD" or self.date_format == "YYYY/MM/DD":
            raise ReportFormatError(
                self.path,
                f"the date is written day/month, not {self.date_format} as --date-format says",
                line=int(lines[0].as_py()),
                column=column,
                value=str(values[0].as_py()),
                hint=_ORDER_HINT,
            )
        ambiguous = None
        if self.fixed is None:
            self.observe(values, lines, column)
            a = pc.cast(first, pa.int32())
            b = pc.cast(second, pa.int32())
            mask = pc.and_(pc.and_(pc.less_equal(a, 12), pc.less_equal(b, 12)), pc.not_equal(a, b))
            if not dotted:
                mask = pc.and_(mask, pc.equal(pc.utf8_length(year), 4))
            index = first_true(mask)
            if index is not None:
                ambiguous = Evidence(int(lines[index].as_py()), column, str(values[index].as_py()))
        day_first = self._day_first(ambiguous)
        day, month = (first, second) if day_first else (second, first)
        # Two-digit years are this century's: Amazon's reports are all after 2000.
        full_year = pc.if_else(
            pc.equal(pc.utf8_length(year), 2), pc.binary_join_element_wise("20", year, ""), year
        )
        return self._assemble(full_year, month, day, _last_field(parts), target)


def _last_field(parts: pa.StructArray) -> pa.Array:
    """The optional time group of a day/month pattern ('' when absent)."""
    return pc.fill_null(parts.field("t"), "")


def end_of_day(dates: pa.Array) -> pa.Array:
    """The last microsecond (UTC) of each date: a date-only deadline lasts all that day."""
    midnight = pc.cast(dates, TS)
    return pc.add(midnight, pa.scalar(dt.timedelta(days=1, microseconds=-1), pa.duration("us")))
