"""`careops due`: every open item, or today's share of them.

Daily share: per owner and rule, ceil(open ÷ working days left in the period,
today included) of the period's open cadence items, longest-uncontacted first;
plus every overdue item and every timed item due today or earlier.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection

from careops.calendar.periods import period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.policy.models import Policy
from careops.scheduler.cadence import Scope, cadence_items
from careops.scheduler.items import DueItem
from careops.scheduler.obligations import obligation_items


@dataclass
class DueView:
    items: list[DueItem]
    # What the daily share left out: (rule title) -> count.
    remaining: Counter = field(default_factory=Counter)


def open_items(conn: Connection, policy: Policy, clock: Clock, scope: Scope = Scope()) -> list[DueItem]:
    items: list[DueItem] = []
    for rule in policy.cadence_rules():
        items += cadence_items(conn, rule, clock, scope)
    items += obligation_items(conn, policy, clock, scope)
    return sorted(items, key=DueItem.sort_key)


def due_view(conn: Connection, policy: Policy, clock: Clock, calendar: WorkCalendar,
             scope: Scope = Scope(), show_all: bool = False) -> DueView:
    items = open_items(conn, policy, clock, scope)
    if show_all:
        return DueView(items)
    return daily_share(items, policy, clock, calendar)


def daily_share(items: list[DueItem], policy: Policy, clock: Clock, calendar: WorkCalendar) -> DueView:
    shown: list[DueItem] = []
    pools: dict[tuple, list[DueItem]] = defaultdict(list)
    remaining: Counter = Counter()
    for item in items:
        if item.kind == "cadence" and item.status == "due":
            pools[(item.owner_id, item.rule)].append(item)
        elif item.status != "upcoming":
            shown.append(item)
        else:
            remaining[item.title] += 1
    periods = {r.id: r.period for r in policy.cadence_rules()}
    for (_owner, rule_id), pool in pools.items():
        period = period_of(periods[rule_id], clock.today)
        days_left = max(1, calendar.working_days(clock.today, period.end))
        share = math.ceil(len(pool) / days_left)
        pool.sort(key=DueItem.sort_key)
        shown += pool[:share]
        if len(pool) > share:
            remaining[pool[0].title] += len(pool) - share
    return DueView(sorted(shown, key=DueItem.sort_key), remaining)
