"""Each report format maps its real columns onto its canonical table."""

from __future__ import annotations

import datetime as dt

import pytest

from goodstanding.errors import ReportFormatError
from goodstanding.ingest import FORMATS
from goodstanding.tables import TABLES

from .samples import Writer, read_rows, tsv

UTC = dt.UTC

RETURNS_MFN_HEADER = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label cost", "Currency code", "Return carrier", "Tracking ID",
    "Label to be paid by", "A-to-Z Claim", "Is prime", "ASIN", "Merchant SKU", "Item Name",
    "Return quantity", "Return Reason", "In policy", "Return type", "Resolution",
    "Invoice number", "Return delivery date", "Order Amount", "Order quantity",
    "SafeT Action reason", "SafeT claim id", "SafeT claim state", "SafeT claim creation time",
    "SafeT claim reimbursement amount", "Refunded Amount",
)  # fmt: skip

RETURNS_FBA_HEADER = (
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
    "fulfillment-center-id", "detailed-disposition", "reason", "status", "license-plate-number",
    "customer-comments",
)  # fmt: skip


@pytest.mark.parametrize("report_type", list(FORMATS))
def test_every_format_fills_exactly_its_canonical_table(report_type: str) -> None:
    report_format = FORMATS[report_type]
    produced = [c.name for c in report_format.columns] + [d.name for d in report_format.derived]
    assert sorted([*produced, "line"]) == sorted(TABLES[report_type].schema.names)
    headers = [h for c in report_format.columns for h in c.headers]
    assert len(headers) == len(set(headers)), "a header may feed only one column"
    assert all(h == h.strip().lower() for h in headers), "headers are kept normalized"


def test_feedback_report_reads_all_six_columns(write: Writer) -> None:
    header = ("Date", "Rating", "Comments", "Your Response", "Order ID", "Rater Email")
    rows = [
        {"Date": "2026-03-01", "Rating": "1", "Comments": "Never arrived.", "Order ID": "111-1",
         "Rater Email": "abc@marketplace.amazon.com"},
        {"Date": "2026-03-02", "Rating": "3", "Your Response": "Sorry!", "Order ID": "111-2"},
    ]  # fmt: skip
    first, second = read_rows(write("feedback.txt", tsv(header, rows, {})))
    assert first["feedback_date"] == dt.date(2026, 3, 1)
    assert first["rating"] == 1
    assert first["comments"] == "Never arrived."
    assert first["response"] is None
    assert first["rater_email"] == "abc@marketplace.amazon.com"
    assert second["response"] == "Sorry!"
    assert second["comments"] is None


def test_feedback_rating_outside_one_to_five_is_an_error(write: Writer) -> None:
    header = ("Date", "Rating", "Order ID")
    path = write("feedback.txt", tsv(header, [{"Date": "2026-03-01", "Rating": "0"}], {}))
    with pytest.raises(ReportFormatError, match="below 1") as caught:
        read_rows(path)
    assert caught.value.column == "Rating"


def test_mfn_returns_report_of_2025_reads(write: Writer) -> None:
    row = {
        "Order ID": "111-1",
        "Order date": "01-Jul-2025",
        "Return request date": "10-Jul-2025",
        "Return request status": "Approved",
        "Amazon RMA ID": "D1234",
        "Return carrier": "UPS",
        "Tracking ID": "1Z1",
        "A-to-Z Claim": "N",
        "Is prime": "Y",
        "ASIN": "B000000001",
        "Merchant SKU": "MUG-1",
        "Item Name": "Blue mug",
        "Return quantity": "1",
        "Return Reason": "AMZ-PG-WJ-TOO-SMALL",
        "Resolution": "StandardRefund",
        "Refunded Amount": "12.50",
    }
    (result,) = read_rows(write("returns.txt", tsv(RETURNS_MFN_HEADER, [row], {})))
    assert result["order_date"] == dt.date(2025, 7, 1)
    assert result["return_requested_on"] == dt.date(2025, 7, 10)
    assert result["a_to_z_claim"] is False
    assert result["rma_id"] == "D1234"
    assert result["sku"] == "MUG-1"
    assert result["quantity"] == 1
    assert result["refunded_amount"] == 12.5
    assert result["x_is prime"] == "Y"


def test_amounts_with_a_decimal_comma_read(write: Writer) -> None:
    row = {"Order ID": "1", "Return request date": "10-Jul-2025", "Return Reason": "CR-DEFECTIVE",
           "Refunded Amount": "12,99"}  # fmt: skip
    (result,) = read_rows(write("returns.txt", tsv(RETURNS_MFN_HEADER, [row], {})))
    assert result["refunded_amount"] == 12.99


@pytest.mark.parametrize("amount", ["1,234", "12.99 EUR", "nan", "inf"])
def test_amounts_that_are_not_plain_numbers_are_an_error(write: Writer, amount: str) -> None:
    row = {"Order ID": "1", "Return request date": "10-Jul-2025", "Return Reason": "CR-DEFECTIVE",
           "Refunded Amount": amount}  # fmt: skip
    with pytest.raises(ReportFormatError, match="amount") as caught:
        read_rows(write("returns.txt", tsv(RETURNS_MFN_HEADER, [row], {})))
    assert (caught.value.column, caught.value.value) == ("Refunded Amount", amount)


def test_fba_returns_report_reads_timestamps_and_dates(write: Writer) -> None:
    row = {
        "return-date": "2026-03-01T23:30:00-08:00",
        "order-id": "111-1",
        "sku": "MUG-1",
        "quantity": "1",
        "detailed-disposition": "CUSTOMER_DAMAGED",
        "reason": "NOT_COMPATIBLE",
        "license-plate-number": "LPN1",
        "customer-comments": "Too small",
    }
    (result,) = read_rows(write("fba.txt", tsv(RETURNS_FBA_HEADER, [row], {})))
    assert result["returned_at"] == dt.datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    assert result["return_date"] == dt.date(2026, 3, 2)
    assert result["disposition"] == "CUSTOMER_DAMAGED"
    assert result["customer_comments"] == "Too small"
