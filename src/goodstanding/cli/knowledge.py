"""Knowledge commands: the violation families, explained in the seller's language."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from goodstanding.cli.context import open_workspace
from goodstanding.cli.main import app
from goodstanding.cli.output import FormatOption, OutputFormat, command, emit_json, stdout

LangOption = Annotated[str, typer.Option("--lang", help="Language: en, zh, fr, it, de, es or ja.")]


@app.command()
@command
def families(lang: LangOption = "en", output: FormatOption = OutputFormat.TEXT) -> None:
    """List the violation families goodstanding knows."""
    knowledge = open_workspace().knowledge
    found = knowledge.families(knowledge.check_language(lang))
    if output is OutputFormat.JSON:
        emit_json(
            [
                {
                    "id": family.id,
                    "name": family.name,
                    "category": family.category.value,
                    "summary": family.summary,
                    "metrics": list(family.metrics),
                }
                for family in found
            ]
        )
        return
    table = Table("id", "name", "category", title_justify="left")
    for family in found:
        table.add_row(family.id, family.name, family.category.value)
    stdout.print(table)


@app.command()
@command
def family(
    family_id: Annotated[str, typer.Argument(metavar="ID", help="A family id (see `families`).")],
    lang: LangOption = "en",
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Explain one violation family: policy, causes, actions, measures, evidence, do's."""
    knowledge = open_workspace().knowledge
    found = knowledge.family(family_id, knowledge.check_language(lang))
    general = knowledge.general(found.lang)
    if output is OutputFormat.JSON:
        emit_json(_family_json(found))
        return
    stdout.print(f"[bold]{escape(found.name)}[/]  ({found.id})")
    stdout.print(escape(found.summary))
    if found.vendor_difference:
        stdout.print(f"[dim]Vendor Central:[/] {escape(found.vendor_difference)}")
    if found.metrics:
        names = [general.metrics[m].name if m in general.metrics else m for m in found.metrics]
        stdout.print("[dim]Metrics:[/] " + ", ".join(names))
    sections = (
        ("rules", found.rules),
        ("root causes", found.root_causes),
        ("immediate actions", found.immediate_actions),
        ("preventive measures", found.preventive_measures),
        ("evidence", found.evidence),
        ("do", found.dos),
        ("don't", found.donts),
    )
    for title, items in sections:
        if not items:
            continue
        stdout.print(f"\n[bold underline]{title}[/]")
        for item in items:
            label = f"[bold]{escape(item.label)}[/]: " if item.label else ""
            source = f" [dim]({escape(item.source)})[/]" if item.source else ""
            stdout.print(f" • {label}{escape(item.text)}{source}")
    if found.questions:
        stdout.print("\n[bold underline]interview[/]")
        for question in found.questions:
            group = general.question_groups.get(question.group, question.group.value)
            stdout.print(f" ? [dim]{escape(group)}:[/] {escape(question.text)}")


def _family_json(found: object) -> dict[str, object]:
    from dataclasses import asdict

    document: dict[str, object] = asdict(found)  # type: ignore[call-overload]
    return document
