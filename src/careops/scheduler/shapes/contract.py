"""Shape `contract` (E1.1): a labour contract ending within `opens` is an item for its owner (HR): renew it or
record the leaving. An employee with no contract end on file is an item too: record it (a fact the rule needs
that nobody recorded)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, literal, select

from careops.i18n import Text, _
from careops.policy.models import Rule, parse_offset
from careops.scheduler.items import DueItem
from careops.scheduler.owners import left_before, mine
from careops.scheduler.people import staff_item
from careops.scheduler.shapes import Context
from careops.scheduler.tables import leave_case, staff
from careops.shell import arg

# What this module says to people (one place, ready for translation).
WHY = _(
    "{name}'s contract ends on {ends:%Y-%m-%d}: renew it (`staff edit --contract-ends`) "
    "or record the leaving (`leave start`)"
)
WHY_ENDED = _(
    "{name}'s contract ended on {ends:%Y-%m-%d} and nothing is recorded: renew it or record the leaving"
)
TITLE_UNKNOWN = _("contract end not on file")
WHY_UNKNOWN = _(
    "{name} has no contract end on file: record it (`careops staff edit {ref} --contract-ends D`)"
)


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    return [i for rule in rules for i in _items(ctx, rule)]


def _items(ctx: Context, rule: Rule) -> list[DueItem]:
    clock = ctx.clock
    owner, fell = ctx.roles.owner(rule)
    if not mine(ctx.scope.owner_id, owner):
        return []
    leaving = exists(
        select(literal(1)).where(
            leave_case.c.staff_id == staff.c.id,
            leave_case.c.kind == "leave",
            leave_case.c.voided_at.is_(None),
            leave_case.c.created_at <= clock.now_utc,
        )
    )
    horizon = clock.today + timedelta(days=parse_offset(rule.opens or "0d")[0])
    # A contract end not on file is asked of those the rule names (`among`: the company's staff).
    unknown = staff.c.contract_ends.is_(None) & staff.c.role.in_([r.value for r in rule.among])
    rows = ctx.conn.execute(
        select(staff.c.id, staff.c.name, staff.c.contract_ends).where(
            (staff.c.contract_ends <= horizon) | unknown,
            ~leaving,
            ~left_before(clock.today),
            staff.c.created_at <= clock.now_utc,
        )
    ).all()
    found = []
    for row in rows:
        title: Text
        if row.contract_ends is None:
            title, due, status = TITLE_UNKNOWN, clock.today, "due"
            why = WHY_UNKNOWN.format(name=row.name, ref=arg(row.name))
        else:
            ended = row.contract_ends < clock.today
            title, due, status = rule.title, row.contract_ends, "overdue" if ended else "due"
            why = (WHY_ENDED if ended else WHY).format(name=row.name, ends=row.contract_ends)
        found.append(
            staff_item(
                rule,
                kind="contract",
                title=title,
                subject_id=row.id,
                subject_name=row.name,
                owner=owner,
                due=due,
                status=status,
                why=why + fell,
            )
        )
    return found
