"""The earlier policy format, read as the rules it meant.

Before every obligation was a `[[rule]]`, the register's, the employee-relations and the hospital office's
obligations were keys of `[register]`, `[people]` and `[office]` (with `[[office.meeting]]`, `[[office.check]]`
and `[[office.survey]]` lists). A site file written then still loads: each such section brings the built-in
rules of the shapes it configured (unless the file has rules of those shapes) and its keys set their fields.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

BUILTIN = Path(__file__).with_name("builtin.toml")

Match = Callable[[dict[str, Any]], bool]
Value = Callable[[Any], Any]


def _shape(*shapes: str) -> Match:
    return lambda rule: rule.get("shape") in shapes


def _step(exit_interview: bool) -> Match:
    return lambda rule: (
        rule.get("shape") == "leave-step"
        and ((rule.get("step") == "exit-interview") == exit_interview)
    )


def _same(value: Any) -> Any:
    return value


# (section, key) -> (which rules, which field, how the value reads there)
KEYS: dict[tuple[str, str], tuple[Match, str, Value]] = {
    ("register", "clause"): (_shape("register-chase"), "clause", _same),
    ("register", "strength"): (_shape("register-answer", "register-chase"), "strength", _same),
    ("register", "answer_clause"): (_shape("register-answer"), "clause", _same),
    ("register", "chase_after"): (_shape("register-chase"), "due_in", _same),
    ("register", "explain"): (_shape("register-answer"), "explain", _same),
    ("people", "one_to_one_clause"): (_shape("one-to-one"), "clause", _same),
    ("people", "one_to_one_minutes"): (_shape("one-to-one"), "minutes", _same),
    ("people", "company_roles"): (_shape("one-to-one"), "among", _same),
    ("people", "interview_clause"): (_shape("probation", "interview"), "clause", _same),
    ("people", "interview_within"): (_shape("interview"), "due_in", _same),
    ("people", "probation_opens"): (_shape("probation"), "opens", _same),
    ("people", "contract_clause"): (_shape("contract"), "clause", _same),
    ("people", "contract_notice_days"): (_shape("contract"), "opens", lambda n: f"{n}d"),
    ("people", "leave_clause"): (_step(False), "clause", _same),
    ("people", "exit_clause"): (_step(True), "clause", _same),
    ("people", "exit_interview_by"): (
        _step(True),
        "owner",
        lambda by: "manager" if by == "manager" else "role:hr",
    ),
    ("people", "appeal_clause"): (
        _shape("appeal-decision", "appeal-notify"),
        "clause",
        lambda c: f"{c}.5",
    ),
    ("people", "decision_within"): (_shape("appeal-decision"), "due_in", _same),
    ("people", "notify_within"): (_shape("appeal-notify"), "due_in", _same),
    ("people", "explain_one_to_one"): (_shape("one-to-one"), "explain", _same),
    ("people", "explain_interview"): (_shape("probation", "interview"), "explain", _same),
    ("people", "explain_contract"): (_shape("contract"), "explain", _same),
    ("people", "explain_leave"): (_step(False), "explain", _same),
    ("people", "explain_exit"): (_step(True), "explain", _same),
    ("people", "explain_appeal"): (_shape("appeal-decision", "appeal-notify"), "explain", _same),
    ("office", "action_within"): (_shape("action"), "due_in", _same),
    ("office", "action_clause"): (lambda r: r.get("action") == "opinion", "clause", _same),
    ("office", "check_clause"): (lambda r: r.get("action") == "check", "clause", _same),
    ("office", "scheduled_ahead_days"): (_shape("meeting-scheduled"), "opens", lambda n: f"{n}d"),
    ("office", "check_period"): (_shape("check"), "period", _same),
    ("office", "check_owner"): (_shape("check"), "owner", _same),
    ("office", "explain_action"): (
        lambda r: r.get("action") in ("opinion", "cooperation"),
        "explain",
        _same,
    ),
    ("office", "explain_check"): (_shape("check"), "explain", _same),
}
# The shapes whose built-in rules a section of the earlier format brings.
SECTION_SHAPES = {
    "register": ("register-answer", "register-chase"),
    "people": (
        "one-to-one",
        "probation",
        "interview",
        "contract",
        "leave-step",
        "appeal-decision",
        "appeal-notify",
    ),
    "office": ("meeting-scheduled", "action"),
}
LISTS = ("meeting", "check", "survey")  # [[office.meeting]] … : each item becomes a rule


@cache
def _builtin_rules() -> tuple[dict[str, Any], ...]:
    return tuple(tomllib.loads(BUILTIN.read_text("utf-8")).get("rule", ()))


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """`data` (a policy file's tables) with the earlier format's keys turned into rules; unchanged if none."""
    earlier = {
        section: {k: v for k, v in data[section].items() if (section, k) in KEYS or k in LISTS}
        for section in SECTION_SHAPES
        if isinstance(data.get(section), dict)
    }
    if not any(earlier.values()) and "people" not in data:
        return data
    data = dict(data)
    rules = [dict(r) if isinstance(r, dict) else r for r in data.get("rule", [])]
    have = {r.get("shape") for r in rules if isinstance(r, dict)}
    for section, keys in earlier.items():
        if section == "people" or keys:
            wanted = set(SECTION_SHAPES[section]) - have
            rules += [dict(r) for r in _builtin_rules() if r["shape"] in wanted]
        data[section] = {k: v for k, v in data[section].items() if k not in keys}
        for key, value in keys.items():
            if key in LISTS:
                rules += [_list_rule(key, item, keys) for item in value if isinstance(item, dict)]
                continue
            match, field, read = KEYS[(section, key)]
            for rule in rules:
                if isinstance(rule, dict) and match(rule):
                    rule[field] = read(value)
    if "people" in data and not data["people"]:
        del data[
            "people"
        ]  # every key read: a [people] with other keys stays, and is refused as unknown
    data["rule"] = rules
    return data


def _list_rule(kind: str, item: dict[str, Any], office: dict[str, Any]) -> dict[str, Any]:
    if kind == "meeting":
        return {
            "id": f"meeting-{item.get('kind')}",
            "shape": "meeting",
            "strength": "must",
            "meeting": item.get("kind"),
            "chair": item.get("chair", "dept-head"),
            "explain": item.get("explain", ""),
            **{k: v for k, v in item.items() if k not in ("kind", "chair", "explain")},
        }
    if kind == "check":
        return {
            "id": f"check-{item.get('id')}",
            "clause": item.get("id"),
            "strength": "must",
            "shape": "check",
            "key": item.get("key"),
            "title": item.get("title"),
            "period": office.get("check_period", "month"),
            "owner": office.get("check_owner", "role:office"),
            "explain": office.get("explain_check", ""),
        }
    return {
        "id": f"survey-{item.get('audience')}",
        "strength": "must",
        "shape": "survey-quota",
        "explain": item.get("explain", ""),
        **{k: v for k, v in item.items() if k != "explain"},
    }
