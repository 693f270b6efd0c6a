"""Sample POAs for the grader's tests (written for these tests, in seven languages)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from goodstanding.appeal.grade import GradeReport

POA_DIR: Final = Path(__file__).parent / "data" / "poas"
LANGUAGES: Final = ("en", "zh", "fr", "it", "de", "es", "ja")
# The violation family each good sample answers (what its notice would have said).
GOOD_FAMILIES: Final = {
    "en": ("order_defect_rate",),
    "zh": ("cancellation_rate",),
    "fr": ("authenticity",),
    "it": ("restricted_products",),
    "de": ("intellectual_property_trademark",),
    "es": ("late_shipment",),
    "ja": ("condition_used_sold_as_new",),
}


def read_poa(name: str) -> str:
    """The text of ``data/poas/<name>.txt``."""
    return (POA_DIR / f"{name}.txt").read_text(encoding="utf-8")


def rules_of(report: GradeReport) -> set[str]:
    """The rule ids a report contains."""
    return {finding.rule for finding in report.findings}


def replace_section(text: str, heading: str, new_body: str | None) -> str:
    """Replace the body under ``heading`` (up to the next blank line); drop it all when None."""
    start = text.index(heading)
    end = text.find("\n\n", start)
    end = len(text) if end == -1 else end
    if new_body is None:
        return text[:start] + text[end:].lstrip("\n")
    return text[:start] + heading + "\n" + new_body + text[end:]


def add_to_section(text: str, heading: str, sentence: str) -> str:
    """Append ``sentence`` as a new line at the end of the section under ``heading``."""
    start = text.index(heading)
    end = text.find("\n\n", start)
    end = len(text) if end == -1 else end
    return text[:end] + "\n" + sentence + text[end:]
