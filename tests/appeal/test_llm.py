"""The optional LLM: redaction, the fact guard, the client, and translation in drafts."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from goodstanding.appeal import classify_notice
from goodstanding.appeal.draft import draft_plan
from goodstanding.appeal.interview import interview_for_notice, read_answers
from goodstanding.appeal.llm import ChatClient, LLMTranslator, check_facts, redact
from goodstanding.errors import InputError
from goodstanding.knowledge import Knowledge

from .fake_llm import fake_server, transport
from .poa_notices import ODR_NOTICE

GERMAN = (
    "Unser Paketdienst hat am 3. Oktober elf Pakete verloren, weil die Etiketten falsch waren "
    "(Auftrag 111-2223334-5556667)."
)
ENGLISH = (
    "Our parcel service lost eleven parcels on 3 October because the labels were wrong "
    "(order 111-2223334-5556667)."
)


def test_redaction_hides_personal_data_and_restores_it() -> None:
    text = (
        "Contact Dana Lee at dana.lee@example.com or +44 20 7946 0958 about order "
        "111-2223334-5556667, shipped to 12 Baker Street."
    )
    redaction = redact(text, known=["Dana Lee"])
    for secret in ("Dana Lee", "dana.lee@example.com", "7946", "111-2223334", "Baker Street"):
        assert secret not in redaction.text
    assert "[[PII_1]]" in redaction.text
    assert redaction.restore(redaction.text) == text


def test_fact_guard_rejects_paragraphs_with_new_figures() -> None:
    facts = "Our ODR was 2,3 % (14 of 610 orders) for ASIN B00TESTAB1 on 6 September 2026."
    answer = (
        "Our ODR was 2.3 % (14 of 610 orders).\n\n"
        "It fell to 0.4 % after 30 days.\n\n"
        "ASIN B00OTHERXY was affected."
    )
    kept, findings = check_facts(answer, facts)
    assert kept == "Our ODR was 2.3 % (14 of 610 orders)."
    assert [f.unsupported for f in findings] == [("0.4", "30"), ("B00OTHERXY",)]
    assert findings[0].to_json()["rule"] == "llm_unsupported_fact"


def test_client_posts_an_openai_chat_completion() -> None:
    requests: list[dict[str, Any]] = []
    client = ChatClient(
        "http://llm.test/v1", "tiny", "sk-test", transport=transport(lambda m: "ok", requests)
    )
    assert client.complete([{"role": "user", "content": "hi"}]) == "ok"
    assert requests[0]["path"] == "/v1/chat/completions"
    assert requests[0]["model"] == "tiny"
    assert requests[0]["headers"]["authorization"] == "Bearer sk-test"


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(200, text="not json"),
        httpx.Response(200, json={"choices": []}),
    ],
)
def test_client_errors_are_input_errors(response: httpx.Response) -> None:
    client = ChatClient(
        "http://llm.test/v1", "tiny", transport=httpx.MockTransport(lambda r: response)
    )
    with pytest.raises(InputError, match="LLM endpoint"):
        client.complete([{"role": "user", "content": "hi"}])


def test_unreachable_endpoint_is_an_input_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = ChatClient("http://llm.test/v1", "tiny", transport=httpx.MockTransport(refuse))
    with pytest.raises(InputError, match="cannot be reached"):
        client.complete([{"role": "user", "content": "hi"}])


def _translate(messages: list[dict[str, str]]) -> str:
    # The fake model only ever sees the redacted text; it "translates" the one sentence it knows.
    user = messages[-1]["content"]
    assert "111-2223334-5556667" not in user
    assert (
        user == "Unser Paketdienst hat am 3. Oktober elf Pakete verloren, weil die Etiketten "
        "falsch waren (Auftrag [[PII_1]])."
    )
    return (
        "Our parcel service lost eleven parcels on 3 October because the labels were wrong "
        "(order [[PII_1]])."
    )


def test_translator_sends_redacted_text_and_restores_it() -> None:
    requests: list[dict[str, Any]] = []
    translator = LLMTranslator(
        ChatClient("http://llm.test", "m", transport=transport(_translate, requests))
    )
    assert translator(GERMAN, "de", "en") == ENGLISH
    assert "[[PII_1]]" in requests[0]["messages"][-1]["content"]


def _draft_with_own_words(answer: Any) -> Any:
    knowledge = Knowledge.load()
    interview = interview_for_notice(knowledge, classify_notice(ODR_NOTICE), lang="en")
    data = json.loads(json.dumps(interview.to_answers()))
    data["questions"][0]["text"] = GERMAN
    answers = read_answers(data, interview)
    requests: list[dict[str, Any]] = []
    translator = LLMTranslator(
        ChatClient("http://llm.test", "m", transport=transport(answer, requests))
    )
    return draft_plan(knowledge, interview, answers, lang="en", translate=translator)


def test_draft_uses_the_guarded_translation() -> None:
    draft = _draft_with_own_words(_translate)
    assert ENGLISH in draft.text
    assert GERMAN not in draft.text
    assert "translated" in [note.code for note in draft.notes]


def test_draft_keeps_the_own_words_when_the_llm_invents_figures() -> None:
    draft = _draft_with_own_words(lambda messages: "We lost 40 parcels on 3 October.")
    assert GERMAN in draft.text
    codes = [note.code for note in draft.notes]
    assert "llm_rejected" in codes
    assert "foreign_text" in codes


def test_fake_server_speaks_the_openai_protocol() -> None:
    with fake_server(lambda messages: "pong") as (url, requests):
        client = ChatClient(url, "m")
        try:
            assert client.complete([{"role": "user", "content": "ping"}]) == "pong"
        finally:
            client.close()
    assert requests[0]["model"] == "m"
