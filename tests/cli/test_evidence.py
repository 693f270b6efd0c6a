"""CLI: invoices, documents, evidence pack and readiness."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence import pdfs  # tests/evidence/pdfs.py

from .conftest import Cli


@pytest.fixture
def account(cli: Cli, tmp_path: Path) -> str:
    # An account with no orders: invoices are still registered and checked.
    from goodstanding.cli.context import open_workspace

    with open_workspace() as workspace:
        workspace.add_account("acme")
    return "acme"


def pdf(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_invoices_add_list_and_check(cli: Cli, account: str, tmp_path: Path) -> None:
    invoice = pdf(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.GERMAN, columns=True))

    added = cli.json(
        "invoices", "add", invoice, "--account", account, "--supplier", "Becherwerk AG"
    )
    listed = cli.json("invoices", "list", "--account", account)
    checked = cli.json("invoices", "check", "--account", account, "--as-of", "2026-06-01")

    (entry,) = added["added"]
    assert entry["supplier"]["name"] == "Becherwerk AG"  # the option wins over the PDF
    assert entry["date"] == "2026-01-20"
    assert [i["id"] for i in listed["invoices"]] == [entry["id"]]
    assert checked["as_of"] == "2026-06-01"
    assert checked["coverage"] == [
        {
            "asin": "B000000002",
            "sold": 0,
            "invoiced": 40,
            "short": 0,
            "status": "ok",
            "short_on": None,
            "invoices": [str(entry["id"])],
            "findings": [],
        }
    ]
    text = cli("invoices", "check", "--account", account, "--as-of", "2026-06-01").stdout
    assert "Becherwerk AG" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdfs.image_only_pdf(), "no text layer"),
        (pdfs.encrypted(pdfs.text_pdf(pdfs.ENGLISH)), "password-protected"),
        (b"%PDF-1.4\n garbage", "damaged"),
    ],
)
def test_bad_pdf_exits_1_with_one_message_and_stores_nothing(
    cli: Cli, account: str, tmp_path: Path, data: bytes, message: str
) -> None:
    result = cli("invoices", "add", pdf(tmp_path, "bad.pdf", data), "--account", account, code=1)

    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert cli.json("invoices", "list", "--account", account)["invoices"] == []


def test_unknown_account_and_bad_date_are_clear_errors(cli: Cli, tmp_path: Path) -> None:
    invoice = pdf(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.ENGLISH))
    assert "No account named" in cli("invoices", "add", invoice, "--account", "nope", code=1).stderr
    cli("invoices", "check", "--account", "nope", "--as-of", "June", code=2)


def test_invoice_edit_with_lines(cli: Cli, account: str, tmp_path: Path) -> None:
    invoice = pdf(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.PRO_FORMA, columns=True))
    (entry,) = cli.json("invoices", "add", invoice, "--account", account)["added"]

    edited = cli.json(
        "invoices",
        "edit",
        str(entry["id"]),
        "--account",
        account,
        "--line",
        "B000000001:12:Blue mug",
        "--phone",
        "+1 555 0100",
    )

    assert edited["status"] == "confirmed"
    assert [(x["asin"], x["quantity"]) for x in edited["lines"]] == [("B000000001", 12)]
    cli("invoices", "edit", str(entry["id"]), "--account", account, "--line", "B01", code=1)
    removed = cli.json("invoices", "remove", str(entry["id"]), "--account", account)
    assert removed == {"account": account, "removed": entry["id"]}
    assert cli.json("invoices", "list", "--account", account)["invoices"] == []
    cli("invoices", "remove", str(entry["id"]), "--account", account, code=1)


def test_documents_pack_and_readiness(cli: Cli, account: str, tmp_path: Path) -> None:
    invoice = pdf(tmp_path, "inv.pdf", pdfs.text_pdf(pdfs.ENGLISH, columns=True))
    (entry,) = cli.json("invoices", "add", invoice, "--account", account)["added"]
    scan = pdf(tmp_path, "licence.pdf", pdfs.text_pdf(["LICENCE"]))
    document = cli.json(
        "documents",
        "add",
        scan,
        "--account",
        account,
        "--kind",
        "business_licence",
        "--name",
        "Blue Mug Trading LLC",
    )
    cli("documents", "add", "--account", account, "--kind", "passport", code=1)

    listed = cli.json("documents", "list", "--account", account)
    checked = cli.json("documents", "check", "--account", account, "--as-of", "2026-06-01")
    out = tmp_path / "pack.pdf"
    pack = cli.json(
        "evidence",
        "pack",
        "--account",
        account,
        "--ids",
        f"i{entry['id']},d{document['id']}",
        "-o",
        str(out),
    )
    readiness = cli.json("readiness", "--account", account, "--as-of", "2026-06-01")

    assert [d["kind"] for d in listed["documents"]] == ["business_licence"]
    statuses = {c["kind"]: c["status"] for c in checked["checklist"]}
    assert (statuses["identity"], statuses["business_licence"]) == ("missing", "ok")
    assert [e["title"].split(" — ")[0] for e in pack["exhibits"]] == [
        "Invoice INV-2026-0042",
        "Business licence",
    ]
    assert out.is_file() and (tmp_path / "pack.zip").is_file()
    assert set(readiness) >= {"account", "as_of", "score", "items", "not_ready"}
    assert "verification_documents" in readiness["not_ready"]
    cli("evidence", "pack", "--account", account, "--ids", "x9", "-o", str(out), code=2)
    cli("evidence", "pack", "--account", account, "--ids", "i999", "-o", str(out), code=1)


def test_csv_register_import(cli: Cli, account: str, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        "invoice_number,invoice_date,supplier_name,asin,quantity\n"
        "A-1,2026-02-01,ACME,B000000001,100\n"
        "A-2,2026-03-01,ACME,B000000001,50\n",
        encoding="utf-8",
    )

    added = cli.json("invoices", "add", str(register), "--account", account)

    assert [a["number"] for a in added["added"]] == ["A-1", "A-2"]
