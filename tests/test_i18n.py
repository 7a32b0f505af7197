"""Issue 8: careops speaks Chinese and English, from one message catalogue; dates as people write them."""

from __future__ import annotations

import importlib.util
import string
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from careops import i18n
from careops.cli import language
from careops.i18n import _

from conftest import NOW, ok, refused

ROOT = Path(__file__).resolve().parent.parent
ZH_PO = ROOT / "src" / "careops" / "locale" / "zh" / "LC_MESSAGES" / "careops.po"


def _messages_script():
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fields(text: str) -> list[tuple[str, str | None]]:
    return sorted(
        (
            (name, conv)
            for _lit, name, _spec, conv in string.Formatter().parse(text)
            if name is not None
        ),
        key=str,
    )


@pytest.fixture(scope="module")
def chinese():
    with ZH_PO.open("rb") as f:
        return {m.id: m for m in read_po(f, locale="zh") if m.id}


def test_every_message_and_help_text_has_a_chinese_translation(chinese):
    template = _messages_script().template()
    missing = [
        m.id
        for m in template
        if m.id and (m.id not in chinese or not chinese[m.id].string or chinese[m.id].fuzzy)
    ]
    assert missing == [], (
        f"{len(missing)} messages lack a Chinese translation (run `make messages`, then translate): {missing[:10]}"
    )


def test_every_translation_keeps_the_placeholders_of_its_english(chinese):
    broken = [m.id for m in chinese.values() if m.string and _fields(m.id) != _fields(m.string)]
    assert broken == []


def test_commands_the_user_types_stay_verbatim_in_chinese(chinese):
    changed = [
        m.id
        for m in chinese.values()
        if m.string and list(m.id.split("`")[1::2]) != list(m.string.split("`")[1::2])
    ]
    assert changed == []


def test_a_message_is_said_in_the_language_in_force_when_used():
    message = _("Nothing to show.")
    i18n.use("en")
    assert str(message) == "Nothing to show."
    i18n.use("zh")
    assert str(message) == "没有可显示的内容。"
    assert message.format() == "没有可显示的内容。"


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("zh", {"CAREOPS_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"CAREOPS_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"CAREOPS_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {}, "en"),
        ("zh_CN.UTF-8", {}, "zh"),
        ("EN", {}, "en"),
    ],
)
def test_the_language_is_lang_else_careops_lang_else_the_locale_else_english(option, env, expected):
    assert i18n.choose(option, env) == expected


def test_dates_in_chinese_read_as_people_write_them():
    i18n.use("zh")
    i18n.set_today(date(2026, 11, 27))
    assert i18n.day(date(2026, 11, 27)) == "11月27日 周五"
    assert i18n.day(date(2025, 12, 31)) == "2025年12月31日"
    assert i18n.moment(datetime(2026, 11, 28, 10, 0)) == "11月28日 周六 10:00"
    assert i18n.month(date(2026, 11, 1)) == "2026年11月"
    assert (
        _("{at:M月d日 EEE HH:mm}").format(at=datetime(2026, 11, 27, 15, 0)) == "11月27日 周五 15:00"
    )
    i18n.use("en")
    assert i18n.day(date(2026, 11, 27)) == "2026-11-27"
    assert i18n.moment(datetime(2026, 11, 28, 10, 0)) == "2026-11-28 10:00"


def test_a_stored_word_is_said_in_the_language_in_force():
    from careops.vocab import Channel, word

    i18n.use("zh")
    assert (word("overdue"), word(Channel.door), word("Wang Fang")) == ("逾期", "上门", "Wang Fang")
    i18n.use("en")
    assert (word("overdue"), word(Channel.door)) == ("overdue", "door")


def test_lang_may_come_anywhere_on_the_command_line():
    assert language.take_language(["due", "--staff", "X", "--lang", "zh"]) == (
        "zh",
        ["due", "--staff", "X"],
    )
    assert language.take_language(["--lang=en", "due"]) == ("en", ["due"])
    assert language.take_language(["event", "--", "--lang", "zh"]) == (
        None,
        ["event", "--", "--lang", "zh"],
    )


# The main job, a report and an error, in both languages.


@pytest.fixture
def site(cli):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    ok(cli, "resident", "add", "张三", "--unit", "3栋2单元1201", "--zone", "A")
    ok(cli, "resident", "add", "Li Si", "--unit", "3栋2单元1202", "--zone", "A")
    ok(
        cli,
        "log-visit",
        "3栋2单元1202",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--at",
        "2026-11-02 10:00",
    )
    return cli


