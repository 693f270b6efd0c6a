"""Appeals: read Amazon's notices, and (in sibling modules) draft and grade the answer.

The notice reader is :func:`classify_notice` (text → :class:`NoticeReading`) with
:func:`read_notice_text` to get the text out of a .txt, .eml or .pdf file.
"""

from goodstanding.appeal.classify import (
    Evidence,
    FamilyFinding,
    NoticeReading,
    RequestedItem,
    classify_notice,
    detect_language,
)
from goodstanding.appeal.notice_text import read_notice_text

__all__ = [
    "Evidence",
    "FamilyFinding",
    "NoticeReading",
    "RequestedItem",
    "classify_notice",
    "detect_language",
    "read_notice_text",
]
