"""Heuristics that find text left in English in another language's file.

Used by test_texts.py on every installed language. Proper nouns, Amazon's feature names, acronyms
and placeholders are removed first (``ALLOWED_TERMS``); translators may extend that list when a
name is kept in English on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

ALLOWED_TERMS: Final = (
    # Amazon programmes, pages and buttons that keep their English name in many stores.
    "Amazon",
    "Seller Central",
    "Vendor Central",
    "Vendor Manager",
    "Account Health Assurance",
    "Account Health",
    "Product Compliance Requests",
    "Product Policy Compliance",
    "Received IP Complaints",
    "Other Policy Violations",
    "Reactivate your account",
    "View Appeal",
    "Buy Shipping",
    "Claims Protected",
    "Shipping Settings Automation",
    "Buyer-Seller Messaging",
    "Feedback Manager",
    "Request a Review",
    "Brand Registry",
    "Selling Partner Support",
    "Seller Support",
    "Business Solutions Agreement",
    "Seller Code of Conduct",
    "Fair Pricing Policy",
    "Fulfilment by Amazon",
    "Fulfillment by Amazon",
    "Featured Offer",
    "Standard Shipping",
    "Vine",
    "A-to-z Guarantee",
    "A-to-z",
    "goodstanding",
    "notice-retraction@amazon.com",
    # Acronyms and identifiers.
    "ASINs",
    "ASIN",
    "FNSKU",
    "SKUs",
    "SKU",
    "FBA",
    "FBM",
    "MFN",
    "AFN",
    "ODR",
    "LSR",
    "VTR",
    "OTDR",
    "AHR",
    "IDR",
    "DMCA",
    "CPSC",
    "CPC",
    "SDS",
    "ASN",
    "EDI",
    "UPC",
    "EAN",
    "GTIN",
    "LoA",
    "IP",
    "ID",
    "IDs",
    "PDF",
    "JPG",
    "JPEG",
    "PNG",
    "GIF",
    "TIFF",
    "png",
    "tiff",
    "jpg",
    "jpeg",
    "pjpeg",
    "gif",
    "pdf",
    "MB",
    "VAT",
    "EU",
    "US",
    "UK",
    "CE",
    "ISO",
    "PO",
    "CR",
)
"""Names, acronyms and formats that may stay in English in any language."""

_TERMS: Final = re.compile(
    "|".join(
        rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])"
        for term in sorted(ALLOWED_TERMS, key=len, reverse=True)
    )
)
_NOISE: Final = re.compile(r"\{[a-z_]+\}|https?://\S+|\S+@\S+")
_LATIN_WORD: Final = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ENGLISH_RUN: Final = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[\s,;:()]+[A-Za-z][A-Za-z'’-]*){3,}")

# Frequent English words that are not words of French, Italian, German or Spanish (so "in", "on",
# "or", "an", "all", "was", "will", "no", "so" are deliberately absent).
ENGLISH_MARKERS: Final = frozenset(
    {
        "the", "and", "with", "our", "we", "which", "that", "this", "have", "has", "been",
        "were", "from", "would", "should", "each", "every", "within", "whose", "when", "what",
        "into", "only", "than", "they", "them", "their", "there", "these", "those", "where",
        "must", "of", "to", "is", "are", "be", "by", "its", "it", "who", "after", "before",
    }
)  # fmt: skip


def strip_allowed(text: str) -> str:
    """The text without placeholders, links, e-mail addresses and allowed terms."""
    return _TERMS.sub(" ", _NOISE.sub(" ", text))


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def untranslated_reason(text: str, english: str, lang: str) -> str | None:
    """Why ``text`` (in ``lang``) looks like English left untranslated, or ``None`` if it does not.

    Args:
        text: the text found in the language file.
        english: the English text of the same key.
        lang: the language code of the file (``zh`` and ``ja`` are checked for Latin runs).
    """
    rest = strip_allowed(text)
    words = _LATIN_WORD.findall(rest)
    if (
        _normalise(text) == _normalise(english)
        and len(_LATIN_WORD.findall(strip_allowed(english))) >= 2
    ):
        return "identical to the English text"
    if lang in {"zh", "ja"}:
        run = _ENGLISH_RUN.search(rest)
        if run:
            return f"a run of English words: {run.group(0)!r}"
        letters = sum(ch.isalpha() for ch in rest)
        latin = sum(len(word) for word in words)
        if letters and latin / letters > 0.5:
            return "mostly Latin letters"
        return None
    markers = [word for word in words if word.casefold() in ENGLISH_MARKERS]
    if len(markers) >= 2 and len(markers) / max(len(words), 1) >= 0.15:
        return f"English function words: {', '.join(markers[:6])}"
    return None
