"""Draft a Plan of Action from the interview's answers: seller, vendor or five-part Chinese layout.

:func:`draft_plan` takes the interview of a notice and the seller's checked answers and builds a
:class:`goodstanding.documents.Document`:

- ``seller``: root causes, actions already taken, measures against recurrence, then the numbered
  supporting documents; short numbered points, each citing the exhibits that prove it.
- ``vendor``: the Vendor Central form — root causes and actions, the systemic changes to sourcing
  and quality control, and the authorisation chain with its documents.
- ``cn-template``: the five parts of the Chinese seller guides (why the account was restricted,
  how it was corrected, how it will be avoided, current metrics, our information).

Catalog items are written by the knowledge base in the output language, whatever language the
interview was answered in. The seller's own words are kept as written, and a note flags those in
another language. With the account's health JSON, the draft states the account's own figures for
the notice's metrics, and never a figure the data does not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Final

from goodstanding.appeal.interview import Answers, Interview
from goodstanding.documents import (
    Block,
    Document,
    Exhibit,
    ExhibitList,
    Heading,
    NumberedList,
    Paragraph,
    exhibit_label,
    to_plaintext,
)
from goodstanding.errors import InputError
from goodstanding.knowledge import DATA_DIR, Item, Knowledge, QuestionGroup
from goodstanding.knowledge.model import fill
from goodstanding.types import LANGUAGES

__all__ = ["VARIANTS", "Draft", "DraftNote", "Translate", "draft_plan"]

VARIANTS: Final = ("seller", "vendor", "cn-template")
"""The POA layouts :func:`draft_plan` writes."""

_TEMPLATE_IDS: Final = {"seller": "seller", "vendor": "vendor", "cn-template": "cn_template"}
# What each section of general.yaml's templates is filled with.
_SECTION_CONTENT: Final[Mapping[str, str]] = {
    "general.section.root_cause": QuestionGroup.ROOT_CAUSE.value,
    "general.section.actions_taken": QuestionGroup.IMMEDIATE_ACTIONS.value,
    "general.section.preventive_measures": QuestionGroup.PREVENTION.value,
    "general.section.evidence": QuestionGroup.EVIDENCE.value,
    "general.section.vendor_systemic_changes": QuestionGroup.PREVENTION.value,
    "general.section.vendor_authorisation_chain": QuestionGroup.EVIDENCE.value,
    "general.section.cn_why_locked": QuestionGroup.ROOT_CAUSE.value,
    "general.section.cn_how_corrected": QuestionGroup.IMMEDIATE_ACTIONS.value,
    "general.section.cn_how_avoided": QuestionGroup.PREVENTION.value,
    "general.section.cn_current_metrics": "metrics",
    "general.section.cn_our_information": "information",
}
Translate = Callable[[str, str, str], str | None]
"""``translate(text, source_lang, target_lang)``: a translation, or None when it was rejected."""

_CJK: Final = ("zh", "ja")
_MIN_WORDS_TO_DETECT: Final = 4


@dataclass(frozen=True, slots=True)
class DraftNote:
    """Something the seller should know about the draft (not part of the text)."""

    code: str
    message: str
    where: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"code", "message", "where"}``."""
        return {"code": self.code, "message": self.message, "where": self.where}


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted Plan of Action and what the seller should check before sending it."""

    document: Document
    variant: str
    lang: str
    families: tuple[str, ...]
    exhibits: tuple[Exhibit, ...]
    notes: tuple[DraftNote, ...]
    facts: Mapping[str, Any]
    """The health JSON the figures came from (empty without account data); give it to the grader."""

    @property
    def text(self) -> str:
        """The plan as Seller Central plain text."""
        return to_plaintext(self.document)

    def to_json(self) -> dict[str, Any]:
        """``{"variant", "lang", "families", "text", "exhibits", "notes"}``."""
        return {
            "variant": self.variant,
            "lang": self.lang,
            "families": list(self.families),
            "text": self.text,
            "exhibits": [
                {"number": e.number, "title": e.title, "description": e.description}
                for e in self.exhibits
            ],
            "notes": [note.to_json() for note in self.notes],
        }


# -- phrases -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phrases:
    data: Mapping[str, Any]

    def phrase(self, key: str, lang: str, **values: str) -> str:
        return fill(str(self.data["phrases"][key][lang]), values, where=f"drafting.{key}")

    def note(self, key: str, lang: str, **values: str) -> str:
        return fill(str(self.data["notes"][key][lang]), values, where=f"drafting.notes.{key}")

    def language_name(self, language: str, lang: str) -> str:
        return str(self.data["languages"][language][lang])

    def format_date(self, day: date, lang: str) -> str:
        spec = self.data["dates"][lang]
        month = str(spec["months"][day.month - 1])
        return str(spec["pattern"]).format(day=day.day, month=month, year=day.year)

    def percent(self, value: float, lang: str) -> str:
        number = f"{value * 100:.2f}".rstrip("0").rstrip(".")
        if lang in self.data["decimal_comma"]:
            number = number.replace(".", ",")
        return f"{number}%" if lang in _CJK else f"{number} %"


@cache
def _phrases() -> _Phrases:
    import yaml

    path = DATA_DIR / "drafting.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, texts in data["phrases"].items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise InputError(f"{path}: phrase {key!r} lacks {missing}.", hint="Add the texts.")
    return _Phrases(data)


# -- building blocks -----------------------------------------------------------------------------


def _language_of(text: str) -> str | None:
    """The language of a short free text, or ``None`` when it is too short to tell."""
    from goodstanding.appeal.grade import detect_language

    cjk = sum(1 for char in text if "\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff")
    if cjk >= 2:
        return detect_language(text)
    if len(text.split()) < _MIN_WORDS_TO_DETECT:
        return None
    return detect_language(text)


class _Builder:
    def __init__(
        self,
        knowledge: Knowledge,
        interview: Interview,
        answers: Answers,
        lang: str,
        variant: str,
        health: Mapping[str, Any] | None,
        translate: Translate | None,
    ) -> None:
        self.translate = translate
        self.knowledge = knowledge
        self.interview = interview
        self.answers = answers
        self.lang = lang
        self.variant = variant
        self.health = health
        self.phrases = _phrases()
        self.notes: list[DraftNote] = []
        self.values = self._placeholder_values()
        self.exhibits = self._exhibits()

    # placeholders and free text

    def _own(self, text: str, where: str) -> str:
        """The seller's own text: kept, translated by the optional LLM, or flagged."""
        found = _language_of(text)
        if found is None or found == self.lang or self.translate is None:
            self._note_foreign(text, where)
            return text
        translated = self.translate(text, found, self.lang)
        note_lang = self.answers.lang
        language = self.phrases.language_name(found, note_lang)
        if translated:
            self.notes.append(
                DraftNote(
                    "translated",
                    self.phrases.note("translated", note_lang, where=where, found=language),
                    where,
                )
            )
            return translated
        rejected = getattr(self.translate, "findings", None) or []
        unsupported = ", ".join(rejected[-1].unsupported) if rejected else "?"
        self.notes.append(
            DraftNote(
                "llm_rejected",
                self.phrases.note("llm_rejected", note_lang, where=where, unsupported=unsupported),
                where,
            )
        )
        self._note_foreign(text, where)
        return text

    def _note_foreign(self, text: str, where: str) -> None:
        found = _language_of(text)
        if found is None or found == self.lang:
            return
        note_lang = self.answers.lang
        self.notes.append(
            DraftNote(
                "foreign_text",
                self.phrases.note(
                    "foreign_text",
                    note_lang,
                    where=where,
                    found=self.phrases.language_name(found, note_lang),
                    output=self.phrases.language_name(self.lang, note_lang),
                ),
                where,
            )
        )

    def _placeholder_values(self) -> dict[str, str]:
        asked = self.knowledge.general(self.answers.lang).placeholders
        output = self.knowledge.general(self.lang).placeholders
        asins = ", ".join(str(a) for a in self.interview.notice.get("asins") or ())
        values: dict[str, str] = {name: spec.default for name, spec in output.items()}
        for name, value in self.answers.placeholders.items():
            if name in asked and value == asked[name].default:
                continue  # the interview's default: use the same default in the output language
            if name == "asins" and asins and value == asins:
                values[name] = value
                continue
            label = self.phrases.note("placeholder_label", self.answers.lang, id=name)
            values[name] = self._own(value, label)
        return values

    def _render(self, item: Item) -> str:
        return item.render(self.values)

    # exhibits

    def _exhibits(self) -> dict[str, Exhibit]:
        """Selected evidence, numbered in the order chosen: item id → exhibit."""
        found: dict[str, Exhibit] = {}
        for question in self.interview.questions:
            if question.group is not QuestionGroup.EVIDENCE:
                continue
            answer = self.answers.answer(question.id)
            for item_id in answer.selected:
                if item_id in found:
                    continue
                item = self.knowledge.item(item_id, self.lang)
                found[item_id] = Exhibit(
                    len(found) + 1, item.label or self._render(item), self._render(item)
                )
            if answer.text:
                key = f"{question.id}#text"
                label = self.phrases.note("question_label", self.answers.lang, id=question.id)
                found[key] = Exhibit(len(found) + 1, self._own(answer.text, label))
        return found

    def _cite(self, item: Item) -> str:
        numbers = sorted({self.exhibits[e].number for e in item.evidence if e in self.exhibits})
        if not numbers:
            return ""
        labels = ", ".join(exhibit_label(number, self.lang) for number in numbers)
        return self.phrases.phrase("cite", self.lang, exhibits=labels)

    def _point(self, item: Item) -> str:
        text = self._render(item)
        cite = self._cite(item)
        if not cite:
            return text
        joiner = "" if self.lang in _CJK else " "
        if text.endswith((".", "。")) and self.lang not in _CJK:
            return f"{text[:-1]}{joiner}{cite}."
        return f"{text}{joiner}{cite}"

    # sections

    def points(self, group: str) -> tuple[list[str], list[str]]:
        """Numbered points of one interview step, and dated sentences after them."""
        points: list[str] = []
        dated: list[str] = []
        seen: set[str] = set()
        for question in self.interview.questions:
            if question.group.value != group:
                continue
            answer = self.answers.answer(question.id)
            for item_id in answer.selected:
                if item_id in seen:
                    continue
                seen.add(item_id)
                points.append(self._point(self.knowledge.item(item_id, self.lang)))
            if answer.text:
                label = self.phrases.note("question_label", self.answers.lang, id=question.id)
                points.append(self._own(answer.text, label))
            if answer.date is not None:
                day = self.phrases.format_date(answer.date, self.lang)
                key = "done_on" if group == QuestionGroup.IMMEDIATE_ACTIONS.value else "dated"
                dated.append(self.phrases.phrase(key, self.lang, date=day))
        return points, dated

    def metric_lines(self) -> list[str]:
        """The account's own figures for the notice's metrics (nothing the data does not hold)."""
        if not self.health:
            return []
        wanted: list[str] = []
        for family_id in self.interview.families:
            for metric in self.knowledge.family(family_id, self.lang).metrics:
                if metric not in wanted:
                    wanted.append(metric)
        blocks = list(self.health.get("marketplaces") or ())
        marketplace = self.interview.notice.get("marketplace")
        # The notice's marketplace when the data has it; otherwise each marketplace, named.
        chosen = [b for b in blocks if marketplace and b.get("marketplace") == marketplace]
        blocks = chosen or blocks
        entries: list[tuple[str, Mapping[str, Any]]] = []
        for block in blocks:
            for entry in block.get("metrics") or ():
                metric_id = entry.get("id")
                if metric_id not in wanted:
                    continue
                numerator, denominator = entry.get("numerator"), entry.get("denominator")
                if not isinstance(numerator, int) or not isinstance(denominator, int):
                    continue
                if denominator <= 0 or entry.get("value") is None:
                    continue
                if not entry.get("window_start") or not entry.get("window_end"):
                    continue
                # A family's first metric is its headline figure; the others only when they
                # count something (the parts of the ODR that produced defects).
                primary = any(
                    self.knowledge.family(f, self.lang).metrics[:1] == (metric_id,)
                    for f in self.interview.families
                )
                if not primary and numerator == 0:
                    continue
                entries.append((str(block.get("marketplace") or ""), entry))
        entries = _worst_window(entries)
        entries.sort(key=lambda pair: wanted.index(str(pair[1]["id"])))
        channels: dict[str, set[str]] = {}
        for _, entry in entries:
            channels.setdefault(str(entry["id"]), set()).add(str(entry.get("channel")))
        named_markets = len(blocks) > 1
        lines = []
        spec = self.phrases.data
        for market, entry in entries:
            metric_id = str(entry["id"])
            metric = spec["metrics"][metric_id]
            name = str(metric["names"][self.lang])
            qualifiers = [market] if named_markets and market else []
            channel = entry.get("channel")
            if len(channels[metric_id]) > 1 and channel in spec["channels"]:
                qualifiers.append(str(spec["channels"][channel][self.lang]))
            if qualifiers:
                name = f"{name} ({', '.join(qualifiers)})"
            unit_key = str(metric["unit"])
            counter = str(spec["counters"].get(unit_key, {}).get(self.lang, ""))
            lines.append(
                self.phrases.phrase(
                    "metric_figure",
                    self.lang,
                    metric=name,
                    value=self.phrases.percent(float(entry["value"]), self.lang),
                    numerator=str(entry["numerator"]),
                    denominator=str(entry["denominator"]),
                    unit=str(spec["units"][unit_key][self.lang]),
                    counter=counter,
                    start=self.phrases.format_date(
                        date.fromisoformat(str(entry["window_start"])), self.lang
                    ),
                    end=self.phrases.format_date(
                        date.fromisoformat(str(entry["window_end"])), self.lang
                    ),
                )
            )
        if not lines:
            self.notes.append(
                DraftNote(
                    "no_figures",
                    self.phrases.note("no_figures_for_families", self.answers.lang),
                )
            )
        return lines

    def metrics_blocks(self) -> list[Block]:
        lines = self.metric_lines()
        if not lines:
            return []
        as_of = self.health.get("as_of") if self.health else None
        blocks: list[Block] = []
        if as_of:
            day = self.phrases.format_date(date.fromisoformat(str(as_of)), self.lang)
            blocks.append(Paragraph(self.phrases.phrase("metrics_lead", self.lang, date=day)))
        blocks.append(Paragraph(("" if self.lang in _CJK else " ").join(lines)))
        return blocks

    def information_blocks(self, information: Mapping[str, str]) -> list[Block]:
        lines = [
            self.phrases.phrase(key, self.lang, value=information[key])
            for key in ("store_name", "merchant_token", "contact")
            if information.get(key)
        ]
        if not lines:
            self.notes.append(
                DraftNote("no_information", self.phrases.note("no_information", self.answers.lang))
            )
            return [Paragraph(self.phrases.phrase("information_default", self.lang))]
        return [Paragraph(line) for line in lines]

    def opening(self) -> str:
        names = [
            self.knowledge.family(family_id, self.lang).name
            for family_id in self.interview.families
        ]
        separator = "、" if self.lang in _CJK else "; "
        reference = self.interview.notice.get("reference_date")
        notice_date = ""
        if reference:
            day = self.phrases.format_date(date.fromisoformat(str(reference)), self.lang)
            notice_date = self.phrases.phrase("notice_date", self.lang, date=day)
        key = "opening_vendor" if self.variant == "vendor" else "opening"
        return self.phrases.phrase(
            key, self.lang, families=separator.join(names), notice_date=notice_date
        )


