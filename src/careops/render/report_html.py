"""The monthly report as one html page that opens offline: plotly charts, then every section's table.

The plotly.js bundle is inlined once, so the file can be mailed or kept on a share and opened without a
network. Charts are drawn at a fixed size that fits an A4 page, so a printed page looks like the screen.
Only the charts look for particular sections (p1, register, register_by, followups) and the trend; a chart
without figures is replaced by one line saying so.
"""

from __future__ import annotations

from html import escape

from careops.i18n import Text, _
from careops.render.report import (
    FIGURE_COLUMN,
    NO_ROWS,
    VALUE_COLUMN,
    compared_with,
    figure_and_change,
    generated,
    heading,
    readable,
    scope,
)
from careops.report.model import TEXT, Report, Section

# What this module says to people (one place, ready for translation)
LANG = _("en")
CHARTS = _("Charts")
FIGURES = _("Figures")
NO_DATA = _("No data this month.")
CHART_COVERAGE = _("Visit coverage per butler")
AXIS_COVERAGE = _("Households contacted (%)")
THIS_MONTH = _("this month")
LAST_MONTH = _("last month")
CHART_REGISTER = _("Register: received and answered on time")
AXIS_RECEIVED = _("Received")
AXIS_ON_TIME = _("Answered on time (%)")
CHART_REGISTER_BY = _("Register: received by kind")
CHART_FOLLOWUPS = _("Follow-ups by clause")
AXIS_FOLLOWUPS = _("Follow-ups")
FOLLOWUP_SERIES = {
    "created": _("created"),
    "done_on_time": _("done on time"),
    "done_late": _("done late"),
    "cancelled": _("cancelled"),
    "ended": _("missed or lapsed"),
    "open_overdue": _("open, overdue"),
}  # used when the section does not label them itself
CHART_TREND = _("The last six months")
AXIS_PERCENT = _("%")
TREND_SERIES = {
    "coverage_pct": _("visit coverage"),
    "answered_on_time_pct": _("register answered on time"),
    "followups_done_on_time_pct": _("follow-ups done on time"),
}

WIDTH, HEIGHT = (
    560,
    320,
)  # px: two charts side by side on a 1200 px screen, one fits an A4 page's width
FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
PLOT_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": False}

STYLE = """
:root { color-scheme: light; }
body { font-family: @FONTS@; color: #1a1a1a; background: #fff; margin: 0 auto; padding: 16px 24px; max-width: 1200px;
       line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; break-after: avoid; page-break-after: avoid; }
.scope { color: #555; margin: 0 0 16px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.no-chart { width: @WIDTH@px; }
.no-chart p { color: #555; font-style: italic; }
.clause { color: #555; font-weight: normal; font-size: 0.85em; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 10px; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #888; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.change { color: #555; font-size: 0.9em; }
.note { color: #444; font-size: 0.9em; margin: 4px 0 0; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; background: #fff; color: #000; }
  .charts { display: block; }
  figure { margin-bottom: 12px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  section.report-section { break-inside: auto; }
}
""".replace("@FONTS@", FONTS).replace("@WIDTH@", str(WIDTH))


def html_page(report: Report) -> str:
    """The whole page: heading, charts, then each section's table with its changes (▲/▼)."""
    import plotly.offline

    title = escape(heading(report))
    parts = [
        f'<!DOCTYPE html>\n<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
        f"<style>{STYLE}</style>\n<script>{plotly.offline.get_plotlyjs()}</script>\n</head>\n<body>\n",
        f"<header><h1>{title}</h1>\n"
        '<p class="scope">'
        f"{escape(' · '.join((scope(report), compared_with(report), generated(report))))}"
        "</p></header>\n",
        f'<h2>{escape(str(CHARTS))}</h2>\n<div class="charts">\n',
        *(chart_html(name, caption, fig) for name, caption, fig in charts(report)),
        f"</div>\n<h2>{escape(str(FIGURES))}</h2>\n",
        *(section_html(section) for section in report.sections),
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def chart_html(name: str, caption: Text, fig: object) -> str:
    if fig is None:
        return (
            f'<figure class="no-chart" data-chart="{name}"><figcaption>{escape(str(caption))}</figcaption>\n'
            f"<p>{escape(str(NO_DATA))}</p></figure>\n"
        )
    import plotly.io

    plot = plotly.io.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{name}",
        config=PLOT_CONFIG,
        default_width=f"{WIDTH}px",
        default_height=f"{HEIGHT}px",
    )
    return (
        f"<figure><figcaption>{escape(str(caption))}</figcaption>\n"
        f'<div class="chart" data-chart="{name}">{plot}</div></figure>\n'
    )


