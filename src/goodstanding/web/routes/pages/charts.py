"""Vega-Lite specs for the pages, built with Altair (the browser renders them with vega-embed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from goodstanding.web.i18n import Translator

__all__ = ["bar_chart", "trend_chart"]

_STATUS_COLOURS = {"ours": "#1f5fbf", "amazon": "#f4a300"}


def _data(values: Sequence[Mapping[str, Any]]) -> Any:
    return alt.Data(values=list(values))  # type: ignore[no-untyped-call]


def _base_config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec.setdefault("config", {})
    spec["config"].update({"view": {"stroke": None}, "axis": {"labelFontSize": 11}})
    return spec


def trend_chart(
    points: Sequence[Mapping[str, Any]],
    *,
    target: float | None,
    tr: Translator,
    percent: bool = True,
) -> dict[str, Any]:
    """A line per source (our recompute, Amazon's snapshot) of a metric's value over as-of dates.

    Args:
        points: ``{"as_of": "YYYY-MM-DD", "value": float | None, "source": "ours"|"amazon"}``.
        target: the target drawn as a dashed rule, if any.
        tr: the UI language (axis titles and legend).
        percent: show values as percentages.
    """
    names = {"ours": tr.gettext("Our figure"), "amazon": tr.gettext("Amazon's figure")}
    rows = [
        {"as_of": p["as_of"], "value": p["value"], "source": names.get(p["source"], p["source"])}
        for p in points
        if p.get("value") is not None
    ]
    value_format = ".2%" if percent else ",.0f"
    axis_date, axis_value = tr.gettext("As-of date"), tr.gettext("Value")
    colour = alt.Color(
        "source:N",
        title=None,
        scale=alt.Scale(domain=list(names.values()), range=list(_STATUS_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
    lines = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("as_of:T", title=axis_date),
            y=alt.Y("value:Q", title=axis_value, axis=alt.Axis(format=value_format)),
            color=colour,
            tooltip=[
                alt.Tooltip("as_of:T", title=axis_date),
                alt.Tooltip("value:Q", title=axis_value, format=value_format),
                alt.Tooltip("source:N", title=tr.gettext("Source")),
            ],
        )
    )
    layers: list[alt.Chart] = [lines]
    if target is not None:
        layers.append(
            alt.Chart(_data([{"target": target}]))
            .mark_rule(strokeDash=[4, 4], color="#b42318")
            .encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(width="container", height=140)
    return _base_config(chart)


def bar_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    colour: str | None = None,
    colour_title: str | None = None,
    temporal: bool = False,
) -> dict[str, Any]:
    """A bar chart of ``rows`` (stacked by ``colour`` when given)."""
    encoding: dict[str, Any] = {
        "x": alt.X(f"{x}:{'T' if temporal else 'N'}", title=x_title, sort=None),
        "y": alt.Y(f"{y}:Q", title=y_title),
        "tooltip": [alt.Tooltip(f"{x}:N", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title)],
    }
    if colour:
        encoding["color"] = alt.Color(
            f"{colour}:N", title=colour_title, legend=alt.Legend(orient="bottom")
        )
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(**encoding)
        .properties(width="container", height=180)
    )
    return _base_config(chart)
