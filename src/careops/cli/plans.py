"""`careops plan`: butlers' visit plans (P1), drafted by careops and approved by the supervisor."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated, Any

import typer

from careops import i18n
from careops.cli.context import open_env
from careops.cli.options import FormatOpt, a_month
from careops.i18n import _
from careops.vocab import CalendarFormat, Format

app = typer.Typer(
    help="Visit plans (P1): draft a butler's month, show it, approve it, the year at a glance.",
    no_args_is_help=True,
)

MonthOpt = Annotated[
    date | None,
    typer.Option(
        "--month", parser=a_month, metavar="YYYY-MM", help="Which month (default: this one)."
    ),
]
PlanStaffOpt = Annotated[
    str | None, typer.Option("--staff", metavar="STAFF", help="The butler (name or id).")
]

DAY_COLUMNS = [
    ("day", _("Day")),
    ("weekday", _("Wd")),
    ("clause", _("Clause")),
    ("title", _("What")),
    ("name", _("Who")),
    ("unit", _("Unit")),
    ("zone", _("Zone")),
    ("channel", _("How")),
    ("status", _("Status")),
]
PLAN_COLUMNS = [
    ("id", _("Plan")),
    ("staff", _("Butler")),
    ("state", _("State")),
    ("approved_by", _("Approved by")),
    ("approved_on", _("On")),
    ("households", _("Households")),
    ("days", _("Days")),
    ("done", _("Done")),
    ("missed", _("Missed")),
]

# What this module says to people (one place, ready for translation).
DRAFTED = _(
    "Drafted plan #{id} for {staff}, {month}: {households} over {days} working days "
    "(longest-uncontacted first{replaced}). "
    "Approve: `careops plan approve --staff {quoted} --month {month} --by SUPERVISOR`."
)
REPLACED = _("; replaces draft #{id}")
APPROVED = _("Approved {staff}'s visit plan for {period} (#{id}), by {by}.")
HEADER = _(
    "Plan #{id} for {staff}, {month}: {state}{by} — {households} on {working_days} days; "
    "done {done}, missed {missed}."
)
HOUSEHOLDS = (_("{n} household"), _("{n} households"))  # one, more (or none)
EVERY_BUTLER = _("every butler")
APPROVED_BY = _(" by {by} on {day}")
YEAR_HEADER = _(
    "{staff}'s visit plan for {year}{approved}: ✓ contacted, ✗ the period ended without contact, "
    "MM-DD planned day (✗MM-DD: the day passed without contact), · still to do."
)
YEAR_APPROVED = _(" (approved on {day})")
YEAR_NOT_APPROVED = _(" (not approved yet)")
NO_HOUSEHOLDS = _("No household to plan.")
BAD_YEAR = _("--year {text!r} is not a year like 2027.")
ICS_NAME = _("careops plan — {staff} {month}")


def a_year(text: str) -> int:
    from careops.clock import FIRST_YEAR, LAST_YEAR

    value = (text or "").strip()
    if not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise typer.BadParameter(BAD_YEAR.format(text=text))
    return int(value)


YearOpt = Annotated[
    int | None, typer.Option("--year", parser=a_year, metavar="YYYY", help="Which year.")
]


@app.command(name="month")
def plan_month(ctx: typer.Context, staff: PlanStaffOpt = None, month: MonthOpt = None) -> None:
    """Draft the month's visit plan: every household under the butler's cadence rules gets a working day,
    longest-uncontacted first, spread evenly; phone calls never on a Monday (P3). Without --staff: every
    butler's. Redrafting replaces a draft; an approved plan must be voided first.
    Example: careops plan month --staff "Wang Fang" --month 2026-12"""
    from careops.calendar.workdays import WorkCalendar
    from careops.services.plans import draft_month
    from careops.shell import arg

    calendar = WorkCalendar()
    with open_env(ctx) as env:
        drafted = draft_month(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            calendar=calendar,
            staff_ref=staff,
            month=month,
        )
    _unpublished(calendar)
    for d in drafted:
        typer.echo(
            DRAFTED.format(
                id=d.plan_id,
                staff=d.staff,
                month=i18n.month(d.month),
                households=_households(d.households),
                days=d.days,
                replaced=REPLACED.format(id=d.replaced) if d.replaced else "",
                quoted=arg(d.staff),
            )
        )


@app.command(name="show")
def plan_show(
    ctx: typer.Context,
    staff: PlanStaffOpt = None,
    month: MonthOpt = None,
    fmt: Annotated[
        CalendarFormat,
        typer.Option(
            "--format",
            "-f",
            help="table for people, json or csv for programs, ics for a phone calendar.",
        ),
    ] = CalendarFormat.table,
) -> None:
    """A butler's plan day by day, with what is done and what was missed; without --staff, every butler's plan
    of the month in one line each. Example: careops plan show --staff "Wang Fang" --format ics > plan.ics"""
    from careops.render.output import emit, to_json
    from careops.services.plans import month_days, show_month

    with open_env(ctx, write=False) as env:
        if fmt == CalendarFormat.ics and staff is None:  # every butler's plan in one calendar
            data: dict[str, Any] = {
                "month": (month or env.clock.today).strftime("%Y-%m"),
                "days": month_days(
                    session=env.session, clock=env.clock, policy=env.policy, month=month
                ),
            }
        else:
            data = show_month(
                session=env.session,
                clock=env.clock,
                policy=env.policy,
                staff_ref=staff,
                month=month,
            )
        clock = env.clock
    if fmt == CalendarFormat.ics:
        from careops.render.ics import plan_calendar

        name = ICS_NAME.format(staff=data.get("staff") or EVERY_BUTLER, month=data["month"])
        sys.stdout.buffer.write(plan_calendar(data["days"], clock, name=name))
        return
    if fmt == CalendarFormat.json:
        typer.echo(to_json(data))
        return
    if "plans" in data:
        emit(data["plans"], PLAN_COLUMNS, fmt.value)
        return
    if fmt == CalendarFormat.table:
        by = (
            APPROVED_BY.format(by=data["approved_by"], day=data["approved_on"])
            if data["approved_by"]
            else ""
        )
        typer.echo(
            HEADER.format(**{**data, "by": by, "households": _households(data["households"])})
        )
    emit(data["days"], DAY_COLUMNS, fmt.value, empty=NO_HOUSEHOLDS)


@app.command(name="approve")
def plan_approve(
    ctx: typer.Context,
    staff: Annotated[
        str, typer.Option("--staff", metavar="STAFF", help="The butler whose plan it is.")
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by", metavar="SUPERVISOR", help="The supervisor approving it (role supervisor)."
        ),
    ],
    month: MonthOpt = None,
    year: YearOpt = None,
) -> None:
    (
        """The supervisor approves a butler's monthly plan (--month) or yearly plan (--year) (P1). From then on
    `due` lists each household on its planned day. """
        """Example: careops plan approve --staff "Wang Fang" --month 2026-12 --by "Zhao Min\""""
    )
    from careops.services.plans import approve

    with open_env(ctx) as env:
        if month is None and year is None:  # this month's plan, as --month says
            month = env.clock.today.replace(day=1)
        done = approve(
            session=env.session, clock=env.clock, staff_ref=staff, by_ref=by, month=month, year=year
        )
    typer.echo(APPROVED.format(**done))


