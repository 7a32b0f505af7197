"""CLI: `careops report monthly` on a small known site, October 2026 against September.

The exact P1/P3 figures are checked in JSON; then every figure of every section is checked to be the same
number in the CSV, the workbook and the html page (the issue: "every format carries the same numbers").
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import ok, refused

NOW = "2026-11-27 08:30"


def visit(cli, ref: str, by: str, at: str, channel: str):
    return ok(cli, "log-visit", ref, "--by", by, "--at", at, "--channel", channel, now=at)


@pytest.fixture
def site(cli):
    """Zone A (Wang Fang): Zhang San 1-1-101, 李四 1-1-102, Sun Li 1-1-103, owner Qian Qi 1-1-104 not moved in.
    Zone B (Zhao Lei): 周敏 2-1-101, Wu Jun 2-1-102.

    September: Zhang San door, 李四 door, 周敏 door.
    October: Zhang San door (Sat 10-10), Sun Li phone on Monday 10-12 (outside P3's days), 周敏 phone Wed 10-14 10:00,
    Qian Qi phone Thu 10-15 10:00."""
    then = "2026-09-01 09:00"
    ok(cli, "init", now=then)
    for name, role in (
        ("Wang Fang", "butler"),
        ("Zhao Lei", "butler"),
        ("Li Hua", "manager"),
        ("Ma Zhi", "supervisor"),
    ):
        ok(cli, "staff", "add", name, "--role", role, now=then)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=then)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=then)
    for name, unit, zone, *extra in (
        ("Zhang San", "1-1-101", "A"),
        ("李四", "1-1-102", "A"),
        ("Sun Li", "1-1-103", "A"),
        ("Qian Qi", "1-1-104", "A", "--status", "not-moved-in"),
        ("周敏", "2-1-101", "B"),
        ("Wu Jun", "2-1-102", "B"),
    ):
        ok(cli, "resident", "add", name, "--unit", unit, "--zone", zone, *extra, now=then)
    visit(cli, "1-1-101", "Wang Fang", "2026-09-10 10:00", "door")
    visit(cli, "1-1-102", "Wang Fang", "2026-09-11 10:00", "door")
    visit(cli, "2-1-101", "Zhao Lei", "2026-09-12 10:00", "door")
    visit(cli, "1-1-101", "Wang Fang", "2026-10-10 10:00", "door")
    visit(cli, "1-1-103", "Wang Fang", "2026-10-12 10:00", "phone")
    visit(cli, "2-1-101", "Zhao Lei", "2026-10-14 10:00", "phone")
    visit(cli, "1-1-104", "Wang Fang", "2026-10-15 10:00", "phone")
    return cli


def report(cli, *args: str) -> dict:
    result = cli("report", "monthly", "--month", "2026-10", *args, "--format", "json", now=NOW)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def section(data: dict, key: str) -> dict:
    return next(s for s in data["sections"] if s["key"] == key)


def test_p1_coverage_per_butler_and_zone_against_the_month_before(site):
    data = report(site)
    assert (data["month"], data["previous_month"], data["zone"], data["staff"]) == (
        "2026-10",
        "2026-09",
        None,
        None,
    )
    assert section(data, "p1")["rows"] == [
        {
            "staff": "Wang Fang",
            "zone": "A",
            "households": 3,
            "door": 1,
            "phone": 1,
            "contacted": 2,
            "coverage_pct": 66.7,
            "missed": 1,
            "previous": {
                "households": 3,
                "door": 2,
                "phone": 0,
                "contacted": 2,
                "coverage_pct": 66.7,
                "missed": 1,
            },
        },
        {
            "staff": "Zhao Lei",
            "zone": "B",
            "households": 2,
            "door": 0,
            "phone": 1,
            "contacted": 1,
            "coverage_pct": 50.0,
            "missed": 1,
            "previous": {
                "households": 2,
                "door": 1,
                "phone": 0,
                "contacted": 1,
                "coverage_pct": 50.0,
                "missed": 1,
            },
        },
    ]


def test_P1_households_missed_in_the_month_with_their_last_contact(site):
    """October: 李四 was last reached in September, Wu Jun never; the owner not moved in is under the quarterly
    rule, not the monthly one."""
    missed = section(report(site), "p1_missed")
    assert (missed["title"], missed["clause"]) == ("Households not contacted in the month", "P1")
    assert missed["rows"] == [
        {
            "household": "李四",
            "unit": "1-1-102",
            "zone": "A",
            "staff": "Wang Fang",
            "last_contact": "2026-09-11",
            "previous": {},
        },
        {
            "household": "Wu Jun",
            "unit": "2-1-102",
            "zone": "B",
            "staff": "Zhao Lei",
            "last_contact": None,
            "previous": {},
        },
    ]
    assert [r["household"] for r in section(report(site, "--zone", "B"), "p1_missed")["rows"]] == [
        "Wu Jun"
    ]


def test_P1_terminal_report_names_the_missed_households(site):
    result = site("report", "monthly", "--month", "2026-10", now=NOW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Households not contacted in the month (P1)")
    assert lines[start + 3 : start + 5] == [
        "李四      │ 1-1-102 │ A    │ Wang Fang │ 2026-09-11",
        "Wu Jun    │ 2-1-102 │ B    │ Zhao Lei  │ —",
    ]


def test_p1_owners_not_moved_in_quarter_to_date(site):
    assert section(report(site), "p1_owners")["rows"] == [
        {
            "staff": "Wang Fang",
            "zone": "A",
            "owners": 1,
            "contacted": 1,
            "coverage_pct": 100.0,
            "previous": {"owners": 1, "contacted": 0, "coverage_pct": 0.0},
        }
    ]


def test_p3_calls_outside_the_call_windows_per_staff(site):
    assert section(report(site), "p3")["rows"] == [
        {
            "staff": "Wang Fang",
            "calls": 2,
            "outside": 1,
            "outside_pct": 50.0,
            "previous": {"calls": 0, "outside": 0, "outside_pct": None},
        },
        {
            "staff": "Zhao Lei",
            "calls": 1,
            "outside": 0,
            "outside_pct": 0.0,
            "previous": {"calls": 0, "outside": 0, "outside_pct": None},
        },
    ]


def test_report_for_one_zone_and_for_one_butler(site):
    by_zone = report(site, "--zone", "B")
    assert by_zone["zone"] == "B"
    assert [r["zone"] for r in section(by_zone, "p1")["rows"]] == ["B"]
    assert not any(s["key"] in ("p2", "meetings", "hr") for s in by_zone["sections"])
    by_staff = report(site, "--staff", "Wang Fang")
    assert by_staff["staff"] == "Wang Fang"
    assert [r["staff"] for r in section(by_staff, "p3")["rows"]] == ["Wang Fang"]


def test_p1_plan_against_actual_once_a_plan_is_approved(site):
    ok(site, "plan", "month", "--staff", "Wang Fang", "--month", "2026-10", now="2026-10-01 08:00")
    ok(
        site,
        "plan",
        "approve",
        "--staff",
        "Wang Fang",
        "--month",
        "2026-10",
        "--by",
        "Ma Zhi",
        now="2026-10-01 08:05",
    )
    data = report(site)
    rows = section(data, "plans")["rows"]
    # Planned on 2026-10-01: Zhang San, 李四, Sun Li (monthly) and Qian Qi (quarterly); 李四 was never visited.
    assert rows == [
        {
            "staff": "Wang Fang",
            "planned": 4,
            "visited": 3,
            "done_pct": 75.0,
            "missed": 1,
            "previous": {"planned": 0, "visited": 0, "done_pct": None, "missed": 0},
        }
    ]
    # Wang Fang's plan was drafted and approved on 1 October, in time; Zhao Lei's was never drafted.
    assert section(data, "plan_approvals")["rows"] == [
        {
            "plan": "approve the butlers' monthly visit plans",
            "period": "2026-10",
            "owed": 2,
            "drafted": 1,
            "approved_on_time": 1,
            "approved_late": 0,
            "waiting": 0,
            "not_drafted": 1,
            "previous": {
                "owed": 2,
                "drafted": 0,
                "approved_on_time": 0,
                "approved_late": 0,
                "waiting": 0,
                "not_drafted": 2,
            },
        }
    ]


def _figures(data: dict):
    """(section, row label, metric) -> value for every figure of the JSON report."""
    for sec in data["sections"]:
        labels = [c["key"] for c in sec["columns"] if c["kind"] == "text"]
        for row in sec["rows"]:
            name = " / ".join(str(row[k]) for k in labels if row.get(k) is not None)
            for column in sec["columns"]:
                if column["kind"] != "text":
                    yield sec, row, name, column


def test_every_format_carries_the_same_numbers(site, tmp_path):
    """Every figure of the JSON, and the month before's, is the same number in the CSV, the workbook and the page."""
    import html

    import openpyxl

    data = report(site)
    for fmt in ("csv", "xlsx", "html"):
        ok(
            site,
            "report",
            "monthly",
            "--month",
            "2026-10",
            "--format",
            fmt,
            "--out",
            str(tmp_path / f"r.{fmt}"),
            now=NOW,
        )
    lines = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8"))))
    by_key = {(line["section"], line["row"], line["metric"]): line for line in lines}
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    about = list(book["About"].iter_rows(values_only=True))
    sheet_of = {
        title: name
        for name, title, *_ in about[about.index(("Sheet", "Section", "Clause", "Note")) + 1 :]
    }
    page = (tmp_path / "r.html").read_text("utf-8")
    checked = 0
    for sec, row, name, column in _figures(data):
        value, before = row[column["key"]], row["previous"].get(column["key"])
        line = by_key[(sec["key"], name, column["key"])]
        if column["kind"] == "yesno":
            assert line["value"] == ("yes" if value else "no")
        else:
            assert (float(line["value"]) if line["value"] else None) == value, (
                sec["key"],
                name,
                column["key"],
                line,
            )
            assert (float(line["previous"]) if line["previous"] else None) == before, (
                sec["key"],
                name,
                column["key"],
                line,
            )
        sheet = book[sheet_of[sec["title"]]]
        header = [c.value for c in sheet[1]]
        labels = [c["key"] for c in sec["columns"] if c["kind"] == "text"]
        cells = [
            dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True)
        ]
        found = next(
            r
            for r in cells
            if all(r[c["label"]] == row[c["key"]] for c in sec["columns"] if c["key"] in labels)
        )
        if column["kind"] != "yesno":
            assert (
                found[column["label"]] == value and found[column["label"] + " (prev.)"] == before
            ), (sec["key"], column)
        checked += 1
    assert checked > 40
    for sec in data["sections"]:
        assert html.escape(sec["title"]) in page
    # The page's tables write the figures as the terminal does: 66.7% for Wang Fang, 50% for Zhao Lei.
    assert "66.7%" in page and "50%" in page


