"""Shape `cadence`: each subject (household, contact, a group) once a period (P1, P4.5, H3.2)."""

from __future__ import annotations

from careops.policy.models import Rule
from careops.scheduler.cadence import cadence_items
from careops.scheduler.items import DueItem
from careops.scheduler.shapes import Context


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    found: list[DueItem] = []
    for rule in rules:
        found += cadence_items(
            ctx.conn,
            rule,
            ctx.clock,
            ctx.scope,
            settled_today=ctx.settled_today,
            roles=ctx.roles,
        )
    return found
