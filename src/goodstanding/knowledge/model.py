"""Typed, frozen views of the knowledge base, with their texts resolved in one language.

Every object here is built by :class:`goodstanding.knowledge.Knowledge`; nothing reads files.
Ids are global and stable (``<scope>.<kind>.<slug>``, scope = a family id or ``general``), so an
appeal can cite an item and find the same item in every language.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

from goodstanding.errors import InputError
from goodstanding.types import AccountType

FAMILY_IDS: Final = (
    "order_defect_rate",
    "late_shipment",
    "cancellation_rate",
    "valid_tracking",
    "on_time_delivery",
    "customer_response",
    "authenticity",
    "intellectual_property_trademark",
    "intellectual_property_copyright",
    "intellectual_property_patent",
    "restricted_products",
    "product_safety",
    "listing_policy",
    "condition_used_sold_as_new",
    "review_manipulation",
    "related_accounts",
    "code_of_conduct",
    "identity_verification",
    "pricing",
    "fba_inventory",
    "invoice_verification",
    "other",
)
"""The violation families, in menu order. Other code and checks depend on these ids."""

METRIC_IDS: Final = (
    "order_defect_rate",
    "late_shipment_rate",
    "pre_fulfillment_cancel_rate",
    "valid_tracking_rate",
    "on_time_delivery_rate",
    "late_response_rate",
    "negative_feedback_rate",
    "a_to_z_claim_rate",
    "chargeback_rate",
)
"""The health-engine metric ids a family can relate to (metric-conventions.md §4)."""

GENERAL: Final = "general"
"""The scope of appeal-wide items (``general.<kind>.<slug>``)."""


class Audience(StrEnum):
    """Which account type an item or question is written for."""

    BOTH = "both"
    SELLER = "seller"
    VENDOR = "vendor"

    def includes(self, account_type: AccountType | str) -> bool:
        """Whether an account of ``account_type`` should see this item."""
        return self is Audience.BOTH or self.value == str(account_type)


class Category(StrEnum):
    """What kind of problem a family is."""

    PERFORMANCE = "performance"
    POLICY = "policy"
    VERIFICATION = "verification"
    GENERAL = "general"


class ItemKind(StrEnum):
    """The section an item belongs to; also the middle segment of its id."""

    RULE = "rule"
    CAUSE = "cause"
    ACTION = "action"
    PREVENTION = "prevention"
    EVIDENCE = "evidence"
    DO = "do"
    DONT = "dont"
    SECTION = "section"
    ESCALATION = "escalation"


class QuestionGroup(StrEnum):
    """The interview step a question belongs to."""

    ROOT_CAUSE = "root_cause"
    IMMEDIATE_ACTIONS = "immediate_actions"
    PREVENTION = "prevention"
    EVIDENCE = "evidence"

    @property
    def answer_kind(self) -> ItemKind:
        """The kind of catalog item that answers a question of this group."""
        return _GROUP_ANSWERS[self]


_GROUP_ANSWERS: Final = {
    QuestionGroup.ROOT_CAUSE: ItemKind.CAUSE,
    QuestionGroup.IMMEDIATE_ACTIONS: ItemKind.ACTION,
    QuestionGroup.PREVENTION: ItemKind.PREVENTION,
    QuestionGroup.EVIDENCE: ItemKind.EVIDENCE,
}


class QuestionKind(StrEnum):
    """How a question is answered."""

    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    FREE_TEXT = "free_text"


class Basis(StrEnum):
    """Who says so: Amazon's own text, a third party (reported, not confirmed), or goodstanding."""

    AMAZON = "amazon"
    THIRD_PARTY = "third_party"
    GOODSTANDING = "goodstanding"


class Comparison(StrEnum):
    """How a measured value is compared with a threshold value."""

    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"

    def holds(self, measured: float, value: float) -> bool:
        """Whether ``measured`` meets the threshold ``value``."""
        if self is Comparison.LT:
            return measured < value
        if self is Comparison.LE:
            return measured <= value
        if self is Comparison.GT:
            return measured > value
        return measured >= value


def placeholder_names(text: str) -> tuple[str, ...]:
    """The ``{name}`` placeholders of a text, in order of first use.

    Raises:
        ValueError: the braces of the text are unbalanced.
    """
    names: list[str] = []
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None and field not in names:
            names.append(field)
    return tuple(names)


def fill(text: str, values: Mapping[str, str], *, where: str) -> str:
    """Replace every ``{name}`` of ``text`` by ``values[name]``.

    A text that opens with a placeholder ("{owner} checks...") gets its first letter capitalised,
    since values such as "our operations manager" are written to sit inside a sentence.

    Raises:
        InputError: a placeholder of the text has no value.
    """
    missing = [name for name in placeholder_names(text) if name not in values]
    if missing:
        raise InputError(
            f"{where}: no value for placeholder(s) {', '.join(missing)}.",
            hint="Answer the interview question for each one, or use the defaults of "
            "Knowledge.general(lang).placeholder_defaults().",
        )
    filled = text.format_map(dict(values))
    if text.startswith("{") and filled:
        filled = filled[0].upper() + filled[1:]
    return filled


