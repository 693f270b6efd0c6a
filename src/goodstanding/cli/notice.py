"""Notice commands: read a suspension notice into structured facts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from goodstanding.cli.context import open_workspace
from goodstanding.cli.main import app
from goodstanding.cli.output import OutputFormat, command, emit_json, file_or_stdin, stderr, stdout

notice_app = typer.Typer(help="Read Amazon's suspension and warning notices.", no_args_is_help=True)
app.add_typer(notice_app, name="notice")


@notice_app.command("classify")
@command
def classify(
    source: Annotated[
        str, typer.Argument(metavar="FILE|-", help="Notice file (.txt, .eml, .pdf) or - for stdin.")
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for scripts.")
    ] = OutputFormat.TEXT,
) -> None:
    """Say what a notice accuses the account of, by when to answer and what to send."""
    reading = open_workspace().read_notice(file_or_stdin(source))
    document = reading.to_json()
    if output is OutputFormat.JSON:
        emit_json(document)
        return
    if not document["families"]:
        stderr.print(escape(document.get("message") or "No violation family found in this text."))
        return
    stdout.print(
        f"[bold]{document['account_type']} account[/], scope {document['scope']}, "
        f"language {document['language']}"
        + (f", marketplace {document['marketplace']}" if document.get("marketplace") else "")
    )
    for found in document["families"]:
        stdout.print(
            f" • [bold]{found['id']}[/] ({found['confidence']:.0%}): "
            f"[dim]“{escape(str(found['evidence']))}”[/]"
        )
    if document.get("deadline") or document.get("days_to_respond"):
        stdout.print(
            f"Answer by [bold]{document.get('deadline') or '?'}[/]"
            + (
                f" ({document['days_to_respond']} days)"
                if document.get("days_to_respond") is not None
                else ""
            )
        )
    if document.get("asins"):
        stdout.print("ASINs: " + ", ".join(document["asins"]))
    if document.get("order_ids"):
        stdout.print("Orders: " + ", ".join(document["order_ids"]))
    if document["final_decision"]:
        stdout.print(
            "[bold red]Amazon says this decision is final:[/] a new Plan of Action will not be "
            "read. See the next steps below."
        )
    for item in document.get("requested") or []:
        text = item.get("text", item) if isinstance(item, dict) else item
        stdout.print(f" → Amazon asks for: {escape(str(text))}")
    for step in document.get("next_steps") or []:
        stdout.print(f" ▸ {escape(str(step))}")
