"""Claims and chargebacks against Amazon's deadlines; returns that hide complaints."""

from __future__ import annotations

from datetime import UTC, date, datetime

from goodstanding.risk.claims import ClaimEntry, ReturnEntry, check_claims, check_returns

AS_OF = date(2026, 6, 10)


def at(day: int, month: int = 6) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def test_a_to_z_claims_have_three_days_and_chargebacks_seven() -> None:
    claims = [
        ClaimEntry("a_to_z", "C1", "o1", at(6), "pending"),  # due 06-09: overdue on 06-10
        ClaimEntry("a_to_z", "C2", "o2", at(8), "pending"),  # due 06-11: 1 day left
        ClaimEntry("chargeback", "K1", "o3", at(4), "open"),  # due 06-11
        ClaimEntry("chargeback", "K2", "o4", at(2), "open"),  # due 06-09: overdue
        ClaimEntry("a_to_z", "C3", "o5", at(1), "denied"),  # closed
    ]

    result = check_claims(claims, as_of=AS_OF)

    states = {i["claim_id"]: (i["state"], i["due"], i["days_left"]) for i in result["items"]}
    assert states == {
        "C1": ("overdue", "2026-06-09", None),
        "C2": ("due", "2026-06-11", 1),
        "K1": ("due", "2026-06-11", 1),
        "K2": ("overdue", "2026-06-09", None),
        "C3": ("closed", "2026-06-04", None),
    }
    assert sorted(f["rule"] for f in result["findings"]) == [
        "chargeback_response_due",
        "chargeback_response_overdue",
        "claim_response_due",
        "claim_response_overdue",
    ]
    assert result["counts"] == {"closed": 1, "due": 2, "overdue": 2}


def test_recorded_answers_are_checked_against_the_deadline() -> None:
    claims = [
        ClaimEntry("a_to_z", "C1", "o1", at(1), "granted_seller_funded", responded_at=at(4)),
        ClaimEntry("a_to_z", "C2", "o2", at(1), "pending", responded_at=at(5)),
        ClaimEntry("chargeback", "K1", "o3", at(1), "represented_won", responded_at=at(8)),
    ]

    result = check_claims(claims, as_of=AS_OF)

    states = {i["claim_id"]: i["state"] for i in result["items"]}
    assert states == {"C1": "answered_on_time", "C2": "answered_late", "K1": "answered_on_time"}
    assert [f["rule"] for f in result["findings"]] == ["claim_answered_late"]


def test_returns_hiding_authenticity_and_description_complaints_are_counted() -> None:
    returns = [
        ReturnEntry("o1", "B01", "NOT_AS_DESCRIBED", None, date(2026, 5, 1)),
        ReturnEntry("o2", "B01", "UNWANTED_ITEM", "looks like a fake, logo is wrong", None),
        ReturnEntry("o3", "B01", "DEFECTIVE", "contrefaçon évidente", None),
        ReturnEntry("o4", "B02", "AMZ-PG-BAD-DESC", None, None, quantity=2),
        ReturnEntry("o5", "B02", "TOO_SMALL", "与描述不符", None),
        ReturnEntry("o6", "B03", "TOO_SMALL", "just too small", None),
    ]

    result = check_returns(returns)

    hidden = {(h["asin"], h["kind"]): h["orders"] for h in result["hidden_complaints"]}
    assert hidden == {
        ("B01", "inauthentic"): ["o2", "o3"],
        ("B01", "not_as_described"): ["o1"],
        ("B02", "not_as_described"): ["o4", "o5"],
    }
    by_asin = {a["asin"]: a for a in result["by_asin"]}
    assert by_asin["B02"]["units"] == 3
    assert by_asin["B03"]["reasons"] == [{"reason": "TOO_SMALL", "units": 1}]
    assert len(result["findings"]) == 3
