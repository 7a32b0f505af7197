"""`careops interview`: one-to-ones, work interviews and exit interviews (E1.3, E2.1, E2.2)."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import AtOpt, FormatOpt
from careops.i18n import _
from careops.vocab import Format, InterviewKind

app = typer.Typer(
    help="Conversations with employees: one-to-ones (E2.1), work interviews (E2.2), exit interviews (E1.3).",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("at", _("When")),
    ("kind", _("Kind")),
    ("minutes", _("Min")),
    ("employee", _("Employee")),
    ("by", _("By")),
    ("note", _("Note")),
]

# What this module says to people (one place, ready for translation).
LOGGED = _(
    "Logged interview #{id}: {kind} with {employee} by {by}, {minutes} min, {at:%Y-%m-%d %H:%M}."
)
COUNTS = _("It counts for the yearly one-to-one ({clause}).")
SETTLES = _("Closes: {what}.")
WARNING = _("Warning: {warning}")
NONE = _("No interviews match.")


@app.command(name="log")
def interview_log(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(metavar="EMPLOYEE", help="The employee (name or id).")],
    by: Annotated[
        str, typer.Option("--by", metavar="STAFF", help="Who held it: the manager, or HR.")
    ],
    kind: Annotated[InterviewKind, typer.Option("--kind", help="What it was.")],
    minutes: Annotated[
        int,
        typer.Option(
            "--minutes", metavar="N", help="How long, in minutes (a one-to-one needs 120)."
        ),
    ],
    at: AtOpt = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help="The notes (they go into the personnel file)."),
    ] = None,
) -> None:
    """Record an interview. A one-to-one of 120 min or more with the current manager settles E2.1 for the year.

    Example: careops interview log "Zhou Min" --by "Sun Li" --kind one-to-one --minutes 120
    """
    from careops.services.interviews import log_interview

    with open_env(ctx) as env:
        result = log_interview(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            employee=employee,
            by=by,
            kind=kind,
            minutes=minutes,
            at=at,
            note_text=note,
        )
        clause = env.policy.clause_of("one-to-one")
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    typer.echo(
        LOGGED.format(
            id=result.id,
            kind=result.kind,
            employee=result.employee,
            by=result.by,
            minutes=result.minutes,
            at=result.at,
        )
    )
    if result.counts:
        typer.echo(COUNTS.format(clause=clause))
    if result.settles:
        typer.echo(SETTLES.format(what=", ".join(result.settles)))


@app.command(name="list")
def interview_list(
    ctx: typer.Context,
    employee: Annotated[
        str | None, typer.Option("--employee", metavar="STAFF", help="Only this employee's.")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="STAFF", help="Only those this person held.")
    ] = None,
    kind: Annotated[InterviewKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    year: Annotated[
        int | None, typer.Option("--year", min=1900, max=2199, help="Only this calendar year.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List interviews, newest first."""
    from careops.render.output import emit
    from careops.services.interviews import list_interviews

    with open_env(ctx, write=False) as env:
        rows = list_interviews(
            session=env.session, clock=env.clock, employee=employee, by=by, kind=kind, year=year
        )
    emit(rows, COLUMNS, fmt.value, empty=NONE)
