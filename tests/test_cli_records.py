"""CLI: zones, staff, households and contacts (add, edit, list, show), REF resolution, --format.

Each test runs careops in-process on its own database (see conftest.py) and
asserts the exit code and the exact output or the exact `--format json` rows.
"""

from __future__ import annotations

import json

import pytest

from conftest import NOW, ok, refused


@pytest.fixture
def site(cli):
    """A butler (#1), a manager (#2) and zone A (#1) owned by the butler; the database exists."""
    ok(cli, "init")
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "staff", "add", "Li Hua", "--role", "manager", "--dept", "center")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    return cli


# --- zones ---------------------------------------------------------------------------------------


def test_zone_add_with_and_without_a_butler(site):
    assert ok(site, "zone", "add", "B").stdout == "Added zone B (#2), no butler yet.\n"
    assert site.json("zone", "list") == [
        {"id": 1, "name": "A", "butler": "Wang Fang", "health_butler": None, "households": 0},
        {"id": 2, "name": "B", "butler": None, "health_butler": None, "households": 0},
    ]


def test_zone_add_prints_the_butler(cli):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    assert (
        ok(cli, "zone", "add", "A", "--butler", "Wang Fang").stdout
        == "Added zone A (#1), butler Wang Fang.\n"
    )


def test_zone_list_counts_households(site):
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    ok(site, "resident", "add", "Li Si", "--unit", "1-1-102", "--zone", "a")
    assert site.json("zone", "list") == [
        {"id": 1, "name": "A", "butler": "Wang Fang", "health_butler": None, "households": 2}
    ]
    assert (
        ok(site, "zone", "list", "--format", "csv").stdout
        == "id,name,butler,health_butler,households\n1,A,Wang Fang,,2\n"
    )


def test_zone_edit_hands_the_zone_and_its_items_to_another_butler(site):
    ok(site, "staff", "add", "Zhao Lei", "--role", "butler")
    ok(
        site,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        now="2026-11-02 09:00",
    )
    result = ok(site, "zone", "edit", "A", "--butler", "Zhao Lei")
    assert result.stdout == "Zone A: butler Wang Fang → Zhao Lei.\n"
    assert result.stderr == ""
    assert site.json("zone", "list") == [
        {"id": 1, "name": "A", "butler": "Zhao Lei", "health_butler": None, "households": 1}
    ]
    assert site.json("due", "--all", "--staff", "Wang Fang", now=NOW) == []
    assert [
        (i["subject"]["unit"], i["owner"])
        for i in site.json("due", "--all", "--staff", "Zhao Lei", now=NOW)
    ] == [("1-1-101", {"id": 3, "name": "Zhao Lei"})]


def test_zone_edit_by_staff_id_names_the_butler(site):
    ok(site, "staff", "add", "Zhao Lei", "--role", "butler")
    assert (
        ok(site, "zone", "edit", "A", "--butler", "#3").stdout
        == "Zone A: butler Wang Fang → Zhao Lei.\n"
    )
    assert (
        ok(site, "zone", "add", "B", "--butler", "3").stdout
        == "Added zone B (#2), butler Zhao Lei.\n"
    )


def test_zone_given_to_a_non_butler_warns_on_stderr(site):
    result = ok(site, "zone", "edit", "A", "--butler", "Li Hua")
    assert result.stdout == "Zone A: butler Wang Fang → Li Hua.\n"
    assert (
        result.stderr
        == "Warning: Li Hua is a manager, not a butler; the zone's visits are theirs all the same.\n"
    )


def test_zone_names_are_unique_regardless_of_case(site):
    line = refused(site, "zone", "add", "a")
    assert (
        line
        == "Error: Zone 'a' exists already. To hand it to another butler: `careops zone edit a --butler NAME`."
    )
    assert [z["name"] for z in site.json("zone", "list")] == ["A"]


# --- staff ---------------------------------------------------------------------------------------


