"""The optional LLM: translate the seller's own words, with personal data kept on the machine.

Nothing here runs unless the user asks for it (``--llm``) and an OpenAI-compatible endpoint is
configured. Before any call, personal data (e-mail addresses, phone numbers, order ids, postal
addresses and the names the caller knows) is replaced by placeholders such as ``[[PII_1]]``, and
put back in the answer. The answer then passes a fact guard: every number, date, order id and
ASIN in a paragraph must appear in the facts the model was given, or the paragraph is rejected
with a finding and the original text is kept.

The HTTP client takes an injectable ``httpx`` transport, so tests run against a fake endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from goodstanding.errors import InputError

__all__ = [
    "ChatClient",
    "FactFinding",
    "LLMTranslator",
    "Redaction",
    "check_facts",
    "redact",
]

_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ORDER_ID: Final = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")
_PHONE: Final = re.compile(r"(?<![\w-])\+?\d[\d ().-]{7,}\d(?![\w-])")
_ADDRESS: Final = re.compile(
    r"\b\d{1,5}[a-z]?,? (?:[A-ZÀ-Ý][\w'-]+ ){0,3}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Way|"
    r"Straße|Strasse|Weg|Platz|Gasse)\b"
    r"|\b(?:rue|avenue|boulevard|via|viale|piazza|calle|avenida|plaza|paseo) [\w' -]{2,40}?,? "
    r"\d{1,5}\b",
    re.IGNORECASE,
)
_ASIN: Final = re.compile(r"\b(?:B0[A-Z0-9]{8}|\d{9}[\dX])\b")
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)*")
_TIMEOUT: Final = 60.0


@dataclass(frozen=True, slots=True)
class Redaction:
    """A text with its personal data replaced, and how to put it back."""

    text: str
    replacements: tuple[tuple[str, str], ...]
    """``(placeholder, original)`` pairs."""

    def restore(self, text: str) -> str:
        """Put the original values back in place of the placeholders."""
        for placeholder, original in self.replacements:
            text = text.replace(placeholder, original)
        return text


def redact(text: str, *, known: Iterable[str] = ()) -> Redaction:
    """Replace personal data in ``text`` by placeholders ``[[PII_n]]``.

    Args:
        text: the text to send.
        known: names and other values the caller knows to be personal (contact person...).
    """
    found: dict[str, str] = {}

    def placeholder(value: str) -> str:
        if value not in found:
            found[value] = f"[[PII_{len(found) + 1}]]"
        return found[value]

    for value in sorted({v.strip() for v in known if v and v.strip()}, key=len, reverse=True):
        text = text.replace(value, placeholder(value))
    for pattern in (_EMAIL, _ORDER_ID, _ADDRESS, _PHONE):
        text = pattern.sub(lambda match: placeholder(match.group()), text)
    return Redaction(text, tuple((mark, value) for value, mark in found.items()))


@dataclass(frozen=True, slots=True)
class FactFinding:
    """A paragraph of the LLM's answer rejected by the fact guard."""

    paragraph: str
    unsupported: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"rule", "paragraph", "unsupported"}``."""
        return {
            "rule": "llm_unsupported_fact",
            "paragraph": self.paragraph,
            "unsupported": list(self.unsupported),
        }


def _facts_of(text: str) -> set[str]:
    tokens = {match.group() for match in _ASIN.finditer(text)}
    tokens |= {match.group() for match in _ORDER_ID.finditer(text)}
    for match in _NUMBER.finditer(text):
        tokens.add(_number(match.group()))
    return tokens


def _number(token: str) -> str:
    # 2,3 and 2.3 are the same figure; 1,234 and 1.234 as thousands are too.
    return token.replace(",", ".").lstrip("0") or "0"


def check_facts(text: str, facts: str) -> tuple[str, tuple[FactFinding, ...]]:
    """Keep the paragraphs whose numbers, dates, order ids and ASINs all appear in ``facts``.

    Returns:
        The kept paragraphs (joined by blank lines) and a finding per rejected paragraph.
    """
    known = _facts_of(facts)
    kept: list[str] = []
    findings: list[FactFinding] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        if not paragraph.strip():
            continue
        unsupported: list[str] = []
        masked = paragraph
        for pattern in (_ORDER_ID, _ASIN):
            for match in pattern.finditer(paragraph):
                if match.group() not in known:
                    unsupported.append(match.group())
            masked = pattern.sub(" ", masked)
        for match in _NUMBER.finditer(masked):
            if _number(match.group()) not in known:
                unsupported.append(match.group())
        if unsupported:
            findings.append(FactFinding(paragraph, tuple(dict.fromkeys(unsupported))))
        else:
            kept.append(paragraph)
    return "\n\n".join(kept), tuple(findings)


@dataclass
class ChatClient:
    """A minimal client of an OpenAI-compatible ``/chat/completions`` endpoint."""

    base_url: str
    model: str
    api_key: str | None = None
    transport: httpx.BaseTransport | None = None
    timeout: float = _TIMEOUT
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def _http(self) -> httpx.Client:
        if self._client is None:
            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/") + "/",
                headers=headers,
                transport=self.transport,
                timeout=self.timeout,
            )
        return self._client

    def complete(self, messages: Sequence[dict[str, str]]) -> str:
        """Send the messages and return the first choice's text.

        Raises:
            InputError: the endpoint cannot be reached or answers with an error or no text.
        """
        payload = {"model": self.model, "messages": list(messages), "temperature": 0}
        try:
            response = self._http().post("chat/completions", json=payload)
        except httpx.HTTPError as error:
            raise InputError(
                f"The LLM endpoint {self.base_url} cannot be reached ({error}).",
                hint="Check GOODSTANDING_LLM_BASE_URL, or draft without --llm.",
            ) from error
        if response.status_code >= 400:
            raise InputError(
                f"The LLM endpoint {self.base_url} answered HTTP {response.status_code}.",
                hint="Check the model name and the API key (GOODSTANDING_LLM_MODEL, "
                "GOODSTANDING_LLM_API_KEY).",
            )
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise InputError(
                f"The LLM endpoint {self.base_url} gave no chat completion.",
                hint="Use an OpenAI-compatible endpoint (POST /chat/completions).",
            ) from error
        if not isinstance(content, str) or not content.strip():
            raise InputError(
                f"The LLM endpoint {self.base_url} returned an empty answer.",
                hint="Try again, or draft without --llm.",
            )
        return content.strip()

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None


_LANGUAGE_NAMES: Final = {
    "en": "English",
    "zh": "Simplified Chinese",
    "fr": "French",
    "it": "Italian",
    "de": "German",
    "es": "Spanish",
    "ja": "Japanese",
}


@dataclass
class LLMTranslator:
    """Translates the seller's own text through the LLM, redacted and fact-guarded."""

    client: ChatClient
    known: tuple[str, ...] = ()
    findings: list[FactFinding] = field(default_factory=list)

    def __call__(self, text: str, source: str, target: str) -> str | None:
        """The translation of ``text`` into ``target``, or None when the guard rejected it."""
        redaction = redact(text, known=self.known)
        messages = [
            {
                "role": "system",
                "content": (
                    "You translate sentences of an Amazon seller's plan of action. Translate "
                    f"from {_LANGUAGE_NAMES.get(source, source)} into "
                    f"{_LANGUAGE_NAMES.get(target, target)}. Keep every number, date, "
                    "identifier and placeholder such as [[PII_1]] exactly as written. Add "
                    "nothing, remove nothing, answer with the translation only."
                ),
            },
            {"role": "user", "content": redaction.text},
        ]
        answer = redaction.restore(self.client.complete(messages))
        kept, findings = check_facts(answer, text)
        self.findings.extend(findings)
        if findings:
            return None
        return kept
