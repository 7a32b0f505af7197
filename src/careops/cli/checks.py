"""`careops check`: the seven disclosure rules (H3.7.1 … H3.7.7), checked once a month."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, a_month, date_option
from careops.errors import InvalidInput
from careops.i18n import _
from careops.vocab import Format

app = typer.Typer(
    help="Disclosure checks (H3.7): badges, ethics code, prices, bills, clinics, schedules, open letter.",
    no_args_is_help=True,
)

ITEM_COLUMNS = [
    ("item", _("Item")),
    ("key", _("Short")),
    ("title", _("What is checked")),
    ("checked", _("Checked")),
    ("failed", _("Failed")),
    ("last", _("Last result")),
    ("last_day", _("On")),
]
CHECK_COLUMNS = [
    ("id", _("ID")),
    ("item", _("Item")),
    ("result", _("Result")),
    ("day", _("Day")),
    ("dept", _("Dept")),
    ("by", _("By")),
    ("note", _("Note")),
    ("action", _("Action item")),
]

# What this module says to people (one place, ready for translation).
RECORDED = _("Recorded {item} {result} on {day}{dept}.")
ACTION = _(
    "Action item #{id} for {owner} (head of {dept}), due {due}: `careops action done {id} --note TEXT`."
)
ACTION_FALLEN = _(
    "Action item #{id} for {owner} ({role}, for {dept}), due {due}: `careops action done {id} --note TEXT`."
)
WARNING = _("Warning: {warning}")
HEADER = _("Disclosure checks for {month} (owner: {owner}):")
NOBODY = _("nobody with role office")
OK_AND_FAIL = _("give --ok or --fail, not both.")
FOR_DEPT = _(" in {dept}")
OK_WORD, FAIL_WORD = "ok", "failed"


@app.command(name="record")
def check_record(
    ctx: typer.Context,
    item: Annotated[
        str,
        typer.Argument(
            metavar="ITEM",
            help="H3.7.1 … H3.7.7 (or 1 … 7, or badge, ethics, prices, bill, clinics, schedule, open-letter).",
        ),
    ],
    ok: Annotated[bool, typer.Option("--ok", help="Found kept.")] = False,
    fail: Annotated[
        bool,
        typer.Option("--fail", help="Found not kept: an action item for the department's head."),
    ] = False,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What was seen.")
    ] = None,
    dept: Annotated[
        str | None,
        typer.Option("--dept", metavar="DEPT", help="Where it was checked (needed with --fail)."),
    ] = None,
    on: Annotated[
        date | None, date_option("--on", "The day it was checked (default: today).")
    ] = None,
    due: Annotated[
        date | None, date_option("--due", "A failed item's action is due by (default: 14 days).")
    ] = None,
) -> None:
    (
        """Record one disclosure check. Example: careops check record H3.7.3 --fail --dept Surgery """
        """--note "price list missing"."""
    )
    from careops.services.checks import record_check

    if ok and fail:
        raise InvalidInput(OK_AND_FAIL)
    with open_env(ctx) as env:
        result = record_check(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            item=item,
            ok=True if ok else False if fail else None,
            note_text=note,
            dept_ref=dept,
            on=on,
            due=due,
        )
        day = on or env.clock.today
    for warning in result.warnings or ():
        typer.echo(WARNING.format(warning=warning), err=True)
    typer.echo(
        RECORDED.format(
            item=result.item.id,
            result=OK_WORD if result.ok else FAIL_WORD,
            day=day,
            dept=FOR_DEPT.format(dept=result.dept) if result.dept else "",
        )
    )
    if result.action_id is not None:
        said = ACTION_FALLEN if result.fell_to else ACTION
        typer.echo(
            said.format(
                id=result.action_id,
                owner=result.owner,
                role=result.fell_to,
                dept=result.dept,
                due=result.due,
            )
        )


@app.command(name="list")
def check_list(
    ctx: typer.Context,
    month: Annotated[
        date | None,
        typer.Option(
            "--month", parser=a_month, metavar="YYYY-MM", help="Which month (default: this one)."
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The month's disclosure checks: each item's last result, then every check recorded."""
    from careops.render.output import emit, to_json
    from careops.services.checks import list_checks

    with open_env(ctx, write=False) as env:
        data = list_checks(session=env.session, clock=env.clock, policy=env.policy, month=month)
    if fmt == Format.json:
        typer.echo(to_json(data))
        return
    if fmt == Format.table:
        typer.echo(HEADER.format(month=data["month"], owner=data["owner"] or NOBODY))
    emit(data["items"], ITEM_COLUMNS, fmt.value)
    if data["checks"]:
        emit(data["checks"], CHECK_COLUMNS, fmt.value)