def section_html(section: Section) -> str:
    out = [
        f'<section class="report-section" id="section-{escape(section.key)}">\n<h2>{escape(section.title)}'
        + (f' <span class="clause">{escape(section.clause)}</span>' if section.clause else "")
        + "</h2>\n"
    ]
    if not section.rows:
        out.append(f"<p>{escape(str(NO_ROWS))}</p>\n")
    elif readable(section)[0] is not section.columns:  # one row of many figures: one figure a line
        row = section.rows[0]
        out.append(
            f'<table>\n<thead><tr><th>{escape(str(FIGURE_COLUMN))}</th><th class="num">{escape(str(VALUE_COLUMN))}</th>'
            "</tr></thead>\n<tbody>\n"
        )
        out += [
            f'<tr><td>{escape(c.label)}</td><td class="num">{_cell(c, row)}</td></tr>\n'
            for c in section.columns
        ]
        out.append("</tbody>\n</table>\n")
    else:
        kinds = ["" if c.kind == TEXT else ' class="num"' for c in section.columns]
        out.append(
            "<table>\n<thead><tr>"
            + "".join(
                f"<th{k}>{escape(c.label)}</th>"
                for c, k in zip(section.columns, kinds, strict=False)
            )
            + "</tr></thead>\n<tbody>\n"
        )
        for row in section.rows:
            out.append(
                "<tr>"
                + "".join(
                    f"<td{k}>{_cell(c, row)}</td>"
                    for c, k in zip(section.columns, kinds, strict=False)
                )
                + "</tr>\n"
            )
        out.append("</tbody>\n</table>\n")
    if section.note:
        out.append(f'<p class="note">{escape(section.note)}</p>\n')
    out.append("</section>\n")
    return "".join(out)


def _cell(column, row: dict) -> str:
    """The figure, then its change in a quieter span: `85.2% <span class="change">▲3.1</span>`."""
    text, change = figure_and_change(column, row)
    return escape(text) + (f' <span class="change">{escape(change)}</span>' if change else "")


# The charts: (name, caption, figure or None when there is nothing to draw).


def charts(report: Report) -> list[tuple[str, Text, object]]:
    return [
        ("coverage", CHART_COVERAGE, coverage_chart(report.section("p1"))),
        ("register", CHART_REGISTER, register_chart(report)),
        ("register_by", CHART_REGISTER_BY, register_by_chart(report.section("register_by"))),
        ("followups", CHART_FOLLOWUPS, followups_chart(report.section("followups"))),
        ("trend", CHART_TREND, trend_chart(report.trend)),
    ]


def _figure(*traces, height: int = HEIGHT, **layout):
    import plotly.graph_objects as go

    fig = go.Figure(data=list(traces))
    fig.update_layout(
        template="plotly_white",
        width=WIDTH,
        height=height,
        font={"family": FONTS, "size": 12},
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        legend={"orientation": "h", "y": -0.2},
        **layout,
    )
    return fig


def _label(*parts) -> str:
    """A name as plotly shows it: plotly reads a little html in labels, so names are escaped."""
    return escape(" · ".join(str(p) for p in parts if p not in (None, "")), quote=False)


def _has(values) -> bool:
    return any(v is not None for v in values)


