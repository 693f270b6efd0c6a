"""Invoice text extraction, field parsing, CSV import and Amazon's checks."""

from __future__ import annotations

from datetime import date

import pytest

from goodstanding.errors import InputError
from goodstanding.evidence.invoices import (
    AccountFacts,
    Invoice,
    InvoiceLine,
    Listing,
    addresses_match,
    check_invoice,
    match_lines,
    names_match,
    parse_date,
    parse_invoice_text,
    read_invoice_csv,
    read_pdf_text,
)

from . import pdfs

ACCOUNT = AccountFacts("Blue Mug Trading LLC", "400 Pine Street, Suite 5, Seattle, WA 98101")
LISTINGS = {
    "B000000001": Listing("B000000001", frozenset({"MUG-1"}), ("Blue ceramic mug 350ml",)),
    "B000000002": Listing("B000000002", frozenset({"MUG-2"}), ("Green travel mug",)),
}


def parsed(lines: list[str], *, cjk: bool = False) -> Invoice:
    pdf = pdfs.text_pdf(lines, font="STSong-Light" if cjk else "Helvetica", columns=True)
    return parse_invoice_text(read_pdf_text(pdf))


def rules_of(findings: list) -> set[str]:
    return {f.rule for f in findings}


def test_english_invoice_fields_are_extracted() -> None:
    invoice = parsed(pdfs.ENGLISH)

    assert invoice.number == "INV-2026-0042"
    assert invoice.invoice_date == date(2026, 3, 14)
    assert invoice.supplier_name == "ACME Supplies Ltd"
    assert invoice.supplier_address == "12 Harbour Road, Leeds LS1 4AB, United Kingdom"
    assert invoice.supplier_phone == "+44 113 496 0000"
    assert invoice.supplier_website == "www.acme-supplies.co.uk"
    assert invoice.buyer_name == "Blue Mug Trading LLC"
    assert invoice.buyer_address == "400 Pine Street, Suite 5, Seattle, WA 98101"
    assert invoice.total == 444.0
    assert invoice.currency == "USD"
    assert [(line.asin, line.quantity, line.description) for line in invoice.lines] == [
        ("B000000001", 120, "Blue ceramic mug 350ml"),
        ("B000000002", 60, "Green travel mug"),
    ]
    assert invoice.lines[0].unit_price == 2.5
    assert invoice.lines[0].amount == 300.0
    assert invoice.language == "en"


def test_french_invoice_reads_day_first_dates_and_decimal_commas() -> None:
    invoice = parsed(pdfs.FRENCH)

    assert invoice.language == "fr"
    assert invoice.invoice_date == date(2026, 2, 5)
    assert invoice.supplier_name == "Céramiques du Sud SARL"
    assert invoice.supplier_email == "contact@ceramiques-du-sud.fr"
    assert invoice.supplier_phone == "+33 4 91 00 00 00"
    assert [(line.asin, line.quantity) for line in invoice.lines] == [("B000000001", 80)]
    assert invoice.lines[0].unit_price == 2.10
    assert invoice.total == 168.0
    assert invoice.currency == "EUR"


def test_german_invoice_with_quantity_in_the_first_column() -> None:
    invoice = parsed(pdfs.GERMAN)

    assert invoice.language == "de"
    assert invoice.number == "R-55012"
    assert invoice.invoice_date == date(2026, 1, 20)
    assert invoice.supplier_name == "Becherwerk GmbH"
    assert invoice.buyer_name == "Blue Mug Trading LLC"
    assert [(line.quantity, line.description, line.asin) for line in invoice.lines] == [
        (40, "Grüner Reisebecher", "B000000002")
    ]


def test_chinese_invoice_in_a_cid_font_is_read() -> None:
    invoice = parsed(pdfs.CHINESE, cjk=True)

    assert invoice.language == "zh"
    assert invoice.number == "CN-2026-7788"
    assert invoice.invoice_date == date(2026, 1, 8)
    assert invoice.supplier_name == "深圳市好物科技有限公司"
    assert invoice.supplier_address == "深圳市南山区科技园路1号"
    assert invoice.supplier_phone == "+86 755 0000 0000"
    assert [(line.quantity, line.asin) for line in invoice.lines] == [(200, "B000000001")]
    assert invoice.total == 360.0


@pytest.mark.parametrize(
    ("lines", "font", "expected"),
    [
        (
            pdfs.ITALIAN,
            "Helvetica",
            ("it", "2026/77", date(2026, 3, 12), "Tazze Italia S.r.l.", "EUR", 30),
        ),
        (
            pdfs.SPANISH,
            "Helvetica",
            ("es", "E-301", date(2026, 4, 7), "Tazas Ibéricas S.L.", "EUR", 25),
        ),
        (
            pdfs.JAPANESE,
            "HeiseiMin-W3",
            ("ja", "JP-88", date(2026, 2, 3), "株式会社マグ工房", "JPY", 15),
        ),
    ],
)
def test_italian_spanish_and_japanese_invoices_are_read(
    lines: list[str], font: str, expected: tuple[object, ...]
) -> None:
    invoice = parse_invoice_text(read_pdf_text(pdfs.text_pdf(lines, font=font, columns=True)))

    assert (
        invoice.language,
        invoice.number,
        invoice.invoice_date,
        invoice.supplier_name,
        invoice.currency,
        invoice.units,
    ) == expected
    assert invoice.supplier_phone
    assert invoice.buyer_name == "Blue Mug Trading LLC"
    assert invoice.lines[0].asin == "B000000001"


