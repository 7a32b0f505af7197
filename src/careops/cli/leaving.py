"""`careops leave` and `careops transfer`: leaving the company or moving department, step by step (E1.2, E1.3)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from careops.cli.context import open_env, say_new_depts
from careops.cli.options import FormatOpt, a_date, date_option
from careops.i18n import _
from careops.shell import arg
from careops.vocab import ExitBy, Format, LeaveStep

app = typer.Typer(
    help="Leaving cases (E1.2, E1.3): handover, exit interview, audit, final pay.",
    no_args_is_help=True,
)
transfer_app = typer.Typer(
    help="Internal transfers (E1.2): the same handover step.", no_args_is_help=True
)

COLUMNS = [
    ("id", _("ID")),
    ("kind", _("Kind")),
    ("employee", _("Employee")),
    ("last_day", _("Last day")),
    ("state", _("State")),
    ("open_steps", _("Open steps")),
    ("flag", _("Flag")),
]
STEP_COLUMNS = [
    ("step", _("Step")),
    ("done", _("Done")),
    ("at", _("At")),
    ("by", _("By")),
    ("note", _("Note")),
]
FIELD_LABELS = {
    "id": _("Case"),
    "kind": _("Kind"),
    "employee": _("Employee"),
    "last_day": _("Last day"),
    "reason": _("Reason"),
    "exit_interview_by": _("Exit interview by"),
    "key_position": _("Key position"),
    "manager": _("Manager"),
    "from_dept": _("From dept"),
    "to_dept": _("To dept"),
    "state": _("State"),
    "opened_at": _("Opened"),
    "closed_at": _("Closed"),
    "flag": _("Flag"),
}

# What this module says to people (one place, ready for translation).
STARTED = _("Opened leaving case #{id} for {name}: last day {day}. Steps: {steps}.")
EXIT_BY = _(
    "Exit interview by {by} ({clause}), as {name} chose: "
    "`careops interview log {ref} --kind exit --by STAFF --minutes N`."
)
EXIT_BY_DEFAULT = _(
    "Exit interview by {by} ({clause}; {name} may prefer their manager: --exit-interview-by manager): "
    "`careops interview log {ref} --kind exit --by STAFF --minutes N`."
)
STARTED_TRANSFER = _("Opened transfer case #{id}: {name} moves to {dept} on {day}. Step: handover.")
TRANSFER_EVENT = _("Recorded transfer #{event}: {manager} owes a transfer interview (E2.2).")
STEP_DONE = _("Case #{id}: {step} done.")
STILL_OPEN = _("Still open: {steps}.")
COMPLETE = _("Case #{id} is complete.")
MOVED = _("{name} is now in {dept}.")
NONE = _("No leaving or transfer cases.")
YES, NO = _("yes"), _("no")
NOBODY = _("nobody (no manager recorded)")
VOIDED = _("void ({reason})")


@app.command(name="start")
def leave_start(
    ctx: typer.Context,
    employee: Annotated[
        str, typer.Argument(metavar="EMPLOYEE", help="Who is leaving (name or id).")
    ],
    last_day: Annotated[
        date,
        typer.Option(
            "--last-day", parser=a_date, metavar="YYYY-MM-DD", help="Their last working day."
        ),
    ],
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="Why they leave.")
    ] = None,
    exit_by: Annotated[
        ExitBy | None,
        typer.Option(
            "--exit-interview-by",
            help="Who holds the exit interview, as the employee prefers (default: policy, hr).",
        ),
    ] = None,
) -> None:
    """Open a leaving case with its checklist. Example: careops leave start "Zhou Min" --last-day 2026-12-31"""
    from careops.services.leaving import start_leave

    with open_env(ctx) as env:
        result = start_leave(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            employee=employee,
            last_day=last_day,
            reason=reason,
            exit_by=exit_by,
        )
        clause = env.policy.clause_of("leave-step", step="exit-interview")
    typer.echo(
        STARTED.format(
            id=result.id, name=result.name, day=result.last_day, steps=", ".join(result.steps)
        )
    )
    by = result.manager or NOBODY if result.exit_by == "manager" else "HR"
    ref = arg(result.name)
    typer.echo(
        (EXIT_BY if exit_by else EXIT_BY_DEFAULT).format(
            by=by, clause=clause, name=result.name, ref=ref
        )
    )


@app.command(name="step")
def leave_step(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case number.")],
    step: Annotated[
        LeaveStep,
        typer.Argument(
            metavar="STEP",
            help="handover, audit or final-pay (the exit interview is `interview log --kind exit`).",
        ),
    ],
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What was done.")
    ] = None,
) -> None:
    """Mark a step done. Final pay is refused until every earlier step is done (E1.2)."""
    from careops.services.leaving import do_step

    with open_env(ctx) as env:
        result = do_step(
            session=env.session, clock=env.clock, case_id=case_id, step=step, note_text=note
        )
    typer.echo(STEP_DONE.format(id=result.id, step=result.step))
    if result.remaining:
        typer.echo(STILL_OPEN.format(steps=", ".join(result.remaining)))
    else:
        typer.echo(COMPLETE.format(id=result.id))
    if result.dept_change:
        typer.echo(MOVED.format(name=result.name, dept=result.dept_change[1]))


@app.command(name="list")
def leave_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help="Only cases not complete.")] = False,
    employee: Annotated[
        str | None, typer.Option("--employee", metavar="STAFF", help="Only this employee's.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Leaving and transfer cases, by last day; a passed last day with open steps is flagged (E1.2)."""
    from careops.render.output import emit
    from careops.services.leaving import list_cases

    with open_env(ctx, write=False) as env:
        rows = list_cases(session=env.session, clock=env.clock, open_only=open_, employee=employee)
    emit(rows, COLUMNS, fmt.value, empty=NONE)


@app.command(name="show")
def leave_show(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case number.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """One case with its steps: who did each, and when."""
    from careops.render.output import emit_detail, field_rows
    from careops.services.leaving import show_case

    with open_env(ctx, write=False) as env:
        data = show_case(session=env.session, clock=env.clock, case_id=case_id)
    void = VOIDED.format(reason=data["void"]["reason"]) if data["void"] else None
    steps = [{**s, "done": YES if s["done"] else NO} for s in data["steps"]]
    emit_detail(
        data,
        fmt.value,
        field_rows(data, FIELD_LABELS, yes=YES, no=NO, void=void),
        ((steps, STEP_COLUMNS),),
    )


@transfer_app.command(name="start")
def transfer_start(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(metavar="EMPLOYEE", help="Who moves (name or id).")],
    to_dept: Annotated[
        str, typer.Option("--to-dept", metavar="DEPT", help="The department they move to.")
    ],
    on: Annotated[
        date | None, date_option("--on", "The day the transfer takes effect (default: today).")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="TEXT")] = None,
) -> None:
    """Open a transfer case: the work is handed over first (E1.2); the department changes when it is.

    Example: careops transfer start "Zhou Min" --to-dept Sales
    """
    from careops.services.leaving import start_transfer

    with open_env(ctx) as env:
        result = start_transfer(
            session=env.session,
            clock=env.clock,
            employee=employee,
            to_dept=to_dept,
            on=on,
            reason=reason,
        )
        new_depts = env.session.info.get("new_depts", [])
    typer.echo(
        STARTED_TRANSFER.format(
            id=result.id, name=result.name, dept=result.to_dept, day=result.last_day
        )
    )
    say_new_depts(new_depts)
    typer.echo(TRANSFER_EVENT.format(event=result.event_id, manager=result.manager or NOBODY))
