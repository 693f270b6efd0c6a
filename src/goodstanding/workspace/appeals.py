"""Appeal use cases: the interview for a notice, the drafted Plan of Action, its grade.

The CLI (``goodstanding appeal ...``) and the web app call these methods and nothing below them.
Each takes the notice as text (or a file path / bytes of a .txt, .eml or .pdf), reads it with
the notice reader and works in the languages the caller asks for; with an account name, the
account's own figures come from :meth:`Workspace.health` of that account only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from goodstanding.appeal import NoticeReading
from goodstanding.appeal.draft import Draft, draft_plan
from goodstanding.appeal.grade import GradeReport, grade_poa
from goodstanding.appeal.interview import (
    Answers,
    Interview,
    interview_for_notice,
    load_answers_document,
    read_answers,
)
from goodstanding.appeal.llm import ChatClient, LLMTranslator
from goodstanding.errors import DataError, InputError

if TYPE_CHECKING:
    from goodstanding.workspace import Workspace

__all__ = ["Appeals", "NoticeSource"]

NoticeSource = str | Path | bytes
"""A notice: its text (``str``), a file path, or the bytes of a .txt, .eml or .pdf file."""

AnswersSource = Answers | Mapping[str, Any] | str | Path | bytes
"""An answers file: checked answers, parsed data, the file's text or bytes, or its path."""


