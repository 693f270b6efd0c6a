"""The readiness score: what Amazon could ask for today that the seller could not yet produce.

Each item is a request Amazon makes in verification, authenticity, related-account or
performance cases (reference §4, §5.2), checked against what goodstanding holds for the account.
An item is ``ready`` (full weight), ``attention`` (half: held, but with warnings) or ``missing``
(nothing). The score is the weighted share of ready items, 0–100; every item not ready comes
with its fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from goodstanding.evidence.coverage import AsinCoverage
from goodstanding.evidence.invoices import AccountFacts
from goodstanding.knowledge.evidence_rules import Finding

ITEMS: Final = (
    # id, weight, what Amazon asks, source
    ("account_profile", 10, "The business name and address your documents must match", "ref §4.4"),
    (
        "invoices_cover_sales",
        25,
        "Supplier invoices from the last 365 days covering the units sold of each ASIN",
        "ref §4.1",
    ),
    (
        "invoices_complete",
        15,
        "Invoices with the supplier's full contact details, made out to your business",
        "ref §4.1",
    ),
    (
        "verification_documents",
        20,
        "A current photo ID, business licence and bank statement",
        "ref §4.4",
    ),
    (
        "documents_consistent",
        10,
        "Documents whose name and address agree with the account",
        "ref §4.4",
    ),
    (
        "claims_answered",
        10,
        "Answers to A-to-z claims and chargebacks within the deadline",
        "ref §1.2",
    ),
    (
        "security",
        5,
        "Proof that only your team can sign in (two-step verification, known changes)",
        "seed fr §5",
    ),
    ("linked_accounts", 5, "Proof that your account is not linked to another one", "ref §5.2"),
)


@dataclass(frozen=True)
class ReadinessItem:
    """One request Amazon could make, and whether the seller could answer it today."""

    id: str
    asks: str
    status: str  # ready | attention | missing
    weight: int
    detail: str
    fix: str | None
    source: str

    def to_json(self) -> dict[str, Any]:
        """The item as a JSON-ready dict."""
        return {
            "id": self.id,
            "asks": self.asks,
            "status": self.status,
            "weight": self.weight,
            "detail": self.detail,
            "fix": self.fix,
            "source": self.source,
            "message_key": f"readiness.{self.id}",
        }


def _from_findings(findings: Sequence[Mapping[str, Any]], ok: str) -> tuple[str, str, str | None]:
    errors = [f for f in findings if f.get("severity") == "error"]
    warnings = [f for f in findings if f.get("severity") == "warning"]
    if errors:
        return "missing", f"{len(errors)} problem(s): {errors[0]['message']}", errors[0]["fix"]
    if warnings:
        return (
            "attention",
            f"{len(warnings)} warning(s): {warnings[0]['message']}",
            warnings[0]["fix"],
        )
    return "ready", ok, None


def compute_readiness(
    *,
    profile: AccountFacts,
    coverage: Sequence[AsinCoverage],
    invoice_findings: Sequence[Finding],
    invoice_count: int,
    documents: Mapping[str, Any],
    claims: Mapping[str, Any] | None = None,
    security: Mapping[str, Any] | None = None,
    linked: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Score the account's readiness from the results of the other checks."""
    states: dict[str, tuple[str, str, str | None]] = {}
    missing_profile = [
        n for n, v in (("legal name", profile.legal_name), ("address", profile.address)) if not v
    ]
    states["account_profile"] = (
        (
            "missing",
            "Not recorded: " + ", ".join(missing_profile),
            "Record them with `goodstanding linked profile --account NAME --legal-name ... "
            "--address ...`.",
        )
        if missing_profile
        else ("ready", "Legal name and address recorded.", None)
    )
    if not coverage and invoice_count == 0:
        states["invoices_cover_sales"] = (
            "missing",
            "No invoice and no sales to compare.",
            "Import orders and add supplier invoices (`goodstanding invoices add`).",
        )
    else:
        states["invoices_cover_sales"] = _from_findings(
            [f.to_json() for c in coverage for f in c.findings],
            f"{len(coverage)} ASIN(s) covered by invoices.",
        )
    if invoice_count == 0:
        states["invoices_complete"] = (
            "missing",
            "No invoice on file.",
            "Add your suppliers' invoices (`goodstanding invoices add`).",
        )
    else:
        states["invoices_complete"] = _from_findings(
            [f.to_json() for f in invoice_findings], f"{invoice_count} invoice(s) pass the checks."
        )
    checklist = documents.get("checklist", [])
    absent = [
        c["kind"].replace("_", " ")
        for c in checklist
        if c["required"] and c["status"] in ("missing", "expired")
    ]
    doc_findings = [
        f
        for f in documents.get("findings", [])
        if f["rule"]
        not in ("document_name_mismatch", "document_address_mismatch", "document_missing")
    ]
    if absent:
        states["verification_documents"] = (
            "missing",
            "Missing or expired: " + ", ".join(absent),
            "Add a current copy with `goodstanding documents add`.",
        )
    else:
        states["verification_documents"] = _from_findings(
            doc_findings, "Required documents on file."
        )
    consistency = [
        f
        for f in documents.get("findings", [])
        if f["rule"] in ("document_name_mismatch", "document_address_mismatch")
    ]
    states["documents_consistent"] = (
        _from_findings(consistency, "Names and addresses agree.")
        if documents.get("documents")
        else ("missing", "No document to compare.", "Add your verification documents.")
    )
    states["claims_answered"] = (
        _from_findings(claims.get("findings", []), "No claim left unanswered.")
        if claims is not None
        else ("ready", "No claims or chargebacks imported.", None)
    )
    states["security"] = (
        _from_findings(
            [f for f in security.get("findings", []) if f["rule"] != "review_task_overdue"],
            "Two-step verification on and changes recorded.",
        )
        if security is not None and security.get("users")
        else (
            "missing",
            "No user recorded in the security log.",
            "Record each user and their two-step verification (`goodstanding security log`).",
        )
    )
    linked_findings = [
        f for pair in linked if pair.get("risk") != "declared" for f in pair["findings"]
    ]
    states["linked_accounts"] = _from_findings(
        linked_findings, "No signal shared with another account."
    )
    items = []
    for item_id, weight, asks, source in ITEMS:
        status, detail, fix = states[item_id]
        items.append(ReadinessItem(item_id, asks, status, weight, detail, fix, source))
    total = sum(i.weight for i in items)
    earned = sum(
        i.weight if i.status == "ready" else i.weight / 2 if i.status == "attention" else 0
        for i in items
    )
    return {
        "score": round(100 * earned / total),
        "items": [i.to_json() for i in items],
        "not_ready": [i.id for i in items if i.status != "ready"],
    }
