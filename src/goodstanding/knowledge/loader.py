"""The knowledge base: structure files validated against their schemas, texts checked per language.

Layout of a knowledge directory (the packaged one is ``goodstanding/knowledge/data``)::

    general.yaml                 appeal-wide structure (POA layouts, rules, conduct, placeholders)
    families/<family>.yaml       one language-neutral structure file per violation family
    text/<lang>/general.yaml     the texts of general.yaml in one language
    text/<lang>/<family>.yaml    the texts of one family in one language

Every language directory present must hold exactly the keys its structure files call for (no
missing key, no extra key, the same ``{placeholders}``): a missing text is a load error, never a
silent fall-back to English.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, TypeVar

from goodstanding.errors import InputError, NotFoundError
from goodstanding.knowledge.model import (
    FAMILY_IDS,
    GENERAL,
    METRIC_IDS,
    Audience,
    Basis,
    Category,
    Comparison,
    Family,
    General,
    Item,
    ItemKind,
    Metric,
    Placeholder,
    Question,
    QuestionGroup,
    QuestionKind,
    Template,
    Threshold,
    placeholder_names,
)
from goodstanding.knowledge.schema import Document, KeyPath, KnowledgeFileError, read_yaml, validate
from goodstanding.types import LANGUAGES, AccountType

DATA_DIR: Final = Path(__file__).parent / "data"
"""The knowledge directory shipped in the package."""

REFERENCE_LANGUAGE: Final = "en"
"""The language every knowledge directory must have; translators start from it."""

FAMILY_TEXT_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "thresholds": ("text",),
    "rules": ("text",),
    "root_causes": ("text",),
    "immediate_actions": ("text",),
    "preventive_measures": ("text",),
    "evidence": ("label", "text"),
    "questions": ("text",),
    "dos": ("text",),
    "donts": ("text",),
}
"""Text fields of each family section, per item id."""

FAMILY_TOP_FIELDS: Final = ("name", "summary", "vendor_difference")
"""Texts of a family file that belong to the family itself."""

GENERAL_TEXT_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "templates": ("name", "text"),
    "sections": ("title", "text"),
    "rules": ("text",),
    "thresholds": ("text",),
    "dos": ("text",),
    "donts": ("text",),
    "escalation": ("text",),
    "placeholders": ("label", "question", "default"),
    "metrics": ("name", "text"),
    "question_groups": ("title",),
}
"""Text fields of each section of general.yaml, per item id."""

_SECTION_KINDS: Final = {
    "rules": ItemKind.RULE,
    "root_causes": ItemKind.CAUSE,
    "immediate_actions": ItemKind.ACTION,
    "preventive_measures": ItemKind.PREVENTION,
    "evidence": ItemKind.EVIDENCE,
    "dos": ItemKind.DO,
    "donts": ItemKind.DONT,
}
_LANG_DIR: Final = re.compile(r"^[a-z]{2,3}$")
_Entry = TypeVar("_Entry", Item, Question, Threshold)
_MAX_LISTED: Final = 8


def _ids(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(entry["id"]) for entry in entries]


def _slug(entry_id: str) -> str:
    return entry_id.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class _Slot:
    """One text the structure calls for: where it comes from and which placeholders it must use."""

    fields: tuple[str, ...]
    placeholders: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Structure:
    """A validated structure file and the texts it calls for."""

    name: str  # file stem: a family id or "general"
    document: Document
    top: tuple[str, ...]
    slots: dict[str, dict[str, _Slot]]  # section -> item id -> slot


def _shorten(values: list[str]) -> str:
    shown = ", ".join(values[:_MAX_LISTED])
    if len(values) > _MAX_LISTED:
        shown += f" … ({len(values)} in all)"
    return shown


class Knowledge:
    """The violation families and appeal-wide knowledge, with texts in every installed language.

    Build it with :meth:`load`; every lookup takes the language explicitly.

    Example:
        >>> knowledge = Knowledge.load()
        >>> knowledge.family("late_shipment", "en").metrics
        ('late_shipment_rate',)
    """

    def __init__(
        self,
        root: Path,
        languages: tuple[str, ...],
        families: Mapping[str, Mapping[str, Family]],
        general: Mapping[str, General],
        texts: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.root = root
        self.languages = languages
        self.family_ids: tuple[str, ...] = tuple(families[REFERENCE_LANGUAGE])
        self._families = families
        self._general = general
        self._texts = texts
        self._items: dict[str, dict[str, Item]] = {}
        self._questions: dict[str, dict[str, Question]] = {}
        self._thresholds: dict[str, dict[str, Threshold]] = {}
        for lang in languages:
            items: dict[str, Item] = {}
            questions: dict[str, Question] = {}
            thresholds: dict[str, Threshold] = {}
            for family in families[lang].values():
                items.update((item.id, item) for item in family.items())
                questions.update((question.id, question) for question in family.questions)
                thresholds.update((threshold.id, threshold) for threshold in family.thresholds)
            common = general[lang]
            for template in common.templates.values():
                items.update((section.id, section) for section in template.sections)
            for section in (common.rules, common.dos, common.donts, common.escalation):
                items.update((item.id, item) for item in section)
            thresholds.update((threshold.id, threshold) for threshold in common.thresholds)
            self._items[lang] = items
            self._questions[lang] = questions
            self._thresholds[lang] = thresholds

    @classmethod
    def load(cls, path: str | Path | None = None) -> Knowledge:
        """Load and check a knowledge directory (default: the one shipped in the package).

        Loads are cached per directory and invalidated when one of its files changes.

        Raises:
            KnowledgeFileError: a file is missing, malformed, breaks its schema, refers to an
                unknown id, or a language lacks (or adds) a text.
        """
        root = Path(path).resolve() if path is not None else DATA_DIR.resolve()
        return _load_cached(root, _fingerprint(root))

    # -- lookups -----------------------------------------------------------------------------

    def check_language(self, lang: str) -> str:
        """Return ``lang`` if its texts are installed.

        Raises:
            InputError: the language is unknown, or known but its texts are not installed.
        """
        if lang in self.languages:
            return lang
        installed = ", ".join(self.languages)
        if lang in LANGUAGES:
            raise InputError(
                f"The texts in language {lang!r} are not installed in {self.root / 'text'} "
                f"(installed: {installed}).",
                hint="Pick an installed language, or add the missing text files.",
            )
        raise InputError(f"Unknown language {lang!r}.", hint=f"Use one of: {', '.join(LANGUAGES)}.")

    def families(self, lang: str) -> list[Family]:
        """Every family, in menu order, with texts in ``lang``.

        Raises:
            InputError: ``lang`` is unknown or not installed.
        """
        return list(self._families[self.check_language(lang)].values())

    def family(self, family_id: str, lang: str) -> Family:
        """The family ``family_id`` with texts in ``lang``.

        Raises:
            NotFoundError: no family has this id (the hint lists the valid ids).
            InputError: ``lang`` is unknown or not installed.
        """
        by_id = self._families[self.check_language(lang)]
        if family_id not in by_id:
            raise NotFoundError(
                "violation family", family_id, hint=f"Valid ids: {', '.join(self.family_ids)}."
            )
        return by_id[family_id]

    def general(self, lang: str) -> General:
        """Appeal-wide knowledge (POA layouts, rules, conduct, placeholders) in ``lang``.

        Raises:
            InputError: ``lang`` is unknown or not installed.
        """
        return self._general[self.check_language(lang)]

    def item(self, item_id: str, lang: str) -> Item:
        """The catalog item ``item_id`` (rule, cause, action, measure, evidence, do, section...).

        Raises:
            NotFoundError: no item has this id (the hint names the closest ids).
            InputError: ``lang`` is unknown or not installed.
        """
        return self._lookup(self._items, "knowledge item", item_id, lang)

    def question(self, question_id: str, lang: str) -> Question:
        """The interview question ``question_id``.

        Raises:
            NotFoundError: no question has this id.
            InputError: ``lang`` is unknown or not installed.
        """
        return self._lookup(self._questions, "interview question", question_id, lang)

    def threshold(self, threshold_id: str, lang: str) -> Threshold:
        """The threshold ``threshold_id`` (of a family or of general.yaml).

        Raises:
            NotFoundError: no threshold has this id.
            InputError: ``lang`` is unknown or not installed.
        """
        return self._lookup(self._thresholds, "threshold", threshold_id, lang)

    def family_of(self, entry_id: str) -> str:
        """The family id (or ``general``) an item, question or threshold id belongs to.

        Raises:
            NotFoundError: no entry has this id.
        """
        lang = REFERENCE_LANGUAGE
        if entry_id in self._items[lang]:
            return self._items[lang][entry_id].scope
        if entry_id in self._questions[lang] or entry_id in self._thresholds[lang]:
            return entry_id.split(".", 1)[0]
        raise NotFoundError("knowledge entry", entry_id)

    def text(self, key: str, lang: str) -> str:
        """One raw text by key: ``<family>.name``, ``<family>.summary``,
        ``<family>.vendor_difference`` or ``<entry id>.<field>`` (field: text, label, title, name,
        question, default).

        Raises:
            NotFoundError: no text has this key (the hint names the closest keys).
            InputError: ``lang`` is unknown or not installed.
        """
        texts = self._texts[self.check_language(lang)]
        if key not in texts:
            raise NotFoundError("text", key, hint=_close(key, texts))
        return texts[key]

    def text_keys(self) -> frozenset[str]:
        """Every text key, the same in every installed language (what a translator must fill)."""
        return frozenset(self._texts[REFERENCE_LANGUAGE])

    def _lookup(
        self, table: Mapping[str, Mapping[str, _Entry]], kind: str, entry_id: str, lang: str
    ) -> _Entry:
        entries = table[self.check_language(lang)]
        if entry_id not in entries:
            raise NotFoundError(kind, entry_id, hint=_close(entry_id, entries))
        return entries[entry_id]


def _close(key: str, known: Iterable[str]) -> str:
    matches = difflib.get_close_matches(key, list(known), n=5, cutoff=0.6)
    if matches:
        return f"Closest: {', '.join(matches)}."
    return "Run `goodstanding families` to see the families and their ids."


# -- loading ---------------------------------------------------------------------------------


def _structure_files(root: Path) -> list[Path]:
    general = root / "general.yaml"
    families = sorted((root / "families").glob("*.yaml"))
    return [general, *families]


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    # Cheap (one stat per file) and catches any edit, so a long-lived process sees new texts.
    paths = _structure_files(root)
    text_dir = root / "text"
    if text_dir.is_dir():
        paths += sorted(text_dir.glob("*/*.yaml"))
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


@lru_cache(maxsize=8)
def _load_cached(root: Path, _fingerprint: tuple[tuple[str, int, int], ...]) -> Knowledge:
    return _Loader(root).load()


class _Loader:
    """Reads one knowledge directory and cross-checks every file against the others."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: dict[str, tuple[Document, KeyPath]] = {}

    # structure ------------------------------------------------------------------------------

    def load(self) -> Knowledge:
        if not self.root.is_dir():
            raise KnowledgeFileError(self.root, "the knowledge directory does not exist")
        general = self._read_general()
        placeholders = {_slug(i) for i in _ids(general.document.data["placeholders"])}
        metrics = {_slug(i) for i in _ids(general.document.data["metrics"])}
        families = self._read_families(placeholders, metrics)
        languages = self._languages()
        structures = [general, *families]
        family_texts: dict[str, dict[str, Family]] = {}
        general_texts: dict[str, General] = {}
        flat: dict[str, dict[str, str]] = {}
        for lang in languages:
            texts = {s.name: self._read_texts(lang, s) for s in structures}
            flat[lang] = _flatten(texts)
            general_texts[lang] = _build_general(lang, general.document.data, texts["general"])
            family_texts[lang] = {
                s.name: _build_family(lang, s.document.data, texts[s.name]) for s in families
            }
        return Knowledge(self.root, languages, family_texts, general_texts, flat)

    def _claim(self, entry_id: str, document: Document, path: KeyPath) -> None:
        if entry_id in self.seen:
            other, other_path = self.seen[entry_id]
            line = other.line_of(other_path)
            raise document.error(
                f"id '{entry_id}' is already used in {other.path} (line {line})", path
            )
        self.seen[entry_id] = (document, path)

    def _read_general(self) -> _Structure:
        path = self.root / "general.yaml"
        if not path.is_file():
            raise KnowledgeFileError(path, "the file is missing")
        document = read_yaml(path)
        validate(document, "general")
        data = document.data
        slots: dict[str, dict[str, _Slot]] = {}
        for section, fields in GENERAL_TEXT_FIELDS.items():
            slots[section] = {}
            for index, entry in enumerate(data[section]):
                self._claim(entry["id"], document, (section, index, "id"))
                declared = frozenset(entry.get("placeholders", ()))
                slots[section][entry["id"]] = _Slot(fields, declared)
        sections = set(slots["sections"])
        for index, template in enumerate(data["templates"]):
            for position, section_id in enumerate(template["sections"]):
                if section_id not in sections:
                    raise document.error(
                        f"unknown section '{section_id}' (declared: {_shorten(sorted(sections))})",
                        ("templates", index, "sections", position),
                    )
        groups = {_slug(i) for i in _ids(data["question_groups"])}
        if groups != {group.value for group in QuestionGroup}:
            raise document.error("question_groups must list each interview step once")
        for index, metric in enumerate(data["metrics"]):
            if _slug(metric["id"]) not in METRIC_IDS:
                raise document.error(
                    f"unknown metric '{_slug(metric['id'])}' (metrics: {', '.join(METRIC_IDS)})",
                    ("metrics", index, "id"),
                )
        placeholders = {_slug(i) for i in _ids(data["placeholders"])}
        for section, segment in (("dos", "do"), ("donts", "dont"), ("escalation", "escalation")):
            for index, entry in enumerate(data[section]):
                if entry["id"].split(".")[1] != segment:
                    raise document.error(
                        f"ids in '{section}' must look like general.{segment}.<slug>",
                        (section, index, "id"),
                    )
            self._check_placeholders(document, data, section, placeholders)
        for index, threshold in enumerate(data["thresholds"]):
            if threshold.get("kind") == "target":
                raise document.error(
                    "metric targets belong to a family file", ("thresholds", index, "kind")
                )
        return _Structure("general", document, (), slots)

    def _read_families(self, placeholders: set[str], metrics: set[str]) -> list[_Structure]:
        folder = self.root / "families"
        paths = sorted(folder.glob("*.yaml"))
        if not paths:
            raise KnowledgeFileError(folder, "no family files (families/<id>.yaml) found")
        order = {family_id: index for index, family_id in enumerate(FAMILY_IDS)}
        paths.sort(key=lambda p: (order.get(p.stem, len(order)), p.stem))
        return [self._read_family(path, placeholders, metrics) for path in paths]

    def _check_placeholders(
        self, document: Document, data: Mapping[str, Any], section: str, known: set[str]
    ) -> None:
        for index, entry in enumerate(data[section]):
            for position, name in enumerate(entry.get("placeholders", ())):
                if name not in known:
                    raise document.error(
                        f"unknown placeholder '{name}' (declared in general.yaml: "
                        f"{', '.join(sorted(known))})",
                        (section, index, "placeholders", position),
                    )

    def _read_family(self, path: Path, placeholders: set[str], metrics: set[str]) -> _Structure:
        document = read_yaml(path)
        validate(document, "family")
        data = document.data
        family_id = data["id"]
        if family_id != path.stem:
            raise document.error(
                f"the id '{family_id}' differs from the file name '{path.stem}'", ("id",)
            )
        account_types = set(data["account_types"])
        for index, metric in enumerate(data["metrics"]):
            if metric not in metrics:
                raise document.error(
                    f"metric '{metric}' has no entry in general.yaml", ("metrics", index)
                )
        slots: dict[str, dict[str, _Slot]] = {section: {} for section in FAMILY_TEXT_FIELDS}
        kinds: dict[str, ItemKind] = {}

        def claim(entry: Mapping[str, Any], at: KeyPath, fields: tuple[str, ...]) -> None:
            entry_id = entry["id"]
            if not entry_id.startswith(f"{family_id}."):
                raise document.error(f"id '{entry_id}' must start with '{family_id}.'", at)
            audience = entry.get("audience", Audience.BOTH.value)
            if audience != Audience.BOTH.value and audience not in account_types:
                raise document.error(
                    f"audience '{audience}' is not among the family's account_types",
                    (*at[:-1], "audience"),
                )
            self._claim(entry_id, document, at)
            section = str(at[0])
            slots[section][entry_id] = _Slot(fields, frozenset(entry.get("placeholders", ())))

        for index, threshold in enumerate(data["thresholds"]):
            claim(threshold, ("thresholds", index, "id"), FAMILY_TEXT_FIELDS["thresholds"])
            metric = threshold.get("metric")
            if metric is not None and metric not in data["metrics"]:
                raise document.error(
                    f"metric '{metric}' is not listed in the family's metrics",
                    ("thresholds", index, "metric"),
                )
        for section, kind in _SECTION_KINDS.items():
            for index, entry in enumerate(data[section]):
                claim(entry, (section, index, "id"), FAMILY_TEXT_FIELDS[section])
                kinds[entry["id"]] = kind
            self._check_placeholders(document, data, section, placeholders)
        evidence = {entry_id for entry_id, kind in kinds.items() if kind is ItemKind.EVIDENCE}
        for section in ("root_causes", "immediate_actions", "preventive_measures"):
            for index, entry in enumerate(data[section]):
                for position, link in enumerate(entry.get("evidence", ())):
                    if link not in evidence:
                        raise document.error(
                            f"evidence '{link}' is not an evidence item of this family",
                            (section, index, "evidence", position),
                        )
        for group, questions in data["questions"].items():
            wanted = QuestionGroup(group).answer_kind
            for index, question in enumerate(questions):
                at: KeyPath = ("questions", group, index)
                claim(question, (*at, "id"), FAMILY_TEXT_FIELDS["questions"])
                for position, answer in enumerate(question["suggested"]):
                    if kinds.get(answer) is not wanted:
                        found = kinds.get(answer)
                        problem = (
                            f"suggested answer '{answer}' is a {found.value}, not a {wanted.value}"
                            if found is not None
                            else f"suggested answer '{answer}' is not an item of this family"
                        )
                        raise document.error(problem, (*at, "suggested", position))
                for position, answer in enumerate(question.get("default", ())):
                    if answer not in question["suggested"]:
                        raise document.error(
                            f"default '{answer}' is not among the suggested answers",
                            (*at, "default", position),
                        )
        return _Structure(family_id, document, FAMILY_TOP_FIELDS, slots)

    # texts ----------------------------------------------------------------------------------

    def _languages(self) -> tuple[str, ...]:
        text_dir = self.root / "text"
        if not text_dir.is_dir():
            raise KnowledgeFileError(text_dir, "the text directory is missing")
        found = []
        for child in sorted(text_dir.iterdir()):
            if not child.is_dir():
                continue
            if not _LANG_DIR.match(child.name):
                raise KnowledgeFileError(
                    child,
                    "a language directory must be named by its ISO 639-1 code",
                    hint=f"Use one of: {', '.join(LANGUAGES)}.",
                )
            found.append(child.name)
        if REFERENCE_LANGUAGE not in found:
            raise KnowledgeFileError(
                text_dir / REFERENCE_LANGUAGE,
                "the English texts are missing; every other language is translated from them",
            )
        order = {lang: index for index, lang in enumerate(LANGUAGES)}
        found.sort(key=lambda lang: (order.get(lang, len(order)), lang))
        for lang in found:
            self._check_no_orphans(lang)
        return tuple(found)

    def _check_no_orphans(self, lang: str) -> None:
        folder = self.root / "text" / lang
        known = {"general"} | {p.stem for p in (self.root / "families").glob("*.yaml")}
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in known:
                raise KnowledgeFileError(
                    path,
                    "no structure file has this name, so its texts would never be used",
                    hint="Rename it after a family id, or delete it.",
                )

    def _read_texts(self, lang: str, structure: _Structure) -> dict[str, Any]:
        path = self.root / "text" / lang / f"{structure.name}.yaml"
        if not path.is_file():
            raise KnowledgeFileError(
                path,
                f"the {lang!r} texts of '{structure.name}' are missing",
                hint=f"Translate text/{REFERENCE_LANGUAGE}/{structure.name}.yaml into this file.",
            )
        document = read_yaml(path)
        validate(document, "text")
        data: dict[str, Any] = document.data
        expected = set(structure.top) | {section for section, s in structure.slots.items() if s}
        for key in data:
            if key not in expected:
                raise document.error(
                    f"unexpected key '{key}' (expected: {', '.join(sorted(expected))})",
                    (key,),
                    key=True,
                )
        missing_top = [key for key in structure.top if key not in data]
        if missing_top:
            raise document.error(f"missing text(s): {', '.join(missing_top)}")
        for section, slots in structure.slots.items():
            if not slots:
                continue
            given = data.get(section)
            if given is None:
                raise document.error(
                    f"missing section '{section}' ({len(slots)} text(s): {_shorten(list(slots))})"
                )
            missing = [entry_id for entry_id in slots if entry_id not in given]
            if missing:
                raise document.error(
                    f"{len(missing)} text(s) missing in '{section}': {_shorten(missing)}",
                    (section,),
                    hint=f"Copy the keys from text/{REFERENCE_LANGUAGE}/{structure.name}.yaml "
                    "and translate their texts.",
                )
            for entry_id, fields in given.items():
                at: KeyPath = (section, entry_id)
                slot = slots.get(entry_id)
                if slot is None:
                    raise document.error(
                        f"'{entry_id}' is not an id of section '{section}' in the structure file",
                        at,
                        key=True,
                    )
                self._check_fields(document, at, fields, slot)
        return data

    def _check_fields(
        self, document: Document, at: KeyPath, fields: Mapping[str, str], slot: _Slot
    ) -> None:
        missing = [field for field in slot.fields if field not in fields]
        if missing:
            raise document.error(f"missing field(s): {', '.join(missing)}", at)
        for field, text in fields.items():
            if field not in slot.fields:
                raise document.error(
                    f"unexpected field '{field}' (expected: {', '.join(slot.fields)})",
                    (*at, field),
                    key=True,
                )
            try:
                used = set(placeholder_names(text))
            except ValueError as exc:
                raise document.error(
                    f"unbalanced braces ({exc}); write a literal brace as {{{{ or }}}}",
                    (*at, field),
                ) from exc
            wanted = slot.placeholders if field == "text" else frozenset()
            if used != wanted:
                have = ", ".join(f"{{{n}}}" for n in sorted(used)) or "none"
                need = ", ".join(f"{{{n}}}" for n in sorted(wanted)) or "none"
                raise document.error(
                    f"the text uses placeholder(s) {have} but must use exactly {need}",
                    (*at, field),
                    hint="Keep every {placeholder} of the English text, untranslated.",
                )


