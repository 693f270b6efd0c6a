"""Related-account self-audit, request letter and proof-of-distinctness pack."""

from __future__ import annotations

from goodstanding.documents import to_plaintext
from goodstanding.risk.linked import (
    AccountProfile,
    audit_linked,
    distinctness_pack,
    mask,
    related_account_letter,
)

ALPHA = AccountProfile(
    "alpha",
    legal_name="Alpha Goods Ltd",
    address="1 High Street, London E1 6AN",
    phone="+44 20 7946 0000",
    email="ops@alpha-goods.co.uk",
    bank_account="GB29 NWBK 6016 1331 9268 19",
    tax_id="GB123456789",
    ips=("81.2.69.160",),
    devices=("laptop-ops-1",),
    asins=frozenset({"B01", "B02", "B03"}),
)


def test_shared_signals_are_found_whatever_their_formatting() -> None:
    beta = AccountProfile(
        "beta",
        address="1 high street,  London  E1 6AN",
        phone="020 7946 0000",
        email="sales@Alpha-Goods.co.uk",
        bank_account="gb29nwbk60161331926819",
        tax_id="DE999",
        ips=("10.0.0.1", "81.2.69.160"),
        devices=("Laptop-Ops-1",),
        asins=frozenset({"B02", "B03", "B09"}),
    )

    result = audit_linked([beta, ALPHA])

    (pair,) = result["pairs"]
    assert pair["accounts"] == ["alpha", "beta"]
    assert pair["shared"] == ["bank_account", "address", "phone", "email_domain", "ip", "device"]
    assert pair["asin_overlap"] == ["B02", "B03"]
    assert pair["risk"] == "high"
    assert result["risk_by_account"] == {"alpha": "high", "beta": "high"}
    assert all(f["source"] for f in pair["findings"])


def test_public_mail_domains_and_distinct_accounts_are_not_signals() -> None:
    one = AccountProfile("one", email="a@gmail.com", asins=frozenset({"B01"}))
    two = AccountProfile("two", email="b@gmail.com", asins=frozenset({"B02"}))

    result = audit_linked([one, two])

    assert result["pairs"] == []
    assert result["risk_by_account"] == {"one": "none", "two": "none"}
    assert result["unrecorded"]["one"] == ["bank_account", "address", "phone", "tax_id"]


def test_product_overlap_alone_is_medium_and_approved_pairs_are_declared() -> None:
    one = AccountProfile("one", asins=frozenset({"B01"}))
    two = AccountProfile("two", asins=frozenset({"B01"}))
    assert audit_linked([one, two])["pairs"][0]["risk"] == "medium"

    one = AccountProfile("one", tax_id="X1", related_approved=("two",))
    two = AccountProfile("two", tax_id="x-1", related_approved=("one",))
    (pair,) = audit_linked([one, two])["pairs"]
    assert (pair["risk"], pair["approved"]) == ("declared", True)


def test_letter_states_the_reason_and_what_is_separate() -> None:
    beta = AccountProfile(
        "beta", legal_name="Beta Home SARL", bank_account="FR76 3000", phone="+33 1"
    )

    text = to_plaintext(related_account_letter(ALPHA, [beta], reason="Two brands, two companies."))

    assert "Two brands, two companies." in text
    assert "beta" in text and "Alpha Goods Ltd" in text
    assert "bank account: separate" in text
    pack = distinctness_pack(ALPHA, [beta])
    assert pack[0] == "Business registration of Alpha Goods Ltd"
    assert pack[-1] == "Business registration of Beta Home SARL"


def test_bank_accounts_are_masked() -> None:
    assert mask("GB29 NWBK 6016") == "••••••••6016"
    assert ALPHA.to_json()["bank_account"].endswith("6819")