def draft_plan(
    knowledge: Knowledge,
    interview: Interview,
    answers: Answers,
    *,
    variant: str = "seller",
    lang: str | None = None,
    health: Mapping[str, Any] | None = None,
    information: Mapping[str, str] | None = None,
    translate: Translate | None = None,
) -> Draft:
    """Write the Plan of Action for a notice from the seller's answers.

    Args:
        knowledge: the knowledge base (catalog texts in every language).
        interview: the interview of the notice (its families and questions).
        answers: the checked answers (:func:`goodstanding.appeal.interview.read_answers`).
        variant: ``seller``, ``vendor`` or ``cn-template``.
        lang: the output language; default the notice's language when installed, else the
            answers' language.
        health: the account's health JSON (``Workspace.health``); its figures for the notice's
            metrics are stated, and only those.
        information: store name, merchant token and contact person (five-part template);
            default the ``information`` of the answers file.
        translate: the optional LLM (``translate(text, source_lang, target_lang)`` returns the
            translation, or None when it was rejected); without it, the seller's own words in
            another language are kept and flagged.

    Returns:
        The draft: the document, its exhibits and notes for the seller.

    Raises:
        InputError: an unknown variant or language.
    """
    if variant not in VARIANTS:
        raise InputError(
            f"Unknown POA variant {variant!r}.", hint=f"Use one of: {', '.join(VARIANTS)}."
        )
    notice_language = str(interview.notice.get("language") or "")
    chosen = lang or (notice_language if notice_language in knowledge.languages else answers.lang)
    knowledge.check_language(chosen)
    builder = _Builder(knowledge, interview, answers, chosen, variant, health, translate)
    phrases = builder.phrases
    general = knowledge.general(chosen)
    template = general.templates[_TEMPLATE_IDS[variant]]
    sections = list(template.sections)
    if not any(_SECTION_CONTENT[s.id] == QuestionGroup.EVIDENCE.value for s in sections):
        sections.append(knowledge.item("general.section.evidence", chosen))
    if interview.final_decision:
        final = knowledge.item("general.escalation.final_decision", answers.lang).text
        builder.notes.append(DraftNote("final_decision", final))
    if health is None:
        builder.notes.append(
            DraftNote("no_account_data", phrases.note("no_account_data", answers.lang))
        )

    title = f"{phrases.data['titles']['seller'][chosen]}"
    blocks: list[Block] = [Heading(title, level=1), Paragraph(builder.opening())]
    for section in sections:
        content = _SECTION_CONTENT[section.id]
        heading = Heading(_heading(section.label or section.text, content, chosen), level=2)
        if content == QuestionGroup.EVIDENCE.value:
            if builder.exhibits:
                blocks.extend([heading, ExhibitList(tuple(builder.exhibits.values()))])
            continue
        if content == "metrics":
            figures = builder.metrics_blocks()
            blocks.append(heading)
            blocks.extend(figures or [Paragraph(phrases.phrase("metrics_none", chosen))])
            continue
        if content == "information":
            blocks.append(heading)
            blocks.extend(builder.information_blocks(information or answers.information))
            continue
        points, dated = builder.points(content)
        blocks.append(heading)
        if points:
            blocks.append(NumberedList(tuple(points)))
        blocks.extend(Paragraph(sentence) for sentence in dated)
        if content == QuestionGroup.ROOT_CAUSE.value and variant != "cn-template":
            blocks.extend(builder.metrics_blocks())
    document = Document(
        title=title,
        language=chosen,
        blocks=tuple(blocks),
        metadata={"variant": variant, "families": ",".join(interview.families)},
    )
    return Draft(
        document=document,
        variant=variant,
        lang=chosen,
        families=interview.families,
        exhibits=tuple(builder.exhibits.values()),
        notes=_unique(builder.notes),
        facts=dict(health or {}),
    )


