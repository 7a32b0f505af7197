"""The monthly report's contacts owed by a role (P2 the center manager's, H3.2 leadership's liaison, and any cadence
rule of a site's own that no butler's plan covers): one section per clause, one row per rule.

For each rule, as `due` counts it: the contacts the rule asks for in its period (one for a whole group under
`mode = "any"`), those made in the period up to the month's end by a role the rule allows, those not made yet,
those of a period that ended in the month without one (missed), and those not made last period either
(overdue). One aggregate query per rule over its subjects: never a step per subject.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, Integer, and_, cast, func, select

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, Rule
from careops.report.model import TEXT, YESNO, Column, Section
from careops.report.visits import met_in, rule_from, under_rule
from careops.report.window import Month, as_of, count_if
from careops.scheduler.cadence import qualifying
from careops.scheduler.owners import OWNER_WORDS, role_holder
from careops.scheduler.plans import plan_rules
from careops.scheduler.tables import party, tag, visit

# What this module says to people (one place, ready for translation).
TITLE = _("The {owner}'s own contacts")
NOTE = _(
    "Asked for: the contacts the rule asks for in its period (one for a whole group). Met: made in the period, "
    "to the month's end, by someone the rule allows. Missed: its period ended in the month without one. "
    "Overdue: none last period either."
)
L_RULE = _("Rule")
L_PERIOD = _("Period")
L_ASKED = _("Asked for")
L_MET = _("Met")
L_NOT_MET = _("Not met")
L_MISSED = _("Missed")
L_OVERDUE = _("Overdue")
L_CONTACTS = _("Contacts in month")
L_ALL_MET = _("All met")


def contact_rules(policy: Policy) -> dict[str, list[Rule]]:
    """The cadence rules no butler's plan covers, by clause, in the policy's order."""
    planned = {r.id for r in plan_rules(policy)}
    found: dict[str, list[Rule]] = {}
    for rule in policy.cadence_rules():
        if rule.id not in planned:
            found.setdefault(rule.clause, []).append(rule)
    return found


def contact_sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, taken: set[str]
) -> list[Section]:
    """A section per clause whose owner's role is held on the site, or whose rules ask for anything by the
    month's end: a hospital has no center manager and no committee chair, so no P2 section. `taken`: section
    keys already used."""
    sections = []
    for clause, rules in contact_rules(policy).items():
        rows = [_row(conn, rule, clock, month) for rule in rules]
        owner = rules[0].owner
        held = owner.startswith("role:") and role_holder(
            conn, owner.removeprefix("role:"), clock.today
        )
        if not held and not any(r["asked"] or r["contacts"] for r in rows):
            continue
        key = clause.lower().replace(".", "_")
        key = key + "_contacts" if key in taken else key
        title = TITLE.format(owner=OWNER_WORDS.get(owner) or owner.removeprefix("role:"))
        columns = [
            Column("rule", L_RULE, TEXT),
            Column("period", L_PERIOD, TEXT),
            Column("asked", L_ASKED),
            Column("met", L_MET),
            Column("not_met", L_NOT_MET),
            Column("missed", L_MISSED),
            Column("overdue", L_OVERDUE),
            Column("contacts", L_CONTACTS),
            Column("all_met", L_ALL_MET, YESNO),
        ]
        sections.append(Section(key, title, clause, columns, rows, NOTE, match=("rule",)))
    return sections


def _row(conn: Connection, rule: Rule, clock: Clock, month: Month) -> dict:
    assert rule.period is not None and rule.subject is not None  # a cadence rule
    end = as_of(clock, month)
    period = period_of(rule.period, month.first)
    previous = period.previous()
    # A contact since the previous period began: none means the subject missed that period too (as `due` says).
    recent = met_in(rule, clock.day_start_utc(previous.start), month.end_utc)
    since = tag.c.since if rule.subject.tag else party.c.status_since
    source, in_month = qualifying(
        rule,
        visit.c.party_id == party.c.id,
        month.end_utc - timedelta(microseconds=1),
        since=month.start_utc,
    )
    contacts = select(func.count()).select_from(source).where(in_month).scalar_subquery()
    figures = conn.execute(
        select(
            func.count().label("subjects"),
            count_if(met_in(rule, clock.day_start_utc(period.start), month.end_utc)).label("met"),
            count_if(and_(since.is_not(None), since <= previous.start, ~recent)).label("overdue"),
            count_if(recent).label("recent"),
            func.min(since).label("since"),
            cast(func.coalesce(func.sum(contacts), 0), Integer).label("contacts"),
        )
        .select_from(rule_from(rule))
        .where(*under_rule(rule, month))
    ).one()
    subjects, met, overdue = int(figures.subjects), int(figures.met), int(figures.overdue)
    if rule.mode == "any":  # one of the group: the group is the one thing asked for
        subjects, met = min(subjects, 1), min(met, 1)
        first = figures.since
        overdue = int(bool(subjects and not figures.recent and first and first <= previous.start))
    # The period ended with the month, and the month is over: what was not met is missed.
    ended = end >= clock.day_start_utc(period.after)
    return {
        "rule": rule.title,
        "period": period.name(relative=False),
        "asked": subjects,
        "met": met,
        "not_met": subjects - met,
        "missed": subjects - met if ended else 0,
        "overdue": overdue,
        "contacts": int(figures.contacts),
        "all_met": subjects > 0 and met == subjects,
    }
