"""Evidence pages: readiness, invoices, documents, feedback, security (grant, roles, forms)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from evidence import pdfs  # tests/evidence/pdfs.py
from goodstanding.workspace import Workspace

from .pages_data import get_ok
from .tenants import Tenant

PAGES = ("evidence", "invoices", "documents", "feedback", "security")


def test_every_page_renders_for_owner_and_viewer(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    for page in PAGES:
        html = get_ok(signed_in["alice"], f"/accounts/alpha/{page}")
        assert "Readiness" in html  # the evidence tabs
    assert 'id="invoice-upload"' in get_ok(signed_in["alice"], "/accounts/alpha/invoices")
    assert 'id="invoice-upload"' not in get_ok(signed_in["carol"], "/accounts/alpha/invoices")
    assert "No feedback report" in get_ok(signed_in["alice"], "/accounts/alpha/feedback")


def test_another_tenants_account_is_404(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    for page in PAGES:
        assert signed_in["bob"].get(f"/accounts/alpha/{page}").status_code == 404


def test_invoice_upload_adds_and_a_scan_adds_nothing(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant], workspace: Workspace
) -> None:
    client = signed_in["alice"]
    good = ("files", ("inv.pdf", pdfs.text_pdf(pdfs.ENGLISH, columns=True), "application/pdf"))
    scan = ("files", ("scan.pdf", pdfs.image_only_pdf(), "application/pdf"))

    answer = client.post("/accounts/alpha/invoices", files=[good])
    refused = client.post("/accounts/alpha/invoices", files=[scan])

    assert answer.status_code == 200, answer.text[:2000]
    assert "INV-2026-0042" in answer.text
    assert refused.status_code == 400
    assert "no text layer" in refused.text
    assert len(workspace.evidence.list_invoices("alpha")) == 1
    viewer = signed_in["carol"].post("/accounts/alpha/invoices", files=[good])
    assert viewer.status_code == 403


def test_document_and_security_forms(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant], workspace: Workspace
) -> None:
    client = signed_in["alice"]

    added = client.post(
        "/accounts/alpha/documents",
        data={"kind": "identity", "holder_name": "Alice", "expires_on": "2030-01-01"},
    )
    bad = client.post("/accounts/alpha/documents", data={"kind": "identity", "expires_on": "soon"})
    logged = client.post(
        "/accounts/alpha/security/log",
        data={"kind": "two_step_on", "user": "alice", "actor": "alice"},
    )
    task = client.post("/accounts/alpha/security/tasks", data={"task": "check_messages"})

    assert added.status_code == 200 and "Document added." in added.text
    assert bad.status_code == 400 and "not a date" in bad.text
    assert logged.status_code == 200 and "two step on" in logged.text
    assert task.status_code == 200
    assert [d["kind"] for d in workspace.evidence.list_documents("alpha")] == ["identity"]
    result = workspace.evidence.security_check("alpha")
    assert [u["user"] for u in result["users"]] == ["alice"]
    assert {t["task"]: t["status"] for t in result["tasks"]}["check_messages"] == "done"
