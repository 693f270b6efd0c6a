"""Which report a file is, from its header (metric-conventions.md §1), and where each column is."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from goodstanding.errors import ReportFormatError
from goodstanding.ingest.formats import FORMATS, ReportFormat, normalize_header
from goodstanding.ingest.source import Layout, read_text, sniff
from goodstanding.tables import REPORT_TYPES

_TYPES_HINT = (
    f"goodstanding reads these report types: {', '.join(REPORT_TYPES)}. If the file is one of "
    "them under other column names, pass --type TYPE; for your own data, start from the blank "
    "templates that `goodstanding templates DIR` writes."
)

# Share of a type's required columns a header must have before a miss is reported as "that type,
# with a column missing" rather than "no known type".
_NEAR_MISS = 0.5


@dataclass(frozen=True)
class HeaderMap:
    """Where each canonical column sits in a file.

    Attributes:
        fields: canonical column → (field position, header as written).
        extras: (field position, ``x_<header>`` column name) for every unmodelled column.
    """

    fields: dict[str, tuple[int, str]]
    extras: tuple[tuple[int, str], ...]


def _positions(header: tuple[str, ...]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        positions.setdefault(normalize_header(name), []).append(index)
    return positions


def _missing(report_format: ReportFormat, found: dict[str, list[int]]) -> list[str]:
    return [
        column.header
        for column in report_format.required
        if not any(name in found for name in column.headers)
    ]


def _found_text(header: tuple[str, ...]) -> str:
    shown = ", ".join(f"'{h}'" for h in header[:40])
    if len(header) > 40:
        shown += f" and {len(header) - 40} more"
    return shown or "none"


def _close_match(name: str, header: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, [h.lower() for h in header], n=1, cutoff=0.75)
    if not close:
        return None
    return next(h for h in header if h.lower() == close[0])


def _misspelt(missing: list[str], header: tuple[str, ...]) -> int:
    return sum(_close_match(name, header) is not None for name in missing)


def _missing_error(
    path: Path, report_format: ReportFormat, missing: list[str], header: tuple[str, ...], line: int
) -> ReportFormatError:
    names = ", ".join(f"'{m}'" for m in missing)
    plural = "s" if len(missing) > 1 else ""
    guesses = []
    for name in missing:
        written = _close_match(name, header)
        if written is not None:
            guesses.append(f"'{written}' for '{name}'")
    hint = f"Add the column{plural}, or check that this is the {report_format.title}."
    if guesses:
        hint = f"Rename {', '.join(guesses)} in the header, if that is what it holds. " + hint
    return ReportFormatError(
        path,
        f"the {report_format.title} ({report_format.report_type}) needs the column{plural} "
        f"{names}, missing from the header; found {_found_text(header)}",
        line=line,
        column=missing[0],
        hint=hint,
    )


def match_header(path: Path, header: tuple[str, ...], line: int = 1) -> str:
    """The report type whose required columns the header holds.

    Raises:
        ReportFormatError: no type matches (naming the known types and ``--type``), or the header
            is one column short of a type (naming the missing columns and those found).
    """
    found = _positions(header)
    complete: list[ReportFormat] = []
    near: list[tuple[float, ReportFormat, list[str]]] = []
    for report_format in FORMATS.values():
        missing = _missing(report_format, found)
        if not missing:
            complete.append(report_format)
        else:
            share = 1 - len(missing) / len(report_format.required)
            near.append((share, report_format, missing))
    if complete:
        complete.sort(key=lambda f: len(f.required), reverse=True)
        if len(complete) > 1 and len(complete[0].required) == len(complete[1].required):
            raise ReportFormatError(
                path,
                f"the header fits both {complete[0].report_type} and {complete[1].report_type}",
                line=line,
                hint="Pass --type to say which report this is.",
            )
        return complete[0].report_type
    # Rank near misses by the share of required columns present, then by how many of the
    # missing ones look misspelt in the header (claim_id for claim-id).
    ranked = sorted(
        ((share, _misspelt(missing, header), fmt, missing) for share, fmt, missing in near),
        key=lambda item: (item[0], item[1]),
        reverse=True,
    )
    if ranked and ranked[0][0] >= _NEAR_MISS:
        best = ranked[0]
        if len(ranked) == 1 or ranked[1][:2] < best[:2]:
            raise _missing_error(path, best[2], best[3], header, line)
    raise ReportFormatError(
        path,
        f"the header matches no report type goodstanding knows; found {_found_text(header)}",
        line=line,
        hint=_TYPES_HINT,
    )


def map_header(
    path: Path, report_format: ReportFormat, header: tuple[str, ...], line: int = 1
) -> HeaderMap:
    """Locate each canonical column of ``report_format`` in ``header``.

    Raises:
        ReportFormatError: a required column is missing, or two columns feed the same value.
    """
    found = _positions(header)
    missing = _missing(report_format, found)
    if missing:
        raise _missing_error(path, report_format, missing, header, line)
    fields: dict[str, tuple[int, str]] = {}
    used: set[int] = set()
    for column in report_format.columns:
        places = [i for name in column.headers for i in found.get(name, [])]
        if len(places) > 1:
            written = " and ".join(f"'{header[i]}'" for i in places)
            raise ReportFormatError(
                path,
                f"the header has {written}, which both give the {column.name} of a row",
                line=line,
                column=header[places[1]],
                hint="Remove or rename one of them.",
            )
        if places:
            fields[column.name] = (places[0], header[places[0]])
            used.add(places[0])
    extras: list[tuple[int, str]] = []
    taken: set[str] = set()
    for index, name in enumerate(header):
        if index in used:
            continue
        base = "x_" + (normalize_header(name) or f"column_{index + 1}")
        extra, suffix = base, 2
        while extra in taken:
            extra, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(extra)
        extras.append((index, extra))
    return HeaderMap(fields, tuple(extras))


def json_type(path: Path, layout: Layout, text: str | None = None) -> str:
    """The report type of a JSON file: only Amazon's V2 seller performance report is known.

    Raises:
        ReportFormatError: the JSON is not a V2 seller performance report.
    """
    head = text if text is not None else read_text(path, layout)[1][: 1 << 20]
    if '"performanceMetrics"' in head or '"accountStatuses"' in head:
        return "performance_v2"
    raise ReportFormatError(
        path,
        "this JSON file is not Amazon's seller performance report "
        "(GET_V2_SELLER_PERFORMANCE_REPORT): it has no performanceMetrics or accountStatuses",
        hint=_TYPES_HINT,
    )


def detect_type(path: Path) -> str:
    """The report type of a file, from its header (one of ``tables.REPORT_TYPES``).

    Raises:
        ReportFormatError: the file cannot be read as text, or matches no known report type.
    """
    path = Path(path)
    layout = sniff(path)
    if layout.json:
        return json_type(path, layout)
    return match_header(path, layout.header, layout.header_line)
