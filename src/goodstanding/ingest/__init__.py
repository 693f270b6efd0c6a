"""Report parsers: Amazon's report files and goodstanding's templates into canonical Arrow batches.

``read_report(path)`` detects the report type from the header (``detect_type``), decodes the
file (UTF-8, UTF-8 with BOM, UTF-16, Windows line ends), and streams validated record batches
shaped like ``tables.TABLES[type]`` plus ``x_<header>`` string columns for unmodelled report
columns. Any malformed input raises ``errors.ReportFormatError`` naming the file, line, column and
what to do.
``performance_v2`` JSON gives a ``snapshot`` dict instead of batches.
"""

from goodstanding.ingest.dates import DATE_FORMATS
from goodstanding.ingest.detect import detect_type
from goodstanding.ingest.formats import FORMATS, ORDER_HEADERS, Column, ReportFormat
from goodstanding.ingest.report import ParsedReport, Progress, read_report
from goodstanding.ingest.templates import TEMPLATES, TemplateColumn, TemplateSpec, write_templates

__all__ = [
    "DATE_FORMATS",
    "FORMATS",
    "ORDER_HEADERS",
    "TEMPLATES",
    "Column",
    "ParsedReport",
    "Progress",
    "ReportFormat",
    "TemplateColumn",
    "TemplateSpec",
    "detect_type",
    "read_report",
    "write_templates",
]
