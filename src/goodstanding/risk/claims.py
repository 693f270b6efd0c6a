"""Returns and claims hygiene: reasons by ASIN, hidden complaints, answers within the deadlines.

- When Amazon asks the seller to represent an A-to-z claim, the seller has 3 calendar days; a
  chargeback must be answered within 7 calendar days (reference §1.2, §7). A claim still open
  (``pending`` / ``open``) past its deadline is overdue; with a ``responded_at`` (an extra column
  ``responded-at`` of the claims or chargebacks template) the answer is checked against the
  deadline.
- Returns whose reason or buyer comment speaks of a fake or of an item "not as described" are the
  complaints behind authenticity and condition suspensions (reference §5.2); they are counted per
  ASIN so they are read before Amazon reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from goodstanding.knowledge.evidence_rules import EvidenceRules, Finding, load_evidence_rules

OPEN_CLAIM: Final = frozenset({"pending"})
OPEN_CHARGEBACK: Final = frozenset({"open"})

_HIDDEN: Final = {
    "inauthentic": re.compile(
        r"fake|counterfeit|knock[- ]?off|not genuine|not authentic|replica|contrefa|\bfaux\b|"
        r"gefälscht|fälschung|imitat|contraffatt|\bfalso\b|falsificad|假货|仿冒|假的|偽物|"
        r"コピー品|inauthentic",
        re.I,
    ),
    "not_as_described": re.compile(
        r"not as described|not_as_described|different from (?:the )?(?:picture|photo|description|"
        r"listing)|doesn'?t match|does not match|wrong item|different item|bad[-_ ]desc|"
        r"switcheroo|non conforme|pas conforme|ne correspond pas|nicht wie beschrieben|"
        r"entspricht nicht|non corrisponde|diverso dalla descrizione|no coincide|"
        r"no corresponde|描述不符|与描述不符|货不对板|説明と異なる|説明と違う",
        re.I,
    ),
}


@dataclass(frozen=True)
class ClaimEntry:
    """One A-to-z claim or chargeback."""

    kind: str  # a_to_z | chargeback
    claim_id: str
    order_id: str
    filed_at: datetime
    status: str
    reason: str | None = None
    responded_at: datetime | None = None


@dataclass(frozen=True)
class ReturnEntry:
    """One returned item, from either returns report."""

    order_id: str
    asin: str | None
    reason: str | None
    comment: str | None
    returned_on: date | None
    quantity: int = 1


def check_claims(
    claims: Sequence[ClaimEntry], *, as_of: date, rules: EvidenceRules | None = None
) -> dict[str, Any]:
    """Each claim's deadline and whether it was (or still can be) answered in time."""
    rules = rules or load_evidence_rules()
    items = []
    findings: list[Finding] = []
    for claim in sorted(claims, key=lambda c: (c.filed_at, c.claim_id)):
        a_to_z = claim.kind == "a_to_z"
        days = rules.threshold("a_to_z_represent_days" if a_to_z else "chargeback_response_days")
        prefix = "claim" if a_to_z else "chargeback"
        filed = claim.filed_at.date()
        due = filed + timedelta(days=days)
        is_open = claim.status in (OPEN_CLAIM if a_to_z else OPEN_CHARGEBACK)
        finding = None
        if claim.responded_at is not None:
            answered = claim.responded_at.date()
            state = "answered_on_time" if answered <= due else "answered_late"
            if state == "answered_late":
                finding = rules.finding(f"{prefix}_answered_late", claim=claim.claim_id, days=days)
        elif is_open and as_of > due:
            state = "overdue"
            finding = rules.finding(
                f"{prefix}_response_overdue", claim=claim.claim_id, date=filed, days=days
            )
        elif is_open:
            state = "due"
            finding = rules.finding(f"{prefix}_response_due", claim=claim.claim_id, due=due)
        else:
            state = "closed"
        if finding is not None:
            findings.append(finding)
        items.append(
            {
                "kind": claim.kind,
                "claim_id": claim.claim_id,
                "order_id": claim.order_id,
                "filed_on": filed.isoformat(),
                "status": claim.status,
                "reason": claim.reason,
                "due": due.isoformat(),
                "days_left": (due - as_of).days if state == "due" else None,
                "state": state,
                "finding": finding.to_json() if finding else None,
            }
        )
    states = Counter(item["state"] for item in items)
    return {
        "as_of": as_of.isoformat(),
        "items": items,
        "counts": dict(sorted(states.items())),
        "findings": [f.to_json() for f in findings],
    }


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def check_returns(
    returns: Sequence[ReturnEntry], *, rules: EvidenceRules | None = None
) -> dict[str, Any]:
    """Return reasons by ASIN, and the returns that hide authenticity or description complaints."""
    rules = rules or load_evidence_rules()
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    hidden: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in returns:
        asin = entry.asin or "unknown"
        reasons[asin][entry.reason or "unknown"] += entry.quantity
        text = _fold(" ".join(filter(None, (entry.reason, entry.comment))))
        for kind, pattern in _HIDDEN.items():
            if pattern.search(text):
                hidden[(asin, kind)].append(entry.order_id)
    findings = [
        rules.finding(
            "return_hides_complaint",
            asin=asin,
            kind=kind.replace("_", " "),
            count=len(orders),
        )
        for (asin, kind), orders in sorted(hidden.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return {
        "by_asin": [
            {
                "asin": asin,
                "units": sum(counter.values()),
                "reasons": [{"reason": r, "units": n} for r, n in counter.most_common()],
            }
            for asin, counter in sorted(
                reasons.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])
            )
        ],
        "hidden_complaints": [
            {"asin": asin, "kind": kind, "count": len(orders), "orders": sorted(orders)}
            for (asin, kind), orders in sorted(hidden.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "findings": [f.to_json() for f in findings],
    }
