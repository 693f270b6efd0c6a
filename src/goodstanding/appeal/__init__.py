"""Appeals: read Amazon's notices, and (in sibling modules) draft and grade the answer.

The notice reader is :func:`classify_notice` (text → :class:`NoticeReading`) with
:func:`read_notice_text` to get the text out of a .txt, .eml or .pdf file. The interview
(:func:`interview_for_notice`, :func:`read_answers`) asks the questions of the notice's families
and checks the answers file; :func:`draft_plan` writes the Plan of Action from the answers;
:func:`read_reply` and :func:`case_guidance` follow a case; :mod:`goodstanding.appeal.llm` holds
the optional LLM (redaction, fact guard, OpenAI-compatible client).
"""

from goodstanding.appeal.cases import CONDUCT_IDS, ReplyReading, case_guidance, read_reply
from goodstanding.appeal.classify import (
    Evidence,
    FamilyFinding,
    NoticeReading,
    RequestedItem,
    classify_notice,
    detect_language,
)
from goodstanding.appeal.draft import VARIANTS, Draft, DraftNote, Translate, draft_plan
from goodstanding.appeal.interview import (
    ANSWERS_FORMAT,
    Answer,
    Answers,
    Interview,
    InterviewQuestion,
    Suggestion,
    build_interview,
    interview_for_notice,
    load_answers_document,
    read_answers,
)
from goodstanding.appeal.llm import (
    ChatClient,
    FactFinding,
    LLMTranslator,
    Redaction,
    check_facts,
    redact,
)
from goodstanding.appeal.notice_text import read_notice_text

__all__ = [
    "ANSWERS_FORMAT",
    "CONDUCT_IDS",
    "VARIANTS",
    "Answer",
    "Answers",
    "ChatClient",
    "Draft",
    "DraftNote",
    "Evidence",
    "FactFinding",
    "FamilyFinding",
    "Interview",
    "InterviewQuestion",
    "LLMTranslator",
    "NoticeReading",
    "Redaction",
    "ReplyReading",
    "RequestedItem",
    "Suggestion",
    "Translate",
    "build_interview",
    "case_guidance",
    "check_facts",
    "classify_notice",
    "detect_language",
    "draft_plan",
    "interview_for_notice",
    "load_answers_document",
    "read_answers",
    "read_notice_text",
    "read_reply",
    "redact",
]
