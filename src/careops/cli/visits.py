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
        typer.echo(f"Warning: {warning}", err=True)
    who = result.party.name + (f" ({result.party.unit})" if result.party.unit else "")
    typer.echo(f"Logged visit #{result.visit.id}: {channel.value}, {outcome.value}, {who}, by {result.staff.name}, {when:%Y-%m-%d %H:%M}.")
    for done in result.satisfied:
        typer.echo(f"Satisfied: {done.clause} {done.title} for {done.period}.")
    for ref_id in result.closed:
        typer.echo(f"Satisfied: callback #{ref_id}.")
    if result.callback is not None:
        typer.echo(f"Callback #{result.callback.id} set for {env.clock.local(result.callback.due_at):%Y-%m-%d %H:%M}, owned by {result.staff.name}.")
    if outcome == Outcome.reached and not result.satisfied and not result.closed:
        typer.echo("Satisfied: nothing new (this period was already covered).")
    if outcome != Outcome.reached:
        what = "the household" if result.party.kind == "household" else "it"
        typer.echo(f"Not counted: a {outcome.value} attempt does not satisfy a visit; {what} stays due.")


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
    emit(rows, COLUMNS, fmt.value, empty="No visits recorded for that.")
