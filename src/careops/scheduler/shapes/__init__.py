"""One module per shape of rule, and the registry every reader walks.

A shape turns the policy's rules of that shape into due items, derived from the recorded facts as of the clock.
`due`, `policy show` and `report monthly` walk `SHAPES`; the policy checks a rule's shape against the same
names (`careops.policy.models.SHAPES`), and a test keeps the two lists equal.

Followups and triggers are written as obligations when their fact is recorded (`careops.services.followups`);
`careops.scheduler.obligations` reads them all at once, so their entry here has no items function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.policy.models import Policy, Rule
from careops.scheduler.cadence import Scope
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Roles


@dataclass
class Context:
    """What every shape reads: the database, the policy, the clock, whose items, who holds which role."""

    conn: Connection
    policy: Policy
    clock: Clock
    calendar: WorkCalendar
    scope: Scope
    roles: Roles
    settled_today: bool = False  # also what was settled today (the daily share counts it off)


ItemsOf = Callable[[Context, list[Rule]], list[DueItem]]


@dataclass(frozen=True)
class Shape:
    name: str
    items: ItemsOf | None  # None: written when the fact is recorded, read as stored obligations
    staff_only: bool = (
        False  # its subjects are staff, departments or the hospital: no zone, no household
    )


def _registry() -> dict[str, Shape]:
    # Imported here: each shape module imports Context from this package.
    from careops.scheduler.shapes import (
        action,
        appeal,
        cadence,
        check,
        contract,
        interview,
        leave_step,
        meeting,
        one_to_one,
        plans,
        probation,
        register,
        survey_quota,
    )

    shapes = [
        Shape("cadence", cadence.items),
        Shape("trigger", None),
        Shape("followup", None),
        Shape("register-answer", register.answer_items),
        Shape("register-chase", register.chase_items),
        Shape("register-instruction", register.instruction_items),
        Shape("one-to-one", one_to_one.items, staff_only=True),
        Shape("probation", probation.items, staff_only=True),
        Shape("interview", interview.items, staff_only=True),
        Shape("contract", contract.items, staff_only=True),
        Shape("leave-step", leave_step.items, staff_only=True),
        Shape("appeal-decision", appeal.decision_items, staff_only=True),
        Shape("appeal-notify", appeal.notify_items, staff_only=True),
        Shape("meeting", meeting.items, staff_only=True),
        Shape("meeting-scheduled", meeting.scheduled_items, staff_only=True),
        Shape("action", action.items, staff_only=True),
        Shape("check", check.items, staff_only=True),
        Shape("survey-quota", survey_quota.items, staff_only=True),
        Shape("plan-approval", plans.approval_items, staff_only=True),
    ]
    return {s.name: s for s in shapes}


SHAPES = _registry()


def shape_items(ctx: Context) -> list[DueItem]:
    """Every derived item of every rule of the policy, shape by shape."""
    items: list[DueItem] = []
    household_scope = ctx.scope.zone_id is not None or ctx.scope.party_id is not None
    for shape in SHAPES.values():
        rules = ctx.policy.shaped(shape.name)
        if shape.items is None or not rules or (shape.staff_only and household_scope):
            continue
        items += shape.items(ctx, rules)
    return items
