"""Turning a string column of a report into canonical values, a whole column at a time.

Every check is vectorized; when a check fails, the first faulty row is found with Arrow too and
named in a :class:`~goodstanding.errors.ReportFormatError` with its file line, column header and
value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from goodstanding.errors import ReportFormatError
from goodstanding.ingest.arrays import first_failing, first_true
from goodstanding.ingest.dates import DateReader
from goodstanding.ingest.formats import CHANNELS, FLAG_FALSE, FLAG_TRUE, Column

_FLAG_WORDS = pa.array([*FLAG_TRUE, *FLAG_FALSE])
_CHANNEL_WORDS = pa.array(list(CHANNELS))
_CHANNEL_VALUES = pa.array(list(CHANNELS.values()))
_NULL_STRING = pa.scalar(None, pa.string())


@dataclass(frozen=True)
class Cell:
    """Where a column's values come from: the file line of each row and the header as written."""

    lines: pa.Array
    header: str


class ValueReader:
    """Converts the string columns of one file (see :class:`~goodstanding.ingest.formats.Kind`)."""

    def __init__(self, path: Path, dates: DateReader) -> None:
        self.path = path
        self.dates = dates

    def _error(
        self, problem: str, cell: Cell, values: pa.Array, index: int, hint: str
    ) -> ReportFormatError:
        value = values[index].as_py()
        return ReportFormatError(
            self.path,
            problem,
            line=int(cell.lines[index].as_py()),
            column=cell.header,
            value=None if value is None else str(value),
            hint=hint,
        )

    def convert(self, column: Column, raw: pa.Array, cell: Cell) -> pa.Array:
        """Convert one column of raw strings to its canonical type.

        Raises:
            ReportFormatError: naming the first faulty row.
        """
        if column.kind == "text":
            # Free text is kept as written; only an empty or all-blank cell becomes null.
            blank = pc.equal(pc.utf8_trim_whitespace(raw), "")
            self._check_blank(column, blank, raw, cell)
            return self._null_where(blank, raw)
        values = pc.utf8_trim_whitespace(raw)
        blank = pc.equal(values, "")
        self._check_blank(column, blank, values, cell)
        if column.kind in ("id", "string"):
            return self._null_where(blank, values)
        if column.kind in ("timestamp", "date"):
            return self.dates.parse(values, cell.lines, cell.header, column.kind)
        if column.kind == "int":
            return self._integers(column, self._null_where(blank, values), cell)
        if column.kind == "float":
            return self._floats(self._null_where(blank, values), cell)
        if column.kind == "flag":
            return self._flags(column, values, blank, cell)
        if column.kind == "choice":
            return self._choices(column, values, blank, cell)
        return self._channels(values, cell)

    def _null_where(self, blank: pa.Array, values: pa.Array) -> pa.Array:
        if not pc.any(blank).as_py():
            return values
        return pc.if_else(blank, _NULL_STRING, values)

    def _check_blank(self, column: Column, blank: pa.Array, values: pa.Array, cell: Cell) -> None:
        if column.nullable:
            return
        index = first_true(blank)
        if index is not None:
            raise self._error(
                "the cell is blank, but this column needs a value on every line",
                cell,
                values,
                index,
                "Fill in the value, or remove the line if it is not a real row.",
            )

    def _integers(self, column: Column, values: pa.Array, cell: Cell) -> pa.Array:
        try:
            numbers = pc.cast(values, pa.int64())
        except pa.ArrowInvalid:
            index = first_failing(
                len(values), lambda at, size: pc.cast(values.slice(at, size), pa.int64())
            )
            raise self._error(
                "this is not a whole number",
                cell,
                values,
                index,
                "Write a whole number such as 2, without decimals, units or spaces.",
            ) from None
        if len(numbers) == numbers.null_count:
            return numbers
        bounds = pc.min_max(numbers)
        low: int = bounds["min"].as_py()
        high: int = bounds["max"].as_py()
        if column.minimum is not None and low < column.minimum:
            below = first_true(pc.less(numbers, column.minimum))
            assert below is not None
            if column.minimum == 0:
                problem = f"{cell.header} cannot be negative"
                hint = "A count cannot be below 0: correct the value in the file."
            else:
                problem = f"the value is below {column.minimum}, the smallest allowed"
                hint = f"Use a whole number from {column.minimum} to {column.maximum}."
            raise self._error(problem, cell, values, below, hint)
        if column.maximum is not None and high > column.maximum:
            above = first_true(pc.greater(numbers, column.maximum))
            assert above is not None
            raise self._error(
                f"the value is above {column.maximum}, the largest allowed",
                cell,
                values,
                above,
                f"Use a whole number from {column.minimum} to {column.maximum}.",
            )
        return numbers

    def _floats(self, values: pa.Array, cell: Cell) -> pa.Array:
        try:
            numbers = pc.cast(values, pa.float64())
        except pa.ArrowInvalid:
            numbers = self._floats_with_commas(values, cell)
        finite = pc.is_finite(numbers)
        index = first_true(pc.invert(pc.fill_null(finite, True)))
        if index is not None:
            raise self._error(
                "this is not a finite amount",
                cell,
                values,
                index,
                "Write an amount such as 12.99.",
            )
        return numbers

    def _floats_with_commas(self, values: pa.Array, cell: Cell) -> pa.Array:
        # European stores may write 12,99: a comma followed by one or two digits is a decimal
        # comma (a thousands separator is followed by three).
        comma = pc.fill_null(pc.match_substring_regex(values, r"^[+-]?\d+,\d{1,2}$"), False)
        fixed = pc.if_else(comma, pc.replace_substring(values, ",", "."), values)
        try:
            return pc.cast(fixed, pa.float64())
        except pa.ArrowInvalid:
            index = first_failing(
                len(fixed), lambda at, size: pc.cast(fixed.slice(at, size), pa.float64())
            )
            raise self._error(
                "this is not an amount",
                cell,
                values,
                index,
                "Write a plain number such as 12.99, without currency signs or thousands "
                "separators.",
            ) from None

    def _flags(self, column: Column, values: pa.Array, blank: pa.Array, cell: Cell) -> pa.Array:
        index = pc.index_in(pc.utf8_lower(values), _FLAG_WORDS)
        unknown = first_true(pc.and_(pc.is_null(index), pc.invert(blank)))
        if unknown is not None:
            raise self._error(
                "this is not a yes/no value",
                cell,
                values,
                unknown,
                "Write Y or N (yes/no, true/false and 1/0 are read too).",
            )
        flags = pc.less(index, len(FLAG_TRUE))
        if column.blank is not None:
            flags = pc.fill_null(flags, column.blank)
        return flags

    def _choices(self, column: Column, values: pa.Array, blank: pa.Array, cell: Cell) -> pa.Array:
        lowered = pc.utf8_lower(values)
        known = pc.is_in(lowered, pa.array(column.allowed))
        unknown = first_true(pc.and_(pc.invert(known), pc.invert(blank)))
        if unknown is not None:
            raise self._error(
                "this value is not one goodstanding knows for this column",
                cell,
                values,
                unknown,
                f"Use one of: {', '.join(column.allowed)} (upper or lower case).",
            )
        return self._null_where(blank, lowered)

    def _channels(self, values: pa.Array, cell: Cell) -> pa.Array:
        index = pc.index_in(pc.utf8_lower(values), _CHANNEL_WORDS)
        unknown = first_true(pc.is_null(index))
        if unknown is not None:
            raise self._error(
                "this fulfillment channel is neither Amazon's (Amazon, AFN) nor the seller's "
                "(Merchant, MFN)",
                cell,
                values,
                unknown,
                "Check that this is Amazon's all-orders report; pass --type if goodstanding took "
                "the file for another report.",
            )
        return pc.take(_CHANNEL_VALUES, index)


def missing_column(column: Column, count: int) -> pa.Array:
    """The values of a column absent from the file: null, or a flag's blank default."""
    if column.kind == "flag" and column.blank is not None:
        return pa.repeat(pa.scalar(column.blank, pa.bool_()), count)
    return pa.nulls(count, _arrow_type(column))


def _arrow_type(column: Column) -> pa.DataType:
    return {
        "timestamp": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
        "int": pa.int64(),
        "float": pa.float64(),
        "flag": pa.bool_(),
    }.get(column.kind, pa.string())