def test_due_in_english_and_in_chinese(site):
    english = ok(site, "due", "--staff", "Wang Fang").stdout.splitlines()
    assert (
        english[0]
        == "Fri 2026-11-27 08:30 — call windows today (P3): 09:00–12:00, 14:00–17:30, 19:00–21:00"
    )
    assert english[1].split("┃")[0].strip() == "Status"
    assert [c.strip() for c in english[3].split("│")][:6] == [
        "due",
        "2026-11-30",
        "P1",
        "monthly visit",
        "张三",
        "3栋2单元1201",
    ]

    chinese = ok(site, "--lang", "zh", "due", "--staff", "Wang Fang").stdout.splitlines()
    assert chinese[0].startswith("11月27日 周五 08:30 — ")
    assert "今日" in chinese[0] and "P3" in chinese[0]
    assert [c.strip() for c in chinese[1].split("┃")][:3] == ["状态", "到期日", "条款"]
    assert [c.strip() for c in chinese[3].split("│")][:6] == [
        "到期",
        "11月30日 周一",
        "P1",
        "每月拜访",
        "张三",
        "3栋2单元1201",
    ]


def test_due_json_keeps_its_keys_and_values_in_chinese_only_the_words_change(site):
    english = site.json("due", "--staff", "Wang Fang", now=NOW)
    chinese = site.json("--lang", "zh", "due", "--staff", "Wang Fang", now=NOW)
    keep = ("rule", "clause", "due", "status", "subject", "owner", "zone", "period")
    assert [{k: item[k] for k in keep} for item in chinese] == [
        {k: item[k] for k in keep} for item in english
    ]
    assert english[0]["why"] != chinese[0]["why"]


def test_monthly_report_in_english_and_in_chinese(site):
    later = "2026-11-28 09:00"  # the households were recorded at NOW: the day after, 张三 is not contacted
    english = ok(
        site, "report", "monthly", "--month", "2026-11", "--format", "md", now=later
    ).stdout
    chinese = ok(
        site, "--lang", "zh", "report", "monthly", "--month", "2026-11", "--format", "md", now=later
    ).stdout
    assert english.startswith("# ") and chinese.startswith("# ")
    assert "2026-11" in english.splitlines()[0]
    assert "2026年11月" in chinese.splitlines()[0]
    assert (
        "## Monthly visits (butler, zone) (P1)" in english
        and "## 月度拜访（管家、区域）（P1）" in chinese
    )
    assert "| Household | Unit |" in english and "| 住户 | 房号 |" in chinese
    assert not any(
        word in chinese for word in ("Monthly", "Household", "Unit", "compared with", "No figures")
    )


