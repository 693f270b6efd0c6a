"""The verification-documents checklist: kinds on file, expiry, name and address consistency."""

from __future__ import annotations

from datetime import date

from goodstanding.evidence.invoices import AccountFacts
from goodstanding.evidence.verification import VerificationDocument, check_documents

AS_OF = date(2026, 6, 30)
ACCOUNT = AccountFacts("Blue Mug Trading LLC", "400 Pine Street, Suite 5, Seattle, WA 98101")


def doc(reference: str, kind: str, **fields: object) -> VerificationDocument:
    defaults: dict[str, object] = {
        "holder_name": "Blue Mug Trading LLC",
        "address": "400 Pine Street, Suite 5, Seattle, WA 98101",
        "file_name": f"{reference}.pdf",
        "file_size": 1000,
    }
    return VerificationDocument(reference, kind, **{**defaults, **fields})  # type: ignore[arg-type]


def status(result: dict, kind: str) -> str:
    return next(c["status"] for c in result["checklist"] if c["kind"] == kind)


def rules(result: dict) -> list[str]:
    return sorted(f["rule"] for f in result["findings"])


def test_complete_current_documents_pass() -> None:
    documents = [
        doc("1", "identity", expires_on=date(2030, 1, 1)),
        doc("2", "business_licence"),
        doc("3", "bank_statement", issued_on=date(2026, 6, 1)),
    ]

    result = check_documents(documents, account=ACCOUNT, as_of=AS_OF)

    assert result["ok"] is True
    assert rules(result) == []
    assert [status(result, k) for k in ("identity", "business_licence", "bank_statement")] == [
        "ok",
        "ok",
        "ok",
    ]
    assert status(result, "utility_bill") == "optional"
    assert result["consistency"]["names_agree"] is True


def test_missing_and_expired_required_documents_are_errors() -> None:
    documents = [doc("1", "identity", expires_on=date(2026, 6, 29))]

    result = check_documents(documents, account=ACCOUNT, as_of=AS_OF)

    assert result["ok"] is False
    assert status(result, "identity") == "expired"
    assert status(result, "business_licence") == "missing"
    assert rules(result) == [
        "document_expired",
        "document_missing",
        "document_missing",
        "document_missing",
    ]


def test_expiring_and_stale_documents_are_warned() -> None:
    documents = [
        doc("1", "identity", expires_on=date(2026, 8, 29)),  # 60 days: warned
        doc("2", "business_licence"),
        doc("3", "bank_statement", issued_on=date(2026, 3, 31)),  # 91 days old
    ]

    result = check_documents(documents, account=ACCOUNT, as_of=AS_OF)

    assert result["ok"] is True
    assert rules(result) == ["document_expiring", "document_stale"]
    expiring = next(f for f in result["findings"] if f["rule"] == "document_expiring")
    assert expiring["params"]["days"] == 60


def test_names_and_addresses_that_disagree_with_the_account_are_errors() -> None:
    documents = [
        doc("1", "identity", holder_name="John Smith", expires_on=date(2030, 1, 1)),
        doc("2", "business_licence", address="9 Elm Road, Portland, OR 97201"),
        doc("3", "bank_statement", issued_on=date(2026, 6, 1)),
    ]

    result = check_documents(documents, account=ACCOUNT, as_of=AS_OF)

    assert rules(result) == ["document_address_mismatch", "document_name_mismatch"]
    assert result["consistency"]["names_agree"] is False
    assert result["consistency"]["addresses_agree"] is False


def test_without_an_account_profile_documents_are_compared_with_the_identity() -> None:
    documents = [
        doc(
            "1",
            "identity",
            holder_name="Li Wei",
            address="1 Road 100000",
            expires_on=date(2030, 1, 1),
        ),
        doc("2", "bank_statement", holder_name="Wang Fang", address="1 Road 100000"),
    ]

    result = check_documents(documents, account=AccountFacts(), as_of=AS_OF)

    assert result["consistency"]["reference_name"] == "Li Wei"
    assert "document_name_mismatch" in rules(result)


def test_file_format_size_and_absent_files_are_warned() -> None:
    documents = [
        doc("1", "identity", file_name="id.docx", expires_on=date(2030, 1, 1)),
        doc("2", "business_licence", file_size=11 * 1024 * 1024),
        doc("3", "bank_statement", file_name=None, issued_on=date(2026, 6, 1)),
    ]

    result = check_documents(documents, account=ACCOUNT, as_of=AS_OF)

    assert rules(result) == ["document_file_format", "document_file_size", "document_no_file"]


def test_a_card_statement_stands_in_for_the_bank_statement() -> None:
    documents = [
        doc("1", "identity", expires_on=date(2030, 1, 1)),
        doc("2", "business_licence"),
        doc("3", "card_statement", issued_on=date(2026, 6, 1)),
    ]

    result = check_documents(documents, account=ACCOUNT, as_of=AS_OF)

    assert result["ok"] is True
    assert status(result, "bank_statement") == "ok"
    assert status(result, "card_statement") == "ok"
