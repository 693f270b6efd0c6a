"""The interview behind a Plan of Action, and the answers file that records the seller's choices.

:func:`build_interview` turns a notice reading into the questions of its violation families (root
cause, actions already taken, preventive measures, evidence at hand), each with the catalog's
suggested answers in the user's language. :meth:`Interview.to_answers` writes it out as an answers
file (JSON or YAML) in which every question is already answered with the catalog's defaults, so a
draft can be made from the unedited file; the seller edits ``selected``, ``text`` and the
placeholder values. :func:`read_answers` parses such a file and checks it against the interview.

Answers file (``format: goodstanding-answers/1``)::

    format, lang, account_type        the interview's language and account type
    notice                            families, language, final decision, ASINs... (informative)
    information: {store_name, merchant_token, contact}   the seller's details (five-part template)
    placeholders: {name: {label, question, value}}   values put into the catalog texts
    questions: [{id, family, group, kind, required, question, suggested: [{id, text, label}],
                 selected: [ids], text: "own words", date: "YYYY-MM-DD" | null}]
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import yaml

from goodstanding.appeal.classify import NoticeReading
from goodstanding.errors import InputError
from goodstanding.knowledge import Family, Knowledge, Question, QuestionGroup, QuestionKind
from goodstanding.types import LANGUAGES, AccountType

ANSWERS_FORMAT: Final = "goodstanding-answers/1"
"""The ``format`` value of an answers file."""

INFORMATION_FIELDS: Final = ("store_name", "merchant_token", "contact")
"""The seller's details an answers file may give (used by the five-part template)."""

GROUP_ORDER: Final = (
    QuestionGroup.ROOT_CAUSE,
    QuestionGroup.IMMEDIATE_ACTIONS,
    QuestionGroup.PREVENTION,
    QuestionGroup.EVIDENCE,
)

