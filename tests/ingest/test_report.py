"""read_report on Amazon's all-orders flat file: every column era, encoding and streaming edge."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pyarrow as pa
import pytest

from goodstanding.errors import ReportFormatError
from goodstanding.ingest import ORDER_HEADERS, read_report
from goodstanding.tables import TABLES

from .samples import Writer, orders_text, read_rows, rows_of

UTC = dt.UTC

TWO_ORDERS = [
    {
        "amazon-order-id": "111-1",
        "purchase-date": "2026-03-01T10:00:00+00:00",
        "fulfillment-channel": "Amazon",
        "quantity": "2",
        "item-price": "25.00",
    },
    {
        "amazon-order-id": "111-2",
        "purchase-date": "2026-03-01T11:00:00+00:00",
        "order-status": "Pending",
        "item-price": "",
        "currency": "",
    },
]

ERAS = {
    **ORDER_HEADERS,
    # Observed extras: order-item-id after order-status (2026-05-28 file), customized-url.
    "2026-extras": (
        *ORDER_HEADERS["2024"][:5],
        "order-item-id",
        *ORDER_HEADERS["2024"][5:],
        "customized-url",
        "buyer-identification-number",
    ),
    # ES/NL help pages name the quantity column quantity-purchased.
    "quantity-purchased": tuple(
        "quantity-purchased" if h == "quantity" else h for h in ORDER_HEADERS["2017"]
    ),
}


@pytest.mark.parametrize("era", list(ERAS))
def test_read_report_loads_orders_of_every_column_era(write: Writer, era: str) -> None:
    header = ERAS[era]
    rows = [dict(r, **{"quantity-purchased": r.get("quantity", "1")}) for r in TWO_ORDERS]
    path = write("orders.txt", orders_text(rows, header))
    report = read_report(path)
    assert report.report_type == "orders"
    batches = list(report.iter_batches())
    canonical = TABLES["orders"].schema
    assert all(
        b.schema.remove_metadata().names[: len(canonical)] == canonical.names for b in batches
    )
    table = pa.Table.from_batches(batches)
    assert table.schema.field("purchase_at").type == pa.timestamp("us", tz="UTC")
    first, second = table.to_pylist()
    assert first["order_id"] == "111-1"
    assert first["channel"] == "afn"
    assert first["quantity"] == 2
    assert first["item_price"] == 25.0
    assert first["line"] == 2
    assert second["channel"] == "mfn"
    assert second["item_price"] is None
    assert second["currency"] is None
    assert second["line"] == 3
    mapped = {"amazon-order-id", "purchase-date", "last-updated-date", "order-status"}
    mapped |= {"fulfillment-channel", "sales-channel", "sku", "asin", "item-status", "quantity"}
    mapped |= {"quantity-purchased", "currency", "item-price", "product-name", "ship-service-level"}
    extras = [name for name in table.schema.names if name.startswith("x_")]
    assert extras == [f"x_{h}" for h in header if h not in mapped]
    assert all(table.schema.field(name).type == pa.string() for name in extras)


@pytest.mark.parametrize(
    ("encoding", "newline", "bom"),
    [
        ("utf-8", "\n", ""),
        ("utf-8", "\r\n", ""),
        ("utf-8", "\n", "\ufeff"),
        ("utf-8", "\r\n", "\ufeff"),
        ("utf-16-le", "\n", "\ufeff"),
        ("utf-16-be", "\r\n", "\ufeff"),
        ("utf-16-le", "\r\n", ""),
        ("utf-8", "\r", ""),
    ],
    ids=[
        "utf8",
        "utf8-crlf",
        "utf8-bom",
        "utf8-bom-crlf",
        "utf16le",
        "utf16be-crlf",
        "utf16le-nobom",
        "mac-cr",
    ],
)
def test_read_report_decodes_every_amazon_encoding(
    write: Writer, encoding: str, newline: str, bom: str
) -> None:
    rows = [dict(TWO_ORDERS[0], **{"product-name": 'Tasse « café » 12" ☕'}), TWO_ORDERS[1]]
    path = write("orders.txt", bom + orders_text(rows), encoding=encoding, newline=newline)
    result = read_rows(path)
    assert [r["order_id"] for r in result] == ["111-1", "111-2"]
    assert [r["line"] for r in result] == [2, 3]
    assert result[0]["product_name"] == 'Tasse « café » 12" ☕'
    assert result[1]["x_ship-country"] == "US"
    assert result[0]["purchase_at"] == dt.datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_read_report_matches_headers_ignoring_case_spaces_and_bom(write: Writer) -> None:
    text = orders_text(TWO_ORDERS)
    header, rest = text.split("\n", 1)
    shouted = "\t".join(f" {name.upper()} " for name in header.split("\t"))
    path = write("orders.txt", "\ufeff" + shouted + "\n" + rest)
    result = read_rows(path)
    assert result[0]["order_id"] == "111-1"
    assert "x_ship-country" in result[0]


@pytest.mark.parametrize(
    ("purchase", "expected_at", "expected_date"),
    [
        # 20:30 in Seattle is already the next day in UTC.
        ("2026-03-01T20:30:00-07:00", dt.datetime(2026, 3, 2, 3, 30, tzinfo=UTC), "2026-03-02"),
        # 00:30 in Berlin (+02:00 summer time) is still the previous day in UTC.
        ("2026-07-02T00:30:00+02:00", dt.datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "2026-07-01"),
        ("2026-03-01T23:59:59Z", dt.datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC), "2026-03-01"),
        ("2026-03-01T10:00:00", dt.datetime(2026, 3, 1, 10, tzinfo=UTC), "2026-03-01"),
        (
            "2026-03-01T23:00:00.123456789-01:00",
            dt.datetime(2026, 3, 2, 0, 0, 0, 123456, tzinfo=UTC),
            "2026-03-02",
        ),
    ],
)
def test_order_date_is_the_utc_date_of_purchase_across_midnight(
    write: Writer, purchase: str, expected_at: dt.datetime, expected_date: str
) -> None:
    path = write("orders.txt", orders_text([{"purchase-date": purchase}]))
    (row,) = read_rows(path)
    assert row["purchase_at"] == expected_at
    assert row["order_date"] == dt.date.fromisoformat(expected_date)


def test_last_updated_dates_with_offsets_compare_as_instants(write: Writer) -> None:
    rows = [
        {"amazon-order-id": "a", "last-updated-date": "2026-03-02T01:00:00+02:00"},
        {"amazon-order-id": "b", "last-updated-date": "2026-03-01T23:30:00Z"},
    ]
    first, second = read_rows(write("orders.txt", orders_text(rows)))
    assert first["last_updated_at"] < second["last_updated_at"]


@pytest.mark.parametrize(
    ("written", "channel"),
    [("Amazon", "afn"), ("AFN", "afn"), ("afn", "afn"), ("Merchant", "mfn"), ("MFN", "mfn")],
)
def test_fulfillment_channel_maps_to_afn_or_mfn(write: Writer, written: str, channel: str) -> None:
    (row,) = read_rows(write("o.txt", orders_text([{"fulfillment-channel": written}])))
    assert row["channel"] == channel


def test_unknown_fulfillment_channel_is_an_error_naming_the_value(write: Writer) -> None:
    path = write("o.txt", orders_text([{}, {"fulfillment-channel": "Seller"}]))
    with pytest.raises(ReportFormatError) as caught:
        read_rows(path)
    error = caught.value
    assert (error.line, error.column, error.value) == (3, "fulfillment-channel", "Seller")
    assert "'Seller'" in str(error)


def test_negative_quantity_is_an_error(write: Writer) -> None:
    path = write("o.txt", orders_text([{}, {}, {"quantity": "-1"}]))
    with pytest.raises(ReportFormatError, match="negative") as caught:
        read_rows(path)
    assert (caught.value.line, caught.value.column) == (4, "quantity")


@pytest.mark.parametrize("field", ["amazon-order-id", "purchase-date", "quantity"])
def test_blank_required_value_is_an_error(write: Writer, field: str) -> None:
    path = write("o.txt", orders_text([{field: ""}]))
    with pytest.raises(ReportFormatError, match="blank") as caught:
        read_rows(path)
    assert (caught.value.line, caught.value.column) == (2, field)


def test_quotes_in_product_names_stay_literal_in_amazon_tsv(write: Writer) -> None:
    name = '"Big" ruler 12" long, "quoted'
    (row,) = read_rows(write("o.txt", orders_text([{"product-name": name}])))
    assert row["product_name"] == name


@pytest.mark.parametrize("text", ["", "\n"], ids=["no-final-newline", "final-newline"])
def test_header_only_file_yields_one_empty_batch_with_the_schema(write: Writer, text: str) -> None:
    header = orders_text([]).rstrip("\n")
    report = read_report(write("o.txt", header + text))
    batches = list(report.iter_batches())
    assert len(batches) == 1
    assert batches[0].num_rows == 0
    assert batches[0].schema == report.schema
    assert report.schema is not None
    assert report.schema.names[:16] == TABLES["orders"].schema.names


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(write: Writer) -> None:
    text = orders_text([{"amazon-order-id": "a"}, {"amazon-order-id": "b"}])
    header, first, second, _ = text.split("\n")
    path = write("o.txt", f"{header}\n\n{first}\n\r\n\n{second}\n\n")
    result = read_rows(path)
    assert [(r["order_id"], r["line"]) for r in result] == [("a", 3), ("b", 6)]


def test_many_chunks_keep_file_order_and_line_numbers(write: Writer) -> None:
    rows = [{"amazon-order-id": f"o-{i}", "quantity": str(i % 5)} for i in range(300)]
    text = orders_text(rows)
    header, *lines = text.rstrip("\n").split("\n")
    # A blank line and a very long line inside the file, on both sides of many chunk edges.
    lines.insert(120, "")
    lines[200] = lines[200].replace("Blue mug", "x" * 5000)
    path = write("o.txt", "\n".join([header, *lines]) + "\n")
    report = read_report(path)
    result = rows_of(report, block_size=1024)
    assert [r["order_id"] for r in result] == [f"o-{i}" for i in range(300)]
    expected_lines = [i + 2 if i < 120 else i + 3 for i in range(300)]
    assert [r["line"] for r in result] == expected_lines
    assert rows_of(report) == result


def test_error_deep_in_a_multichunk_file_names_its_line(write: Writer) -> None:
    rows = [{"amazon-order-id": f"o-{i}"} for i in range(200)]
    rows[150]["quantity"] = "lots"
    report = read_report(write("o.txt", orders_text(rows)))
    with pytest.raises(ReportFormatError, match="whole number") as caught:
        rows_of(report, block_size=700)
    assert (caught.value.line, caught.value.column, caught.value.value) == (152, "quantity", "lots")


def test_sha256_is_of_the_raw_bytes_before_and_after_streaming(write: Writer) -> None:
    path = write("o.txt", "\ufeff" + orders_text(TWO_ORDERS), encoding="utf-16-le")
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_report(path).sha256 == expected
    report = dataclasses.replace(read_report(path), _block_size=64)
    list(report.iter_batches())
    assert report.sha256 == expected


def test_progress_reports_bytes_read_up_to_the_file_size(write: Writer) -> None:
    rows = [{"amazon-order-id": f"o-{i}"} for i in range(50)]
    path = write("o.txt", orders_text(rows))
    report = dataclasses.replace(read_report(path), _block_size=512)
    seen: list[tuple[int, int]] = []
    list(report.iter_batches(progress=lambda done, total: seen.append((done, total))))
    size = path.stat().st_size
    assert len(seen) > 3
    assert all(total == size for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1][0] == size


def test_stopping_early_releases_the_file(write: Writer) -> None:
    rows = [{"amazon-order-id": f"o-{i}"} for i in range(100)]
    report = dataclasses.replace(read_report(write("o.txt", orders_text(rows))), _block_size=512)
    batches = report.iter_batches()
    assert next(batches).num_rows > 0
    batches.close()  # must not hang on the worker thread or leak the open file


def test_report_type_overrides_detection(write: Writer, tmp_path: Path) -> None:
    path = write("claims.csv", "order-id,claim-id,filed-at,reason,status\n")
    with pytest.raises(ReportFormatError, match="shipments") as caught:
        read_report(path, report_type="shipments")
    assert caught.value.column == "expected-ship-date"
    with pytest.raises(ReportFormatError, match="--type"):
        read_report(path, report_type="orders_v9")


@pytest.mark.parametrize("lead", ["\n", "\r\n\r\n", "  \n\t\n"])
def test_blank_lines_before_the_header_are_skipped_and_counted(write: Writer, lead: str) -> None:
    path = write("o.txt", lead + orders_text(TWO_ORDERS))
    skipped = lead.count("\n")
    assert [r["line"] for r in read_rows(path)] == [skipped + 2, skipped + 3]
