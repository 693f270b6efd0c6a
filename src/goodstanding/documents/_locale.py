"""Language tags and paper sizes the DOCX and PDF writers derive from a document's language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from goodstanding.documents.model import primary_language

# The region each of goodstanding's languages is most often written for on Amazon.
_DEFAULT_TAGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "en": "en-US",
        "zh": "zh-CN",
        "ja": "ja-JP",
        "ko": "ko-KR",
        "fr": "fr-FR",
        "de": "de-DE",
        "it": "it-IT",
        "es": "es-ES",
    }
)
# North America uses US Letter; everyone else A4.
_LETTER_REGIONS: Final = frozenset({"US", "CA", "MX", "PH"})


def language_tag(language: str) -> str:
    """A full tag such as "zh-CN" for "zh"; a tag that already names a region is kept."""
    parts = language.split("-")
    if len(parts) > 1:
        return "-".join(
            [parts[0].lower(), *(part.upper() if len(part) == 2 else part for part in parts[1:])]
        )
    return _DEFAULT_TAGS.get(primary_language(language), primary_language(language))


def letter_paper(language: str) -> bool:
    """Whether a document in ``language`` is printed on US Letter rather than A4."""
    region = language_tag(language).split("-")[-1]
    return region in _LETTER_REGIONS
