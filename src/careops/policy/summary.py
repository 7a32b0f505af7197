"""The policy in words and rows, for `policy show` and `policy explain`."""

from __future__ import annotations

from careops.errors import NotFound
from careops.policy.models import Policy, Rule

# What this module says to people (one place, ready for translation).
TAGGED = "tag={tag}"
ANY_ONE = "any one {words}"
EACH = "each {words}"
NO_RULE = "no rule or clause {which!r}. Known: {known}."
RULE_BLOCK = "{clause} · {strength} · {id} — {title}\n  {explain}"
WINDOWS_BLOCK = "{clause} · {strength} · call windows — {days} {windows}\n  {explain}"


def rule_rows(policy: Policy) -> list[dict]:
    return [{"id": r.id, "clause": r.clause, "strength": r.strength, "shape": r.shape, "period": r.period,
             "subject": _subject(r), "owner": r.owner, "title": r.title} for r in policy.rules]


def _subject(rule: Rule) -> str | None:
    if rule.subject is None:
        return rule.trigger
    s = rule.subject
    words = [s.kind] + [v.value if hasattr(v, "value") else v for v in (s.status, s.contact_kind) if v]
    if s.tag:
        words.append(TAGGED.format(tag=s.tag))
    return (ANY_ONE if rule.mode == "any" else EACH).format(words=" ".join(words))


def explain(policy: Policy, which: str | None = None) -> list[str]:
    rules = list(policy.rules)
    windows = policy.call_windows
    if which:
        key = which.strip()
        rules = [r for r in rules if r.id == key.lower() or r.clause.upper() == key.upper()
                 or r.clause.upper().startswith(key.upper() + ".")]
        if not rules and key.upper() != windows.clause:
            known = ", ".join(sorted({r.clause for r in policy.rules} | {r.id for r in policy.rules}))
            raise NotFound(NO_RULE.format(which=which, known=known))
    blocks = [RULE_BLOCK.format(clause=r.clause, strength=r.strength.upper(), id=r.id, title=r.title, explain=r.explain)
              for r in rules]
    if not which or which.strip().upper() == windows.clause:
        blocks.append(WINDOWS_BLOCK.format(clause=windows.clause, strength=windows.strength.upper(),
                                           days=", ".join(windows.days), windows=", ".join(windows.windows),
                                           explain=windows.explain))
    return blocks
