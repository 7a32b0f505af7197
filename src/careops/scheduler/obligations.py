"""Written obligations, as of the clock: callbacks (P3), follow-ups and tasks (P4, P5).

One query for all of them. A follow-up is *due* from when it is written (or from its
`opens_at`) until its deadline and *overdue* after; a callback is *upcoming* before its
day. A leak-repair follow-up *waits* until the first rainy day after the repair and is
then due the day after. A `may` (a wedding offer, an activity's invitation) is never overdue:
past its deadline it has *lapsed*, no longer in the day's list, and only `ended` asks for it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol, cast, overload

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    ScalarSelect,
    and_,
    case,
    func,
    literal,
    null,
    or_,
    select,
)

from careops.clock import Clock
from careops.i18n import _
from careops.policy.loader import title_in_force
from careops.policy.models import Policy, Rule, parse_offset
from careops.scheduler.cadence import Scope
from careops.scheduler.deadlines import after_rain
from careops.scheduler.items import ENDED, MAY, MISSED, DueItem, Together, past_deadline
from careops.scheduler.owners import Roles
from careops.scheduler.tables import (
    complaint,
    event,
    need,
    obligation,
    party,
    rain_day,
    staff,
    visit,
    zone,
)

# What this module says to people (one place, ready for translation).
WHY_AGREED = _("{title} agreed for {due:%Y-%m-%d %H:%M}")
WHY_EVENT = _("{title}: {trigger} on {at:%Y-%m-%d %H:%M}")
WHY_ACTIVITY = _("{title}, before {day:%Y-%m-%d}")
WHY_SURVEY = _("{title}: the survey closes on {day:%Y-%m-%d}")
WHY_COMPLAINT = _("{title}: {number} resolved on {at:%Y-%m-%d}")
WHY_WAITING = _("{title}: waiting for the first rainy day after {day:%Y-%m-%d} (`careops rain`)")
WHY_ASK_RAIN = _(
    "{title}: no rainy day recorded since the repair of {day:%Y-%m-%d} — has it rained? "
    "Record it (`careops rain DATE`), and the follow-up is due the day after"
)
WHY_RAINED = _("{title}: it rained on {rain:%Y-%m-%d} after the repair of {day:%Y-%m-%d}")
WHY_TOGETHER = _(" — together: {people}")
WHY_FALLEN = _(" — falls to {name}: nobody it was written for holds the role today")
PERSON = _("{role} {name}")
NOBODY = _("(nobody)")
ONE_DAY = timedelta(days=1)


def obligation_items(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    scope: Scope,
    *,
    settled_today: bool = False,
    ended: bool = False,
    roles: Roles | None = None,
) -> list[DueItem]:
    """`ended`: also the `may` items that lapsed this month (the caller keeps those it lists)."""
    now = clock.now_utc
    owner = staff.alias("owner")
    last = (
        select(func.max(visit.c.at))
        .where(
            visit.c.party_id == party.c.id,
            visit.c.outcome == "reached",
            visit.c.voided_at.is_(None),
            visit.c.at <= now,
        )
        .scalar_subquery()
    )
    still_open = or_(
        obligation.c.state == "open",
        and_(obligation.c.state == "done", obligation.c.done_at > now),
        and_(obligation.c.state == "cancelled", obligation.c.cancelled_at > now),
    )
    if settled_today:  # the daily share counts from what was open at midnight
        settled = and_(
            obligation.c.state == "done",
            obligation.c.done_at >= clock.day_start_utc(clock.today),
            obligation.c.done_at <= now,
        )
        still_open = or_(still_open, settled)
    else:
        settled = literal(False)
    unexpired = or_(obligation.c.expires_at.is_(None), obligation.c.expires_at > now)
    may = obligation.c.strength == MAY
    # A `may` due before today has lapsed, and one due before last month's last day lapsed before this
    # month: left out here (90,000 past invitations are never read only to be dropped).
    floor = clock.day_start_utc(clock.today.replace(day=1) - ONE_DAY if ended else clock.today)
    month_start = clock.day_start_utc(clock.today.replace(day=1))
    conds = [
        obligation.c.created_at <= now,
        still_open,
        # Ended this month: a `may` past its day (lapsed), a time-boxed one past its end (missed).
        or_(unexpired, may, obligation.c.expires_at >= month_start) if ended else unexpired,
        or_(
            ~may,
            obligation.c.strength.is_(None),
            obligation.c.due_at.is_(None),
            obligation.c.due_at >= floor,
        ),
    ]
    # Owned as of today: the owner it was written for, unless they have left (or there was none);
    # then whoever the rule's owner and fallback mean today (a zone's butler now, a role's holder).
    roles = roles or Roles(conn, clock.today)
    gone = roles.gone
    kept = and_(obligation.c.owner_id.is_not(None), obligation.c.owner_id.not_in(gone))
    stand_in = _stand_in(policy, roles)
    owner_now = case((kept, obligation.c.owner_id), else_=stand_in)
    if scope.owner_id is not None:
        # Owned, fallen to them, or needed on a joint visit: each side served by its own index.
        fallen = (
            select(obligation.c.id)
            .select_from(
                obligation.outerjoin(party, party.c.id == obligation.c.party_id).outerjoin(
                    zone, zone.c.id == party.c.zone_id
                )
            )
            .where(
                or_(obligation.c.owner_id.is_(None), obligation.c.owner_id.in_(gone)),
                stand_in == scope.owner_id,
            )
        )
        owned = select(obligation.c.id).where(
            obligation.c.owner_id == scope.owner_id, literal(scope.owner_id not in gone)
        )
        conds.append(
            obligation.c.id.in_(
                owned.union(
                    fallen, select(need.c.obligation_id).where(need.c.staff_id == scope.owner_id)
                )
            )
        )
    if scope.zone_id is not None:
        conds.append(party.c.zone_id == scope.zone_id)
    if scope.party_id is not None:
        conds.append(party.c.id == scope.party_id)
    query = (
        select(
            obligation.c.id,
            obligation.c.rule,
            obligation.c.clause,
            obligation.c.kind,
            obligation.c.due_at,
            obligation.c.all_day,
            obligation.c.opens_at,
            obligation.c.waiting_for,
            obligation.c.after_day,
            obligation.c.expires_at,
            obligation.c.title,
            obligation.c.strength,
            owner_now.label("owner_id"),
            owner.c.name.label("owner_name"),
            (~kept).label("fallen"),
            party.c.id.label("party_id"),
            party.c.kind.label("party_kind"),
            party.c.name,
            party.c.unit,
            zone.c.name.label("zone"),
            last.label("last"),
            first_rain(clock).label("rain"),
            event.c.kind.label("event_kind"),
            event.c.at.label("event_at"),
            event.c.on_day,
            complaint.c.number,
            complaint.c.resolved_at,
            complaint.c.caller_name,
            complaint.c.caller_phone,
            settled.label("settled"),
        )
        .select_from(
            obligation.outerjoin(party, party.c.id == obligation.c.party_id)
            .outerjoin(zone, zone.c.id == party.c.zone_id)
            .outerjoin(owner, owner.c.id == owner_now)
            .outerjoin(event, event.c.id == obligation.c.event_id)
            .outerjoin(complaint, complaint.c.id == obligation.c.complaint_id)
        )
        .where(*conds)
    )
    rows = conn.execute(query).all()
    together = _together(conn, {r.id for r in rows if r.kind == "followup"}, now)
    rules = {r.id: r for r in policy.rules}
    cached = _Cached(clock)
    return [_item(row, rules.get(row.rule), cached, together.get(row.id, ())) for row in rows]


def _stand_in(policy: Policy, roles: Roles) -> ColumnElement[Any]:
    """Who owns an obligation of each rule today when the owner it was written for cannot: the rule's
    owner as of today, else the first of its fallbacks someone holds (a CASE on the rule: one query)."""
    butler_now = case(
        (
            and_(zone.c.butler_id.is_not(None), zone.c.butler_id.not_in(roles.gone)),
            zone.c.butler_id,
        ),
        else_=null(),
    )

    def means(spec: str) -> ColumnElement[Any] | None:
        if spec == "zone-butler":
            return butler_now
        if spec.startswith("role:") and (held := roles.holder(spec.removeprefix("role:"))):
            return literal(held[0])
        return None  # the caller, a handler, a health butler: only as written

    whens = []
    for rule in policy.rules:
        if rule.shape == "cadence":
            continue
        chain = [m for m in (means(s) for s in (rule.owner, *rule.fallback)) if m is not None]
        if chain:
            whens.append((obligation.c.rule == rule.id, func.coalesce(*chain, null())))
    return case(*whens, else_=null()) if whens else null()


class _Local(Protocol):
    """Clock.local, memoised: lru_cache's type forgets its overloads."""

    @overload
    def __call__(self, utc_naive: datetime, /) -> datetime: ...
    @overload
    def __call__(self, utc_naive: None, /) -> None: ...
    @overload
    def __call__(self, utc_naive: datetime | None, /) -> datetime | None: ...


