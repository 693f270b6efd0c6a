"""Evidence commands: invoices, documents, evidence pack, readiness."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    fail,
    parse_day,
    stderr,
    stdout,
)

AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Check as of this day (YYYY-MM-DD).")
]

invoices_app = typer.Typer(
    help="The supplier invoice register and its checks.", no_args_is_help=True
)
documents_app = typer.Typer(
    help="Verification documents: ID, business licence, statements.", no_args_is_help=True
)
evidence_app = typer.Typer(help="Evidence packs for appeals.", no_args_is_help=True)
app.add_typer(invoices_app, name="invoices")
app.add_typer(documents_app, name="documents")
app.add_typer(evidence_app, name="evidence")

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def print_findings(findings: list[dict[str, Any]], indent: str = "  ") -> None:
    """Findings as lines: severity, message, then the fix."""
    for finding in findings:
        style = SEVERITY_STYLE.get(finding["severity"], "")
        stdout.print(
            f"{indent}[{style}]{finding['severity']}[/]: {finding['message']}", highlight=False
        )
        stdout.print(
            f"{indent}  → {finding['fix']}  [dim]({finding['source']})[/]", highlight=False
        )


def _lines(values: list[str] | None) -> Any:
    from goodstanding.workspace.evidence import parse_line_option

    return [parse_line_option(v) for v in values] if values else []


def _overrides(
    supplier: str | None,
    number: str | None,
    day: str | None,
    buyer: str | None,
    buyer_address: str | None,
    supplier_address: str | None,
    phone: str | None,
    website: str | None,
) -> dict[str, Any]:
    return {
        "supplier_name": supplier,
        "number": number,
        "invoice_date": parse_day(day, "--date"),
        "buyer_name": buyer,
        "buyer_address": buyer_address,
        "supplier_address": supplier_address,
        "supplier_phone": phone,
        "supplier_website": website,
    }


SupplierOption = Annotated[str | None, typer.Option("--supplier", help="Supplier's name.")]
NumberOption = Annotated[str | None, typer.Option("--number", help="Invoice number.")]
DateOption = Annotated[str | None, typer.Option("--date", help="Invoice date (YYYY-MM-DD).")]
BuyerOption = Annotated[str | None, typer.Option("--buyer", help="Buyer's name (your business).")]
BuyerAddressOption = Annotated[str | None, typer.Option("--buyer-address", help="Buyer's address.")]
SupplierAddressOption = Annotated[
    str | None, typer.Option("--supplier-address", help="Supplier's address.")
]
PhoneOption = Annotated[str | None, typer.Option("--phone", help="Supplier's phone.")]
WebsiteOption = Annotated[str | None, typer.Option("--website", help="Supplier's website.")]
LineOption = Annotated[
    list[str] | None,
    typer.Option("--line", help="A line item ASIN:QUANTITY[:description] (repeat; replaces)."),
]


def _print_invoice(invoice: dict[str, Any]) -> None:
    supplier = invoice["supplier"]
    stdout.print(
        f"[bold]#{invoice['id']}[/] {invoice['number'] or '(no number)'} · "
        f"{invoice['date'] or '(no date)'} · {supplier['name'] or '(no supplier)'} · "
        f"{invoice['status']}",
        highlight=False,
    )
    for line in invoice["lines"]:
        stdout.print(
            f"    {line['quantity']:>6} × {line['description']}  "
            f"[dim]{line['asin'] or 'no ASIN'}[/]",
            highlight=False,
        )


@invoices_app.command("add")
@command
def invoices_add(
    file: Annotated[Path, typer.Argument(help="A PDF invoice, or a CSV (one row per line item).")],
    account: AccountOption,
    supplier: SupplierOption = None,
    number: NumberOption = None,
    day: DateOption = None,
    buyer: BuyerOption = None,
    buyer_address: BuyerAddressOption = None,
    supplier_address: SupplierAddressOption = None,
    phone: PhoneOption = None,
    website: WebsiteOption = None,
    line: LineOption = None,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="You checked every field: mark it confirmed.")
    ] = False,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Add an invoice: its fields are read from the PDF; options correct them."""
    overrides = _overrides(
        supplier, number, day, buyer, buyer_address, supplier_address, phone, website
    )
    with open_workspace() as workspace:
        added = workspace.evidence.add_invoices(
            account, file, overrides=overrides, lines=_lines(line), confirm=confirm
        )
    if output is OutputFormat.JSON:
        emit_json({"account": account, "added": added})
        return
    for invoice in added:
        _print_invoice(invoice)
    stderr.print(
        f"Added {len(added)} invoice(s) to [bold]{account}[/]. Check the fields; correct them "
        "with `goodstanding invoices edit ID`."
    )