# The grader's kind of heading each kind of content must be read as.
_HEADING_KINDS: Final[Mapping[str, tuple[str, str]]] = {
    QuestionGroup.ROOT_CAUSE.value: ("root_cause", "root_cause"),
    QuestionGroup.IMMEDIATE_ACTIONS.value: ("actions_taken", "actions_taken"),
    QuestionGroup.PREVENTION.value: ("preventive_measures", "preventive_measures"),
    QuestionGroup.EVIDENCE.value: ("evidence", "other"),
    "metrics": ("metrics", "other"),
    "information": ("information", "other"),
}


def _heading_kind(text: str) -> str | None:
    from goodstanding.appeal._grade_document import Document as GradedText
    from goodstanding.appeal._grade_lexicon import load_grading

    sections = GradedText(text, load_grading(), None).sections
    return sections[0].kind if sections and sections[0].line == 0 else None


@cache
def _heading(title: str, content: str, lang: str) -> str:
    """The section title, prefixed when a reviewer would not read it as that kind of section."""
    key, kind = _HEADING_KINDS[content]
    # Only the three answers must be read as such; an unrecognised title of a documents, metrics
    # or details part merely joins the part before it, which costs nothing.
    if kind == "other" or _heading_kind(title) == kind:
        return title
    prefix = str(_phrases().data["headings"][key][lang])
    combined = f"{prefix}（{title}）" if lang in _CJK else f"{prefix} ({title})"
    return combined if _heading_kind(combined) == kind else prefix