def test_xlsx_holds_real_numbers_with_a_frozen_header(site, tmp_path):
    import openpyxl

    ok(
        site,
        "report",
        "monthly",
        "--month",
        "2026-10",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "r.xlsx"),
        now=NOW,
    )
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    p1 = next(
        ws for ws in book.worksheets if ws["A1"].value == "Butler" and ws["B1"].value == "Zone"
    )
    assert p1.freeze_panes == "A2"
    header = [c.value for c in p1[1]]
    row = [c.value for c in p1[2]]
    assert row[header.index("Coverage %")] == 66.7 and isinstance(
        row[header.index("Households")], int
    )


def test_report_refuses_bad_input_and_writes_nothing(site, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("out")
    assert refused(site, "report", "monthly", "--month", "2026-13", code=2).startswith("Error: ")
    assert "has not begun" in refused(site, "report", "monthly", "--month", "2026-12", now=NOW)
    assert "Error: " in refused(site, "report", "monthly", "--zone", "Z9", now=NOW)
    assert "Error: " in refused(site, "report", "monthly", "--staff", "Nobody", now=NOW)
    refused(site, "report", "monthly", "--format", "pdf", code=2)
    missing = tmp_path / "no-such-folder" / "r.xlsx"
    assert "does not exist" in refused(
        site, "report", "monthly", "--format", "xlsx", "--out", str(missing), now=NOW
    )
    assert not missing.parent.exists()
    assert "folder" in refused(
        site, "report", "monthly", "--format", "csv", "--out", str(tmp_path), now=NOW
    )
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def company(cli):
    """A company alone (no zone, no household): HR Han Mei; the general manager Guo Qiang, whose contract ends on
    15 October and is renewed on 12 October; Wu Lei, whose ends on 20 October, his last day (exit interview on
    19 October); Xu Ping, with no contract end on file."""
    then = "2026-09-01 09:00"
    ok(cli, "init", now=then)
    for name, *extra in (
        ("Han Mei", "--role", "hr", "--contract-ends", "2028-12-31"),
        ("Guo Qiang", "--role", "gm", "--contract-ends", "2026-10-15"),
        ("Wu Lei", "--reports-to", "Guo Qiang", "--contract-ends", "2026-10-20"),
        ("Xu Ping", "--reports-to", "Guo Qiang"),
    ):
        ok(cli, "staff", "add", name, *extra, now=then)
    ok(cli, "staff", "edit", "Guo Qiang", "--contract-ends", "2027-10-15", now="2026-10-12 09:00")
    ok(cli, "leave", "start", "Wu Lei", "--last-day", "2026-10-20", now="2026-10-08 09:00")
    at = "2026-10-19 10:00"
    ok(
        cli,
        "interview",
        "log",
        "Wu Lei",
        "--by",
        "Han Mei",
        "--kind",
        "exit",
        "--minutes",
        "30",
        now=at,
    )
    return cli


STEP_KEYS = ("due", "done_on_time", "done_late", "not_done")


def step_row(step: str, clause: str, *figures: int) -> dict:
    """A leaving step's row in October; September had no leaving case."""
    return {
        "step": step,
        "clause": clause,
        **dict(zip(STEP_KEYS, figures, strict=True)),
        "previous": dict.fromkeys(STEP_KEYS, 0),
    }


def test_E1_1_and_E1_3_a_company_alone_reports_contracts_and_leaving_steps(company):
    data = report(company)
    assert [s["key"] for s in data["sections"]] == [
        "register",
        "register_by",
        "chases",
        "hr",
        "contracts",
        "leaving_steps",
    ]
    assert section(data, "contracts")["rows"] == [
        {
            "ending": 2,
            "renewed": 1,
            "renewed_late": 0,
            "leaving": 1,
            "open": 0,
            "overdue": 0,
            "no_end_on_file": 1,
            "previous": {
                "ending": 0,
                "renewed": 0,
                "renewed_late": 0,
                "leaving": 0,
                "open": 0,
                "overdue": 0,
                "no_end_on_file": 1,
            },
        }
    ]
    assert section(data, "leaving_steps")["rows"] == [
        step_row("hand over the work", "E1.2", 1, 0, 0, 1),
        step_row("exit interview", "E1.3", 1, 1, 0, 0),
        step_row("departure audit (key position)", "E1.2", 0, 0, 0, 0),
        step_row("release the final pay", "E1.2", 1, 0, 0, 1),
    ]
