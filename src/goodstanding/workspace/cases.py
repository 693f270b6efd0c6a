"""Case use cases: follow a suspension from its notice to the outcome.

A case keeps the notice, every Plan of Action version submitted (immutable once submitted),
Amazon's replies read by the notice reader, and the do's and don'ts that apply while it is open.
The reasons of a rejection become ``prior_findings`` of the grader for the next version.
Every method takes the account's name and touches only that account's cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Final

from goodstanding.appeal.cases import case_guidance, read_reply
from goodstanding.appeal.grade import GradeReport, grade_poa
from goodstanding.errors import DataError, InputError, PermissionDeniedError
from goodstanding.store.cases import CaseRecord, CaseRepository, ReplyRecord, VersionRecord
from goodstanding.store.repositories import AccountRepository

if TYPE_CHECKING:
    from goodstanding.workspace import Workspace

__all__ = ["OUTCOMES", "CaseSummary", "CaseView", "Cases", "Submission"]

OUTCOMES: Final = ("reinstated", "rejected", "withdrawn", "other")
"""How a case can end."""

_TITLE_LIMIT: Final = 200


@dataclass(frozen=True)
class CaseSummary:
    """One line of ``case list``."""

    id: int
    account: str
    title: str
    status: str
    families: tuple[str, ...]
    deadline: date | None
    final_decision: bool
    opened_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The case's line as a JSON-ready dict."""
        return {
            "id": self.id,
            "account": self.account,
            "title": self.title,
            "status": self.status,
            "families": list(self.families),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "final_decision": self.final_decision,
            "opened_at": self.opened_at.isoformat(),
        }


@dataclass(frozen=True)
class CaseView:
    """A case with its history, what the next version must fix, and the rules of conduct."""

    summary: CaseSummary
    outcome: str | None
    closed_at: datetime | None
    notice_text: str
    versions: tuple[VersionRecord, ...]
    replies: tuple[ReplyRecord, ...]
    prior_findings: tuple[str, ...]
    awaiting_reply: bool
    guidance: tuple[dict[str, str], ...]

    def to_json(self) -> dict[str, Any]:
        """The case as a JSON-ready dict."""
        return {
            **self.summary.to_json(),
            "outcome": self.outcome,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "awaiting_reply": self.awaiting_reply,
            "prior_findings": list(self.prior_findings),
            "versions": [version.to_json() for version in self.versions],
            "replies": [reply.to_json() for reply in self.replies],
            "guidance": list(self.guidance),
            "notice": self.notice_text,
        }


@dataclass(frozen=True)
class Submission:
    """A version just recorded as submitted, and its grade."""

    version: VersionRecord
    grade: GradeReport

    def to_json(self) -> dict[str, Any]:
        """``{"version", "grade"}``."""
        return {"version": self.version.to_json(), "grade": self.grade.to_json()}


def _summary(account: str, record: CaseRecord) -> CaseSummary:
    return CaseSummary(
        id=record.id,
        account=account,
        title=record.title,
        status=record.status,
        families=record.families,
        deadline=record.deadline,
        final_decision=record.final_decision,
        opened_at=record.opened_at,
    )


def _rejections(record: CaseRecord) -> list[ReplyRecord]:
    return [reply for reply in record.replies if reply.reading.get("rejection")]


def _awaiting(record: CaseRecord) -> bool:
    if not record.versions:
        return False
    last_submitted = record.versions[-1].submitted_at
    return not any(reply.recorded_at >= last_submitted for reply in record.replies)


def _prior(record: CaseRecord) -> tuple[str, ...]:
    rejected = _rejections(record)
    if not rejected:
        return ()
    return tuple(rejected[-1].reading.get("prior_findings") or ())


