"""The case repository: per-account isolation, numbered immutable versions, replies, cascade."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from goodstanding.errors import NotFoundError
from goodstanding.store.cases import CaseRepository
from goodstanding.store.db import Database
from goodstanding.store.repositories import AccountRepository
from goodstanding.types import AccountType

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _accounts(database: Database) -> tuple[int, int]:
    with database.transaction() as session:
        accounts = AccountRepository(session)
        first = accounts.add(
            "acme", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=NOW
        )
        second = accounts.add(
            "other", marketplace="Amazon.de", account_type=AccountType.SELLER, created_at=NOW
        )
    return first.id, second.id


def _open(database: Database, account_id: int) -> int:
    with database.transaction() as session:
        record = CaseRepository(session).open(
            account_id,
            title="Order defect rate",
            notice_text="Your order defect rate is above 1%.",
            notice_language="en",
            families=("order_defect_rate", "late_shipment"),
            final_decision=False,
            deadline=date(2026, 12, 20),
        )
    return record.id


def test_a_case_keeps_its_versions_in_order_and_its_replies(database: Database) -> None:
    acme, _ = _accounts(database)
    case_id = _open(database, acme)
    with database.transaction() as session:
        cases = CaseRepository(session)
        first = cases.add_version(
            acme, case_id, text="v1", language="en", score=70, verdict="revise", grade={"a": 1}
        )
        cases.add_reply(
            acme,
            case_id,
            text="rejected",
            received_on=date(2026, 12, 5),
            reading={"rejection": True, "prior_findings": ["no_evidence"]},
            final_decision=True,
        )
        second = cases.add_version(
            acme, case_id, text="v2", language="en", score=90, verdict="ready", grade={}
        )
    assert (first.number, second.number) == (1, 2)
    with database.session() as session:
        record = CaseRepository(session).get(acme, case_id)
    assert record.families == ("order_defect_rate", "late_shipment")
    assert record.deadline == date(2026, 12, 20)
    assert [v.text for v in record.versions] == ["v1", "v2"]
    assert record.replies[0].reading["prior_findings"] == ["no_evidence"]
    assert record.final_decision  # a final reply marks the case final
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.versions[0].text = "changed"  # type: ignore[misc]
    assert not hasattr(CaseRepository, "update_version")


def test_another_accounts_case_is_not_found(database: Database) -> None:
    acme, other = _accounts(database)
    case_id = _open(database, acme)
    with database.session() as session:
        cases = CaseRepository(session)
        assert [c.id for c in cases.list(acme)] == [case_id]
        assert cases.list(other) == []
        with pytest.raises(NotFoundError):
            cases.get(other, case_id)
    with database.transaction() as session, pytest.raises(NotFoundError):
        CaseRepository(session).add_version(
            other, case_id, text="x", language="en", score=1, verdict="reject", grade={}
        )


def test_closing_records_the_outcome(database: Database) -> None:
    acme, _ = _accounts(database)
    case_id = _open(database, acme)
    with database.transaction() as session:
        closed = CaseRepository(session).close(acme, case_id, outcome="reinstated")
    assert (closed.status, closed.outcome) == ("closed", "reinstated")
    assert closed.closed_at is not None


def test_removing_the_account_removes_its_cases(database: Database) -> None:
    acme, _ = _accounts(database)
    case_id = _open(database, acme)
    with database.transaction() as session:
        CaseRepository(session).add_version(
            acme, case_id, text="v1", language="en", score=70, verdict="revise", grade={}
        )
        AccountRepository(session).delete(acme)
    with database.session() as session, pytest.raises(NotFoundError):
        CaseRepository(session).get(acme, case_id)
