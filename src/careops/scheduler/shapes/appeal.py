"""Shapes `appeal-decision` and `appeal-notify` (E2.6.5), the deadline chain of an appeal's round: the receiver
decides within the decision rule's `due_in` of the round's start, then notifies the appellant, the appellant's
general manager and HR within the notify rule's `due_in` of the decision. The appellant's name shows only to
those the appeal involves and HR."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, literal, or_, select

from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.deadlines import offset
from careops.scheduler.items import DueItem
from careops.scheduler.people import (
    CONFIDENTIAL,
    RECIPIENTS,
    decisions_now,
    may_see,
    notified_now,
    staff_item,
    within_words,
)
from careops.scheduler.shapes import Context
from careops.scheduler.tables import appeal, staff

# What this module says to people (one place, ready for translation).
TITLE_DECISION = _("decide appeal #{id} (round {round})")
WHY_DECISION = _(
    "appeal #{id} from {name}, round {round} received {at:%Y-%m-%d}: investigate and decide within {within}"
)
TITLE_NOTIFY = _("notify the decision on appeal #{id}")
TITLE_NOTIFY_ROUND = _("notify round {round}'s decision on appeal #{id}")
WHY_NOTIFY = _(
    "decided on {at:%Y-%m-%d}: notify in writing or by e-mail within {within}; still to notify: {left}"
)


def decision_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    rows = _rounds(ctx, decided=False)
    return _mine(ctx, [_item(ctx, rule, row, None) for rule in rules for row in rows])


def notify_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    """Each decided round with someone still to notify: the current round's, and an escalated round's whose
    general manager or HR was never told (escalation needs only the appellant told)."""
    appeals = {row.id: row for row in _rounds(ctx, decided=None)}
    decided = ctx.conn.execute(decisions_now(ctx.clock)).all()
    if not decided:
        return []
    notified: dict[tuple[int, int], set[str]] = defaultdict(set)
    for appeal_id, round_, who in ctx.conn.execute(notified_now(ctx.clock)):
        notified[(appeal_id, round_)].add(who)
    names = dict(
        ctx.conn.execute(
            select(staff.c.id, staff.c.name).where(staff.c.id.in_({d.receiver_id for d in decided}))
        ).all()
    )
    found = []
    for d in decided:
        row, told = appeals.get(d.appeal_id), notified[(d.appeal_id, d.round)]
        if row is None or set(RECIPIENTS) <= told:
            continue
        this = Decided(d.round, d.decided_at, (d.receiver_id, names[d.receiver_id]), told)
        found += [_item(ctx, rule, row, this) for rule in rules]
    return _mine(ctx, found)


@dataclass(frozen=True)
class Decided:
    """One round's decision: its round, when, who decided it (the round's receiver), who has been told."""

    round: int
    at: datetime
    receiver: tuple[int, str]
    told: set[str]


def _mine(ctx: Context, found: list[DueItem]) -> list[DueItem]:
    return [i for i in found if ctx.scope.owner_id is None or i.owner_id == ctx.scope.owner_id]


def _rounds(ctx: Context, *, decided: bool | None) -> list[Row[Any]]:
    """The live appeals (None), those whose current round is decided (True) or not yet (False)."""
    clock = ctx.clock
    receiver = staff.alias("receiver")
    appellant = staff.alias("appellant")
    decided_now = appeal.c.decided_at.is_not(None) & (appeal.c.decided_at <= clock.now_utc)
    rows = ctx.conn.execute(
        select(
            appeal.c.id,
            appeal.c.round,
            appeal.c.round_at,
            appeal.c.decided_at,
            appellant.c.id.label("appellant_id"),
            appellant.c.name,
            receiver.c.id.label("receiver_id"),
            receiver.c.name.label("receiver_name"),
            may_see(ctx.conn, ctx.scope.viewer_id, ctx.scope.viewer_role).label("visible"),
        )
        .select_from(
            appeal.join(appellant, appellant.c.id == appeal.c.staff_id).join(
                receiver, receiver.c.id == appeal.c.receiver_id
            )
        )
        .where(
            appeal.c.voided_at.is_(None),
            appeal.c.created_at <= clock.now_utc,
            or_(appeal.c.closed_at.is_(None), appeal.c.closed_at > clock.now_utc),
            literal(True) if decided is None else decided_now if decided else ~decided_now,
        )
    ).all()
    return list(rows)


def _item(ctx: Context, rule: Rule, row: Row[Any], decided: Decided | None) -> DueItem:
    clock = ctx.clock
    assert rule.due_in is not None  # both shapes need it
    name = row.name if row.visible else CONFIDENTIAL
    within = within_words(rule.due_in)
    receiver = (row.receiver_id, row.receiver_name)
    if decided is None:
        due = offset(rule.due_in, clock.local(row.round_at), ctx.calendar)
        title = TITLE_DECISION.format(id=row.id, round=row.round)
        why = WHY_DECISION.format(
            id=row.id, name=name, round=row.round, at=clock.local(row.round_at), within=within
        )
    else:
        due = offset(rule.due_in, clock.local(decided.at), ctx.calendar)
        left = [r for r in RECIPIENTS if r not in decided.told]
        earlier = decided.round < row.round
        title = (TITLE_NOTIFY_ROUND if earlier else TITLE_NOTIFY).format(
            id=row.id, round=decided.round
        )
        why = WHY_NOTIFY.format(at=clock.local(decided.at), within=within, left=", ".join(left))
        receiver = decided.receiver
    day = due.date() if isinstance(due, datetime) else due
    owner, fell = ctx.roles.owner(rule, receiver)
    return staff_item(
        rule,
        kind="appeal",
        title=title,
        subject_id=row.appellant_id if row.visible else None,
        subject_name=name,
        owner=owner,
        due=day,
        status="overdue" if day < clock.today else "due",
        ref=row.id,
        why=why + fell,
    )
