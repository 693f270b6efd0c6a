"""goodstanding's CSV templates: their columns, the blank files, and their vocabularies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from goodstanding.errors import InputError, ReportFormatError
from goodstanding.ingest import TEMPLATES, detect_type, read_report, write_templates
from goodstanding.tables import TABLES

from .samples import Writer, read_rows

UTC = dt.UTC

# metric-conventions.md §1, copied here on purpose: the test checks the code against the contract.
REQUIRED = {
    "shipments": ["order-id", "expected-ship-date", "ship-confirmed-at"],
    "claims": ["order-id", "claim-id", "filed-at", "reason", "status"],
    "chargebacks": ["order-id", "chargeback-id", "filed-at", "reason", "status"],
    "messages": ["message-id", "received-at"],
}
OPTIONAL = {
    "shipments": [
        "carrier",
        "tracking-id",
        "first-carrier-scan-at",
        "promised-delivery-date",
        "delivered-at",
        "units",
    ],
    "claims": ["buy-shipping"],
    "chargebacks": [],
    "messages": ["order-id", "first-response-at", "no-response-needed"],
}
VOCABULARY = {
    ("claims", "reason"): ["item_not_received", "not_as_described", "other"],
    ("claims", "status"): [
        "pending",
        "granted_seller_funded",
        "granted_amazon_funded",
        "refunded_by_seller",
        "denied",
        "withdrawn_before_decision",
        "withdrawn_after_refund",
        "appeal_won",
    ],
    ("chargebacks", "reason"): ["service", "fraud"],
    ("chargebacks", "status"): ["open", "represented_won", "refunded", "debited"],
}


def test_templates_follow_the_contract_columns() -> None:
    assert list(TEMPLATES) == ["shipments", "claims", "chargebacks", "messages"]
    for name, spec in TEMPLATES.items():
        assert [c.name for c in spec.columns if c.required] == REQUIRED[name]
        assert [c.name for c in spec.columns if not c.required] == OPTIONAL[name]
        assert all(c.meaning for c in spec.columns)
    for (name, column), words in VOCABULARY.items():
        (found,) = [c for c in TEMPLATES[name].columns if c.name == column]
        assert list(found.allowed) == words


def test_write_templates_writes_header_only_utf8_csv(tmp_path: Path) -> None:
    written = write_templates(tmp_path / "new")
    assert [p.name for p in written] == [f"{n}.csv" for n in TEMPLATES]
    for path, spec in zip(written, TEMPLATES.values(), strict=True):
        text = path.read_bytes().decode("utf-8")
        assert text == ",".join(spec.header) + "\n"
        assert detect_type(path) == spec.name
        report = read_report(path)
        (batch,) = list(report.iter_batches())
        assert batch.num_rows == 0
        assert batch.schema == TABLES[spec.name].schema


def test_write_templates_again_over_blank_templates_is_fine(tmp_path: Path) -> None:
    assert write_templates(tmp_path) == write_templates(tmp_path)


def test_write_templates_never_overwrites_filled_work(tmp_path: Path) -> None:
    write_templates(tmp_path)
    filled = tmp_path / "claims.csv"
    filled.write_text(filled.read_text() + "1,c1,2026-01-01,other,pending\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(InputError, match=r"claims\.csv"):
        write_templates(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_claims_template_reads_vocabulary_in_any_case(write: Writer) -> None:
    text = (
        "order-id,claim-id,filed-at,reason,status,buy-shipping\n"
        "111-1,C-1,2026-03-01T10:00:00Z,Item_Not_Received,GRANTED_AMAZON_FUNDED,Y\n"
        "111-2,C-2,2026-03-02, other , Denied ,no\n"
        "111-3,C-3,2026-03-03,not_as_described,pending,\n"
    )
    rows = read_rows(write("claims.csv", text))
    assert [(r["reason"], r["status"], r["buy_shipping"]) for r in rows] == [
        ("item_not_received", "granted_amazon_funded", True),
        ("other", "denied", False),
        ("not_as_described", "pending", None),
    ]
    assert rows[0]["filed_at"] == dt.datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_claims_without_buy_shipping_column_read_as_unknown(write: Writer) -> None:
    text = "order-id,claim-id,filed-at,reason,status\n111-1,C-1,2026-03-01,other,pending\n"
    (row,) = read_rows(write("claims.csv", text))
    assert row["buy_shipping"] is None


def test_chargebacks_template_reads(write: Writer) -> None:
    text = (
        "order-id,chargeback-id,filed-at,reason,status\n"
        "111-1,CB-1,2026-03-01,SERVICE,Represented_Won\n"
        "111-2,CB-2,2026-03-02,fraud,debited\n"
    )
    rows = read_rows(write("chargebacks.csv", text))
    assert [(r["reason"], r["status"]) for r in rows] == [
        ("service", "represented_won"),
        ("fraud", "debited"),
    ]


@pytest.mark.parametrize(
    ("name", "header", "row", "column", "value"),
    [
        (
            "claims",
            "order-id,claim-id,filed-at,reason,status",
            "1,c,2026-01-01,lost,pending",
            "reason",
            "lost",
        ),
        (
            "claims",
            "order-id,claim-id,filed-at,reason,status",
            "1,c,2026-01-01,other,won",
            "status",
            "won",
        ),
        (
            "chargebacks",
            "order-id,chargeback-id,filed-at,reason,status",
            "1,c,2026-01-01,theft,open",
            "reason",
            "theft",
        ),
        (
            "chargebacks",
            "order-id,chargeback-id,filed-at,reason,status",
            "1,c,2026-01-01,fraud,closed",
            "status",
            "closed",
        ),
        (
            "claims",
            "order-id,claim-id,filed-at,reason,status,buy-shipping",
            "1,c,2026-01-01,other,denied,maybe",
            "buy-shipping",
            "maybe",
        ),
        (
            "messages",
            "message-id,received-at,no-response-needed",
            "m,2026-01-01,perhaps",
            "no-response-needed",
            "perhaps",
        ),
    ],
)
def test_unknown_vocabulary_lists_the_allowed_values(
    write: Writer, name: str, header: str, row: str, column: str, value: str
) -> None:
    path = write(f"{name}.csv", f"{header}\n{row}\n")
    with pytest.raises(ReportFormatError) as caught:
        read_rows(path)
    error = caught.value
    assert (error.line, error.column, error.value) == (2, column, value)
    allowed = next(c.allowed for c in TEMPLATES[name].columns if c.name == column)
    assert all(word in str(error) for word in allowed)


def test_messages_template_defaults_no_response_needed_to_false(write: Writer) -> None:
    text = (
        "message-id,received-at,order-id,first-response-at,no-response-needed\n"
        "m1,2026-03-01T08:00:00Z,,,\n"
        "m2,2026-03-01T09:00:00Z,111-1,2026-03-01T10:00:00Z,TRUE\n"
        "m3,2026-03-01T09:00:00Z,111-1,,0\n"
    )
    rows = read_rows(write("messages.csv", text))
    assert [r["no_response_needed"] for r in rows] == [False, True, False]
    assert rows[0]["order_id"] is None
    assert rows[0]["first_response_at"] is None


def test_messages_without_no_response_column_are_all_false(write: Writer) -> None:
    rows = read_rows(write("messages.csv", "message-id,received-at\nm1,2026-03-01\n"))
    assert rows[0]["no_response_needed"] is False


def test_shipments_template_reads_every_column(write: Writer) -> None:
    text = (
        "order-id,expected-ship-date,ship-confirmed-at,carrier,tracking-id,"
        "first-carrier-scan-at,promised-delivery-date,delivered-at,units\n"
        "111-1,2026-03-02,2026-03-02T15:00:00Z,UPS,1Z999,2026-03-02T20:00:00Z,2026-03-06,"
        "2026-03-05T12:00:00Z,2\n"
        "111-2,2026-03-02,,,,,,,\n"
    )
    first, second = read_rows(write("shipments.csv", text))
    assert first["carrier"] == "UPS"
    assert first["tracking_id"] == "1Z999"
    assert first["units"] == 2
    end = dt.time(23, 59, 59, 999999)
    assert first["promised_delivery_at"] == dt.datetime.combine(dt.date(2026, 3, 6), end, UTC)
    assert second["ship_confirmed_at"] is None
    assert second["tracking_id"] is None
    assert second["units"] is None


def test_spreadsheet_exports_with_quotes_semicolons_and_empty_rows_read(write: Writer) -> None:
    text = (
        "order-id;claim-id;filed-at;reason;status\r\n"
        '"111-1";"C;1";"2026-03-01";"other";"pending"\r\n'
        ";;;;\r\n"
        ";;;;\r\n"
    )
    rows = read_rows(write("claims.csv", text))
    assert [(r["claim_id"], r["line"]) for r in rows] == [("C;1", 2)]


def test_templates_saved_as_tab_separated_text_read(write: Writer) -> None:
    text = "order-id\tclaim-id\tfiled-at\treason\tstatus\n111-1\tC-1\t2026-03-01\tother\tdenied\n"
    (row,) = read_rows(write("claims.txt", text, encoding="utf-16-le"), report_type="claims")
    assert row["status"] == "denied"


def test_cancellation_download_reads_as_csv_or_tsv(write: Writer) -> None:
    csv_text = (
        "Order Date,Order ID,Impacts Account Health\n2026-03-01,111-1,Yes\n2026-03-02,111-2,No\n"
    )
    tsv_text = csv_text.replace(",", "\t")
    for name, text in (("c.csv", csv_text), ("c.txt", tsv_text)):
        rows = read_rows(write(name, text))
        assert [(r["order_id"], r["impacts_account_health"]) for r in rows] == [
            ("111-1", True),
            ("111-2", False),
        ]
        assert rows[0]["order_date"] == dt.date(2026, 3, 1)
