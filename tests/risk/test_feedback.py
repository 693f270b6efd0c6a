"""Feedback triage on comments written for the tests in seven languages."""

from __future__ import annotations

from datetime import date

import pytest

from goodstanding.risk.feedback import (
    FeedbackEntry,
    check_reply,
    classify_feedback,
    detect_language,
    draft_reply,
    triage_feedback,
)

# (comment, channel, expected language, expected category)
CASES = [
    ("The mug broke after two days, poor quality.", "mfn", "en", "product_review"),
    ("Package arrived a week late and the box was crushed.", "afn", "en", "fba_delivery"),
    ("Package arrived a week late.", "mfn", "en", "service_failure"),
    ("Seller never replied to my messages and refused a refund.", "mfn", "en", "service_failure"),
    ("Cheap material and the seller ignored my return request.", "afn", "en", "mixed"),
    ("This is total shit, avoid.", "mfn", "en", "obscene"),
    ("Call me on 0612345678 or write to jo@example.com", "mfn", "en", "personal_info"),
    ("Meh.", "mfn", "en", "unclear"),
    ("La tasse s'est cassée au premier lavage, qualité décevante.", "mfn", "fr", "product_review"),
    ("La tasse est arrivée cassée, qualité décevante.", "mfn", "fr", "mixed"),
    ("Le colis est arrivé avec deux semaines de retard.", "afn", "fr", "fba_delivery"),
    ("Le vendeur ne répond pas, aucune réponse depuis dix jours.", "mfn", "fr", "service_failure"),
    ("Produit de merde, je suis furieux.", "mfn", "fr", "obscene"),
    ("Der Becher ist nach einer Woche kaputt, schlechte Qualität.", "mfn", "de", "product_review"),
    (
        "Das Paket ist nie angekommen, die Lieferung war eine Katastrophe.",
        "afn",
        "de",
        "fba_delivery",
    ),
    (
        "Der Verkäufer hat keine Antwort gegeben und nichts erstattet.",
        "mfn",
        "de",
        "service_failure",
    ),
    ("Il prodotto non funziona, qualità pessima.", "mfn", "it", "product_review"),
    ("Il venditore non ha mai risposto, nessuna risposta al reso.", "mfn", "it", "service_failure"),
    ("El producto llegó roto, la calidad es muy mala.", "afn", "es", "mixed"),
    ("El vendedor nunca contestó, estafa total, sin respuesta.", "mfn", "es", "service_failure"),
    ("质量太差了，用了两天就坏了。", "mfn", "zh", "product_review"),
    ("快递太慢，等了三个星期才到货。", "afn", "zh", "fba_delivery"),
    ("卖家不回复消息，也不给退款。", "mfn", "zh", "service_failure"),
    ("商品が壊れていました。品質が悪いです。", "mfn", "ja", "product_review"),
    ("出品者からの返信がなく、返金もされません。", "mfn", "ja", "service_failure"),
    ("This is a fake, not genuine at all.", "afn", "en", "service_failure"),
    ("Product is ok but shipping took longer than promised.", "afn", "en", "fba_delivery"),
    ("Karton beschädigt, Inhalt in Ordnung.", "afn", "de", "fba_delivery"),
]


@pytest.mark.parametrize(("comment", "channel", "language", "category"), CASES)
def test_comments_are_sorted_into_their_category(
    comment: str, channel: str, language: str, category: str
) -> None:
    assert detect_language(comment) == language
    assert classify_feedback(comment, channel=channel, language=language)[0] == category


def entry(order: str, day: date, rating: int, comment: str, **fields: object) -> FeedbackEntry:
    return FeedbackEntry(order, day, rating, comment, **fields)  # type: ignore[arg-type]


def test_triage_gives_actions_windows_and_trends() -> None:
    entries = [
        entry(
            "o1", date(2026, 5, 1), 1, "The mug broke, poor quality.", channel="mfn", asins=("B01",)
        ),
        entry("o2", date(2026, 3, 1), 2, "Package arrived late.", channel="afn", asins=("B01",)),
        entry("o3", date(2026, 5, 20), 3, "Seller never replied.", channel="mfn", asins=("B02",)),
        entry("o4", date(2026, 5, 21), 5, "Great!", channel="mfn", asins=("B02",)),
    ]

    result = triage_feedback(entries, as_of=date(2026, 6, 1))

    items = {i["order_id"]: i for i in result["items"]}
    assert set(items) == {"o1", "o2", "o3"}  # 5 stars skipped
    # o1: 2026-05-01 + 90 = 2026-07-30, 59 days after 2026-06-01.
    assert (items["o1"]["action"], items["o1"]["days_left"]) == ("request_removal", 59)
    assert items["o1"]["removal_deadline"] == "2026-07-30"
    # o2: 2026-03-01 + 90 = 2026-05-30, already past.
    assert (items["o2"]["action"], items["o2"]["window_open"]) == ("too_late_to_remove", False)
    assert items["o3"]["action"] == "contact_buyer"
    assert items["o3"]["kind"] == "neutral"
    assert result["counts"]["removable_open"] == 1
    assert result["trends"]["by_asin"][0] == {
        "asin": "B01",
        "count": 2,
        "by_category": {"product_review": 1, "fba_delivery": 1},
    }
    assert [m["month"] for m in result["trends"]["by_month"]] == ["2026-03", "2026-05"]


@pytest.mark.parametrize("language", ["en", "fr", "de", "it", "es", "zh", "ja"])
@pytest.mark.parametrize("category", ["product_review", "fba_delivery", "service_failure"])
def test_reply_drafts_are_in_the_language_and_offer_nothing_for_the_rating(
    language: str, category: str
) -> None:
    reply = draft_reply(category, language, "111-222")

    assert "111-222" in reply
    assert check_reply(reply) == []
    if language in ("zh", "ja"):
        assert detect_language(reply) == language


@pytest.mark.parametrize(
    "text",
    [
        "We will send you a $10 voucher if you remove your feedback.",
        "Please update your review and we will give you a full refund.",
        "Nous vous offrons un bon d'achat si vous modifiez votre avis.",
        "Wir schenken Ihnen einen Gutschein, wenn Sie die Bewertung ändern.",
        "如果您删除差评，我们给您退款。",
    ],
)
def test_offers_for_a_changed_rating_are_flagged(text: str) -> None:
    assert check_reply(text)


def test_a_plain_apology_is_not_flagged() -> None:
    assert check_reply("We are sorry for the delay and have shipped a replacement today.") == []
