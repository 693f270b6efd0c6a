"""Fixtures for the document tests: sample documents in English, Chinese and Japanese."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodstanding.documents import (
    BulletList,
    Document,
    Exhibit,
    ExhibitList,
    Heading,
    NumberedList,
    PageBreak,
    Paragraph,
    Table,
)

LATIN_SENTENCE = "Our order defect rate was 2.3 % (14 of 610 orders)."
CHINESE_SENTENCE = "我们已经下架了全部相关商品，并完成了供应商审核。"
JAPANESE_SENTENCE = "出荷遅延の原因を特定し、倉庫の人員を増やしました。"

# TrueType fonts with CJK glyphs that common systems install (reportlab cannot embed .otf).
_TRUETYPE_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


@pytest.fixture
def plan() -> Document:
    """An English Plan of Action using every block type."""
    return Document(
        title="Plan of Action: late shipments",
        language="en",
        blocks=(
            Heading("Plan of Action"),
            Paragraph(LATIN_SENTENCE),
            Heading("Root causes", level=2),
            NumberedList(
                (
                    "Our warehouse shipped 41 orders after the promised date in the week of "
                    "2 September because two packers were on leave.",
                    "The carrier missed two scheduled pick-ups.",
                )
            ),
            Heading("Actions taken", level=2),
            BulletList(("Hired a third packer on 9 September.", "Added a second carrier.")),
            Table(
                header=("ASIN", "Units sold", "Units invoiced"),
                rows=(("B0TEST0001", "120", "150"), ("B0TEST0002", "80", "60")),
            ),
            ExhibitList(
                (
                    Exhibit(1, "Carrier contract", "Signed on 10 September."),
                    Exhibit(2, "Staffing roster"),
                )
            ),
            PageBreak(),
            Paragraph("Thank you for reviewing this plan."),
        ),
        metadata={"author": "Example Trading Ltd", "subject": "Appeal"},
    )


@pytest.fixture
def mixed() -> Document:
    """An English document holding a Chinese and a Japanese paragraph."""
    return Document(
        title="Supplier statement",
        language="en",
        blocks=(
            Heading("Statements"),
            Paragraph(LATIN_SENTENCE),
            Paragraph(CHINESE_SENTENCE),
            Paragraph(JAPANESE_SENTENCE),
        ),
    )


@pytest.fixture
def chinese_plan() -> Document:
    """A Chinese document with a heading, numbered points, a table and exhibits."""
    return Document(
        title="整改计划",
        language="zh",
        blocks=(
            Heading("问题原因"),
            NumberedList((CHINESE_SENTENCE, "仓库人手不足，导致十四个订单延迟发货。")),
            Table(header=("ASIN", "数量"), rows=(("B0TEST0001", "120"),)),
            ExhibitList((Exhibit(1, "供应商发票", "三张发票"),)),
        ),
    )


@pytest.fixture
def cjk_truetype_font() -> Path:
    """A TrueType CJK font installed on this machine, or a skip that says none was found."""
    for candidate in _TRUETYPE_CJK_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    pytest.skip(
        "no TrueType CJK font installed (e.g. Debian fonts-wqy-zenhei): embedding not tested"
    )
