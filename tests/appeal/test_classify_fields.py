"""The notice reader's fields: deadlines, identifiers, marketplace, final decisions, requests."""

from __future__ import annotations

from datetime import date

import pytest

from goodstanding.appeal import classify_notice, detect_language

REFERENCE = date(2025, 3, 1)

RELATIVE_DEADLINES = [
    ("en", "Your account has been deactivated. Send us a plan of action within 17 days."),
    (
        "de",
        "Ihr Verkäuferkonto wurde deaktiviert. Senden Sie uns binnen 17 Tagen einen Maßnahmenplan.",
    ),
    (
        "de",
        "Ihr Verkäuferkonto wurde gesperrt. Reichen Sie innerhalb von 17 Tagen einen Plan ein.",
    ),
    (
        "fr",
        "Votre compte vendeur a été désactivé. Envoyez-nous un plan d'action dans les 17 jours.",
    ),
    (
        "it",
        "Il tuo account venditore è stato disattivato. Invia un piano d'azione entro 17 giorni.",
    ),
    (
        "es",
        "Tu cuenta de vendedor fue desactivada. Envía un plan de acción en un plazo de 17 días.",
    ),
    ("ja", "出品用アカウントを停止しました。17日以内に改善計画を提出してください。"),
    ("zh", "您的卖家账户已被停用。请在17天内提交行动计划。"),
]

EXPLICIT_DEADLINES = [
    ("en", "Your account has been deactivated. Send us your plan of action by March 18, 2025."),
    ("en", "Your listings were removed. Provide the documents before 18 March 2025, please."),
    (
        "de",
        "Ihr Verkäuferkonto wurde deaktiviert. Senden Sie den Maßnahmenplan bis zum 18. März 2025.",
    ),
    ("de", "Ihr Angebot wurde entfernt. Reichen Sie die Unterlagen spätestens am 18.03.2025 ein."),
    ("fr", "Votre compte vendeur a été désactivé. Envoyez le plan d'action avant le 18 mars 2025."),
    (
        "it",
        "Il tuo account venditore è stato sospeso. Invia il piano d'azione entro il 18 marzo 2025.",
    ),
    (
        "es",
        "Tu cuenta de vendedor ha sido suspendida. Envía el plan antes del 18 de marzo de 2025.",
    ),
    ("ja", "出品用アカウントを停止しました。2025年3月18日までに改善計画を提出してください。"),
    ("zh", "您的卖家账户已被停用。请于2025年3月18日之前提交行动计划。"),
]


@pytest.mark.parametrize(("language", "text"), RELATIVE_DEADLINES)
def test_relative_deadline_read_in_every_language(language: str, text: str) -> None:
    reading = classify_notice(text, reference_date=REFERENCE)
    assert reading.language == language
    assert reading.days_to_respond == 17
    assert reading.deadline == date(2025, 3, 18)


@pytest.mark.parametrize(("language", "text"), EXPLICIT_DEADLINES)
def test_explicit_deadline_date_read_in_every_language(language: str, text: str) -> None:
    reading = classify_notice(text, reference_date=REFERENCE)
    assert reading.language == language
    assert reading.deadline == date(2025, 3, 18)
    assert reading.days_to_respond == 17


def test_relative_deadline_without_reference_gives_days_only() -> None:
    reading = classify_notice("Your account has been deactivated. Appeal within 17 days.")
    assert reading.days_to_respond == 17
    assert reading.deadline is None
    assert reading.reference_date is None


def test_reference_date_defaults_to_the_notices_own_date_header() -> None:
    text = (
        "Subject: Your Amazon.co.uk selling account\n"
        "Date: Mon, 3 Feb 2025 09:14:00 +0000\n\n"
        "Your seller account has been deactivated. Send us a plan of action within 17 days."
    )
    reading = classify_notice(text)
    assert reading.reference_date == date(2025, 2, 3)
    assert reading.deadline == date(2025, 2, 20)


def test_look_back_windows_are_no_deadline() -> None:
    text = (
        "Your listings were removed after complaints about the authenticity of the items. "
        "Provide invoices issued within the last 365 days."
    )
    assert classify_notice(text).days_to_respond is None
    japanese = (
        "真贋に関する申し立てのため出品を停止しました。"
        "過去365日以内に発行された請求書を提出してください。"
    )
    assert classify_notice(japanese).days_to_respond is None


