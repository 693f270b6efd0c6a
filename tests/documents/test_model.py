"""The document model: validation with clear messages, immutability, exhibit labels."""

from __future__ import annotations

from typing import Any

import pytest

import goodstanding.documents as documents
from goodstanding.documents import (
    BulletList,
    Document,
    Exhibit,
    ExhibitList,
    Heading,
    NumberedList,
    Paragraph,
    Table,
    exhibit_label,
)
from goodstanding.errors import InputError


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_importable() -> None:
    assert documents.__all__ == sorted(documents.__all__, key=_isort_key)
    for name in documents.__all__:
        assert hasattr(documents, name), name


def test_document_turns_lists_into_tuples() -> None:
    blocks: Any = [Heading("h"), NumberedList(["a", "b"])]  # type: ignore[arg-type]
    doc = Document("t", "en", blocks)
    assert isinstance(doc.blocks, tuple)
    assert doc.blocks[1] == NumberedList(("a", "b"))


def test_document_metadata_is_read_only_copy() -> None:
    source = {"author": "A"}
    doc = Document("t", "en", (), metadata=source)
    source["author"] = "B"
    assert doc.metadata["author"] == "A"
    with pytest.raises(TypeError):
        doc.metadata["author"] = "C"  # type: ignore[index]


def test_document_is_hashable_and_comparable() -> None:
    first = Document("t", "en", (Paragraph("x"),), metadata={"author": "A"})
    second = Document("t", "en", (Paragraph("x"),), metadata={"author": "A"})
    assert first == second
    assert hash(first) == hash(second)


@pytest.mark.parametrize("language", ["", "english", "zh_CN", "12"])
def test_document_rejects_bad_language_tag(language: str) -> None:
    with pytest.raises(InputError, match="not a language tag"):
        Document("t", language, ())


def test_document_base_language_reads_primary_subtag() -> None:
    assert Document("t", "zh-CN", ()).base_language == "zh"


def test_document_rejects_foreign_block() -> None:
    with pytest.raises(InputError, match="block 2 is str"):
        Document("t", "en", (Paragraph("x"), "raw text"))  # type: ignore[arg-type]


@pytest.mark.parametrize("level", [0, 7])
def test_heading_rejects_level_out_of_range(level: int) -> None:
    with pytest.raises(InputError, match="from 1 to 6"):
        Heading("h", level=level)


def test_table_rejects_row_of_wrong_width() -> None:
    with pytest.raises(InputError, match="row 2 has 1 cells but the header has 2") as caught:
        Table(("a", "b"), (("1", "2"), ("3",)))
    assert caught.value.hint is not None


def test_table_rejects_empty_header() -> None:
    with pytest.raises(InputError, match="at least one column"):
        Table((), ())


def test_list_rejects_single_string_for_items() -> None:
    with pytest.raises(InputError, match="tuple of texts"):
        BulletList("one item")  # type: ignore[arg-type]


def test_list_rejects_non_text_item() -> None:
    with pytest.raises(InputError, match="must be text, got int"):
        NumberedList(("a", 2))  # type: ignore[arg-type]


def test_exhibit_rejects_non_positive_number() -> None:
    with pytest.raises(InputError, match="positive integer"):
        Exhibit(0, "Invoice")


def test_exhibit_list_rejects_duplicate_numbers() -> None:
    with pytest.raises(InputError, match=r"\[1\] appear more than once"):
        ExhibitList((Exhibit(1, "a"), Exhibit(1, "b")))


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Exhibit 3"),
        ("en-GB", "Exhibit 3"),
        ("fr", "Pièce n° 3"),
        ("de", "Anlage 3"),
        ("it", "Allegato 3"),
        ("es", "Anexo 3"),
        ("zh", "附件3"),
        ("ja", "添付資料3"),
        ("pt", "Exhibit 3"),
    ],
)
def test_exhibit_label_in_each_language(language: str, label: str) -> None:
    assert exhibit_label(3, language) == label


def test_text_normalises_line_breaks_and_drops_control_codes() -> None:
    paragraph = Paragraph("a\r\nb\rc\x0cd\x00e\x07f\tg\x85h\ud800")
    assert paragraph.text == "a\nb\nc\nde" + "f\tg\nh"
    assert Table(("x\r\n",), (("\x01y",),)).rows == (("y",),)
    assert Exhibit(1, "in\x1bvoice").title == "invoice"
