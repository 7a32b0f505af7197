"""`careops void` and `careops history`: mistakes are voided with a reason, never deleted; every change is on record."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt
from careops.vocab import Format

COLUMNS = [("at", "When"), ("actor", "Who"), ("action", "Did"), ("kind", "What"), ("record_id", "ID"),
           ("detail", "Detail"), ("reason", "Reason")]

# What this module says to people (one place, ready for translation).
VOIDED = "Voided {kind} #{id}: {reason}"
REOPENED = "Callback #{id} is open again (the contact that settled it was voided)."
CANCELLED = "Callback #{id} cancelled."
HISTORY_OF = "History of {title}:"
NO_HISTORY = "Nothing recorded for it yet."


class VoidKind(str, Enum):
    visit = "visit"
    household = "household"
    resident = "resident"
    contact = "contact"


def void(
    ctx: typer.Context,
    kind: Annotated[VoidKind, typer.Argument(help="What to void: visit, household (or resident), contact.")],
    record_id: Annotated[int, typer.Argument(metavar="ID", help="Its id (see `visit list`, `resident list`).")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it is wrong (kept with it).")],
) -> None:
    """Mark a wrong record as void, with the reason; it stays on record but counts for nothing.

    Example: careops void visit 1234 --reason "logged against the wrong unit"
    """
    from careops.services.void import void as do_void

    with open_env(ctx) as env:
        result = do_void(session=env.session, clock=env.clock, kind=kind.value, record_id=record_id, reason=reason)
    typer.echo(VOIDED.format(kind=result.kind, id=result.id, reason=reason.strip()))
    for callback in result.reopened:
        typer.echo(REOPENED.format(id=callback))
    for callback in result.cancelled:
        typer.echo(CANCELLED.format(id=callback))


def history(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="A household or contact (id, unit, name) or a staff member.")],
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
