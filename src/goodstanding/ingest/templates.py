"""goodstanding's own CSV templates, for the data Amazon gives no report for.

Shipments, A-to-z claims, chargebacks and buyer messages have no flat-file report (amazon-account-
health.md §3.7), so sellers fill in these templates. Their columns come from the same formats the
parsers read (``formats.py``), so the templates and the parser cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from goodstanding.errors import InputError
from goodstanding.ingest.formats import FORMATS, Column

_TEMPLATE_TYPES: Final = ("shipments", "claims", "chargebacks", "messages")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template, as the ``templates`` command explains it.

    Attributes:
        name: the header to write.
        required: the header must be present (and, for most, filled on every line).
        meaning: what to put in it.
        allowed: the values accepted (case-insensitive); empty when free.
    """

    name: str
    required: bool
    meaning: str
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    """One blank CSV template.

    Attributes:
        name: the report type it imports as.
        title: what it records.
        columns: its columns, in the order written.
    """

    name: str
    title: str
    columns: tuple[TemplateColumn, ...]

    @property
    def filename(self) -> str:
        """The file name the template is written under."""
        return f"{self.name}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        """The header names, in order."""
        return tuple(c.name for c in self.columns)

    def blank(self) -> str:
        """The template's text: its header line only."""
        return ",".join(self.header) + "\n"


def _template_column(column: Column) -> TemplateColumn:
    allowed = column.allowed
    if column.kind == "flag":
        allowed = ("Y", "N")
    return TemplateColumn(column.header, column.required, column.meaning, allowed)


TEMPLATES: Final[Mapping[str, TemplateSpec]] = {
    name: TemplateSpec(
        name,
        FORMATS[name].title,
        tuple(_template_column(c) for c in FORMATS[name].columns),
    )
    for name in _TEMPLATE_TYPES
}
"""The blank templates by report type: shipments, claims, chargebacks, messages."""


def write_templates(directory: Path) -> list[Path]:
    """Write every blank template (header line only, UTF-8) into ``directory``.

    A template already there is rewritten only if it is still blank, so filled-in work is never
    overwritten.

    Raises:
        InputError: a file of the same name with other content is in the way.
    """
    directory = Path(directory)
    targets = [(directory / spec.filename, spec.blank()) for spec in TEMPLATES.values()]
    for path, text in targets:
        if path.exists() and (not path.is_file() or path.read_bytes() != text.encode("utf-8")):
            raise InputError(
                f"{path} already exists and is not a blank template.",
                hint="Choose another directory, or move that file away first.",
            )
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in targets:
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
