"""`careops event`, `activity`, `rain` and `followup`: what happened, and the follow-ups it calls for (P4, P5.4)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import typer

from careops.cli.context import clock_of, open_env
from careops.cli.options import AtOpt, FormatOpt, StaffOpt, a_date, date_option
from careops.i18n import Text, _
from careops.vocab import Format

app = typer.Typer(
    help="Follow-ups (P4, P5): list, show, cancel, and tasks done.", no_args_is_help=True
)
activity_app = typer.Typer(
    help="Community cultural activities (P4.5): every occupied household may be invited.",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("state", _("State")),
    ("due", _("Due")),
    ("clause", _("Clause")),
    ("title", _("What")),
    ("who", _("Who")),
    ("unit", _("Unit")),
    ("owner", _("Owner")),
]
DETAIL_COLUMNS = [("field", _("Field")), ("value", _("Value"))]
FIELD_LABELS = {
    "id": _("ID"),
    "clause": _("Clause"),
    "rule": _("Rule"),
    "title": _("What"),
    "kind": _("Kind"),
    "strength": _("Strength"),
    "state": _("State"),
    "due": _("Due"),
    "opens": _("Listed from"),
    "who": _("Who"),
    "unit": _("Unit"),
    "owner": _("Owner"),
    "channels": _("Channels"),
    "trigger": _("Triggered by"),
    "trigger_at": _("Triggered at"),
    "activity": _("Activity"),
    "complaint": _("Complaint"),
    "created_at": _("Written"),
    "done_at": _("Done"),
    "done_visit_id": _("Done by visit"),
    "cancelled_at": _("Cancelled"),
    "note": _("Note"),
    "verdict": _("Verdict"),
}

# What this module says to people (one place, ready for translation).
WARNING = _("Warning: {warning}")
RECORDED = _("Recorded {kind} #{id} for {who} at {at:%Y-%m-%d %H:%M}.")
MOVED_IN = _("{who} is occupied from {day}: the monthly visit (P1) applies from that day.")
WRITTEN = _("Follow-up #{id} ({clause} {strength}): {title} — {owner}, {channels}, {due}.")
WRITTEN_TASK = _("Task #{id} ({clause} {strength}): {title} — {owner}, {due}.")
TOGETHER = _("  together: {people}")
PERSON = _("{role} {name}")
NOBODY = _("(nobody)")
DUE_BY_DAY = _("by {due:%Y-%m-%d}")
DUE_BY_TIME = _("by {due:%Y-%m-%d %H:%M}")
DUE_FROM = _("by {due:%Y-%m-%d} (listed from {opens:%Y-%m-%d})")
WAITING_RAIN = _("waiting for the first rainy day after the repair, then due the day after")
NO_ONE = _("nobody yet")
MOVE_IN_FUTURE = _("the move-in day {day} is after today ({today}); record the move-in on the day.")
STAFF_INTERVIEW = _(
    "Work interview ({clause} must): {kind} interview with {name} — {owner}, within {within}, by {due}. "
    "Record it with `careops interview log ... --kind {kind}`."
)
NO_MANAGER = _("nobody (no manager recorded: HR holds it)")
NO_FOLLOWUPS_WRITTEN = _("No follow-up is written for {kind} under the policy in force.")
ACTIVITY_ADDED = _(
    "Added activity #{id} {name!r} on {day}: {count} occupied households to invite ({clause} may), by {eve}."
)
RAIN_NEW = _("Recorded rain on {day}.")
RAIN_AGAIN = _("Rain on {day} was recorded already.")
RAIN_DUE = _("{count} leak-repair follow-up(s) (P4.4) now due on {due}.")
CANCELLED = _("Cancelled follow-up #{id} ({clause} {title}): {reason}")
DONE = _("Done: #{id} ({clause} {title}) — {note}")
NO_FOLLOWUPS = _("No follow-ups match.")
CHANNELS_OR = _(" or ")
ANY_CHANNEL = _("any channel")


def event(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF", help="The household (id, unit or name), or an employee for E2.2 events."
        ),
    ],
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="move-in, commission-done, emergency-repair, leak-repair, "
            "wedding, bereavement, pregnancy, birth, fee-arrears, new-service; "
            "for an employee: pay-change, transfer, appraisal, career, resignation.",
        ),
    ],
    at: AtOpt = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What happened.")
    ] = None,
) -> None:
    """Record an event; it writes the follow-ups the policy asks for (P4, P5.4), each with owner and deadline.

    Example: careops event 3-2-1201 emergency-repair --at "2026-11-26 23:00" --note "burst pipe".
    For an employee (E2.2): careops event "Zhou Min" pay-change — their manager owes a work interview.
    """
    from careops.policy.loader import load_policy
    from careops.services.followups import record_event

    if kind.strip().lower() in load_policy().staff_events():
        _staff_event(ctx, ref, kind.strip().lower(), at, note)
        return

    with open_env(ctx) as env:
        result = record_event(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            ref=ref,
            kind=kind,
            at=at,
            note_text=note,
        )
        lines = written_lines(env.clock, result.followups)
        when = env.clock.local(result.event.at)
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    who = _who(result.party)
    typer.echo(RECORDED.format(kind=result.event.kind, id=result.event.id, who=who, at=when))
    if result.event.kind == "move-in":
        typer.echo(MOVED_IN.format(who=who, day=when.date()))
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo(NO_FOLLOWUPS_WRITTEN.format(kind=result.event.kind))


def _staff_event(ctx: typer.Context, ref: str, kind: str, at, note) -> None:
    from careops.scheduler.people import within_words
    from careops.services.interviews import interview_due, record_staff_event

    with open_env(ctx) as env:
        row, person, manager = record_staff_event(
            session=env.session, clock=env.clock, ref=ref, kind=kind, at=at, note_text=note
        )
        rule = env.policy.event_rule("interview", kind)
        when = env.clock.local(row.at)
        due = interview_due(clock=env.clock, policy=env.policy, event_row=row)
    typer.echo(RECORDED.format(kind=kind, id=row.id, who=person.name, at=when))
    typer.echo(
        STAFF_INTERVIEW.format(
            clause=rule.clause if rule else "",
            kind=kind,
            owner=manager or NO_MANAGER,
            within=within_words(rule.due_in) if rule and rule.due_in else "",
            due=due,
            name=person.name,
        )
    )


def move_in(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The household (id, unit or name).")],
    day: Annotated[date | None, date_option("--date", "The move-in day (default: today).")] = None,
) -> None:
    """Record a move-in: the household is occupied from that day, and the P4.1/P4.2 follow-ups are written.

    Same as `careops event REF move-in`. Example: careops resident move-in 3-2-1201 --date 2026-11-30
    """
    from careops.errors import InvalidInput

    today = clock_of(ctx).today
    if day and day > today:
        raise InvalidInput(MOVE_IN_FUTURE.format(day=day, today=today))
    # A past day is recorded at noon (the hour is not known); today, at the moment of recording.
    at = datetime.combine(day, time(12)) if day and day != today else None
    event(ctx, ref, "move-in", at=at, note=None)


def written_lines(clock, followups) -> list[str]:
    lines = []
    for written in followups:
        ob = written.obligation
        due: Text
        if ob.waiting_for == "rain":
            due = WAITING_RAIN
        elif ob.all_day:
            day = clock.local_date(ob.due_at)
            due = (
                DUE_FROM.format(due=day, opens=clock.local_date(ob.opens_at))
                if ob.opens_at
                else DUE_BY_DAY.format(due=day)
            )
        else:
            due = DUE_BY_TIME.format(due=clock.local(ob.due_at))
        template = WRITTEN_TASK if ob.kind == "task" else WRITTEN
        channels = CHANNELS_OR.join((ob.channels or "").split(",")) if ob.channels else ANY_CHANNEL
        lines.append(
            template.format(
                id=ob.id,
                clause=ob.clause,
                strength=ob.strength,
                title=ob.title,
                owner=written.owner or NO_ONE,
                channels=channels,
                due=due,
            )
        )
        if written.needs:
            lines.append(
                TOGETHER.format(
                    people=", ".join(
                        PERSON.format(role=r, name=n or NOBODY) for r, n in written.needs
                    )
                )
            )
    return lines


def _who(party) -> str:
    return f"{party.name} ({party.unit})" if getattr(party, "unit", None) else party.name


@activity_app.command(name="add")
def activity_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='The activity, e.g. "Mid-Autumn lantern evening".')],
    day: Annotated[
        date,
        typer.Option("--date", parser=a_date, metavar="YYYY-MM-DD", help="The day it takes place."),
    ],
) -> None:
    """Announce a community activity: every occupied household gets an invitation follow-up due before it (P4.5, may).

    The invitations are spread over the days left (a daily share in `due`) and vanish once the day has come.
    """
    from careops.services.followups import add_activity

    with open_env(ctx) as env:
        result = add_activity(
            session=env.session, clock=env.clock, policy=env.policy, name=name, day=day
        )
    eve = date.fromordinal(day.toordinal() - 1)
    typer.echo(
        ACTIVITY_ADDED.format(
            id=result.event.id,
            name=result.event.name,
            day=day,
            count=result.invitations,
            clause=result.rule.clause if result.rule else "P4.5",
            eve=eve,
        )
    )


def rain(
    ctx: typer.Context,
    day: Annotated[
        date | None,
        typer.Argument(parser=a_date, metavar="[DATE]", help="The rainy day (default: today)."),
    ] = None,
) -> None:
    """Record a rainy day (idempotent). Leak-repair follow-ups waiting for it (P4.4) are due the day after."""
    from careops.services.followups import record_rain

    with open_env(ctx) as env:
        result = record_rain(session=env.session, clock=env.clock, day=day)
    typer.echo((RAIN_NEW if result.new else RAIN_AGAIN).format(day=result.day))
    if result.waiting:
        typer.echo(
            RAIN_DUE.format(count=result.waiting, due=date.fromordinal(result.day.toordinal() + 1))
        )


@app.command(name="list")
def followup_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help="Only those still open.")] = False,
    rule: Annotated[
        str | None,
        typer.Option("--rule", metavar="RULE", help="A rule id (leak-repair) or a clause (P4.4)."),
    ] = None,
    staff: StaffOpt = None,
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="REF", help="Only this household.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List follow-ups and tasks, open first, soonest due first."""
    from careops.render.output import emit
    from careops.services.followups import list_followups

    with open_env(ctx, write=False) as env:
        rows = list_followups(
            session=env.session,
            clock=env.clock,
            open_only=open_,
            rule=rule,
            staff_ref=staff,
            ref=ref,
            policy=env.policy,
        )
    emit(rows, COLUMNS, fmt.value, empty=NO_FOLLOWUPS)


