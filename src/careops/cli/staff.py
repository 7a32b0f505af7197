"""`careops staff`: the people who owe the visits."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt
from careops.vocab import Format, Role

app = typer.Typer(help="Staff: butlers, managers, supervisors…", no_args_is_help=True)

COLUMNS = [("id", "ID"), ("name", "Name"), ("role", "Role"), ("dept", "Dept"), ("reports_to", "Reports to"), ("zones", "Zones")]

# What this module says to people (one place, ready for translation).
ADDED = "Added {role} {name} (#{id})."
NO_STAFF = "No staff yet: add someone with `careops staff add NAME --role butler`."


@app.command(name="add")
def staff_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name.")],
    role: Annotated[Role, typer.Option("--role", help="What they do.")],
    dept: Annotated[Optional[str], typer.Option("--dept", metavar="DEPT", help="Department.")] = None,
    reports_to: Annotated[Optional[str], typer.Option("--reports-to", metavar="STAFF", help="Their manager (name or id).")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", metavar="PHONE")] = None,
) -> None:
    """Add a staff member. Example: careops staff add "Wang Fang" --role butler --reports-to "Li Hua"."""
    from careops.services.staff import add_staff

    with open_env(ctx) as env:
        member = add_staff(session=env.session, clock=env.clock, name=name, role=role, dept=dept,
                           reports_to=reports_to, phone=phone)
    typer.echo(ADDED.format(role=member.role, name=member.name, id=member.id))


@app.command(name="list")
def staff_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """List staff with their role, department and manager."""
    from careops.render.output import emit
    from careops.services.staff import list_staff

    with open_env(ctx, write=False) as env:
        rows = list_staff(session=env.session)
    emit(rows, COLUMNS, fmt.value, empty=NO_STAFF)
