"""Texts per language: complete, aligned with the structure, and actually translated."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from goodstanding.knowledge import DATA_DIR, Knowledge, KnowledgeFileError
from goodstanding.knowledge.model import placeholder_names
from goodstanding.types import LANGUAGES

from .conftest import Edit
from .untranslated import untranslated_reason

TEXT_DIR = DATA_DIR / "text"
PRESENT = sorted(
    (child.name for child in TEXT_DIR.iterdir() if child.is_dir()),
    key=lambda lang: LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES),
)
TRANSLATED = [lang for lang in PRESENT if lang != "en"] or [
    pytest.param("none", marks=pytest.mark.skip(reason="no translation installed yet (only en)"))
]
CASES = Path(__file__).resolve().parents[3] / "shared" / "cases"


def _flat(path: Path) -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, str):
            flat[key] = value
            continue
        for entry_id, fields in value.items():
            for field, text in fields.items():
                flat[f"{entry_id}.{field}"] = text
    return flat


def _english(stem: str) -> dict[str, str]:
    return _flat(TEXT_DIR / "en" / f"{stem}.yaml")


def test_all_seven_languages_are_present() -> None:
    # Fails until every translation is delivered: the lead tracks it, nothing is marked xfail.
    assert sorted(PRESENT) == sorted(LANGUAGES), f"missing: {sorted(set(LANGUAGES) - set(PRESENT))}"


@pytest.mark.parametrize("lang", PRESENT)
def test_language_has_a_text_file_for_every_structure_file(lang: str) -> None:
    expected = {"general"} | {path.stem for path in (DATA_DIR / "families").glob("*.yaml")}
    assert {path.stem for path in (TEXT_DIR / lang).glob("*.yaml")} == expected


@pytest.mark.parametrize("lang", PRESENT)
def test_language_has_exactly_the_keys_of_the_english_files(lang: str) -> None:
    for english_path in sorted((TEXT_DIR / "en").glob("*.yaml")):
        path = TEXT_DIR / lang / english_path.name
        english, texts = _flat(english_path), _flat(path)
        assert sorted(set(english) - set(texts)) == [], f"{path}: missing keys"
        assert sorted(set(texts) - set(english)) == [], f"{path}: extra keys"


@pytest.mark.parametrize("lang", PRESENT)
def test_language_keeps_every_placeholder_of_the_english_text(lang: str) -> None:
    for english_path in sorted((TEXT_DIR / "en").glob("*.yaml")):
        texts = _flat(TEXT_DIR / lang / english_path.name)
        for key, english in _flat(english_path).items():
            assert set(placeholder_names(texts[key])) == set(placeholder_names(english)), key


@pytest.mark.parametrize("lang", PRESENT)
def test_language_loads_through_the_knowledge_api(knowledge: Knowledge, lang: str) -> None:
    assert lang in knowledge.languages
    families = knowledge.families(lang)
    assert [family.id for family in families] == list(knowledge.family_ids)
    assert all(family.lang == lang and family.name for family in families)


def _leftovers(text_dir: Path, lang: str) -> list[str]:
    found = []
    for english_path in sorted((text_dir / "en").glob("*.yaml")):
        texts = _flat(text_dir / lang / english_path.name)
        for key, english in _flat(english_path).items():
            reason = untranslated_reason(texts[key], english, lang)
            if reason:
                found.append(f"{english_path.stem}: {key}: {reason}")
    return found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_text_is_left_in_english(lang: str) -> None:
    leftovers = _leftovers(TEXT_DIR, lang)
    assert leftovers == [], "\n".join(leftovers[:40])


@pytest.mark.parametrize("lang", ["fr", "zh"])
def test_untranslated_check_flags_every_file_when_english_is_copied_as_is(
    data_copy: Path, lang: str
) -> None:
    shutil.copytree(data_copy / "text" / "en", data_copy / "text" / lang)
    leftovers = _leftovers(data_copy / "text", lang)
    flagged_files = {entry.split(":", 1)[0] for entry in leftovers}
    assert flagged_files == {path.stem for path in (TEXT_DIR / "en").glob("*.yaml")}
    total = sum(len(_flat(path)) for path in (TEXT_DIR / "en").glob("*.yaml"))
    assert len(leftovers) >= 0.95 * total


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We closed all offers of {asins} and stopped buying them.", "fr"),
        ("Nous avons fermé toutes les offres and we stopped buying from the supplier.", "fr"),
        ("Wir haben alle Angebote geschlossen, which is what the notice asked for.", "de"),
        ("我们已经关闭了 {asins} 的所有报价, and we stopped buying them from that supplier.", "zh"),
        ("We reviewed every order counted as a defect.", "ja"),
    ],
)
def test_untranslated_check_flags_english_left_in_a_translation(text: str, lang: str) -> None:
    english = "We closed all offers of {asins} and stopped buying them."
    assert untranslated_reason(text, english, lang) is not None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nous avons fermé toutes les offres de {asins} et cessé de les acheter.", "fr"),
        ("Abbiamo chiuso tutte le offerte FBA di {asins} tramite Seller Central.", "it"),
        ("Wir haben alle Angebote von {asins} geschlossen und kaufen sie nicht mehr.", "de"),
        ("Cerramos todas las ofertas de {asins} y dejamos de comprarlas.", "es"),
        ("我们已关闭 {asins} 的所有报价，并通过 Buy Shipping 购买所有 FBA 标签。", "zh"),
        ("{asins} のすべての出品を停止し、A-to-z 保証の申請に対応しました。", "ja"),
        ("ASIN", "fr"),
    ],
)
def test_untranslated_check_accepts_real_translations_with_allowed_terms(
    text: str, lang: str
) -> None:
    english = "We closed all offers of {asins} and stopped buying them."
    assert untranslated_reason(text, english if text != "ASIN" else "ASIN", lang) is None


def test_loader_rejects_a_language_that_lacks_a_key(data_copy: Path, edit: Edit) -> None:
    shutil.copytree(data_copy / "text" / "en", data_copy / "text" / "fr")
    path = data_copy / "text" / "fr" / "pricing.yaml"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"  pricing\.dont\.no_fee_shifting:\n    text: [^\n]+\n", text)
    assert block
    path.write_text(text.replace(block.group(0), ""), encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.path == str(path)
    assert "pricing.dont.no_fee_shifting" in str(caught.value)
    assert "missing" in str(caught.value)


def test_loader_rejects_a_language_with_an_extra_key(data_copy: Path, edit: Edit) -> None:
    shutil.copytree(data_copy / "text" / "en", data_copy / "text" / "de")
    path = data_copy / "text" / "de" / "pricing.yaml"
    line = edit(path, "donts:\n", "donts:\n  pricing.dont.invented:\n    text: Erfunden.\n") + 1
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.line == line
    assert caught.value.key_path == 'donts["pricing.dont.invented"]'
    assert "pricing.dont.invented" in str(caught.value)


def test_loader_rejects_a_translation_that_drops_a_placeholder(data_copy: Path, edit: Edit) -> None:
    shutil.copytree(data_copy / "text" / "en", data_copy / "text" / "es")
    path = data_copy / "text" / "es" / "late_shipment.yaml"
    edit(path, "{owner} checks the unshipped orders", "The manager checks the unshipped orders")
    with pytest.raises(
        KnowledgeFileError, match=r"uses placeholder\(s\) none but must use exactly \{owner\}"
    ):
        Knowledge.load(data_copy)


def test_loader_rejects_a_missing_text_file_in_a_present_language(data_copy: Path) -> None:
    shutil.copytree(data_copy / "text" / "en", data_copy / "text" / "it")
    (data_copy / "text" / "it" / "pricing.yaml").unlink()
    with pytest.raises(KnowledgeFileError, match="'it' texts of 'pricing' are missing"):
        Knowledge.load(data_copy)


def test_loader_rejects_a_text_file_without_structure(data_copy: Path) -> None:
    shutil.copy2(data_copy / "text" / "en" / "pricing.yaml", data_copy / "text" / "en" / "x.yaml")
    with pytest.raises(KnowledgeFileError, match="no structure file has this name"):
        Knowledge.load(data_copy)


def test_loader_accepts_a_complete_new_language(data_copy: Path) -> None:
    shutil.copytree(data_copy / "text" / "en", data_copy / "text" / "ja")
    knowledge = Knowledge.load(data_copy)
    assert knowledge.languages[-1] == "ja" or "ja" in knowledge.languages
    assert knowledge.family("pricing", "ja").name == knowledge.family("pricing", "en").name


def test_english_texts_do_not_reuse_the_real_cases(knowledge: Knowledge) -> None:
    if not CASES.is_dir():
        pytest.skip(f"{CASES} not found: overlap check with real cases skipped")
    words = re.compile(r"[a-z0-9]+")

    def shingles(text: str, size: int = 9) -> set[tuple[str, ...]]:
        tokens = words.findall(text.casefold())
        return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}

    cases: set[tuple[str, ...]] = set()
    for path in sorted(CASES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases |= shingles(json.loads(line).get("text", ""))
    copied = {
        key: " ".join(overlap[0])
        for key in knowledge.text_keys()
        if (overlap := sorted(shingles(knowledge.text(key, "en")) & cases))
    }
    assert copied == {}
