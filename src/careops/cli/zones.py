"""`careops zone`: zones and the butler who owns each."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt
from careops.vocab import Format

app = typer.Typer(help="Zones (管理区域): each is one butler's households.", no_args_is_help=True)

COLUMNS = [("id", "ID"), ("name", "Zone"), ("butler", "Butler"), ("households", "Households")]


@app.command(name="add")
def zone_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The zone's name, e.g. A or 3栋.")],
    butler: Annotated[Optional[str], typer.Option("--butler", metavar="STAFF", help="The butler who owns it (staff name or id).")] = None,
) -> None:
    """Add a zone. Example: careops zone add A --butler "Wang Fang"."""
    from careops.services.zones import add_zone

    with open_env(ctx) as env:
        done = add_zone(session=env.session, clock=env.clock, name=name, butler=butler)
    for warning in done.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    typer.echo(f"Added zone {done.zone.name} (#{done.zone.id})" + (f", butler {done.butler}." if done.butler else ", no butler yet."))


@app.command(name="edit")
def zone_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The zone's name or id.")],
    butler: Annotated[str, typer.Option("--butler", metavar="STAFF", help="The butler who takes it over.")],
) -> None:
    """Hand a zone to another butler: its households' items move to them at once."""
    from careops.services.zones import edit_zone

    with open_env(ctx) as env:
        done = edit_zone(session=env.session, name=name, butler=butler)
    for warning in done.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    typer.echo(f"Zone {done.zone.name}: butler {done.before or '(none)'} → {done.butler}.")


@app.command(name="list")
def zone_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """List zones with their butler and number of households."""
    from careops.render.output import emit
    from careops.services.zones import list_zones

    with open_env(ctx, write=False) as env:
        rows = list_zones(session=env.session)
    emit(rows, COLUMNS, fmt.value, empty="No zones yet: add one with `careops zone add NAME --butler STAFF`.")
