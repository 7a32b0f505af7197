"""`careops resident`: households, one by one or from a spreadsheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, ShowPhoneOpt, ZoneOpt, date_option
from careops.i18n import _
from careops.vocab import Format, Status

app = typer.Typer(help="Households: add, edit, list, show, import.", no_args_is_help=True)

COLUMNS = [
    ("id", _("ID")),
    ("unit", _("Unit")),
    ("name", _("Name")),
    ("zone", _("Zone")),
    ("status", _("Status")),
    ("phone", _("Phone")),
    ("tags", _("Tags")),
    ("last_contact", _("Last contact")),
]
DETAIL_COLUMNS = [("field", _("Field")), ("value", _("Value"))]
FIELD_LABELS = {
    "id": _("ID"),
    "kind": _("Kind"),
    "name": _("Name"),
    "unit": _("Unit"),
    "zone": _("Zone"),
    "butler": _("Butler"),
    "status": _("Status"),
    "contact_kind": _("Contact kind"),
    "phone": _("Phone"),
    "moved_in": _("Moved in"),
    "status_since": _("Under its rules since"),
    "tags": _("Tags"),
}
OPEN_ITEM_COLUMNS = [
    ("status", _("Status")),
    ("due", _("Due")),
    ("clause", _("Clause")),
    ("title", _("What")),
]
RECENT_VISIT_COLUMNS = [
    ("at", _("When")),
    ("by", _("By")),
    ("channel", _("Channel")),
    ("outcome", _("Outcome")),
    ("note", _("Note")),
]

# What this module says to people (one place, ready for translation).
ADDED = _("Added {name}, {unit} (#{id}, {status}).")
EDITED = _("{name}, {unit} (#{id}): {changes}")
NOTHING_CHANGED = _("nothing changed.")
NO_HOUSEHOLDS = _("No households yet: `careops resident add` or `careops resident import FILE`.")
OPEN_ITEMS = _("Open items:")
RECENT_VISITS = _("Recent visits:")
NONE_LISTED = _("  none")
IMPORTING = _("Importing")
BAD_ROW = _("  {problem}")
BAD_ROWS = _(
    "{count} row(s) of {file} are wrong (listed above); nothing was imported. Fix them and import again."
)
IMPORTED_ONE = _("Imported {count} household from {file}.")
IMPORTED_MANY = _("Imported {count} households from {file}.")

TagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        metavar="TAG",
        help="A tag; `key` marks a key-attention household. Repeat for more.",
    ),
]


@app.command(name="add")
def resident_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The resident's name.")],
    unit: Annotated[
        str, typer.Option("--unit", metavar="UNIT", help="The unit, e.g. 3-2-1201 or 3栋2单元1201.")
    ],
    zone: Annotated[str, typer.Option("--zone", metavar="ZONE", help="The zone it belongs to.")],
    phone: Annotated[str | None, typer.Option("--phone", metavar="PHONE")] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="occupied (default) or not-moved-in.")
    ] = None,
    moved_in: Annotated[date | None, date_option("--moved-in", "Move-in date.")] = None,
    tags: TagOpt = None,
) -> None:
    """Add a household. Example: careops resident add "Zhang San" --unit 3-2-1201 --zone A --tag key."""
    from careops.services.residents import add_resident

    with open_env(ctx) as env:
        record = add_resident(
            session=env.session,
            clock=env.clock,
            name=name,
            unit=unit,
            zone_ref=zone,
            phone=phone,
            status=status,
            moved_in=moved_in,
            tags=tags or [],
        )
    typer.echo(ADDED.format(name=record.name, unit=record.unit, id=record.id, status=record.status))


@app.command(name="edit")
def resident_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, unit or name.")],
    name: Annotated[str | None, typer.Option("--name", metavar="NAME")] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="UNIT")] = None,
    zone: Annotated[str | None, typer.Option("--zone", metavar="ZONE")] = None,
    phone: Annotated[str | None, typer.Option("--phone", metavar="PHONE")] = None,
    status: Annotated[Status | None, typer.Option("--status")] = None,
    moved_in: Annotated[date | None, date_option("--moved-in", "Move-in date.")] = None,
    tags: TagOpt = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", metavar="TAG", help="Remove a tag.")
    ] = None,
) -> None:
    """Change a household's details. Example: careops resident edit 3-2-1201 --phone 13800000000 --tag key."""
    from careops.services.residents import edit_resident

    with open_env(ctx) as env:
        record, changes = edit_resident(
            session=env.session,
            clock=env.clock,
            ref=ref,
            name=name,
            unit=unit,
            zone_ref=zone,
            phone=phone,
            status=status,
            moved_in=moved_in,
            add=tags or [],
            remove=untag or [],
        )
    typer.echo(
        EDITED.format(
            name=record.name,
            unit=record.unit,
            id=record.id,
            changes="; ".join(changes) if changes else NOTHING_CHANGED,
        )
    )


@app.command(name="list")
def resident_list(
    ctx: typer.Context,
    zone: ZoneOpt = None,
    fmt: FormatOpt = Format.table,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """List households with their zone, status, tags and last contact."""
    from careops.render.output import emit
    from careops.services.residents import list_residents

    with open_env(ctx, write=False) as env:
        rows = list_residents(
            session=env.session, clock=env.clock, zone_ref=zone, show_phone=show_phone
        )
    emit(rows, COLUMNS, fmt.value, empty=NO_HOUSEHOLDS)


@app.command(name="show")
def resident_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, unit or name.")],
    fmt: FormatOpt = Format.table,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """Show one household: details, open items and recent visits."""
    from careops.render.output import emit, to_json
    from careops.services.profile import household_profile

    with open_env(ctx, write=False) as env:
        profile = household_profile(
            session=env.session, clock=env.clock, policy=env.policy, ref=ref, show_phone=show_phone
        )
    if fmt == Format.json:
        typer.echo(to_json(profile))
        return
    details = {k: v for k, v in profile.items() if k not in ("open_items", "recent_visits")}
    details["tags"] = ", ".join(details["tags"])
    emit(
        [{"field": FIELD_LABELS.get(k, k), "value": v} for k, v in details.items()],
        DETAIL_COLUMNS,
        "table",
    )
    typer.echo("\n" + OPEN_ITEMS)
    emit(profile["open_items"], OPEN_ITEM_COLUMNS, "table", empty=NONE_LISTED)
    typer.echo("\n" + RECENT_VISITS)
    emit(profile["recent_visits"], RECENT_VISIT_COLUMNS, "table", empty=NONE_LISTED)


@app.command(name="import")
def resident_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file.")]
) -> None:
    """Import households from CSV or Excel: all rows or none.

    Columns: name, unit, zone, phone, status, moved_in, tags (or 姓名, 房号, 区域, 电话, 状态, 入住日期, 标签).
    """
    from careops.cli.progress import progress_bar
    from careops.errors import InvalidInput
    from careops.services.importer import BadRows, import_residents

    try:
        with open_env(ctx) as env, progress_bar(IMPORTING) as advance:
            count = import_residents(
                session=env.session, clock=env.clock, path=file, progress=advance
            )
    except BadRows as bad:
        for problem in bad.problems:
            typer.echo(BAD_ROW.format(problem=problem), err=True)
        raise InvalidInput(BAD_ROWS.format(count=len(bad.problems), file=file.name)) from None
    typer.echo((IMPORTED_ONE if count == 1 else IMPORTED_MANY).format(count=count, file=file.name))
