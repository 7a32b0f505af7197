"""CLI: `careops resident import FILE` — CSV and .xlsx, English or Chinese headers, all rows or none."""

from __future__ import annotations

from datetime import datetime

import pytest

from conftest import NOW, ok

ENGLISH = ["name", "unit", "zone", "phone", "status", "moved_in", "tags"]
CHINESE = ["姓名", "房号", "区域", "电话", "状态", "入住日期", "标签"]


def csv_file(path, lines: list[str], encoding: str = "utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def xlsx_file(path, rows: list[list]):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def household(
    id_,
    name,
    unit,
    zone="A",
    status="occupied",
    phone=None,
    moved_in=None,
    tags="",
    last_contact=None,
):
    return {
        "id": id_,
        "name": name,
        "unit": unit,
        "zone": zone,
        "status": status,
        "phone": phone,
        "moved_in": moved_in,
        "last_contact": last_contact,
        "tags": tags.split(",") if tags else [],
    }


def party_rows(db) -> tuple[int, int]:
    return db.count("party"), db.count("party_tag")


@pytest.fixture
def site(cli):
    """Zones A and B (butler Wang Fang) and one household already recorded: Zhang San, 1-1-101."""
    ok(cli, "init")
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    ok(cli, "zone", "add", "B", "--butler", "Wang Fang")
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    return cli


ZHANG_SAN = household(1, "Zhang San", "1-1-101")


def test_import_csv_with_the_option_names_as_headers(site, tmp_path):
    path = csv_file(
        tmp_path / "residents.csv",
        [
            ",".join(ENGLISH),
            "Wang Wu,2-1-101,A,13800000001,occupied,2025-03-01,key",
            "Zhao Liu,2-1-102,b,,not-moved-in,,",
            'Sun Qi,2-1-103,A,,,2024/7/15,"key, VIP"',
        ],
    )
    result = ok(site, "resident", "import", str(path))
    assert result.stdout == "Imported 3 households from residents.csv.\n"
    assert result.stderr == ""
    assert site.json("resident", "list", "--show-phone") == [
        ZHANG_SAN,
        household(2, "Wang Wu", "2-1-101", phone="13800000001", moved_in="2025-03-01", tags="key"),
        household(4, "Sun Qi", "2-1-103", moved_in="2024-07-15", tags="key,vip"),
        household(3, "Zhao Liu", "2-1-102", zone="B", status="not-moved-in"),
    ]


def test_imported_households_fall_under_the_rules_from_the_import_day(site, tmp_path):
    path = csv_file(
        tmp_path / "residents.csv",
        ["name,unit,zone,tags", "Wang Wu,2-1-101,A,key", "Zhao Liu,2-1-102,A,"],
    )
    ok(site, "resident", "import", str(path), now="2026-11-02 09:00")
    shown = site.json("resident", "show", "2-1-101")
    assert (shown["status_since"], shown["tags"]) == ("2026-11-02", ["key"])
    assert [(i["rule"], i["status"]) for i in shown["open_items"]] == [("p1-monthly-visit", "due")]
    due = site.json("due", "--all", now=NOW)
    assert sorted(i["subject"]["unit"] for i in due if i["subject"]["type"] == "household") == [
        "1-1-101",
        "2-1-101",
        "2-1-102",
    ]


def test_import_csv_with_chinese_headers_as_excel_saves_it(site, tmp_path):
    path = csv_file(
        tmp_path / "住户.csv",
        [
            ",".join(CHINESE),
            "王五,3栋1单元101,A,13800000000,已入住,2025/03/01,key",
            "赵六,3栋1单元102,B,,未入住,,",
        ],
        encoding="utf-8-sig",
    )
    assert (
        ok(site, "resident", "import", str(path)).stdout == "Imported 2 households from 住户.csv.\n"
    )
    assert site.json("resident", "list", "--show-phone") == [
        ZHANG_SAN,
        household(2, "王五", "3栋1单元101", phone="13800000000", moved_in="2025-03-01", tags="key"),
        household(3, "赵六", "3栋1单元102", zone="B", status="not-moved-in"),
    ]


def test_import_csv_in_gb18030(site, tmp_path):
    path = csv_file(
        tmp_path / "gbk.csv",
        [",".join(CHINESE), "王五,3栋1单元101,A,,已入住,,"],
        encoding="gb18030",
    )
    assert (
        ok(site, "resident", "import", str(path)).stdout == "Imported 1 household from gbk.csv.\n"
    )
    assert site.json("resident", "list", "--show-phone")[1] == household(2, "王五", "3栋1单元101")


def test_import_xlsx_with_chinese_headers_and_excel_cell_types(site, tmp_path):
    path = xlsx_file(
        tmp_path / "residents.xlsx",
        [
            CHINESE,
            ["王五", "3-1-101", "A", 13800000000, "已入住", datetime(2025, 3, 1), "key"],
            ["赵六", "3-1-102", "B", None, "未入住", None, None],
            ["孙七", "3-1-103", "a", "13900000000", None, "2024-07-15", None],
        ],
    )
    result = ok(site, "resident", "import", str(path))
    assert result.stdout == "Imported 3 households from residents.xlsx.\n"
    assert site.json("resident", "list", "--show-phone") == [
        ZHANG_SAN,
        household(2, "王五", "3-1-101", phone="13800000000", moved_in="2025-03-01", tags="key"),
        household(4, "孙七", "3-1-103", phone="13900000000", moved_in="2024-07-15"),
        household(3, "赵六", "3-1-102", zone="B", status="not-moved-in"),
    ]


