"""Plain text for Seller Central's form: whole-text snapshots, wrapping, markup-free output."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodstanding.documents import (
    BulletList,
    Document,
    Exhibit,
    ExhibitList,
    Heading,
    NumberedList,
    Paragraph,
    Table,
    plaintext_length,
    to_plaintext,
)
from goodstanding.documents._scripts import text_width
from goodstanding.documents.plaintext import wrap
from goodstanding.errors import InputError

PLAN_UNWRAPPED = """\
Plan of Action

Our order defect rate was 2.3 % (14 of 610 orders).

Root causes

1. Our warehouse shipped 41 orders after the promised date in the week of 2 September because two packers were on leave.
2. The carrier missed two scheduled pick-ups.

Actions taken

- Hired a third packer on 9 September.
- Added a second carrier.

ASIN: B0TEST0001; Units sold: 120; Units invoiced: 150
ASIN: B0TEST0002; Units sold: 80; Units invoiced: 60

Exhibit 1: Carrier contract — Signed on 10 September.
Exhibit 2: Staffing roster

Thank you for reviewing this plan."""  # noqa: E501 (the form wants one line per point)

PLAN_WIDTH_40 = """\
Plan of Action

Our order defect rate was 2.3 % (14 of
610 orders).

Root causes

1. Our warehouse shipped 41 orders after
   the promised date in the week of 2
   September because two packers were on
   leave.
2. The carrier missed two scheduled
   pick-ups.

Actions taken

- Hired a third packer on 9 September.
- Added a second carrier.

ASIN        Units sold  Units invoiced
B0TEST0001  120         150
B0TEST0002  80          60

Exhibit 1: Carrier contract — Signed on
  10 September.
Exhibit 2: Staffing roster

Thank you for reviewing this plan."""

# At 30 columns "品" would fit, but "，" may not begin a line, so both move down together.
CHINESE_WIDTH_30 = """\
问题原因

1. 我们已经下架了全部相关商
   品，并完成了供应商审核。
2. 仓库人手不足，导致十四个订
   单延迟发货。

ASIN        数量
B0TEST0001  120

附件1：供应商发票——三张发票"""

CHINESE_UNWRAPPED = """\
问题原因

1. 我们已经下架了全部相关商品，并完成了供应商审核。
2. 仓库人手不足，导致十四个订单延迟发货。

ASIN：B0TEST0001；数量：120

附件1：供应商发票——三张发票"""


def test_plaintext_matches_snapshot_unwrapped(plan: Document) -> None:
    assert to_plaintext(plan) == PLAN_UNWRAPPED


def test_plaintext_matches_snapshot_at_width_40(plan: Document) -> None:
    assert to_plaintext(plan, width=40) == PLAN_WIDTH_40


def test_plaintext_matches_snapshot_chinese_at_width_30(chinese_plan: Document) -> None:
    assert to_plaintext(chinese_plan, width=30) == CHINESE_WIDTH_30


def test_plaintext_matches_snapshot_chinese_unwrapped(chinese_plan: Document) -> None:
    assert to_plaintext(chinese_plan) == CHINESE_UNWRAPPED


@pytest.mark.parametrize("width", [None, 20, 40, 72])
def test_plaintext_has_no_markup_any_width(plan: Document, width: int | None) -> None:
    text = to_plaintext(plan, width=width)
    assert not set(text) & set("#*|`_[]<>")
    assert "\n\n\n" not in text
    assert not text.endswith("\n")


def test_plaintext_numbers_points_from_one_each_list() -> None:
    doc = Document(
        "t", "en", (NumberedList(("a", "b")), Paragraph("between"), NumberedList(("c",)))
    )
    assert to_plaintext(doc) == "1. a\n2. b\n\nbetween\n\n1. c"


def test_plaintext_aligns_two_digit_numbers() -> None:
    items = tuple(f"point {number}" for number in range(1, 11))
    lines = to_plaintext(Document("t", "en", (NumberedList(items),))).split("\n")
    assert lines[0] == " 1. point 1"
    assert lines[9] == "10. point 10"


def test_plaintext_keeps_line_breaks_inside_paragraph_and_item() -> None:
    doc = Document("t", "en", (Paragraph("first line\nsecond line"), NumberedList(("item\nmore",))))
    assert to_plaintext(doc) == "first line\nsecond line\n\n1. item\n   more"


def test_plaintext_table_falls_back_to_records_when_too_wide() -> None:
    table = Table(("Order", "Reason"), (("111-1234567-1234567", "Late " * 12),))
    text = to_plaintext(Document("t", "en", (table,)), width=40)
    assert text.startswith("Order: 111-1234567-1234567; Reason: Late")
    assert all(text_width(line) <= 40 for line in text.split("\n"))


def test_plaintext_table_skips_empty_cells_in_records() -> None:
    table = Table(("ASIN", "Note"), (("B0TEST0001", ""),))
    assert to_plaintext(Document("t", "en", (table,))) == "ASIN: B0TEST0001"


def test_plaintext_exhibit_label_follows_language() -> None:
    exhibits = ExhibitList((Exhibit(2, "Rechnung"),))
    assert to_plaintext(Document("t", "de", (exhibits,))) == "Anlage 2: Rechnung"
    assert to_plaintext(Document("t", "ja", (exhibits,))) == "添付資料2：Rechnung"


def test_plaintext_breaks_long_token_to_fit_width() -> None:
    url = "https://example.com/" + "x" * 50
    lines = to_plaintext(Document("t", "en", (BulletList((url,)),)), width=30).split("\n")
    assert all(text_width(line) <= 30 for line in lines)
    assert lines[0].startswith("- https:")
    assert "".join(line.strip() for line in lines) == "- " + url


def test_plaintext_rejects_too_narrow_width(plan: Document) -> None:
    with pytest.raises(InputError, match="too narrow"):
        to_plaintext(plan, width=5)


def test_wrap_never_starts_line_with_closing_punctuation() -> None:
    text = "我们已经完成了审核。" * 6
    for width in range(10, 40):
        for line in wrap(text, width):
            assert line[0] not in "，。、）」"


def test_wrap_never_ends_line_with_opening_bracket() -> None:
    text = "说明（附件一）说明（附件二）说明（附件三）说明（附件四）"
    for width in range(10, 30):
        for line in wrap(text, width):
            assert not line.endswith(("（", "「"))


_ALPHABET = st.sampled_from(
    [
        *string.ascii_letters,
        " ",
        " ",
        ",",
        ".",
        "(",
        ")",
        "我",
        "们",
        "审",
        "核",
        "，",
        "。",
        "の",
        "ア",
    ]
)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=200), width=st.integers(10, 60))
def test_wrap_fits_width_and_loses_nothing_any_text(text: str, width: int) -> None:
    lines = wrap(text, width, indent="1. ", subsequent_indent="   ")
    assert all(text_width(line) <= width for line in lines)
    joined = "".join(lines[0][3:].split()) + "".join("".join(line.split()) for line in lines[1:])
    assert joined == "".join(text.split())


def test_plaintext_length_counts_line_breaks_as_two() -> None:
    doc = Document("t", "en", (Heading("Ab"), Paragraph("cd")))
    assert to_plaintext(doc) == "Ab\n\ncd"
    assert plaintext_length(doc) == 4 + 2 * 2


def test_plaintext_length_counts_astral_characters_as_two() -> None:
    # U+20BB7 (a Han character outside the Basic Multilingual Plane) is two UTF-16 units.
    doc = Document("t", "zh", (Paragraph("\U00020bb7家"),))
    assert plaintext_length(doc) == 3
