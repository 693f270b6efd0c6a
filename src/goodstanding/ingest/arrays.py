"""Small vectorized helpers on Arrow arrays, used to find the first faulty row of a batch."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc


def first_true(mask: pa.Array | pa.ChunkedArray) -> int | None:
    """Index of the first true value of a boolean array (nulls count as false), or None."""
    if len(mask) == 0:
        return None
    index = pc.index(pc.fill_null(mask, False), True).as_py()
    return None if index is None or index < 0 else int(index)


def first_failing(count: int, attempt: Callable[[int, int], object]) -> int:
    """Index of the first of ``count`` values that ``attempt(offset, length)`` refuses.

    ``attempt`` converts a slice and raises an Arrow error when any value in it is bad; it must
    refuse the whole range. Bisecting with whole-slice conversions costs about two conversions of
    the array, not one Python call per value.
    """
    low, high = 0, count
    while high - low > 1:
        middle = (low + high) // 2
        try:
            attempt(low, middle - low)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            high = middle
        else:
            low = middle
    return low


def line_numbers(first: int, count: int) -> pa.Array:
    """The int64 array ``first, first + 1, ... first + count - 1``."""
    if count == 0:
        return pa.array([], pa.int64())
    ones = pa.repeat(pa.scalar(1, pa.int64()), count)
    return pc.add(pc.cumulative_sum(ones), first - 1)


def single(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array from a (possibly chunked) column."""
    if isinstance(column, pa.ChunkedArray):
        if column.num_chunks == 1:
            return column.chunk(0)
        return pa.concat_arrays(column.chunks) if column.num_chunks else pa.array([], column.type)
    return column