def test_an_error_in_english_and_in_chinese(site):
    assert refused(site, "due", "--staff", "Nobody") == (
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`."
    )
    line = refused(site, "--lang", "zh", "due", "--staff", "Nobody", prefix="错误：")
    assert line.startswith("错误：") and "Nobody" in line and "`careops staff list`" in line


def test_a_usage_error_in_chinese(site):
    line = refused(site, "--lang", "zh", "due", "--bogus", code=2, prefix="错误：")
    assert "--bogus" in line and "选项" in line
    assert (
        refused(
            site,
            "--lang",
            "zh",
            "log-visit",
            "Li Si",
            "--by",
            "Wang Fang",
            "--channel",
            "fax",
            code=2,
            prefix="错误：",
        )
        == "错误：'--channel' 的值无效：'fax' 不是以下选项之一：'door', 'phone'。（参见 `careops log-visit --help`）"
    )


def test_an_unknown_language_is_a_usage_error(site):
    assert (
        refused(site, "--lang", "fr", "due", code=2)
        == "Error: Unknown language 'fr': use one of en, zh."
    )


def test_careops_lang_and_the_locale_choose_chinese(site, monkeypatch):
    monkeypatch.setenv("CAREOPS_LANG", "zh")
    assert (
        ok(site, "due", "--staff", "Wang Fang").stdout.splitlines()[1].split("┃")[0].strip()
        == "状态"
    )
    monkeypatch.delenv("CAREOPS_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert (
        ok(site, "due", "--staff", "Wang Fang").stdout.splitlines()[1].split("┃")[0].strip()
        == "状态"
    )


def test_help_is_translated(site):
    result = ok(site, "--lang", "zh", "due", "--help")
    assert "今日到期和逾期的事项" in result.stdout and "显示此帮助信息并退出" in result.stdout
    english = ok(
        site, "due", "--help"
    ).stdout  # the same process: Typer's own words are English again
    assert (
        "Show this message and exit." in english and "Options" in english and "选项" not in english
    )


# The policy's own words, written for each language.


def test_every_rule_of_the_builtin_policy_has_its_chinese_words():
    from careops.policy.loader import BUILTIN, load_policy

    english, chinese = load_policy(BUILTIN, "en"), load_policy(BUILTIN, "zh")
    pairs = (
        [(e.title, z.title) for e, z in zip(english.rules, chinese.rules, strict=False)]
        + [(e.explain, z.explain) for e, z in zip(english.rules, chinese.rules, strict=False)]
        + [
            (english.office.explain_anonymity, chinese.office.explain_anonymity),
            (english.call_windows.explain, chinese.call_windows.explain),
        ]
    )
    assert [
        en for en, zh in pairs if en == zh or not any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    ] == []
    assert [e.period for e in english.rules] == [
        z.period for z in chinese.rules
    ]  # the same rules, other words


def test_policy_explain_in_english_and_in_chinese(cli):
    english = ok(cli, "policy", "explain", "P1").stdout
    chinese = ok(cli, "--lang", "zh", "policy", "explain", "P1").stdout
    assert english.startswith(
        "P1 · MUST · p1-monthly-visit — monthly visit\n  Every butler must visit"
    )
    assert chinese.startswith("P1 · 必须 · p1-monthly-visit — 每月拜访\n  管家")


def _words_file(tmp_path, text: str):
    from careops.policy.loader import BUILTIN

    policy = tmp_path / "site.toml"
    policy.write_text(BUILTIN.read_text("utf-8"), "utf-8")
    (tmp_path / "site.zh.toml").write_text(text, "utf-8")
    return policy


def test_a_sites_policy_has_its_chinese_words_beside_it(tmp_path):
    from careops.policy.loader import load_policy

    policy = _words_file(tmp_path, '[rule.p1-monthly-visit]\ntitle = "月度走访"\n')
    assert load_policy(policy, "zh").rules[0].title == "月度走访"
    assert load_policy(policy, "en").rules[0].title == "monthly visit"
    assert (
        load_policy(policy, "zh").rules[1].title == "quarterly call, not moved in"
    )  # no words given: English


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        (
            '[rule.p1-monthly-visit]\nperiod = "year"\n',
            "rule.p1-monthly-visit.period is not a title or explanation",
        ),
        ('[rule.no-such-rule]\ntitle = "x"\n', "rule.no-such-rule is not in the policy"),
        ('[call_windows]\ndays = ["mon"]\n', "call_windows.days is not a title or explanation"),
    ],
)
def test_a_words_file_cannot_change_a_rule(tmp_path, words, problem):
    from careops.errors import PolicyError
    from careops.policy.loader import load_policy

    with pytest.raises(PolicyError, match=problem.replace(".", r"\.")):
        load_policy(_words_file(tmp_path, words), "zh")


def test_a_recorded_follow_up_title_is_shown_in_the_policys_words_in_force_keeping_what_it_added():
    from careops.policy.loader import BUILTIN, load_policy, title_in_force

    english = next(r for r in load_policy(BUILTIN, "en").rules if r.id == "residents-survey")
    chinese = next(r for r in load_policy(BUILTIN, "zh").rules if r.id == "residents-survey")
    recorded = "door visit for the satisfaction survey: Residents' survey 2026"
    assert (
        title_in_force(chinese, "residents-survey", recorded)
        == "满意度调查上门拜访: Residents' survey 2026"
    )
    assert title_in_force(english, "residents-survey", "满意度调查上门拜访: 2026年住户调查") == (
        "door visit for the satisfaction survey: 2026年住户调查"
    )
    assert title_in_force(english, "residents-survey", None) == english.title
    assert title_in_force(None, "gone-rule", "what was recorded") == "what was recorded"


def test_periods_in_chinese_are_named_as_people_say_them():
    from careops.calendar.periods import name_of, period_of

    i18n.use("zh")
    i18n.set_today(date(2026, 11, 27))
    assert [period_of("month", date(2026, m, 1)).name() for m in (11, 10, 9)] == [
        "本月",
        "上月",
        "2026年9月",
    ]
    assert [period_of("quarter", date(2026, m, 1)).name() for m in (11, 8, 2)] == [
        "本季度",
        "上季度",
        "2026年第1季度",
    ]
    assert name_of("2026-Q4") == "本季度" and name_of("2025") == "去年"
    assert (
        period_of("month", date(2026, 11, 1)).label() == "2026-11"
    )  # for programs: the same in every language
    i18n.use("en")
    assert period_of("month", date(2026, 11, 1)).name() == "2026-11"


def test_a_table_of_chinese_names_and_units_stays_aligned(site):
    from rich.cells import cell_len

    ok(site, "resident", "add", "欧阳娜娜", "--unit", "12栋1单元2203", "--zone", "A")
    for args in (("--lang", "zh", "due", "--all"), ("resident", "list")):
        lines = [
            line
            for line in ok(site, *args).stdout.splitlines()
            if any(bar in line for bar in "┃│╇")
        ]
        bars = [[cell_len(line[:i]) for i, ch in enumerate(line) if ch in "┃│╇"] for line in lines]
        assert len(lines) > 2 and all(b == bars[0] for b in bars), "\n".join(lines)


def test_the_demo_speaks_chinese_when_the_locale_is_chinese(cli, monkeypatch):
    monkeypatch.delenv("CAREOPS_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = ok(cli, "demo", "--households", "12").stdout
    assert out.startswith("演示小区：")
    butler = out.split('--staff "', 1)[1].split('"', 1)[0]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in butler)
    units = [r["unit"] for r in cli.json("resident", "list", now=NOW)]
    assert units[0] == "1栋1单元101" and all("栋" in u and "单元" in u for u in units)
    assert ok(cli, "due", "--staff", butler).stdout.splitlines()[1].split("┃")[0].strip() == "状态"
