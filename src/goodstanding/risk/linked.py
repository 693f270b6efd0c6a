"""Self-audit of related-account signals, and the letter and pack for legitimate related accounts.

Amazon links accounts through shared registration data, bank details, devices, logins and users
(reference §5.2); the French guide adds IP addresses and overlapping inventories, and says each
account should keep its own bank account and its own products, and a legitimate second account
needs Amazon's prior approval with a business reason and proof that the accounts run separately.
:func:`audit_linked` compares the profiles of the accounts an agency manages in goodstanding,
signal by signal; :func:`related_account_letter` and :func:`distinctness_pack` draft the request.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from goodstanding.documents import BulletList, Document, Heading, NumberedList, Paragraph
from goodstanding.knowledge.evidence_rules import EvidenceRules, load_evidence_rules

SIGNALS: Final = ("bank_account", "address", "phone", "email_domain", "tax_id", "ip", "device")
"""The signals compared, in the order they are reported."""

# Shared mailbox providers say nothing about who owns an address.
_PUBLIC_MAIL: Final = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "foxmail.com",
        "yahoo.co.jp",
        "proton.me",
        "protonmail.com",
    }
)


@dataclass(frozen=True)
class AccountProfile:
    """What identifies one account's business: the fields Amazon links accounts by."""

    account: str
    legal_name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    bank_account: str | None = None
    tax_id: str | None = None
    ips: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    asins: frozenset[str] = field(default_factory=frozenset)
    related_approved: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The profile as a JSON-ready dict (bank account masked)."""
        return {
            "account": self.account,
            "legal_name": self.legal_name,
            "address": self.address,
            "phone": self.phone,
            "email": self.email,
            "bank_account": mask(self.bank_account),
            "tax_id": self.tax_id,
            "ips": list(self.ips),
            "devices": list(self.devices),
            "related_approved": list(self.related_approved),
        }


def mask(value: str | None) -> str | None:
    """A bank account shown by its last four characters only."""
    if not value:
        return value
    compact = re.sub(r"\s", "", value)
    return "•" * max(0, len(compact) - 4) + compact[-4:]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _keys(profile: AccountProfile, signal: str) -> set[str]:
    """The comparable forms of one signal of a profile (empty when not recorded)."""
    if signal == "bank_account" and profile.bank_account:
        return {re.sub(r"[^0-9a-z]", "", _fold(profile.bank_account))}
    if signal == "address" and profile.address:
        return {" ".join(re.findall(r"\w+", _fold(profile.address)))}
    if signal == "phone" and profile.phone:
        digits = re.sub(r"\D", "", profile.phone)
        return {digits[-9:]} if len(digits) >= 6 else set()
    if signal == "email_domain" and profile.email and "@" in profile.email:
        domain = _fold(profile.email).rpartition("@")[2].strip()
        return set() if domain in _PUBLIC_MAIL else {domain}
    if signal == "tax_id" and profile.tax_id:
        return {re.sub(r"[^0-9a-z]", "", _fold(profile.tax_id))}
    if signal == "ip":
        return {ip.strip() for ip in profile.ips if ip.strip()}
    if signal == "device":
        return {_fold(d).strip() for d in profile.devices if d.strip()}
    return set()


def audit_linked(
    profiles: Sequence[AccountProfile],
    *,
    overlap_threshold: int = 1,
    rules: EvidenceRules | None = None,
) -> dict[str, Any]:
    """Compare every pair of accounts and list the signals they share, riskiest pair first.

    A pair both accounts declared as approved related accounts is still listed (the link is real)
    but marked ``approved``; its risk is "declared".
    """
    rules = rules or load_evidence_rules()
    pairs: list[dict[str, Any]] = []
    for first, second in itertools.combinations(sorted(profiles, key=lambda p: p.account), 2):
        shared = [signal for signal in SIGNALS if _keys(first, signal) & _keys(second, signal)]
        overlap = sorted(first.asins & second.asins)
        findings = [
            rules.finding(
                "linked_signal",
                account=first.account,
                other=second.account,
                signal=signal.replace("_", " "),
            )
            for signal in shared
        ]
        if len(overlap) >= overlap_threshold and overlap:
            findings.append(
                rules.finding(
                    "linked_product_overlap",
                    account=first.account,
                    other=second.account,
                    count=len(overlap),
                )
            )
        if not findings:
            continue
        approved = (
            second.account in first.related_approved and first.account in second.related_approved
        )
        risk = "declared" if approved else ("high" if shared else "medium")
        pairs.append(
            {
                "accounts": [first.account, second.account],
                "shared": shared,
                "asin_overlap": overlap,
                "approved": approved,
                "risk": risk,
                "findings": [f.to_json() for f in findings],
            }
        )
    order = {"high": 0, "medium": 1, "declared": 2}
    pairs.sort(key=lambda p: (order[p["risk"]], -len(p["shared"]), p["accounts"]))
    fields = {
        "bank_account": "bank_account",
        "address": "address",
        "phone": "phone",
        "email_domain": "email",
        "tax_id": "tax_id",
    }
    missing = {
        p.account: [signal for signal, name in fields.items() if not getattr(p, name)]
        for p in profiles
    }
    by_account = {}
    for profile in profiles:
        risks = [pair["risk"] for pair in pairs if profile.account in pair["accounts"]]
        by_account[profile.account] = min(risks, key=order.__getitem__) if risks else "none"
    return {
        "accounts": sorted(p.account for p in profiles),
        "pairs": pairs,
        "risk_by_account": dict(sorted(by_account.items())),
        "unrecorded": {k: v for k, v in sorted(missing.items()) if v},
        "source": rules.source("linked_signal"),
    }


def related_account_letter(
    account: AccountProfile, related: Sequence[AccountProfile], *, reason: str, language: str = "en"
) -> Document:
    """The request to Amazon to operate a related account, with the business reason and facts."""
    names = ", ".join(r.account for r in related)
    separate = [
        f"{signal.replace('_', ' ')}: separate"
        for signal in SIGNALS
        if all(not (_keys(account, signal) & _keys(r, signal)) for r in related)
        and _keys(account, signal)
    ]
    shared = [
        signal.replace("_", " ")
        for signal in SIGNALS
        if any(_keys(account, signal) & _keys(r, signal) for r in related)
    ]
    blocks: list[Any] = [
        Heading("Request to operate related selling accounts"),
        Paragraph("Dear Seller Performance team,"),
        Paragraph(
            f"We ask for permission to operate the selling account {account.account}"
            + (f" ({account.legal_name})" if account.legal_name else "")
            + f" alongside the related account(s) {names}. Each account has a distinct, "
            "legitimate business need, and each is run so that buyers and Amazon can always tell "
            "them apart."
        ),
        Heading("Business reason", 2),
        Paragraph(reason),
        Heading("How the accounts are kept apart", 2),
        BulletList(
            tuple(separate)
            or ("Each account keeps its own bank account, address, contact details and users.",)
        ),
    ]
    if shared:
        blocks += [
            Heading("What the accounts share, and why", 2),
            BulletList(tuple(f"{s}: explain here why it is shared" for s in shared)),
        ]
    blocks += [
        Heading("Commitments", 2),
        NumberedList(
            (
                "No account will list the same products as another to gain an advantage.",
                "No account will be used to avoid a restriction or a suspension of another.",
                "Every account will stay in good standing on its own.",
            )
        ),
        Paragraph("The attached documents show that the accounts are run separately."),
        Paragraph("Kind regards,"),
        Paragraph(account.legal_name or account.account),
    ]
    return Document(
        title=f"Related account request — {account.account}",
        language=language,
        blocks=tuple(blocks),
    )


def distinctness_pack(account: AccountProfile, related: Sequence[AccountProfile]) -> list[str]:
    """The documents that prove the accounts are distinct, as exhibit titles."""
    titles = [
        f"Business registration of {account.legal_name or account.account}",
        f"Bank statement of {account.account} (its own bank account)",
        f"Proof of address of {account.account}",
        f"List of users and devices of {account.account}",
        f"Catalogue of {account.account} (products not listed by the related accounts)",
    ]
    titles += [f"Business registration of {r.legal_name or r.account}" for r in related]
    return titles
