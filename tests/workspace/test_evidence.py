"""Evidence and risk use cases on a real store: atomic imports, isolation, checks from the data."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from evidence import pdfs  # tests/evidence/pdfs.py
from goodstanding.config import Settings
from goodstanding.errors import AlreadyExistsError, DataError, InputError, NotFoundError
from goodstanding.ingest import ORDER_HEADERS
from goodstanding.workspace import Workspace

ORDER_DEFAULTS = {
    "purchase-date": "2026-03-01T10:00:00+00:00",
    "last-updated-date": "2026-03-02T10:00:00+00:00",
    "order-status": "Shipped",
    "fulfillment-channel": "Merchant",
    "sales-channel": "Amazon.com",
    "ship-service-level": "Standard",
    "item-status": "Shipped",
    "currency": "USD",
    "item-price": "10.00",
    "ship-country": "US",
}


def orders_file(path: Path, rows: list[dict[str, str]]) -> Path:
    header = ORDER_HEADERS["2024"]
    lines = ["\t".join(header)]
    lines += ["\t".join({**ORDER_DEFAULTS, **row}.get(h, "") for h in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def order(number: int, asin: str, quantity: int, day: str, **fields: str) -> dict[str, str]:
    return {
        "amazon-order-id": f"111-0000000-{number:07d}",
        "purchase-date": f"{day}T10:00:00+00:00",
        "last-updated-date": f"{day}T11:00:00+00:00",
        "asin": asin,
        "sku": {"B000000001": "MUG-1", "B000000002": "MUG-2"}.get(asin, "X"),
        "product-name": {"B000000001": "Blue ceramic mug 350ml"}.get(asin, "Green travel mug"),
        "quantity": str(quantity),
        **fields,
    }


@pytest.fixture
def workspace(settings: Settings, tmp_path: Path) -> Iterator[Workspace]:
    rows = [
        order(1, "B000000001", 100, "2026-04-01"),
        order(2, "B000000001", 50, "2026-05-01"),
        order(3, "B000000002", 70, "2026-05-02", **{"fulfillment-channel": "Amazon"}),
        order(4, "B000000002", 999, "2026-05-03", **{"order-status": "Cancelled"}),
        order(5, "B000000001", 999, "2025-01-01"),  # outside the 365 days before 2026-06-01
        order(6, "B000000001", 1, "2026-06-01"),
    ]
    with Workspace.open(settings) as opened:
        opened.ingest([orders_file(tmp_path / "orders.txt", rows)], account="acme")
        opened.add_account("other")
        yield opened


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pdf_invoice_is_extracted_matched_and_checked_against_sales(
    workspace: Workspace, tmp_path: Path
) -> None:
    evidence = workspace.evidence
    evidence.set_profile(
        "acme",
        legal_name="Blue Mug Trading LLC",
        address="400 Pine Street, Suite 5, Seattle, WA 98101",
    )
    pdf = write(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.ENGLISH, columns=True))

    (added,) = evidence.add_invoices("acme", pdf)
    result = evidence.check_invoices("acme", as_of=date(2026, 6, 1))

    assert added["status"] == "extracted"
    assert [line["asin"] for line in added["lines"]] == ["B000000001", "B000000002"]
    assert result["invoices"][0]["ok"] is True
    coverage = {c["asin"]: c for c in result["coverage"]}
    # sold B000000001: 100 + 50 + 1 (cancelled and old orders excluded); invoiced 120.
    assert (coverage["B000000001"]["sold"], coverage["B000000001"]["invoiced"]) == (151, 120)
    assert coverage["B000000001"]["short"] == 31
    # sold B000000002: 70 (the cancelled 999 excluded); invoiced 60.
    assert coverage["B000000002"]["short"] == 10
    assert result["ok"] is False
    assert evidence.list_invoices("other") == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", pdfs.image_only_pdf(), "no text layer"),
        ("locked.pdf", pdfs.encrypted(pdfs.text_pdf(pdfs.ENGLISH)), "password-protected"),
        ("broken.pdf", pdfs.text_pdf(pdfs.ENGLISH)[:700], "damaged"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "neither a PDF nor a CSV"),
        (
            "bad.csv",
            b"invoice_number,invoice_date,supplier_name,quantity\nA,2026-01-01,X,0\n",
            "line 2",
        ),
    ],
)
def test_bad_files_store_nothing(
    workspace: Workspace, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        workspace.evidence.add_invoices("acme", write(tmp_path, name, data))

    assert workspace.evidence.list_invoices("acme") == []


def test_csv_import_is_all_or_nothing(workspace: Workspace, tmp_path: Path) -> None:
    good = (
        b"invoice_number,invoice_date,supplier_name,asin,quantity\n"
        b"A,2026-01-05,ACME,B000000001,10\n"
    )
    bad = good + b"B,2026-01-06,ACME,B000000001,-3\n"

    with pytest.raises(InputError):
        workspace.evidence.add_invoices("acme", write(tmp_path, "bad.csv", bad))
    assert workspace.evidence.list_invoices("acme") == []
    added = workspace.evidence.add_invoices("acme", write(tmp_path, "good.csv", good))
    assert [(a["number"], a["status"], a["has_file"]) for a in added] == [("A", "confirmed", False)]


def test_same_pdf_twice_is_refused_and_edits_confirm(workspace: Workspace, tmp_path: Path) -> None:
    pdf = write(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.FRENCH, columns=True))
    (added,) = workspace.evidence.add_invoices("acme", pdf)

    with pytest.raises(AlreadyExistsError):
        workspace.evidence.add_invoices("acme", pdf)
    from goodstanding.workspace.evidence import parse_line_option

    edited = workspace.evidence.update_invoice(
        "acme",
        added["id"],
        overrides={"supplier_phone": "+33 1 00"},
        lines=[parse_line_option("B000000002:15")],
    )
    assert edited["status"] == "confirmed"
    assert edited["supplier"]["phone"] == "+33 1 00"
    assert [(line["asin"], line["quantity"]) for line in edited["lines"]] == [("B000000002", 15)]
    with pytest.raises(NotFoundError):
        workspace.evidence.update_invoice("other", added["id"], overrides={})


def test_documents_pack_and_readiness(workspace: Workspace, tmp_path: Path) -> None:
    evidence = workspace.evidence
    pdf = write(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.ENGLISH, columns=True))
    (invoice,) = evidence.add_invoices("acme", pdf)
    document = evidence.add_document(
        "acme",
        kind="identity",
        path=write(tmp_path, "id.pdf", pdfs.text_pdf(["PASSPORT"])),
        holder_name="Blue Mug Trading LLC",
        expires_on=date(2030, 1, 1),
    )
    with pytest.raises(InputError, match="not a document kind"):
        evidence.add_document("acme", kind="passport")

    checked = evidence.check_documents("acme", as_of=date(2026, 6, 1))
    assert {c["kind"]: c["status"] for c in checked["checklist"]}["identity"] == "ok"
    assert evidence.check_documents("other", as_of=date(2026, 6, 1))["documents"] == []

    listed = evidence.exhibit_list("acme", document_ids=[document["id"]])
    assert listed == [
        {
            "number": 1,
            "title": "Identity — Blue Mug Trading LLC",
            "description": "",
            "type": "document",
            "id": document["id"],
        }
    ]
    out = tmp_path / "pack.pdf"
    pack = evidence.evidence_pack(
        "acme", out, invoice_ids=[invoice["id"]], document_ids=[document["id"]]
    )
    assert [(e["number"], e["type"]) for e in pack["exhibits"]] == [(1, "invoice"), (2, "document")]
    assert len(PdfReader(out).pages) == 5  # index, cover, invoice, cover, passport
    assert (
        "Exhibit-02-id.pdf"
        in zipfile.ZipFile(io.BytesIO((tmp_path / "pack.zip").read_bytes())).namelist()
    )
    with pytest.raises(NotFoundError):
        evidence.evidence_pack("other", tmp_path / "x.pdf", invoice_ids=[invoice["id"]])

    readiness = evidence.readiness("acme", as_of=date(2026, 6, 1))
    items = {i["id"]: i["status"] for i in readiness["items"]}
    assert items["account_profile"] == "missing"
    assert items["invoices_cover_sales"] == "missing"  # 31 and 10 units short
    assert items["verification_documents"] == "missing"  # no business licence or bank statement
    assert 0 <= readiness["score"] < 50
    assert all(i["fix"] for i in readiness["items"] if i["status"] != "ready")


def test_feedback_triage_reads_the_orders_channel(workspace: Workspace, tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.txt"
    feedback.write_text(
        "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
        "2026-05-20\t1\tPackage arrived two weeks late.\t\t111-0000000-0000003\t\n"
        "2026-05-21\t2\tPackage arrived two weeks late.\t\t111-0000000-0000001\t\n"
        "2026-05-22\t5\tGreat\t\t111-0000000-0000002\t\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError):
        workspace.evidence.feedback_triage("acme")
    workspace.ingest([feedback], account="acme")

    result = workspace.evidence.feedback_triage("acme", as_of=date(2026, 6, 1))

    items = {i["order_id"][-1]: i for i in result["items"]}
    assert items["3"]["category"] == "fba_delivery"  # order 3 is Amazon-fulfilled
    assert items["1"]["category"] == "service_failure"  # order 1 the seller shipped
    assert items["3"]["asins"] == ["B000000002"]
    assert items["3"]["days_left"] == 78  # 2026-05-20 + 90 = 2026-08-18


def test_claims_check_uses_the_responded_at_column(workspace: Workspace, tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "order-id,claim-id,filed-at,reason,status,responded-at\n"
        "111-0000000-0000001,C1,2026-05-01T09:00:00Z,item_not_received,pending,\n"
        "111-0000000-0000002,C2,2026-05-01T09:00:00Z,item_not_received,granted_seller_funded,"
        "2026-05-06T09:00:00Z\n",
        encoding="utf-8",
    )
    workspace.ingest([claims], account="acme")

    result = workspace.evidence.claims_check("acme", as_of=date(2026, 5, 10))

    states = {i["claim_id"]: i["state"] for i in result["claims"]["items"]}
    assert states == {"C1": "overdue", "C2": "answered_late"}


def test_linked_audit_security_and_profiles(workspace: Workspace) -> None:
    evidence = workspace.evidence
    evidence.set_profile("acme", bank_account="DE89 3704 0044 0532 0130 00", ips=["1.2.3.4"])
    evidence.set_profile("other", bank_account="de89370400440532013000", ips=["5.6.7.8"])

    audit = evidence.linked_audit()

    (pair,) = audit["pairs"]
    assert (pair["accounts"], pair["shared"]) == (["acme", "other"], ["bank_account"])
    assert evidence.profile("acme")["bank_account"].endswith("3000")
    with pytest.raises(NotFoundError):
        evidence.linked_audit(["acme", "ghost"])

    evidence.security_log("acme", kind="user_added", user="ana", actor="boss")
    evidence.security_log("acme", kind="two_step_on", user="ana", actor="ana")
    evidence.task_done("acme", "check_messages", by="ana")
    with pytest.raises(InputError):
        evidence.security_log("acme", kind="two_step_on")
    with pytest.raises(InputError):
        evidence.task_done("acme", "water_plants")

    result = evidence.security_check("acme")
    assert [(u["user"], u["two_step"]) for u in result["users"]] == [("ana", True)]
    assert {t["task"]: t["status"] for t in result["tasks"]}["check_messages"] == "done"
    assert evidence.security_check("other")["users"] == []


def test_readiness_compares_only_the_peers_it_is_given(workspace: Workspace) -> None:
    evidence = workspace.evidence
    evidence.set_profile("acme", tax_id="DE123")
    evidence.set_profile("other", tax_id="de-123")

    everyone = evidence.readiness("acme", as_of=date(2026, 6, 1))
    alone = evidence.readiness("acme", as_of=date(2026, 6, 1), peers=[])

    linked = {i["id"]: i for i in everyone["items"]}["linked_accounts"]
    assert linked["status"] == "missing"
    assert "other" in linked["detail"]
    assert {i["id"]: i for i in alone["items"]}["linked_accounts"]["status"] == "ready"


def test_removing_an_account_removes_its_evidence(workspace: Workspace, tmp_path: Path) -> None:
    pdf = write(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.ENGLISH, columns=True))
    workspace.evidence.add_invoices("acme", pdf)
    workspace.evidence.add_document("acme", kind="identity")
    workspace.evidence.security_log("acme", kind="user_added", user="ana")

    workspace.remove_account("acme")

    from sqlalchemy import text

    with workspace.database.session() as session:
        for table in ("evidence_invoices", "evidence_invoice_lines", "evidence_documents"):
            assert session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0
        assert session.execute(text("SELECT COUNT(*) FROM security_log")).scalar() == 0
