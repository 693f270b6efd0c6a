"""Risk commands: feedback triage, claims check, linked accounts, security."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from goodstanding.cli.context import open_workspace
from goodstanding.cli.evidence import AsOfOption, print_findings
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

feedback_app = typer.Typer(help="Negative and neutral feedback.", no_args_is_help=True)
claims_app = typer.Typer(help="A-to-z claims, chargebacks and returns.", no_args_is_help=True)
linked_app = typer.Typer(
    help="Related-account signals between your accounts.", no_args_is_help=True
)
security_app = typer.Typer(help="Security checklist, log and review tasks.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")
app.add_typer(claims_app, name="claims")
app.add_typer(linked_app, name="linked")
app.add_typer(security_app, name="security")


@feedback_app.command("triage")
@command
def feedback_triage(
    account: AccountOption, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """Sort feedback into removable, strike-through and real failures, with reply drafts."""
    with open_workspace() as workspace:
        result = workspace.evidence.feedback_triage(account, as_of=parse_day(as_of, "--as-of"))
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    table = Table()
    table.add_column("date", min_width=10, no_wrap=True)
    table.add_column("stars", justify="right", min_width=5)
    table.add_column("category", min_width=15)
    table.add_column("action", min_width=14)
    table.add_column("days left", justify="right", min_width=9)
    table.add_column("comment", overflow="ellipsis", no_wrap=True, max_width=44)
    for item in result["items"]:
        table.add_row(
            item["date"],
            str(item["rating"]),
            item["category"].replace("_", " "),
            item["action"].replace("_", " "),
            str(item["days_left"]) if item["removable"] and item["window_open"] else "",
            item["comment"],
        )
    stdout.print(table)
    counts = result["counts"]
    stderr.print(
        f"{counts['total']} negative/neutral; {counts['removable_open']} can still be removed "
        "or struck through (request it in Feedback Manager)."
    )


@claims_app.command("check")
@command
def claims_check(
    account: AccountOption, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """Claims and chargebacks against their deadlines, and returns hiding complaints."""
    with open_workspace() as workspace:
        result = workspace.evidence.claims_check(account, as_of=parse_day(as_of, "--as-of"))
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    table = Table("kind", "id", "order", "filed", "due", "state")
    for item in result["claims"]["items"]:
        table.add_row(
            item["kind"],
            item["claim_id"],
            item["order_id"],
            item["filed_on"],
            item["due"],
            item["state"],
        )
    stdout.print(table)
    print_findings(result["claims"]["findings"], indent="")
    print_findings(result["returns"]["findings"], indent="")


@linked_app.command("audit")
@command
def linked_audit(
    account: Annotated[
        list[str] | None, typer.Option("--account", "-a", help="Only these accounts (repeat).")
    ] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Compare your accounts' bank, address, phone, e-mail domain, tax id, IP, device, products."""
    with open_workspace() as workspace:
        result = workspace.evidence.linked_audit(account or None)
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    if not result["pairs"]:
        stdout.print("No shared signal between the accounts.")
    for pair in result["pairs"]:
        stdout.print(f"[bold]{' ↔ '.join(pair['accounts'])}[/]: risk {pair['risk']}")
        print_findings(pair["findings"])
    for name, missing in result["unrecorded"].items():
        stderr.print(f"{name}: not recorded: {', '.join(missing)} (`goodstanding linked profile`).")