@app.command(name="year")
def plan_year(
    ctx: typer.Context,
    staff: Annotated[
        str, typer.Option("--staff", metavar="STAFF", help="The butler (name or id).")
    ],
    year: YearOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The year at a glance: each household of the butler's zones × the twelve months.
    Example: careops plan year --staff "Wang Fang\""""
    from careops.render.output import emit, to_json
    from careops.services.plans import year_grid

    with open_env(ctx, write=False) as env:
        data = year_grid(
            session=env.session, clock=env.clock, policy=env.policy, staff_ref=staff, year=year
        )
    if fmt == Format.json:
        typer.echo(to_json(data))
        return
    columns = [
        ("name", _("Household")),
        ("unit", _("Unit")),
        ("zone", _("Zone")),
        ("title", _("What")),
    ] + [(m, m) for m in data["months"]]
    if fmt == Format.table:
        approved = (
            YEAR_APPROVED.format(day=data["approved_on"])
            if data["approved_on"]
            else YEAR_NOT_APPROVED
        )
        typer.echo(YEAR_HEADER.format(staff=data["staff"], year=data["year"], approved=approved))
    emit(data["households"], columns, fmt.value, empty=NO_HOUSEHOLDS)


def _households(n: int) -> str:
    return HOUSEHOLDS[n != 1].format(n=n)


def _unpublished(calendar) -> None:
    from careops.cli.due import UNPUBLISHED_YEAR

    for year in sorted(calendar.unpublished_years):
        typer.echo(UNPUBLISHED_YEAR.format(year=year), err=True)
