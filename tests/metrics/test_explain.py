"""One plain sentence per metric, in each language goodstanding speaks."""

from __future__ import annotations

from typing import Any

import pytest

from goodstanding.errors import InputError
from goodstanding.metrics import explain_metric
from goodstanding.types import LANGUAGES


def entry(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "order_defect_rate",
        "channel": "mfn",
        "window_days": 60,
        "window_start": "2020-09-06",
        "window_end": "2020-11-04",
        "numerator": 6,
        "denominator": 412,
        "value": 6 / 412,
        "target": {"op": "<", "value": 0.01},
        "status": "breach",
        "defects": [],
        "recovery": {
            "clean_orders_needed": 189,
            "defects_ageing_out": [],
            "expected_ok_date": "2020-12-12",
        },
    }
    base.update(overrides)
    return base


def test_breach_sentence_in_english_names_counts_and_estimate() -> None:
    assert explain_metric(entry()) == (
        "Order defect rate (MFN, 60 days): 6 of 412 orders (1.46 %), target under 1 %: "
        "target missed. 189 more defect-free orders would bring it back. Safe again on "
        "12 Dec 2020 if no new defects arrive — an estimate."
    )


def test_ok_sentence_has_no_recovery() -> None:
    text = explain_metric(
        entry(numerator=3, value=3 / 412, status="ok", recovery={"clean_orders_needed": 0})
    )
    assert text == (
        "Order defect rate (MFN, 60 days): 3 of 412 orders (0.73 %), target under 1 %: on target."
    )


def test_no_data_and_component_and_message_sentences() -> None:
    no_data = entry(
        id="valid_tracking_rate",
        window_days=30,
        numerator=0,
        denominator=0,
        value=None,
        status="no_data",
        window_start="2020-10-11",
        window_end="2020-11-09",
    )
    assert explain_metric(no_data) == (
        "Valid tracking rate (MFN, 30 days): no shipments between 11 Oct 2020 and "
        "9 Nov 2020, so no rate."
    )
    component = entry(id="chargeback_rate", numerator=1, value=1 / 412, target=None, status="info")
    assert explain_metric(component).endswith(
        "1 of 412 orders (0.24 %), part of the order defect rate."
    )
    messages = entry(
        id="late_response_rate",
        channel="all",
        window_days=7,
        numerator=2,
        denominator=40,
        value=0.05,
        target={"op": "<", "value": 0.1},
        status="ok",
    )
    assert explain_metric(messages).startswith("Late response rate (7 days): 2 of 40 messages")


def test_french_sentence_uses_french_numbers_and_dates() -> None:
    assert explain_metric(entry(), lang="fr") == (
        "Taux de commandes défectueuses (MFN, 60 jours) : 6 sur 412 commandes (1,46 %), "
        "objectif moins de 1 % : objectif manqué. Encore 189 commandes sans défaut pour revenir "
        "dans la zone sûre. Retour en zone sûre le 12 déc. 2020 si aucun nouveau défaut "
        "n'arrive (estimation)."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_explains_every_status(lang: str) -> None:
    for status in ("breach", "at_risk", "ok"):
        text = explain_metric(entry(status=status), lang=lang)
        assert "412" in text
        assert "{" not in text
    assert "412" in explain_metric(entry(target=None, status="info"), lang=lang)


def test_unknown_language_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Language 'xx'"):
        explain_metric(entry(), lang="xx")


@pytest.mark.parametrize(
    ("lang", "count", "needed"),
    [
        ("en", "6,233 of 393,191 orders", "230,110 more"),
        ("de", "6.233 von 393.191", "230.110"),
        ("fr", "6\u202f233 sur 393\u202f191", "230\u202f110"),
        ("ja", "393,191件", "230,110"),
    ],
)
def test_big_counts_are_grouped_as_each_language_writes_them(
    lang: str, count: str, needed: str
) -> None:
    big = entry(
        numerator=6233,
        denominator=393191,
        value=6233 / 393191,
        recovery={"clean_orders_needed": 230110, "expected_ok_date": "2020-12-12"},
    )
    text = explain_metric(big, lang)
    assert count in text
    assert needed in text
