"""Dates and times (metric-conventions.md §3): every shape, and day/month order per file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from goodstanding.errors import InputError, ReportFormatError
from goodstanding.ingest import DATE_FORMATS, read_report
from goodstanding.ingest.dates import DateReader, check_date_format, marketplace_day_first

from .samples import Writer, read_rows, rows_of

UTC = dt.UTC
FEEDBACK = "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email"
END_OF_DAY = dt.time(23, 59, 59, 999999)


def feedback(*dates: str) -> str:
    lines = [FEEDBACK] + [f"{d}\t1\tLate.\t\t111-{i}\t" for i, d in enumerate(dates)]
    return "\n".join(lines) + "\n"


def shipments(*values: str) -> str:
    lines = ["order-id,expected-ship-date,ship-confirmed-at"]
    lines += [f"o{i},2026-03-01,{v}" for i, v in enumerate(values)]
    return "\n".join(lines) + "\n"


def reader(**options: object) -> DateReader:
    def no_prescan(_: DateReader) -> None:
        raise AssertionError("no prescan expected")

    settings = {"date_format": None, "marketplace": None, "prescan": no_prescan, **options}
    return DateReader(Path("f.txt"), **settings)  # type: ignore[arg-type]


def parse(values: list[str], target: str = "timestamp", **options: object) -> list[object]:
    strings = pa.array(values, pa.string())
    lines = pa.array(range(2, 2 + len(values)), pa.int64())
    result = reader(**options).parse(strings, lines, "when", target)  # type: ignore[arg-type]
    return list(result.to_pylist())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14T09:30:00Z", dt.datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("2026-03-14T09:30:00+00:00", dt.datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("2026-03-14T09:30:00-08:00", dt.datetime(2026, 3, 14, 17, 30, tzinfo=UTC)),
        ("2026-03-14T01:30:00+0530", dt.datetime(2026, 3, 13, 20, 0, tzinfo=UTC)),
        ("2026-03-14T09:30:00", dt.datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("2026-03-14 09:30", dt.datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("2026-03-14T09:30:00.5Z", dt.datetime(2026, 3, 14, 9, 30, 0, 500000, tzinfo=UTC)),
        ("2026-03-14", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("14/03/2026", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("14.03.2026", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("03/14/2026", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("3/14/26", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("2026/03/14", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("14-Mar-2026", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("14 March 2026", dt.datetime.combine(dt.date(2026, 3, 14), END_OF_DAY, UTC)),
        ("4 Sept 2026", dt.datetime.combine(dt.date(2026, 9, 4), END_OF_DAY, UTC)),
        ("2026-03-14 09:30:00 UTC", dt.datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("14/03/2026 9:05", dt.datetime(2026, 3, 14, 9, 5, tzinfo=UTC)),
        ("14.03.2026 18:45:10", dt.datetime(2026, 3, 14, 18, 45, 10, tzinfo=UTC)),
        ("", None),
    ],
)
def test_timestamp_shapes_parse_to_utc(text: str, expected: dt.datetime | None) -> None:
    assert parse([text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", dt.date(2026, 3, 14)),
        ("2026-03-14T23:30:00-05:00", dt.date(2026, 3, 15)),
        ("2026-03-14T09:30:00", dt.date(2026, 3, 14)),
        ("10-Jul-2025", dt.date(2025, 7, 10)),
        ("1-jul-2025", dt.date(2025, 7, 1)),
        ("15.01.24", dt.date(2024, 1, 15)),
        ("1/15/24", dt.date(2024, 1, 15)),
    ],
)
def test_date_shapes_parse_to_calendar_dates(text: str, expected: dt.date) -> None:
    assert parse([text], "date") == [expected]


def test_date_only_deadline_lasts_the_whole_day() -> None:
    (deadline,) = parse(["2026-03-14"])
    assert isinstance(deadline, dt.datetime)
    assert deadline < dt.datetime(2026, 3, 15, tzinfo=UTC)
    assert deadline > dt.datetime(2026, 3, 14, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("yesterday", "not a date"),
        ("2026-13-01", "not a valid date"),
        ("2026-02-30T10:00:00Z", "not a valid date"),
        ("31/02/2026", "not a valid date"),
        ("14-Foo-2026", "not an English month"),
        ("14-Marzipan-2026", "not an English month"),
        ("0202-03-14", "outside the years"),
        ("2026-03-14T25:00:00Z", "not a valid date"),
        ("14/03", "not a date"),
    ],
)
def test_unreadable_date_names_line_column_and_value(text: str, problem: str) -> None:
    with pytest.raises(ReportFormatError, match=problem) as caught:
        parse(["2026-03-01", text])
    assert (caught.value.line, caught.value.column, caught.value.value) == (3, "when", text)


def test_slash_file_with_a_first_part_above_12_is_day_first(write: Writer) -> None:
    rows = read_rows(write("fb.txt", feedback("03/04/2026", "25/12/2025")))
    assert [r["feedback_date"] for r in rows] == [dt.date(2026, 4, 3), dt.date(2025, 12, 25)]


def test_slash_file_with_a_second_part_above_12_is_month_first(write: Writer) -> None:
    rows = read_rows(write("fb.txt", feedback("03/04/2026", "12/25/2025")))
    assert [r["feedback_date"] for r in rows] == [dt.date(2026, 3, 4), dt.date(2025, 12, 25)]


def test_two_digit_year_slashes_are_month_first(write: Writer) -> None:
    rows = read_rows(write("fb.txt", feedback("3/4/26")), marketplace="Amazon.de")
    assert rows[0]["feedback_date"] == dt.date(2026, 3, 4)


def test_dotted_dates_are_day_first(write: Writer) -> None:
    rows = read_rows(write("fb.txt", feedback("03.04.2026")), marketplace="Amazon.com")
    assert rows[0]["feedback_date"] == dt.date(2026, 4, 3)


def test_dots_make_the_same_files_slashes_day_first(write: Writer) -> None:
    rows = read_rows(write("fb.txt", feedback("03/04/2026", "05.06.2026")))
    assert rows[0]["feedback_date"] == dt.date(2026, 4, 3)


def test_the_files_own_evidence_beats_the_marketplace(write: Writer) -> None:
    rows = read_rows(
        write("fb.txt", feedback("03/04/2026", "25/12/2025")), marketplace="Amazon.com"
    )
    assert rows[0]["feedback_date"] == dt.date(2026, 4, 3)


def test_evidence_far_down_the_file_decides_its_first_dates(write: Writer) -> None:
    dates = ["03/04/2026"] + ["05/05/2026"] * 300 + ["04/13/2026"]
    report = read_report(write("fb.txt", feedback(*dates)), marketplace="Amazon.de")
    rows = rows_of(report, block_size=256)
    assert rows[0]["feedback_date"] == dt.date(2026, 3, 4)
    assert rows[-1]["feedback_date"] == dt.date(2026, 4, 13)


def test_ambiguous_dates_without_a_marketplace_are_an_error(write: Writer) -> None:
    path = write("fb.txt", feedback("05/05/2026", "03/04/2026"))
    with pytest.raises(ReportFormatError, match="ambiguous") as caught:
        read_rows(path)
    error = caught.value
    assert (error.line, error.column, error.value) == (3, "Date", "03/04/2026")
    assert "--date-format" in str(error)
    assert "fb.txt" in str(error)


@pytest.mark.parametrize(
    ("marketplace", "expected"),
    [
        ("Amazon.de", dt.date(2026, 4, 3)),
        ("Amazon.co.uk", dt.date(2026, 4, 3)),
        ("amazon.fr", dt.date(2026, 4, 3)),
        ("Amazon.com", dt.date(2026, 3, 4)),
        ("Amazon.ca", dt.date(2026, 3, 4)),
        ("Amazon.com.mx", dt.date(2026, 3, 4)),
    ],
)
def test_marketplace_breaks_an_ambiguity_the_file_leaves(
    write: Writer, marketplace: str, expected: dt.date
) -> None:
    rows = read_rows(write("fb.txt", feedback("03/04/2026")), marketplace=marketplace)
    assert rows[0]["feedback_date"] == expected


def test_unknown_marketplace_does_not_break_an_ambiguity(write: Writer) -> None:
    with pytest.raises(ReportFormatError, match="ambiguous"):
        read_rows(write("fb.txt", feedback("03/04/2026")), marketplace="Non-Amazon")


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [
        ("DD/MM/YYYY", dt.date(2026, 4, 3)),
        ("dd.mm.yyyy", dt.date(2026, 4, 3)),
        ("MM/DD/YYYY", dt.date(2026, 3, 4)),
        ("MM/DD/YY", dt.date(2026, 3, 4)),
    ],
)
def test_date_format_decides_and_overrides_the_marketplace(
    write: Writer, date_format: str, expected: dt.date
) -> None:
    path = write("fb.txt", feedback("03/04/2026"))
    rows = read_rows(path, date_format=date_format, marketplace="Amazon.de")
    assert rows[0]["feedback_date"] == expected


def test_value_impossible_under_the_date_format_is_an_error(write: Writer) -> None:
    path = write("fb.txt", feedback("03/04/2026", "04/13/2026"))
    with pytest.raises(ReportFormatError, match="not a valid date") as caught:
        read_rows(path, date_format="DD/MM/YYYY")
    assert caught.value.line == 3
    assert "DD/MM/YYYY" in str(caught.value)


def test_iso_date_format_refuses_day_month_dates(write: Writer) -> None:
    with pytest.raises(ReportFormatError, match="YYYY-MM-DD"):
        read_rows(write("fb.txt", feedback("03/04/2026")), date_format="YYYY-MM-DD")


def test_contradictory_dates_in_one_file_are_an_error(write: Writer) -> None:
    path = write("fb.txt", feedback("13/04/2026", "01/02/2026", "04/13/2026"))
    with pytest.raises(ReportFormatError, match="both day-first") as caught:
        read_rows(path, marketplace="Amazon.de")
    error = caught.value
    assert (error.line, error.column, error.value) == (4, "Date", "04/13/2026")
    assert "line 2" in str(error)


def test_contradiction_found_by_the_prescan_is_an_error(write: Writer) -> None:
    path = write("fb.txt", feedback("03/04/2026", *["05/05/2026"] * 50, "13/04/2026", "04/13/2026"))
    with pytest.raises(ReportFormatError, match="both"):
        rows_of(read_report(path), block_size=256)


def test_dates_in_timestamp_template_columns_follow_the_same_rules(write: Writer) -> None:
    path = write("shipments.csv", shipments("03/04/2026 10:00", "25/04/2026", ""))
    rows = read_rows(path)
    assert [r["ship_confirmed_at"] for r in rows] == [
        dt.datetime(2026, 4, 3, 10, tzinfo=UTC),
        dt.datetime.combine(dt.date(2026, 4, 25), END_OF_DAY, UTC),
        None,
    ]
    assert rows[0]["expected_ship_at"] == dt.datetime.combine(dt.date(2026, 3, 1), END_OF_DAY, UTC)


def test_check_date_format_accepts_known_formats_in_any_case() -> None:
    assert check_date_format(None) is None
    assert {check_date_format(f.lower()) for f in DATE_FORMATS} == set(DATE_FORMATS)
    for wanted in ("DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "MM/DD/YY", "YYYY-MM-DD"):
        assert wanted in DATE_FORMATS
    with pytest.raises(InputError, match="DD/MM/YYYY"):
        check_date_format("D/M/Y")


def test_marketplace_day_first_knows_the_stores() -> None:
    assert marketplace_day_first("Amazon.de") is True
    assert marketplace_day_first(" Amazon.in ") is True
    assert marketplace_day_first("Amazon.com") is False
    assert marketplace_day_first("Amazon.co.jp") is False
    assert marketplace_day_first("Non-Amazon") is None
    assert marketplace_day_first(None) is None


def test_ambiguity_asks_for_the_prescan_once() -> None:
    calls: list[int] = []
    reading = reader(prescan=lambda _: calls.append(1), marketplace="Amazon.de")
    values = pa.array(["03/04/2026", "05/06/2026"])
    lines = pa.array([2, 3], pa.int64())
    first = reading.parse(values, lines, "Date", "date")
    second = reading.parse(values, lines, "Date", "date")
    assert first.to_pylist() == second.to_pylist() == [dt.date(2026, 4, 3), dt.date(2026, 6, 5)]
    assert calls == [1]
