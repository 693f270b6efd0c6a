"""Evidence Amazon asks for: supplier invoices, unit coverage, verification documents, packs.

Pure functions on plain values: ``workspace`` loads the register and the account's sales and hands
them in. Rules, thresholds and their sources live in ``knowledge/data/evidence.yaml``.
"""

from goodstanding.evidence.coverage import AsinCoverage, compute_coverage
from goodstanding.evidence.invoices import (
    AccountFacts,
    Invoice,
    InvoiceLine,
    Listing,
    check_invoice,
    match_lines,
    parse_invoice_text,
    read_invoice_csv,
    read_pdf_text,
)
from goodstanding.evidence.readiness import ReadinessItem, compute_readiness
from goodstanding.evidence.verification import VerificationDocument, check_documents

__all__ = [
    "AccountFacts",
    "AsinCoverage",
    "Invoice",
    "InvoiceLine",
    "Listing",
    "ReadinessItem",
    "VerificationDocument",
    "check_documents",
    "check_invoice",
    "compute_coverage",
    "compute_readiness",
    "match_lines",
    "parse_invoice_text",
    "read_invoice_csv",
    "read_pdf_text",
]