def test_import_xlsx_with_english_headers(site, tmp_path):
    path = xlsx_file(
        tmp_path / "residents.xlsx",
        [ENGLISH, ["Wang Wu", "2-1-101", "A", None, "occupied", None, "key"]],
    )
    assert (
        ok(site, "resident", "import", str(path)).stdout
        == "Imported 1 household from residents.xlsx.\n"
    )
    assert site.json("resident", "list", "--show-phone")[1] == household(
        2, "Wang Wu", "2-1-101", tags="key"
    )


def test_a_csv_with_bad_rows_imports_nothing_and_lists_every_bad_row(site, tmp_path, db):
    path = csv_file(
        tmp_path / "bad.csv",
        [
            ",".join(ENGLISH),
            "Wang Wu,2-1-101,A,139,occupied,2026-01-05,key",
            "Zhao Liu,2-1-102,a,,not-moved-in,,",
            "Dup Db,1-1-101,A,,,,",
            "Lost,2-1-104,Q,,,,",
            "Dup File,2-1-102,A,,,,",
            ",2-1-106,A,,,,",
            "Odd,2-1-107,A,,weird,,",
            "Early,2-1-108,A,,,2027-01-01,",
            "Bad date,2-1-109,A,,,2026-13-01,",
            "Never,2-1-110,A,,not-moved-in,2026-01-01,",
            "",
            "Fine,2-1-113,A,,,,",
            "No unit,,A,,,,",
        ],
    )
    before = party_rows(db)
    result = site("resident", "import", str(path), now=NOW)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert party_rows(db) == before
    assert site.json("resident", "list", "--show-phone") == [ZHANG_SAN]
    assert result.stderr.splitlines() == [
        "  line 4: unit 1-1-101 is already recorded in careops.",
        "  line 5: zone 'Q' does not exist (add it with `careops zone add Q`).",
        "  line 6: unit 2-1-102 appears again (first on line 3).",
        "  line 7: name missing.",
        "  line 8: status 'weird' is not occupied or not-moved-in.",
        "  line 9: moved_in 2027-01-01 is after today.",
        "  line 10: moved_in '2026-13-01' is not a date like 2026-03-01.",
        "  line 11: a household that has not moved in has no moved_in date.",
        "  line 14: unit missing.",
        "Error: 9 row(s) of bad.csv are wrong (listed above); nothing was imported. Fix them and import again.",
    ]


def test_an_xlsx_with_bad_rows_reports_sheet_row_numbers_and_imports_nothing(site, tmp_path, db):
    path = xlsx_file(
        tmp_path / "bad.xlsx",
        [
            CHINESE,
            ["王五", "3-1-101", "A", None, "已入住", None, None],
            ["赵六", "3-1-102", "Nowhere", None, None, None, None],
            [None, None, None, None, None, None, None],
            ["孙七", "3-1-101", "A", None, "搬走了", None, None],
        ],
    )
    before = party_rows(db)
    result = site("resident", "import", str(path), now=NOW)
    assert result.exit_code == 1
    assert party_rows(db) == before
    assert result.stderr.splitlines() == [
        "  line 3: zone 'Nowhere' does not exist (add it with `careops zone add Nowhere`).",
        "  line 5: status '搬走了' is not occupied or not-moved-in.",
        "Error: 2 row(s) of bad.xlsx are wrong (listed above); nothing was imported. Fix them and import again.",
    ]


def test_error_messages_keep_the_file_name_as_written(site, tmp_path):
    """`data.xlsx` and `Data.xlsx` are different files: the error must not re-case the name."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip archive")
    result = site("resident", "import", str(path), now=NOW)
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: The file broken.xlsx does not open as an Excel workbook (BadZipFile).\n"
    )
    path = csv_file(tmp_path / "header.csv", ["name,unit,zone"])
    assert (
        site("resident", "import", str(path), now=NOW).stderr
        == "Error: The file header.csv has no rows to import.\n"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "broken.xlsx",
            b"PK\x03\x04 not really a workbook",
            "The file broken.xlsx does not open as an Excel workbook (BadZipFile).",
        ),
        (
            "people.csv",
            "姓名,room,区域\n王五,1,A\n".encode(),
            "The file people.csv has unknown column(s) room; use name, unit, zone, phone, status, moved_in, tags.",
        ),
        ("nozone.csv", b"name,unit\nWang Wu,2-1-101\n", "The file nozone.csv has no zone column."),
        ("empty.csv", b"", "The file empty.csv is empty."),
        ("header.csv", b"name,unit,zone\n", "The file header.csv has no rows to import."),
        (
            "residents.txt",
            b"name,unit,zone\nWang Wu,2-1-101,A\n",
            "Cannot import residents.txt: careops reads .csv or .xlsx files (save the sheet as one of those).",
        ),
    ],
    ids=[
        "not-a-workbook",
        "unknown-column",
        "no-zone-column",
        "empty",
        "header-only",
        "not-csv-or-xlsx",
    ],
)
def test_a_file_that_does_not_parse_is_one_error_line_and_imports_nothing(
    site, tmp_path, db, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    before = party_rows(db)
    result = site("resident", "import", str(path), now=NOW)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert party_rows(db) == before
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    # Exact case is checked once, in test_error_messages_keep_the_file_name_as_written.
    assert result.stderr.lower() == f"Error: {message}\n".lower()


def test_a_file_that_does_not_exist(site, tmp_path):
    missing = tmp_path / "missing.csv"
    result = site("resident", "import", str(missing), now=NOW)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing} is not a file.\n"
