"""Splitting chunks into rows: Arrow's fast path agrees with the exact Python path."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodstanding.errors import ReportFormatError
from goodstanding.ingest.rows import Splitter
from goodstanding.ingest.source import Chunk

HEADER = ("a", "b", "c")


def chunk(data: bytes, start: int = 0) -> Chunk:
    return Chunk(data, start, len(data), memoryview(data), len(data))


def both_ways(splitter: Splitter, data: bytes) -> tuple[pa.Table, list[int], pa.Table, list[int]]:
    piece = chunk(data)
    split = splitter.split(piece)
    fast = splitter.rows(split, 10)
    exact = splitter.split_exactly(piece, 10)
    return fast.table, fast.lines.to_pylist(), exact.table, exact.lines.to_pylist()


def test_fast_path_handles_blank_lines_without_the_exact_path() -> None:
    splitter = Splitter(Path("f.txt"), HEADER, "\t", quoting=False)
    data = b"1\t2\t3\n\n4\t5\t6\r\n\r\n\n7\t8\t9"
    split = splitter.split(chunk(data))
    assert split.table is not None, "blank lines should not need the slow path"
    rows = splitter.rows(split, 10)
    assert rows.lines.to_pylist() == [10, 12, 15]
    assert rows.table.column("c0").to_pylist() == ["1", "4", "7"]
    assert rows.table.column("c2").to_pylist() == ["3", "6", "9"]


@pytest.mark.parametrize(
    ("data", "line", "problem"),
    [
        (b"1\t2\t3\n4\t5\n", 11, "cut short before column 'c'"),
        (b"1\t2\t3\t4\n", 10, "4 fields"),
        (b"1\t2\t3\n4\t\xff\t6\n", 11, "not valid UTF-8"),
        (b"1\t2\x00\t3\n", 10, "NUL"),
    ],
)
def test_faulty_lines_are_named_by_the_exact_path(data: bytes, line: int, problem: str) -> None:
    splitter = Splitter(Path("f.txt"), HEADER, "\t", quoting=False)
    split = splitter.split(chunk(data))
    assert split.table is None
    with pytest.raises(ReportFormatError, match=problem) as caught:
        splitter.rows(split, 10)
    assert caught.value.line == line


def test_broken_csv_quoting_is_named() -> None:
    splitter = Splitter(Path("f.csv"), HEADER, ",", quoting=True)
    with pytest.raises(ReportFormatError, match="quote") as caught:
        splitter.rows(splitter.split(chunk(b'1,2,3\n4,"5,6\n7",8,9\n')), 2)
    assert caught.value.line == 3


def test_a_chunk_inside_a_larger_buffer_is_split_from_its_start() -> None:
    splitter = Splitter(Path("f.txt"), HEADER, "\t", quoting=False)
    data = b"a\tb\tc\n1\t2\t3\n"
    rows = splitter.rows(splitter.split(chunk(data, start=6)), 2)
    assert rows.table.to_pylist() == [{"c0": "1", "c1": "2", "c2": "3"}]


FIELD = st.text(
    alphabet=st.characters(exclude_characters="\t\n\r\x00", exclude_categories=["Cs"]),
    max_size=6,
)
ROW = st.lists(FIELD, min_size=3, max_size=3)
LINES = st.lists(st.one_of(ROW, st.just(None)), max_size=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, crlf=st.booleans(), final_newline=st.booleans())
def test_fast_and_exact_paths_agree_on_valid_tsv(
    lines: list[list[str] | None], crlf: bool, final_newline: bool
) -> None:
    splitter = Splitter(Path("f.txt"), HEADER, "\t", quoting=False)
    end = "\r\n" if crlf else "\n"
    text = end.join("" if line is None else "\t".join(line) for line in lines)
    if final_newline and text:
        text += end
    fast, fast_lines, exact, exact_lines = both_ways(splitter, text.encode("utf-8"))

    # Rows whose fields are all whitespace are dropped by the exact path (and later by the
    # reader for the fast path); compare the others.
    def keep(table: pa.Table, numbers: list[int]) -> list[tuple[int, dict[str, str]]]:
        return [
            (n, row)
            for n, row in zip(numbers, table.to_pylist(), strict=True)
            if "".join(row.values()).strip()
        ]

    assert keep(fast, fast_lines) == keep(exact, exact_lines)


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(ROW, max_size=10))
def test_fast_and_exact_paths_agree_on_quoted_csv(lines: list[list[str]]) -> None:
    splitter = Splitter(Path("f.csv"), HEADER, ",", quoting=True)

    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"') else value

    text = "".join(",".join(quote(v) for v in line) + "\n" for line in lines)
    fast, fast_lines, exact, exact_lines = both_ways(splitter, text.encode("utf-8"))
    kept = [
        (n, r)
        for n, r in zip(exact_lines, exact.to_pylist(), strict=True)
        if "".join(r.values()).strip()
    ]
    assert [
        (n, r)
        for n, r in zip(fast_lines, fast.to_pylist(), strict=True)
        if "".join(r.values()).strip()
    ] == kept
