"""The public surface of goodstanding.ingest, which the store, CLI and demo code against."""

from __future__ import annotations

import dataclasses
import inspect

import goodstanding.ingest as ingest
from goodstanding.tables import REPORT_TYPES


def test_all_is_sorted_and_importable() -> None:
    # isort style, as ruff keeps it: constants, then classes, then functions.
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert ingest.__all__ == sorted(ingest.__all__, key=kind)
    for name in ingest.__all__:
        assert getattr(ingest, name) is not None


def test_read_report_signature_is_the_agreed_one() -> None:
    parameters = inspect.signature(ingest.read_report).parameters
    assert list(parameters) == ["path", "report_type", "date_format", "marketplace"]
    assert all(
        parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
        for name in ("report_type", "date_format", "marketplace")
    )


def test_parsed_report_exposes_the_agreed_attributes() -> None:
    fields = {field.name for field in dataclasses.fields(ingest.ParsedReport)}
    assert {"path", "report_type", "snapshot"} <= fields
    assert {"sha256", "iter_batches", "schema"} <= set(dir(ingest.ParsedReport))
    assert set(ingest.FORMATS) | {"performance_v2"} == set(REPORT_TYPES)