def test_staff_add_and_list(site):
    result = ok(
        site,
        "staff",
        "add",
        "Chen Jing",
        "--role",
        "supervisor",
        "--dept",
        "butler department",
        "--reports-to",
        "Li Hua",
    )
    assert result.stdout == "Added supervisor Chen Jing (#3).\n"
    assert (
        ok(site, "staff", "add", "Sun Mei", "--role", "health-butler", "--reports-to", "3").stdout
        == "Added health-butler Sun Mei (#4).\n"
    )
    assert site.json("staff", "list") == [
        {
            "id": 1,
            "name": "Wang Fang",
            "role": "butler",
            "dept": None,
            "reports_to": None,
            "zones": 1,
        },
        {
            "id": 4,
            "name": "Sun Mei",
            "role": "health-butler",
            "dept": None,
            "reports_to": "Chen Jing",
            "zones": 0,
        },
        {
            "id": 2,
            "name": "Li Hua",
            "role": "manager",
            "dept": "center",
            "reports_to": None,
            "zones": 0,
        },
        {
            "id": 3,
            "name": "Chen Jing",
            "role": "supervisor",
            "dept": "butler department",
            "reports_to": "Li Hua",
            "zones": 0,
        },
    ]
    assert ok(site, "staff", "list", "--format", "csv").stdout == (
        "id,name,role,dept,reports_to,zones\n"
        "1,Wang Fang,butler,,,1\n"
        "4,Sun Mei,health-butler,,Chen Jing,0\n"
        "2,Li Hua,manager,center,,0\n"
        "3,Chen Jing,supervisor,butler department,Li Hua,0\n"
    )


@pytest.mark.parametrize(
    "role", ["butler", "chief-butler", "supervisor", "manager", "health-butler", "dept-head"]
)
def test_staff_roles_of_the_regime(cli, role):
    assert (
        ok(cli, "staff", "add", "Someone", "--role", role).stdout == f"Added {role} Someone (#1).\n"
    )
    assert [s["role"] for s in cli.json("staff", "list")] == [role]


def test_staff_reports_to_unknown_person_is_refused(site):
    line = refused(
        site, "staff", "add", "Chen Jing", "--role", "supervisor", "--reports-to", "Nobody"
    )
    assert (
        line
        == "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`."
    )
    assert [s["name"] for s in site.json("staff", "list")] == ["Wang Fang", "Li Hua"]


# --- residents -----------------------------------------------------------------------------------


def test_resident_add_list_json_and_csv(site):
    assert (
        ok(
            site,
            "resident",
            "add",
            "Zhang San",
            "--unit",
            "3-2-1201",
            "--zone",
            "A",
            "--phone",
            "13800000000",
            "--moved-in",
            "2025-03-01",
            "--tag",
            "key",
            "--tag",
            "VIP",
        ).stdout
        == "Added Zhang San, 3-2-1201 (#1, occupied).\n"
    )
    assert (
        ok(
            site,
            "resident",
            "add",
            "王五",
            "--unit",
            "3栋2单元1202",
            "--zone",
            "A",
            "--status",
            "not-moved-in",
        ).stdout
        == "Added 王五, 3栋2单元1202 (#2, not-moved-in).\n"
    )
    assert site.json("resident", "list") == [
        {
            "id": 1,
            "name": "Zhang San",
            "unit": "3-2-1201",
            "zone": "A",
            "status": "occupied",
            "phone": "138****0000",
            "moved_in": "2025-03-01",
            "last_contact": None,
            "tags": ["key", "vip"],
        },
        {
            "id": 2,
            "name": "王五",
            "unit": "3栋2单元1202",
            "zone": "A",
            "status": "not-moved-in",
            "phone": None,
            "moved_in": None,
            "last_contact": None,
            "tags": [],
        },
    ]
    assert ok(site, "resident", "list", "--format", "csv").stdout == (
        "id,unit,name,zone,status,phone,tags,last_contact\n"
        '1,3-2-1201,Zhang San,A,occupied,138****0000,"key,vip",\n'
        "2,3栋2单元1202,王五,A,not-moved-in,,,\n"
    )


def test_resident_list_by_zone_and_last_contact(site):
    ok(site, "zone", "add", "B")
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    ok(site, "resident", "add", "Li Si", "--unit", "2-1-101", "--zone", "B")
    ok(
        site,
        "log-visit",
        "1-1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--at",
        "2026-11-20 10:15",
    )
    ok(
        site,
        "log-visit",
        "1-1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--at",
        "2026-11-26 10:00",
    )
    assert site.json("resident", "list", "--zone", "A") == [
        {
            "id": 1,
            "name": "Zhang San",
            "unit": "1-1-101",
            "zone": "A",
            "status": "occupied",
            "phone": None,
            "moved_in": None,
            "last_contact": "2026-11-20T10:15:00+08:00",
            "tags": [],
        },
    ]
    assert [r["unit"] for r in site.json("resident", "list", "--zone", "B")] == ["2-1-101"]
    assert [r["unit"] for r in site.json("resident", "list")] == ["1-1-101", "2-1-101"]


