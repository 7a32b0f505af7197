"""`careops meeting` and `careops action`: feedback meetings with minutes (H3.4–H3.6), and what opinions
raised there become."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, StaffOpt, a_date, date_option
from careops.i18n import _
from careops.vocab import Format, MeetingKind, OpinionKind

app = typer.Typer(
    help="Feedback meetings (H3.4–H3.6): ward forums, the hospital forum, supervisors, community reps.",
    no_args_is_help=True,
)
action_app = typer.Typer(
    help="Action items: opinions raised at meetings, cooperation, failed disclosure checks.",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("kind", _("Kind")),
    ("day", _("Day")),
    ("dept", _("Dept")),
    ("chair", _("Chair")),
    ("state", _("State")),
    ("attendees", _("Attendees")),
    ("actions", _("Actions")),
    ("open_actions", _("Open")),
]
ACTION_COLUMNS = [
    ("id", _("ID")),
    ("kind", _("Kind")),
    ("text", _("What")),
    ("owner", _("Owner")),
    ("due", _("Due")),
    ("state", _("State")),
    ("meeting", _("Meeting")),
    ("check", _("Check")),
    ("note", _("Note")),
]
FIELD_LABELS = {
    "id": _("Meeting"),
    "kind": _("Kind"),
    "day": _("Day"),
    "dept": _("Dept"),
    "chair": _("Chair"),
    "state": _("State"),
    "held_on": _("Held on"),
    "attendees_text": _("Attendees"),
    "minutes": _("Minutes"),
}

# What this module says to people (one place, ready for translation).
SCHEDULED = _("Scheduled {kind} #{id} for {day}{dept}{chair}.")
PASSED = _(
    "Note: {day} has passed: once it was held, record its minutes with `careops meeting hold {id} …`."
)
RESCHEDULED = _("Meeting #{id} moved from {before} to {day}.")
FOR_DEPT = _(" ({dept})")
CHAIR = _(", chaired by {chair}")
NO_CHAIR = _("; no chair recorded yet (--chair STAFF)")
HELD = _(
    "Meeting #{id} held on {day}: attendees {n}, minutes recorded. "
    "Opinions raised: `careops meeting opinion {id} TEXT --owner STAFF`."
)
OPINION = _("Action item #{id} ({kind}) for {owner}, due {due}.")
DONE = _("Action item #{id} done{late}.")
EXPLAINED = _("Action item #{id} closed: explained to those who raised it{late}.")
LATE = _(" (after its due day, {due})")
NO_MEETINGS = _("No meetings yet: `careops meeting schedule KIND --date D`.")
NO_ACTIONS = _("No action items.")
ACTIONS = _("Action items")
VOIDED = _("void ({reason})")
OVERDUE = _("overdue")

AttendeeOpt = Annotated[
    list[str] | None,
    typer.Option("--attendee", metavar="NAME", help="Someone who attended (once per person)."),
]


@app.command(name="schedule")
def meeting_schedule(
    ctx: typer.Context,
    kind: Annotated[
        MeetingKind,
        typer.Argument(
            metavar="KIND",
            help="ward-forum, hospital-ward-forum, volunteer-supervisors or community-reps.",
        ),
    ],
    day: Annotated[
        date,
        typer.Option("--date", parser=a_date, metavar="YYYY-MM-DD", help="The day it is held."),
    ],
    dept: Annotated[
        str | None,
        typer.Option("--dept", metavar="DEPT", help="A ward forum's clinical department."),
    ] = None,
    chair: Annotated[
        str | None,
        typer.Option(
            "--chair",
            metavar="STAFF",
            help="Who chairs it (default: the department head, or the policy's owner).",
        ),
    ] = None,
) -> None:
    """Schedule a meeting. Example: careops meeting schedule ward-forum --date 2026-12-03 --dept Surgery"""
    from careops.services.meetings import schedule

    with open_env(ctx) as env:
        result = schedule(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            kind=kind,
            day=day,
            dept_ref=dept,
            chair=chair,
        )
    typer.echo(
        SCHEDULED.format(
            kind=result.kind,
            id=result.id,
            day=result.day,
            dept=FOR_DEPT.format(dept=result.dept) if result.dept else "",
            chair=CHAIR.format(chair=result.chair) if result.chair else NO_CHAIR,
        )
    )
    if result.passed:
        typer.echo(PASSED.format(day=result.day, id=result.id), err=True)


@app.command(name="reschedule")
def meeting_reschedule(
    ctx: typer.Context,
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help="The meeting number.")],
    day: Annotated[
        date, typer.Option("--date", parser=a_date, metavar="YYYY-MM-DD", help="The new day.")
    ],
) -> None:
    """Move a meeting not held yet to another day. Example: careops meeting reschedule 12 --date 2026-12-08"""
    from careops.services.meetings import reschedule

    with open_env(ctx) as env:
        before = reschedule(session=env.session, clock=env.clock, meeting_id=meeting_id, day=day)
    typer.echo(RESCHEDULED.format(id=meeting_id, before=before, day=day))


@app.command(name="hold")
def meeting_hold(
    ctx: typer.Context,
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help="The meeting number.")],
    attendee: AttendeeOpt = None,
    minutes_file: Annotated[
        Path | None,
        typer.Option("--minutes-file", metavar="FILE", help="The minutes, a UTF-8 text file."),
    ] = None,
    minutes: Annotated[
        str | None, typer.Option("--minutes", metavar="TEXT", help="The minutes, as text.")
    ] = None,
    on: Annotated[
        date | None,
        date_option("--on", "The day it was held (default: the day it was scheduled for)."),
    ] = None,
) -> None:
    """Record that a meeting was held, with who attended and its minutes: a meeting without minutes is not held (H3.6).

    Example: careops meeting hold 3 --attendee "Bed 12's daughter" --attendee "Wang Li" --minutes-file forum.txt
    """
    from careops.services.meetings import hold, read_minutes

    text = read_minutes(minutes, str(minutes_file) if minutes_file is not None else None)
    with open_env(ctx) as env:
        result = hold(
            session=env.session,
            clock=env.clock,
            meeting_id=meeting_id,
            attendees=attendee or [],
            minutes=text,
            on=on,
        )
    typer.echo(HELD.format(id=result.id, day=result.day, n=result.attendees))


@app.command(name="opinion")
def meeting_opinion(
    ctx: typer.Context,
    meeting_id: Annotated[
        int, typer.Argument(metavar="ID", help="The meeting where it was raised.")
    ],
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The opinion, or the cooperation agreed.")
    ],
    owner: Annotated[str, typer.Option("--owner", metavar="STAFF", help="Who deals with it.")],
    due: Annotated[
        date | None,
        date_option("--due", "Due by this day (default: 14 days, policy action_within)."),
    ] = None,
    kind: Annotated[
        OpinionKind,
        typer.Option("--kind", help="opinion, or cooperation (community-reps forum, H3.5)."),
    ] = OpinionKind.opinion,
) -> None:
    """An opinion raised at a held meeting becomes an action item with an owner and a due day (H3.4, H3.6).

    Example: careops meeting opinion 3 "night-time noise in ward 5" --owner "Xu Guoliang"
    """
    from careops.services.meetings import add_opinion

    with open_env(ctx) as env:
        result = add_opinion(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            meeting_id=meeting_id,
            text=text,
            owner=owner,
            due=due,
            kind=kind,
        )
    typer.echo(OPINION.format(id=result.id, kind=result.kind, owner=result.owner, due=result.due))


@app.command(name="list")
def meeting_list(
    ctx: typer.Context,
    kind: Annotated[MeetingKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    dept: Annotated[
        str | None,
        typer.Option("--dept", metavar="DEPT", help="Only this department's ward forums."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Meetings, latest first: scheduled or held, attendees, action items (and how many are open)."""
    from careops.render.output import emit
    from careops.services.meetings import list_meetings

    with open_env(ctx, write=False) as env:
        rows = list_meetings(session=env.session, clock=env.clock, kind=kind, dept_ref=dept)
    emit(rows, COLUMNS, fmt.value, empty=NO_MEETINGS)


