"""The verification-documents checklist: what is on file, what expires, what disagrees.

Amazon verifies sellers with a government photo ID plus a business licence or a proof of address
(bank or credit-card statement, utility bill), all matching the registration data, complete and
not expired (reference §4.4; the Chinese guide lists the same four). For each kind of document the
checklist says whether a usable one is on file, and the consistency check compares the name and
the address on every document with the account's and with each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from goodstanding.evidence.invoices import AccountFacts, addresses_match, names_match
from goodstanding.knowledge.evidence_rules import EvidenceRules, Finding, load_evidence_rules


@dataclass(frozen=True)
class VerificationDocument:
    """One identity or business document the seller holds."""

    reference: str
    kind: str
    holder_name: str | None = None
    address: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    file_name: str | None = None
    file_size: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The document as a JSON-ready dict."""
        return {
            "id": self.reference,
            "kind": self.kind,
            "holder_name": self.holder_name,
            "address": self.address,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "file_name": self.file_name,
            "file_size": self.file_size,
        }


def document_kinds(rules: EvidenceRules | None = None) -> tuple[str, ...]:
    """The kinds of verification documents the checklist knows."""
    return tuple((rules or load_evidence_rules()).document_kinds)


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _document_findings(
    document: VerificationDocument, account: AccountFacts, as_of: date, rules: EvidenceRules
) -> list[Finding]:
    spec = rules.document_kinds.get(document.kind, {})
    kind = _label(document.kind)
    found = []
    if document.expires_on is not None:
        left = (document.expires_on - as_of).days
        if left < 0:
            found.append(rules.finding("document_expired", kind=kind, date=document.expires_on))
        elif left <= rules.threshold("document_expiry_warning_days"):
            found.append(
                rules.finding("document_expiring", kind=kind, date=document.expires_on, days=left)
            )
    max_age_name = spec.get("max_age")
    if max_age_name and document.issued_on is not None:
        max_age = rules.threshold(str(max_age_name))
        if (as_of - document.issued_on).days > max_age:
            found.append(
                rules.finding("document_stale", kind=kind, date=document.issued_on, days=max_age)
            )
    if (
        account.legal_name
        and document.holder_name
        and not names_match(document.holder_name, account.legal_name)
    ):
        found.append(
            rules.finding(
                "document_name_mismatch",
                kind=kind,
                name=document.holder_name,
                expected=account.legal_name,
            )
        )
    if (
        account.address
        and document.address
        and not addresses_match(document.address, account.address)
    ):
        found.append(rules.finding("document_address_mismatch", kind=kind))
    if document.file_name is None:
        found.append(rules.finding("document_no_file", kind=kind))
    else:
        extension = document.file_name.rpartition(".")[2].lower()
        if extension not in rules.accepted_extensions:
            found.append(rules.finding("document_file_format", kind=kind, extension=extension))
        if document.file_size is not None and document.file_size > rules.threshold(
            "document_max_bytes"
        ):
            found.append(rules.finding("document_file_size", kind=kind))
    return found


def check_documents(
    documents: Sequence[VerificationDocument],
    *,
    account: AccountFacts,
    as_of: date,
    rules: EvidenceRules | None = None,
) -> dict[str, Any]:
    """The checklist by kind, each document's findings, and the consistency across documents.

    Without an account name or address, the documents are compared with each other: the first
    identity document (else the first document) sets the reference.
    """
    rules = rules or load_evidence_rules()
    reference = account
    if not account.legal_name or not account.address:
        first = sorted(documents, key=lambda d: (d.kind != "identity", d.reference))
        name = account.legal_name or next((d.holder_name for d in first if d.holder_name), None)
        address = account.address or next((d.address for d in first if d.address), None)
        reference = AccountFacts(name, address)
    per_document = {d.reference: _document_findings(d, reference, as_of, rules) for d in documents}
    checklist = []
    findings: list[Finding] = []
    for kind, spec in rules.document_kinds.items():
        held = [d for d in documents if d.kind == kind]
        # A credit-card statement proves the address as well as a bank statement does.
        standing_in = [
            d for d in documents if rules.document_kinds.get(d.kind, {}).get("satisfies") == kind
        ]
        usable = [
            d
            for d in (*held, *standing_in)
            if not any(f.rule == "document_expired" for f in per_document[d.reference])
        ]
        if not held and not usable:
            status = "missing" if spec.get("required") else "optional"
        elif not usable:
            status = "expired"
        elif any(per_document[d.reference] for d in usable):
            status = "attention"
        else:
            status = "ok"
        if not usable and spec.get("required"):
            findings.append(rules.finding("document_missing", kind=_label(kind)))
        checklist.append(
            {
                "kind": kind,
                "required": bool(spec.get("required")),
                "status": status,
                "documents": [d.reference for d in (*held, *standing_in)],
                "source": spec.get("source"),
            }
        )
    for document in documents:
        findings.extend(per_document[document.reference])
    names = sorted({d.holder_name for d in documents if d.holder_name})
    consistent_names = all(names_match(n, reference.legal_name) for n in names) if names else None
    addresses = sorted({d.address for d in documents if d.address})
    consistent_addresses = (
        all(addresses_match(a, reference.address) for a in addresses) if addresses else None
    )
    return {
        "as_of": as_of.isoformat(),
        "checklist": checklist,
        "documents": [
            {**d.to_json(), "findings": [f.to_json() for f in per_document[d.reference]]}
            for d in documents
        ],
        "consistency": {
            "reference_name": reference.legal_name,
            "reference_address": reference.address,
            "names": names,
            "names_agree": consistent_names,
            "addresses_agree": consistent_addresses,
        },
        "findings": [f.to_json() for f in findings],
        "ok": not any(f.severity == "error" for f in findings),
    }


def expiry_horizon(as_of: date, rules: EvidenceRules | None = None) -> date:
    """The last day an expiring document is warned about."""
    return as_of + timedelta(
        days=(rules or load_evidence_rules()).threshold("document_expiry_warning_days")
    )
