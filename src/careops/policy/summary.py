"""The policy in words and rows, for `policy show` and `policy explain`."""

from __future__ import annotations

from careops.errors import NotFound
from careops.i18n import Text, _
from careops.policy.models import Policy, Rule, parse_offset
from careops.vocab import word

# What this module says to people (one place, ready for translation).
TAGGED = _("tag={tag}")
ANY_ONE = _("any one {words}")
EACH = _("each {words}")
NO_RULE = _("no rule or clause {which!r}. Known: {known}.")
SAME_AS = _("As {id}.")
RULE_BLOCK = _("{clause} · {strength} · {id} — {title}\n  {explain}")
DEADLINE = _("\n  Deadline: {deadline}{default}. Triggered by: {on}.{needs}")
OUR_DEFAULT = _(" (our default, not in the seed)")
NEEDS = _(" Together: {roles}.")
DEADLINE_WORDS = {
    "same-day": _("on the day of the event"),
    "day-before": _("by the day before the event"),
    "event-day": _("by the survey's close date"),
    "h": _("within {n} hours"),
    "d": _("within {n} days"),
    "wd": _("within {n} working days"),
    "mo": _("{n} months after the event"),
}
AFTER_RAIN = _("the day after the first rainy day following the event")
AFTER_RAIN_SHORT = _("the day after rain")
OPENS = _(", listed from {n} days before")
ON_EVENT = _("on {events}")
HOURS = _("{n} h ({severity})")
ANSWER_HOURS = _("\n  Deadline: a clear answer within {hours}{default}.")
# What a rule of each derived shape is about (cadence and event rules say it from their own fields).
SHAPE_SUBJECTS: dict[str, Text] = {
    "register-answer": _("each register entry owed an answer"),
    "register-chase": _("each routed register entry"),
    "register-instruction": _("each matter escalated to a leader"),
    "plan-approval": _("each butler's visit plan"),
    "one-to-one": _("each manager–report pair"),
    "probation": _("each employee on probation"),
    "contract": _("each labour contract"),
    "leave-step": _("each leaving or transfer case"),
    "appeal-decision": _("each appeal's round"),
    "appeal-notify": _("each appeal decided"),
    "meeting-scheduled": _("each scheduled meeting"),
    "action": _("each open action item"),
    "check": _("the hospital"),
}
PER_DEPT = _("each clinical department")
HOSPITAL = _("the hospital")
SURVEY_PERIOD = _("{n} a year")
SURVEY_SUBJECT = _("a survey of {audience}")
BY_LAST_DAY = _("by the last day")
BY_PROBATION_END = _("by the end of probation")
BY_CONTRACT_END = _("by the contract's end, listed {n} days before")
BY_SEVERITY = _("by the severity's hours")
WINDOWS_BLOCK = _("{clause} · {strength} · call windows — {days} {windows}\n  {explain}")


def rule_rows(policy: Policy) -> list[dict[str, object]]:
    """Every rule of the policy, of every shape, as `policy show` lists it (the JSON has every field)."""
    return [
        {
            "id": r.id,
            "clause": r.clause,
            "strength": r.strength,
            "shape": r.shape,
            "period": _period(policy, r),
            "subject": _subject(r),
            "owner": r.owner,
            "title": r.title,
            "settled_by": [role.value for role in r.settled_by],
            "fallback": list(r.fallback),
            "deadline": _deadline_short(r) if r.due_in or r.wait else None,
            "explain": r.explain,
        }
        for r in policy.rules
    ]


def _period(policy: Policy, rule: Rule) -> Text | None:
    """The rule's period, or its deadline in a few words."""
    if rule.shape == "survey-quota":
        return SURVEY_PERIOD.format(n=rule.per_year)
    if rule.period:
        return rule.period
    if rule.due_in or rule.wait:
        return _deadline_short(rule)
    if rule.shape == "register-answer":
        return BY_SEVERITY
    if rule.shape == "leave-step":
        return BY_LAST_DAY
    if rule.shape == "probation":
        return BY_PROBATION_END
    if rule.shape == "contract":
        return BY_CONTRACT_END.format(n=parse_offset(rule.opens or "0d")[0])
    return None


