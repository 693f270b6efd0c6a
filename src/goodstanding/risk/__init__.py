"""Risks a seller controls: feedback triage, claims hygiene, related accounts, security habits.

Pure functions on plain values; ``workspace`` loads the data and hands it in. Rules, thresholds
and their sources live in ``knowledge/data/evidence.yaml``.
"""

from goodstanding.risk.claims import ClaimEntry, ReturnEntry, check_claims, check_returns
from goodstanding.risk.feedback import (
    FeedbackEntry,
    check_reply,
    classify_feedback,
    draft_reply,
    triage_feedback,
)
from goodstanding.risk.linked import (
    AccountProfile,
    audit_linked,
    distinctness_pack,
    related_account_letter,
)
from goodstanding.risk.security import EVENT_KINDS, SecurityEvent, check_security, task_ids

__all__ = [
    "EVENT_KINDS",
    "AccountProfile",
    "ClaimEntry",
    "FeedbackEntry",
    "ReturnEntry",
    "SecurityEvent",
    "audit_linked",
    "check_claims",
    "check_reply",
    "check_returns",
    "check_security",
    "classify_feedback",
    "distinctness_pack",
    "draft_reply",
    "related_account_letter",
    "task_ids",
    "triage_feedback",
]
