"""The monthly report's renderers: the same figures, and their changes, in every format."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from html import escape

import openpyxl
import pytest

from careops.errors import InvalidInput
from careops.render.report import figure, render_report, sheet_names, write_report
from careops.report.model import (
    COUNT,
    HOURS,
    NUMERIC,
    PCT,
    SCORE,
    TEXT,
    YESNO,
    Column,
    Report,
    Section,
)


def sample_report() -> Report:
    """Two butlers (one Chinese, one with characters that need escaping), follow-ups, an empty section."""
    p1_columns = [
        Column("staff", "Butler", TEXT),
        Column("zone", "Zone", TEXT),
        Column("households", "Households"),
        Column("missed", "Missed"),
        Column("coverage_pct", "Coverage", PCT),
    ]
    p1 = Section(
        "p1",
        "Visits per butler",
        "P1",
        p1_columns,
        note="Coverage: households contacted at least once.",
        rows=[
            {
                "staff": "王小明",
                "zone": "北区",
                "households": 12,
                "missed": 2,
                "coverage_pct": 85.2,
            },
            {
                "staff": "Ann <b>|Lee",
                "zone": "North",
                "households": 8,
                "missed": 0,
                "coverage_pct": None,
            },
        ],
    )
    p1.add_previous(
        Section(
            "p1",
            "",
            "",
            p1_columns,
            rows=[
                {
                    "staff": "王小明",
                    "zone": "北区",
                    "households": 10,
                    "missed": 4,
                    "coverage_pct": 82.1,
                }
            ],
        )
    )
    followups = Section(
        "followups",
        "Follow-ups",
        "H3.6, H3.5",
        [
            Column("clause", "Clause", TEXT),
            Column("created", "Created"),
            Column("done_on_time", "On time"),
            Column("done_late", "Late"),
            Column("open_overdue", "Overdue"),
            Column("median_hours_to_done", "Median time", HOURS),
            Column("met", "Met", YESNO),
        ],
        rows=[
            {
                "clause": "H3.6",
                "created": 5,
                "done_on_time": 3,
                "done_late": 1,
                "open_overdue": 1,
                "median_hours_to_done": 30.5,
                "met": False,
                "previous": {
                    "created": 5,
                    "done_on_time": 2,
                    "done_late": None,
                    "open_overdue": 0,
                    "median_hours_to_done": 40.0,
                },
            }
        ],
    )
    hr = Section("hr", "人事 leavers", "", [Column("n", "N", COUNT)])
    trend = [
        {
            "month": "2026-10",
            "coverage_pct": 82.1,
            "received": 10,
            "answered_on_time_pct": 80.0,
            "followups_done_on_time_pct": 50.0,
        },
        {
            "month": "2026-11",
            "coverage_pct": 85.2,
            "received": 12,
            "answered_on_time_pct": None,
            "followups_done_on_time_pct": 60.0,
        },
    ]
    return Report(
        month=date(2026, 11, 1),
        previous_month=date(2026, 10, 1),
        generated_at=datetime(2026, 12, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))),
        sections=[p1, followups, hr],
        trend=trend,
    )


def test_table_for_the_terminal():
    assert (
        render_report(sample_report(), "table").decode()
        == """\
Monthly report 2026-11 · whole site · compared with 2026-10

Visits per butler (P1)
Butler      ┃ Zone  ┃ Households ┃ Missed ┃   Coverage
━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━
王小明      │ 北区  │      12 ▲2 │   2 ▼2 │ 85.2% ▲3.1
Ann <b>|Lee │ North │       8 ▲8 │    0 = │          —
Coverage: households contacted at least once.

Follow-ups (H3.6, H3.5)
Clause ┃ Created ┃ On time ┃ Late ┃ Overdue ┃ Median time ┃ Met
━━━━━━━╇━━━━━━━━━╇━━━━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━
H3.6   │     5 = │    3 ▲1 │    1 │    1 ▲1 │  30.5h ▼9.5 │  no

人事 leavers
No figures this month.
"""
    )


def test_table_heading_names_the_scope():
    report = sample_report()
    report.zone, report.staff = "北区", "王小明"
    first = render_report(report, "table").decode().splitlines()[0]
    assert first == "Monthly report 2026-11 · zone 北区, staff 王小明 · compared with 2026-10"


def test_markdown():
    assert (
        render_report(sample_report(), "md").decode()
        == r"""# Monthly report 2026-11

