"""`careops dept`: departments, the clinical ones holding a monthly ward forum (H3.6)."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt
from careops.i18n import _
from careops.vocab import Format

app = typer.Typer(
    help="Departments: clinical ones hold a ward forum every month (H3.6); the head chairs it.",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("name", _("Department")),
    ("clinical", _("Clinical")),
    ("head", _("Head")),
    ("staff", _("Staff")),
]

# What this module says to people (one place, ready for translation).
ADDED = _("Added department {name} (#{id}){clinical}{head}.")
CLINICAL = _(", clinical: a ward forum every month (H3.6)")
HEAD = _(", head {head}")
EDITED = _("Changed {name}: {changes}.")
UNCHANGED = _("Nothing changed for {name}: the values given are the ones on record.")
NONE = _("No departments yet: `careops dept add NAME [--clinical] [--head STAFF]`.")
YES, NO = _("yes"), _("no")

HeadOpt = Annotated[
    str | None,
    typer.Option("--head", metavar="STAFF", help="The head of the department (name or id)."),
]


@app.command(name="add")
def dept_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The department's name.")],
    clinical: Annotated[
        bool,
        typer.Option("--clinical", help="A clinical department (a ward): a forum every month."),
    ] = False,
    head: HeadOpt = None,
) -> None:
    """Add a department. Example: careops dept add "Internal Medicine" --clinical --head "Song Lihua"."""
    from careops.services.depts import add_dept

    with open_env(ctx) as env:
        row = add_dept(
            session=env.session, clock=env.clock, name=name, clinical=clinical, head=head
        )
    typer.echo(
        ADDED.format(
            name=row["name"],
            id=row["id"],
            clinical=CLINICAL if clinical else "",
            head=HEAD.format(head=row["head"]) if row["head"] else "",
        )
    )


@app.command(name="edit")
def dept_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="NAME", help="The department (name or id).")],
    clinical: Annotated[
        bool | None, typer.Option("--clinical/--not-clinical", help="Whether it is a ward.")
    ] = None,
    head: HeadOpt = None,
    no_head: Annotated[bool, typer.Option("--no-head", help="Nobody heads it any more.")] = False,
) -> None:
    """Change whether a department is clinical, or its head. Example: careops dept edit Surgery --head "Xu Guoliang"."""
    from careops.services.depts import edit_dept

    with open_env(ctx) as env:
        result = edit_dept(
            session=env.session,
            clock=env.clock,
            ref=ref,
            clinical=clinical,
            head=head,
            no_head=no_head,
        )
    if result.changes:
        typer.echo(EDITED.format(name=result.name, changes="; ".join(result.changes)))
    else:
        typer.echo(UNCHANGED.format(name=result.name))


@app.command(name="list")
def dept_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Departments, whether clinical, their head and how many staff name them."""
    from careops.render.output import emit
    from careops.services.depts import list_depts

    with open_env(ctx, write=False) as env:
        rows = list_depts(session=env.session)
    if fmt != Format.json:
        rows = [{**r, "clinical": YES if r["clinical"] else NO} for r in rows]
    emit(rows, COLUMNS, fmt.value, empty=NONE)
