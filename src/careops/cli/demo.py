"""`careops demo`: a realistic demo site in the database."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env

# What this module says to people (one place, ready for translation).
BUILT = ("Demo site: {households} households in {zones} zones, {staff} staff, {visits} visits. "
         "Try: careops due --staff \"{butler}\"")
COMPANY = ("The company's side (E1, E2): careops leave list; careops --as \"Tang Yaping\" appeal list; "
           "careops due --staff 'Deng Guoqiang'.")


def demo(
    ctx: typer.Context,
    households: Annotated[int, typer.Option("--households", metavar="N", min=1, help="How many households.")] = 600,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Same seed and clock, same site.")] = 7,
) -> None:
    """Build a demo site with a year of visit history ending now (use a new --db).

    Example: careops --db demo.db --now "2026-11-27 08:30" demo
    """
    from careops.services.demo import build_demo

    with open_env(ctx) as env:
        summary = build_demo(session=env.session, clock=env.clock, households=households, seed=seed)
    typer.echo(BUILT.format(households=summary.households, zones=summary.zones, staff=summary.staff,
                            visits=summary.visits, butler=summary.demo_butler))
    typer.echo(COMPANY)
