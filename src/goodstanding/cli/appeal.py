"""Appeal commands: the interview for a notice, the drafted Plan of Action, and its grade."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from goodstanding.cli.context import open_workspace
from goodstanding.cli.main import app
from goodstanding.cli.output import (
    OutputFormat,
    command,
    emit_json,
    fail,
    file_or_stdin,
    parse_day,
    stderr,
    stdout,
)

appeal_app = typer.Typer(
    help="Build the Plan of Action for a notice: questions, draft, grade.", no_args_is_help=True
)
app.add_typer(appeal_app, name="appeal")

NoticeOption = Annotated[
    Path,
    typer.Option("--notice", help="Amazon's notice (.txt, .eml or .pdf).", show_default=False),
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="Language (en zh fr it de es ja); default the notice's."),
]


class AnswersFormat(StrEnum):
    """How ``appeal questions`` writes its answers file."""

    JSON = "json"
    YAML = "yaml"


class AccountKind(StrEnum):
    """Seller Central or Vendor Central."""

    SELLER = "seller"
    VENDOR = "vendor"


class DocumentFormat(StrEnum):
    """The formats ``appeal draft`` writes."""

    TXT = "txt"
    MD = "md"
    DOCX = "docx"
    PDF = "pdf"


class Variant(StrEnum):
    """The Plan of Action layouts."""

    SELLER = "seller"
    VENDOR = "vendor"
    CN_TEMPLATE = "cn-template"


def _warn(message: str) -> None:
    stderr.print(f"[bold yellow]warning:[/] {escape(message)}", highlight=False)


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    from goodstanding.documents import write_bytes_atomically

    write_bytes_atomically(text.encode("utf-8"), output)
    stderr.print(f"Wrote {escape(str(output))}", highlight=False)


@appeal_app.command("questions")
@command
def questions(
    notice: NoticeOption,
    lang: LangOption = None,
    output_format: Annotated[
        AnswersFormat,
        typer.Option("--format", help="yaml to edit by hand, json for scripts."),
    ] = AnswersFormat.YAML,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the answers file here.")
    ] = None,
    account_type: Annotated[
        AccountKind | None,
        typer.Option("--account-type", help="seller or vendor; default what the notice says."),
    ] = None,
) -> None:
    """Print the questions for a notice: itself an answers file, pre-filled with suggestions."""
    interview = open_workspace().appeals.questions(
        notice, lang=lang, account_type=account_type.value if account_type else None
    )
    for warning in interview.warnings:
        _warn(warning)
    if output_format is AnswersFormat.JSON:
        if output is None:
            emit_json(interview.to_answers())
        else:
            _write_text(json.dumps(interview.to_answers(), ensure_ascii=False, indent=2), output)
        return
    _write_text(interview.to_yaml(), output)


@appeal_app.command("draft")
@command
def draft(
    notice: NoticeOption,
    answers: Annotated[
        Path,
        typer.Option("--answers", help="Answers file (from appeal questions).", show_default=False),
    ],
    account: Annotated[
        str | None, typer.Option("--account", "-a", help="State this account's own figures.")
    ] = None,
    variant: Annotated[Variant, typer.Option("--variant", help="Layout.")] = Variant.SELLER,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Output language (en zh fr it de es ja); default the notice's."
        ),
    ] = None,
    output_format: Annotated[
        DocumentFormat | None,
        typer.Option("--format", help="txt (Seller Central form), md, docx or pdf."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the plan to this file.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Figures as of this day (YYYY-MM-DD).")
    ] = None,
    llm: Annotated[
        bool,
        typer.Option(
            "--llm",
            help="Translate your own words with the configured LLM (personal data is replaced "
            "by placeholders first). Off by default: nothing leaves the machine.",
        ),
    ] = False,
) -> None:
    """Draft the Plan of Action from an answers file, in the chosen layout and language."""
    fmt = output_format
    if (
        fmt is None
        and output is not None
        and output.suffix.lstrip(".").lower() in {member.value for member in DocumentFormat}
    ):
        fmt = DocumentFormat(output.suffix.lstrip(".").lower())
    fmt = fmt or DocumentFormat.TXT
    if output is None and fmt in (DocumentFormat.DOCX, DocumentFormat.PDF):
        fail(f"--format {fmt.value} writes a binary file: give its path with -o FILE.")
    result = open_workspace().appeals.draft(
        notice,
        answers,
        account=account,
        variant=variant.value,
        lang=lang,
        as_of=parse_day(as_of, "--as-of"),
        source=str(answers),
        llm=llm,
    )
    for note in result.notes:
        _warn(note.message)
    if output is None:
        from goodstanding.documents import render_document

        _write_text(render_document(result.document, fmt.value).decode("utf-8"), None)
        return
    from goodstanding.documents import write_document

    write_document(result.document, output, fmt.value)
    stderr.print(f"Wrote {escape(str(output))}", highlight=False)


@appeal_app.command("grade")
@command
def grade(
    source: Annotated[
        str, typer.Argument(metavar="FILE|-", help="The plan of action (.txt, .md, .pdf) or -.")
    ],
    notice: Annotated[Path | None, typer.Option("--notice", help="The notice it answers.")] = None,
    account: Annotated[
        str | None, typer.Option("--account", "-a", help="Check figures against this account.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Account figures as of this day.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for scripts.")
    ] = OutputFormat.TEXT,
) -> None:
    """Grade any Plan of Action the way a reviewer reads it (exit 0 whatever the verdict)."""
    from goodstanding.appeal import read_notice_text

    text = read_notice_text(file_or_stdin(source))
    report = open_workspace().appeals.grade(
        text, notice_text=notice, account=account, as_of=parse_day(as_of, "--as-of")
    )
    document: dict[str, Any] = report.to_json()
    if output_format is OutputFormat.JSON:
        emit_json(document)
        return
    style = {"ready": "bold green", "revise": "bold yellow", "reject": "bold red"}
    stdout.print(
        f"[{style[report.verdict]}]{report.verdict}[/] — score {report.score}/100 "
        f"(language {report.language})"
    )
    colour = {"error": "red", "warning": "yellow", "info": "dim"}
    for finding in report.findings:
        where = f" “{escape(finding.span.text[:80])}”" if finding.span else ""
        stdout.print(
            f" [{colour[finding.severity]}]{finding.severity}[/] {finding.rule}:{where}\n"
            f"   {escape(finding.message)}\n   → {escape(finding.fix)}"
        )
