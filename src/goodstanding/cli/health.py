"""Health commands: health, history, summary, review."""

from __future__ import annotations

from datetime import date
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
    print_rows,
    stderr,
    stdout,
)

STATUS_STYLE = {
    "breach": "bold white on red",
    "at_risk": "bold black on yellow",
    "ok": "green",
    "info": "dim",
    "no_data": "dim",
}
STATUS_LABEL = {
    "breach": "BREACH",
    "at_risk": "AT RISK",
    "ok": "ok",
    "info": "info",
    "no_data": "no data",
}
METRIC_LABEL = {
    "order_defect_rate": "Order defect rate",
    "negative_feedback_rate": "  negative feedback",
    "a_to_z_claim_rate": "  A-to-z claims",
    "chargeback_rate": "  chargebacks",
    "late_shipment_rate": "Late shipment rate",
    "pre_fulfillment_cancel_rate": "Cancellation rate",
    "valid_tracking_rate": "Valid tracking rate",
    "on_time_delivery_rate": "On-time delivery rate",
    "late_response_rate": "Late responses (24 h)",
}
UNIT = {"valid_tracking_rate": "shipments", "on_time_delivery_rate": "shipments"}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f} %"


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d %b %Y")


def _recovery_text(metric: dict[str, Any]) -> str:
    recovery = metric.get("recovery") or {}
    status = metric["status"]
    if status not in {"breach", "at_risk"}:
        return ""
    parts = []
    needed = recovery.get("clean_orders_needed")
    if needed:
        parts.append(f"{needed:,} defect-free orders needed")
    ok_date = recovery.get("expected_ok_date")
    if ok_date:
        parts.append(f"safe again on {_day(ok_date)} if no new defects (estimate)")
    return "; ".join(parts)


def _render_health(document: dict[str, Any]) -> None:
    stdout.print(f"[bold]{document['account']}[/] — account health as of {_day(document['as_of'])}")
    reported = {
        (r["marketplace"], r["id"], r.get("channel"), r.get("window_days")): r
        for r in document.get("amazon_reported", [])
    }
    for market in document["marketplaces"]:
        table = Table(title=market["marketplace"], title_justify="left", expand=False)
        for column in (
            "metric",
            "channel",
            "window",
            "value",
            "target",
            "orders",
            "status",
            "what next",
        ):
            table.add_column(column)
        for metric in market["metrics"]:
            target = metric.get("target")
            target_text = f"{target['op']} {target['value'] * 100:g} %" if target else ""
            unit = UNIT.get(metric["id"], "messages" if "response" in metric["id"] else "orders")
            label = METRIC_LABEL.get(metric["id"], metric["id"])
            window = f"{metric['window_days']} d"
            status = metric["status"]
            note = _recovery_text(metric)
            amazon = reported.get(
                (market["marketplace"], metric["id"], metric["channel"], metric["window_days"])
            )
            if amazon and amazon.get("differs"):
                note = (note + "; " if note else "") + (
                    f"Amazon says {_percent(amazon['amazon'].get('value'))}: "
                    f"{amazon.get('likely_reason', '')}"
                )
            table.add_row(
                label,
                metric["channel"],
                window,
                _percent(metric["value"]),
                target_text,
                f"{metric['numerator']:,} of {metric['denominator']:,} {unit}",
                f"[{STATUS_STYLE[status]}]{STATUS_LABEL[status]}[/]",
                note,
            )
        stdout.print(table)
    for gap in document.get("coverage", []):
        label = METRIC_LABEL.get(gap["metric"], gap["metric"]).strip()
        if gap.get("status") == "left_out":
            left = gap.get("messages") or 0
            count = left if isinstance(left, int) else len(left)
            stdout.print(f"[yellow]left out of {label}:[/] {count} message(s), {gap['reason']}.")
            continue
        stdout.print(
            f"[yellow]not computed:[/] {label} — import a '{gap['needs']}' file "
            "(goodstanding templates DIR explains the columns)."
        )
    unmatched = document.get("unmatched", [])
    if unmatched:
        stdout.print(
            f"[yellow]{len(unmatched)} defect(s) name an order that is not in your order files[/]: "
            + ", ".join(u["order_id"] for u in unmatched[:10])
            + (" …" if len(unmatched) > 10 else "")
            + ". Import the order report covering them."
        )


