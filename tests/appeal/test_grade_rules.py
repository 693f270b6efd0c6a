"""Each grading rule fires on a crafted POA, points at the right words, and is quiet elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from goodstanding.appeal.grade import grade_poa, rule_ids

from .grade_samples import (
    GOOD_FAMILIES,
    LANGUAGES,
    add_to_section,
    read_poa,
    replace_section,
    rules_of,
)

ODR = ("order_defect_rate",)


def good(language: str = "en") -> str:
    return read_poa(f"{language}_good")


def with_root(sentence: str) -> str:
    return add_to_section(good(), "Root cause", sentence)


def with_actions(sentence: str) -> str:
    return add_to_section(good(), "Actions taken", sentence)


def with_prevention(sentence: str) -> str:
    return add_to_section(good(), "Preventive measures", sentence)


UNLABELLED = """Our late shipment rate rose to 7 % in March 2024 because our only packer was ill and
we had no replacement trained. We did not plan for absences.

We have shipped all 31 open orders and we have hired a second packer on 18 March 2024.

To prevent this in the future, the warehouse manager checks staffing every Friday and switches
on holiday mode within one hour when nobody can pack orders.
"""

NO_OWNERSHIP = """Root cause
1. Between 2 September and 14 October 2024 the order defect rate reached 2.3 % (14 of 610 orders).
2. Nine parcels travelled with an untracked economy service and five buyers left feedback about
delivery times that were longer than shown.

Actions taken
1. On 15 October 2024 every merchant-fulfilled order moved to tracked services (Exhibit 1).
2. On 16 October 2024 the handling time became 3 days for all 214 active SKUs (Exhibit 2).

Preventive measures
1. Every morning the warehouse manager checks the Valid Tracking report before 14:00.
2. Each month the account owner compares handling time with actual dispatch days.
"""

NO_SPECIFICS = """Root cause
Our parcels were sent with an untracked economy service and the handling time shown to buyers was
shorter than the time our warehouse needed, so several buyers received their orders late. We did
not check the effect of the cheaper service before switching to it.

Actions taken
We have moved every merchant-fulfilled order to tracked services bought through Buy Shipping and
we have changed the handling time in the shipping template (see the attached screenshots).

