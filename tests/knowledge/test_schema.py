"""Every knowledge file validates against its JSON Schema; broken files give precise errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from goodstanding.errors import InputError
from goodstanding.knowledge import DATA_DIR, Knowledge, KnowledgeFileError
from goodstanding.knowledge.schema import SCHEMA_DIR, SCHEMAS, format_path, read_yaml, validate

from .conftest import Edit

STRUCTURE_FILES = [DATA_DIR / "general.yaml", *sorted((DATA_DIR / "families").glob("*.yaml"))]
TEXT_FILES = sorted((DATA_DIR / "text").glob("*/*.yaml"))


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", STRUCTURE_FILES, ids=lambda p: p.stem)
def test_structure_file_validates_against_its_schema(path: Path) -> None:
    validate(read_yaml(path), "general" if path.name == "general.yaml" else "family")


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_text_file_validates_against_the_text_schema(path: Path) -> None:
    validate(read_yaml(path), "text")


def test_error_names_file_line_key_path_and_quotes_lines_when_value_breaks_schema(
    data_copy: Path, edit: Edit
) -> None:
    path = data_copy / "families" / "late_shipment.yaml"
    line = edit(path, "    unit: fraction\n", "    unit: percent\n")
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert error.key_path == "thresholds[0].unit"
    message = str(error)
    assert f"{path}, line {line}, key thresholds[0].unit" in message
    assert "'percent' is not one of" in message
    assert f"> {line} |     unit: percent" in message
    # The quote shows the lines around the fault, not only the faulty one.
    assert f"{line - 1} |" in message
    assert f"{line + 1} |" in message
    assert isinstance(error, InputError)


def test_error_points_at_the_key_when_structure_has_unknown_key(
    data_copy: Path, edit: Edit
) -> None:
    path = data_copy / "families" / "pricing.yaml"
    line = edit(path, "category: policy\n", "category: policy\ncolour: red\n") + 1
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.line == line
    assert caught.value.key_path == "colour"
    assert "unknown key 'colour'" in str(caught.value)


def test_error_names_item_key_when_catalog_item_has_unknown_key(
    data_copy: Path, edit: Edit
) -> None:
    path = data_copy / "families" / "pricing.yaml"
    old = "  - id: pricing.cause.multipack_prices\n"
    line = edit(path, old, old + "    severity: high\n") + 1
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.line == line
    assert caught.value.key_path == "root_causes[2].severity"


def test_error_gives_line_when_yaml_syntax_is_broken(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "text" / "en" / "pricing.yaml"
    line = edit(path, "name: Fair pricing\n", "name: [Fair pricing\n")
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.path == str(path)
    assert caught.value.line is not None
    assert caught.value.line >= line
    assert "invalid YAML" in str(caught.value)


def test_error_names_duplicate_key_when_text_file_repeats_a_key(
    data_copy: Path, edit: Edit
) -> None:
    path = data_copy / "text" / "en" / "pricing.yaml"
    line = edit(path, "name: Fair pricing\n", "name: Fair pricing\nname: Pricing\n") + 1
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.line == line
    assert "duplicate key 'name'" in str(caught.value)


def test_error_names_question_when_suggested_answer_does_not_exist(
    data_copy: Path, edit: Edit
) -> None:
    path = data_copy / "families" / "pricing.yaml"
    # The first list entry indented this deep is the root-cause question's first suggestion.
    old = "        - pricing.cause.repricer_without_ceiling\n"
    line = edit(path, old, "        - pricing.cause.moon_phase\n")
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.line == line
    assert caught.value.key_path == "questions.root_cause[0].suggested[0]"
    assert "pricing.cause.moon_phase" in str(caught.value)


def test_error_names_both_places_when_an_id_is_used_twice(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "pricing.yaml"
    edit(path, "id: pricing.cause.multipack_prices", "id: pricing.cause.stale_reference_prices")
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert "already used" in str(caught.value)
    assert "pricing.cause.stale_reference_prices" in str(caught.value)


def test_error_when_family_id_differs_from_file_name(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "pricing.yaml"
    edit(path, "id: pricing\n", "id: prices\n")
    with pytest.raises(KnowledgeFileError) as caught:
        Knowledge.load(data_copy)
    assert caught.value.line == 5
    assert "differs from the file name" in str(caught.value)


def test_error_when_item_id_lacks_family_prefix(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "pricing.yaml"
    edit(path, "id: pricing.cause.multipack_prices", "id: other.cause.multipack_prices")
    with pytest.raises(KnowledgeFileError, match=r"must start with 'pricing\.'"):
        Knowledge.load(data_copy)


def test_error_when_vendor_item_sits_in_seller_only_family(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "pricing.yaml"
    old = "  - id: pricing.cause.multipack_prices\n"
    edit(path, old, old + "    audience: vendor\n")
    with pytest.raises(KnowledgeFileError, match="not among the family's account_types"):
        Knowledge.load(data_copy)


def test_error_when_item_uses_undeclared_placeholder(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "pricing.yaml"
    edit(path, "placeholders: [tool]", "placeholders: [spreadsheet]")
    with pytest.raises(KnowledgeFileError, match="unknown placeholder 'spreadsheet'"):
        Knowledge.load(data_copy)


def test_error_when_threshold_metric_is_not_a_family_metric(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "late_shipment.yaml"
    edit(path, "    metric: late_shipment_rate\n", "    metric: order_defect_rate\n")
    with pytest.raises(KnowledgeFileError, match="not listed in the family's metrics"):
        Knowledge.load(data_copy)


def test_error_when_default_answer_is_not_suggested(data_copy: Path, edit: Edit) -> None:
    path = data_copy / "families" / "pricing.yaml"
    edit(
        path,
        "default: [pricing.cause.repricer_without_ceiling]",
        "default: [pricing.cause.excessive_shipping_x]",
    )
    with pytest.raises(KnowledgeFileError, match="not among the suggested answers"):
        Knowledge.load(data_copy)


def test_error_when_template_names_unknown_section(data_copy: Path, edit: Edit) -> None:
    edit(
        data_copy / "general.yaml",
        "      - general.section.evidence\n",
        "      - general.section.x\n",
    )
    with pytest.raises(KnowledgeFileError, match=r"unknown section 'general\.section\.x'"):
        Knowledge.load(data_copy)


def test_error_when_file_is_empty(data_copy: Path) -> None:
    path = data_copy / "families" / "pricing.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="the file is empty"):
        Knowledge.load(data_copy)


def test_error_when_directory_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeFileError, match="does not exist"):
        Knowledge.load(tmp_path / "nowhere")


def test_format_path_brackets_keys_that_contain_dots() -> None:
    assert format_path(("questions", "root_cause", 0, "id")) == "questions.root_cause[0].id"
    assert format_path(("rules", "a.rule.b", "text")) == 'rules["a.rule.b"].text'
    assert format_path(()) == "(top level)"