@dataclass(frozen=True, slots=True)
class Item:
    """One catalog entry: a rule, root cause, action, measure, evidence, do, don't, section...

    Attributes:
        id: global id, ``<scope>.<kind>.<slug>``.
        kind: the section it belongs to.
        scope: the family id, or ``general``.
        text: the sentence, in the requested language (may hold ``{placeholders}``).
        label: a short title (evidence items and POA sections), else ``None``.
        audience: seller, vendor or both.
        placeholders: names of the ``{placeholders}`` in ``text``, the same in every language.
        source: citation into ../shared/reference (always set on rules).
        basis: who says so (set on rules).
        evidence: ids of evidence items that prove this cause, action or measure.
        required: for evidence: Amazon's notices or help ask for it explicitly.
    """

    id: str
    kind: ItemKind
    scope: str
    text: str
    label: str | None = None
    audience: Audience = Audience.BOTH
    placeholders: tuple[str, ...] = ()
    source: str | None = None
    basis: Basis | None = None
    evidence: tuple[str, ...] = ()
    required: bool = False

    def applies_to(self, account_type: AccountType | str) -> bool:
        """Whether an account of ``account_type`` should see this item."""
        return self.audience.includes(account_type)

    def render(self, values: Mapping[str, str]) -> str:
        """The text with every placeholder filled from ``values``.

        Raises:
            InputError: a placeholder has no value.
        """
        return fill(self.text, values, where=self.id)


@dataclass(frozen=True, slots=True)
class Threshold:
    """A figure Amazon enforces or asks for: a metric target, a time limit, a document rule.

    Attributes:
        id: global id, ``<scope>.threshold.<slug>``.
        text: what it means for a seller, in the requested language.
        kind: ``target`` (a metric), ``time_limit``, ``document`` or ``repeat_limit``.
        comparison: how a measured value must compare with ``value`` to be in good standing.
        value: the figure; rates are fractions (0.01 = 1 %).
        unit: ``fraction``, ``hours``, ``days``, ``calendar_days``, ``business_days``,
            ``months``, ``units``, ``count`` or ``megabytes``.
        metric: the health-engine metric id, for targets.
        window_days: the measurement windows in days (LSR has two).
        lag_days: days between the end of the window and today, when Amazon publishes one.
        channels: ``mfn``/``afn`` when the figure is per fulfilment channel.
        marketplaces: sales channels it is limited to (empty = everywhere).
        effective_from: ISO date from which it applies, when dated.
        basis: who says so.
        source: citation into ../shared/reference.
        audience: seller, vendor or both.
    """

    id: str
    text: str
    kind: str
    comparison: Comparison
    value: float
    unit: str
    source: str
    basis: Basis
    metric: str | None = None
    window_days: tuple[int, ...] = ()
    lag_days: int | None = None
    channels: tuple[str, ...] = ()
    marketplaces: tuple[str, ...] = ()
    effective_from: str | None = None
    audience: Audience = Audience.BOTH

    def met_by(self, measured: float) -> bool:
        """Whether ``measured`` is within the threshold."""
        return self.comparison.holds(measured, self.value)


@dataclass(frozen=True, slots=True)
class Question:
    """One interview question, with the catalog items suggested as answers.

    Attributes:
        id: global id, ``<family>.q.<slug>``.
        group: the interview step (root cause, immediate actions, prevention, evidence).
        kind: single choice, multi choice or free text.
        text: the question, in the requested language.
        suggested: ids of the catalog items offered as answers, all of the group's answer kind.
        default: the subset of ``suggested`` pre-selected in a fresh answers file.
        required: an answer is needed before drafting.
        audience: seller, vendor or both.
    """

    id: str
    group: QuestionGroup
    kind: QuestionKind
    text: str
    suggested: tuple[str, ...] = ()
    default: tuple[str, ...] = ()
    required: bool = True
    audience: Audience = Audience.BOTH

    def applies_to(self, account_type: AccountType | str) -> bool:
        """Whether an account of ``account_type`` should be asked this question."""
        return self.audience.includes(account_type)


def _keep(items: tuple[Item, ...], account_type: AccountType | str) -> tuple[Item, ...]:
    return tuple(item for item in items if item.applies_to(account_type))