whole site · compared with 2026-10 · generated 2026-12-01 08:00

## Visits per butler (P1)

| Butler | Zone | Households | Missed | Coverage |
| --- | --- | ---: | ---: | ---: |
| 王小明 | 北区 | 12 ▲2 | 2 ▼2 | 85.2% ▲3.1 |
| Ann \<b\>\|Lee | North | 8 ▲8 | 0 = | — |

Coverage: households contacted at least once.

## Follow-ups (H3.6, H3.5)

| Clause | Created | On time | Late | Overdue | Median time | Met |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| H3.6 | 5 = | 3 ▲1 | 1 | 1 ▲1 | 30.5h ▼9.5 | no |

## 人事 leavers

No figures this month.
"""
    )


def test_csv_is_one_long_table():
    assert (
        render_report(sample_report(), "csv").decode()
        == """\
section,clause,row,metric,value,previous,change
p1,P1,王小明 / 北区,households,12,10,2
p1,P1,王小明 / 北区,missed,2,4,-2
p1,P1,王小明 / 北区,coverage_pct,85.2,82.1,3.1
p1,P1,Ann <b>|Lee / North,households,8,0,8
p1,P1,Ann <b>|Lee / North,missed,0,0,0
p1,P1,Ann <b>|Lee / North,coverage_pct,,,
followups,"H3.6, H3.5",H3.6,created,5,5,0
followups,"H3.6, H3.5",H3.6,done_on_time,3,2,1
followups,"H3.6, H3.5",H3.6,done_late,1,,
followups,"H3.6, H3.5",H3.6,open_overdue,1,0,1
followups,"H3.6, H3.5",H3.6,median_hours_to_done,30.5,40.0,-9.5
followups,"H3.6, H3.5",H3.6,met,no,,
"""
    )


def test_json_is_the_reports_own():
    report = sample_report()
    expected = report.to_json() | {"generated_at": "2026-12-01T08:00:00+08:00"}
    assert json.loads(render_report(report, "json")) == expected


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (85.0, PCT, "85%"),
        (85.25, PCT, "85.2%"),
        (12, COUNT, "12"),
        (3.0, HOURS, "3h"),
        (True, YESNO, "yes"),
        (None, COUNT, "—"),
        (4.0, SCORE, "4.00"),
        (1234567.5, HOURS, "1234567.5h"),
    ],
)
def test_figures(value, kind, text):
    assert figure(value, kind) == text


def _xlsx(report: Report):
    return openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))


def test_xlsx_sheets_hold_the_json_numbers():
    report = sample_report()
    book = _xlsx(report)
    assert book.sheetnames == ["About", "Visits per butler", "Follow-ups", "人事 leavers"]
    about = [[c.value for c in row] for row in book["About"].iter_rows()]
    assert ["Month", "2026-11", None, None] in about and [
        "Compared with",
        "2026-10",
        None,
        None,
    ] in about
    assert ["Follow-ups", "Follow-ups", "H3.6, H3.5", None] in about
    for section in report.to_json()["sections"]:
        sheet = book[section["title"]]
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        assert all(c.font.bold for c in sheet[1])
        for i, row in enumerate(section["rows"], start=2):
            cells = dict(zip(header, sheet[i], strict=False))
            for column in section["columns"]:
                got = cells[column["label"]]
                if column["kind"] in NUMERIC:
                    assert got.value == row[column["key"]] and (
                        got.value is None or got.data_type == "n"
                    )
                    before = cells[column["label"] + " (prev.)"]
                    assert before.value == row["previous"][column["key"]]
                else:
                    assert got.value == {True: "yes", False: "no"}.get(
                        row[column["key"]], row[column["key"]]
                    )
    coverage = book["Visits per butler"]["G2"]
    assert coverage.value == 85.2 and coverage.number_format == '0.0"%"'


def test_xlsx_widths_count_chinese_twice():
    report = sample_report()
    report.sections[0].rows[0]["staff"] = "王小明王小明王小明王小明"  # 12 characters, 24 columns
    report.sections[0].rows[1]["staff"] = "Ann Lee"
    report.sections[0].rows[0]["zone"] = "Northern zone 12"  # 16 characters
    sheet = _xlsx(report)["Visits per butler"]
    assert sheet.column_dimensions["A"].width >= 24
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width >= 16


def test_xlsx_names_stay_text():
    report = sample_report()
    report.sections[0].rows[1]["staff"] = '=HYPERLINK("x")'
    cell = _xlsx(report)["Visits per butler"]["A3"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_sheet_names_are_short_unique_and_allowed():
    columns = [Column("n", "N")]
    titles = [
        "A very long section title that Excel would refuse",
        "A very long section title that Excel would refuse",
        "about",
        "Who? [this/that]",
        "",
    ]
    names = sheet_names([Section(f"k{i}", t, "", columns) for i, t in enumerate(titles)])
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names} | {"about"}) == len(names) + 1
    assert names[3] == "Who- -this-that-" and names[4] == "k4"


def _figures(report: Report):
    """Every figure as a table shows it, and every change."""
    from careops.render.report import figure_and_change

    for section in report.sections:
        for row in section.rows:
            for column in section.columns:
                yield figure_and_change(column, row)


def test_html_shows_every_figure_escaped_and_offline():
    report = sample_report()
    page = render_report(report, "html").decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    text = re.sub(r"<[^>]+>", "", page.split("<body>", 1)[1])
    for value, change in _figures(report):
        assert escape(value) in text and change in text
    assert "Ann &lt;b&gt;|Lee" in page and "Ann <b>" not in page
    assert "Coverage: households contacted at least once." in page and "H3.6, H3.5" in page
    assert not re.search(
        r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I
    )
    assert (
        page.count("* plotly.js v") == 1 and page.count("<script") == 1 + 4
    )  # the bundle, then the four charts
    assert "@media print" in page
    for name in ("coverage", "register", "followups", "trend"):
        assert f'class="chart" data-chart="{name}"' in page
    assert 'class="no-chart" data-chart="register_by"' in page and "No data this month." in page


def test_html_without_data_says_so():
    report = sample_report()
    report.sections, report.trend = [], []
    page = render_report(report, "html").decode()
    assert 'class="chart"' not in page
    assert page.count('class="no-chart"') == 5


def test_unknown_format_is_refused():
    with pytest.raises(InvalidInput, match="choose one of table, md, json, csv, xlsx, html"):
        render_report(sample_report(), "pdf")


def test_write_report_to_a_file_and_streams(tmp_path):
    report = sample_report()
    write_report(report, "xlsx", tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    text = io.StringIO()
    write_report(report, "csv", text)
    assert text.getvalue() == render_report(report, "csv").decode()
    binary = io.BytesIO()
    write_report(report, "md", binary)
    assert binary.getvalue() == render_report(report, "md")


def test_write_report_keeps_files_off_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    with pytest.raises(InvalidInput, match=r"--out report\.xlsx"):
        write_report(sample_report(), "xlsx", Terminal())


def long_list() -> Report:
    """A list of 23 households (P1's missed ones): the terminal shows the first 20 and says how many."""
    columns = [
        Column("household", "Household", TEXT),
        Column("unit", "Unit", TEXT),
        Column("last_contact", "Last contact", TEXT),
    ]
    rows = [
        {"household": f"Owner {n}", "unit": f"1-{n:03d}", "last_contact": date(2026, 10, n)}
        for n in range(1, 24)
    ]
    missed = Section("p1_missed", "Not contacted", "P1", columns, rows, shown=20)
    missed.add_previous(Section("p1_missed", "", "", columns))
    return Report(
        month=date(2026, 11, 1),
        previous_month=date(2026, 10, 1),
        generated_at=datetime(2026, 12, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))),
        sections=[missed],
    )


def test_a_long_list_shows_its_first_rows_and_the_count_on_a_terminal_and_all_elsewhere():
    report = long_list()
    lines = render_report(report, "table").decode().splitlines()
    assert [line.split()[1] for line in lines if line.startswith("Owner ")] == [
        str(n) for n in range(1, 21)
    ]
    assert lines[-1] == "The first 20 of 23: the xlsx and html formats list them all."
    assert "Owner 20  │ 1-020 │ 2026-10-20" in lines
    sheet = _xlsx(report)["Not contacted"]
    assert [c.value for c in sheet["A"]][1:] == [f"Owner {n}" for n in range(1, 24)]
    page = render_report(report, "html").decode()
    assert all(f"Owner {n}<" in page for n in range(1, 24))
    assert "The first 20" not in page
    assert len(report.to_json()["sections"][0]["rows"]) == 23
