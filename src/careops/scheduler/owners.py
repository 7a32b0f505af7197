"""Who owns an obligation: the holder of a role as of today, never someone who has left.

One place for every regime: a staff member whose leaving case's last day has passed holds no role, so
owns nothing, receives nothing and chairs nothing (`left_before`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Exists, exists, literal, select
from sqlalchemy.sql import ColumnElement

from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.tables import leave_case, staff

Holder = tuple[int, str]  # a staff member: (id, name)

# What this module says to people (one place, ready for translation).
FALLS_TO = _(" — no {owner} today (none on file, or they have left): falls to {name}")
OWNER_WORDS = {
    "manager": _("manager"),
    "receiver": _("receiver"),
    "dept-head": _("department head"),
    "action-owner": _("owner"),
    "handler": _("handler"),
    "leader": _("leader the matter was escalated to"),
    "caller": _("caller"),
    "zone-butler": _("zone butler"),
    "health-butler": _("health butler"),
}


def left_before(today: date, who: ColumnElement[Any] | None = None) -> Exists:
    """The staff member (a column) has left: a leaving case, not void, whose last day is before today."""
    who = staff.c.id if who is None else who
    return exists(
        select(literal(1)).where(
            leave_case.c.staff_id == who,
            leave_case.c.kind == "leave",
            leave_case.c.voided_at.is_(None),
            leave_case.c.last_day < today,
        )
    )


def role_holder(conn: Connection, role: str, today: date) -> Holder | None:
    """The staff member a `role:X` owner means today: the first one recorded with that role who has not
    left."""
    row = conn.execute(
        select(staff.c.id, staff.c.name)
        .where(staff.c.role == role, ~left_before(today))
        .order_by(staff.c.id)
        .limit(1)
    ).first()
    return (row.id, row.name) if row else None


def departed(conn: Connection, today: date) -> set[int]:
    """Every staff member who has left before today (a handful: read once per query)."""
    return set(conn.execute(select(staff.c.id).where(left_before(today))).scalars())


class Roles:
    """Who holds each role today and who has left, read once and shared by every rule of one `due`."""

    def __init__(self, conn: Connection, today: date) -> None:
        self.conn, self.today = conn, today
        self._held: dict[str, Holder | None] = {}
        self._gone: set[int] | None = None

    @property
    def gone(self) -> set[int]:
        if self._gone is None:
            self._gone = departed(self.conn, self.today)
        return self._gone

    def holder(self, role: str) -> Holder | None:
        if role not in self._held:
            self._held[role] = role_holder(self.conn, role, self.today)
        return self._held[role]

    def fallback(self, rule: Rule) -> Holder | None:
        """The first of the rule's fallback owners (`role:X`) held today, or None."""
        for spec in rule.fallback:
            if spec.startswith("role:") and (held := self.holder(spec.removeprefix("role:"))):
                return held
        return None

    def owner(self, rule: Rule, holder: Holder | None = None) -> tuple[Holder | None, str]:
        """Who owns one of the rule's items today, and what the item's `why` adds when it fell to someone.

        `holder`: who the rule's owner means for this item (the employee's manager, the appeal's receiver, the
        department's head…), or None when nobody is on file; a `role:X` owner is looked up here. Someone who
        has left owns nothing: the item falls to the first of the rule's fallback owners held today."""
        if rule.owner.startswith("role:"):
            holder = self.holder(rule.owner.removeprefix("role:"))
        elif holder is not None and holder[0] in self.gone:
            holder = None
        if holder is not None:
            return holder, ""
        fell = self.fallback(rule)
        if fell is None:
            return None, ""
        words = OWNER_WORDS.get(rule.owner) or rule.owner.removeprefix("role:")
        return fell, FALLS_TO.format(owner=words, name=fell[1])


def mine(owner_id: int | None, owner: Holder | None) -> bool:
    """The item owned by `owner` is in the list of `owner_id` (None: everyone's list)."""
    return owner_id is None or (owner is not None and owner[0] == owner_id)
