"""`careops staff`: the people who owe the visits and the conversations, and who reports to whom."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from careops.cli.context import open_env, say_new_depts
from careops.cli.options import FormatOpt, date_option
from careops.i18n import _
from careops.vocab import Format, Role

app = typer.Typer(
    help="Staff: butlers, managers, employees, HR… and who reports to whom.", no_args_is_help=True
)

COLUMNS = [
    ("id", _("ID")),
    ("name", _("Name")),
    ("role", _("Role")),
    ("dept", _("Dept")),
    ("reports_to", _("Reports to")),
    ("zones", _("Zones")),
]
FIELD_LABELS = {
    "id": _("ID"),
    "name": _("Name"),
    "role": _("Role"),
    "dept": _("Dept"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "hired": _("Hired"),
    "probation_ends": _("Probation ends"),
    "contract_ends": _("Contract ends"),
    "key_position": _("Key position"),
    "reports_since": _("Manager since"),
    "status": _("Status"),
    "left_on": _("Left on"),
}

# What this module says to people (one place, ready for translation).
ADDED = _("Added {role} {name} (#{id}).")
EDITED = _("Changed {name}: {changes}.")
UNCHANGED = _("Nothing changed for {name}: the values given are the ones on record.")
NEW_PAIR = _("{name}'s one-to-one (E2.1) is now owed by {manager} for {year}.")
NO_STAFF = _("No staff yet: add someone with `careops staff add NAME --role butler`.")
LINE = _("Reporting line")
REPORTS = _("Reports")
CASES = _("Cases")
CASE = _("#{id} {kind}, last day {last_day} ({state})")
TOP = _("(top)")
YES, NO = _("yes"), _("no")
WARNING = _("Warning: {warning}")

RoleOpt = Annotated[
    Role | None,
    typer.Option("--role", help="What they do (default for a new member: employee)."),
]
DeptOpt = Annotated[str | None, typer.Option("--dept", metavar="DEPT", help="Department.")]
ReportsOpt = Annotated[
    str | None, typer.Option("--reports-to", metavar="STAFF", help="Their manager (name or id).")
]
PhoneOpt = Annotated[str | None, typer.Option("--phone", metavar="PHONE")]
EmailOpt = Annotated[
    str | None,
    typer.Option("--email", metavar="EMAIL", help="Where appeal decisions can be e-mailed."),
]
HiredOpt = Annotated[date | None, date_option("--hired", "The day they joined.")]
ProbationOpt = Annotated[
    date | None,
    date_option("--probation-ends", "Probation ends: the manager interviews them by then (E2.2)."),
]
ContractOpt = Annotated[
    date | None,
    date_option(
        "--contract-ends", "The labour contract's end: HR is reminded 30 days before (E1.1)."
    ),
]


@app.command(name="add")
def staff_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name.")],
    role: RoleOpt = None,
    dept: DeptOpt = None,
    reports_to: ReportsOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    hired: HiredOpt = None,
    probation_ends: ProbationOpt = None,
    contract_ends: ContractOpt = None,
    key_position: Annotated[
        bool,
        typer.Option(
            "--key-position",
            help="First-in-charge of a subsidiary or a key post: a departure audit when they leave (E1.2).",
        ),
    ] = False,
) -> None:
    """Add a staff member. Example: careops staff add "Wang Fang" --role butler --reports-to "Li Hua"."""
    from careops.services.staff import add_staff

    with open_env(ctx) as env:
        member = add_staff(
            session=env.session,
            clock=env.clock,
            name=name,
            role=role or Role.employee,
            dept=dept,
            reports_to=reports_to,
            phone=phone,
            email=email,
            hired=hired,
            probation_ends=probation_ends,
            contract_ends=contract_ends,
            key_position=key_position,
        )
        new_depts = env.session.info.get("new_depts", [])
    typer.echo(ADDED.format(role=member.role, name=member.name, id=member.id))
    say_new_depts(new_depts)


@app.command(name="edit")
def staff_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="STAFF", help="Name or id.")],
    role: RoleOpt = None,
    dept: DeptOpt = None,
    reports_to: ReportsOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    hired: HiredOpt = None,
    probation_ends: ProbationOpt = None,
    contract_ends: ContractOpt = None,
    key_position: Annotated[
        bool | None,
        typer.Option("--key-position/--no-key-position", help="Holds a key position (E1.2)."),
    ] = None,
) -> None:
    """Change a staff member's details. A new manager (--reports-to) owes the yearly one-to-one from today.

    Example: careops staff edit "Zhou Min" --contract-ends 2029-12-31
    """
    from careops.services.staff import edit_staff

    with open_env(ctx) as env:
        result = edit_staff(
            session=env.session,
            clock=env.clock,
            ref=ref,
            role=role,
            dept=dept,
            reports_to=reports_to,
            phone=phone,
            email=email,
            hired=hired,
            probation_ends=probation_ends,
            contract_ends=contract_ends,
            key_position=key_position,
        )
        year = env.clock.today.year
        new_depts = env.session.info.get("new_depts", [])
    say_new_depts(new_depts)
    member = result.member
    if not result.changes:
        typer.echo(UNCHANGED.format(name=member.name))
        return
    typer.echo(EDITED.format(name=member.name, changes="; ".join(result.changes)))
    if result.new_manager:
        typer.echo(NEW_PAIR.format(name=member.name, manager=result.new_manager, year=year))


@app.command(name="list")
def staff_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """List staff with their role, department and manager."""
    from careops.render.output import emit
    from careops.services.staff import list_staff

    with open_env(ctx, write=False) as env:
        rows = list_staff(session=env.session)
    emit(rows, COLUMNS, fmt.value, empty=NO_STAFF)


@app.command(name="show")
def staff_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="STAFF", help="Name or id.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """One staff member: details, the reporting line up to the top, their reports, leaving or transfer cases."""
    from careops.render.output import emit_detail, field_rows
    from careops.services.staff import show_staff

    with open_env(ctx, write=False) as env:
        data = show_staff(session=env.session, clock=env.clock, ref=ref)
    rows = field_rows(data, FIELD_LABELS, yes=YES, no=NO)
    line = data["reporting_line"]
    rows.append(
        {
            "field": LINE,
            "value": " → ".join(f"{p['name']} ({p['role']})" for p in line)
            + ("" if len(line) > 1 else f" {TOP}"),
        }
    )
    if data["reports"]:
        rows.append(
            {
                "field": REPORTS,
                "value": ", ".join(f"{p['name']} ({p['role']})" for p in data["reports"]),
            }
        )
    if data["cases"]:
        rows.append({"field": CASES, "value": "; ".join(CASE.format(**c) for c in data["cases"])})
    emit_detail(data, fmt.value, rows)