@linked_app.command("profile")
@command
def linked_profile(
    account: AccountOption,
    legal_name: Annotated[
        str | None, typer.Option("--legal-name", help="Registered business name.")
    ] = None,
    address: Annotated[str | None, typer.Option("--address", help="Registered address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    bank: Annotated[
        str | None, typer.Option("--bank", help="Bank account (IBAN or number).")
    ] = None,
    tax_id: Annotated[str | None, typer.Option("--tax-id", help="VAT or tax id.")] = None,
    ip: Annotated[
        list[str] | None, typer.Option("--ip", help="An IP address used (repeat).")
    ] = None,
    device: Annotated[
        list[str] | None, typer.Option("--device", help="A device used (repeat).")
    ] = None,
    related: Annotated[
        list[str] | None,
        typer.Option("--approved-related", help="An account Amazon approved as related."),
    ] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show or set the account's business identity (what documents and audits compare)."""
    with open_workspace() as workspace:
        fields = {
            "legal_name": legal_name,
            "address": address,
            "phone": phone,
            "email": email,
            "bank_account": bank,
            "tax_id": tax_id,
            "ips": ip,
            "devices": device,
            "related_approved": related,
        }
        if any(v is not None for v in fields.values()):
            profile = workspace.evidence.set_profile(account, **fields)
        else:
            profile = workspace.evidence.profile(account)
    if output is OutputFormat.JSON:
        emit_json(profile)
        return
    for key, value in profile.items():
        stdout.print(f"{key:>16}: {value if value not in (None, []) else '—'}", highlight=False)


@linked_app.command("letter")
@command
def linked_letter(
    account: AccountOption,
    related: Annotated[list[str], typer.Option("--related", help="The related account (repeat).")],
    reason: Annotated[str, typer.Option("--reason", help="The business reason for both accounts.")],
    out: Annotated[
        Path, typer.Option("--output", "-o", help="Letter file: .txt, .md, .docx or .pdf.")
    ],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Draft the request to operate a related account, and list the proof-of-distinctness pack."""
    with open_workspace() as workspace:
        result = workspace.evidence.linked_letter(
            account, related=related, reason=reason, output=out
        )
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    stderr.print(f"Wrote {result['letter']}. Attach these documents:")
    for number, title in enumerate(result["proof_of_distinctness"], start=1):
        stdout.print(f"  Exhibit {number}: {title}", highlight=False)


# Security


@security_app.command("log")
@command
def security_log(
    account: AccountOption,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="user_added, user_removed, two_step_on, two_step_off, password_changed, "
            "permissions_reviewed, bank_details_changed or login_email_changed. Without it, "
            "the log is listed.",
        ),
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="The user concerned.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who made the change.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="When (ISO date or date-time).")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Record a security fact (who and when), or list the log."""
    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            fail(f"--at {at!r} is not a date like 2026-11-24 or 2026-11-24T09:30.", code=2)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    with open_workspace() as workspace:
        if kind is None:
            log = workspace.evidence.security_check(account)["log"]
            if output is OutputFormat.JSON:
                emit_json({"account": account, "log": log})
                return
            table = Table("when", "kind", "user", "by", "note")
            for e in log:
                table.add_row(
                    e["occurred_at"], e["kind"], e["user"] or "", e["actor"] or "", e["note"] or ""
                )
            stdout.print(table)
            return
        entry = workspace.evidence.security_log(
            account, kind=kind, user=user, actor=by, occurred_at=when, note=note
        )
    if output is OutputFormat.JSON:
        emit_json(entry)
        return
    stderr.print(f"Recorded {entry['kind']} on {entry['occurred_at']}.")


@security_app.command("checklist")
@command
def security_checklist(
    account: AccountOption, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """Two-step verification per user, password age, sensitive changes, permissions review."""
    with open_workspace() as workspace:
        result = workspace.evidence.security_check(account, as_of=parse_day(as_of, "--as-of"))
    if output is OutputFormat.JSON:
        emit_json(result)
        return
    table = Table("user", "two-step", "password age (days)", "status")
    for u in result["users"]:
        table.add_row(
            u["user"],
            "on" if u["two_step"] else "OFF",
            str(u["password_age_days"]) if u["password_age_days"] is not None else "?",
            u["status"],
        )
    stdout.print(table)
    print_findings([f for f in result["findings"] if f["rule"] != "review_task_overdue"], indent="")


@security_app.command("tasks")
@command
def security_tasks(
    account: AccountOption,
    done: Annotated[
        str | None, typer.Option("--done", help="Record this task as done today.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who did it.")] = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Daily and monthly review tasks and their status."""
    day = parse_day(as_of, "--as-of")
    with open_workspace() as workspace:
        if done is not None:
            workspace.evidence.task_done(account, done, by=by, on=day)
        result = workspace.evidence.security_check(account, as_of=day)
    if output is OutputFormat.JSON:
        emit_json({"account": account, "as_of": result["as_of"], "tasks": result["tasks"]})
        return
    table = Table("task", "every", "last done", "status")
    for t in result["tasks"]:
        table.add_row(t["task"], t["frequency"], t["last_done"] or "never", t["status"])
    stdout.print(table)