def test_single_column_layout_with_label_blocks_is_read() -> None:
    # No table drawing: every line of the item table is written as one string.
    lines = [
        "Invoice Number: 7781",
        "Date: March 3, 2026",
        "Seller: Mugs Wholesale Inc.",
        "77 Dock Lane, Portland, OR 97201",
        "Phone: (503) 555-0100",
        "sales@mugs-wholesale.com",
        "",
        "Sold to: Blue Mug Trading LLC",
        "400 Pine Street, Suite 5, Seattle, WA 98101",
        "",
        "Item Qty Price Amount",
        "Green travel mug SKU:MUG-2 25 3.00 75.00",
        "Total 75.00",
    ]
    invoice = parse_invoice_text(read_pdf_text(pdfs.text_pdf(lines)))

    assert invoice.invoice_date == date(2026, 3, 3)
    assert invoice.supplier_name == "Mugs Wholesale Inc."
    assert invoice.supplier_phone == "(503) 555-0100"
    assert invoice.supplier_email == "sales@mugs-wholesale.com"
    assert [(line.sku, line.quantity, line.description) for line in invoice.lines] == [
        ("MUG-2", 25, "Green travel mug")
    ]


def test_supplier_and_buyer_side_by_side_are_read_as_two_blocks() -> None:
    invoice = parse_invoice_text(read_pdf_text(pdfs.two_column_pdf(pdfs.TWO_COLUMNS)))

    assert (invoice.supplier_name, invoice.supplier_address) == (
        "Harbor Ceramics Inc.",
        "88 Wharf Road, Boston, MA 02110",
    )
    assert invoice.supplier_phone == "+1 617 555 0100"
    assert (invoice.buyer_name, invoice.buyer_address) == (
        "Blue Mug Trading LLC",
        "400 Pine Street, Suite 5, Seattle, WA 98101",
    )
    assert [(line.asin, line.quantity) for line in invoice.lines] == [("B000000001", 70)]


def test_pro_forma_and_receipts_are_recognised() -> None:
    assert parsed(pdfs.PRO_FORMA).pro_forma is True
    receipt = parse_invoice_text("Order confirmation\nOrder 123\nDate: 2026-01-02\n")
    assert receipt.document_kind == "order confirmation"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2026-03-14", "en", date(2026, 3, 14)),
        ("14/03/2026", "en", date(2026, 3, 14)),  # 14 cannot be a month
        ("03/04/2026", "en", date(2026, 3, 4)),  # US order in an English invoice
        ("03/04/2026", "fr", date(2026, 4, 3)),  # day first elsewhere
        ("03.04.2026", "en", date(2026, 4, 3)),  # dots are always day first
        ("5 mars 2026", "fr", date(2026, 3, 5)),
        ("14. März 2026", "de", date(2026, 3, 14)),
        ("March 3rd, 2026", "en", date(2026, 3, 3)),
        ("2026年1月8日", "zh", date(2026, 1, 8)),
        ("31/02/2026", "fr", None),
        ("no date here", "en", None),
    ],
)
def test_parse_date_reads_the_usual_forms(text: str, language: str, expected: date | None) -> None:
    assert parse_date(text, language) == expected


def test_scanned_pdf_without_text_is_refused() -> None:
    with pytest.raises(InputError, match="no text layer"):
        read_pdf_text(pdfs.image_only_pdf(), "scan.pdf")


def test_password_protected_pdf_is_refused() -> None:
    with pytest.raises(InputError, match="password-protected"):
        read_pdf_text(pdfs.encrypted(pdfs.text_pdf(pdfs.ENGLISH)), "locked.pdf")


def test_corrupt_pdf_is_refused() -> None:
    with pytest.raises(InputError, match="damaged"):
        read_pdf_text(pdfs.text_pdf(pdfs.ENGLISH)[:700], "broken.pdf")


def test_a_file_that_is_not_a_pdf_is_refused() -> None:
    with pytest.raises(InputError, match="not a PDF"):
        read_pdf_text(b"\x89PNG\r\n\x1a\n....", "photo.png")


def test_a_complete_invoice_passes_every_check() -> None:
    invoice = match_lines(parsed(pdfs.ENGLISH).lines, LISTINGS)
    complete = Invoice(**{**parsed(pdfs.ENGLISH).__dict__, "lines": invoice})

    findings = check_invoice(complete, as_of=date(2026, 6, 1), account=ACCOUNT, listings=LISTINGS)

    assert findings == []