class _Cached:
    """The clock's conversions and the why lines, memoised: an activity's 90,000 invitations share a handful."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.now, self.today, self.now_utc = clock.now, clock.today, clock.now_utc
        self.local_date = lru_cache(maxsize=4096)(clock.local_date)
        self.local = cast(_Local, lru_cache(maxsize=65536)(clock.local))
        self.why_activity = lru_cache(maxsize=256)(
            lambda title, day: WHY_ACTIVITY.format(title=title, day=day)
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.clock, name)


def first_rain(clock: Clock) -> ScalarSelect[Any]:
    """The first rainy day after a leak repair, as of the clock (a correlated subquery on `obligation`)."""
    return (
        select(func.min(rain_day.c.day))
        .where(
            rain_day.c.day > obligation.c.after_day,
            rain_day.c.day <= clock.today,
            rain_day.c.voided_at.is_(None),
            rain_day.c.created_at <= clock.now_utc,
        )
        .scalar_subquery()
    )


def _together(conn: Connection, ids: set[int], now: datetime) -> dict[int, Together]:
    """The roles a joint follow-up needs, with who holds them: one query for all the items.

    Joint follow-ups are few, so this reads the needs of every follow-up not closed before now
    (never a list of 100,000 ids as parameters) and keeps those of the items listed."""
    found: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    if ids:
        rows = conn.execute(
            select(need.c.obligation_id, need.c.role, staff.c.name)
            .select_from(
                need.join(obligation, obligation.c.id == need.c.obligation_id).outerjoin(
                    staff, staff.c.id == need.c.staff_id
                )
            )
            .where(
                or_(
                    obligation.c.state == "open",
                    obligation.c.done_at > now,
                    obligation.c.cancelled_at > now,
                    obligation.c.done_at >= now - timedelta(days=1),
                )
            )
            .order_by(need.c.obligation_id, need.c.role)
        )
        for row in rows:
            if row.obligation_id in ids:
                found[row.obligation_id].append((row.role, row.name))
    return {k: tuple(v) for k, v in found.items()}


def _item(
    row: Row[*tuple[Any, ...]], rule: Rule | None, clock: _Cached, together: Together
) -> DueItem:
    title = title_in_force(rule, row.rule, row.title)
    strength = row.strength or (rule.strength if rule else "should")
    due, status, why = _when(row, rule, clock, title)
    status = past_deadline(status, strength)
    if status not in ENDED and row.expires_at is not None and row.expires_at <= clock.now_utc:
        status = MISSED  # time-boxed and no longer possible (a survey's door visit after it closed)
    if row.fallen and row.owner_id is not None:
        why += WHY_FALLEN.format(name=row.owner_name)
    if together:
        why += WHY_TOGETHER.format(
            people=", ".join(PERSON.format(role=r, name=n or NOBODY) for r, n in together)
        )
    if row.party_id is None:  # a caller on the register who is not a resident
        subject_type, name = "caller", row.caller_name or ""
    else:
        subject_type, name = row.party_kind, row.name
    return DueItem(
        rule=row.rule,
        clause=row.clause,
        strength=strength,
        kind=row.kind,
        title=title,
        subject_type=subject_type,
        subject_id=row.party_id,
        subject_name=name,
        subject_unit=row.unit,
        owner_id=row.owner_id,
        owner_name=row.owner_name,
        due=due,
        status=status,
        last_contact=clock.local(row.last),
        ref=row.id,
        zone=row.zone,
        settled=bool(row.settled),
        pooled=bool(rule and rule.spread),
        together=together,
        why=why,
    )


def _when(
    row: Row[*tuple[Any, ...]], rule: Rule | None, clock: _Cached, title: str
) -> tuple[date | datetime | None, str, str]:
    """The item's deadline, its status now, and the why line."""
    if row.kind == "callback":
        at = clock.local(row.due_at)
        day = at.date()
        status = "upcoming" if day > clock.today else "due" if day == clock.today else "overdue"
        return at, status, WHY_AGREED.format(title=title, due=at)
    if row.waiting_for == "rain":
        if row.rain is None:
            # A fact the rule needs and nobody recorded: waited long enough, the owner is asked about it.
            if rule and rule.ask_after:
                ask = row.after_day + timedelta(days=parse_offset(rule.ask_after)[0])
                if ask <= clock.today:
                    return ask, "due", WHY_ASK_RAIN.format(title=title, day=row.after_day)
            return None, "waiting", WHY_WAITING.format(title=title, day=row.after_day)
        due_day = after_rain(rule, row.rain) if rule else row.rain + timedelta(days=1)
        status = (
            "upcoming" if due_day > clock.today else "due" if due_day == clock.today else "overdue"
        )
        return due_day, status, WHY_RAINED.format(title=title, rain=row.rain, day=row.after_day)
    opens = row.opens_at is not None and clock.now_utc < row.opens_at
    due: date | datetime
    if row.all_day:
        due = clock.local_date(row.due_at)
        status = "upcoming" if opens else "due" if due >= clock.today else "overdue"
    else:
        due = clock.local(row.due_at)
        status = "upcoming" if opens else "due" if row.due_at >= clock.now_utc else "overdue"
    if row.on_day is not None and row.event_kind == "survey":
        why = WHY_SURVEY.format(title=title, day=row.on_day)
    elif row.on_day is not None:
        why = clock.why_activity(title, row.on_day)
    elif row.number is not None:
        why = WHY_COMPLAINT.format(
            title=title, number=row.number, at=clock.local(row.resolved_at) or clock.now
        )
    elif row.event_kind is not None:
        why = WHY_EVENT.format(title=title, trigger=row.event_kind, at=clock.local(row.event_at))
    else:
        why = title
    return due, status, why
