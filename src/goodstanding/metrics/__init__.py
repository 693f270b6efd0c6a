"""Account-health metrics as ibis expressions over the canonical tables, and what follows from them.

The metrics never open a connection or name an engine: they build ibis expressions from the tables
handed in and execute them on those tables' own backend (DuckDB or PySpark).
``metric-conventions.md`` §4–§6 is the contract: :func:`compute_health` writes its health JSON,
:func:`compute_summary` the monthly performance summary, :func:`compute_review` the monthly review
of returns and complaints, :func:`compute_forecast` the breach forecast and :func:`explain_metric`
one sentence per metric.
"""

from goodstanding.metrics.definitions import METRICS, MetricDefinition, Target
from goodstanding.metrics.explain import explain_metric
from goodstanding.metrics.forecast import compute_forecast, forecast_breaches
from goodstanding.metrics.health import compute_health, evaluate, to_json
from goodstanding.metrics.results import Defect, HealthEvaluation, MetricResult
from goodstanding.metrics.review import compute_review
from goodstanding.metrics.summary import compute_summary

__all__ = [  # noqa: RUF022 - plain sorted order, checked by a test
    "Defect",
    "HealthEvaluation",
    "METRICS",
    "MetricDefinition",
    "MetricResult",
    "Target",
    "compute_forecast",
    "compute_health",
    "compute_review",
    "compute_summary",
    "evaluate",
    "explain_metric",
    "forecast_breaches",
    "to_json",
]
