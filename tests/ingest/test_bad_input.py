"""The bad-input corpus: every kind of broken file gives a ReportFormatError that names the file,
where the fault is, and what to do."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from goodstanding.errors import ReportFormatError
from goodstanding.ingest import read_report

from .samples import orders_text, rows_of

GOOD = orders_text([{"amazon-order-id": "111-1"}, {"amazon-order-id": "111-2"}])


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _replace_line(number: int, line: str) -> bytes:
    lines = GOOD.split("\n")
    lines[number - 1] = line
    return "\n".join(lines).encode("utf-8")


def _cell(line: int, column: str, value: str) -> bytes:
    lines = GOOD.split("\n")
    header = lines[0].split("\t")
    cells = lines[line - 1].split("\t")
    cells[header.index(column)] = value
    lines[line - 1] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Case:
    """A broken file, and what its error must say."""

    content: bytes | Callable[[], bytes]
    words: tuple[str, ...]
    line: int | None = None
    column: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    def bytes(self) -> bytes:
        return self.content() if callable(self.content) else self.content


CORPUS = {
    "zero-bytes": Case(b"", ("empty", "0 bytes")),
    "only-blank-lines": Case(b"\n\r\n  \n", ("no header",)),
    "binary": Case(bytes(range(256)) * 4, ("binary",), line=1),
    "xlsx": Case(_xlsx, ("Excel", "CSV UTF-8")),
    "gzip": Case(lambda: gzip.compress(GOOD.encode()), ("gzip", "gunzip")),
    "pdf": Case(b"%PDF-1.7\n%...", ("PDF",)),
    "utf32": Case("\ufeffa\tb\n".encode("utf-32"), ("UTF-32",)),
    "latin1-header": Case("Datum\tBewertung\tKäufer\n".encode("latin-1"), ("UTF-8",), line=1),
    "cp1252-row": Case(
        lambda: _cell(3, "product-name", "Caf\xe9 mug").replace(b"Caf\xc3\xa9", b"Caf\xe9"),
        ("UTF-8", "Excel"),
        line=3,
        column="product-name",
    ),
    "bad-utf16": Case(
        b"\xff\xfe" + "a\tb\n".encode("utf-16-le") + b"\x00\xd8\x41\x00", ("UTF-16",), line=2
    ),
    "nul-in-row": Case(lambda: _replace_line(3, "111-2\t\x00\x00"), ("NUL",), line=3),
    "truncated-line": Case(lambda: _replace_line(3, "111-2\t2026-03-01"), ("cut short",), line=3),
    "extra-field": Case(
        lambda: _replace_line(2, GOOD.split("\n")[1] + "\textra"), ("fields",), line=2
    ),
    "missing-column": Case(
        GOOD.replace("sales-channel", "channel-of-sale").encode(),
        ("'sales-channel'", "found"),
        line=1,
        column="sales-channel",
    ),
    "unknown-type": Case(b"col1\tcol2\n1\t2\n", ("--type", "orders", "claims"), line=1),
    "unknown-date": Case(
        lambda: _cell(2, "purchase-date", "next Tuesday"),
        ("not a date", "ISO-8601"),
        line=2,
        column="purchase-date",
    ),
    "impossible-date": Case(
        lambda: _cell(3, "last-updated-date", "2026-02-30T10:00:00Z"),
        ("not a valid date",),
        line=3,
        column="last-updated-date",
    ),
    "ambiguous-date": Case(
        b"Date\tRating\tOrder ID\n05/05/2026\t1\t1\n03/04/2026\t2\t2\n",
        ("ambiguous", "--date-format"),
        line=3,
        column="Date",
    ),
    "contradictory-dates": Case(
        b"Date\tRating\tOrder ID\n13/04/2026\t1\t1\n04/13/2026\t2\t2\n",
        ("both day-first", "--date-format"),
        line=3,
        column="Date",
    ),
    "negative-quantity": Case(
        lambda: _cell(3, "quantity", "-2"), ("negative",), line=3, column="quantity"
    ),
    "fractional-quantity": Case(
        lambda: _cell(2, "quantity", "1.5"), ("whole number",), line=2, column="quantity"
    ),
    "bad-channel": Case(
        lambda: _cell(2, "fulfillment-channel", "Robot"),
        ("Robot",),
        line=2,
        column="fulfillment-channel",
    ),
    "bad-price": Case(
        lambda: _cell(2, "item-price", "$12"), ("amount",), line=2, column="item-price"
    ),
    "bad-claim-status": Case(
        b"order-id,claim-id,filed-at,reason,status\n1,c1,2026-01-01,other,closed\n",
        ("pending", "appeal_won"),
        line=2,
        column="status",
    ),
    "broken-csv-quote": Case(
        b'order-id,claim-id,filed-at,reason,status\n1,"c1,2026-01-01,other,pending\n',
        ("quote",),
        line=2,
    ),
    "bad-json": Case(b'{"performanceMetrics": [', ("JSON",), line=1),
    "bad-date-format": Case(
        b"Date\tRating\tOrder ID\n03/04/2026\t1\t1\n",
        ("YYYY/MM/DD", "--date-format"),
        line=2,
        options=(("date_format", "YYYY/MM/DD"),),
    ),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_bad_input_gives_a_report_format_error_naming_file_and_place(
    tmp_path: Path, name: str
) -> None:
    case = CORPUS[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(case.bytes())
    with pytest.raises(ReportFormatError) as caught:
        report = read_report(path, **dict(case.options))
        rows_of(report, block_size=64)  # tiny blocks: faults may sit on chunk edges
    error = caught.value
    message = str(error)
    assert error.path == str(path)
    assert path.name in message
    assert error.hint, "every error says what to do"
    for word in case.words:
        assert word in message, f"{word!r} missing from: {message}"
    assert error.line == case.line
    if case.line is not None:
        assert f"line {case.line}" in message
    if case.column is not None:
        assert error.column == case.column
        assert f"column '{case.column}'" in message


def test_a_multibyte_character_right_after_the_header_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("order-id,claim-id,filed-at,reason,status\né1,c1,2026-01-01,other,pending\n")
    (row,) = rows_of(read_report(path))
    assert row["order_id"] == "é1"