def test_resident_list_table_and_empty(site):
    assert (
        ok(site, "resident", "list").stdout
        == "No households yet: `careops resident add` or `careops resident import FILE`.\n"
    )
    assert site.json("resident", "list") == []
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    table = ok(site, "resident", "list").stdout
    header, row = table.splitlines()[0], table.splitlines()[2]
    assert header.split() == [
        "ID",
        "┃",
        "Unit",
        "┃",
        "Name",
        "┃",
        "Zone",
        "┃",
        "Status",
        "┃",
        "Phone",
        "┃",
        "Tags",
        "┃",
        "Last",
        "contact",
    ]
    assert row.split("│")[:5] == ["1  ", " 1-1-101 ", " Zhang San ", " A    ", " occupied "]


def test_resident_show_json(site):
    ok(
        site,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        "--phone",
        "139",
        "--moved-in",
        "2025-03-01",
        "--tag",
        "key",
        now="2026-10-10 09:00",
    )
    ok(
        site,
        "log-visit",
        "1-1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--note",
        "fine",
        now="2026-10-12 10:00",
    )
    assert site.json("resident", "show", "1-1-101") == {
        "id": 1,
        "kind": "household",
        "name": "Zhang San",
        "unit": "1-1-101",
        "zone": "A",
        "butler": "Wang Fang",
        "status": "occupied",
        "phone": "***",
        "moved_in": "2025-03-01",
        "status_since": "2025-03-01",
        "tags": ["key"],
        "open_items": [
            {
                "rule": "p1-monthly-visit",
                "clause": "P1",
                "strength": "must",
                "kind": "cadence",
                "subject": {"type": "household", "id": 1, "name": "Zhang San", "unit": "1-1-101"},
                "owner": {"id": 1, "name": "Wang Fang"},
                "due": "2026-11-30",
                "status": "due",
                "last_contact": "2026-10-12T10:00:00+08:00",
                "ref": None,
                "zone": "A",
                "period": "2026-11",
                "missed_period": None,
                "why": "monthly visit: no contact yet in 2026-11",
                "together": [],
                "planned": None,
                "title": "monthly visit",
            },
        ],
        "recent_visits": [
            {
                "id": 1,
                "at": "2026-10-12T10:00:00+08:00",
                "party": "Zhang San",
                "unit": "1-1-101",
                "by": "Wang Fang",
                "channel": "door",
                "outcome": "reached",
                "minutes": None,
                "callback_at": None,
                "note": "fine",
            },
        ],
    }


def test_resident_show_table(site):
    ok(
        site,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        now="2026-10-10 09:00",
    )
    out = ok(site, "resident", "show", "Zhang San").stdout
    assert "Zhang San" in out and "Open items:" in out and "monthly visit" in out
    assert out.rstrip().endswith("Recent visits:\n  none")


@pytest.mark.parametrize("ref", ["1", "#1", "1-1-101", "Zhang San", "zhang san", "  Zhang San  "])
def test_resident_ref_is_an_id_a_unit_or_a_unique_name(site, ref):
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    ok(site, "resident", "add", "Li Si", "--unit", "1-1-102", "--zone", "A")
    shown = site.json("resident", "show", ref)
    assert (shown["id"], shown["unit"]) == (1, "1-1-101")


def test_ambiguous_resident_ref_is_an_error_listing_the_candidates(site):
    ok(site, "resident", "add", "Wang Wei", "--unit", "1-1-101", "--zone", "A")
    ok(site, "resident", "add", "Wang Wei", "--unit", "1-1-102", "--zone", "A")
    expected = (
        "Error: 'Wang Wei' matches 2 records: #1 Wang Wei (1-1-101), #2 Wang Wei (1-1-102). "
        "Give the id (e.g. #1) or the unit."
    )
    assert refused(site, "resident", "show", "Wang Wei") == expected
    assert refused(site, "resident", "edit", "Wang Wei", "--phone", "1") == expected
    assert (
        refused(site, "log-visit", "Wang Wei", "--by", "Wang Fang", "--channel", "door") == expected
    )
    assert site.json("visit", "list") == []
    assert [r["phone"] for r in site.json("resident", "list")] == [None, None]
    assert site.json("resident", "show", "#2")["unit"] == "1-1-102"


def test_many_candidates_are_listed_up_to_eight(site):
    for n in range(1, 11):
        ok(site, "resident", "add", "Wang Wei", "--unit", f"1-1-{100 + n}", "--zone", "A")
    line = refused(site, "resident", "show", "wang wei")
    listed = ", ".join(f"#{n} Wang Wei (1-1-{100 + n})" for n in range(1, 9))
    assert (
        line
        == f"Error: 'wang wei' matches 10 records: {listed} and 2 more. Give the id (e.g. #1) or the unit."
    )


