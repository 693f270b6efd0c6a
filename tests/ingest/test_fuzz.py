"""Property tests: whatever bytes arrive, the parsers read them or raise ReportFormatError."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodstanding.errors import ReportFormatError
from goodstanding.ingest import DATE_FORMATS, detect_type, read_report
from goodstanding.tables import REPORT_TYPES

from .samples import orders_text

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SEEDS = {
    "orders": orders_text(
        [
            {"amazon-order-id": "111-1", "purchase-date": "2026-03-01T20:30:00-07:00"},
            {"amazon-order-id": "111-2", "fulfillment-channel": "Amazon", "item-price": ""},
            {"amazon-order-id": "111-3", "quantity": "3", "product-name": 'Mug 12" «x»'},
        ]
    ),
    "feedback": (
        "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
        "15/03/2026\t1\tLate\t\t111-1\ta@b.c\n03/04/2026\t2\t\tSorry\t111-2\t\n"
    ),
    "claims": (
        "order-id,claim-id,filed-at,reason,status,buy-shipping\n"
        '111-1,C1,2026-03-01,other,pending,Y\n111-2,"C,2",2026-03-02T10:00:00Z,'
        "item_not_received,denied,\n"
    ),
    "returns": (
        "Order ID\tOrder date\tReturn request date\tA-to-Z Claim\tReturn quantity\t"
        "Return Reason\tRefunded Amount\n111-1\t01-Jul-2025\t10-Jul-2025\tN\t1\tCR-X\t12,50\n"
    ),
}


def consume(path: Path, **options: Any) -> None:
    """Read a file to the end; any error other than ReportFormatError fails the test."""
    try:
        detected = detect_type(path)
        assert detected in REPORT_TYPES
    except ReportFormatError:
        pass
    try:
        report = read_report(path, **options)
        report = dataclasses.replace(report, _block_size=64)
        schema = report.schema
        last_line = 0
        for batch in report.iter_batches():
            assert batch.schema == schema
            lines = batch.column("line").to_pylist()
            assert lines == sorted(lines) and (not lines or lines[0] > last_line)
            last_line = lines[-1] if lines else last_line
        assert len(report.sha256) == 64
    except ReportFormatError as error:
        assert str(error).startswith(str(path))


def mutate(data: st.DataObject, text: bytes) -> bytes:
    """Apply a few random byte-level edits typical of damaged or hand-edited files."""
    pieces = [
        b"\t", b"\n", b"\r", b"\r\n", b",", b'"', b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf",
        b"-1", b"13/13/2026", b"2026-02-30", b"Amazon", b"", b" ", b"\xe2\x80\xa8", b"12,5",
    ]  # fmt: skip
    edits = data.draw(st.integers(min_value=1, max_value=4))
    for _ in range(edits):
        at = data.draw(st.integers(min_value=0, max_value=len(text)))
        kind = data.draw(st.sampled_from(["insert", "delete", "replace", "cut", "dup-line"]))
        piece = data.draw(st.sampled_from(pieces))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 8)) :]
        elif kind == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        elif kind == "cut":
            text = text[:at]
        else:
            lines = text.split(b"\n")
            index = min(at, len(lines) - 1)
            lines.insert(index, lines[index])
            text = b"\n".join(lines)
    return text


OPTIONS = st.fixed_dictionaries(
    {
        "date_format": st.one_of(st.none(), st.sampled_from(DATE_FORMATS)),
        "marketplace": st.one_of(st.none(), st.sampled_from(["Amazon.de", "Amazon.com", "x"])),
    }
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(content=st.binary(max_size=600), options=OPTIONS)
def test_random_bytes_only_raise_report_format_errors(
    fuzz_dir: Path, content: bytes, options: dict[str, Any]
) -> None:
    path = fuzz_dir / "random.bin"
    path.write_bytes(content)
    consume(path, **options)


@FUZZ
@given(
    seed=st.sampled_from(list(SEEDS)),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    data=st.data(),
    options=OPTIONS,
)
def test_mutated_reports_only_raise_report_format_errors(
    fuzz_dir: Path, seed: str, encoding: str, data: st.DataObject, options: dict[str, Any]
) -> None:
    text = mutate(data, SEEDS[seed].encode("utf-8"))
    if encoding != "utf-8":
        text = text.decode("utf-8", errors="replace").encode(encoding)
    path = fuzz_dir / f"{seed}.txt"
    path.write_bytes(text)
    consume(path, **options)


@FUZZ
@given(
    cells=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=12), min_size=1, max_size=8),
    seed=st.sampled_from(list(SEEDS)),
)
def test_random_cells_under_real_headers_only_raise_report_format_errors(
    fuzz_dir: Path, cells: list[list[str]], seed: str
) -> None:
    header = SEEDS[seed].split("\n", 1)[0]
    delimiter = "," if "," in header else "\t"
    body = "\n".join(delimiter.join(row) for row in cells)
    path = fuzz_dir / f"cells-{seed}.txt"
    path.write_text(header + "\n" + body + "\n", encoding="utf-8", errors="surrogatepass")
    consume(path)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(
            [
                "marketplaceId", "orderDefectRate", "mfn", "afn", "orderCount", "rate",
                "reportingDateRange", "reportingDateTo", "reportingDateFrom", "targetValue",
                "targetCondition", "lateShipmentRateList", "status", "count", "claims",
                "accountHealthRating", "ahrScore", "validTrackingRate", "shipmentCount",
            ]
        ),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip


@FUZZ
@given(metrics=st.lists(JSON, max_size=3), statuses=JSON)
def test_random_performance_json_only_raises_report_format_errors(
    fuzz_dir: Path, metrics: list[Any], statuses: Any
) -> None:
    path = fuzz_dir / "v2.json"
    payload = {"accountStatuses": statuses, "performanceMetrics": metrics}
    path.write_text(json.dumps(payload), encoding="utf-8")
    try:
        report = read_report(path)
    except ReportFormatError:
        return
    snapshot = report.snapshot
    assert snapshot is not None
    json.dumps(snapshot)  # plain JSON values only
    pa.array([snapshot["as_of"]], pa.string())