def _subject(rule: Rule) -> Text | None:
    if rule.shape == "meeting":
        return PER_DEPT if rule.per_dept else HOSPITAL
    if rule.shape == "survey-quota":
        return SURVEY_SUBJECT.format(audience=rule.audience)
    if rule.shape in SHAPE_SUBJECTS:
        return SHAPE_SUBJECTS[rule.shape]
    if rule.on:
        return ON_EVENT.format(events=", ".join(rule.on))
    if rule.subject is None:
        return rule.trigger
    s = rule.subject
    words = [word(s.kind)] + [word(v) for v in (s.status, s.contact_kind) if v]
    if s.tag:
        words.append(TAGGED.format(tag=s.tag))
    return (ANY_ONE if rule.mode == "any" else EACH).format(words=" ".join(words))


def explain(policy: Policy, which: str | None = None) -> list[str]:
    """Each rule (of `which`: a rule id, a clause and the clauses under it, or a clause a rule's items take by
    kind) in plain words with its clause and strength; the call windows (P3) too."""
    rules = list(policy.rules)
    windows = policy.call_windows
    if which:
        key = which.strip()
        rules = [r for r in rules if _about(r, key)]
        if not rules and key.upper() != windows.clause:
            known = ", ".join(
                sorted({r.clause for r in policy.rules} | {r.id for r in policy.rules})
            )
            raise NotFound(NO_RULE.format(which=which, known=known))
    said: dict[
        str, str
    ] = {}  # an explanation -> the first rule that gave it (two rules may share one)
    blocks = []
    for r in rules:
        words = SAME_AS.format(id=said[r.explain]) if r.explain in said else r.explain
        said.setdefault(r.explain, r.id)
        blocks.append(
            RULE_BLOCK.format(
                clause=r.clause,
                strength=word(r.strength).upper(),
                id=r.id,
                title=r.title,
                explain=words,
            )
            + _deadline(policy, r)
        )
    if not which or which.strip().upper() == windows.clause:
        blocks.append(
            WINDOWS_BLOCK.format(
                clause=windows.clause,
                strength=word(windows.strength).upper(),
                days=", ".join(windows.days),
                windows=", ".join(windows.windows),
                explain=windows.explain,
            )
        )
    return blocks


def _about(rule: Rule, key: str) -> bool:
    """`key` names the rule: its id, its clause or one above it (P4 → P4.4), or a clause its items take."""
    clauses = [rule.clause.upper(), *(c.upper() for c in rule.clause_by_kind.values())]
    upper = key.upper()
    return rule.id == key.lower() or any(c == upper or c.startswith(upper + ".") for c in clauses)


def deadline_words(text: str) -> Text:
    n, unit = parse_offset(text)
    if text in ("same-day", "day-before", "event-day"):
        return DEADLINE_WORDS[text]
    return DEADLINE_WORDS[unit].format(n=n)


def _deadline(policy: Policy, rule: Rule) -> str:
    if rule.shape == "register-answer":
        hours = ", ".join(
            HOURS.format(n=n, severity=sev) for sev, n in policy.desk.answer_hours.items()
        )
        return ANSWER_HOURS.format(hours=hours, default=OUR_DEFAULT)
    if not rule.on or not (rule.due_in or rule.wait):
        return ""
    deadline = AFTER_RAIN if rule.wait == "rain" else deadline_words(rule.due_in or "")
    if rule.opens:
        deadline += OPENS.format(n=parse_offset(rule.opens)[0])
    needs = NEEDS.format(roles=", ".join(r.value for r in rule.needs)) if rule.needs else ""
    return DEADLINE.format(
        deadline=deadline,
        default=OUR_DEFAULT if rule.default_deadline else "",
        on=", ".join(rule.on),
        needs=needs,
    )


def _deadline_short(rule: Rule) -> Text:
    return AFTER_RAIN_SHORT if rule.wait == "rain" else deadline_words(rule.due_in or "")