def test_a_number_that_is_both_an_id_and_a_unit_is_ambiguous_and_hash_id_settles_it(site):
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    ok(site, "resident", "add", "Li Si", "--unit", "1", "--zone", "A")
    assert (
        refused(site, "resident", "show", "1")
        == "Error: '1' matches 2 records: #1 Zhang San (1-1-101), #2 Li Si (1). Give the id (e.g. #1) or the unit."
    )
    assert site.json("resident", "show", "#1")["name"] == "Zhang San"
    assert site.json("resident", "show", "Li Si")["unit"] == "1"


def test_name_shared_by_a_household_and_a_contact_is_ambiguous_for_log_visit(site):
    ok(site, "resident", "add", "Liu Qiang", "--unit", "1-1-101", "--zone", "A")
    ok(site, "contact", "add", "Liu Qiang", "--kind", "committee-chair")
    line = refused(site, "log-visit", "Liu Qiang", "--by", "Li Hua", "--channel", "door")
    assert line == (
        "Error: 'Liu Qiang' matches 2 records: #1 Liu Qiang (1-1-101), #2 Liu Qiang. "
        "Give the id (e.g. #1) or the unit."
    )
    # `resident edit` only looks at households, so the same name is unique there.
    assert (
        ok(site, "resident", "edit", "Liu Qiang", "--phone", "139").stdout
        == "Liu Qiang, 1-1-101 (#1): phone: - → 139\n"
    )


def test_unknown_resident_ref_suggests_near_matches(site):
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    assert (
        refused(site, "resident", "show", "Zhang")
        == "Error: No resident or contact matches 'Zhang'. Did you mean: #1 Zhang San (1-1-101)?"
    )
    assert (
        refused(site, "resident", "show", "Nobody")
        == "Error: No resident or contact matches 'Nobody'. See `careops resident list`."
    )


def test_ambiguous_staff_ref_lists_the_candidates(site):
    ok(site, "staff", "add", "Wang Fang", "--role", "butler")
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    line = refused(site, "log-visit", "1-1-101", "--by", "Wang Fang", "--channel", "door")
    assert (
        line
        == "Error: 'Wang Fang' matches 2 staff: #1 Wang Fang (butler), #3 Wang Fang (butler). Give the id (e.g. #1)."
    )
    assert site.json("visit", "list") == []
    assert ok(site, "log-visit", "1-1-101", "--by", "#3", "--channel", "door").stdout.startswith(
        "Logged visit #1: door, reached, Zhang San (1-1-101), by Wang Fang, 2026-11-27 08:30.\n"
    )


def test_resident_edit_reports_each_change(site):
    ok(
        site,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        now="2026-01-05 09:00",
    )
    result = ok(
        site,
        "resident",
        "edit",
        "1-1-101",
        "--name",
        "Zhang Sanfeng",
        "--unit",
        "1-1-111",
        "--phone",
        "137",
        "--status",
        "not-moved-in",
        "--tag",
        "KEY",
    )
    assert result.stdout == (
        "Zhang Sanfeng, 1-1-111 (#1): name: Zhang San → Zhang Sanfeng; unit: 1-1-101 → 1-1-111; "
        "phone: - → 137; status: occupied → not-moved-in; tag +key\n"
    )
    assert (
        ok(site, "resident", "edit", "1").stdout
        == "Zhang Sanfeng, 1-1-111 (#1): nothing changed.\n"
    )
    result = ok(site, "resident", "edit", "#1", "--untag", "key", "--moved-in", "2026-11-20")
    assert (
        result.stdout
        == "Zhang Sanfeng, 1-1-111 (#1): status: not-moved-in → occupied; moved_in: - → 2026-11-20; tag -key\n"
    )
    assert site.json("resident", "show", "1-1-111") | {
        "open_items": None,
        "recent_visits": None,
    } == {
        "id": 1,
        "kind": "household",
        "name": "Zhang Sanfeng",
        "unit": "1-1-111",
        "zone": "A",
        "butler": "Wang Fang",
        "status": "occupied",
        "phone": "***",
        "moved_in": "2026-11-20",
        "status_since": "2026-11-20",
        "tags": [],
        "open_items": None,
        "recent_visits": None,
    }


def test_resident_edit_names_the_zones_it_moved_between(site):
    ok(site, "zone", "add", "B")
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    assert (
        ok(site, "resident", "edit", "1-1-101", "--zone", "B").stdout
        == "Zhang San, 1-1-101 (#1): zone: A → B\n"
    )
    assert [r["zone"] for r in site.json("resident", "list")] == ["B"]


