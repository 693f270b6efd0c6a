"""Appeal cases in the app store: cases, their submitted POA versions and Amazon's replies.

Every read and write takes the account id, so one account never sees another's cases. A version
is written once, when it is submitted, and never updated: the repository has no method to change
one, and a new text is always a new version number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodstanding.errors import NotFoundError
from goodstanding.store.models import AppealCase, AppealReply, AppealVersion


@dataclass(frozen=True)
class VersionRecord:
    """One submitted Plan of Action version."""

    number: int
    text: str
    language: str
    score: int
    verdict: str
    grade: dict[str, Any]
    submitted_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The version as a JSON-ready dict."""
        return {
            "number": self.number,
            "language": self.language,
            "score": self.score,
            "verdict": self.verdict,
            "submitted_at": self.submitted_at.isoformat(),
            "grade": self.grade,
            "text": self.text,
        }


@dataclass(frozen=True)
class ReplyRecord:
    """One reply of Amazon, with what the reader found in it."""

    id: int
    text: str
    received_on: date
    reading: dict[str, Any]
    recorded_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The reply as a JSON-ready dict."""
        return {
            "id": self.id,
            "received_on": self.received_on.isoformat(),
            "reading": self.reading,
            "text": self.text,
        }


@dataclass(frozen=True)
class CaseRecord:
    """A case with its versions and replies, oldest first."""

    id: int
    account_id: int
    title: str
    status: str
    notice_text: str
    notice_language: str
    families: tuple[str, ...]
    final_decision: bool
    deadline: date | None
    outcome: str | None
    opened_at: datetime
    closed_at: datetime | None
    versions: tuple[VersionRecord, ...] = ()
    replies: tuple[ReplyRecord, ...] = ()


def _now() -> datetime:
    return datetime.now(UTC)


def _version(row: AppealVersion) -> VersionRecord:
    return VersionRecord(
        number=row.number,
        text=row.text,
        language=row.language,
        score=row.score,
        verdict=row.verdict,
        grade=dict(row.grade),
        submitted_at=row.submitted_at,
    )


def _reply(row: AppealReply) -> ReplyRecord:
    return ReplyRecord(
        id=row.id,
        text=row.text,
        received_on=row.received_on,
        reading=dict(row.reading),
        recorded_at=row.recorded_at,
    )


class CaseRepository:
    """Cases of the accounts, read and written through one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, account_id: int, case_id: int) -> AppealCase:
        row = self.session.get(AppealCase, case_id)
        if row is None or row.account_id != account_id:
            # Another account's case is reported exactly like a missing one.
            raise NotFoundError("case", case_id, hint="List the account's cases with case list.")
        return row

    def _record(self, row: AppealCase, *, details: bool) -> CaseRecord:
        versions: tuple[VersionRecord, ...] = ()
        replies: tuple[ReplyRecord, ...] = ()
        if details:
            versions = tuple(
                _version(v)
                for v in self.session.scalars(
                    select(AppealVersion)
                    .where(AppealVersion.case_id == row.id)
                    .order_by(AppealVersion.number)
                )
            )
            replies = tuple(
                _reply(r)
                for r in self.session.scalars(
                    select(AppealReply)
                    .where(AppealReply.case_id == row.id)
                    .order_by(AppealReply.id)
                )
            )
        return CaseRecord(
            id=row.id,
            account_id=row.account_id,
            title=row.title,
            status=row.status,
            notice_text=row.notice_text,
            notice_language=row.notice_language,
            families=tuple(row.families.split()),
            final_decision=row.final_decision,
            deadline=row.deadline,
            outcome=row.outcome,
            opened_at=row.opened_at,
            closed_at=row.closed_at,
            versions=versions,
            replies=replies,
        )

    def open(
        self,
        account_id: int,
        *,
        title: str,
        notice_text: str,
        notice_language: str,
        families: tuple[str, ...],
        final_decision: bool,
        deadline: date | None,
    ) -> CaseRecord:
        """Open a case for a notice."""
        row = AppealCase(
            account_id=account_id,
            title=title,
            status="open",
            notice_text=notice_text,
            notice_language=notice_language,
            families=" ".join(families),
            final_decision=final_decision,
            deadline=deadline,
            outcome=None,
            opened_at=_now(),
            closed_at=None,
        )
        self.session.add(row)
        self.session.flush()
        return self._record(row, details=True)

    def get(self, account_id: int, case_id: int) -> CaseRecord:
        """The case with its versions and replies.

        Raises:
            NotFoundError: no such case for this account.
        """
        return self._record(self._row(account_id, case_id), details=True)

    def list(self, account_id: int) -> list[CaseRecord]:
        """The account's cases, newest first (without versions and replies)."""
        rows = self.session.scalars(
            select(AppealCase)
            .where(AppealCase.account_id == account_id)
            .order_by(AppealCase.id.desc())
        )
        return [self._record(row, details=False) for row in rows]

    def add_version(
        self,
        account_id: int,
        case_id: int,
        *,
        text: str,
        language: str,
        score: int,
        verdict: str,
        grade: dict[str, Any],
    ) -> VersionRecord:
        """Record a submitted version under the next number (versions are never changed)."""
        self._row(account_id, case_id)
        last = self.session.scalar(
            select(func.max(AppealVersion.number)).where(AppealVersion.case_id == case_id)
        )
        row = AppealVersion(
            case_id=case_id,
            number=(last or 0) + 1,
            text=text,
            language=language,
            score=score,
            verdict=verdict,
            grade=grade,
            submitted_at=_now(),
        )
        self.session.add(row)
        self.session.flush()
        return _version(row)

    def add_reply(
        self,
        account_id: int,
        case_id: int,
        *,
        text: str,
        received_on: date,
        reading: dict[str, Any],
        final_decision: bool,
    ) -> ReplyRecord:
        """Record a reply of Amazon; a final one marks the case as final."""
        case = self._row(account_id, case_id)
        row = AppealReply(
            case_id=case_id,
            text=text,
            received_on=received_on,
            reading=reading,
            recorded_at=_now(),
        )
        if final_decision:
            case.final_decision = True
        self.session.add(row)
        self.session.flush()
        return _reply(row)

    def close(self, account_id: int, case_id: int, *, outcome: str) -> CaseRecord:
        """Close the case with its outcome."""
        row = self._row(account_id, case_id)
        row.status = "closed"
        row.outcome = outcome
        row.closed_at = _now()
        self.session.flush()
        return self._record(row, details=True)