class Cases:
    """Appeal cases of the workspace's accounts."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def _account_id(self, account: str) -> int:
        with self.workspace.database.session() as session:
            return AccountRepository(session).get(account).id

    def _record(self, account: str, case_id: int) -> CaseRecord:
        account_id = self._account_id(account)
        with self.workspace.database.session() as session:
            return CaseRepository(session).get(account_id, case_id)

    def open(self, account: str, notice_text: str, *, title: str | None = None) -> CaseView:
        """Open a case for a notice of the account.

        Raises:
            NotFoundError: the account does not exist.
            NoticeReadError: the notice cannot be read.
            InputError: the text is not a notice (no violation family), or the title is too long.
        """
        account_id = self._account_id(account)
        reading = self.workspace.appeals.read(notice_text)
        if not reading.families:
            raise InputError(
                "The notice names no violation family: no case to open.",
                hint="Check that the text is Amazon's notice (goodstanding notice classify FILE).",
            )
        if title is None:
            names = [self.workspace.knowledge.family(f, "en").name for f in reading.family_ids]
            title = "; ".join(names)[:_TITLE_LIMIT]
        if not title.strip() or len(title) > _TITLE_LIMIT:
            raise InputError(
                f"The case title must be 1 to {_TITLE_LIMIT} characters.",
                hint="Give a short title.",
            )
        with self.workspace.database.transaction() as session:
            record = CaseRepository(session).open(
                account_id,
                title=title.strip(),
                notice_text=notice_text,
                notice_language=reading.language,
                families=reading.family_ids,
                final_decision=reading.final_decision,
                deadline=reading.deadline,
            )
        return self._view(account, record, None)

    def list(self, account: str) -> list[CaseSummary]:
        """The account's cases, newest first.

        Raises:
            NotFoundError: the account does not exist.
        """
        account_id = self._account_id(account)
        with self.workspace.database.session() as session:
            records = CaseRepository(session).list(account_id)
        return [_summary(account, record) for record in records]

    def show(self, account: str, case_id: int, *, lang: str | None = None) -> CaseView:
        """The case with its versions, replies, what to fix next, and the rules of conduct.

        Args:
            account: the account's name.
            case_id: the case's number.
            lang: the language of the guidance; default the notice's (or English).

        Raises:
            NotFoundError: no such account, or no such case for this account.
        """
        return self._view(account, self._record(account, case_id), lang)

    def _view(self, account: str, record: CaseRecord, lang: str | None) -> CaseView:
        knowledge = self.workspace.knowledge
        chosen = lang or (
            record.notice_language if record.notice_language in knowledge.languages else "en"
        )
        last = record.replies[-1].reading if record.replies else {}
        items = case_guidance(
            knowledge,
            chosen,
            rejections=len(_rejections(record)),
            final_decision=record.final_decision,
            information_request=bool(last.get("information_request")),
            unnamed_policy=record.families == ("other",),
        )
        return CaseView(
            summary=_summary(account, record),
            outcome=record.outcome,
            closed_at=record.closed_at,
            notice_text=record.notice_text,
            versions=record.versions,
            replies=record.replies,
            prior_findings=_prior(record),
            awaiting_reply=_awaiting(record),
            guidance=tuple(
                {"id": item.id, "kind": item.kind.value, "text": item.text} for item in items
            ),
        )

    def grade_next(self, account: str, case_id: int, text: str) -> GradeReport:
        """Grade a new version against the notice, the account's data and past rejections.

        Raises:
            NotFoundError: no such account or case.
            InputError: empty text.
        """
        record = self._record(account, case_id)
        return self._grade(account, record, text)

    def _grade(self, account: str, record: CaseRecord, text: str) -> GradeReport:
        try:
            facts = self.workspace.health(account)
        except DataError:
            facts = None  # no order data imported: nothing to check the figures against
        return grade_poa(
            text,
            notice_families=record.families,
            account_facts=facts,
            prior_findings=_prior(record),
        )

    def submit(self, account: str, case_id: int, text: str) -> Submission:
        """Record a POA version as submitted (it can never change afterwards) with its grade.

        One appeal at a time: a new version is refused while the previous one has no reply.

        Raises:
            NotFoundError: no such account or case.
            PermissionDeniedError: the case is closed, or the last version awaits Amazon's reply.
            InputError: empty text.
        """
        account_id = self._account_id(account)
        record = self._record(account, case_id)
        if record.status != "open":
            raise PermissionDeniedError(
                f"Case {case_id} is closed.", hint="Open a new case for a new notice."
            )
        if _awaiting(record):
            raise PermissionDeniedError(
                f"Version {record.versions[-1].number} of case {case_id} is still waiting for "
                "Amazon's reply: send one appeal at a time.",
                hint="Record Amazon's answer with case reply first.",
            )
        report = self._grade(account, record, text)
        with self.workspace.database.transaction() as session:
            version = CaseRepository(session).add_version(
                account_id,
                case_id,
                text=text,
                language=report.language,
                score=report.score,
                verdict=report.verdict,
                grade=report.to_json(),
            )
        return Submission(version, report)

    def reply(
        self, account: str, case_id: int, text: str, *, received_on: date | None = None
    ) -> ReplyRecord:
        """Record Amazon's reply; a rejection's reasons become findings for the next version.

        Raises:
            NotFoundError: no such account or case.
            InputError: empty text.
        """
        account_id = self._account_id(account)
        self._record(account, case_id)
        day = received_on or datetime.now(UTC).date()
        reading = read_reply(text, reference_date=day)
        with self.workspace.database.transaction() as session:
            return CaseRepository(session).add_reply(
                account_id,
                case_id,
                text=text,
                received_on=day,
                reading=reading.to_json(),
                final_decision=reading.final_decision,
            )

    def close(self, account: str, case_id: int, *, outcome: str) -> CaseView:
        """Close the case with its outcome (reinstated, rejected, withdrawn, other).

        Raises:
            NotFoundError: no such account or case.
            InputError: unknown outcome.
        """
        if outcome not in OUTCOMES:
            raise InputError(f"Unknown outcome {outcome!r}.", hint=f"Use one of {OUTCOMES}.")
        account_id = self._account_id(account)
        with self.workspace.database.transaction() as session:
            record = CaseRepository(session).close(account_id, case_id, outcome=outcome)
        return self._view(account, record, None)
