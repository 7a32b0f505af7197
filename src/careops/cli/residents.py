"""`careops resident`: households, one by one or from a spreadsheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, ZoneOpt, date_option
from careops.vocab import Format, Status

app = typer.Typer(help="Households: add, edit, list, show, import.", no_args_is_help=True)

COLUMNS = [("id", "ID"), ("unit", "Unit"), ("name", "Name"), ("zone", "Zone"), ("status", "Status"),
           ("phone", "Phone"), ("tags", "Tags"), ("last_contact", "Last contact")]
TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", help="A tag; `key` marks a key-attention household. Repeat for more.")]


@app.command(name="add")
def resident_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The resident's name.")],
    unit: Annotated[str, typer.Option("--unit", metavar="UNIT", help="The unit, e.g. 3-2-1201 or 3栋2单元1201.")],
    zone: Annotated[str, typer.Option("--zone", metavar="ZONE", help="The zone it belongs to.")],
    phone: Annotated[Optional[str], typer.Option("--phone", metavar="PHONE")] = None,
    status: Annotated[Optional[Status], typer.Option("--status", help="occupied (default) or not-moved-in.")] = None,
    moved_in: Annotated[Optional[date], date_option("--moved-in", "Move-in date.")] = None,
    tags: TagOpt = None,
) -> None:
    """Add a household. Example: careops resident add "Zhang San" --unit 3-2-1201 --zone A --tag key."""
    from careops.services.residents import add_resident

    with open_env(ctx) as env:
        record = add_resident(session=env.session, clock=env.clock, name=name, unit=unit, zone_ref=zone,
                              phone=phone, status=status, moved_in=moved_in, tags=tags or [])
    typer.echo(f"Added {record.name}, {record.unit} (#{record.id}, {record.status}).")


@app.command(name="edit")
def resident_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, unit or name.")],
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar="UNIT")] = None,
    zone: Annotated[Optional[str], typer.Option("--zone", metavar="ZONE")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", metavar="PHONE")] = None,
    status: Annotated[Optional[Status], typer.Option("--status")] = None,
    moved_in: Annotated[Optional[date], date_option("--moved-in", "Move-in date.")] = None,
    tags: TagOpt = None,
    untag: Annotated[Optional[list[str]], typer.Option("--untag", metavar="TAG", help="Remove a tag.")] = None,
) -> None:
    """Change a household's details. Example: careops resident edit 3-2-1201 --phone 13800000000 --tag key."""
    from careops.services.residents import edit_resident

    with open_env(ctx) as env:
        record, changes = edit_resident(session=env.session, clock=env.clock, ref=ref, name=name, unit=unit,
                                        zone_ref=zone, phone=phone, status=status, moved_in=moved_in,
                                        add=tags or [], remove=untag or [])
    typer.echo(f"{record.name}, {record.unit} (#{record.id}): " + ("; ".join(changes) if changes else "nothing changed."))


@app.command(name="list")
def resident_list(ctx: typer.Context, zone: ZoneOpt = None, fmt: FormatOpt = Format.table) -> None:
    """List households with their zone, status, tags and last contact."""
    from careops.render.output import emit
    from careops.services.residents import list_residents

    with open_env(ctx, write=False) as env:
        rows = list_residents(session=env.session, clock=env.clock, zone_ref=zone)
    emit(rows, COLUMNS, fmt.value, empty="No households yet: `careops resident add` or `careops resident import FILE`.")


@app.command(name="show")
def resident_show(ctx: typer.Context, ref: Annotated[str, typer.Argument(help="Id, unit or name.")],
                  fmt: FormatOpt = Format.table) -> None:
    """Show one household: details, open items and recent visits."""
    from careops.render.output import emit, to_json
    from careops.services.profile import household_profile

    with open_env(ctx, write=False) as env:
        profile = household_profile(session=env.session, clock=env.clock, policy=env.policy, ref=ref)
    if fmt == Format.json:
        typer.echo(to_json(profile))
        return
    details = {k: v for k, v in profile.items() if k not in ("open_items", "recent_visits")}
    details["tags"] = ", ".join(details["tags"])
    emit([{"field": k, "value": v} for k, v in details.items()], [("field", "Field"), ("value", "Value")], "table")
    typer.echo("\nOpen items:")
    emit(profile["open_items"], [("status", "Status"), ("due", "Due"), ("clause", "Clause"), ("title", "What")], "table",
         empty="  none")
    typer.echo("\nRecent visits:")
    emit(profile["recent_visits"], [("at", "When"), ("by", "By"), ("channel", "Channel"), ("outcome", "Outcome"),
                                    ("note", "Note")], "table", empty="  none")


@app.command(name="import")
def resident_import(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file.")]) -> None:
    """Import households from CSV or Excel: all rows or none.

    Columns: name, unit, zone, phone, status, moved_in, tags (or 姓名, 房号, 区域, 电话, 状态, 入住日期, 标签).
    """
    from careops.cli.progress import progress_bar
    from careops.errors import InvalidInput
    from careops.services.importer import BadRows, import_residents

    try:
        with open_env(ctx) as env, progress_bar("Importing") as advance:
            count = import_residents(session=env.session, clock=env.clock, path=file, progress=advance)
    except BadRows as bad:
        for problem in bad.problems:
            typer.echo(f"  {problem}", err=True)
        raise InvalidInput(f"{len(bad.problems)} row(s) of {file.name} are wrong (listed above); nothing was imported. Fix them and import again.") from None
    typer.echo(f"Imported {count} household{'s' if count != 1 else ''} from {file.name}.")
