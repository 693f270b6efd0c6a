"""Use cases of evidence and risk: invoice register, documents, packs, feedback, claims, linked
accounts, security and readiness.

Each use case loads what it needs from the store and the warehouse, calls a pure function of
``goodstanding.evidence`` or ``goodstanding.risk`` and returns plain dicts (the JSON the CLI
prints). Writes happen in one store transaction after every input was read and checked, so a bad
file stores nothing. Every use case is scoped to one account, except the related-account audit,
which compares the accounts it is given (all of them by default).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goodstanding.errors import AlreadyExistsError, InputError, NotFoundError
from goodstanding.evidence.coverage import compute_coverage
from goodstanding.evidence.exhibits import ExhibitSource
from goodstanding.evidence.invoices import (
    ASIN,
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
from goodstanding.evidence.readiness import compute_readiness
from goodstanding.evidence.verification import VerificationDocument, check_documents
from goodstanding.knowledge.evidence_rules import Finding, load_evidence_rules
from goodstanding.risk.claims import ClaimEntry, ReturnEntry, check_claims, check_returns
from goodstanding.risk.feedback import FeedbackEntry, triage_feedback
from goodstanding.risk.linked import AccountProfile, audit_linked
from goodstanding.risk.security import EVENT_KINDS, SecurityEvent, check_security, task_ids
from goodstanding.store.evidence import (
    PROFILE_FIELDS,
    DocumentRecord,
    EvidenceRepository,
    InvoiceRecord,
    ProfileRecord,
)
from goodstanding.store.repositories import AccountRecord, AccountRepository

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from goodstanding.workspace import Workspace

_NON_AMAZON = "Non-Amazon"
_LIST_FIELDS = ("ips", "devices", "related_approved")
_MAX_FILE = 50 * 1024 * 1024


def _now() -> datetime:
    return datetime.now(UTC)


def _rows(table: ir.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pyarrow().to_pylist()
    return rows


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > _MAX_FILE:
            raise InputError(f"{path} is larger than 50 MB.", hint="Compress or split the file.")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.", hint="Check the file name.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror or error}.") from None


def _invoice_from_record(record: InvoiceRecord) -> Invoice:
    f = record.fields
    return Invoice(
        number=f["number"],
        invoice_date=f["invoice_date"],
        supplier_name=f["supplier_name"],
        supplier_address=f["supplier_address"],
        supplier_phone=f["supplier_phone"],
        supplier_email=f["supplier_email"],
        supplier_website=f["supplier_website"],
        buyer_name=f["buyer_name"],
        buyer_address=f["buyer_address"],
        currency=f["currency"],
        total=f["total"],
        lines=tuple(InvoiceLine(**line) for line in record.lines),
        pro_forma=bool(f["pro_forma"]),
        document_kind=f["document_kind"],
        language=f["language"],
        has_file=record.file_name is not None,
    )


def _invoice_fields(invoice: Invoice) -> dict[str, Any]:
    return {
        "number": invoice.number[:100] if invoice.number else None,
        "invoice_date": invoice.invoice_date,
        "supplier_name": invoice.supplier_name,
        "supplier_address": invoice.supplier_address,
        "supplier_phone": invoice.supplier_phone,
        "supplier_email": invoice.supplier_email,
        "supplier_website": invoice.supplier_website,
        "buyer_name": invoice.buyer_name,
        "buyer_address": invoice.buyer_address,
        "currency": invoice.currency[:8] if invoice.currency else None,
        "total": invoice.total,
        "pro_forma": invoice.pro_forma,
        "document_kind": invoice.document_kind,
        "language": invoice.language,
    }


def _line_fields(line: InvoiceLine) -> dict[str, Any]:
    return {
        "description": line.description[:2000],
        "quantity": line.quantity,
        "asin": line.asin,
        "sku": line.sku[:100] if line.sku else None,
        "unit_price": line.unit_price,
        "amount": line.amount,
    }


def parse_line_option(value: str) -> InvoiceLine:
    """A line given on the command line: ``ASIN_OR_SKU:QUANTITY[:description]``.

    Raises:
        InputError: the quantity is not a whole number above 0.
    """
    parts = value.split(":", 2)
    if len(parts) < 2 or not parts[1].strip().isdigit() or int(parts[1]) <= 0:
        raise InputError(
            f"Line {value!r} is not ASIN:QUANTITY.", hint="Write e.g. --line B000000001:120."
        )
    key = parts[0].strip()
    description = parts[2].strip() if len(parts) > 2 else key
    asin = key.upper() if ASIN.fullmatch(key.upper()) else None
    return InvoiceLine(description, int(parts[1]), asin=asin, sku=None if asin else key)


def _profile_facts(profile: ProfileRecord) -> AccountFacts:
    return AccountFacts(profile.fields.get("legal_name"), profile.fields.get("address"))


class Evidence:
    """Evidence and risk use cases of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.rules = load_evidence_rules()

    # Helpers

    def _account(self, name: str) -> AccountRecord:
        with self.workspace.database.session() as session:
            return AccountRepository(session).get(name)

    def _tables(self, account: str) -> dict[str, ir.Table]:
        return self.workspace.tables(account)

    def _profile(self, account: AccountRecord) -> ProfileRecord:
        with self.workspace.database.session() as session:
            return EvidenceRepository(session).profile(account.id, account.name)

    def _sales(
        self, account: str, as_of: date | None
    ) -> tuple[dict[str, Listing], dict[str, int], date]:
        """Listings (ASIN → SKUs, names), units sold per ASIN in [D − 365, D], and D."""
        import ibis

        as_of = as_of or date.today()
        orders = self._tables(account).get("orders")
        if orders is None:
            return {}, {}, as_of
        orders = orders.filter(orders.marketplace != _NON_AMAZON)
        window = self.rules.threshold("invoice_max_age_days")
        sold_lines = orders.filter(orders.asin.notnull())
        names = _rows(sold_lines.select("asin", "sku", "product_name").distinct())
        listings: dict[str, Listing] = {}
        for row in names:
            asin = row["asin"]
            held = listings.get(asin, Listing(asin))
            skus = held.skus | ({row["sku"]} if row["sku"] else set())
            titles = held.names + (
                (row["product_name"],)
                if row["product_name"] and row["product_name"] not in held.names
                else ()
            )
            listings[asin] = Listing(asin, frozenset(skus), titles)
        start = as_of - timedelta(days=window)
        in_window = sold_lines.filter(
            (sold_lines.order_status != "Cancelled")
            & (sold_lines.order_date >= ibis.literal(start))
            & (sold_lines.order_date <= ibis.literal(as_of))
        )
        sold_rows = _rows(in_window.group_by("asin").aggregate(units=in_window.quantity.sum()))
        sold = {row["asin"]: int(row["units"] or 0) for row in sold_rows}
        return listings, sold, as_of

    # Invoices

    def add_invoices(
        self,
        account: str,
        path: Path,
        *,
        overrides: Mapping[str, Any] | None = None,
        lines: Sequence[InvoiceLine] = (),
        confirm: bool = False,
    ) -> list[dict[str, Any]]:
        """Register the invoice(s) of a PDF (text extracted) or of a register CSV, all or nothing.

        Args:
            account: the account's name.
            path: a PDF invoice, or a CSV with one row per invoice line.
            overrides: field values the seller gives (they win over the extracted ones).
            lines: line items the seller gives (they replace the extracted ones).
            confirm: mark the invoice confirmed (the seller checked every field).

        Raises:
            NotFoundError: no such account.
            InputError: unreadable, protected or scanned PDF, bad CSV, or another file type.
            AlreadyExistsError: the same PDF is already in the register.
        """
        record = self._account(account)
        data = _read_file(Path(path))
        name = Path(path).name
        suffix = Path(path).suffix.lower()
        listings, _, _ = self._sales(account, None)
        if suffix == ".csv":
            invoices = read_invoice_csv(data, name)
            origin, status, file_name, digest, blob = "csv", "confirmed", None, None, None
        elif suffix == ".pdf" or data.startswith(b"%PDF"):
            invoice = parse_invoice_text(read_pdf_text(data, name))
            invoice = replace(
                invoice, **{k: v for k, v in (overrides or {}).items() if v is not None}
            )
            if lines:
                invoice = replace(invoice, lines=tuple(lines))
            invoices = [invoice]
            origin, status = "pdf", "confirmed" if confirm else "extracted"
            file_name, digest, blob = name[-255:], hashlib.sha256(data).hexdigest(), data
        else:
            raise InputError(
                f"{name} is neither a PDF nor a CSV.",
                hint="Add the supplier's PDF invoice, or type scanned ones into a CSV "
                "(columns: invoice_number, invoice_date, supplier_name, quantity, ...).",
            )
        added = []
        with self.workspace.database.transaction() as session:
            repository = EvidenceRepository(session)
            if digest is not None:
                existing = repository.invoice_by_digest(record.id, digest)
                if existing is not None:
                    raise AlreadyExistsError("invoice file", f"{name} (invoice {existing})")
            for invoice in invoices:
                matched = replace(invoice, lines=match_lines(invoice.lines, listings))
                stored = repository.add_invoice(
                    record.id,
                    fields=_invoice_fields(matched),
                    lines=[_line_fields(line) for line in matched.lines],
                    status=status,
                    origin=origin,
                    added_at=_now(),
                    file_name=file_name,
                    file_sha256=digest,
                    file_data=blob,
                )
                added.append(stored)
        return [self._invoice_view(r) for r in added]

    def _invoice_view(self, record: InvoiceRecord) -> dict[str, Any]:
        return {
            "id": record.id,
            "status": record.status,
            "origin": record.origin,
            "file_name": record.file_name,
            "added_at": record.added_at.isoformat(),
            **_invoice_from_record(record).to_json(),
        }

    def list_invoices(self, account: str) -> list[dict[str, Any]]:
        """The account's invoice register, by date."""
        record = self._account(account)
        with self.workspace.database.session() as session:
            rows = EvidenceRepository(session).invoices(record.id)
        return [self._invoice_view(r) for r in rows]

    def update_invoice(
        self,
        account: str,
        invoice_id: int,
        *,
        overrides: Mapping[str, Any],
        lines: Sequence[InvoiceLine] | None = None,
        confirm: bool = True,
    ) -> dict[str, Any]:
        """Correct an invoice's fields or lines; confirmed by default.

        Raises:
            NotFoundError: no such account, or no such invoice in it.
        """
        record = self._account(account)
        listings, _, _ = self._sales(account, None)
        fields = {k: v for k, v in overrides.items() if v is not None}
        matched = match_lines(lines, listings) if lines is not None else None
        with self.workspace.database.transaction() as session:
            repository = EvidenceRepository(session)
            current = repository.invoice(record.id, invoice_id)
            updated = repository.update_invoice(
                record.id,
                invoice_id,
                fields=fields,
                lines=[_line_fields(line) for line in matched] if matched is not None else None,
                status="confirmed" if confirm else current.status,
            )
        return self._invoice_view(updated)

    def remove_invoice(self, account: str, invoice_id: int) -> None:
        """Take an invoice out of the register.

        Raises:
            NotFoundError: no such account, or no such invoice in it.
        """
        record = self._account(account)
        with self.workspace.database.transaction() as session:
            EvidenceRepository(session).delete_invoice(record.id, invoice_id)

    def check_invoices(self, account: str, *, as_of: date | None = None) -> dict[str, Any]:
        """Every invoice checked against Amazon's rules, and unit coverage per ASIN.

        ``as_of`` (the day Amazon would ask) defaults to today.
        """
        record = self._account(account)
        listings, sold, day = self._sales(account, as_of)
        profile = self._profile(record)
        facts = _profile_facts(profile)
        with self.workspace.database.session() as session:
            rows = EvidenceRepository(session).invoices(record.id)
        checked = []
        all_findings: list[Finding] = []
        pairs = []
        for row in rows:
            invoice = _invoice_from_record(row)
            findings = check_invoice(
                invoice, as_of=day, account=facts, listings=listings or None, rules=self.rules
            )
            all_findings.extend(findings)
            pairs.append((str(row.id), invoice))
            checked.append(
                {
                    "id": row.id,
                    "number": invoice.number[:100] if invoice.number else None,
                    "date": invoice.invoice_date.isoformat() if invoice.invoice_date else None,
                    "supplier": invoice.supplier_name,
                    "status": row.status,
                    "units": invoice.units,
                    "ok": not any(f.severity == "error" for f in findings),
                    "findings": [f.to_json() for f in findings],
                }
            )
        coverage = compute_coverage(pairs, sold, as_of=day, rules=self.rules)
        coverage_findings = [f for c in coverage for f in c.findings]
        return {
            "account": account,
            "as_of": day.isoformat(),
            "profile": {"legal_name": facts.legal_name, "address": facts.address},
            "invoices": checked,
            "coverage": [c.to_json() for c in coverage],
            "summary": {
                "invoices": len(checked),
                "invoices_ok": sum(1 for c in checked if c["ok"]),
                "asins": len(coverage),
                "asins_short": sum(1 for c in coverage if c.status == "short"),
                "asins_expiring": sum(1 for c in coverage if c.status == "expiring"),
                "errors": sum(
                    1 for f in [*all_findings, *coverage_findings] if f.severity == "error"
                ),
                "warnings": sum(
                    1 for f in [*all_findings, *coverage_findings] if f.severity == "warning"
                ),
            },
            "ok": not any(f.severity == "error" for f in [*all_findings, *coverage_findings]),
        }

    # Verification documents

    def add_document(
        self,
        account: str,
        *,
        kind: str,
        path: Path | None = None,
        holder_name: str | None = None,
        address: str | None = None,
        issued_on: date | None = None,
        expires_on: date | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Keep a verification document (its file is optional, its kind is not).

        Raises:
            NotFoundError: no such account.
            InputError: unknown kind, unreadable file, or a PDF that is protected or damaged.
        """
        record = self._account(account)
        kinds = tuple(self.rules.document_kinds)
        if kind not in kinds:
            raise InputError(
                f"{kind!r} is not a document kind.", hint="Use one of: " + ", ".join(kinds) + "."
            )
        data = name = digest = None
        if path is not None:
            data = _read_file(Path(path))
            name = Path(path).name[-255:]
            if data.startswith(b"%PDF"):
                _check_pdf(data, name)
            digest = hashlib.sha256(data).hexdigest()
        with self.workspace.database.transaction() as session:
            stored = EvidenceRepository(session).add_document(
                record.id,
                fields={
                    "kind": kind,
                    "holder_name": holder_name,
                    "address": address,
                    "issued_on": issued_on,
                    "expires_on": expires_on,
                    "note": note,
                },
                added_at=_now(),
                file_name=name,
                file_data=data,
                file_sha256=digest,
            )
        return _document_view(stored)

    def list_documents(self, account: str) -> list[dict[str, Any]]:
        """The account's verification documents."""
        record = self._account(account)
        with self.workspace.database.session() as session:
            return [_document_view(d) for d in EvidenceRepository(session).documents(record.id)]

    def check_documents(self, account: str, *, as_of: date | None = None) -> dict[str, Any]:
        """The checklist, expiries and name/address consistency of the account's documents."""
        record = self._account(account)
        facts = _profile_facts(self._profile(record))
        with self.workspace.database.session() as session:
            rows = EvidenceRepository(session).documents(record.id)
        result = check_documents(
            [_verification(d) for d in rows],
            account=facts,
            as_of=as_of or date.today(),
            rules=self.rules,
        )
        return {"account": account, **result}

    # Evidence pack

    def _exhibit_sources(
        self,
        account: str,
        invoice_ids: Sequence[int] | None,
        document_ids: Sequence[int] | None,
        *,
        with_files: bool,
    ) -> list[tuple[dict[str, Any], ExhibitSource]]:
        record = self._account(account)
        chosen: list[tuple[dict[str, Any], ExhibitSource]] = []
        with self.workspace.database.session() as session:
            repository = EvidenceRepository(session)
            invoices = {r.id: r for r in repository.invoices(record.id)}
            documents = {d.id: d for d in repository.documents(record.id)}
            if invoice_ids is None and document_ids is None:
                invoice_ids = [i for i, r in invoices.items() if r.file_name]
                document_ids = list(documents)
            for invoice_id in invoice_ids or []:
                if invoice_id not in invoices:
                    raise NotFoundError(
                        "invoice", invoice_id, hint="List them with `goodstanding invoices list`."
                    )
                row = invoices[invoice_id]
                stored = repository.invoice_file(record.id, invoice_id) if with_files else None
                f = row.fields
                title = f"Invoice {f['number'] or invoice_id} — {f['supplier_name'] or 'supplier'}"
                if f["invoice_date"]:
                    title += f", {f['invoice_date'].isoformat()}"
                units = sum(int(line["quantity"]) for line in row.lines)
                source = ExhibitSource(
                    title,
                    f"{units} units",
                    stored[0] if stored else row.file_name,
                    stored[1] if stored else None,
                )
                chosen.append(({"type": "invoice", "id": invoice_id}, source))
            for document_id in document_ids or []:
                if document_id not in documents:
                    raise NotFoundError(
                        "document",
                        document_id,
                        hint="List them with `goodstanding documents list`.",
                    )
                doc = documents[document_id]
                stored = repository.document_file(record.id, document_id) if with_files else None
                title = doc.kind.replace("_", " ").capitalize() + (
                    f" — {doc.holder_name}" if doc.holder_name else ""
                )
                source = ExhibitSource(
                    title,
                    doc.note or "",
                    stored[0] if stored else doc.file_name,
                    stored[1] if stored else None,
                )
                chosen.append(({"type": "document", "id": document_id}, source))
        return chosen

    def exhibit_list(
        self,
        account: str,
        *,
        invoice_ids: Sequence[int] | None = None,
        document_ids: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        """The exhibits a pack of these ids would hold, numbered, for an appeal to cite.

        Same choice and order as :meth:`evidence_pack`; nothing is written.

        Raises:
            NotFoundError: an id is not an invoice or document of the account.
        """
        chosen = self._exhibit_sources(account, invoice_ids, document_ids, with_files=False)
        return [
            {"number": number, "title": source.title, "description": source.description, **ref}
            for number, (ref, source) in enumerate(chosen, start=1)
        ]

    def evidence_pack(
        self,
        account: str,
        output: Path,
        *,
        invoice_ids: Sequence[int] | None = None,
        document_ids: Sequence[int] | None = None,
        language: str = "en",
    ) -> dict[str, Any]:
        """Write the chosen invoices and documents as numbered exhibits: a PDF and a ZIP.

        With no ids, every invoice with a file and every document is included. ``output`` names
        the PDF; the ZIP is written beside it with the suffix ``.zip``.

        Raises:
            NotFoundError: an id is not an invoice or document of the account.
            InputError: nothing to put in the pack, or the output cannot be written.
        """
        from goodstanding.documents import write_bytes_atomically
        from goodstanding.evidence.exhibits import build_evidence_pack

        chosen = self._exhibit_sources(account, invoice_ids, document_ids, with_files=True)
        pack = build_evidence_pack(
            [source for _, source in chosen], title=f"Evidence — {account}", language=language
        )
        output = Path(output)
        pdf_path = output if output.suffix.lower() == ".pdf" else output.with_suffix(".pdf")
        zip_path = pdf_path.with_suffix(".zip")
        write_bytes_atomically(pack.pdf, pdf_path)
        write_bytes_atomically(pack.zip, zip_path)
        document = pack.to_json()
        for exhibit, (ref, _) in zip(document["exhibits"], chosen, strict=True):
            exhibit.update(ref)
        return {"account": account, "pdf": str(pdf_path), "zip": str(zip_path), **document}

    # Profiles and linked accounts

    def profile(self, account: str) -> dict[str, Any]:
        """The account's business identity (the facts documents must match)."""
        record = self._account(account)
        return _profile_view(self._profile(record))

    def set_profile(self, account: str, **fields: str | Sequence[str] | None) -> dict[str, Any]:
        """Set profile fields (``None`` leaves a field as it is; "" clears it).

        Raises:
            NotFoundError: no such account.
            InputError: an unknown field.
        """
        record = self._account(account)
        values: dict[str, str | None] = {}
        for name, value in fields.items():
            if name not in PROFILE_FIELDS:
                raise InputError(
                    f"{name!r} is not a profile field.", hint="Fields: " + ", ".join(PROFILE_FIELDS)
                )
            if value is None:
                continue
            if name in _LIST_FIELDS and not isinstance(value, str):
                values[name] = "\n".join(v.strip() for v in value if v.strip())
            else:
                values[name] = str(value).strip()
        with self.workspace.database.transaction() as session:
            stored = EvidenceRepository(session).set_profile(record.id, record.name, values, _now())
        return _profile_view(stored)

    def _asins(self, account: str) -> frozenset[str]:
        orders = self._tables(account).get("orders")
        if orders is None:
            return frozenset()
        rows = _rows(orders.filter(orders.asin.notnull()).select("asin").distinct())
        return frozenset(r["asin"] for r in rows)

    def linked_audit(self, accounts: Sequence[str] | None = None) -> dict[str, Any]:
        """Related-account signals shared between the given accounts (default: all of them).

        Raises:
            NotFoundError: a named account does not exist.
        """
        with self.workspace.database.session() as session:
            profiles = EvidenceRepository(session).profiles()
        known = {p.account for p in profiles}
        if accounts is not None:
            for name in accounts:
                if name not in known:
                    raise NotFoundError(
                        "account", name, hint="List the accounts with `goodstanding accounts list`."
                    )
            profiles = [p for p in profiles if p.account in set(accounts)]
        audited = [_account_profile(p, self._asins(p.account)) for p in profiles]
        return audit_linked(audited, rules=self.rules)

    def linked_letter(
        self,
        account: str,
        *,
        related: Sequence[str],
        reason: str,
        output: Path,
        language: str = "en",
    ) -> dict[str, Any]:
        """Write the related-account request letter (format from the suffix) and list the pack.

        Raises:
            NotFoundError: an account does not exist.
            InputError: no related account or reason, or an unknown output format.
        """
        from goodstanding.documents import write_document
        from goodstanding.risk.linked import distinctness_pack, related_account_letter

        if not related:
            raise InputError("Name the related account(s).", hint="Use --related NAME.")
        if not reason.strip():
            raise InputError(
                "Give the business reason for the related account.", hint="Use --reason TEXT."
            )
        with self.workspace.database.session() as session:
            profiles = {p.account: p for p in EvidenceRepository(session).profiles()}
        for name in (account, *related):
            if name not in profiles:
                raise NotFoundError("account", name)
        ours = _account_profile(profiles[account], self._asins(account))
        others = [_account_profile(profiles[n], self._asins(n)) for n in related]
        document = related_account_letter(ours, others, reason=reason, language=language)
        fmt = Path(output).suffix.lstrip(".").lower() or "txt"
        write_document(document, Path(output), fmt)
        return {
            "account": account,
            "related": list(related),
            "letter": str(output),
            "proof_of_distinctness": distinctness_pack(ours, others),
        }

    # Feedback and claims

    def feedback_triage(self, account: str, *, as_of: date | None = None) -> dict[str, Any]:
        """Negative and neutral feedback sorted into what can be removed and what needs action.

        Raises:
            NotFoundError: no such account.
            DataError: no feedback report was imported.
        """
        from goodstanding.errors import DataError

        record = self._account(account)
        tables = self._tables(account)
        feedback = tables.get("feedback")
        if feedback is None:
            raise DataError(
                f"No feedback report was imported into {account!r}.",
                hint="Import Amazon's seller feedback report with `goodstanding ingest`.",
            )
        rows = _rows(feedback.filter(feedback.rating <= 3))
        orders = tables.get("orders")
        by_order: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"asins": [], "channel": None, "marketplace": None}
        )
        ids = sorted({r["order_id"] for r in rows if r["order_id"]})
        if orders is not None and ids:
            for row in _rows(
                orders.filter(orders.order_id.isin(ids)).select(
                    "order_id", "asin", "channel", "marketplace"
                )
            ):
                entry = by_order[row["order_id"]]
                if row["asin"] and row["asin"] not in entry["asins"]:
                    entry["asins"].append(row["asin"])
                entry["channel"] = row["channel"]
                entry["marketplace"] = row["marketplace"]
        entries = []
        for row in rows:
            info = by_order.get(
                row["order_id"] or "", {"asins": [], "channel": None, "marketplace": None}
            )
            entries.append(
                FeedbackEntry(
                    order_id=row["order_id"] or "",
                    feedback_date=row["feedback_date"],
                    rating=int(row["rating"]),
                    comment=row["comments"] or "",
                    channel=info["channel"],
                    asins=tuple(sorted(info["asins"])),
                    marketplace=info["marketplace"] or record.marketplace,
                )
            )
        day = as_of or date.today()
        return {"account": account, **triage_feedback(entries, as_of=day, rules=self.rules)}

    def claims_check(self, account: str, *, as_of: date | None = None) -> dict[str, Any]:
        """Claims and chargebacks against their deadlines, and returns hiding complaints.

        Raises:
            NotFoundError: no such account.
        """
        self._account(account)
        tables = self._tables(account)
        claims: list[ClaimEntry] = []
        for name, kind, id_column in (
            ("claims", "a_to_z", "claim_id"),
            ("chargebacks", "chargeback", "chargeback_id"),
        ):
            table = tables.get(name)
            if table is None:
                continue
            for row in _rows(table):
                responded = _responded_at(row)
                claims.append(
                    ClaimEntry(
                        kind=kind,
                        claim_id=row[id_column],
                        order_id=row["order_id"],
                        filed_at=row["filed_at"],
                        status=(row["status"] or "").lower(),
                        reason=row.get("reason"),
                        responded_at=responded,
                    )
                )
        returns: list[ReturnEntry] = []
        table = tables.get("returns_mfn")
        if table is not None:
            for row in _rows(
                table.select("order_id", "asin", "reason", "return_requested_on", "quantity")
            ):
                returns.append(
                    ReturnEntry(
                        row["order_id"],
                        row["asin"],
                        row["reason"],
                        None,
                        row["return_requested_on"],
                        int(row["quantity"] or 1),
                    )
                )
        table = tables.get("returns_fba")
        if table is not None:
            for row in _rows(
                table.select(
                    "order_id", "asin", "reason", "customer_comments", "return_date", "quantity"
                )
            ):
                returns.append(
                    ReturnEntry(
                        row["order_id"],
                        row["asin"],
                        row["reason"],
                        row["customer_comments"],
                        row["return_date"],
                        int(row["quantity"] or 1),
                    )
                )
        day = as_of or date.today()
        return {
            "account": account,
            "claims": check_claims(claims, as_of=day, rules=self.rules),
            "returns": check_returns(returns, rules=self.rules),
        }

    # Security

    def security_log(
        self,
        account: str,
        *,
        kind: str,
        user: str | None = None,
        actor: str | None = None,
        occurred_at: datetime | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record a security fact (two-step on, password changed, bank details changed...).

        Raises:
            NotFoundError: no such account.
            InputError: unknown kind, or a user-specific kind without ``user``.
        """
        record = self._account(account)
        kinds = [k for k in EVENT_KINDS if k != "task_done"]
        if kind not in kinds:
            raise InputError(
                f"{kind!r} is not a security event.", hint="Use one of: " + ", ".join(kinds) + "."
            )
        if (
            kind
            in ("user_added", "user_removed", "two_step_on", "two_step_off", "password_changed")
            and not user
        ):
            raise InputError(f"A {kind} event needs the user it concerns.", hint="Add --user NAME.")
        for value, what in ((user, "user"), (actor, "actor")):
            if value is not None and len(value) > 100:
                raise InputError(f"The {what} name is longer than 100 characters.")
        when = occurred_at or _now()
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        with self.workspace.database.transaction() as session:
            stored = EvidenceRepository(session).add_security_event(
                record.id,
                kind=kind,
                occurred_at=when,
                recorded_at=_now(),
                user_name=user,
                actor=actor,
                note=note,
            )
        return {
            "id": stored.id,
            "kind": stored.kind,
            "user": stored.user_name,
            "actor": stored.actor,
            "note": stored.note,
            "occurred_at": stored.occurred_at.isoformat(),
            "recorded_at": stored.recorded_at.isoformat(),
        }

    def _security_events(self, account: AccountRecord) -> list[SecurityEvent]:
        with self.workspace.database.session() as session:
            repository = EvidenceRepository(session)
            events = [
                SecurityEvent(e.kind, e.occurred_at, e.user_name, e.actor, e.note)
                for e in repository.security_events(account.id)
            ]
            events += [
                SecurityEvent(
                    "task_done",
                    datetime.combine(t.done_on, time(12), tzinfo=UTC),
                    None,
                    t.done_by,
                    t.note,
                    t.task,
                )
                for t in repository.tasks_done(account.id)
            ]
        return events

    def security_check(self, account: str, *, as_of: date | None = None) -> dict[str, Any]:
        """The security checklist, sensitive changes, review tasks and findings of the account."""
        record = self._account(account)
        events = self._security_events(record)
        result = check_security(events, as_of=as_of or date.today(), rules=self.rules)
        return {
            "account": account,
            **result,
            "log": [e.to_json() for e in events if e.kind != "task_done"],
        }

    def task_done(
        self,
        account: str,
        task: str,
        *,
        by: str | None = None,
        on: date | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record that a daily or monthly review task was done.

        Raises:
            NotFoundError: no such account.
            InputError: unknown task.
        """
        record = self._account(account)
        known = task_ids(self.rules)
        if task not in known:
            raise InputError(
                f"{task!r} is not a review task.", hint="Tasks: " + ", ".join(known) + "."
            )
        if by is not None and len(by) > 100:
            raise InputError("The name of who did the task is longer than 100 characters.")
        with self.workspace.database.transaction() as session:
            stored = EvidenceRepository(session).add_task_done(
                record.id,
                task=task,
                done_on=on or date.today(),
                recorded_at=_now(),
                done_by=by,
                note=note,
            )
        return {
            "task": stored.task,
            "done_on": stored.done_on.isoformat(),
            "done_by": stored.done_by,
        }

    # Readiness

    def readiness(
        self, account: str, *, as_of: date | None = None, peers: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """What Amazon could ask for today that the account could not produce, with the fixes.

        Args:
            account: the account's name.
            as_of: the day Amazon would ask (default today).
            peers: the accounts compared for related-account signals (default every account;
                the web app passes only the accounts granted to the user).
        """
        record = self._account(account)
        invoices = self.check_invoices(account, as_of=as_of)
        day = date.fromisoformat(invoices["as_of"])
        listings, sold, _ = self._sales(account, day)
        with self.workspace.database.session() as session:
            rows = EvidenceRepository(session).invoices(record.id)
        facts = _profile_facts(self._profile(record))
        pairs = [(str(r.id), _invoice_from_record(r)) for r in rows]
        coverage = compute_coverage(pairs, sold, as_of=day, rules=self.rules)
        invoice_findings = [
            f
            for _, invoice in pairs
            for f in check_invoice(
                invoice, as_of=day, account=facts, listings=listings or None, rules=self.rules
            )
        ]
        documents = self.check_documents(account, as_of=day)
        tables = self._tables(account)
        claims = (
            self.claims_check(account, as_of=day)["claims"]
            if "claims" in tables or "chargebacks" in tables
            else None
        )
        security = self.security_check(account, as_of=day)
        names = None if peers is None else sorted({account, *peers})
        linked = self.linked_audit(names)
        pairs_of_account = [p for p in linked["pairs"] if account in p["accounts"]]
        result = compute_readiness(
            profile=facts,
            coverage=coverage,
            invoice_findings=invoice_findings,
            invoice_count=len(rows),
            documents=documents,
            claims=claims,
            security=security,
            linked=pairs_of_account,
        )
        return {"account": account, "as_of": day.isoformat(), **result}


def _check_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(
                f"{name} is password-protected.", hint="Save an unprotected copy and add that."
            )
        if len(reader.pages) == 0:
            raise InputError(f"{name} has no pages.")
    except InputError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(f"{name} is damaged or not a complete PDF ({error}).") from None


def _responded_at(row: Mapping[str, Any]) -> datetime | None:
    for key in ("x_responded-at", "x_responded_at", "x_response-date", "x_responded"):
        value = row.get(key)
        if value:
            text = str(value).strip()
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _verification(record: DocumentRecord) -> VerificationDocument:
    return VerificationDocument(
        reference=str(record.id),
        kind=record.kind,
        holder_name=record.holder_name,
        address=record.address,
        issued_on=record.issued_on,
        expires_on=record.expires_on,
        file_name=record.file_name,
        file_size=record.file_size,
    )


def _document_view(record: DocumentRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind,
        "holder_name": record.holder_name,
        "address": record.address,
        "issued_on": record.issued_on.isoformat() if record.issued_on else None,
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
        "note": record.note,
        "file_name": record.file_name,
        "file_size": record.file_size,
        "added_at": record.added_at.isoformat(),
    }


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in re.split(r"[\n,]+", value or "") if v.strip())


def _account_profile(record: ProfileRecord, asins: frozenset[str]) -> AccountProfile:
    f = record.fields
    return AccountProfile(
        account=record.account,
        legal_name=f["legal_name"],
        address=f["address"],
        phone=f["phone"],
        email=f["email"],
        bank_account=f["bank_account"],
        tax_id=f["tax_id"],
        ips=tuple(v.strip() for v in _split(f["ips"])),
        devices=tuple(v.strip() for v in _split(f["devices"])),
        asins=asins,
        related_approved=tuple(v.strip() for v in _split(f["related_approved"])),
    )


def _profile_view(record: ProfileRecord) -> dict[str, Any]:
    profile = _account_profile(record, frozenset()).to_json()
    profile["updated_at"] = record.updated_at.isoformat() if record.updated_at else None
    return profile