@invoices_app.command("edit")
@command
def invoices_edit(
    invoice_id: Annotated[int, typer.Argument(help="The invoice's id (see invoices list).")],
    account: AccountOption,
    supplier: SupplierOption = None,
    number: NumberOption = None,
    day: DateOption = None,
    buyer: BuyerOption = None,
    buyer_address: BuyerAddressOption = None,
    supplier_address: SupplierAddressOption = None,
    phone: PhoneOption = None,
    website: WebsiteOption = None,
    line: LineOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Correct an invoice's fields and mark it confirmed."""
    overrides = _overrides(
        supplier, number, day, buyer, buyer_address, supplier_address, phone, website
    )
    with open_workspace() as workspace:
        updated = workspace.evidence.update_invoice(
            account, invoice_id, overrides=overrides, lines=_lines(line) or None
        )
    if output is OutputFormat.JSON:
        emit_json(updated)
        return
    _print_invoice(updated)


@invoices_app.command("remove")
@command
def invoices_remove(
    invoice_id: Annotated[int, typer.Argument(help="The invoice's id.")],
    account: AccountOption,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Take an invoice out of the register."""
    with open_workspace() as workspace:
        workspace.evidence.remove_invoice(account, invoice_id)
    if output is OutputFormat.JSON:
        emit_json({"account": account, "removed": invoice_id})
        return
    stderr.print(f"Removed invoice {invoice_id}.")


@invoices_app.command("list")
@command
def invoices_list(account: AccountOption, output: FormatOption = OutputFormat.TEXT) -> None:
    """List the account's invoices."""
    with open_workspace() as workspace:
        invoices = workspace.evidence.list_invoices(account)
    if output is OutputFormat.JSON:
        emit_json({"account": account, "invoices": invoices})
        return
    if not invoices:
        stderr.print("No invoices yet. Add one with `goodstanding invoices add FILE`.")
        return
    table = Table("id", "number", "date", "supplier", "units", "status", "file")
    for i in invoices:
        table.add_row(
            str(i["id"]),
            i["number"] or "",
            i["date"] or "",
            i["supplier"]["name"] or "",
            str(sum(line["quantity"] for line in i["lines"])),
            i["status"],
            i["file_name"] or "",
        )
    stdout.print(table)


@invoices_app.command("check")
@command
def invoices_check(
    account: AccountOption, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """Check every invoice against Amazon's rules, and unit coverage per ASIN."""
    with open_workspace() as workspace:
        result = workspace.evidence.check_invoices(account, as_of=parse_day(as_of, "--as-of"))
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    stdout.print(f"[bold]Invoices of {account}[/] as of {result['as_of']}")
    for invoice in result["invoices"]:
        mark = "[green]ok[/]" if invoice["ok"] else "[bold red]not accepted[/]"
        stdout.print(
            f"#{invoice['id']} {invoice['number'] or ''} {invoice['date'] or ''} "
            f"{invoice['supplier'] or ''}: {mark}",
            highlight=False,
        )
        print_findings(invoice["findings"])
    if result["coverage"]:
        table = Table("ASIN", "sold (365 d)", "invoiced", "short", "status", title="Unit coverage")
        for c in result["coverage"]:
            status = {"short": "[bold red]SHORT[/]", "expiring": "[yellow]expiring[/]"}.get(
                c["status"], "[green]ok[/]"
            )
            if c["short_on"] and c["status"] == "expiring":
                status += f" {c['short_on']}"
            table.add_row(c["asin"], str(c["sold"]), str(c["invoiced"]), str(c["short"]), status)
        stdout.print(table)
        for c in result["coverage"]:
            print_findings(c["findings"])
    s = result["summary"]
    stderr.print(
        f"{s['invoices_ok']}/{s['invoices']} invoices ok; {s['asins_short']} ASIN(s) short."
    )


# Documents


@documents_app.command("add")
@command
def documents_add(
    account: AccountOption,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="identity, business_licence, bank_statement, card_statement, utility_bill, "
            "letter_of_authorization or other.",
        ),
    ],
    file: Annotated[Path | None, typer.Argument(help="Scan or photo of the document.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name on the document.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Address on it.")] = None,
    issued: Annotated[str | None, typer.Option("--issued", help="Issue date.")] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="Expiry date.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Keep a verification document."""
    with open_workspace() as workspace:
        added = workspace.evidence.add_document(
            account,
            kind=kind,
            path=file,
            holder_name=name,
            address=address,
            issued_on=parse_day(issued, "--issued"),
            expires_on=parse_day(expires, "--expires"),
            note=note,
        )
    if output is OutputFormat.JSON:
        emit_json(added)
        return
    stderr.print(f"Added {added['kind']} (document {added['id']}) to [bold]{account}[/].")


@documents_app.command("list")
@command
def documents_list(account: AccountOption, output: FormatOption = OutputFormat.TEXT) -> None:
    """List the account's verification documents."""
    with open_workspace() as workspace:
        documents = workspace.evidence.list_documents(account)
    if output is OutputFormat.JSON:
        emit_json({"account": account, "documents": documents})
        return
    if not documents:
        stderr.print("No documents yet. Add one with `goodstanding documents add --kind identity`.")
        return
    table = Table("id", "kind", "name", "issued", "expires", "file")
    for d in documents:
        table.add_row(
            str(d["id"]),
            d["kind"],
            d["holder_name"] or "",
            d["issued_on"] or "",
            d["expires_on"] or "",
            d["file_name"] or "",
        )
    stdout.print(table)


@documents_app.command("check")
@command
def documents_check(
    account: AccountOption, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """The documents checklist: what is on file, expiries, name and address consistency."""
    with open_workspace() as workspace:
        result = workspace.evidence.check_documents(account, as_of=parse_day(as_of, "--as-of"))
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    table = Table("document", "required", "status", "ids")
    for item in result["checklist"]:
        table.add_row(
            item["kind"].replace("_", " "),
            "yes" if item["required"] else "",
            item["status"],
            ", ".join(item["documents"]),
        )
    stdout.print(table)
    print_findings(result["findings"], indent="")


# Evidence pack


def _parse_ids(values: list[str] | None) -> tuple[list[int] | None, list[int] | None]:
    if not values:
        return None, None
    invoices: list[int] = []
    documents: list[int] = []
    for value in values:
        for item in value.split(","):
            text = item.strip().lower()
            if not text:
                continue
            target = invoices
            for prefix, chosen in (
                ("invoice:", invoices),
                ("document:", documents),
                ("i", invoices),
                ("d", documents),
            ):
                if text.startswith(prefix):
                    text, target = text[len(prefix) :], chosen
                    break
            if not text.isdigit():
                fail(f"--ids {item!r} is not an id like i3 (invoice 3) or d2 (document 2).", code=2)
            target.append(int(text))
    return invoices, documents


@evidence_app.command("pack")
@command
def evidence_pack(
    account: AccountOption,
    out: Annotated[
        Path, typer.Option("--output", "-o", help="The PDF to write (a .zip beside it).")
    ],
    ids: Annotated[
        list[str] | None,
        typer.Option(
            "--ids",
            help="Exhibits in order: i3 = invoice 3, d2 = document 2 (comma-separated, "
            "repeatable).",
        ),
    ] = None,
    language: Annotated[str, typer.Option("--language", help="Language of exhibit labels.")] = "en",
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Export invoices and documents as numbered exhibits: one PDF and a ZIP."""
    invoices, documents = _parse_ids(ids)
    with open_workspace() as workspace:
        result = workspace.evidence.evidence_pack(
            account, out, invoice_ids=invoices, document_ids=documents, language=language
        )
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    for exhibit in result["exhibits"]:
        stdout.print(f"Exhibit {exhibit['number']}: {exhibit['title']}", highlight=False)
    stderr.print(f"Wrote {result['pdf']} and {result['zip']}.")


# Readiness


@app.command()
@command
def readiness(
    account: AccountOption, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """What Amazon could ask for today that you could not produce yet, with the fix for each."""
    with open_workspace() as workspace:
        result = workspace.evidence.readiness(account, as_of=parse_day(as_of, "--as-of"))
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    stdout.print(
        f"[bold]Readiness of {account}: {result['score']}/100[/] (as of {result['as_of']})"
    )
    style = {"ready": "green", "attention": "yellow", "missing": "bold red"}
    for item in result["items"]:
        stdout.print(
            f"[{style[item['status']]}]{item['status']:>9}[/]  {item['asks']}", highlight=False
        )
        if item["status"] != "ready":
            stdout.print(f"           {item['detail']}", highlight=False)
            stdout.print(f"           → {item['fix']}", highlight=False)