class Appeals:
    """The Plan of Action builder of one workspace: questions, draft, grade."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # -- helpers -------------------------------------------------------------------------------

    def read(self, notice: NoticeSource) -> NoticeReading:
        """Read a notice (text, path or file bytes) with the notice reader.

        Raises:
            NoticeReadError: the notice is empty or cannot be read.
        """
        return self.workspace.read_notice(notice)

    def _facts(
        self, account: str | None, as_of: date | None, marketplace: str | None
    ) -> dict[str, Any] | None:
        if account is None:
            return None
        # One marketplace: the notice's, else the account's own. Figures of several
        # marketplaces side by side would read as contradictions of each other.
        chosen = marketplace or self.workspace.get_account(account).marketplace
        try:
            return self.workspace.health(account, as_of=as_of, marketplace=chosen)
        except DataError:
            return self.workspace.health(account, as_of=as_of)

    # -- use cases -----------------------------------------------------------------------------

    def questions(
        self,
        notice_text: NoticeSource,
        *,
        lang: str | None = None,
        account_type: str | None = None,
    ) -> Interview:
        """The interview for a notice: its families' questions with the catalog's suggestions.

        ``Interview.to_json()`` (or ``to_yaml()``) is itself a valid answers file, each answer
        pre-filled with the catalog's suggestion. A notice marked final still gets its questions;
        ``Interview.warnings`` then says Amazon will not read further appeals.

        Args:
            notice_text: the notice (text, path or file bytes).
            lang: the interview's language; default the notice's language.
            account_type: ``seller`` or ``vendor``; default what the notice says.

        Raises:
            NoticeReadError: the notice cannot be read.
            InputError: the text names no violation family, or an unknown language.
        """
        reading = self.read(notice_text)
        return interview_for_notice(
            self.workspace.knowledge, reading, lang=lang, account_type=account_type
        )

    def check_answers(
        self, notice_text: NoticeSource, answers: AnswersSource, *, source: str | None = None
    ) -> tuple[Interview, Answers]:
        """Check an answers file against the interview of its notice.

        Raises:
            InputError: unknown ids, missing required answers, unreadable file (the message
                names the file and the id).
        """
        name = source or (str(answers) if isinstance(answers, Path) else "answers")
        lang: str | None
        account_type: str | None
        if isinstance(answers, Answers):
            data: Any = None
            lang, account_type = answers.lang, None
        else:
            data = (
                answers
                if isinstance(answers, Mapping)
                else load_answers_document(answers, name=name)
            )
            if not isinstance(data, Mapping):
                raise InputError(
                    f"{name}: this is not an answers file (expected a mapping with 'questions').",
                    hint="Write one with goodstanding appeal questions --notice FILE.",
                )
            declared_lang = data.get("lang")
            lang = declared_lang if isinstance(declared_lang, str) else None
            declared_type = data.get("account_type")
            account_type = declared_type if declared_type in ("seller", "vendor") else None
        reading = self.read(notice_text)
        interview = interview_for_notice(
            self.workspace.knowledge, reading, lang=lang, account_type=account_type
        )
        if isinstance(answers, Answers):
            return interview, answers
        return interview, read_answers(data, interview, source=name)

    def draft(
        self,
        notice_text: NoticeSource,
        answers: AnswersSource,
        *,
        account: str | None = None,
        variant: str = "seller",
        lang: str | None = None,
        as_of: date | None = None,
        information: Mapping[str, str] | None = None,
        source: str | None = None,
        llm: bool = False,
        llm_transport: httpx.BaseTransport | None = None,
    ) -> Draft:
        """Draft the Plan of Action for a notice from the seller's answers.

        Args:
            notice_text: the notice (text, path or file bytes).
            answers: the answers file (see :data:`AnswersSource`).
            account: an account name; its own figures (health as of ``as_of``) are stated.
            variant: ``seller``, ``vendor`` or ``cn-template``.
            lang: the output language; default the notice's language.
            as_of: the day the account's figures are computed for; default its latest order.
            information: store name, merchant token and contact (five-part template); by
                default the ``information`` of the answers file.
            source: the answers file's name, for messages.
            llm: translate the seller's own words in another language with the configured
                OpenAI-compatible endpoint (personal data replaced by placeholders first; a
                translation adding figures is rejected). Off by default: nothing leaves the
                machine without it.
            llm_transport: an ``httpx`` transport for the LLM calls (tests).

        Returns:
            The draft; ``Draft.document`` goes to any writer of ``goodstanding.documents``.

        Raises:
            InputError: bad answers, unknown variant or language, a notice with no family.
            NotFoundError: the account does not exist.
            DataError: the account has no data to compute its figures from.
        """
        interview, checked = self.check_answers(notice_text, answers, source=source)
        marketplace = interview.notice.get("marketplace")
        health = self._facts(account, as_of, str(marketplace) if marketplace else None)
        translator = None
        if llm:
            known = [*checked.information.values(), *(information or {}).values()]
            known += [value for name, value in checked.placeholders.items() if name == "owner"]
            translator = LLMTranslator(self.llm_client(llm_transport), known=tuple(known))
        try:
            return draft_plan(
                self.workspace.knowledge,
                interview,
                checked,
                variant=variant,
                lang=lang,
                health=health,
                information=information,
                translate=translator,
            )
        finally:
            if translator is not None:
                translator.client.close()

    def llm_client(self, transport: httpx.BaseTransport | None = None) -> ChatClient:
        """A client of the configured OpenAI-compatible endpoint (settings, else web settings).

        Raises:
            InputError: no endpoint or no model is configured.
        """
        settings = self.workspace.settings
        secrets = self.workspace.secrets
        base_url = settings.llm_base_url or secrets.get("llm_base_url")
        model = settings.llm_model or secrets.get("llm_model")
        if not base_url or not model:
            raise InputError(
                "The LLM is not configured.",
                hint="Set GOODSTANDING_LLM_BASE_URL and GOODSTANDING_LLM_MODEL (and "
                "GOODSTANDING_LLM_API_KEY if the endpoint needs one), or draft without --llm.",
            )
        return ChatClient(base_url, model, secrets.llm_api_key(), transport=transport)

    def grade(
        self,
        text: str,
        *,
        notice_text: NoticeSource | None = None,
        account: str | None = None,
        as_of: date | None = None,
        prior_findings: Sequence[str] = (),
        submission_language: str | None = None,
    ) -> GradeReport:
        """Grade any Plan of Action (ours or the seller's own).

        Args:
            text: the POA as it would be pasted into Seller Central.
            notice_text: the notice it answers; enables the unanswered and off-topic checks.
            account: an account name; figures in the POA are checked against its own data.
            as_of: the day those figures are computed for.
            prior_findings: rule ids Amazon gave as reasons for rejecting an earlier version.
            submission_language: the language it will be sent in (default: its own).

        Raises:
            InputError: empty text, unknown rule ids or language.
            NotFoundError: the account does not exist.
        """
        families: tuple[str, ...] = ()
        marketplace = None
        if notice_text is not None:
            reading = self.read(notice_text)
            families, marketplace = reading.family_ids, reading.marketplace
        return grade_poa(
            text,
            notice_families=families,
            account_facts=self._facts(account, as_of, marketplace),
            submission_language=submission_language,
            prior_findings=prior_findings,
        )