_HEADER: Final = (
    "# goodstanding answers file: edit 'selected' (ids from 'suggested'), add your own words in\n"
    "# 'text' and a date in 'date' (YYYY-MM-DD), adjust the placeholder values, then run\n"
    "# goodstanding appeal draft --notice NOTICE --answers THIS_FILE\n"
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A catalog item offered as an answer to a question."""

    id: str
    text: str
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"id", "text"}`` plus ``label`` for evidence items."""
        document: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.label:
            document["label"] = self.label
        return document


@dataclass(frozen=True, slots=True)
class InterviewQuestion:
    """One question of the interview, in the interview's language."""

    id: str
    family: str
    group: QuestionGroup
    kind: QuestionKind
    text: str
    required: bool
    suggested: tuple[Suggestion, ...]
    default: tuple[str, ...]

    @property
    def suggested_ids(self) -> tuple[str, ...]:
        """Ids of the suggested answers, in catalog order."""
        return tuple(suggestion.id for suggestion in self.suggested)


@dataclass(frozen=True, slots=True)
class PlaceholderValue:
    """A ``{name}`` slot of the catalog texts with the value the draft will use."""

    name: str
    label: str
    question: str
    value: str
    default: str


@dataclass(frozen=True, slots=True)
class Interview:
    """The questions for one notice, in one language, for one account type."""

    lang: str
    account_type: str
    families: tuple[str, ...]
    family_names: Mapping[str, str]
    questions: tuple[InterviewQuestion, ...]
    placeholders: tuple[PlaceholderValue, ...]
    notice: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def final_decision(self) -> bool:
        """Whether Amazon said its decision is final."""
        return bool(self.notice.get("final_decision"))

    def question(self, question_id: str) -> InterviewQuestion:
        """The question ``question_id``.

        Raises:
            KeyError: the interview has no such question.
        """
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def to_answers(self) -> dict[str, Any]:
        """The answers file (a JSON-ready dict), every answer pre-filled with the defaults."""
        return {
            "format": ANSWERS_FORMAT,
            "lang": self.lang,
            "account_type": self.account_type,
            "notice": {
                **dict(self.notice),
                "families": [
                    {"id": family, "name": self.family_names[family]} for family in self.families
                ],
            },
            "warnings": list(self.warnings),
            "information": dict.fromkeys(INFORMATION_FIELDS, ""),
            "placeholders": {
                placeholder.name: {
                    "label": placeholder.label,
                    "question": placeholder.question,
                    "value": placeholder.value,
                }
                for placeholder in self.placeholders
            },
            "questions": [
                {
                    "id": question.id,
                    "family": question.family,
                    "group": question.group.value,
                    "kind": question.kind.value,
                    "required": question.required,
                    "question": question.text,
                    "suggested": [suggestion.to_json() for suggestion in question.suggested],
                    "selected": list(question.default),
                    "text": "",
                    "date": None,
                }
                for question in self.questions
            ],
        }

    def to_json(self) -> dict[str, Any]:
        """Same as :meth:`to_answers`: the questions are their own answers file."""
        return self.to_answers()

    def to_yaml(self) -> str:
        """The answers file as YAML, with a comment saying how to edit it."""
        body = yaml.safe_dump(
            self.to_answers(), allow_unicode=True, sort_keys=False, width=100, indent=2
        )
        return _HEADER + body


@dataclass(frozen=True, slots=True)
class Answer:
    """The seller's answer to one question."""

    question_id: str
    selected: tuple[str, ...]
    text: str = ""
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Answers:
    """A checked answers file."""

    lang: str
    answers: Mapping[str, Answer]
    placeholders: Mapping[str, str]
    source: str = "answers"
    information: Mapping[str, str] = field(default_factory=dict)
    """Store name, merchant token and contact person (the five-part template's last part)."""

    def answer(self, question_id: str) -> Answer:
        """The answer to ``question_id`` (an empty one when the file leaves it out)."""
        return self.answers.get(question_id) or Answer(question_id, ())


def _family_for(knowledge: Knowledge, family_id: str, lang: str, account_type: str) -> Family:
    family = knowledge.family(family_id, lang)
    kind = account_type if family.applies_to(account_type) else AccountType.SELLER
    return family.for_account(kind)


def _question(knowledge: Knowledge, family: Family, question: Question) -> InterviewQuestion:
    suggested = tuple(
        Suggestion(item.id, item.text, item.label)
        for item in (knowledge.item(item_id, family.lang) for item_id in question.suggested)
    )
    return InterviewQuestion(
        id=question.id,
        family=family.id,
        group=question.group,
        kind=question.kind,
        text=question.text,
        required=question.required,
        suggested=suggested,
        default=question.default,
    )


def build_interview(
    knowledge: Knowledge,
    families: Sequence[str],
    *,
    lang: str,
    account_type: str = "seller",
    notice: Mapping[str, Any] | None = None,
    warnings: Sequence[str] = (),
) -> Interview:
    """The interview for the violation families of a notice, in ``lang``.

    Questions come family by family, then by step (root cause, actions, prevention, evidence).
    Placeholders used by any suggested answer are listed with their neutral default; ``{asins}``
    defaults to the notice's ASINs when it lists some.

    Raises:
        InputError: no family, or ``lang`` is unknown or not installed.
        NotFoundError: an unknown family id.
    """
    knowledge.check_language(lang)
    ordered = tuple(dict.fromkeys(families))
    if not ordered:
        raise InputError(
            "The notice names no violation family, so there is nothing to ask.",
            hint="Check that the file is an Amazon notice (goodstanding notice classify FILE).",
        )
    kind = AccountType(account_type).value
    questions: list[InterviewQuestion] = []
    names: dict[str, str] = {}
    used: dict[str, None] = {}
    for family_id in ordered:
        family = _family_for(knowledge, family_id, lang, kind)
        names[family_id] = family.name
        for group in GROUP_ORDER:
            for question in family.questions_in(group):
                built = _question(knowledge, family, question)
                questions.append(built)
                for item_id in question.suggested:
                    for name in knowledge.item(item_id, lang).placeholders:
                        used.setdefault(name, None)
    general = knowledge.general(lang)
    asins = [str(asin) for asin in (notice or {}).get("asins") or ()]
    placeholders = []
    for name in used:
        spec = general.placeholders[name]
        value = ", ".join(asins) if name == "asins" and asins else spec.default
        placeholders.append(
            PlaceholderValue(name, spec.label, spec.question, value, default=spec.default)
        )
    return Interview(
        lang=lang,
        account_type=kind,
        families=ordered,
        family_names=names,
        questions=tuple(questions),
        placeholders=tuple(placeholders),
        notice=dict(notice or {}),
        warnings=tuple(warnings),
    )


# -- reading an answers file ---------------------------------------------------------------------


def load_answers_document(source: str | Path | bytes, *, name: str | None = None) -> Any:
    """Parse an answers file (JSON or YAML) into plain data.

    Args:
        source: a path, the file's bytes, or its text.
        name: how to call the file in messages (default: the path, or "answers").

    Raises:
        InputError: the file cannot be read or is neither JSON nor YAML.
    """
    label = name or (str(source) if isinstance(source, Path) else "answers")
    if isinstance(source, Path):
        try:
            raw = source.read_bytes()
        except OSError as error:
            raise InputError(
                f"{label}: cannot read the answers file ({error.strerror or error}).",
                hint="Give the path of the file written by goodstanding appeal questions.",
            ) from error
    else:
        raw = source.encode() if isinstance(source, str) else source
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{label}: the answers file is not UTF-8 text.",
            hint="Save it as UTF-8 (JSON or YAML).",
        ) from error
    if not text.strip():
        raise InputError(
            f"{label}: the answers file is empty.",
            hint="Write it with goodstanding appeal questions --notice FILE.",
        )
    try:
        if text.lstrip().startswith(("{", "[")):
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InputError(
            f"{label}: the answers file is not valid JSON or YAML ({error}).",
            hint="Fix the syntax, or start again from goodstanding appeal questions.",
        ) from error


