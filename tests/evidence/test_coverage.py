"""Unit coverage arithmetic on hand-built invoices and sales."""

from __future__ import annotations

from datetime import date

from goodstanding.evidence.coverage import compute_coverage
from goodstanding.evidence.invoices import Invoice, InvoiceLine

AS_OF = date(2026, 6, 30)


def invoice(day: date, *lines: tuple[str, int], **fields: object) -> Invoice:
    return Invoice(
        invoice_date=day, lines=tuple(InvoiceLine(a, q, asin=a) for a, q in lines), **fields
    )


def by_asin(results: list) -> dict[str, object]:
    return {c.asin: c for c in results}


def test_units_invoiced_in_the_window_are_compared_with_units_sold() -> None:
    invoices = [
        ("1", invoice(date(2026, 1, 10), ("B01", 100), ("B02", 30))),
        ("2", invoice(date(2026, 4, 2), ("B01", 50))),
    ]
    sold = {"B01": 140, "B02": 45, "B03": 7}

    results = by_asin(compute_coverage(invoices, sold, as_of=AS_OF))

    # B01: 100 + 50 = 150 invoiced >= 140 sold; B02: 30 < 45 (15 short); B03: none invoiced.
    assert (results["B01"].invoiced, results["B01"].short, results["B01"].status) == (150, 0, "ok")
    assert (results["B02"].invoiced, results["B02"].short, results["B02"].status) == (
        30,
        15,
        "short",
    )
    assert (results["B03"].invoiced, results["B03"].short) == (0, 7)
    assert results["B02"].findings[0].rule == "coverage_short"
    assert results["B01"].invoices == ("1", "2")


def test_shortest_asins_come_first() -> None:
    results = compute_coverage(
        [("1", invoice(date(2026, 1, 10), ("B01", 1)))], {"B01": 5, "B02": 9}, as_of=AS_OF
    )

    assert [c.asin for c in results] == ["B02", "B01"]


def test_invoices_outside_the_365_days_or_in_the_future_do_not_count() -> None:
    invoices = [
        ("old", invoice(date(2025, 6, 29), ("B01", 1000))),  # 366 days before D
        ("edge", invoice(date(2025, 6, 30), ("B01", 10))),  # exactly 365 days: counts
        ("future", invoice(date(2026, 7, 1), ("B01", 1000))),
    ]

    (result,) = compute_coverage(invoices, {"B01": 10}, as_of=AS_OF)

    assert (result.invoiced, result.short, result.invoices) == (10, 0, ("edge",))


def test_pro_forma_receipts_and_undated_invoices_do_not_count() -> None:
    invoices = [
        ("pf", invoice(date(2026, 3, 1), ("B01", 100), pro_forma=True)),
        ("rc", invoice(date(2026, 3, 1), ("B01", 100), document_kind="receipt")),
        ("nd", Invoice(lines=(InvoiceLine("x", 100, asin="B01"),))),
    ]

    (result,) = compute_coverage(invoices, {"B01": 1}, as_of=AS_OF)

    assert (result.invoiced, result.status) == (0, "short")


def test_coverage_expiring_within_the_warning_period_is_announced() -> None:
    # D = 2026-06-30, warning 42 days → horizon 2026-08-11.
    # Invoice of 2025-07-20 stops counting on 2026-07-21 (date + 366).
    invoices = [
        ("a", invoice(date(2025, 7, 20), ("B01", 60))),
        ("b", invoice(date(2026, 2, 1), ("B01", 50))),
    ]

    (result,) = compute_coverage(invoices, {"B01": 100}, as_of=AS_OF)

    assert (result.invoiced, result.short, result.status) == (110, 0, "expiring")
    assert result.short_on == date(2026, 7, 21)
    # After the first invoice expires 50 units remain for 100 sold.
    assert result.findings[0].params["short"] == 50


def test_expiry_beyond_the_warning_period_is_not_announced() -> None:
    invoices = [("a", invoice(date(2025, 8, 20), ("B01", 60)))]  # leaves on 2026-08-21

    (result,) = compute_coverage(invoices, {"B01": 60}, as_of=AS_OF)

    assert (result.status, result.short_on) == ("ok", None)


def test_expiry_that_leaves_enough_units_is_not_announced() -> None:
    invoices = [
        ("a", invoice(date(2025, 7, 20), ("B01", 60))),
        ("b", invoice(date(2026, 2, 1), ("B01", 100))),
    ]

    (result,) = compute_coverage(invoices, {"B01": 100}, as_of=AS_OF)

    assert result.status == "ok"


def test_asins_invoiced_but_not_sold_are_listed_as_covered() -> None:
    (result,) = compute_coverage([("a", invoice(date(2026, 3, 1), ("B09", 5)))], {}, as_of=AS_OF)

    assert (result.asin, result.sold, result.invoiced, result.status) == ("B09", 0, 5, "ok")