def test_week_deadline_is_converted_to_days() -> None:
    text = "A patent owner reported your listing. Resolve the claim within the next three weeks."
    assert classify_notice(text).days_to_respond == 21


def test_asins_b0_and_labelled_ten_digit_ones_are_extracted() -> None:
    text = (
        "We removed the listings below because of safety concerns.\n"
        "ASIN: B07XJ8C8F5\nASIN: 0316769487\nB08N5WRWNW, B07XJ8C8F5\n"
        "Call us on 2065550123 if you have questions."
    )
    reading = classify_notice(text)
    assert reading.asins == ("B07XJ8C8F5", "0316769487", "B08N5WRWNW")


def test_order_ids_are_extracted_in_order_without_duplicates() -> None:
    text = (
        "Your order defect rate is above 1%. Orders with defects: 114-2233445-6677889, "
        "113-9876543-2109876 and again 114-2233445-6677889. Reference 1234-1234567-1234567."
    )
    assert classify_notice(text).order_ids == ("114-2233445-6677889", "113-9876543-2109876")


@pytest.mark.parametrize(
    ("text", "marketplace"),
    [
        (
            "Your account was deactivated. Appeal at https://sellercentral.amazon.de/help",
            "Amazon.de",
        ),
        ("You may no longer sell on Amazon.co.uk because of related accounts.", "Amazon.co.uk"),
        ("出品用アカウントを停止しました。Amazon Japanからのお知らせです。", "Amazon.co.jp"),
        (
            "Your account was deactivated. Write to payments-funds@amazon.com or visit "
            "https://sellercentral.amazon.it/performance.",
            "Amazon.it",
        ),
        ("Your account was deactivated. Visit sellercentral-europe.amazon.com to appeal.", None),
    ],
)
def test_marketplace_from_domain_or_wording(text: str, marketplace: str | None) -> None:
    assert classify_notice(text).marketplace == marketplace


@pytest.mark.parametrize(
    "text",
    [
        "We reviewed your appeal. We will not be reinstating your account. No further action.",
        "Wir haben Ihren Einspruch geprüft. Dies ist unsere endgültige Entscheidung.",
        "Nous avons examiné votre recours. Cette décision est définitive.",
        "Abbiamo esaminato il tuo ricorso: la decisione è definitiva.",
        "Hemos revisado tu apelación. Esta decisión es definitiva.",
        "申し立てを確認しました。これは最終決定です。",
        "我们已审核您的申诉。这是最终决定。",
    ],
)
def test_final_decision_recognised_and_next_steps_say_poa_will_not_be_read(text: str) -> None:
    reading = classify_notice(text)
    assert reading.final_decision
    assert reading.final_evidence is not None
    assert reading.final_evidence.text in text
    assert len(reading.next_steps) == 4  # no POA read, new facts only, arbitration, funds/FBA
    assert reading.message


def test_final_decision_in_english_mentions_arbitration_and_removal() -> None:
    reading = classify_notice("After review, we will not be reinstating your selling privileges.")
    joined = " ".join(reading.next_steps)
    assert "will not be read" in joined
    assert "arbitration" in joined
    assert "removal orders" in joined


def test_conditional_threat_is_not_a_final_decision() -> None:
    text = (
        "Your account has been deactivated because of your order defect rate. If we do not "
        "receive your plan, we will not be able to reinstate your account."
    )
    assert not classify_notice(text).final_decision


def test_held_funds_boilerplate_naming_a_to_z_claims_does_not_count() -> None:
    text = (
        "Your seller account has been deactivated because it is related to another selling "
        "account. Any amounts paid as a result of A-to-z Guarantee claims and chargebacks may be "
        "deducted from your funds."
    )
    assert classify_notice(text).family_ids == ("related_accounts",)


def test_ip_complaint_naming_no_right_is_a_trademark_complaint() -> None:
    text = (
        "We removed your listing after a rights owner reported that it infringes their "
        "intellectual property rights."
    )
    assert classify_notice(text).family_ids == ("intellectual_property_trademark",)


