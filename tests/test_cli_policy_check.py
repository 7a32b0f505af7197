"""`careops policy check FILE` and `extends = "builtin"` (issue 17): a site's own regime without code."""

from __future__ import annotations

from pathlib import Path

from careops.policy.loader import load_policy

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
WINDOWS = (
    '[call_windows]\nclause = "P3"\nstrength = "should"\ndays = ["tue"]\n'
    'windows = ["09:00-12:00"]\nexplain = "x"\n'
)


def test_policy_check_json_lists_what_a_file_adds_and_changes(cli):
    result = cli.json("policy", "check", str(EXAMPLES / "extends.toml"))
    assert result == {
        "file": str(EXAMPLES / "extends.toml"),
        "valid": True,
        "extends": "builtin",
        "rules": 59,
        "added": ["typhoon-check"],
        "changed": {"emergency-repair": ["explain", "due_in"]},
        "dropped": [],
    }


def test_extends_keeps_the_built_in_rules_and_changes_only_the_fields_given():
    site, builtin = load_policy(EXAMPLES / "extends.toml"), load_policy()
    changed, before = site.get("emergency-repair"), builtin.get("emergency-repair")
    assert (changed.due_in, before.due_in) == ("12h", "24h")
    assert (changed.on, changed.owner, changed.channels) == (
        before.on,
        before.owner,
        before.channels,
    )
    assert [r.id for r in site.rules][: len(builtin.rules)] == [r.id for r in builtin.rules]
    assert site.get("typhoon-check").fallback == builtin.fallback["zone-butler"]


def test_extends_keeps_the_built_in_chinese_words():
    site = load_policy(EXAMPLES / "extends.toml", "zh")
    assert (
        site.get("p1-monthly-visit").title
        == load_policy(language="zh").get("p1-monthly-visit").title
    )


def test_policy_check_refuses_a_bad_file_with_one_error_line(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        WINDOWS + '\n[[rule]]\nid = "x"\nclause = "CH1"\nstrength = "always"\nshape = "cadence"\n'
        'title = "x"\nexplain = "x"\nowner = "role:manager"\nperiod = "month"\n'
        'subject = { kind = "household" }\n',
        "utf-8",
    )
    result = cli("policy", "check", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: Policy file {bad} is not valid: rule.0.strength Input should be 'must', 'should' or "
        "'may'.\n"
    )


def test_extends_names_only_the_built_in_policy(cli, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text('extends = "hospital"\n', "utf-8")
    result = cli("policy", "check", str(other))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: Policy file {other}: extends = 'hospital' is not known; the only policy a file may "
        'extend is "builtin".\n',
    )


def test_a_site_event_named_by_a_rule_is_an_event(cli, monkeypatch):
    """Event kinds are whatever the rules' `on` lists name: the typhoon of extends.toml."""
    monkeypatch.setenv("CAREOPS_POLICY", str(EXAMPLES / "extends.toml"))
    cli("zone", "add", "A")
    cli("resident", "add", "Zhang San", "--unit", "1-101", "--zone", "A")
    result = cli("event", "1-101", "typhoon", now="2026-11-27 08:30")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(
        "Follow-up #1 (S1 must): check on the household"
    )
