"""Rules of the evidence and risk checks (``data/evidence.yaml``) and the findings they produce.

Each rule has an id, a severity and a ``source`` (reference section or seed guide); its texts are
keyed by rule id per language, so a finding carries the id and its parameters and can be
translated later. Only English texts exist today; other languages fall back to English.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

from goodstanding.errors import InputError

EVIDENCE_RULES_PATH: Final = Path(__file__).parent / "data" / "evidence.yaml"
"""The rules file shipped in the package."""

SEVERITIES: Final = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One result of a check: which rule, how bad, what is wrong, what to do, and its source."""

    rule: str
    severity: str
    message: str
    fix: str
    source: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict (``message_key`` lets a UI translate it)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
            "source": self.source,
            "message_key": f"evidence.{self.rule}",
            "params": {k: _plain(v) for k, v in self.params.items()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class EvidenceRules:
    """The parsed rules file."""

    thresholds: Mapping[str, int]
    threshold_sources: Mapping[str, str]
    rules: Mapping[str, Mapping[str, str]]
    document_kinds: Mapping[str, Mapping[str, Any]]
    accepted_extensions: tuple[str, ...]
    security_tasks: Mapping[str, tuple[Mapping[str, str], ...]]
    messages: Mapping[str, Mapping[str, Mapping[str, str]]]
    raw: Mapping[str, Any]

    def threshold(self, name: str) -> int:
        """The value of a threshold.

        Raises:
            KeyError: unknown threshold.
        """
        return self.thresholds[name]

    def source(self, rule: str) -> str:
        """The source of a rule."""
        return self.rules[rule]["source"]

    def finding(self, rule: str, *, lang: str = "en", **params: Any) -> Finding:
        """Build the finding of ``rule`` with its texts filled from ``params``."""
        spec = self.rules[rule]
        texts = self.messages.get(lang, {}).get(rule) or self.messages["en"][rule]
        values = _Defaulting({k: _plain(v) for k, v in params.items()})
        formatter = string.Formatter()
        return Finding(
            rule=rule,
            severity=spec["severity"],
            message=formatter.vformat(texts["message"], (), values),
            fix=formatter.vformat(texts["fix"], (), values),
            source=spec["source"],
            params=dict(params),
        )


def _check(data: Any, path: Path) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise InputError(f"{path}: the rules file is not a mapping.")
    for key in ("thresholds", "rules", "document_kinds", "messages"):
        if not isinstance(data.get(key), dict):
            raise InputError(f"{path}: section {key!r} is missing.")
    english = data["messages"].get("en") or {}
    for rule, spec in data["rules"].items():
        if spec.get("severity") not in SEVERITIES or not spec.get("source"):
            raise InputError(f"{path}: rule {rule!r} needs a severity and a source.")
        if rule not in english:
            raise InputError(f"{path}: rule {rule!r} has no English message.")
    for name, spec in data["thresholds"].items():
        if not isinstance(spec.get("value"), int) or not spec.get("source"):
            raise InputError(f"{path}: threshold {name!r} needs an integer value and a source.")
    return data


def read_evidence_rules(path: Path = EVIDENCE_RULES_PATH) -> EvidenceRules:
    """Read and check a rules file.

    Raises:
        InputError: the file is missing a section, a source or a message.
    """
    data = _check(yaml.safe_load(path.read_text(encoding="utf-8")), path)
    tasks = data.get("security_tasks") or {}
    return EvidenceRules(
        thresholds={k: int(v["value"]) for k, v in data["thresholds"].items()},
        threshold_sources={k: str(v["source"]) for k, v in data["thresholds"].items()},
        rules={
            k: {"severity": v["severity"], "source": v["source"]} for k, v in data["rules"].items()
        },
        document_kinds=data["document_kinds"],
        accepted_extensions=tuple(data["accepted_document_extensions"]["value"]),
        security_tasks={k: tuple(v) for k, v in tasks.items()},
        messages=data["messages"],
        raw=data,
    )


@lru_cache(maxsize=1)
def load_evidence_rules() -> EvidenceRules:
    """The packaged rules (read once per process)."""
    return read_evidence_rules()
