"""The policy in words and rows, for `policy show` and `policy explain`."""

from __future__ import annotations

from typing import TypedDict

from careops.errors import NotFound
from careops.i18n import Text, _
from careops.policy.models import Policy, Rule, parse_offset
from careops.vocab import word

# What this module says to people (one place, ready for translation).
TAGGED = _("tag={tag}")
ANY_ONE = _("any one {words}")
EACH = _("each {words}")
NO_RULE = _("no rule or clause {which!r}. Known: {known}.")
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
REGISTER_BLOCK = _(
    "{clause} · {strength} · register — answer within {hours}; chase after {chase} without a step\n"
    "  {explain}"
)
HOURS = _("{n} h ({severity})")
PEOPLE_BLOCK = _("{clause} · {strength} · {id} — {title}\n  {explain}")
PEOPLE_ROWS = [  # (id, clause field, strength, shape, period or deadline, subject, owner, title, explain field)
    (
        "one-to-one",
        "one_to_one_clause",
        "must",
        "cadence",
        _("year"),
        _("each manager–report pair"),
        _("the manager"),
        _("one-to-one of {minutes} min or more"),
        "explain_one_to_one",
    ),
    (
        "probation-interview",
        "interview_clause",
        "must",
        "trigger",
        _("by the end of probation"),
        _("each employee on probation"),
        _("the manager"),
        _("probation-end interview"),
        "explain_interview",
    ),
    (
        "work-interview",
        "interview_clause",
        "must",
        "trigger",
        _("{interview}"),
        _("on pay-change, transfer, appraisal, career, resignation"),
        _("the manager"),
        _("work interview"),
        "explain_interview",
    ),
    (
        "contract-ending",
        "contract_clause",
        "should",
        "deadline",
        _("{notice} days before the end"),
        _("each labour contract"),
        _("role:hr"),
        _("labour contract ending"),
        "explain_contract",
    ),
    (
        "leave",
        "leave_clause",
        "must",
        "deadline",
        _("by the last day"),
        _("each leaving or transfer case"),
        _("the manager, role:hr"),
        _("handover, exit interview (E1.3), audit, final pay"),
        "explain_leave",
    ),
    (
        "exit-interview",
        "exit_clause",
        "must",
        "deadline",
        _("by the last day"),
        _("each leaving case"),
        _("role:hr or the manager"),
        _("exit interview, as the employee prefers"),
        "explain_exit",
    ),
    (
        "appeal",
        "appeal_clause",
        "must",
        "deadline",
        _("decide {decision}; notify {notify}"),
        _("each appeal"),
        _("the receiver"),
        _("decide and notify an appeal"),
        "explain_appeal",
    ),
]
WINDOWS_BLOCK = _("{clause} · {strength} · call windows — {days} {windows}\n  {explain}")


class _Row(TypedDict):
    """A rule of the `[people]` or `[office]` section, in the shape of the other rules."""

    id: str
    clause: str
    strength: str
    shape: str
    period: Text | None
    subject: Text | None
    owner: Text
    title: Text
    explain: str


def rule_rows(policy: Policy) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {
            "id": r.id,
            "clause": r.clause,
            "strength": r.strength,
            "shape": r.shape,
            "period": r.period or (_deadline_short(r) if r.shape == "followup" else None),
            "subject": _subject(r),
            "owner": r.owner,
            "title": r.title,
        }
        for r in policy.rules
    ]
    return rows + [
        {k: v for k, v in row.items() if k != "explain"}
        for row in _people_rows(policy) + _office_rows(policy)
    ]


# (id, strength, shape, period, subject, owner, title)
OFFICE_ACTION: tuple[str, str, str, str, Text, Text, Text] = (
    "action",
    "must",
    "deadline",
    "{within}",
    _("each opinion raised, cooperation agreed, failed check"),
    _("its owner"),
    _("act on it, or explain why not"),
)
OFFICE_CHECK: tuple[str, str, str, str, Text, Text, Text] = (
    "disclosure-check",
    "must",
    "cadence",
    "{period}",
    _("each of H3.7.1 … H3.7.7"),
    "{owner}",
    _("check the disclosure rules"),
)
PER_DEPT = _("each clinical department")
HOSPITAL = _("the hospital")
SURVEY_PERIOD = _("{n} a year")
SURVEY_SUBJECT = _("a survey of {audience}")


