"""CLI: `careops export` writes every table (voided rows included) as JSON Lines, CSV or one workbook, with a manifest.

A small site built through the CLI, exported, and read back as a person or a program would: the files, the row
counts, Chinese text in Excel, local times, and the refusals that write nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from datetime import datetime

import openpyxl
import pytest

from careops.db.migrate import head
from careops.services import export as service

from conftest import ok, refused

OUT = "backup"


@pytest.fixture
def site(cli, tmp_path, monkeypatch):
    """Butler Wang Fang (#1, zone A), households 王芳 (#1) and Li Si (#2); visit #1 to 王芳, visit #2 (void);
    an anonymous employee survey with two answers. The test works in tmp_path."""
    monkeypatch.chdir(tmp_path)
    then = "2026-11-02 09:00"
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=then)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=then)
    ok(
        cli,
        "resident",
        "add",
        "王芳",
        "--unit",
        "3-2-1201",
        "--zone",
        "A",
        "--phone",
        "13800001234",
        now=then,
    )
    ok(cli, "resident", "add", "Li Si", "--unit", "3-2-1202", "--zone", "A", now=then)
    ok(
        cli,
        "log-visit",
        "3-2-1201",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--note",
        "=1+1 说很好",
        now="2026-11-10 19:30",
    )
    ok(
        cli,
        "log-visit",
        "3-2-1202",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        now="2026-11-11 10:00",
    )
    ok(cli, "void", "visit", "2", "--reason", "wrong unit", now="2026-11-11 10:05")
    ok(
        cli,
        "survey",
        "create",
        "员工满意度",
        "--audience",
        "employees",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
        now=then,
    )
    ok(
        cli,
        "survey",
        "respond",
        "1",
        "--score",
        "overall=4",
        "--comment",
        "食堂很好",
        now="2026-11-20 12:00",
    )
    ok(cli, "survey", "respond", "1", "--score", "overall=2", now="2026-11-21 12:00")
    return cli


def tables() -> list[str]:
    return [t.name for t in service.export_tables()]


def manifest(folder) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


def counts(db) -> dict[str, int]:
    return {name: db.count(name) for name in tables()}


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 (Chinese) correctly
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_export_has_one_file_per_table_and_a_manifest(site, db, tmp_path):
    result = ok(site, "export", "--format", "csv", "--out", OUT)
    folder = tmp_path / OUT
    assert sorted(os.listdir(folder)) == sorted([f"{t}.csv" for t in tables()] + ["manifest.json"])
    total = sum(counts(db).values())
    assert result.stdout == (
        f"Exported {len(tables())} tables ({total:,} rows) as CSV to {OUT}; "
        "manifest.json lists every file.\n"
    )
    info = manifest(folder)
    assert {
        k: info[k]
        for k in ("careops_version", "schema_revision", "exported_at", "format", "time_zone")
    } == {
        "careops_version": "0.1.0",
        "schema_revision": head(),
        "exported_at": "2026-11-27T08:30:00+08:00",
        "format": "csv",
        "time_zone": "Asia/Shanghai",
    }
    assert {t["table"]: (t["rows"], t["file"]) for t in info["tables"]} == {
        name: (n, f"{name}.csv") for name, n in counts(db).items()
    }
    assert info["total_rows"] == total
    assert "alembic_version" not in {t["table"] for t in info["tables"]}


def test_csv_keeps_chinese_voided_rows_and_local_times(site, tmp_path):
    ok(site, "export", "-f", "csv", "--out", OUT)
    parties = read_csv(tmp_path / OUT / "party.csv")
    assert [(p["id"], p["name"], p["unit"], p["phone"]) for p in parties] == [
        ("1", "王芳", "3-2-1201", "13800001234"),
        ("2", "Li Si", "3-2-1202", ""),
    ]
    visits = read_csv(tmp_path / OUT / "visit.csv")
    assert [(v["id"], v["at"], v["note"], v["voided_at"], v["void_reason"]) for v in visits] == [
        ("1", "2026-11-10 19:30:00", "=1+1 说很好", "", ""),
        ("2", "2026-11-11 10:00:00", "", "2026-11-11 10:05:00", "wrong unit"),
    ]
    assert (tmp_path / OUT / "visit.csv").read_bytes().count(
        b"\r\n"
    ) == 3  # header and two rows, CRLF
    assert read_csv(tmp_path / OUT / "staff.csv")[0]["key_position"] == "false"


def test_json_export_is_json_lines_that_round_trip(site, db, tmp_path):
    ok(site, "export", "--format", "json", "--out", OUT)
    folder = tmp_path / OUT
    assert sorted(os.listdir(folder)) == sorted(
        [f"{t}.jsonl" for t in tables()] + ["manifest.json"]
    )
    for name, n in counts(db).items():
        lines = (folder / f"{name}.jsonl").read_text("utf-8").splitlines()
        assert len(lines) == n, name
    visits = [json.loads(line) for line in (folder / "visit.jsonl").read_text("utf-8").splitlines()]
    assert [(v["id"], v["at"], v["voided_at"], v["note"]) for v in visits] == [
        (1, "2026-11-10T19:30:00+08:00", None, "=1+1 说很好"),
        (2, "2026-11-11T10:00:00+08:00", "2026-11-11T10:05:00+08:00", None),
    ]
    party = json.loads((folder / "party.jsonl").read_text("utf-8").splitlines()[0])
    assert (party["name"], party["status_since"]) == ("王芳", "2026-11-02")
    assert manifest(folder)["format"] == "jsonl"
    cols = next(t["columns"] for t in manifest(folder)["tables"] if t["table"] == "visit")
    assert cols["at"] == "datetime" and cols["id"] == "integer" and cols["note"] == "text"


def test_anonymous_answers_are_exported_as_stored(site, db, tmp_path):
    ok(site, "export", "--format", "json", "--out", OUT)
    lines = (tmp_path / OUT / "survey_answer.jsonl").read_text("utf-8").splitlines()
    answers = [json.loads(line) for line in lines]
    stored = db.rows("SELECT id, day, comment, party_id, respondent FROM survey_answer ORDER BY id")
    assert [(a["id"], a["day"], a["comment"], a["party_id"], a["respondent"]) for a in answers] == [
        (id_, str(day), comment, party, who) for id_, day, comment, party, who in stored
    ]
    assert sorted(a["comment"] or "" for a in answers) == ["", "食堂很好"]


def test_xlsx_export_is_one_workbook_with_a_sheet_per_table(site, db, tmp_path):
    result = ok(site, "export", "--out", OUT)  # xlsx is the default
    assert "as one Excel workbook" in result.stdout
    folder = tmp_path / OUT
    assert sorted(os.listdir(folder)) == ["careops-export.xlsx", "manifest.json"]
    book = openpyxl.load_workbook(folder / "careops-export.xlsx")
    assert book.sheetnames == tables()
    for name, n in counts(db).items():
        assert book[name].max_row == n + 1, name  # the header, then the rows
    party = book["party"]
    assert party.freeze_panes == "A2"
    header = [c.value for c in party[1]]
    row = dict(zip(header, [c.value for c in party[2]], strict=False))
    assert (row["id"], row["name"], row["status_since"], row["created_at"]) == (
        1,
        "王芳",
        datetime(2026, 11, 2),
        datetime(2026, 11, 2, 9, 0),
    )
    assert party.cell(2, header.index("status_since") + 1).number_format == "yyyy-mm-dd"
    visit = book["visit"]
    vheader = [c.value for c in visit[1]]
    assert visit.cell(2, vheader.index("note") + 1).value == "=1+1 说很好"
    # Text, not a formula (openpyxl reads any "=…" back as a formula, so the file itself is looked at):
    with zipfile.ZipFile(folder / "careops-export.xlsx") as archive:
        xml = archive.read(f"xl/worksheets/sheet{book.sheetnames.index('visit') + 1}.xml").decode()
    assert '<c r="I2" t="inlineStr"><is><t>=1+1 说很好</t></is></c>' in xml and "<f>" not in xml
    assert visit.cell(3, vheader.index("void_reason") + 1).value == "wrong unit"
    info = {t["table"]: t for t in manifest(folder)["tables"]}
    assert info["visit"] == {
        **info["visit"],
        "rows": 2,
        "file": "careops-export.xlsx",
        "sheets": ["visit"],
    }


def test_xlsx_widths_count_chinese_characters_twice(site, tmp_path):
    ok(site, "export", "--out", OUT)
    survey = openpyxl.load_workbook(tmp_path / OUT / "careops-export.xlsx")["survey"]
    header = [c.value for c in survey[1]]
    letter = openpyxl.utils.get_column_letter(header.index("name") + 1)
    assert survey.column_dimensions[letter].width == 2 * len("员工满意度") + 2


def test_a_table_past_a_sheets_last_row_continues_on_the_next_sheet(
    site, db, tmp_path, monkeypatch
):
    monkeypatch.setattr(service, "ROWS_PER_SHEET", 3)
    ok(site, "export", "--out", OUT)
    n = db.count("audit")
    sheets = ["audit"] + [f"audit ({i})" for i in range(2, (n + 2) // 3 + 1)]
    assert (
        next(t for t in manifest(tmp_path / OUT)["tables"] if t["table"] == "audit")["sheets"]
        == sheets
    )
    book = openpyxl.load_workbook(tmp_path / OUT / "careops-export.xlsx")
    ids = [row[0] for name in sheets for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert ids == list(range(1, n + 1))
    assert all(
        book[name]["A1"].value == "id" and book[name].freeze_panes == "A2" for name in sheets
    )


def test_the_default_folder_is_named_after_the_clock(site, tmp_path):
    ok(site, "export", "-f", "csv")
    assert (tmp_path / "careops-export-20261127-0830" / "manifest.json").is_file()


def test_an_empty_database_exports_empty_tables(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ok(cli, "export", "-f", "csv", "--out", OUT)
    assert (tmp_path / OUT / "visit.csv").read_bytes().startswith(b"\xef\xbb\xbfid,party_id,")
    assert manifest(tmp_path / OUT)["total_rows"] == 0


def listing(folder) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if "careops.db" not in p.name
    )


def test_a_folder_holding_an_export_is_refused_and_nothing_is_written(site, tmp_path):
    ok(site, "export", "-f", "csv", "--out", OUT)
    before = listing(tmp_path)
    for fmt in ("csv", "json", "xlsx"):
        assert refused(site, "export", "-f", fmt, "--out", OUT) == (
            f"Error: The folder {OUT} already holds an export (action_item.csv, appeal.csv, appeal_person.csv, …): "
            "give another --out, or move those files away first."
        )
    assert listing(tmp_path) == before


def test_a_folder_holding_half_an_export_is_refused(site, tmp_path):
    (tmp_path / OUT).mkdir()
    (tmp_path / OUT / "visit.jsonl.partial").write_text("{")
    assert "already holds an export (visit.jsonl.partial)" in refused(
        site, "export", "-f", "json", "--out", OUT
    )


def test_a_folder_holding_other_files_is_used(site, tmp_path):
    (tmp_path / OUT).mkdir()
    (tmp_path / OUT / "notes.txt").write_text("mine")
    ok(site, "export", "-f", "json", "--out", OUT)
    assert (tmp_path / OUT / "notes.txt").read_text() == "mine"
    assert (tmp_path / OUT / "manifest.json").is_file()


def test_out_that_is_a_file_or_cannot_be_created_is_refused(site, tmp_path):
    (tmp_path / "taken").write_text("x")
    before = listing(tmp_path)
    assert refused(site, "export", "--out", "taken") == (
        "Error: --out taken is a file, not a folder: give the name of a new folder."
    )
    assert refused(site, "export", "--out", "nowhere/deeper") == (
        "Error: The folder nowhere/deeper cannot be created (No such file or directory): give --out a folder in a "
        "place that exists and you may write to."
    )
    assert listing(tmp_path) == before


def test_a_bad_format_is_a_usage_error(site, tmp_path):
    before = listing(tmp_path)
    line = refused(site, "export", "--format", "pdf", "--out", OUT, code=2)
    assert "'pdf' is not one of" in line
    assert listing(tmp_path) == before


def test_an_export_that_fails_half_way_leaves_nothing(site, tmp_path, monkeypatch):
    real = service._write_csv

    def fails_on_visits(fh, table, rows):
        if table.name == "visit":
            yield 1
            raise OSError(28, "No space left on device")
        yield from real(fh, table, rows)

    monkeypatch.setattr(service, "_write_csv", fails_on_visits)
    before = listing(tmp_path)
    assert refused(site, "export", "-f", "csv", "--out", OUT) == "Error: No space left on device"
    assert listing(tmp_path) == before


def test_the_files_are_readable_by_their_owner_only(site, tmp_path):
    ok(site, "export", "-f", "csv", "--out", OUT)
    assert (tmp_path / OUT).stat().st_mode & 0o777 == 0o700
    assert {(p.stat().st_mode & 0o777) for p in (tmp_path / OUT).iterdir()} == {0o600}


def test_export_writes_nothing_to_the_database(site, db):
    before = counts(db)
    ok(site, "export", "-f", "json", "--out", OUT)
    assert counts(db) == before
