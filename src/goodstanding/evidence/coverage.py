"""Unit coverage: do the invoices of the last 365 days cover the units sold, ASIN by ASIN?

Amazon asks for invoices "reflecting sales volume" of each cited ASIN over the past 365 days
(reference §4.1). For an as-of day D:

- units invoiced = quantities of the lines matched to the ASIN, on final invoices (not pro-forma,
  not receipts) dated in [D − 365, D];
- units sold = units of the ASIN on non-cancelled Amazon orders dated in [D − 365, D] (the caller
  computes it from the orders table);
- short = max(0, sold − invoiced).

Coverage also *expires*: an invoice dated I stops counting on I + 366. When the invoices held
today would fall short (against today's 365-day sales) on a day within the warning period, the
ASIN gets a warning naming that day, weeks before Amazon could ask.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from goodstanding.evidence.invoices import Invoice
from goodstanding.knowledge.evidence_rules import EvidenceRules, Finding, load_evidence_rules


@dataclass(frozen=True)
class AsinCoverage:
    """How well one ASIN's sales are covered by invoices."""

    asin: str
    sold: int
    invoiced: int
    short: int
    status: str  # ok | short | expiring
    short_on: date | None
    invoices: tuple[str, ...]
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        """The ASIN's coverage as a JSON-ready dict."""
        return {
            "asin": self.asin,
            "sold": self.sold,
            "invoiced": self.invoiced,
            "short": self.short,
            "status": self.status,
            "short_on": self.short_on.isoformat() if self.short_on else None,
            "invoices": list(self.invoices),
            "findings": [f.to_json() for f in self.findings],
        }


def counts_for_coverage(invoice: Invoice) -> bool:
    """Whether Amazon would count the invoice's quantities: a final supplier invoice, dated."""
    return (
        invoice.invoice_date is not None
        and not invoice.pro_forma
        and invoice.document_kind == "invoice"
    )


def compute_coverage(
    invoices: Sequence[tuple[str, Invoice]],
    sold: Mapping[str, int],
    *,
    as_of: date,
    rules: EvidenceRules | None = None,
) -> list[AsinCoverage]:
    """Coverage of every ASIN sold or invoiced, shortest first.

    Args:
        invoices: (reference, invoice) pairs; the reference names the invoice in the result.
        sold: units sold per ASIN over [as_of − 365 days, as_of].
        as_of: the day D.
        rules: the rules file (default the packaged one).
    """
    rules = rules or load_evidence_rules()
    window = rules.threshold("invoice_max_age_days")
    warning = rules.threshold("invoice_expiry_warning_days")
    dated: dict[str, list[tuple[date, int, str]]] = defaultdict(list)
    for reference, invoice in invoices:
        if not counts_for_coverage(invoice):
            continue
        day = invoice.invoice_date
        assert day is not None
        if day > as_of or (as_of - day).days > window:
            continue
        for line in invoice.lines:
            if line.asin:
                dated[line.asin].append((day, line.quantity, reference))
    results = []
    for asin in sorted(set(dated) | {a for a, units in sold.items() if units > 0}):
        units_sold = int(sold.get(asin, 0))
        entries = dated.get(asin, [])
        invoiced = sum(quantity for _, quantity, _ in entries)
        short = max(0, units_sold - invoiced)
        findings: list[Finding] = []
        short_on = None
        if short:
            status = "short"
            short_on = as_of
            findings.append(
                rules.finding(
                    "coverage_short",
                    asin=asin,
                    invoiced=invoiced,
                    sold=units_sold,
                    short=short,
                    days=window,
                )
            )
        else:
            status = "ok"
            horizon = as_of + timedelta(days=warning)
            for expiry in sorted({day + timedelta(days=window + 1) for day, _, _ in entries}):
                if expiry > horizon:
                    break
                remaining = sum(q for day, q, _ in entries if (expiry - day).days <= window)
                if remaining < units_sold:
                    status, short_on = "expiring", expiry
                    findings.append(
                        rules.finding(
                            "coverage_expiring",
                            asin=asin,
                            short=units_sold - remaining,
                            date=expiry,
                        )
                    )
                    break
        references = tuple(dict.fromkeys(reference for _, _, reference in entries))
        results.append(
            AsinCoverage(
                asin, units_sold, invoiced, short, status, short_on, references, tuple(findings)
            )
        )
    order = {"short": 0, "expiring": 1, "ok": 2}
    results.sort(key=lambda c: (order[c.status], -c.short, c.asin))
    return results