def test_named_right_replaces_the_generic_ip_reading() -> None:
    text = "A rights owner reported that your listing infringes their copyright. We removed it."
    assert classify_notice(text).family_ids == ("intellectual_property_copyright",)


def test_rights_owner_alleging_counterfeit_gives_ip_and_authenticity() -> None:
    text = (
        "We removed your listings because a rights owner reported that the products are "
        "counterfeit and infringe their intellectual property."
    )
    assert set(classify_notice(text).family_ids) == {
        "intellectual_property_trademark",
        "authenticity",
    }


def test_several_families_in_one_notice_are_all_found() -> None:
    text = (
        "Your seller account is at risk. Your order defect rate is 1.4% and your late shipment "
        "rate is 5%, and buyer messages were not answered: your contact response time is 40 hours."
    )
    assert set(classify_notice(text).family_ids) == {
        "order_defect_rate",
        "late_shipment",
        "customer_response",
    }


def test_generic_listing_violation_falls_back_to_listing_policy() -> None:
    text = "We have removed your listing. One or more of your listings violates our policies."
    reading = classify_notice(text)
    assert reading.family_ids == ("listing_policy",)
    assert reading.scope == "listing"


def test_notice_naming_no_policy_is_other_with_a_hint() -> None:
    reading = classify_notice(
        "Your Amazon seller account has been deactivated. Your listings have been removed."
    )
    assert reading.family_ids == ("other",)
    assert reading.scope == "account"
    assert any("no specific policy" in step for step in reading.next_steps)


def test_code_of_conduct_alone_is_found_when_nothing_else_is_named() -> None:
    text = "Policy warning: your account violated the Seller Code of Conduct."
    assert classify_notice(text).family_ids == ("code_of_conduct",)


def test_vendor_notice_is_recognised() -> None:
    text = (
        "Dear Vendor, we have paused purchase orders for your Vendor Code ABC12 because of "
        "product safety concerns reported by customers."
    )
    reading = classify_notice(text)
    assert reading.account_type == "vendor"
    assert reading.family_ids == ("product_safety",)
    assert any("Vendor Central" in step for step in reading.next_steps)


def test_requested_items_have_stable_ids_and_texts_in_the_notice_language() -> None:
    text = (
        "Nous devons vérifier votre identité. Envoyez une pièce d'identité, un relevé bancaire "
        "et acceptez un appel vidéo avec le représentant légal du compte vendeur."
    )
    reading = classify_notice(text)
    ids = [item.id for item in reading.requested]
    assert ids == ["identity_document", "proof_of_address", "video_call"]
    assert reading.requested[0].text == "pièce d'identité officielle"
    assert all(step for step in reading.next_steps)
    assert "Rassemblez" in reading.next_steps[0]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Your account has been deactivated and your listings were removed.", "en"),
        ("Ihr Verkäuferkonto wurde deaktiviert und Ihre Angebote wurden entfernt.", "de"),
        ("Votre compte vendeur a été désactivé et vos offres ont été supprimées.", "fr"),
        ("Il tuo account venditore è stato disattivato e le offerte sono state rimosse.", "it"),
        ("Tu cuenta de vendedor ha sido desactivada y tus anuncios han sido eliminados.", "es"),
        ("出品用アカウントが停止され、出品が削除されました。", "ja"),
        ("您的卖家账户已被停用,您的商品信息已被删除。", "zh"),
    ],
)
def test_language_detected_for_the_seven_languages(text: str, language: str) -> None:
    assert detect_language(text) == language
    assert classify_notice(text).language == language


def test_empty_or_blank_text_is_not_a_notice() -> None:
    for text in ("", "   \n\t "):
        reading = classify_notice(text)
        assert not reading.is_notice
        assert reading.families == ()
        assert reading.message


def test_evidence_maps_back_across_folded_characters_and_line_breaks() -> None:
    text = "Your\u3000ORDER   DEFECT\nRATE is 2%. Your account was deactivated."
    finding = classify_notice(text).families[0]
    assert finding.id == "order_defect_rate"
    assert finding.evidence.text == "ORDER   DEFECT\nRATE"
    assert text[finding.evidence.start : finding.evidence.end] == finding.evidence.text