def test_resident_edit_to_a_taken_unit_is_refused(site):
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    ok(site, "resident", "add", "Li Si", "--unit", "1-1-102", "--zone", "A")
    line = refused(site, "resident", "edit", "Li Si", "--name", "Li Wu", "--unit", "1-1-101")
    assert line == (
        "Error: Unit 1-1-101 is already recorded for #1 Zhang San. To change that "
        "household: `careops resident edit #1 …`."
    )
    assert [(r["name"], r["unit"]) for r in site.json("resident", "list")] == [
        ("Zhang San", "1-1-101"),
        ("Li Si", "1-1-102"),
    ]


# --- contacts ------------------------------------------------------------------------------------


def test_contact_add_and_list(site):
    assert (
        ok(site, "contact", "add", "Chair Liu", "--kind", "committee-chair").stdout
        == "Added committee-chair Chair Liu (#1).\n"
    )
    assert (
        ok(
            site,
            "contact",
            "add",
            "Riverside community office",
            "--kind",
            "community-office",
            "--phone",
            "021-555",
        ).stdout
        == "Added community-office Riverside community office (#2).\n"
    )
    assert (
        ok(site, "contact", "add", "District housing bureau", "--kind", "housing-bureau").stdout
        == "Added housing-bureau District housing bureau (#3).\n"
    )
    ok(
        site,
        "log-visit",
        "Chair Liu",
        "--by",
        "Li Hua",
        "--channel",
        "door",
        "--at",
        "2026-11-03 15:00",
    )
    assert site.json("contact", "list") == [
        {
            "id": 1,
            "name": "Chair Liu",
            "kind": "committee-chair",
            "phone": None,
            "last_contact": "2026-11-03T15:00:00+08:00",
        },
        {
            "id": 2,
            "name": "Riverside community office",
            "kind": "community-office",
            "phone": "0****55",
            "last_contact": None,
        },
        {
            "id": 3,
            "name": "District housing bureau",
            "kind": "housing-bureau",
            "phone": None,
            "last_contact": None,
        },
    ]
    assert ok(site, "contact", "list", "--format", "csv").stdout == (
        "id,name,kind,phone,last_contact\n"
        "1,Chair Liu,committee-chair,,2026-11-03 15:00\n"
        "2,Riverside community office,community-office,0****55,\n"
        "3,District housing bureau,housing-bureau,,\n"
    )


def test_contacts_are_not_households(site):
    ok(site, "contact", "add", "Chair Liu", "--kind", "committee-chair")
    assert site.json("resident", "list") == []
    assert (
        refused(site, "resident", "edit", "Chair Liu", "--phone", "1")
        == "Error: No resident matches 'Chair Liu'. See `careops resident list`."
    )


# --- every list takes --format table|json|csv, and JSON rows carry id ----------------------------

LISTS = [
    ("zone", "list"),
    ("staff", "list"),
    ("resident", "list"),
    ("contact", "list"),
    ("visit", "list"),
]


@pytest.fixture
def one_of_each(site):
    ok(site, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A")
    ok(site, "contact", "add", "Chair Liu", "--kind", "committee-chair")
    ok(site, "log-visit", "1-1-101", "--by", "Wang Fang", "--channel", "door")
    return site


@pytest.mark.parametrize("command", LISTS, ids=" ".join)
def test_every_list_takes_format_and_json_rows_carry_id(one_of_each, command):
    rows = one_of_each.json(*command)
    assert rows and all(isinstance(row["id"], int) for row in rows)
    assert json.loads(ok(one_of_each, *command, "-f", "json").stdout) == rows
    csv_text = ok(one_of_each, *command, "--format", "csv").stdout
    assert csv_text.splitlines()[0].split(",")[0] == "id"
    assert len(csv_text.splitlines()) == len(rows) + 1
    table = ok(one_of_each, *command, "--format", "table").stdout
    assert table.splitlines()[0].split()[0] == "ID" and len(table.splitlines()) == len(rows) + 2
    assert ok(one_of_each, *command).stdout == table


@pytest.mark.parametrize("command", LISTS, ids=" ".join)
def test_unknown_format_is_a_usage_error(one_of_each, command):
    line = refused(one_of_each, *command, "--format", "xml", code=2)
    assert line.startswith("Error: Invalid value for '--format'")


@pytest.mark.new_database
def test_version_prints_the_package_version_and_touches_no_database(cli, db):
    from careops import __version__

    result = cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"careops {__version__}\n")
    assert not db.created()