def test_invoice_older_than_365_days_is_rejected_and_one_near_it_warned() -> None:
    invoice = Invoice(
        number="1",
        invoice_date=date(2025, 6, 1),
        supplier_name="ACME",
        supplier_address="1 Road",
        supplier_phone="+1 555 0100",
        supplier_website="acme.com",
        buyer_name=ACCOUNT.legal_name,
        buyer_address=ACCOUNT.address,
        lines=(InvoiceLine("Blue ceramic mug 350ml", 10, "B000000001"),),
    )
    # 2025-06-01 + 365 days = 2026-06-01: the last day it counts.
    assert "invoice_too_old" not in rules_of(check_invoice(invoice, as_of=date(2026, 6, 1)))
    assert "invoice_too_old" in rules_of(check_invoice(invoice, as_of=date(2026, 6, 2)))
    expiring = check_invoice(invoice, as_of=date(2026, 5, 1))
    assert rules_of(expiring) == {"invoice_expiring"}
    assert expiring[0].params["expires"] == date(2026, 6, 2)
    assert "invoice_expiring" not in rules_of(check_invoice(invoice, as_of=date(2026, 4, 19)))


def test_missing_contacts_wrong_buyer_and_unknown_products_are_reported() -> None:
    invoice = Invoice(
        number="9",
        invoice_date=date(2026, 5, 1),
        supplier_name="Quick Trade Co",
        buyer_name="Someone Else GmbH",
        buyer_address="1 Other Street, Berlin 10115",
        lines=(InvoiceLine("Red teapot", 5),),
    )

    findings = check_invoice(invoice, as_of=date(2026, 6, 1), account=ACCOUNT, listings=LISTINGS)

    assert rules_of(findings) == {
        "supplier_address_missing",
        "supplier_contact_incomplete",
        "buyer_name_mismatch",
        "buyer_address_mismatch",
        "product_unmatched",
    }
    contact = next(f for f in findings if f.rule == "supplier_contact_incomplete")
    assert contact.params["missing"] == "phone and website or e-mail"
    assert all(f.source.startswith("ref §4") for f in findings)


def test_self_issued_pro_forma_without_lines_is_rejected() -> None:
    invoice = Invoice(
        invoice_date=date(2026, 5, 1),
        supplier_name="Blue Mug Trading",
        supplier_address="400 Pine Street",
        supplier_phone="1",
        supplier_email="a@b.com",
        buyer_name="BLUE MUG TRADING LLC",
        buyer_address=ACCOUNT.address,
        pro_forma=True,
    )

    found = rules_of(check_invoice(invoice, as_of=date(2026, 6, 1), account=ACCOUNT))

    assert found == {"self_issued", "pro_forma", "no_line_items"}


def test_lines_are_matched_by_asin_sku_or_product_name() -> None:
    lines = (
        InvoiceLine("anything", 1, asin="B000000002"),
        InvoiceLine("something", 2, sku="mug-1"),
        InvoiceLine("Green travel mugs", 3),
        InvoiceLine("Red teapot", 4),
    )

    matched = match_lines(lines, LISTINGS)

    assert [line.asin for line in matched] == ["B000000002", "B000000001", "B000000002", None]


def test_names_and_addresses_compare_without_legal_forms_and_case() -> None:
    assert names_match("ACME Ltd.", "Acme Limited")
    assert names_match("深圳市好物科技有限公司", "深圳市好物科技")
    assert not names_match("ACME Ltd", "Acne Trading Ltd")
    assert addresses_match("400 pine st., suite 5, seattle wa 98101", ACCOUNT.address)
    assert not addresses_match("400 Pine Street, Seattle, WA 98109", ACCOUNT.address)


CSV_HEADER = "invoice_number,invoice_date,supplier_name,supplier_phone,asin,description,quantity\n"


def test_csv_rows_become_invoices_grouped_by_number() -> None:
    data = (
        CSV_HEADER
        + "A-1,2026-02-01,ACME,+1 555,B000000001,Blue mug,100\n"
        + "A-1,2026-02-01,ACME,+1 555,B000000002,Green mug,50\n"
        + "B-7,2026-03-01,Other Co,,,Teapot,5\n"
    ).encode()

    invoices = read_invoice_csv(data, "register.csv")

    assert [(i.number, i.units, i.has_file) for i in invoices] == [
        ("A-1", 150, False),
        ("B-7", 5, False),
    ]
    assert invoices[0].invoice_date == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("invoice_number,invoice_date\nA,2026-01-01\n", "lacks the column"),
        (CSV_HEADER + "A,01/02/2026,ACME,,,Mug,5\n", "line 2: invoice_date"),
        (CSV_HEADER + "A,2026-01-02,ACME,,,Mug,five\n", "line 2: quantity"),
        (CSV_HEADER + "A,2026-01-02,ACME,,,,5\n", "line 2: give a description"),
        (CSV_HEADER, "has no invoice rows"),
    ],
)
def test_bad_csv_is_refused_with_the_line(body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_invoice_csv(body.encode(), "register.csv")