@app.command(name="show")
def meeting_show(
    ctx: typer.Context,
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help="The meeting number.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """One meeting: who attended, the minutes, and its action items."""
    from careops.render.output import emit_detail, field_rows
    from careops.services.meetings import show_meeting

    with open_env(ctx, write=False) as env:
        data = show_meeting(session=env.session, clock=env.clock, meeting_id=meeting_id)
    void = VOIDED.format(reason=data["void"]["reason"]) if data["void"] else None
    shown = {**data, "attendees_text": ", ".join(data["attendees"])}
    actions = [_action_row(a) for a in data["actions"]]
    emit_detail(
        data,
        fmt.value,
        field_rows(shown, FIELD_LABELS, yes="yes", no="no", void=void),
        ((actions, ACTION_COLUMNS),) if actions else (),
    )


def _action_row(row: dict) -> dict:
    return {**row, "state": OVERDUE if row["overdue"] else row["state"]}


@action_app.command(name="done")
def action_done(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action item.")],
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="What was done.")],
) -> None:
    """Close an action item: done. Example: careops action done 4 --note "quiet hours posted in ward 5"."""
    from careops.services.meetings import close_action

    with open_env(ctx) as env:
        result = close_action(
            session=env.session, clock=env.clock, action_id=action_id, note_text=note
        )
    typer.echo(
        DONE.format(id=result["id"], late=LATE.format(due=result["due"]) if result["late"] else "")
    )


@action_app.command(name="explain")
def action_explain(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action item.")],
    note: Annotated[
        str,
        typer.Option(
            "--note", metavar="TEXT", help="What was explained, and why it cannot be done."
        ),
    ],
) -> None:
    """Close an action item that cannot be done: explained to those who raised it (H3.4).

    Example: careops action explain 5 --note "the car park belongs to the city; told the reps at the forum"
    """
    from careops.services.meetings import close_action

    with open_env(ctx) as env:
        result = close_action(
            session=env.session,
            clock=env.clock,
            action_id=action_id,
            note_text=note,
            explained=True,
        )
    typer.echo(
        EXPLAINED.format(
            id=result["id"], late=LATE.format(due=result["due"]) if result["late"] else ""
        )
    )


@action_app.command(name="list")
def action_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help="Only open items.")] = False,
    owner: StaffOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Action items by due day: from meetings (opinions, cooperation) and failed disclosure checks."""
    from careops.render.output import emit
    from careops.services.meetings import list_actions

    with open_env(ctx, write=False) as env:
        rows = list_actions(session=env.session, clock=env.clock, open_only=open_, owner=owner)
    emit(
        rows if fmt == Format.json else [_action_row(r) for r in rows],
        ACTION_COLUMNS,
        fmt.value,
        empty=NO_ACTIONS,
    )
