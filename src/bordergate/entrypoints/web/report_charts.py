"""The statistics' bar charts as geometry a template draws in SVG: no script, nothing for the phone to compute."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

WIDTH = 480
LABEL = 110  # the unit's code on the left
ROOM = 300  # the longest bar; its figure is written after it
BAR, GAP = 14, 10
COLOURS = {"received": "#1f5fbf", "answered": "#2e7d32", "on_time": "#00796b", "days": "#8a6200"}


def bar_chart(title: str, rows: list[tuple[str, list[tuple[str, float | None, str]]]],
              legend: list[tuple[str, str]], top: float | None = None) -> dict[str, Any]:
    """Horizontal bars, one group a row: ``rows`` are (label, [(series, value, written)]); ``top`` the scale's
    end (the largest value when None). A missing value draws no bar and says so."""
    values = [v for _, bars in rows for _, v, _ in bars if v is not None]
    scale = top if top is not None else max(values, default=0) or 1
    drawn, y = [], 0
    for label, bars in rows:
        group = []
        for series, value, written in bars:
            width = 0 if not value else max(1, round(ROOM * min(value, scale) / scale))
            group.append({"y": y, "width": width, "colour": COLOURS[series], "written": written,
                          "text_x": LABEL + width + 4, "text_y": y + BAR - 3})
            y += BAR + 2
        drawn.append({"label": label, "label_y": group[0]["y"] + BAR - 3, "bars": group})
        y += GAP
    return {"title": title, "rows": drawn, "legend": [{"colour": COLOURS[s], "name": n} for s, n in legend],
            "width": WIDTH, "height": max(y, BAR), "label_width": LABEL}


def stats_charts(figures: dict[str, Any], _: Callable[..., str]) -> list[dict[str, Any]]:
    """Received and answered, on time, and the median working days, per unit."""
    units = figures["units"]

    def whole(v: float | None) -> str:
        return "–" if v is None else f"{v:g}"
    return [
        bar_chart(_("Received and answered"), [(u["unit_code"], [
            ("received", u["received"], str(u["received"])), ("answered", u["answered"], str(u["answered"]))])
            for u in units], [("received", _("Received")), ("answered", _("Answered"))]),
        bar_chart(_("Answered on time (%)"), [(u["unit_code"], [
            ("on_time", u["on_time_percent"], whole(u["on_time_percent"]) + ("%" if u["on_time_percent"] is not None
                                                                             else ""))])
            for u in units], [("on_time", _("Answered on time (%)"))], top=100),
        bar_chart(_("Median working days to answer"), [(u["unit_code"], [
            ("days", u["median_working_days"], whole(u["median_working_days"]))]) for u in units],
            [("days", _("Median working days to answer"))]),
    ]
