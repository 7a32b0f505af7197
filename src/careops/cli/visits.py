"""`careops log-visit` and `careops visit list`: contacts as they happen, and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Optional

import typer

from careops.cli.context import open_env
from careops.cli.options import AtOpt, FormatOpt, date_option, local_datetime
from careops.vocab import Channel, Format, Outcome

app = typer.Typer(help="Visit history.", no_args_is_help=True)

COLUMNS = [("id", "ID"), ("at", "When"), ("unit", "Unit"), ("party", "Who"), ("by", "By"), ("channel", "Channel"),
           ("outcome", "Outcome"), ("minutes", "Min"), ("note", "Note")]

# What this module says to people (one place, ready for translation).
WARNING = "Warning: {warning}"
PARTY_WITH_UNIT = "{name} ({unit})"
LOGGED = "Logged visit #{id}: {channel}, {outcome}, {who}, by {staff}, {at:%Y-%m-%d %H:%M}."
SATISFIED = "Satisfied: {clause} {title} for {period}."
SATISFIED_CALLBACK = "Satisfied: callback #{id}."
CALLBACK_SET = "Callback #{id} set for {due:%Y-%m-%d %H:%M}, owned by {staff}."
NOTHING_NEW = "Satisfied: nothing new (this period was already covered)."
NOT_COUNTED_HOUSEHOLD = "Not counted: a {outcome} attempt does not satisfy a visit; the household stays due."
NOT_COUNTED_CONTACT = "Not counted: a {outcome} attempt does not satisfy a visit; it stays due."
NO_VISITS = "No visits recorded for that."


def log_visit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The household (id, unit or name) or contact.")],
    by: Annotated[str, typer.Option("--by", metavar="STAFF", help="Who made the visit or call (staff name or id).")],
    channel: Annotated[Channel, typer.Option("--channel", help="door or phone.")],
    at: AtOpt = None,
    minutes: Annotated[Optional[int], typer.Option("--minutes", metavar="N", min=0, max=24 * 60, help="How long it took.")] = None,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="reached, busy or no-answer.")] = Outcome.reached,
    callback: Annotated[Optional[datetime], typer.Option("--callback", parser=local_datetime, metavar="\"YYYY-MM-DD HH:MM\"",
                                                         help="With --outcome busy: the agreed time to call back.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="What was said or done.")] = None,
) -> None:
    """Record a visit or call, and say which obligations it satisfied.

    Example: careops log-visit 3-2-1201 --by "Wang Fang" --channel phone --outcome busy --callback "2026-11-28 10:00"
    """
    from careops.services.visits import log_visit as record

    with open_env(ctx) as env:
        result = record(session=env.session, clock=env.clock, policy=env.policy, ref=ref, by=by, channel=channel,
                        at=at, minutes=minutes, outcome=outcome, callback=callback, note=note)
        when = env.clock.local(result.visit.at)
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    party = result.party
    who = PARTY_WITH_UNIT.format(name=party.name, unit=party.unit) if party.unit else party.name
    typer.echo(LOGGED.format(id=result.visit.id, channel=channel.value, outcome=outcome.value, who=who,
                             staff=result.staff.name, at=when))
    for done in result.satisfied:
        typer.echo(SATISFIED.format(clause=done.clause, title=done.title, period=done.period))
    for ref_id in result.closed:
        typer.echo(SATISFIED_CALLBACK.format(id=ref_id))
    if result.callback is not None:
        typer.echo(CALLBACK_SET.format(id=result.callback.id, due=env.clock.local(result.callback.due_at),
                                       staff=result.staff.name))
    if outcome == Outcome.reached and not result.satisfied and not result.closed:
        typer.echo(NOTHING_NEW)
    if outcome != Outcome.reached:
        not_counted = NOT_COUNTED_HOUSEHOLD if party.kind == "household" else NOT_COUNTED_CONTACT
        typer.echo(not_counted.format(outcome=outcome.value))


@app.command(name="list")
def visit_list(
    ctx: typer.Context,
    ref: Annotated[Optional[str], typer.Option("--ref", metavar="REF", help="Only this household or contact.")] = None,
    staff: Annotated[Optional[str], typer.Option("--staff", metavar="STAFF", help="Only visits by this staff member.")] = None,
    since: Annotated[Optional[date], date_option("--since", "Only from this day on.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show visit history, newest first."""
    from careops.render.output import emit
    from careops.services.visits import list_visits

    with open_env(ctx, write=False) as env:
        rows = list_visits(session=env.session, clock=env.clock, ref=ref, staff_ref=staff, since=since)
    emit(rows, COLUMNS, fmt.value, empty=NO_VISITS)
