"""`careops demo`: a realistic demo site in the database."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.i18n import _


class Site(str, Enum):
    property = "property"
    hospital = "hospital"


# What this module says to people (one place, ready for translation).
BUILT = _(
    "Demo site: {households} households in {zones} zones, {staff} staff, {visits} visits. "
    'Try: careops due --staff "{butler}"'
)
HOSPITAL = _(
    "Hospital demo (H3): {depts} departments, {staff} staff, {meetings} meetings held with minutes, "
    '{answers} survey answers. Try: careops due --staff "{clerk}"'
)
COMPANY = _(
    'The company\'s side (E1, E2): careops leave list; careops --as "{hr}" appeal list; '
    "careops due --staff '{head}'."
)


def demo(
    ctx: typer.Context,
    households: Annotated[
        int, typer.Option("--households", metavar="N", min=1, help="How many households.")
    ] = 600,
    seed: Annotated[
        int, typer.Option("--seed", metavar="N", help="Same seed and clock, same site.")
    ] = 7,
    site: Annotated[
        Site,
        typer.Option(
            "--site",
            help="property: the butlers' site and the company; hospital: the hospital office (H3).",
        ),
    ] = Site.property,
) -> None:
    """Build a demo site with a year of visit history ending now (use a new --db).

    Example: careops --db demo.db --now "2026-11-27 08:30" demo
    """
    from careops.services.demo import DEMO_APPEAL, DEMO_HR, build_demo

    if site == Site.hospital:
        from careops.services.demo_hospital import build_hospital

        with open_env(ctx) as env:
            made = build_hospital(session=env.session, clock=env.clock, seed=seed)
        typer.echo(
            HOSPITAL.format(
                depts=made.depts,
                staff=made.staff,
                meetings=made.meetings,
                answers=made.answers,
                clerk=made.clerk,
            )
        )
        return
    with open_env(ctx) as env:
        summary = build_demo(session=env.session, clock=env.clock, households=households, seed=seed)
    typer.echo(
        BUILT.format(
            households=summary.households,
            zones=summary.zones,
            staff=summary.staff,
            visits=summary.visits,
            butler=summary.demo_butler,
        )
    )
    typer.echo(COMPANY.format(hr=DEMO_HR, head=DEMO_APPEAL[1]))
