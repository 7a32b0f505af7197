"""Names typed in pinyin or initials (issue 8): 张三 is `zhangsan` or `zs`, 王秀英 `wangxiuying` or `wxy`; a REF
that fits several is refused with the candidates; listings sort Chinese names by pinyin. The stored keys are
filled on every INSERT (ORM and Core), follow a name edit, and are backfilled by the migration."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, text

from careops import names
from careops.db import migrate
from careops.db.engine import make_engine
from careops.scheduler.tables import party, staff

from conftest import NOW, ok, refused

VISIT_1 = "Logged visit #1: door, reached, 张三 (3栋2单元1201), by 王秀英, 2026-11-27 08:30.\n"
ZS_AMBIGUOUS = (
    "Error: 'zs' matches 2 records: #1 张三 (3栋2单元1201), #2 赵四 (3栋2单元1202). "
    "Give the id (e.g. #1) or the unit."
)


# --- names.py -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "first"),
    [
        ("张三", "zhangsan", "zs"),
        ("王秀英", "wangxiuying", "wxy"),
        ("吕布", "lvbu", "lb"),
        ("单雄信", "shanxiongxin", "sxx"),  # pypinyin alone reads dan
        ("曾小贤", "zengxiaoxian", "zxx"),  # … and ceng
        ("翟天临", "zhaitianlin", "ztl"),
        ("万俟卨", "moqixie", "mqx"),  # a compound surname
        ("尉迟恭", "yuchigong", "ycg"),
        ("单 伟 2", "shanwei", "sw"),  # spaces and digits: the surname is still the first character
        ("Wang Fang", "wangfang", "wf"),
        ("José Ruiz", "joseruiz", "jr"),
        ("王 Fang", "wangfang", "wf"),  # mixed: token by token
        ("Tony 曾", "tonyceng", "tc"),  # not the first token: not read as a surname
        ("阿不都·热合曼", "abudoureheman", "abdrhm"),
        ("", "", ""),
    ],
)
def test_pinyin_key_and_initials(name, key, first):
    assert (names.pinyin_key(name), names.initials(name)) == (key, first)
    assert names.name_columns(name) == {"name_pinyin": key, "name_initials": first}


def test_a_compound_surname_needs_a_given_name_after_it():
    assert names.pinyin_key("长孙无忌") == "zhangsunwuji"
    assert names.pinyin_key("单") == "shan"


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        ("zs", "zs"),
        ("ZhangSan", "zhangsan"),
        ("Zhang San", "zhangsan"),
        ("xi'an", "xian"),
        ("wang-fang", "wangfang"),
        ("张三", None),
        ("#1", None),
        ("1", None),
        ("3-2-1201", None),
        ("zs1", None),
        ("", None),
    ],
)
def test_ref_key_is_latin_letters_only(ref, key):
    assert names.ref_key(ref) == key


# --- REFs in pinyin ---------------------------------------------------------------------------------------------


@pytest.fixture
def site(cli):
    """Butler 王秀英 (#1) with zone A, and 张三 (#1) in 3栋2单元1201."""
    ok(cli, "init")
    ok(cli, "staff", "add", "王秀英", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "wxy")
    ok(cli, "resident", "add", "张三", "--unit", "3栋2单元1201", "--zone", "A")
    return cli


@pytest.mark.parametrize("ref", ["zhangsan", "zs", "ZS", "Zhang San", "zhang-san"])
def test_a_resident_is_found_by_pinyin_or_initials(site, db, ref):
    assert ok(site, "log-visit", ref, "--by", "wangxiuying", "--channel", "door").stdout.startswith(
        VISIT_1
    )
    assert db.rows("SELECT party_id, staff_id FROM visit") == [(1, 1)]


def test_initials_of_two_residents_are_refused_with_both_listed(site, db):
    ok(site, "resident", "add", "赵四", "--unit", "3栋2单元1202", "--zone", "A")
    assert refused(site, "log-visit", "zs", "--by", "wxy", "--channel", "door") == ZS_AMBIGUOUS
    assert db.count("visit") == 0
    assert ok(site, "log-visit", "zhaosi", "--by", "wxy", "--channel", "door").stdout.startswith(
        "Logged visit #1: door, reached, 赵四 (3栋2单元1202)"
    )


def test_an_exact_name_wins_over_initials(site, db):
    ok(
        site, "contact", "add", "ZS", "--kind", "committee-chair"
    )  # its name is exactly what is typed
    ok(site, "log-visit", "zs", "--by", "wxy", "--channel", "door")
    assert db.rows("SELECT party_id FROM visit") == [(2,)]


def test_no_pinyin_match_falls_through_to_not_found(site, db):
    assert refused(site, "log-visit", "lisi", "--by", "wxy", "--channel", "door") == (
        "Error: No resident or contact matches 'lisi'. See `careops resident list`."
    )


def test_a_staff_member_is_found_by_initials(site):
    due = site.json("due", "--staff", "王秀英", now=NOW)
    assert due and site.json("due", "--staff", "wxy", now=NOW) == due == site.json(
        "due", "--staff", "wangxiuying", now=NOW
    )
    ok(site, "staff", "add", "吴晓燕")
    assert refused(site, "due", "--staff", "wxy") == (
        "Error: 'wxy' matches 2 staff: #1 王秀英 (butler), #2 吴晓燕 (employee). Give the id (e.g. #1)."
    )


# --- sorting ----------------------------------------------------------------------------------------------------


def test_staff_list_sorts_chinese_names_by_pinyin(cli):
    for name in ("张三", "王秀英", "Wang Fang", "李四"):
        ok(cli, "staff", "add", name)
    assert [s["name"] for s in cli.json("staff", "list", now=NOW)] == [
        "李四",
        "Wang Fang",
        "王秀英",
        "张三",
    ]


def test_a_managers_reports_are_sorted_by_pinyin(cli):
    ok(cli, "staff", "add", "经理", "--role", "manager")
    for name in ("张三", "王秀英", "李四"):
        ok(cli, "staff", "add", name, "--reports-to", "经理")
    assert [r["name"] for r in cli.json("staff", "show", "经理", now=NOW)["reports"]] == [
        "李四",
        "王秀英",
        "张三",
    ]


def test_contact_list_sorts_by_kind_then_pinyin(cli):
    for name, kind in (
        ("赵主任", "committee-chair"),
        ("安主任", "committee-chair"),
        ("白科长", "housing-bureau"),
    ):
        ok(cli, "contact", "add", name, "--kind", kind)
    assert [(c["kind"], c["name"]) for c in cli.json("contact", "list", now=NOW)] == [
        ("committee-chair", "安主任"),
        ("committee-chair", "赵主任"),
        ("housing-bureau", "白科长"),
    ]


# --- the stored keys ------------------------------------------------------------------------------------------


def keys(db, table: str) -> list[tuple]:
    return db.rows(f"SELECT name, name_pinyin, name_initials FROM {table} ORDER BY id")


def test_orm_inserts_fill_the_keys(site, db):
    ok(site, "contact", "add", "Chair Qian", "--kind", "committee-chair")
    assert keys(db, "party") == [("张三", "zhangsan", "zs"), ("Chair Qian", "chairqian", "cq")]
    assert keys(db, "staff") == [("王秀英", "wangxiuying", "wxy")]


def test_core_executemany_inserts_fill_the_keys(engine, db):
    at = datetime(2026, 11, 1)
    with engine.begin() as conn:
        conn.execute(
            insert(staff),
            [{"name": n, "role": "butler", "created_at": at} for n in ("单雄信", "Li Hua")],
        )
        ids = (
            conn.execute(
                insert(party).returning(party.c.id, sort_by_parameter_order=True),
                [
                    {
                        "kind": "household",
                        "name": n,
                        "status_since": date(2026, 11, 1),
                        "created_at": at,
                    }
                    for n in ("曾小贤", "王 伟 2")
                ],
            )
            .scalars()
            .all()
        )
    assert ids == [1, 2]
    assert keys(db, "staff") == [("单雄信", "shanxiongxin", "sxx"), ("Li Hua", "lihua", "lh")]
    assert keys(db, "party") == [("曾小贤", "zengxiaoxian", "zxx"), ("王 伟 2", "wangwei", "ww")]


def test_imported_households_are_found_by_initials(site, db, tmp_path):
    path = tmp_path / "住户.csv"
    path.write_text("姓名,房号,区域\n单雄信,5-1-101,A\n曾小贤,5-1-102,A\n", "utf-8")
    assert (
        ok(site, "resident", "import", str(path)).stdout == "Imported 2 households from 住户.csv.\n"
    )
    assert keys(db, "party")[1:] == [
        ("单雄信", "shanxiongxin", "sxx"),
        ("曾小贤", "zengxiaoxian", "zxx"),
    ]
    ok(site, "log-visit", "sxx", "--by", "wxy", "--channel", "door")
    assert db.rows("SELECT party_id FROM visit") == [(2,)]


def test_demo_fills_the_keys(cli, db):
    ok(cli, "demo", "--households", "20")
    people = db.rows(
        "SELECT name, name_pinyin, name_initials, kind <> 'contact' FROM party ORDER BY id"
    ) + db.rows("SELECT name, name_pinyin, name_initials, 1 = 1 FROM staff ORDER BY id")
    assert len(people) > 20 and all(
        (k, i) == (names.pinyin_key(n, person=bool(p)), names.initials(n, person=bool(p))) and k
        for n, k, i, p in people
    )


def test_a_name_edit_moves_the_keys(site, db):
    ok(site, "resident", "edit", "zs", "--name", "单雄信")
    assert keys(db, "party") == [("单雄信", "shanxiongxin", "sxx")]
    ok(site, "resident", "edit", "sxx", "--phone", "13800000000")  # another field: the keys stay
    assert keys(db, "party") == [("单雄信", "shanxiongxin", "sxx")]
    ok(site, "log-visit", "shanxiongxin", "--by", "wxy", "--channel", "door")
    assert refused(site, "log-visit", "zs", "--by", "wxy", "--channel", "door").startswith(
        "Error: No resident or contact matches 'zs'."
    )


# --- the migration -------------------------------------------------------------------------------------------


@pytest.mark.new_database
def test_upgrading_a_database_at_0006_fills_the_keys_of_every_row(db_url, db):
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0006_plans")
    households = 5_003  # more than one backfill batch of 5,000
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff (name, role, created_at) VALUES (:name, 'butler', '2026-01-01 00:00:00')"
            ),
            [{"name": n} for n in ("王秀英", "Wang Fang")],
        )
        conn.execute(
            text(
                "INSERT INTO party (kind, name, unit, status, status_since, created_at) VALUES "
                "('household', :name, :unit, 'occupied', '2026-01-01', '2026-01-01 00:00:00')"
            ),
            [
                {"name": ("张三", "单雄信", "曾小贤")[i % 3], "unit": f"u{i}"}
                for i in range(households)
            ],
        )
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head()
    engine.dispose()
    assert keys(db, "staff") == [("王秀英", "wangxiuying", "wxy"), ("Wang Fang", "wangfang", "wf")]
    assert db.rows(
        "SELECT name, name_pinyin, name_initials, count(*) FROM party "
        "GROUP BY name, name_pinyin, name_initials ORDER BY name_pinyin"
    ) == [
        ("单雄信", "shanxiongxin", "sxx", 1668),
        ("曾小贤", "zengxiaoxian", "zxx", 1667),
        ("张三", "zhangsan", "zs", 1668),
    ]


def test_an_organisations_name_is_not_read_as_a_surname(cli):
    """区 opens a surname as ou, but 区卫生健康委员会 is the district health commission: qu…"""
    assert names.pinyin_key("区卫生健康委员会", person=False).startswith("quweisheng")
    assert names.pinyin_key("区小明") == "ouxiaoming"
    ok(cli, "contact", "add", "区卫生健康委员会", "--kind", "health-authority")
    ok(cli, "staff", "add", "白静怡", "--role", "leadership")
    result = ok(
        cli,
        "log-visit",
        "qwsjkwyh",
        "--by",
        "bjy",
        "--channel",
        "phone",
        "--at",
        "2026-11-26 10:00",
    )
    assert "区卫生健康委员会" in result.stdout
