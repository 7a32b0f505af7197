"""`careops policy check FILE`: is a site's policy file valid, and what would it change?"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from careops.errors import PolicyError
from careops.i18n import _
from careops.policy.loader import BUILTIN, NO_FILE, load_policy
from careops.policy.models import Policy

# What this module says to people (one place, ready for translation).
VALID = _("{path} is valid: {rules} rules.")
EXTENDS = _("It extends the built-in policy ({builtin} rules).")
REPLACES_ALL = _(
    "It replaces the built-in policy: of its {builtin} rules, {kept} are in this file, {dropped} are not."
)
OWN_ONLY = _(
    'It replaces the built-in policy: only its own rules apply (start it with `extends = "builtin"` to '
    "keep the {builtin} built-in rules and add these)."
)
ADDS = _("Adds {id} ({clause} {strength}, {shape}): {title}")
CHANGES = _("Changes {id} ({clause}): {fields}")
DROPS = _("Drops {id} ({clause}): {title}")
UNCHANGED = _("Nothing differs from the built-in policy.")
IGNORED = ("titles",)  # set by the loader, not by the file


@dataclass
class Checked:
    path: Path
    extends: str | None
    rules: int
    builtin: int
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "valid": True,
            "extends": self.extends,
            "rules": self.rules,
            "added": self.added,
            "changed": self.changed,
            "dropped": self.dropped,
        }


def check_file(path: Path) -> tuple[Checked, Policy, Policy]:
    """Load `path` as the policy would be (PolicyError when it is not valid) and compare it with the built-in one."""
    if not path.is_file():
        raise PolicyError(NO_FILE.format(path=path))
    site = load_policy(path)
    builtin = load_policy(BUILTIN)
    extends = tomllib.loads(path.read_text("utf-8")).get("extends")
    ours = {r.id: r for r in builtin.rules}
    found = Checked(path, extends, len(site.rules), len(builtin.rules))
    for rule in site.rules:
        old = ours.get(rule.id)
        if old is None:
            found.added.append(rule.id)
            continue
        new, was = rule.model_dump(exclude=set(IGNORED)), old.model_dump(exclude=set(IGNORED))
        fields = [k for k in new if new[k] != was[k]]
        if fields:
            found.changed[rule.id] = fields
    have = {r.id for r in site.rules}
    found.dropped = [r.id for r in builtin.rules if r.id not in have]
    return found, site, builtin


def lines(found: Checked, site: Policy, builtin: Policy) -> list[str]:
    """What `policy check` prints: valid, and each rule it adds, changes or drops."""
    said = [VALID.format(path=found.path, rules=found.rules)]
    if found.extends:
        said.append(EXTENDS.format(builtin=found.builtin))
    elif len(found.dropped) == found.builtin:
        said.append(OWN_ONLY.format(builtin=found.builtin))
    else:
        kept = found.builtin - len(found.dropped)
        said.append(
            REPLACES_ALL.format(builtin=found.builtin, kept=kept, dropped=len(found.dropped))
        )
    for rule_id in found.added:
        r = site.get(rule_id)
        said.append(
            ADDS.format(id=r.id, clause=r.clause, strength=r.strength, shape=r.shape, title=r.title)
        )
    for rule_id, fields in found.changed.items():
        said.append(
            CHANGES.format(id=rule_id, clause=site.get(rule_id).clause, fields=", ".join(fields))
        )
    if found.extends is None and len(found.dropped) < found.builtin:
        for rule_id in found.dropped:
            r = builtin.get(rule_id)
            said.append(DROPS.format(id=r.id, clause=r.clause, title=r.title))
    if not (found.added or found.changed or (found.dropped and not found.extends)):
        said.append(str(UNCHANGED))
    return said