@app.command(name="show")
def followup_show(
    ctx: typer.Context,
    followup_id: Annotated[int, typer.Argument(metavar="ID", help="The follow-up's number.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Everything about one follow-up: what triggered it, who must go, by when, and how it ended."""
    from careops.render.output import emit, to_json
    from careops.services.followups import show_followup

    with open_env(ctx, write=False) as env:
        shown = show_followup(
            session=env.session, clock=env.clock, followup_id=followup_id, policy=env.policy
        )
    if fmt == Format.json:
        typer.echo(to_json(shown))
        return
    needs = shown.pop("needs")
    if shown.get("channels"):
        shown["channels"] = CHANNELS_OR.join(shown["channels"].split(","))
    rows = [
        {"field": FIELD_LABELS.get(k, k), "value": v}
        for k, v in shown.items()
        if k in FIELD_LABELS and v not in (None, "")
    ]
    if needs:
        rows.append(
            {
                "field": "Together",
                "value": ", ".join(
                    PERSON.format(role=n["role"], name=n["staff"] or NOBODY) for n in needs
                ),
            }
        )
    emit(rows, DETAIL_COLUMNS, fmt.value)


@app.command(name="cancel")
def followup_cancel(
    ctx: typer.Context,
    followup_id: Annotated[int, typer.Argument(metavar="ID", help="The follow-up's number.")],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why it is not needed (kept with it).")
    ],
) -> None:
    """Cancel a follow-up that is not needed; it is kept, with its reason."""
    from careops.services.followups import cancel_followup

    with open_env(ctx) as env:
        row = cancel_followup(
            session=env.session, clock=env.clock, followup_id=followup_id, reason=reason
        )
    typer.echo(
        CANCELLED.format(id=row.id, clause=row.clause, title=row.title, reason=reason.strip())
    )


@app.command(name="done")
def followup_done(
    ctx: typer.Context,
    followup_id: Annotated[int, typer.Argument(metavar="ID", help="The task's number.")],
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="What was done.")],
) -> None:
    """Close a task (P5.4: the procedure written into the service manual). A visit follow-up is closed by
    `log-visit --for ID`."""
    from careops.services.followups import finish_task

    with open_env(ctx) as env:
        row = finish_task(
            session=env.session, clock=env.clock, followup_id=followup_id, note_text=note
        )
    typer.echo(DONE.format(id=row.id, clause=row.clause, title=row.title, note=note.strip()))
