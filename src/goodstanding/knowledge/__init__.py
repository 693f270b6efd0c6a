"""The knowledge base: violation families, appeal-wide rules and their texts in seven languages.

Structure (ids, kinds, flags, thresholds, sources) lives in language-neutral YAML files validated
against JSON Schemas; each language has one text file per structure file. See
:mod:`goodstanding.knowledge.loader` for the layout.
"""

from goodstanding.knowledge.loader import DATA_DIR, REFERENCE_LANGUAGE, Knowledge
from goodstanding.knowledge.model import (
    FAMILY_IDS,
    GENERAL,
    METRIC_IDS,
    Audience,
    Basis,
    Category,
    Comparison,
    Family,
    General,
    Item,
    ItemKind,
    Metric,
    Placeholder,
    Question,
    QuestionGroup,
    QuestionKind,
    Template,
    Threshold,
)
from goodstanding.knowledge.schema import KnowledgeFileError

__all__ = [
    "DATA_DIR",
    "FAMILY_IDS",
    "GENERAL",
    "METRIC_IDS",
    "REFERENCE_LANGUAGE",
    "Audience",
    "Basis",
    "Category",
    "Comparison",
    "Family",
    "General",
    "Item",
    "ItemKind",
    "Knowledge",
    "KnowledgeFileError",
    "Metric",
    "Placeholder",
    "Question",
    "QuestionGroup",
    "QuestionKind",
    "Template",
    "Threshold",
]
