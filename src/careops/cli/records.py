"""`careops void` and `careops history`: mistakes are voided with a reason, never deleted; every change is on record."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, a_date
from careops.i18n import _
from careops.vocab import Format

COLUMNS = [
    ("at", _("When")),
    ("actor", _("Who")),
    ("action", _("Did")),
    ("kind", _("What")),
    ("record_id", _("ID")),
    ("detail", _("Detail")),
    ("reason", _("Reason")),
]

# What this module says to people (one place, ready for translation).
VOIDED = _("Voided {kind} #{id}: {reason}")
VOIDED_NAMED = _("Voided {kind} {label}: {reason}")
REOPENED = _("{label} is open again (the contact that settled it was voided).")
CANCELLED = _("{label} cancelled.")
CANCELLED_MANY = _("{count} follow-ups cancelled.")
NOT_A_NUMBER = _("{text!r} is not a number: give the {kind}'s id.")
HISTORY_OF = _("History of {title}:")
NO_HISTORY = _("Nothing recorded for it yet.")


class VoidKind(str, Enum):
    visit = "visit"
    household = "household"
    resident = "resident"
    contact = "contact"
    event = "event"
    activity = "activity"
    complaint = "complaint"
    rain = "rain"
    interview = "interview"
    leave = "leave"
    transfer = "transfer"
    appeal = "appeal"
    meeting = "meeting"
    action = "action"
    check = "check"
    survey = "survey"
    plan = "plan"


def void(
    ctx: typer.Context,
    kind: Annotated[
        VoidKind,
        typer.Argument(
            help="What to void: visit, household (or resident), contact, event, "
            "activity, complaint, rain, interview, leave (or transfer), appeal, "
            "meeting, action, check, survey, plan."
        ),
    ],
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Its id (see `visit list`, `resident list`, "
            "`leave list`, `appeal list`, `meeting list`, `action list`, "
            "`check list`, `survey list`); a complaint's number; rain's date.",
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why it is wrong (kept with it).")
    ],
) -> None:
    (
        """Mark a wrong record as void, with the reason; it stays on record but counts for nothing.

    Voiding a visit reopens what it settled; voiding an event, activity or complaint cancels its """
        """follow-ups; voiding a meeting or a disclosure check voids its open action items; voiding a """
        """residents' survey cancels its door visits.
    Example: careops void visit 1234 --reason "logged against the wrong unit"
    """
    )
    from careops.services.void import void as do_void

    key: int | str | date = record_id.strip()
    if kind.value == "rain":
        key = a_date(record_id)
    elif kind.value != "complaint":
        digits = record_id.strip().removeprefix("#")
        if not (digits.isascii() and digits.isdigit()):
            raise typer.BadParameter(
                NOT_A_NUMBER.format(text=record_id, kind=kind.value), param_hint="'ID'"
            )
        key = int(
            digits
        )  # one beyond any id column (30 digits, say) is simply not there: the service says so
    with open_env(ctx) as env:
        result = do_void(
            session=env.session, clock=env.clock, kind=kind.value, record_id=key, reason=reason
        )
    if result.label:
        typer.echo(VOIDED_NAMED.format(kind=result.kind, label=result.label, reason=reason.strip()))
    else:
        typer.echo(VOIDED.format(kind=result.kind, id=result.id, reason=reason.strip()))
    for reopened in result.reopened:
        typer.echo(REOPENED.format(label=reopened))
    if len(result.cancelled) > 20:
        typer.echo(CANCELLED_MANY.format(count=len(result.cancelled)))
    else:
        for cancelled in result.cancelled:
            typer.echo(CANCELLED.format(label=cancelled))


def history(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF", help="A household or contact (id, unit, name) or a staff member."
        ),
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Every recorded change to a household, contact or staff member: who, when, what (voids with reasons).

    Example: careops history 3-2-1201
    """
    from careops.render.output import emit
    from careops.services.audit import history as read_history

    with open_env(ctx, write=False) as env:
        title, rows = read_history(session=env.session, clock=env.clock, ref=ref)
    if fmt == Format.table:
        typer.echo(HISTORY_OF.format(title=title))
    emit(rows, COLUMNS, fmt.value, empty=NO_HISTORY)
