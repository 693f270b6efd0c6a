"""Case commands: follow a suspension from its notice to the outcome."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from goodstanding.cli.context import open_workspace
from goodstanding.cli.main import app
from goodstanding.cli.output import (
    AccountOption,
    FormatOption,
    OutputFormat,
    command,
    emit_json,
    fail,
    file_or_stdin,
    stderr,
    stdout,
)

case_app = typer.Typer(
    help="Keep each suspension as a case: notice, appeal versions, Amazon's replies.",
    no_args_is_help=True,
)
app.add_typer(case_app, name="case")

CaseArgument = Annotated[int, typer.Argument(metavar="CASE", help="The case number.")]
SourceArgument = Annotated[
    str, typer.Argument(metavar="FILE|-", help="A text, e-mail or PDF file, or - for stdin.")
]


class Outcome(StrEnum):
    """How a case ended."""

    REINSTATED = "reinstated"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    OTHER = "other"


def _read(source: str) -> str:
    from goodstanding.appeal import read_notice_text

    return read_notice_text(file_or_stdin(source))


def _print_case(document: dict[str, Any]) -> None:
    stdout.print(
        f"[bold]Case {document['id']}[/] ({document['status']}) — {escape(document['title'])}"
    )
    stdout.print(
        f"  account {escape(document['account'])}, families {', '.join(document['families'])}"
    )
    if document.get("deadline"):
        stdout.print(f"  answer by [bold]{document['deadline']}[/]")
    if document.get("final_decision"):
        stdout.print("  [bold red]Amazon said its decision is final.[/]")
    if document.get("outcome"):
        stdout.print(f"  outcome: {document['outcome']}")
    for version in document.get("versions", []):
        stdout.print(
            f"  version {version['number']}: submitted {version['submitted_at'][:10]}, "
            f"score {version['score']} ({version['verdict']})"
        )
    for reply in document.get("replies", []):
        reading = reply["reading"]
        kind = "rejection" if reading.get("rejection") else "reply"
        reasons = ", ".join(reading.get("reasons") or []) or "none named"
        stdout.print(f"  {kind} received {reply['received_on']}: reasons {reasons}")
    if document.get("awaiting_reply"):
        stdout.print("  [yellow]Waiting for Amazon's reply to the last version.[/]")
    if document.get("prior_findings"):
        stdout.print("  The next version must fix: " + ", ".join(document["prior_findings"]))
    guidance = document.get("guidance") or []
    if guidance:
        stdout.print("[bold]While the case is open[/]")
        marks = {"do": "✓", "dont": "✗", "escalation": "→"}
        for item in guidance:
            stdout.print(f"  {marks.get(item['kind'], '•')} {escape(item['text'])}")


@case_app.command("open")
@command
def open_case(
    account: AccountOption,
    notice: Annotated[Path, typer.Option("--notice", help="Amazon's notice.", show_default=False)],
    title: Annotated[str | None, typer.Option("--title", help="A short title.")] = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Open a case for a notice."""
    view = open_workspace().cases.open(account, _read(str(notice)), title=title)
    if output_format is OutputFormat.JSON:
        emit_json(view.to_json())
        return
    _print_case(view.to_json())


@case_app.command("list")
@command
def list_cases(account: AccountOption, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the account's cases, newest first."""
    cases = open_workspace().cases.list(account)
    if output_format is OutputFormat.JSON:
        emit_json([case.to_json() for case in cases])
        return
    if not cases:
        stderr.print("No case yet: open one with goodstanding case open --notice FILE.")
    for case in cases:
        stdout.print(
            f"{case.id:>4}  {case.status:<6}  {case.opened_at.date().isoformat()}  "
            f"{escape(case.title)}"
        )


@case_app.command("show")
@command
def show(
    case_id: CaseArgument,
    account: AccountOption,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the guidance.")] = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show a case: versions, replies, what to fix next, and the do's and don'ts."""
    view = open_workspace().cases.show(account, case_id, lang=lang)
    if output_format is OutputFormat.JSON:
        emit_json(view.to_json())
        return
    _print_case(view.to_json())


@case_app.command("submit")
@command
def submit(
    case_id: CaseArgument,
    source: SourceArgument,
    account: AccountOption,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Record a Plan of Action version as submitted (it cannot change afterwards)."""
    submission = open_workspace().cases.submit(account, case_id, _read(source))
    if output_format is OutputFormat.JSON:
        emit_json(submission.to_json())
        return
    report = submission.grade
    stdout.print(
        f"Version {submission.version.number} recorded; score {report.score} ({report.verdict})."
    )
    for finding in report.findings:
        if finding.severity == "error":
            stdout.print(f"  [red]error[/] {finding.rule}: {escape(finding.message)}")


@case_app.command("reply")
@command
def reply(
    case_id: CaseArgument,
    source: SourceArgument,
    account: AccountOption,
    received: Annotated[
        str | None, typer.Option("--received", help="Day received (YYYY-MM-DD); default today.")
    ] = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Record Amazon's reply; a rejection's reasons are checked in the next version."""
    day = None
    if received is not None:
        try:
            day = date.fromisoformat(received)
        except ValueError:
            fail(f"--received {received!r} is not a date like 2026-11-24.", code=2)
    record = open_workspace().cases.reply(account, case_id, _read(source), received_on=day)
    if output_format is OutputFormat.JSON:
        emit_json(record.to_json())
        return
    reading = record.reading
    if reading.get("rejection"):
        reasons = ", ".join(reading.get("reasons") or []) or "none named"
        stdout.print(f"Rejection recorded (reasons: {reasons}).")
    else:
        stdout.print("Reply recorded.")
    if reading.get("final_decision"):
        stdout.print("[bold red]Amazon says its decision is final.[/]")


@case_app.command("close")
@command
def close(
    case_id: CaseArgument,
    account: AccountOption,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="How the case ended.")],
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Close a case with its outcome."""
    view = open_workspace().cases.close(account, case_id, outcome=outcome.value)
    if output_format is OutputFormat.JSON:
        emit_json(view.to_json())
        return
    stdout.print(f"Case {case_id} closed ({outcome.value}).")
