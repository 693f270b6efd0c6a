"""Markdown: a whole-text snapshot and escaping of text that would otherwise become markup."""

from __future__ import annotations

import pytest

from goodstanding.documents import (
    Document,
    Exhibit,
    ExhibitList,
    NumberedList,
    Paragraph,
    Table,
    to_markdown,
)
from goodstanding.documents.markdown import escape

PLAN_MARKDOWN = """\
# Plan of Action

Our order defect rate was 2.3 % (14 of 610 orders).

## Root causes

1. Our warehouse shipped 41 orders after the promised date in the week of 2 September because two packers were on leave.
2. The carrier missed two scheduled pick-ups.

## Actions taken

- Hired a third packer on 9 September.
- Added a second carrier.

| ASIN       | Units sold | Units invoiced |
| ---------- | ---------- | -------------- |
| B0TEST0001 | 120        | 150            |
| B0TEST0002 | 80         | 60             |

- **Exhibit 1: Carrier contract** — Signed on 10 September.
- **Exhibit 2: Staffing roster**

---

Thank you for reviewing this plan.
"""  # noqa: E501

# Columns line up by display width: each Chinese character takes two.
CHINESE_MARKDOWN = """\
# 问题原因

1. 我们已经下架了全部相关商品，并完成了供应商审核。
2. 仓库人手不足，导致十四个订单延迟发货。

| ASIN       | 数量 |
| ---------- | ---- |
| B0TEST0001 | 120  |

- **附件1：供应商发票**——三张发票
"""


def test_markdown_matches_snapshot(plan: Document) -> None:
    assert to_markdown(plan) == PLAN_MARKDOWN


def test_markdown_matches_snapshot_chinese(chinese_plan: Document) -> None:
    assert to_markdown(chinese_plan) == CHINESE_MARKDOWN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# not a heading", r"\# not a heading"),
        ("*stars* and _under_", r"\*stars\* and \_under\_"),
        ("1. not a list", r"1\. not a list"),
        ("- not a bullet", r"\- not a bullet"),
        ("> not a quote", r"\> not a quote"),
        ("see [link](x) <b>", r"see \[link\](x) \<b>"),
        ("AT&T &amp; co", r"AT&T \&amp; co"),
        ("path\\to", r"path\\to"),
        ("plain words stay 2.3 %", "plain words stay 2.3 %"),
        ("    not code", "not code"),
        ("\t- not a bullet either", r"\- not a bullet either"),
    ],
)
def test_escape_shows_text_literally(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_markdown_escapes_pipes_in_table_cells() -> None:
    doc = Document("t", "en", (Table(("a|b",), (("x|y",),)),))
    assert to_markdown(doc).splitlines()[2] == r"| x\|y |"


def test_markdown_keeps_line_breaks_as_hard_breaks() -> None:
    doc = Document("t", "en", (Paragraph("one\ntwo"), NumberedList(("a\nb",))))
    assert to_markdown(doc) == "one\\\ntwo\n\n1. a\\\n   b\n"


def test_markdown_exhibit_without_description_has_no_dash() -> None:
    doc = Document("t", "fr", (ExhibitList((Exhibit(4, "Facture"),)),))
    assert to_markdown(doc) == "- **Pièce n° 4\u00a0: Facture**\n"


def test_markdown_empty_document_is_empty() -> None:
    assert to_markdown(Document("t", "en", ())) == ""
