"""detect_type: the report type from the header (metric-conventions.md §1)."""

from __future__ import annotations

import pytest

from goodstanding.errors import ReportFormatError
from goodstanding.ingest import ORDER_HEADERS, TEMPLATES, detect_type
from goodstanding.tables import REPORT_TYPES

from .samples import Writer

HEADERS = {
    "orders": "\t".join(ORDER_HEADERS["2024"]),
    "feedback": "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email",
    "returns_mfn": "Order ID\tOrder date\tReturn request date\tReturn Reason\tRefunded Amount",
    "returns_fba": "return-date\torder-id\tsku\tasin\treason\tstatus",
    "cancellations": "Order Date,Order ID,Impacts Account Health",
    **{name: ",".join(spec.header) for name, spec in TEMPLATES.items()},
}


@pytest.mark.parametrize("report_type", list(HEADERS))
def test_detect_type_knows_every_row_report_from_its_header(
    write: Writer, report_type: str
) -> None:
    assert detect_type(write("report.txt", HEADERS[report_type] + "\n")) == report_type


def test_detect_type_covers_every_report_type(write: Writer) -> None:
    assert set(HEADERS) | {"performance_v2"} == set(REPORT_TYPES)
    assert detect_type(write("v2.json", '  {"accountStatuses": []}')) == "performance_v2"


def test_detect_type_reads_only_the_header_and_any_encoding(write: Writer) -> None:
    path = write(
        "o.txt", "\ufeff" + HEADERS["orders"] + "\r\nbroken line\r\n", encoding="utf-16-be"
    )
    assert detect_type(path) == "orders"


def test_unknown_header_names_the_types_and_the_type_option(write: Writer) -> None:
    path = write("mystery.csv", "sku,price,stock\nA,1,2\n")
    with pytest.raises(ReportFormatError) as caught:
        detect_type(path)
    message = str(caught.value)
    assert "mystery.csv" in message
    assert caught.value.line == 1
    assert "--type" in message
    assert all(name in message for name in REPORT_TYPES)
    assert "'sku', 'price', 'stock'" in message


def test_header_one_column_short_names_what_is_missing_and_found(write: Writer) -> None:
    header = HEADERS["orders"].replace("\tsales-channel", "")
    with pytest.raises(ReportFormatError, match="'sales-channel'") as caught:
        detect_type(write("o.txt", header + "\n"))
    message = str(caught.value)
    assert caught.value.column == "sales-channel"
    assert "'amazon-order-id'" in message  # lists what was found


def test_misspelt_column_gets_a_suggestion(write: Writer) -> None:
    with pytest.raises(ReportFormatError, match="'claim_id' for 'claim-id'"):
        detect_type(write("claims.csv", "order-id,claim_id,filed-at,reason,status\n"))


def test_unknown_json_is_not_taken_for_a_performance_report(write: Writer) -> None:
    with pytest.raises(ReportFormatError, match="performanceMetrics"):
        detect_type(write("x.json", '{"orders": []}'))


def test_duplicate_columns_feeding_one_value_are_an_error(write: Writer) -> None:
    header = HEADERS["orders"] + "\tquantity-purchased"
    from goodstanding.ingest import read_report

    with pytest.raises(ReportFormatError, match="'quantity' and 'quantity-purchased'"):
        read_report(write("o.txt", header + "\n"))
