"""`careops log-visit` and `careops visit list`: contacts as they happen, and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import AtOpt, FormatOpt, date_option, local_datetime
from careops.i18n import _
from careops.vocab import Channel, Format, Outcome, Verdict

app = typer.Typer(help="Visit history.", no_args_is_help=True)

COLUMNS = [
    ("id", _("ID")),
    ("at", _("When")),
    ("unit", _("Unit")),
    ("party", _("Who")),
    ("by", _("By")),
    ("channel", _("Channel")),
    ("outcome", _("Outcome")),
    ("minutes", _("Min")),
    ("note", _("Note")),
]

# What this module says to people (one place, ready for translation).
WARNING = _("Warning: {warning}")
PARTY_WITH_UNIT = _("{name} ({unit})")
LOGGED = _("Logged visit #{id}: {channel}, {outcome}, {who}, by {staff}, {at:%Y-%m-%d %H:%M}.")
SATISFIED = _("Satisfied: {clause} {title} for {period}.")
SATISFIED_CALLBACK = _("Satisfied: callback #{id}.")
CALLBACK_SET = _("Callback #{id} set for {due:%Y-%m-%d %H:%M}, owned by {staff}.")
NOTHING_NEW = _("Satisfied: nothing new (this period was already covered).")
WRONG_ROLE = _(
    "Not counted for {clause}: only a contact by role {role} counts (the first --by is who made it)."
)
NOT_COUNTED_HOUSEHOLD = _(
    "Not counted: a {outcome} attempt does not satisfy a visit; the household stays due."
)
NOT_COUNTED_CONTACT = _("Not counted: a {outcome} attempt does not satisfy a visit; it stays due.")
NO_VISITS = _("No visits recorded for that.")
WITH = _(" with {names}")
FOLLOWUP_DONE = _("Satisfied: follow-up #{id} ({clause} {title}).")
STAYS_OPEN = _("Not counted: {why}")
HINT = _("Open follow-ups here: {listing}. Add --for ID when a visit is one of them.")
HINT_ITEM = _("#{id} {clause} {title}")
FEEDBACK = _("Registered {number} (feedback, {severity}) on the Owner Feedback Form: {state}.")
FEEDBACK_ANSWERED = _("answered on the spot and closed")
FEEDBACK_OPEN = _("a clear answer is due by {due:%Y-%m-%d %H:%M} ({clause})")
VERDICT = _("Verdict recorded: satisfied {verdict}.")
REOPENED = _("{number} is reopened: the person is not satisfied.")


def log_visit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The household (id, unit or name) or contact.")],
    by: Annotated[
        list[str],
        typer.Option(
            "--by",
            metavar="STAFF",
            help="Who made the visit or call (staff name or id); repeat for a joint visit.",
        ),
    ],
    channel: Annotated[Channel, typer.Option("--channel", help="door or phone.")],
    at: AtOpt = None,
    minutes: Annotated[
        int | None,
        typer.Option("--minutes", metavar="N", min=0, max=24 * 60, help="How long it took."),
    ] = None,
    outcome: Annotated[
        Outcome, typer.Option("--outcome", help="reached, busy or no-answer.")
    ] = Outcome.reached,
    callback: Annotated[
        datetime | None,
        typer.Option(
            "--callback",
            parser=local_datetime,
            metavar='"YYYY-MM-DD HH:MM"',
            help="With --outcome busy: the agreed time to call back.",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What was said or done.")
    ] = None,
    for_: Annotated[
        list[int] | None,
        typer.Option(
            "--for", metavar="ID", help="The follow-up this visit is (see `due`); repeatable."
        ),
    ] = None,
    purpose: Annotated[
        list[str] | None,
        typer.Option(
            "--purpose",
            metavar="RULE",
            help="Satisfies the oldest open follow-up of this rule or clause "
            "(leak-repair, P4.4) for the household.",
        ),
    ] = None,
    feedback: Annotated[
        str | None,
        typer.Option(
            "--feedback",
            metavar="TEXT",
            help="What the resident raised (Owner Feedback Form, P5.1): registered.",
        ),
    ] = None,
    urgent: Annotated[
        bool, typer.Option("--urgent", help="With --feedback: urgent, answer within 24 h (P5.2).")
    ] = False,
    answered: Annotated[
        bool, typer.Option("--answered", help="With --feedback: answered on the spot.")
    ] = False,
    satisfied: Annotated[
        Verdict | None,
        typer.Option(
            "--satisfied",
            help="At a complaint revisit: the person's verdict; no reopens the complaint.",
        ),
    ] = None,
) -> None:
    """Record a visit or call, and say which obligations it satisfied.

    Example: careops log-visit 3-2-1201 --by "Wang Fang" --channel phone --outcome busy --callback "2026-11-28 10:00"
    """
    from careops.scheduler.register import answer_deadline
    from careops.services.visits import log_visit as record

    with open_env(ctx) as env:
        result = record(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            ref=ref,
            by=by,
            channel=channel,
            at=at,
            minutes=minutes,
            outcome=outcome,
            callback=callback,
            note=note,
            for_ids=for_ or [],
            purposes=purpose or [],
            feedback=feedback,
            urgent=urgent,
            answered=answered,
            satisfied=satisfied,
        )
        when = env.clock.local(result.visit.at)
        feedback_due = (
            answer_deadline(env.policy, env.clock, result.feedback) if result.feedback else None
        )
        clause = env.policy.clause_of("register-answer", "feedback")
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    party = result.party
    who = PARTY_WITH_UNIT.format(name=party.name, unit=party.unit) if party.unit else party.name
    staff = result.staff.name + (
        WITH.format(names=", ".join(p.name for p in result.with_staff)) if result.with_staff else ""
    )
    typer.echo(
        LOGGED.format(
            id=result.visit.id,
            channel=channel.value,
            outcome=outcome.value,
            who=who,
            staff=staff,
            at=when,
        )
    )
    for done in result.satisfied:
        typer.echo(SATISFIED.format(clause=done.clause, title=done.title, period=done.period))
    for ref_id in result.closed:
        typer.echo(SATISFIED_CALLBACK.format(id=ref_id))
    if result.callback is not None:
        typer.echo(
            CALLBACK_SET.format(
                id=result.callback.id,
                due=env.clock.local(result.callback.due_at),
                staff=result.staff.name,
            )
        )
    for row in result.followups_done:
        typer.echo(FOLLOWUP_DONE.format(id=row.id, clause=row.clause, title=row.title or row.rule))
    for why in result.followups_open:
        typer.echo(STAYS_OPEN.format(why=why))
    if satisfied is not None and result.followups_done:
        typer.echo(VERDICT.format(verdict=satisfied.value))
    if result.reopened:
        typer.echo(REOPENED.format(number=result.reopened))
    for clause, role in result.wrong_role:
        typer.echo(WRONG_ROLE.format(clause=clause, role=role))
    if (
        outcome == Outcome.reached
        and not result.satisfied
        and not result.closed
        and not result.followups_done
        and not result.wrong_role
    ):
        typer.echo(NOTHING_NEW)
    if result.feedback is not None:
        state = (
            FEEDBACK_ANSWERED
            if result.feedback.state == "closed"
            else FEEDBACK_OPEN.format(due=feedback_due, clause=clause)
        )
        typer.echo(
            FEEDBACK.format(
                number=result.feedback.number, severity=result.feedback.severity, state=state
            )
        )
    if result.hints:
        typer.echo(
            HINT.format(
                listing="; ".join(
                    HINT_ITEM.format(id=h.id, clause=h.clause, title=h.title or h.rule)
                    for h in result.hints
                )
            )
        )
    if outcome != Outcome.reached:
        not_counted = NOT_COUNTED_HOUSEHOLD if party.kind == "household" else NOT_COUNTED_CONTACT
        typer.echo(not_counted.format(outcome=outcome.value))


@app.command(name="list")
def visit_list(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="REF", help="Only this household or contact.")
    ] = None,
    staff: Annotated[
        str | None,
        typer.Option("--staff", metavar="STAFF", help="Only visits by this staff member."),
    ] = None,
    since: Annotated[date | None, date_option("--since", "Only from this day on.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show visit history, newest first."""
    from careops.render.output import emit
    from careops.services.visits import list_visits

    with open_env(ctx, write=False) as env:
        rows = list_visits(
            session=env.session, clock=env.clock, ref=ref, staff_ref=staff, since=since
        )
    emit(rows, COLUMNS, fmt.value, empty=NO_VISITS)