@dataclass(frozen=True, slots=True)
class Family:
    """One violation family, with every text in ``lang``.

    Attributes:
        id: the family id (one of :data:`FAMILY_IDS` for the packaged data).
        lang: the language of every text below.
        name: display name.
        summary: one or two sentences on what the family covers.
        vendor_difference: how the family differs for a Vendor Central (1P) account.
        category: performance, policy, verification or general.
        account_types: account types the family can apply to.
        metrics: related health-engine metric ids.
        thresholds, rules, root_causes, immediate_actions, preventive_measures, evidence, dos,
        donts: the catalog, in file order.
        questions: the interview, in file order (grouped by :attr:`Question.group`).
    """

    id: str
    lang: str
    name: str
    summary: str
    vendor_difference: str
    category: Category
    account_types: tuple[AccountType, ...]
    metrics: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    rules: tuple[Item, ...]
    root_causes: tuple[Item, ...]
    immediate_actions: tuple[Item, ...]
    preventive_measures: tuple[Item, ...]
    evidence: tuple[Item, ...]
    questions: tuple[Question, ...]
    dos: tuple[Item, ...]
    donts: tuple[Item, ...]

    def items(self) -> Iterator[Item]:
        """Every catalog item of the family (rules first, then causes, actions... don'ts)."""
        for section in (
            self.rules,
            self.root_causes,
            self.immediate_actions,
            self.preventive_measures,
            self.evidence,
            self.dos,
            self.donts,
        ):
            yield from section

    def item(self, item_id: str) -> Item:
        """The item ``item_id`` of this family.

        Raises:
            KeyError: the family has no such item.
        """
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def questions_in(self, group: QuestionGroup | str) -> tuple[Question, ...]:
        """The questions of one interview step, in file order."""
        wanted = QuestionGroup(group)
        return tuple(question for question in self.questions if question.group is wanted)

    def applies_to(self, account_type: AccountType | str) -> bool:
        """Whether the family can concern an account of ``account_type``."""
        return AccountType(account_type) in self.account_types

    def for_account(self, account_type: AccountType | str) -> Family:
        """This family with only the items and questions meant for ``account_type``.

        Suggested and default answers of the questions are narrowed the same way, so every id a
        question offers exists in the returned family.
        """
        kind = AccountType(account_type)
        rules = _keep(self.rules, kind)
        root_causes = _keep(self.root_causes, kind)
        immediate_actions = _keep(self.immediate_actions, kind)
        preventive_measures = _keep(self.preventive_measures, kind)
        evidence = _keep(self.evidence, kind)
        dos = _keep(self.dos, kind)
        donts = _keep(self.donts, kind)
        visible = {
            item.id
            for section in (root_causes, immediate_actions, preventive_measures, evidence)
            for item in section
        }
        questions = []
        for question in self.questions:
            if not question.applies_to(kind):
                continue
            suggested = tuple(i for i in question.suggested if i in visible)
            if question.kind is not QuestionKind.FREE_TEXT and not suggested:
                continue
            default = tuple(i for i in question.default if i in visible)
            if question.kind is not QuestionKind.FREE_TEXT and not default:
                default = suggested[:1]
            questions.append(replace(question, suggested=suggested, default=default))
        return replace(
            self,
            thresholds=tuple(t for t in self.thresholds if t.audience.includes(kind)),
            rules=rules,
            root_causes=root_causes,
            immediate_actions=immediate_actions,
            preventive_measures=preventive_measures,
            evidence=evidence,
            questions=tuple(questions),
            dos=dos,
            donts=donts,
        )


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A ``{name}`` slot in item texts, filled from the interview (who, how often, which tool).

    Attributes:
        name: the name used inside braces.
        label: a short title for forms.
        question: what the interview asks to fill it.
        default: a neutral value that reads correctly when the seller leaves it unchanged.
    """

    name: str
    label: str
    question: str
    default: str


@dataclass(frozen=True, slots=True)
class Template:
    """A Plan of Action layout: the seller form, the vendor form or the Chinese five-part template.

    Attributes:
        id: ``general.template.<variant>``.
        variant: ``seller``, ``vendor`` or ``cn_template``.
        name: display name.
        text: when to use it.
        sections: the section items in the order they are written (titles in ``Item.label``).
        source: citation into ../shared/reference or the seeds.
    """

    id: str
    variant: str
    name: str
    text: str
    sections: tuple[Item, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Metric:
    """Display name and definition of a health-engine metric."""

    id: str
    name: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class General:
    """Appeal-wide knowledge in one language: POA layouts, general rules, do's and don'ts.

    Attributes:
        lang: the language of every text.
        templates: POA layouts by variant (``seller``, ``vendor``, ``cn_template``).
        rules: what Amazon asks of every Plan of Action, each with a source.
        thresholds: appeal-wide time limits.
        dos, donts: conduct while a case is open (one appeal at a time, no new account...).
        escalation: when and how to go beyond the appeal form.
        placeholders: the ``{name}`` slots of item texts, by name.
        metrics: metric names and definitions, by metric id.
        question_groups: display titles of the interview steps.
    """

    lang: str
    templates: Mapping[str, Template]
    rules: tuple[Item, ...]
    thresholds: tuple[Threshold, ...]
    dos: tuple[Item, ...]
    donts: tuple[Item, ...]
    escalation: tuple[Item, ...]
    placeholders: Mapping[str, Placeholder]
    metrics: Mapping[str, Metric]
    question_groups: Mapping[QuestionGroup, str]

    def placeholder_defaults(self) -> dict[str, str]:
        """Each placeholder's neutral default, ready for :meth:`Item.render`."""
        return {name: placeholder.default for name, placeholder in self.placeholders.items()}
