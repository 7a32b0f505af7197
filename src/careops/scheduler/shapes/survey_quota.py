"""Shape `survey-quota` (H3.3, E3): at least `per_year` surveys of the rule's `audience` a calendar year, each
counting once somebody has answered it (`surveys_held`); the n-th due by the end of the n-th equal part of the
year. Patient surveys only on a hospital site; employee surveys once the company's employees are recorded.

A year that ended short carries over, like a cadence's month: when the site kept the rule for the whole previous
year (it became a hospital, or recorded its employees, by that year's 1 January) and fewer than `per_year`
surveys were held in it, the item is overdue with `missed_period` that year, until this year holds as many
surveys as the previous one lacked; this year's own quota stays due as usual (a survey held now counts for
both). Only the immediately previous year carries over."""

from __future__ import annotations

from datetime import date

from careops.calendar.periods import period_of
from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.items import DueItem
from careops.scheduler.office import company_since, hospital_since, survey_deadline, surveys_held
from careops.scheduler.owners import mine
from careops.scheduler.people import staff_item
from careops.scheduler.shapes import Context

# What this module says to people (one place, ready for translation).
TITLE = _("{title}: {count} of {needed} this year")
WHY = _(
    "{clause}: at least {needed} a year; {count} opened in {year} so far "
    "(`careops survey create … --audience {audience}`)"
)
WHY_MISSED = _(
    "{clause}: at least {needed} a year; {count} opened in {year} so far, and only {before} in {previous} "
    "(`careops survey create … --audience {audience}`)"
)


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    clock = ctx.clock
    year = period_of("year", clock.today)
    previous = year.previous()
    found = []
    for rule in rules:
        assert rule.audience is not None and rule.per_year is not None  # the shape needs both
        began = (
            hospital_since(ctx.conn, clock)
            if rule.audience == "patients"
            else company_since(ctx.conn, clock)
        )
        if began is None:
            continue
        owner, fell = ctx.roles.owner(rule)
        if not mine(ctx.scope.owner_id, owner):
            continue
        count = ctx.conn.execute(surveys_held(rule.audience, year, clock)).scalar_one()
        if count >= rule.per_year:
            continue
        before = rule.per_year
        if began <= previous.start:
            before = ctx.conn.execute(surveys_held(rule.audience, previous, clock)).scalar_one()
        missed = count < rule.per_year - before
        due = survey_deadline(clock.today.year, rule.per_year, count)
        part_start = date(due.year, due.month - 12 // rule.per_year + 1, 1)
        if due < clock.today and began > part_start:
            due = year.end  # that part of the year began before the site kept this rule
        found.append(
            staff_item(
                rule,
                kind="survey",
                title=TITLE.format(title=rule.title, count=count, needed=rule.per_year),
                subject_type="survey",
                subject_id=None,
                subject_name=rule.audience,
                owner=owner,
                due=due,
                status="overdue" if missed or due < clock.today else "due",
                period=year.label(),
                missed=previous.label() if missed else None,
                why=(WHY_MISSED if missed else WHY).format(
                    clause=rule.clause,
                    needed=rule.per_year,
                    count=count,
                    year=year.name(),
                    before=before,
                    previous=previous.name(),
                    audience=rule.audience,
                )
                + fell,
            )
        )
    return found
