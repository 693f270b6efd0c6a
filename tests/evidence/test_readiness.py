"""The readiness score from the results of the other checks."""

from __future__ import annotations

from datetime import date

from goodstanding.evidence.coverage import compute_coverage
from goodstanding.evidence.invoices import AccountFacts, Invoice, InvoiceLine
from goodstanding.evidence.readiness import ITEMS, compute_readiness
from goodstanding.evidence.verification import VerificationDocument, check_documents

AS_OF = date(2026, 6, 1)
FACTS = AccountFacts("Blue Mug LLC", "400 Pine Street 98101")


def documents() -> dict:
    held = [
        VerificationDocument(
            "1", "identity", "Blue Mug LLC", None, None, date(2030, 1, 1), "id.pdf"
        ),
        VerificationDocument("2", "business_licence", "Blue Mug LLC", None, None, None, "l.pdf"),
        VerificationDocument(
            "3", "bank_statement", "Blue Mug LLC", None, date(2026, 5, 1), None, "b.pdf"
        ),
    ]
    return check_documents(held, account=FACTS, as_of=AS_OF)


def test_everything_ready_scores_100() -> None:
    invoices = [("1", Invoice(invoice_date=date(2026, 3, 1), lines=(InvoiceLine("m", 10, "B01"),)))]
    security = {"users": [{"user": "a"}], "findings": []}

    result = compute_readiness(
        profile=FACTS,
        coverage=compute_coverage(invoices, {"B01": 10}, as_of=AS_OF),
        invoice_findings=[],
        invoice_count=1,
        documents=documents(),
        claims={"findings": []},
        security=security,
        linked=[],
    )

    assert result["score"] == 100
    assert result["not_ready"] == []


def test_missing_items_lose_their_weight_and_attention_half() -> None:
    # Coverage short (25) and no profile (10) missing; a linked-account warning (5) half.
    linked = [{"risk": "medium", "findings": [{"severity": "warning", "message": "m", "fix": "f"}]}]

    result = compute_readiness(
        profile=AccountFacts(),
        coverage=compute_coverage([], {"B01": 4}, as_of=AS_OF),
        invoice_findings=[],
        invoice_count=1,
        documents=documents(),
        claims=None,
        security={"users": [{"user": "a"}], "findings": []},
        linked=linked,
    )

    total = sum(weight for _, weight, _, _ in ITEMS)
    assert total == 100
    assert result["score"] == round(100 * (100 - 25 - 10 - 2.5) / 100)
    statuses = {i["id"]: i["status"] for i in result["items"]}
    assert statuses["linked_accounts"] == "attention"
    assert statuses["documents_consistent"] == "ready"
    assert result["not_ready"] == ["account_profile", "invoices_cover_sales", "linked_accounts"]