def _fail(label: str, problem: str, hint: str) -> InputError:
    return InputError(f"{label}: {problem}", hint=hint)


def _strings(value: Any, label: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(
            label,
            f"{where} must be a list of ids.",
            "Write the ids one per line under 'selected', as in the file 'questions' wrote.",
        )
    return tuple(value)


def _date(value: Any, label: str, question_id: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise _fail(
            label,
            f"question {question_id!r}: date {value!r} is not a date.",
            "Write it as YYYY-MM-DD, or leave it empty (null).",
        ) from error


def read_answers(data: Any, interview: Interview, *, source: str = "answers") -> Answers:
    """Check an answers document against the interview of the notice and return the answers.

    Questions the file leaves out keep the catalog's defaults unless they are required (then the
    file must answer them); ids the interview does not know are refused.

    Args:
        data: the parsed file (see :func:`load_answers_document`).
        interview: the interview of the notice the draft answers.
        source: the file's name, for messages.

    Raises:
        InputError: not an answers file, an unknown question, answer or placeholder id, a choice
            of several answers to a single-choice question, or a required answer missing; the
            message names the file and the id.
    """
    if not isinstance(data, Mapping):
        raise _fail(
            source,
            "this is not an answers file (expected a mapping with 'questions').",
            "Write one with goodstanding appeal questions --notice FILE --format yaml.",
        )
    declared = data.get("format")
    if declared is not None and declared != ANSWERS_FORMAT:
        raise _fail(
            source,
            f"unknown answers format {declared!r}.",
            f"Expected {ANSWERS_FORMAT!r}; write a new file with goodstanding appeal questions.",
        )
    lang = str(data.get("lang") or interview.lang)
    if lang not in LANGUAGES:
        raise _fail(source, f"unknown language {lang!r}.", f"Use one of {', '.join(LANGUAGES)}.")
    raw_questions = data.get("questions")
    if raw_questions is None:
        raw_questions = []
    if not isinstance(raw_questions, list):
        raise _fail(
            source, "'questions' must be a list.", "Keep the layout written by 'questions'."
        )
    known = {question.id: question for question in interview.questions}
    answers: dict[str, Answer] = {}
    for position, entry in enumerate(raw_questions, start=1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            raise _fail(
                source,
                f"question #{position} has no 'id'.",
                "Keep the 'id' of every question as 'questions' wrote it.",
            )
        question_id = entry["id"]
        question = known.get(question_id)
        if question is None:
            raise _fail(
                source,
                f"unknown question id {question_id!r} (not a question for this notice).",
                "Remove it, or write a fresh file with goodstanding appeal questions for this "
                "notice.",
            )
        if question_id in answers:
            raise _fail(
                source,
                f"question {question_id!r} is answered twice.",
                "Keep one entry per question.",
            )
        selected = _strings(entry.get("selected"), source, f"question {question_id!r}: 'selected'")
        offered = set(question.suggested_ids)
        for item_id in selected:
            if item_id not in offered:
                raise _fail(
                    source,
                    f"question {question_id!r}: unknown answer id {item_id!r}.",
                    "Pick ids from the question's 'suggested' list: "
                    + ", ".join(question.suggested_ids),
                )
        selected = tuple(dict.fromkeys(selected))
        if question.kind is QuestionKind.SINGLE_CHOICE and len(selected) > 1:
            raise _fail(
                source,
                f"question {question_id!r} takes one answer, {len(selected)} are selected.",
                "Keep the one that fits best.",
            )
        text = entry.get("text") or ""
        if not isinstance(text, str):
            raise _fail(
                source, f"question {question_id!r}: 'text' must be text.", "Quote the text."
            )
        answers[question_id] = Answer(
            question_id, selected, text.strip(), _date(entry.get("date"), source, question_id)
        )
    for question in interview.questions:
        answer = answers.get(question.id)
        if answer is None:
            if question.required:
                raise _fail(
                    source,
                    f"missing required answer to question {question.id!r}.",
                    "Answer it (pick ids from 'suggested' or write 'text'); "
                    "goodstanding appeal questions writes every question.",
                )
            answers[question.id] = Answer(question.id, question.default)
        elif question.required and not answer.selected and not answer.text:
            raise _fail(
                source,
                f"missing required answer to question {question.id!r}.",
                "Select at least one suggested id or write your own answer in 'text'.",
            )
    return Answers(
        lang=lang,
        answers=answers,
        placeholders=_placeholders(data.get("placeholders"), interview, source),
        source=source,
        information=_information(data.get("information"), source),
    )


def _information(raw: Any, source: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _fail(
            source, "'information' must be a mapping.", "Keep the layout written by 'questions'."
        )
    values: dict[str, str] = {}
    for key, value in raw.items():
        if key not in INFORMATION_FIELDS:
            raise _fail(
                source,
                f"unknown information field {key!r}.",
                f"Use {', '.join(INFORMATION_FIELDS)}.",
            )
        if value is not None and str(value).strip():
            values[str(key)] = str(value).strip()
    return values


def _placeholders(raw: Any, interview: Interview, source: str) -> dict[str, str]:
    values = {placeholder.name: placeholder.value for placeholder in interview.placeholders}
    if raw is None:
        return values
    if not isinstance(raw, Mapping):
        raise _fail(
            source, "'placeholders' must be a mapping.", "Keep the layout written by 'questions'."
        )
    for name, entry in raw.items():
        if name not in values:
            raise _fail(
                source,
                f"unknown placeholder {name!r}.",
                f"Known placeholders for this notice: {', '.join(values) or 'none'}.",
            )
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        if value is None:
            value = ""
        if not isinstance(value, str | int | float):
            raise _fail(
                source, f"placeholder {name!r}: the value must be text.", "Quote the value."
            )
        text = str(value).strip()
        if not text:
            raise _fail(
                source,
                f"missing value for placeholder {name!r}.",
                "Write a value (a person, a frequency...) or keep the suggested one.",
            )
        values[str(name)] = text
    return values


def notice_summary(reading: NoticeReading) -> dict[str, Any]:
    """What the answers file records about the notice (informative; the draft re-reads it)."""
    return {
        "language": reading.language,
        "account_type": reading.account_type,
        "final_decision": reading.final_decision,
        "asins": list(reading.asins),
        "order_ids": list(reading.order_ids),
        "marketplace": reading.marketplace,
        "deadline": reading.deadline.isoformat() if reading.deadline else None,
        "reference_date": reading.reference_date.isoformat() if reading.reference_date else None,
    }


def interview_for_notice(
    knowledge: Knowledge,
    reading: NoticeReading,
    *,
    lang: str | None = None,
    account_type: str | None = None,
) -> Interview:
    """The interview for a notice reading, in ``lang`` (default: the notice's own language).

    A notice marked final still gets its interview, with a warning that Amazon said it will not
    read further appeals.

    Raises:
        InputError: the text is not a notice or names no family; an unknown language.
    """
    if not reading.families:
        raise InputError(
            "The notice names no violation family: nothing to answer.",
            hint=(reading.message or "")
            + " Check that the file is the notice itself (goodstanding notice classify FILE).",
        )
    chosen = lang or (reading.language if reading.language in knowledge.languages else "en")
    knowledge.check_language(chosen)
    warnings: list[str] = []
    if reading.final_decision:
        warnings.append(knowledge.item("general.escalation.final_decision", chosen).text)
    return build_interview(
        knowledge,
        reading.family_ids,
        lang=chosen,
        account_type=account_type or reading.account_type,
        notice=notice_summary(reading),
        warnings=warnings,
    )