def _flatten(texts: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, data in texts.items():
        for key, value in data.items():
            if isinstance(value, str):
                flat[f"{name}.{key}"] = value
                continue
            for entry_id, fields in value.items():
                for field, text in fields.items():
                    flat[f"{entry_id}.{field}"] = text
    return flat


def _item(
    entry: Mapping[str, Any], kind: ItemKind, scope: str, texts: Mapping[str, Any], section: str
) -> Item:
    fields = texts[section][entry["id"]]
    basis = entry.get("basis")
    return Item(
        id=entry["id"],
        kind=kind,
        scope=scope,
        text=fields.get("text", ""),
        label=fields.get("label", fields.get("title")),
        audience=Audience(entry.get("audience", Audience.BOTH.value)),
        placeholders=tuple(entry.get("placeholders", ())),
        source=entry.get("source"),
        basis=Basis(basis) if basis is not None else None,
        evidence=tuple(entry.get("evidence", ())),
        required=bool(entry.get("required", False)),
    )


def _threshold(entry: Mapping[str, Any], texts: Mapping[str, Any]) -> Threshold:
    return Threshold(
        id=entry["id"],
        text=texts["thresholds"][entry["id"]]["text"],
        kind=entry["kind"],
        comparison=Comparison(entry["comparison"]),
        value=float(entry["value"]),
        unit=entry["unit"],
        source=entry["source"],
        basis=Basis(entry["basis"]),
        metric=entry.get("metric"),
        window_days=tuple(entry.get("window_days", ())),
        lag_days=entry.get("lag_days"),
        channels=tuple(entry.get("channels", ())),
        marketplaces=tuple(entry.get("marketplaces", ())),
        effective_from=entry.get("effective_from"),
        audience=Audience(entry.get("audience", Audience.BOTH.value)),
    )


def _build_family(lang: str, data: Mapping[str, Any], texts: Mapping[str, Any]) -> Family:
    scope = data["id"]

    def section(name: str) -> tuple[Item, ...]:
        kind = _SECTION_KINDS[name]
        return tuple(_item(entry, kind, scope, texts, name) for entry in data[name])

    questions = []
    for group, entries in data["questions"].items():
        for entry in entries:
            kind = QuestionKind(entry["kind"])
            questions.append(
                Question(
                    id=entry["id"],
                    group=QuestionGroup(group),
                    kind=kind,
                    text=texts["questions"][entry["id"]]["text"],
                    suggested=tuple(entry["suggested"]),
                    default=tuple(entry.get("default", ())),
                    required=bool(entry.get("required", kind is not QuestionKind.FREE_TEXT)),
                    audience=Audience(entry.get("audience", Audience.BOTH.value)),
                )
            )
    return Family(
        id=scope,
        lang=lang,
        name=texts["name"],
        summary=texts["summary"],
        vendor_difference=texts["vendor_difference"],
        category=Category(data["category"]),
        account_types=tuple(AccountType(kind) for kind in data["account_types"]),
        metrics=tuple(data["metrics"]),
        thresholds=tuple(_threshold(entry, texts) for entry in data["thresholds"]),
        rules=section("rules"),
        root_causes=section("root_causes"),
        immediate_actions=section("immediate_actions"),
        preventive_measures=section("preventive_measures"),
        evidence=section("evidence"),
        questions=tuple(questions),
        dos=section("dos"),
        donts=section("donts"),
    )


def _build_general(lang: str, data: Mapping[str, Any], texts: Mapping[str, Any]) -> General:
    sections = {
        entry["id"]: _item(entry, ItemKind.SECTION, GENERAL, texts, "sections")
        for entry in data["sections"]
    }
    templates = {}
    for entry in data["templates"]:
        fields = texts["templates"][entry["id"]]
        variant = _slug(entry["id"])
        templates[variant] = Template(
            id=entry["id"],
            variant=variant,
            name=fields["name"],
            text=fields["text"],
            sections=tuple(sections[section_id] for section_id in entry["sections"]),
            source=entry["source"],
        )
    placeholders = {}
    for entry in data["placeholders"]:
        fields = texts["placeholders"][entry["id"]]
        name = _slug(entry["id"])
        placeholders[name] = Placeholder(
            name, fields["label"], fields["question"], fields["default"]
        )
    metrics = {}
    for entry in data["metrics"]:
        fields = texts["metrics"][entry["id"]]
        metric_id = _slug(entry["id"])
        metrics[metric_id] = Metric(metric_id, fields["name"], fields["text"], entry["source"])
    groups = {
        QuestionGroup(_slug(entry["id"])): texts["question_groups"][entry["id"]]["title"]
        for entry in data["question_groups"]
    }

    def conduct(name: str, kind: ItemKind) -> tuple[Item, ...]:
        return tuple(_item(entry, kind, GENERAL, texts, name) for entry in data[name])

    return General(
        lang=lang,
        templates=templates,
        rules=conduct("rules", ItemKind.RULE),
        thresholds=tuple(_threshold(entry, texts) for entry in data["thresholds"]),
        dos=conduct("dos", ItemKind.DO),
        donts=conduct("donts", ItemKind.DONT),
        escalation=conduct("escalation", ItemKind.ESCALATION),
        placeholders=placeholders,
        metrics=metrics,
        question_groups=groups,
    )
