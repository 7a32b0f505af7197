"""`careops due`: every open item, or today's share of them.

Daily share: per owner and rule, ceil(open ÷ working days left in the period,
today included) of the period's open cadence items, longest-uncontacted first;
plus every overdue item and every timed item due today or earlier. The share is
fixed from what was open when the day began, and each item settled today takes
one off it, so the list shrinks as the butler works through it.

A household in the owner's approved visit plan (P1) is not in the share: it is
listed on its planned day, and as overdue once that day has passed.

An item that ended without being done (a `may` lapsed past its deadline, a time-boxed one missed)
is never in the day's list; `due --all` lists it during the calendar month it ended in.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import Text, _
from careops.policy.models import Policy
from careops.scheduler.cadence import Scope
from careops.scheduler.items import ENDED, DueItem
from careops.scheduler.obligations import obligation_items
from careops.scheduler.owners import Roles
from careops.scheduler.plans import approved_days, mark_planned
from careops.scheduler.shapes import Context, shape_items

# What this module says to people (one place, ready for translation).
PLANNED_LATER = _("{title}, planned for later days")

# A pool of the daily share: (owner, rule, due day); one item of it: (subject, ref).
PoolKey = tuple[int | None, str, date]
PoolMember = tuple[int | str | None, int | str | None]


@dataclass
class DueView:
    items: list[DueItem]
    # What the daily share left out: (rule title) -> count.
    remaining: Counter[Text] = field(default_factory=Counter)


def open_items(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    scope: Scope = Scope(),
    *,
    settled_today: bool = False,
    calendar: WorkCalendar | None = None,
    ended: bool = False,
) -> list[DueItem]:
    """`ended`: also the items that ended (missed, lapsed) this calendar month."""
    roles = Roles(conn, clock.today)  # who holds what today: read once for every rule
    calendar = calendar or WorkCalendar()
    ctx = Context(conn, policy, clock, calendar, scope, roles, settled_today=settled_today)
    items = shape_items(ctx)  # every rule derived from the facts, shape by shape
    # The obligations written when their fact was recorded (followups, triggers), whatever their rule.
    items += obligation_items(
        conn, policy, clock, scope, settled_today=settled_today, ended=ended, roles=roles
    )
    mark_planned(items, approved_days(conn, clock, scope), clock.today)
    month = clock.today.replace(day=1)
    return sorted((i for i in items if _listed(i, ended, month)), key=DueItem.sort_key)


def _listed(item: DueItem, ended: bool, month: date) -> bool:
    """An open item, or (`ended`) one that ended during the calendar month starting on `month`."""
    if item.status not in ENDED:
        return True
    return ended and item.ended_on is not None and item.ended_on >= month


def due_view(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    calendar: WorkCalendar,
    scope: Scope = Scope(),
    show_all: bool = False,
) -> DueView:
    if show_all:
        return DueView(open_items(conn, policy, clock, scope, calendar=calendar, ended=True))
    items = open_items(conn, policy, clock, scope, settled_today=True, calendar=calendar)
    return daily_share(
        [i for i in items if not i.settled], [i for i in items if i.pooled], clock, calendar
    )


def _pool_key(item: DueItem) -> PoolKey:
    return (item.owner_id, item.rule, item.due_day)


def _one(item: DueItem) -> PoolMember:
    """One item of a pool: a household (cadence), or a written follow-up (two invitations to one household are two)."""
    return (item.subject_id, item.ref)


def daily_share(
    items: list[DueItem], morning: list[DueItem], clock: Clock, calendar: WorkCalendar
) -> DueView:
    """`morning`: the pooled items open when the day began (the share is counted from those).

    A pool is one owner's items of one rule with one deadline (a period's end, an activity's eve);
    waiting and upcoming items are only counted in `remaining`."""
    shown: list[DueItem] = []
    pools: dict[PoolKey, list[DueItem]] = defaultdict(list)
    remaining: Counter[Text] = Counter()
    for item in items:
        if item.planned is not None and item.status == "due":
            if item.planned <= clock.today:
                shown.append(item)
            else:
                remaining[PLANNED_LATER.format(title=item.title)] += 1
        elif item.pooled and item.status == "due":
            pools[_pool_key(item)].append(item)
        elif item.status not in ("upcoming", "waiting"):
            shown.append(item)
        else:
            remaining[item.title] += 1
    began: dict[PoolKey, set[PoolMember]] = defaultdict(set)
    for item in morning:
        if item.status == "due" and item.planned is None:
            began[_pool_key(item)].add(_one(item))
    for key, pool in pools.items():
        days_left = max(1, calendar.working_days(clock.today, key[2]))
        now_open = {_one(i) for i in pool}
        done_today = len(began[key] - now_open)
        share = max(0, math.ceil(len(began[key] | now_open) / days_left) - done_today)
        pool.sort(key=DueItem.sort_key)
        shown += pool[:share]
        if len(pool) > share:
            remaining[pool[0].title] += len(pool) - share
    return DueView(sorted(shown, key=DueItem.sort_key), remaining)
