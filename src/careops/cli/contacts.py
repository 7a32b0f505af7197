"""`careops contact`: external parties the center manager keeps in touch with (P2)."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, ShowPhoneOpt
from careops.i18n import _
from careops.vocab import ContactKind, Format

app = typer.Typer(
    help="External contacts: committee chair, community office, housing bureau (P2).",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("name", _("Name")),
    ("kind", _("Kind")),
    ("phone", _("Phone")),
    ("last_contact", _("Last contact")),
]

# What this module says to people (one place, ready for translation).
ADDED = _("Added {kind} {name} (#{id}).")
NO_CONTACTS = _("No contacts yet: `careops contact add NAME --kind committee-chair`.")


@app.command(name="add")
def contact_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who: a person or an office.")],
    kind: Annotated[ContactKind, typer.Option("--kind", help="Which P2 contact this is.")],
    phone: Annotated[str | None, typer.Option("--phone", metavar="PHONE")] = None,
) -> None:
    """Add an external contact. Example: careops contact add "Chair Liu" --kind committee-chair."""
    from careops.services.contacts import add_contact

    with open_env(ctx) as env:
        record = add_contact(
            session=env.session, clock=env.clock, name=name, kind=kind, phone=phone
        )
    typer.echo(ADDED.format(kind=record.contact_kind, name=record.name, id=record.id))


@app.command(name="list")
def contact_list(
    ctx: typer.Context, fmt: FormatOpt = Format.table, show_phone: ShowPhoneOpt = False
) -> None:
    """List external contacts and when each was last reached."""
    from careops.render.output import emit
    from careops.services.contacts import list_contacts

    with open_env(ctx, write=False) as env:
        rows = list_contacts(session=env.session, clock=env.clock, show_phone=show_phone)
    emit(rows, COLUMNS, fmt.value, empty=NO_CONTACTS)
