"""`careops zone`: zones and the butler who owns each."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt
from careops.i18n import _
from careops.vocab import Format

app = typer.Typer(help="Zones (管理区域): each is one butler's households.", no_args_is_help=True)

COLUMNS = [
    ("id", _("ID")),
    ("name", _("Zone")),
    ("butler", _("Butler")),
    ("health_butler", _("Health butler")),
    ("households", _("Households")),
]

HealthButlerOpt = Annotated[
    str | None,
    typer.Option(
        "--health-butler", metavar="STAFF", help="The zone's health butler (P4.1 move-in visits)."
    ),
]

# What this module says to people (one place, ready for translation).
WARNING = _("Warning: {warning}")
ADDED = _("Added zone {zone} (#{id}), butler {butler}.")
ADDED_NO_BUTLER = _("Added zone {zone} (#{id}), no butler yet.")
HANDED_OVER = _("Zone {zone}: butler {before} → {butler}.")
HEALTH_BUTLER = _("Zone {zone}: health butler {before} → {health}.")
WITH_HEALTH = _(", health butler {health}.")
NO_BUTLER_BEFORE = _("(none)")
NO_ZONES = _("No zones yet: add one with `careops zone add NAME --butler STAFF`.")


@app.command(name="add")
def zone_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The zone's name, e.g. A or 3栋.")],
    butler: Annotated[
        str | None,
        typer.Option(
            "--butler", metavar="STAFF", help="The butler who owns it (staff name or id)."
        ),
    ] = None,
    health_butler: HealthButlerOpt = None,
) -> None:
    """Add a zone. Example: careops zone add A --butler "Wang Fang"."""
    from careops.services.zones import add_zone

    with open_env(ctx) as env:
        done = add_zone(
            session=env.session,
            clock=env.clock,
            name=name,
            butler=butler,
            health_butler=health_butler,
        )
    for warning in done.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    added = ADDED if done.butler else ADDED_NO_BUTLER
    line = added.format(zone=done.zone.name, id=done.zone.id, butler=done.butler)
    if done.health_butler:
        line = line.rstrip(".。") + WITH_HEALTH.format(health=done.health_butler)
    typer.echo(line)


@app.command(name="edit")
def zone_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The zone's name or id.")],
    butler: Annotated[
        str | None,
        typer.Option("--butler", metavar="STAFF", help="The butler who takes it over."),
    ] = None,
    health_butler: HealthButlerOpt = None,
) -> None:
    """Hand a zone to another butler (its households' items move to them at once), or name its health butler."""
    from careops.services.zones import edit_zone

    with open_env(ctx) as env:
        done = edit_zone(
            session=env.session,
            clock=env.clock,
            name=name,
            butler=butler,
            health_butler=health_butler,
        )
    for warning in done.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    if butler:
        typer.echo(
            HANDED_OVER.format(
                zone=done.zone.name, before=done.before or NO_BUTLER_BEFORE, butler=done.butler
            )
        )
    if health_butler:
        typer.echo(
            HEALTH_BUTLER.format(
                zone=done.zone.name,
                before=done.health_before or NO_BUTLER_BEFORE,
                health=done.health_butler,
            )
        )


@app.command(name="list")
def zone_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """List zones with their butler and number of households."""
    from careops.render.output import emit
    from careops.services.zones import list_zones

    with open_env(ctx, write=False) as env:
        rows = list_zones(session=env.session)
    emit(rows, COLUMNS, fmt.value, empty=NO_ZONES)