def _render_details(document: dict[str, Any], metric_id: str) -> None:
    found = False
    for market in document["marketplaces"]:
        for metric in market["metrics"]:
            if metric["id"] != metric_id:
                continue
            found = True
            title = (
                f"{market['marketplace']} · {metric_id} · {metric['channel']} · "
                f"{metric['window_start']} – {metric['window_end']}"
            )
            rows = [
                (d["order_id"] or "", d["order_date"] or "", ", ".join(d["kinds"]))
                for d in metric.get("defects", [])
            ]
            print_rows(title, ("order", "order date", "defects"), rows)
            ageing = metric.get("recovery", {}).get("defects_ageing_out", [])
            if ageing:
                stdout.print(
                    "Leaves the window: "
                    + ", ".join(f"{a['order_id']} on {a['date']}" for a in ageing[:20])
                )
    if not found:
        fail(f"No metric {metric_id!r} in this report; see `goodstanding health` for the list.")


@app.command()
@command
def health(
    account: AccountOption,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date D (YYYY-MM-DD); default the latest order date."),
    ] = None,
    marketplace: Annotated[str | None, typer.Option(help="Only this marketplace.")] = None,
    output: FormatOption = OutputFormat.TEXT,
    backend: Annotated[str | None, typer.Option(help="duckdb (default) or pyspark.")] = None,
    details: Annotated[
        str | None, typer.Option("--details", help="List the orders behind one metric id.")
    ] = None,
) -> None:
    """Recompute every account-health metric from the imported files."""
    if backend not in (None, "duckdb", "pyspark"):
        fail(f"--backend {backend!r}: choose duckdb or pyspark.", code=2)
    document = open_workspace().health(
        account, as_of=parse_day(as_of, "--as-of"), marketplace=marketplace, backend=backend
    )
    if output is OutputFormat.JSON:
        emit_json(document)
    elif details:
        _render_details(document, details)
    else:
        _render_health(document)


@app.command()
@command
def history(
    account: AccountOption,
    metric: Annotated[str | None, typer.Option(help="Only this metric id.")] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show Amazon's own figures over time, from every imported performance report."""
    series = open_workspace().history(account, metric=metric)
    if output is OutputFormat.JSON:
        emit_json(series)
        return
    if not series["points"]:
        stderr.print("No performance_v2 report imported yet for this account.")
        return
    table = Table("as of", "marketplace", "metric", "channel", "window", "value", "Amazon status")
    for point in series["points"]:
        table.add_row(
            point["as_of"],
            point["marketplace"],
            point["id"],
            point.get("channel") or "",
            f"{point['window_days']} d" if point.get("window_days") else "",
            _percent(point.get("value")),
            point.get("amazon_status") or "",
        )
    stdout.print(table)


@app.command()
@command
def summary(
    account: AccountOption,
    months: Annotated[int, typer.Option(min=1, max=60, help="How many months back.")] = 12,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Monthly performance summary: orders, sales, returns, feedback, claims, chargebacks."""
    document = open_workspace().summary(account, months=months)
    if output is OutputFormat.JSON:
        emit_json(document)
        return
    rows = document["months"]
    table = Table(
        "month",
        "marketplace",
        "orders",
        "units",
        "sales",
        "returns",
        "neg. fb",
        "neutral fb",
        "A-to-z",
        "chargebacks",
        title=f"{account} — monthly summary",
        title_justify="left",
    )
    for row in rows:
        sales = ", ".join(f"{amount:,.2f} {currency}" for currency, amount in row["sales"].items())
        table.add_row(
            row["month"],
            row["marketplace"],
            str(row["orders"]),
            str(row["units"]),
            sales,
            str(row["returns"]),
            str(row["negative_feedback"]),
            str(row["neutral_feedback"]),
            str(row["a_to_z_claims"]),
            str(row["chargebacks"]),
        )
    stdout.print(table)
    for note in document.get("notes", []):
        stdout.print(f"[dim]{note}[/]")


@app.command()
@command
def review(
    account: AccountOption,
    month: Annotated[str, typer.Option(help="The month to review, YYYY-MM.")],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Monthly review: returns and negative feedback by ASIN, reason and carrier."""
    document = open_workspace().review(account, month=month)
    if output is OutputFormat.JSON:
        emit_json(document)
        return
    stdout.print(f"[bold]{account}[/] — review of {month}")
    for section, groups in document["groups"].items():
        table = Table("key", "count", "share", title=section, title_justify="left")
        for group in groups[:15]:
            table.add_row(str(group["key"]), str(group["count"]), f"{group['share'] * 100:.0f} %")
        stdout.print(table)
