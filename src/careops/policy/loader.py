"""Load and validate a policy file; the built-in one ships beside this module."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from careops import i18n
from careops.errors import PolicyError
from careops.i18n import _
from careops.policy.models import Policy, Rule

BUILTIN = Path(__file__).with_name("builtin.toml")

# What this module says to people (one place, ready for translation).
NO_FILE = _("policy file {path} does not exist.")
NOT_TOML = _("policy file {path} is not valid TOML: {error}.")
NOT_IN_POLICY = _("policy words {path}: {where} is not in the policy.")
NOT_WORDS = _(
    "policy words {path}: {where} is not a title or explanation of the policy (only words can be translated)."
)
NOT_EXTENDS = _(
    'policy file {path}: extends = {value!r} is not known; the only policy a file may extend is "builtin".'
)
NOT_VALID = _("policy file {path} is not valid: {where} {problem}.")


def load_policy(path: Path | None = None, language: str | None = None) -> Policy:
    """The policy in force: `path`, else `CAREOPS_POLICY`, else the built-in one; its words in `language`
    (default: the language in force) when a words file `<policy>.<language>.toml` lies beside it."""
    chosen = path or (
        Path(os.environ["CAREOPS_POLICY"]) if os.environ.get("CAREOPS_POLICY") else BUILTIN
    )
    return _load(chosen.resolve(), language or i18n.current())


@lru_cache(maxsize=8)
def _load(path: Path, language: str) -> Policy:
    data, words = _read(path), _words_of(path)
    if "extends" in data:
        if data["extends"] != "builtin":
            raise PolicyError(NOT_EXTENDS.format(path=path, value=data["extends"]))
        base, base_words = _read(BUILTIN), _words_of(BUILTIN)
        data = extend(base, data)
        words = {
            lang: extend(base_words.get(lang, {}), words.get(lang, {}))
            for lang in base_words.keys() | words.keys()
        }
    # Every title a rule has in the site's languages: a follow-up keeps the title of the day it was written.
    for rule in data.get("rule", []) if isinstance(data.get("rule"), list) else []:
        if isinstance(rule, dict) and isinstance(rule.get("title"), str):
            said = [w.get("rule", {}).get(rule.get("id"), {}).get("title") for w in words.values()]
            rule["titles"] = [rule["title"], *(t for t in said if isinstance(t, str))]
    if language in words:
        _put_words(data, words[language], path.with_name(f"{path.stem}.{language}.toml"), "")
    try:
        return Policy.model_validate(data)
    except (ValidationError, ValueError) as exc:
        first = (
            exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
        )
        where = ".".join(str(p) for p in first["loc"])
        raise PolicyError(
            NOT_VALID.format(path=path, where=where, problem=first["msg"]).replace("  ", " ")
        ) from None


def _words_of(path: Path) -> dict[str, dict[str, Any]]:
    """The words files beside a policy file (`site.zh.toml`): language -> its tables."""
    return {
        other: _read(file)
        for other in i18n.LANGUAGES
        if other != "en" and (file := path.with_name(f"{path.stem}.{other}.toml")).is_file()
    }


def extend(base: dict[str, Any], site: dict[str, Any]) -> dict[str, Any]:
    """The built-in policy (`base`) with a site's file over it (`extends = "builtin"`).

    A table's keys replace the built-in ones key by key (`[fallback]`, `[call_windows]`…). A rule whose `id` is
    a built-in rule's replaces it in place: the fields the site gives replace the built-in rule's, the others
    stay (a rule of another shape replaces it whole); any other rule is added after the built-in ones."""
    merged = dict(base)
    for key, value in site.items():
        old = merged.get(key)
        if key == "rule" and isinstance(value, list) and isinstance(old, list):
            merged[key] = _rules_over(old, value)
        elif isinstance(value, dict) and isinstance(old, dict):
            merged[key] = extend(old, value) if key == "rule" else {**old, **value}
        else:
            merged[key] = value
    merged.pop("extends", None)
    return merged


def _rules_over(base: list[Any], site: list[Any]) -> list[Any]:
    rules = [dict(r) if isinstance(r, dict) else r for r in base]
    where = {r.get("id"): i for i, r in enumerate(rules) if isinstance(r, dict)}
    for rule in site:
        at = where.get(rule.get("id")) if isinstance(rule, dict) else None
        if at is None:
            rules.append(rule)
        elif "shape" in rule and rule["shape"] != rules[at].get("shape"):
            rules[at] = rule
        else:
            rules[at] = {**rules[at], **rule}
    return rules


def title_in_force(rule: Rule | None, rule_id: str, recorded: str | None) -> str:
    """A recorded follow-up's title in the policy's words in force: its rule's title (`rule`, from the policy in
    force) in the language of the command, with whatever the record added kept (`door visit for the satisfaction
    survey: Residents' survey 2026`), whichever of the site's languages it was recorded in. Without its rule: what
    was recorded."""
    if rule is None:
        return recorded or rule_id
    if not recorded:
        return rule.title
    then = next((t for t in rule.titles if recorded.startswith(t)), None)
    return rule.title + recorded[len(then) :] if then else recorded


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PolicyError(NO_FILE.format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(NOT_TOML.format(path=path, error=exc)) from None


def _put_words(policy: dict[str, Any], words: dict[str, Any], path: Path, where: str) -> None:
    """A words file's titles and explanations over the policy's: text only, matched by key, never a rule's values.

    A list of tables (`[[rule]]`) is matched by its key field: `[rule.p1-monthly-visit]`, `[office.check."H3.7.1"]`."""
    for key, value in words.items():
        here = f"{where}.{key}" if where else key
        target = policy.get(key)
        if isinstance(target, list) and isinstance(value, dict) and here in LIST_KEYS:
            items = {item.get(LIST_KEYS[here]): item for item in target}
            for name, item_words in value.items():
                if name not in items or not isinstance(item_words, dict):
                    raise PolicyError(NOT_IN_POLICY.format(path=path, where=f"{here}.{name}"))
                _put_words(items[name], item_words, path, f"{here}.{name}")
        elif isinstance(target, dict) and isinstance(value, dict):
            _put_words(target, value, path, here)
        elif (
            isinstance(target, str)
            and isinstance(value, str)
            and (key in ("title", "explain") or key.startswith("explain_"))
        ):
            policy[key] = value
        else:
            raise PolicyError(NOT_WORDS.format(path=path, where=here))


LIST_KEYS = {
    "rule": "id",
    "office.meeting": "kind",
    "office.check": "id",
    "office.survey": "audience",
}
