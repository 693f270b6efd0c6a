"""Foundation commands: accounts, ingest, imports, templates, demo, serve."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from goodstanding.cli.context import open_workspace
from goodstanding.cli.main import app
from goodstanding.cli.output import (
    AccountOption,
    FormatOption,
    OutputFormat,
    command,
    emit_json,
    stderr,
    stdout,
)
from goodstanding.types import DEFAULT_MARKETPLACE, AccountType

accounts_app = typer.Typer(
    help="Manage the Amazon accounts goodstanding watches.", no_args_is_help=True
)
app.add_typer(accounts_app, name="accounts")


@accounts_app.command("add")
@command
def accounts_add(
    name: Annotated[str, typer.Argument(help="A short name for the account, e.g. acme-us.")],
    marketplace: Annotated[str, typer.Option(help="Main marketplace.")] = DEFAULT_MARKETPLACE,
    account_type: Annotated[AccountType, typer.Option("--type", help="seller or vendor.")] = (
        AccountType.SELLER
    ),
) -> None:
    """Add an account."""
    account = open_workspace().add_account(
        name, marketplace=marketplace, account_type=account_type.value
    )
    stderr.print(
        f"Added account [bold]{account.name}[/] ({account.marketplace}, {account.account_type})."
    )


@accounts_app.command("list")
@command
def accounts_list(output: FormatOption = OutputFormat.TEXT) -> None:
    """List the accounts."""
    accounts = open_workspace().list_accounts()
    if output is OutputFormat.JSON:
        emit_json(
            [
                {
                    "name": a.name,
                    "marketplace": a.marketplace,
                    "type": a.account_type,
                    "created_at": a.created_at.isoformat(),
                }
                for a in accounts
            ]
        )
        return
    if not accounts:
        stderr.print("No accounts yet. Add one with `goodstanding accounts add NAME`.")
        return
    table = Table("name", "marketplace", "type", "created")
    for a in accounts:
        table.add_row(a.name, a.marketplace, a.account_type, a.created_at.strftime("%Y-%m-%d"))
    stdout.print(table)


@accounts_app.command("remove")
@command
def accounts_remove(
    name: Annotated[str, typer.Argument(help="The account to remove, with all its data.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: this deletes its imported data.")
    ] = False,
) -> None:
    """Remove an account and everything imported for it."""
    if not yes:
        stderr.print("[red]error:[/] removing an account deletes its data; add --yes to confirm.")
        raise typer.Exit(2)
    open_workspace().remove_account(name)
    stderr.print(f"Removed account [bold]{name}[/].")


@app.command()
@command
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Report files (Amazon TSV/JSON or templates).")
    ],
    account: AccountOption,
    report_type: Annotated[
        str | None, typer.Option("--type", help="Force the report type instead of detecting it.")
    ] = None,
    date_format: Annotated[
        str | None, typer.Option("--date-format", help="e.g. DD/MM/YYYY when dates are ambiguous.")
    ] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Import report files into an account, all or nothing."""
    from goodstanding.cli.progress import ingest_progress

    workspace = open_workspace()
    with ingest_progress(paths) as progress:
        result = workspace.ingest(
            paths,
            account=account,
            report_type=report_type,
            date_format=date_format,
            progress=progress,
        )
    document = result.to_json()
    if output is OutputFormat.JSON:
        emit_json(document)
        return
    table = Table("file", "type", "rows", "inserted", "updated", "unchanged")
    for f in document["files"]:
        table.add_row(
            Path(f["path"]).name,
            f["type"],
            str(f["rows"]),
            str(f["inserted"]),
            str(f["updated"]),
            str(f["unchanged"]),
        )
    stdout.print(table)
    stderr.print(f"Imported into account [bold]{document['account']}[/].")


@app.command()
@command
def imports(account: AccountOption, output: FormatOption = OutputFormat.TEXT) -> None:
    """List what was imported into an account."""
    rows = open_workspace().imports(account)
    if output is OutputFormat.JSON:
        emit_json([r.to_json() for r in rows])
        return
    table = Table("file", "type", "sha256", "rows", "imported at")
    for r in rows:
        table.add_row(
            r.file_name,
            r.report_type,
            r.sha256[:12],
            str(r.rows),
            r.imported_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
    stdout.print(table)


@app.command()
@command
def templates(
    directory: Annotated[Path, typer.Argument(help="Where to write the blank CSV templates.")],
) -> None:
    """Write the blank CSV templates and explain each column."""
    from goodstanding.ingest import TEMPLATES, write_templates

    written = write_templates(directory)
    for path in written:
        stdout.print(f"[bold]{path}[/]")
    for name, spec in TEMPLATES.items():
        table = Table("column", "required", "meaning", "allowed values", title=f"{name}.csv")
        for column in spec.columns:
            table.add_row(
                column.name,
                "yes" if column.required else "",
                column.meaning,
                " · ".join(column.allowed) if column.allowed else "",
            )
        stdout.print(table)


@app.command()
@command
def demo(
    out: Annotated[Path, typer.Option("--out", help="Directory for the report files.")] = Path(
        "demo-reports"
    ),
    orders: Annotated[int, typer.Option("--orders", min=10, help="Order lines to write.")] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 7,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the export (YYYY-MM-DD); default today.")
    ] = None,
) -> None:
    """Write a realistic demo account as real Amazon report files."""
    from goodstanding.demo import write_demo

    try:
        as_of_date = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        stderr.print(f"[red]error:[/] --as-of {as_of!r} is not a date like 2026-11-24.")
        raise typer.Exit(2) from None
    files = write_demo(out, orders=orders, seed=seed, as_of=as_of_date)
    for report_type, path in files.files.items():
        stdout.print(f"{report_type:>15}  {path}")
    stderr.print(f"Demo account written to {files.directory} (as of {files.as_of}).")


@app.command()
@command
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app."""
    import uvicorn

    from goodstanding.config import load_settings
    from goodstanding.web.app import create_app

    web_app = create_app(load_settings())
    stderr.print(f"goodstanding is serving on http://{host}:{port}/")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