def coverage_chart(section: Section | None):
    rows = [r for r in (section.rows if section else []) if r.get("coverage_pct") is not None]
    if not rows:
        return None
    import plotly.graph_objects as go

    names = [_label(r.get("staff"), r.get("zone")) for r in rows]
    before = [(r.get("previous") or {}).get("coverage_pct") for r in rows]
    traces = [
        go.Bar(
            x=[r["coverage_pct"] for r in rows], y=names, orientation="h", name=_label(THIS_MONTH)
        )
    ]
    if _has(before):
        traces.append(
            go.Scatter(
                x=before,
                y=names,
                mode="markers",
                name=_label(LAST_MONTH),
                marker={
                    "symbol": "line-ns-open",
                    "size": 16,
                    "color": "#333",
                    "line": {"width": 2},
                },
            )
        )
    return _figure(
        *traces,
        height=max(HEIGHT, 110 + 26 * len(rows)),
        xaxis={"title": {"text": _label(AXIS_COVERAGE)}, "range": [0, 102]},
        yaxis={"autorange": "reversed", "automargin": True},
    )


def register_chart(report: Report):
    months = [t.get("month") for t in report.trend]
    received = [t.get("received") for t in report.trend]
    on_time = [t.get("answered_on_time_pct") for t in report.trend]
    register = report.section("register")
    if not _has(received) and not _has(on_time) and register and register.rows:
        # no trend: this month's one row, as counted in the section
        months, received, on_time = (
            [report.month.strftime("%Y-%m")],
            [register.rows[0].get("received")],
            [None],
        )
    if not _has(received) and not _has(on_time):
        return None
    import plotly.graph_objects as go

    traces = [go.Bar(x=months, y=received, name=_label(AXIS_RECEIVED))]
    if _has(on_time):
        traces.append(
            go.Scatter(
                x=months, y=on_time, yaxis="y2", mode="lines+markers", name=_label(AXIS_ON_TIME)
            )
        )
    return _figure(
        *traces,
        xaxis={"type": "category"},
        yaxis={"title": {"text": _label(AXIS_RECEIVED)}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": _label(AXIS_ON_TIME)},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "tickmode": "auto",
            "showgrid": False,
        },
    )


def register_by_chart(section: Section | None):
    rows = [r for r in (section.rows if section else []) if r.get("received") is not None]
    if not rows:
        return None
    import plotly.graph_objects as go

    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(str(row.get("by") or ""), []).append(row)
    traces = [
        go.Bar(
            x=[r["received"] for r in group],
            y=[_label(by, r.get("value")) for r in group],
            orientation="h",
            name=_label(by),
        )
        for by, group in groups.items()
    ]
    return _figure(
        *traces,
        height=max(HEIGHT, 110 + 26 * len(rows)),
        showlegend=False,
        xaxis={"title": {"text": _label(AXIS_RECEIVED)}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True},
    )


def followups_chart(section: Section | None):
    if section is None or not section.rows:
        return None
    labels = {c.key: c.label for c in section.columns}
    series = [key for key in FOLLOWUP_SERIES if _has(r.get(key) for r in section.rows)]
    if not series:
        return None
    import plotly.graph_objects as go

    clauses = [_label(r.get("clause")) for r in section.rows]
    traces = [
        go.Bar(
            x=clauses,
            y=[r.get(key) for r in section.rows],
            name=_label(labels.get(key, FOLLOWUP_SERIES[key])),
        )
        for key in series
    ]
    return _figure(
        *traces,
        barmode="group",
        xaxis={"type": "category"},
        yaxis={"title": {"text": _label(AXIS_FOLLOWUPS)}, "rangemode": "tozero"},
    )


def trend_chart(trend: list[dict]):
    months = [t.get("month") for t in trend]
    series = [key for key in TREND_SERIES if _has(t.get(key) for t in trend)]
    if not series:
        return None
    import plotly.graph_objects as go

    traces = [
        go.Scatter(
            x=months,
            y=[t.get(key) for t in trend],
            mode="lines+markers",
            name=_label(TREND_SERIES[key]),
        )
        for key in series
    ]
    return _figure(
        *traces,
        xaxis={"type": "category"},
        yaxis={"title": {"text": _label(AXIS_PERCENT)}, "range": [0, 100]},
    )