def _unique(notes: Sequence[DraftNote]) -> tuple[DraftNote, ...]:
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for note in notes:
        if (note.code, note.where) in seen:
            continue
        seen.add((note.code, note.where))
        kept.append(note)
    return tuple(kept)


_STATUS_RANK = {"breach": 0, "at_risk": 1, "ok": 2, "info": 3, "no_data": 4}


def _worst_window(
    entries: list[tuple[str, Mapping[str, Any]]],
) -> list[tuple[str, Mapping[str, Any]]]:
    """One figure per metric, marketplace and channel: the window that looks worst.

    Late shipment (10 and 30 days) and late responses (7, 30, 90 days) come in several windows;
    quoting a clean short window beside the breached long one reads as evasive, so the draft
    states the window Amazon most likely acted on (worst status, then highest rate, then longest).
    """
    chosen: dict[tuple[str, str, str], tuple[str, Mapping[str, Any]]] = {}
    for market, entry in entries:
        key = (market, str(entry["id"]), str(entry.get("channel")))
        if key not in chosen or _window_rank(entry) < _window_rank(chosen[key][1]):
            chosen[key] = (market, entry)
    return list(chosen.values())


def _window_rank(entry: Mapping[str, Any]) -> tuple[int, float, int]:
    return (
        _STATUS_RANK.get(str(entry.get("status")), 5),
        -float(entry.get("value") or 0.0),
        -int(entry.get("window_days") or 0),
    )