def _office_rows(policy: Policy) -> list[_Row]:
    """The hospital office's rules (H3.3–H3.7) and the employee survey (E3), in the shape of the other rules."""
    office = policy.office
    rows: list[_Row] = [
        {
            "id": f"meeting-{m.kind}",
            "clause": m.clause,
            "strength": "must",
            "shape": "cadence",
            "period": m.period,
            "subject": PER_DEPT if m.per_dept else HOSPITAL,
            "owner": m.owner,
            "title": m.title,
            "explain": m.explain,
        }
        for m in office.meeting
    ]
    rid, strength, shape, period, subject, owner, title = OFFICE_ACTION
    rows.append(
        {
            "id": rid,
            "clause": office.action_clause,
            "strength": strength,
            "shape": shape,
            "period": period.format(within=deadline_words(office.action_within)),
            "subject": subject,
            "owner": owner,
            "title": title,
            "explain": office.explain_action,
        }
    )
    rid, strength, shape, period, subject, owner, title = OFFICE_CHECK
    rows.append(
        {
            "id": rid,
            "clause": office.check_clause,
            "strength": strength,
            "shape": shape,
            "period": period.format(period=office.check_period),
            "subject": subject,
            "owner": owner.format(owner=office.check_owner),
            "title": title,
            "explain": office.explain_check,
        }
    )
    rows += [
        {
            "id": f"survey-{r.audience}",
            "clause": r.clause,
            "strength": "must",
            "shape": "cadence",
            "period": SURVEY_PERIOD.format(n=r.per_year),
            "subject": SURVEY_SUBJECT.format(audience=r.audience),
            "owner": r.owner,
            "title": r.title,
            "explain": r.explain
            + ("\n  " + office.explain_anonymity if r.audience == "employees" else ""),
        }
        for r in office.survey
    ]
    return rows


def _people_rows(policy: Policy) -> list[_Row]:
    """The employee-relations rules (E1, E2) of the `[people]` section, in the shape of the other rules."""
    people = policy.people
    words = {
        "minutes": people.one_to_one_minutes,
        "interview": deadline_words(people.interview_within),
        "notice": people.contract_notice_days,
        "decision": deadline_words(people.decision_within),
        "notify": deadline_words(people.notify_within),
    }
    return [
        {
            "id": rid,
            "clause": getattr(people, clause),
            "strength": strength,
            "shape": shape,
            "period": period.format(**words),
            "subject": subject,
            "owner": owner,
            "title": title.format(**words),
            "explain": getattr(people, explain),
        }
        for rid, clause, strength, shape, period, subject, owner, title, explain in PEOPLE_ROWS
    ]


def _subject(rule: Rule) -> str | None:
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
    rules = list(policy.rules)
    people = _people_rows(policy) + _office_rows(policy)
    windows = policy.call_windows
    if which:
        key = which.strip()
        rules = [
            r
            for r in rules
            if r.id == key.lower()
            or r.clause.upper() == key.upper()
            or r.clause.upper().startswith(key.upper() + ".")
        ]
        people = [
            p
            for p in people
            if p["id"] == key.lower()
            or key.lower().startswith(p["id"] + "-")
            or p["clause"].upper() == key.upper()
            or p["clause"].upper().startswith(key.upper() + ".")
            or key.upper().startswith(p["clause"].upper() + ".")
        ]
        if (
            not rules
            and not people
            and key.upper() not in (windows.clause, policy.desk.clause, policy.desk.answer_clause)
            and key.lower() != "register"
        ):
            known = ", ".join(
                sorted(
                    {r.clause for r in policy.rules}
                    | {r.id for r in policy.rules}
                    | {p["clause"] for p in _people_rows(policy) + _office_rows(policy)}
                    | {p["id"] for p in _people_rows(policy) + _office_rows(policy)}
                )
            )
            raise NotFound(NO_RULE.format(which=which, known=known))
    blocks = [
        RULE_BLOCK.format(
            clause=r.clause,
            strength=word(r.strength).upper(),
            id=r.id,
            title=r.title,
            explain=r.explain,
        )
        + (_deadline(r) if r.shape == "followup" else "")
        for r in rules
    ]
    seen: set[tuple[str, str]] = set()
    for p in people:  # the two E2.2 rows share one explanation
        if (p["clause"], p["explain"]) not in seen:
            seen.add((p["clause"], p["explain"]))
            blocks.append(
                PEOPLE_BLOCK.format(
                    clause=p["clause"],
                    strength=word(p["strength"]).upper(),
                    id=p["id"],
                    title=p["title"],
                    explain=p["explain"],
                )
            )
    desk = policy.desk
    if (
        not which
        or which.strip().upper() in (desk.clause, desk.answer_clause)
        or which.strip().lower() == "register"
    ):
        hours = ", ".join(HOURS.format(n=n, severity=sev) for sev, n in desk.answer_hours.items())
        blocks.append(
            REGISTER_BLOCK.format(
                clause=desk.clause,
                strength=word(desk.strength).upper(),
                hours=hours,
                chase=deadline_words(desk.chase_after).removeprefix("within "),
                explain=desk.explain,
            )
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


def deadline_words(text: str) -> Text:
    n, unit = parse_offset(text)
    if text in ("same-day", "day-before", "event-day"):
        return DEADLINE_WORDS[text]
    return DEADLINE_WORDS[unit].format(n=n)


def _deadline(rule: Rule) -> str:
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