Preventive measures
Every morning the warehouse manager checks the tracking report and confirms each shipment before
the carrier collects it. Each month the account owner compares the handling time with dispatch days.
"""

NO_EVIDENCE = NO_SPECIFICS.replace(" (see the attached screenshots)", "")

PRICING = (
    "We also reviewed pricing: our repricer had raised the list price of two multi-packs, the "
    "reference price of one bundle was out of date and the price per unit of the multi-pack was "
    "above the single item."
)

GERMAN_PARAGRAPH = (
    "Wir haben außerdem alle Bestellungen der letzten Woche noch einmal geprüft und die "
    "Ergebnisse in unserer Tabelle festgehalten, damit das Team sie jederzeit sehen kann."
)


@dataclass(frozen=True)
class Case:
    """A POA built to make ``rule`` fire; ``fragment`` must be inside one of its spans."""

    rule: str
    build: Callable[[], str]
    fragment: str | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    severity: str | None = None


CASES = [
    Case(
        "missing_root_cause", lambda: replace_section(good(), "Root cause", None), severity="error"
    ),
    Case(
        "missing_actions_taken",
        lambda: replace_section(good(), "Actions taken", None).replace("Exhibit", "Document"),
        severity="error",
    ),
    Case(
        "missing_preventive_measures",
        lambda: replace_section(good(), "Preventive measures", None),
        severity="error",
    ),
    Case("unlabelled_sections", lambda: UNLABELLED),
    Case(
        "mixed_sections", lambda: with_root("We have removed the 12 listings concerned."), "removed"
    ),
    Case(
        "mixed_sections",
        lambda: (
            good()
            .replace("Actions taken", "Plan of action")
            .replace(
                "Preventive measures\n", "We will also keep checking tracking every morning.\n"
            )
        ),
        "Plan of action",
    ),
    Case(
        "actions_not_taken",
        lambda: replace_section(
            good(),
            "Actions taken",
            "1. We will switch every order to tracked services.\n"
            "2. We will change the handling time to 3 days.",
        ),
        "We will switch",
    ),
    Case(
        "shallow_root_cause",
        lambda: replace_section(good(), "Root cause", "Late parcels in October 2024."),
        "Root cause",
    ),
    Case(
        "shallow_actions_taken",
        lambda: replace_section(
            good(), "Actions taken", "We switched carriers on 15 October 2024."
        ),
        "Actions taken",
    ),
    Case(
        "shallow_preventive_measures",
        lambda: replace_section(
            good(), "Preventive measures", "The manager checks tracking daily."
        ),
        "Preventive measures",
    ),
    Case(
        "vague_language",
        lambda: with_actions("We also fixed some issues with our listings."),
        "some issues",
    ),
    Case("no_specifics", lambda: NO_SPECIFICS),
    Case(
        "vague_promise", lambda: with_prevention("We will improve our shipping."), "We will improve"
    ),
    Case(
        "vague_promise",
        lambda: with_prevention("We guarantee this never happens again."),
        "guarantee",
    ),
    Case(
        "emotional_language", lambda: with_root("We are devastated by this decision."), "devastated"
    ),
    Case("pleading", lambda: with_prevention("Please reinstate our account."), "Please reinstate"),
    Case(
        "excessive_exclamation",
        lambda: with_actions("It worked! Every order is tracked!"),
        "It worked!",
    ),
    Case("shouting", lambda: with_actions("We checked EVERY order TWICE."), "EVERY"),
    Case(
        "excessive_apology",
        lambda: with_root("We are sorry. We apologize to the buyers. Sorry again for the trouble."),
        "Sorry",
        severity="info",
    ),
    Case(
        "blame_amazon",
        lambda: with_root("Amazon's system was wrong about two claims."),
        "system was wrong",
    ),
    Case(
        "blame_buyers",
        lambda: with_root("Some buyers lied about the delivery date."),
        "buyers lied",
    ),
    Case("blame_third_party", lambda: with_root("The courier lost three parcels."), "courier lost"),
    Case(
        "blame_third_party",
        lambda: NO_OWNERSHIP + "\nThe courier lost three parcels.\n",
        "courier lost",
        severity="error",
    ),
    Case("no_ownership", lambda: NO_OWNERSHIP),
    Case(
        "threat",
        lambda: with_prevention("Otherwise we will take legal action."),
        "legal action",
        severity="error",
    ),
    Case("flattery", lambda: with_root("Amazon is the best marketplace in the world."), "the best"),
    Case(
        "business_introduction",
        lambda: "We are a small family business selling kettles.\n\n" + good(),
        "We are a small family business",
        severity="info",
    ),
    Case(
        "questions_or_case_references",
        lambda: with_root("Why were these orders counted?"),
        "Why were",
    ),
    Case("questions_or_case_references", lambda: with_root("See our case ID 1234567."), "case ID"),
    Case(
        "claim_without_exhibit",
        lambda: NO_EVIDENCE.replace(
            "dispatch days.", "dispatch days. Our carrier invoices confirm it."
        ),
        "invoices",
    ),
    Case("no_evidence", lambda: NO_EVIDENCE, severity="info"),
    Case(
        "cosmetic_fix",
        lambda: with_actions("We asked the buyers to remove their negative feedback."),
        "asked the buyers to remove",
    ),
    Case("off_topic_family", lambda: with_actions(PRICING), "pric", {"notice_families": ODR}),
    Case(
        "unanswered_family",
        good,
        kwargs={"notice_families": ("order_defect_rate", "restricted_products")},
        severity="error",
    ),
    Case(
        "too_short",
        lambda: "We are sorry. We fixed the problem and it will not happen again.",
        severity="error",
    ),
    Case("too_long", lambda: "\n\n".join([good()] * 6), severity="warning"),
    Case("too_long", lambda: "\n\n".join([good()] * 11), severity="error"),
    Case(
        "private_data",
        lambda: with_actions("The buyer wrote from jane.doe@example.com about the parcel."),
        "jane.doe@example.com",
    ),
    Case("private_data", lambda: with_actions("Call us on +1 415 555 0134."), "+1 415 555 0134"),
    Case(
        "private_data",
        lambda: with_actions("The refund went to card 4111 1111 1111 1111."),
        "4111 1111 1111 1111",
        severity="error",
    ),
    Case(
        "private_data",
        lambda: with_actions("Payments come from DE89 3704 0044 0532 0130 00."),
        "DE89 3704 0044 0532 0130 00",
        severity="error",
    ),
    Case(
        "private_data",
        lambda: with_actions("We refunded the buyer John Miller in full."),
        "John Miller",
    ),
    Case(
        "private_data",
        lambda: with_actions("The customer at 221 Baker Street received a replacement."),
        "221 Baker Street",
    ),
    Case(
        "admission_new_violation",
        lambda: with_actions("We also opened a second account to keep selling meanwhile."),
        "opened a second account",
        {"notice_families": ODR},
        "error",
    ),
    Case(
        "admission_new_violation",
        lambda: with_root("We bought the kettles from a wholesaler without invoices."),
        "without invoices",
        {"notice_families": ODR},
        "error",
    ),
    Case(
        "admission_new_violation",
        lambda: with_actions("We edited the supplier invoice to show our company name."),
        "edited the supplier invoice",
        {"notice_families": ("invoice_verification",)},
        "error",
    ),
    Case("foreign_language", lambda: with_actions(GERMAN_PARAGRAPH), "Wir haben"),
    Case(
        "wrong_submission_language",
        good,
        kwargs={"submission_language": "de"},
        severity="error",
    ),
    Case(
        "contradicts_account_data",
        good,
        "2.3 %",
        {
            "account_facts": {
                "order_defect_rate": {"value": 0.018, "numerator": 11, "denominator": 610}
            }
        },
        "error",
    ),
    Case(
        "contradicts_account_data",
        good,
        "14 of 610",
        {
            "account_facts": {
                "order_defect_rate": {"value": 0.018, "numerator": 11, "denominator": 610}
            }
        },
    ),
]


def _case_id(case: Case) -> str:
    return f"{case.rule}-{CASES.index(case)}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_fires_on_crafted_poa(case: Case) -> None:
    text = case.build()
    report = grade_poa(text, **case.kwargs)
    hits = [finding for finding in report.findings if finding.rule == case.rule]
    assert hits, f"{case.rule} did not fire; got {sorted(rules_of(report))}"
    if case.fragment is not None:
        assert any(
            finding.span is not None and case.fragment in finding.span.text for finding in hits
        ), [finding.span for finding in hits]
    if case.severity is not None:
        assert {finding.severity for finding in hits} == {case.severity}
    for finding in hits:
        if finding.span is not None:
            assert text[finding.span.start : finding.span.end] == finding.span.text


def test_crafted_cases_cover_every_rule() -> None:
    assert {case.rule for case in CASES} == set(rule_ids())


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_rule_fires_on_good_poa_with_its_notice(language: str) -> None:
    report = grade_poa(good(language), notice_families=GOOD_FAMILIES[language])
    assert [finding.rule for finding in report.findings] == []


@pytest.mark.parametrize(
    ("text", "kwargs", "rule"),
    [
        (
            with_actions("We never bought reviews and never will."),
            {"notice_families": ODR},
            "admission_new_violation",
        ),
        (with_root("It was not our fault alone."), {}, "no_ownership"),
        (
            with_actions("We did not open a second account."),
            {"notice_families": ODR},
            "admission_new_violation",
        ),
        (with_actions("Please find the screenshots attached."), {}, "pleading"),
        (with_actions("Our ASIN, SKU and FBA data are in Exhibit 2."), {}, "shouting"),
        (
            good(),
            {
                "account_facts": {
                    "order_defect_rate": {"value": 0.023, "numerator": 14, "denominator": 610}
                }
            },
            "contradicts_account_data",
        ),
        (good(), {"account_facts": {"order_defect_rate": 0.0231}}, "contradicts_account_data"),
        (
            with_actions("Amazon's target is below 1 %."),
            {"account_facts": {"order_defect_rate": 0.023}},
            "contradicts_account_data",
        ),
        (
            good(),
            {"notice_families": ("order_defect_rate", "on_time_delivery")},
            "off_topic_family",
        ),
        (good(), {"notice_families": ("other",)}, "unanswered_family"),
        (with_actions("Order 114-1234567-1234567 was refunded."), {}, "private_data"),
        (NO_SPECIFICS + "\nAll of it was finished on 12/03/2024.\n", {}, "no_specifics"),
    ],
)
def test_rule_stays_quiet_on_lookalike(text: str, kwargs: Mapping[str, Any], rule: str) -> None:
    assert rule not in rules_of(grade_poa(text, **kwargs))


def test_blame_is_warning_when_seller_also_takes_ownership() -> None:
    report = grade_poa(with_root("The courier lost three parcels."))
    assert [f.severity for f in report.findings if f.rule == "blame_third_party"] == ["warning"]


def test_admission_within_notice_family_is_ownership_not_violation() -> None:
    text = with_root("We paid for reviews through a review club in 2023.")
    assert "admission_new_violation" not in rules_of(
        grade_poa(text, notice_families=["review_manipulation"])
    )
    assert "admission_new_violation" in rules_of(grade_poa(text, notice_families=ODR))


def test_findings_per_rule_are_capped() -> None:
    text = with_root(" ".join(["We fixed some issues."] * 6))
    vague = [f for f in grade_poa(text).findings if f.rule == "vague_language"]
    assert len(vague) == 3


def test_each_extra_finding_of_a_rule_costs_less() -> None:
    one = grade_poa(with_root("We fixed some issues. It is all fixed now."))
    two = grade_poa(with_root("We fixed some issues. We fixed certain problems too."))
    assert len([f for f in two.findings if f.rule == "vague_language"]) == 2
    assert 0 < one.score - two.score < 8 or one.score == two.score == 100
