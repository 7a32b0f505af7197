"""`careops due`: what is due or overdue today, for whom, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.calendar.periods import name_of
from careops.cli.context import open_env, state
from careops.cli.options import StaffOpt, ZoneOpt
from careops.i18n import _
from careops.vocab import CalendarFormat

COLUMNS = [
    ("status", _("Status")),
    ("due", _("Due")),
    ("clause", _("Clause")),
    ("title", _("What")),
    ("subject_name", _("Who")),
    ("subject_unit", _("Unit")),
    ("owner_name", _("Owner")),
    ("last_contact", _("Last contact")),
    ("strength", _("Strength")),  # must / should / may: a `may` is never overdue, it lapses
]
CSV_COLUMNS = [
    (k, k)
    for k in (
        "rule",
        "clause",
        "strength",
        "kind",
        "subject_type",
        "subject_id",
        "subject_name",
        "subject_unit",
        "owner_id",
        "owner_name",
        "due",
        "status",
        "last_contact",
        "ref",
    )
]

# What this module says to people (one place, ready for translation).
UNPUBLISHED_YEAR = _(
    "Note: China's official holiday schedule for {year} is not published in the calendar data yet; "
    "working days for {year} count weekends and the holidays that can be computed, without make-up working days."
)
NOTHING_DUE = _("Nothing due today.")
ALSO_OPEN = _("Also open, not in today's share: {rest}. `careops due --all` lists every item.")
OPEN_COUNT = _("{title} ×{count}")
MISSED = _("{title} (missed {period})")
PLAN_MISSED = _("{title} (planned day missed)")
TOGETHER = _("{title} (with {names})")
NO_CALL_DAY = _(
    "{now:%a %Y-%m-%d %H:%M} — today is not a day for phone visits ({clause}); visit at the door."
)
CALL_WINDOWS = _("{now:%a %Y-%m-%d %H:%M} — call windows today ({clause}): {spans}")
SPAN = _("{start:%H:%M}–{end:%H:%M}")
PHONE_SUBJECTS = ("household", "contact", "group", "caller")
ICS_NAME = _("careops due — {who} {day}")
ICS_EVERYONE = _("everyone")


def due(
    ctx: typer.Context,
    staff: StaffOpt = None,
    zone: ZoneOpt = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every open item, not just today's share.")
    ] = False,
    fmt: Annotated[
        CalendarFormat,
        typer.Option(
            "--format",
            "-f",
            help="table for people, json or csv for programs, ics for a phone calendar.",
        ),
    ] = CalendarFormat.table,
) -> None:
    """What is due or overdue today, for whom, and why.

    Shows today's share of this period's visits (longest-uncontacted first), every overdue item and
    every callback due today or earlier. Example: careops due --staff "Wang Fang"
    (or, into a phone calendar: careops due --staff "Wang Fang" --format ics > today.ics)
    """
    from careops.render.output import emit, to_json
    from careops.services.due import due_report

    with open_env(ctx, write=False) as env:
        report = due_report(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            staff_ref=staff,
            zone_ref=zone,
            show_all=all_,
            viewer=state(ctx).actor,
        )
        clock = env.clock
    for year in sorted(report.unpublished_years):
        typer.echo(UNPUBLISHED_YEAR.format(year=year), err=True)
    items = report.view.items
    if fmt == CalendarFormat.ics:
        import sys

        from careops.render.ics import due_calendar

        name = ICS_NAME.format(who=staff or zone or ICS_EVERYONE, day=clock.today)
        sys.stdout.buffer.write(due_calendar(items, clock, name=name))
        return
    if fmt == CalendarFormat.json:
        typer.echo(to_json([i.to_json() for i in items]))
        return
    rows = [_flat(i) for i in items]
    if fmt == CalendarFormat.csv:
        emit(rows, CSV_COLUMNS, "csv")
        return
    if not items or any(
        i.subject_type in PHONE_SUBJECTS for i in items
    ):  # the call windows concern visits only
        typer.echo(_windows_line(clock, report))
    emit(rows, COLUMNS, "table", empty=NOTHING_DUE)
    if report.view.remaining:
        rest = "; ".join(
            OPEN_COUNT.format(title=title, count=n)
            for title, n in report.view.remaining.most_common()
        )
        typer.echo(ALSO_OPEN.format(rest=rest))


def _flat(item) -> dict:
    data = item.to_json()
    subject, owner = data.pop("subject"), data.pop("owner") or {}
    title = (
        MISSED.format(title=item.title, period=name_of(item.missed)) if item.missed else item.title
    )
    if item.planned is not None and item.status == "overdue" and item.missed is None:
        title = PLAN_MISSED.format(title=title)
    others = [name or role for role, name in item.together if name != item.owner_name]
    if others:
        title = TOGETHER.format(title=title, names=", ".join(others))
    return {
        **data,
        "title": title,
        **{f"subject_{k}": v for k, v in subject.items()},
        "owner_id": owner.get("id"),
        "owner_name": owner.get("name"),
    }


def _windows_line(clock, report) -> str:
    if not report.call_windows:
        return NO_CALL_DAY.format(now=clock.now, clause=report.clause)
    spans = ", ".join(SPAN.format(start=a, end=b) for a, b in report.call_windows)
    return CALL_WINDOWS.format(now=clock.now, clause=report.clause, spans=spans)
