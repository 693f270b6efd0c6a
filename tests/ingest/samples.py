"""Builders of real-format report files, and readers of their rows, for the ingest tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from goodstanding.ingest import ORDER_HEADERS, ParsedReport, read_report

ORDER_DEFAULTS: Mapping[str, str] = {
    "amazon-order-id": "111-0000001-0000001",
    "purchase-date": "2026-03-01T10:00:00+00:00",
    "last-updated-date": "2026-03-02T10:00:00+00:00",
    "order-status": "Shipped",
    "fulfillment-channel": "Merchant",
    "sales-channel": "Amazon.com",
    "ship-service-level": "Standard",
    "product-name": "Blue mug",
    "sku": "MUG-1",
    "asin": "B000000001",
    "item-status": "Shipped",
    "quantity": "1",
    "currency": "USD",
    "item-price": "12.50",
    "ship-country": "US",
}

Writer = Callable[..., Path]


def tsv(
    header: Sequence[str], rows: Sequence[Mapping[str, str]], defaults: Mapping[str, str]
) -> str:
    """A tab-separated file's text: the header, then each row (missing cells from ``defaults``)."""
    lines = ["\t".join(header)]
    for row in rows:
        lines.append("\t".join(row.get(h, defaults.get(h, "")) for h in header))
    return "\n".join(lines) + "\n"


def orders_text(rows: Sequence[Mapping[str, str]], header: Sequence[str] | None = None) -> str:
    """An all-orders report (2024 era unless another header is given)."""
    return tsv(header or ORDER_HEADERS["2024"], rows, ORDER_DEFAULTS)


def rows_of(report: ParsedReport, *, block_size: int | None = None) -> list[dict[str, Any]]:
    """Every row of a report as dicts (optionally read in tiny blocks, to cross chunk edges)."""
    if block_size is not None:
        report = dataclasses.replace(report, _block_size=block_size)
    table = pa.Table.from_batches(list(report.iter_batches()))
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def read_rows(path: Path, **options: Any) -> list[dict[str, Any]]:
    """Read a file with :func:`read_report` and return its rows as dicts."""
    return rows_of(read_report(path, **options))
