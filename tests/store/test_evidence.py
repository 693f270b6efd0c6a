"""The evidence repository: invoices with lines and files, documents, profiles, log, tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from goodstanding.errors import NotFoundError
from goodstanding.store.db import Database
from goodstanding.store.evidence import EvidenceRepository
from goodstanding.store.repositories import AccountRepository
from goodstanding.types import AccountType

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def accounts(database: Database) -> tuple[int, int]:
    with database.transaction() as session:
        repository = AccountRepository(session)
        one = repository.add(
            "one", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=NOW
        )
        two = repository.add(
            "two", marketplace="Amazon.de", account_type=AccountType.SELLER, created_at=NOW
        )
    return one.id, two.id


def test_invoice_round_trips_with_lines_and_file_scoped_by_account(database: Database) -> None:
    one, two = accounts(database)
    with database.transaction() as session:
        added = EvidenceRepository(session).add_invoice(
            one,
            fields={"number": "A-1", "invoice_date": date(2026, 3, 1), "supplier_name": "ACME"},
            lines=[
                {"description": "Blue mug", "quantity": 120, "asin": "B000000001"},
                {"description": "Green mug", "quantity": 5},
            ],
            status="extracted",
            origin="pdf",
            added_at=NOW,
            file_name="a.pdf",
            file_sha256="f" * 64,
            file_data=b"%PDF-1.4 data",
        )

    with database.session() as session:
        repository = EvidenceRepository(session)
        (held,) = repository.invoices(one)
        assert held.fields["number"] == "A-1"
        assert held.fields["pro_forma"] is False
        assert [line["quantity"] for line in held.lines] == [120, 5]
        assert repository.invoice_file(one, added.id) == ("a.pdf", b"%PDF-1.4 data")
        assert repository.invoice_by_digest(one, "f" * 64) == added.id
        assert repository.invoice_by_digest(two, "f" * 64) is None
        assert repository.invoices(two) == []
        with pytest.raises(NotFoundError):
            repository.invoice(two, added.id)


def test_invoice_update_replaces_lines_and_delete_cascades(database: Database) -> None:
    one, _ = accounts(database)
    with database.transaction() as session:
        added = EvidenceRepository(session).add_invoice(
            one,
            fields={},
            lines=[{"description": "x", "quantity": 1}],
            status="extracted",
            origin="pdf",
            added_at=NOW,
        )
    with database.transaction() as session:
        updated = EvidenceRepository(session).update_invoice(
            one,
            added.id,
            fields={"supplier_name": "Fixed"},
            lines=[{"description": "y", "quantity": 7}, {"description": "z", "quantity": 8}],
            status="confirmed",
        )
    assert (updated.status, updated.fields["supplier_name"]) == ("confirmed", "Fixed")
    assert [line["description"] for line in updated.lines] == ["y", "z"]
    with database.transaction() as session:
        EvidenceRepository(session).delete_invoice(one, added.id)
    with database.session() as session:
        assert EvidenceRepository(session).invoices(one) == []


def test_documents_profiles_log_and_tasks(database: Database) -> None:
    one, two = accounts(database)
    with database.transaction() as session:
        repository = EvidenceRepository(session)
        document = repository.add_document(
            one,
            fields={"kind": "identity", "expires_on": date(2030, 1, 1)},
            added_at=NOW,
            file_name="id.png",
            file_data=b"png",
        )
        repository.set_profile(
            one, "one", {"legal_name": "One Ltd", "ips": "1.1.1.1\n2.2.2.2"}, NOW
        )
        repository.add_security_event(
            one, kind="two_step_on", occurred_at=NOW, recorded_at=NOW, user_name="ana"
        )
        repository.add_task_done(
            one, task="check_messages", done_on=date(2026, 6, 1), recorded_at=NOW
        )

    with database.session() as session:
        repository = EvidenceRepository(session)
        (held,) = repository.documents(one)
        assert (held.kind, held.file_size, held.expires_on) == ("identity", 3, date(2030, 1, 1))
        assert repository.document_file(one, document.id) == ("id.png", b"png")
        with pytest.raises(NotFoundError):
            repository.document_file(two, document.id)
        profiles = {p.account: p for p in repository.profiles()}
        assert profiles["one"].fields["legal_name"] == "One Ltd"
        assert profiles["two"].fields["legal_name"] is None
        assert [e.user_name for e in repository.security_events(one)] == ["ana"]
        assert repository.security_events(two) == []
        assert [t.task for t in repository.tasks_done(one)] == ["check_messages"]
