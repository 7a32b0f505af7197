"""Events and the follow-ups they trigger (P4, P5.4), rainy days, community activities.

An event is a recorded fact; each follow-up rule listening to it (`on` in the policy)
writes one obligation with its owner, channels, deadline and clause. A joint
follow-up (P5.3, P5.4, P4.11) also lists the roles that must all be present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, DateTime, cast, func, insert, literal, null, select, update
from sqlmodel import Session

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.errors import Ambiguous, Conflict, InvalidInput, NotFound
from careops.i18n import _
from careops.models import Obligation, Party
from careops.policy.loader import load_policy, title_in_force
from careops.policy.models import Policy, Rule
from careops.scheduler.deadlines import after_rain, deadline
from careops.scheduler.items import ENDED, LAPSED, MISSED, lapses
from careops.scheduler.obligations import first_rain
from careops.scheduler.owners import left_before, role_holder
from careops.scheduler.tables import event, need, obligation, party, rain_day, staff, zone
from careops.services.audit import note
from careops.services.refs import MAX_ID, Record, resolve_party, resolve_staff, staff_name

# Triggers written by careops itself, not by `careops event`.
INTERNAL = {
    "activity",
    "complaint-resolved",
    "major-complaint-resolved",
    "feedback-resolved",
    "survey",
}
MOVE_IN = "move-in"

# What this module says to people (one place, ready for translation).
UNKNOWN_EVENT = _("{kind!r} is not an event careops knows. Known: {known}.")
HOUSEHOLD_EVENT = _(
    "{kind} is a household event and {name} is a staff member; an employee's events are {kinds}."
)
FOR_STAFF = _("; for an employee: {kinds}")
NOT_A_HOUSEHOLD = _("{name} is a contact, not a household: events are recorded for households.")
FUTURE_EVENT = _(
    "{at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); record the event once it has happened."
)
ALREADY_OCCUPIED = _(
    "{name} ({unit}) is already occupied (moved in {since}). A new owner? Change the record with "
    "`careops resident edit {unit} …`."
)
NO_OWNER = _("nobody owns {title} (#{id}): {why}")
FALLS_TO = _("{title} (#{id}) falls to {name} ({role}): {why}")
NO_ZONE_BUTLER = _(
    "zone {zone} has no butler; give it one with `careops zone edit {zone} --butler STAFF`."
)
NO_HEALTH_BUTLER = _(
    "no health butler for zone {zone}: set one with `careops zone edit {zone} --health-butler STAFF` "
    "or add a staff member with role health-butler."
)
NO_ROLE = _("nobody has role {role}; add one with `careops staff add NAME --role {role}`.")
NO_DEPT_HEAD = _(
    "no dept-head recorded for {dept}; add one with `careops staff add NAME --role dept-head --dept {dept}`."
)
PAST_ACTIVITY = _(
    "the activity on {day} is not after today ({today}): invitations go out before it."
)
NO_FOLLOWUP = _("there is no follow-up #{id}. See `careops followup list --open`.")
NOT_OPEN = _("follow-up #{id} is {state} already{detail}.")
DONE_DETAIL = _(" ({at:%Y-%m-%d %H:%M})")
CANCELLED_DETAIL = _(" ({reason})")
NEED_REASON = _("say why with --reason: a cancelled follow-up is kept with its reason.")
NEED_NOTE = _("say what was done with --note.")
NEED_ACTIVITY_NAME = _('give the activity a name, e.g. "Mid-Autumn lantern evening".')
NOT_THIS_PARTY = _("follow-up #{id} is for {other}, not for {this}.")
NO_OPEN_PURPOSE = _(
    "{who} has no open follow-up for {purpose!r}. See `careops followup list --ref {ref}`."
)
IS_TASK = _(
    "follow-up #{id} is a task, not a visit: close it with `careops followup done {id} --note TEXT`."
)
STAYS_OPEN_OUTCOME = _("follow-up #{id} stays open: the visit did not reach anyone ({outcome}).")
STAYS_OPEN_CHANNEL = _(
    "follow-up #{id} stays open: it needs a {channels} visit, this was {channel}."
)
STAYS_OPEN_MISSING = _(
    "follow-up #{id} stays open: {clause} needs a joint visit; missing {missing}."
)
STAYS_OPEN_EARLY = _(
    "follow-up #{id} stays open: this contact ({at:%Y-%m-%d %H:%M}) is before {clause} opened "
    "({opened:%Y-%m-%d %H:%M})."
)
STAYS_OPEN_NO_RAIN = _(
    "follow-up #{id} stays open: {clause} waits for the first rainy day after {day:%Y-%m-%d}, and none "
    "is recorded up to {at:%Y-%m-%d} (`careops rain`)."
)
STAYS_LAPSED = _(
    "follow-up #{id} has lapsed: {clause} is a may, and its time ({due}) had passed by this contact."
)
STAYS_MISSED = _(
    "follow-up #{id} was missed: {clause} could be done until {end:%Y-%m-%d %H:%M}, before this contact."
)
STAYS_OPEN_ROLE = _(
    "follow-up #{id} stays open: {clause} is made by the {roles}; this was {people}."
)
PERSON_ROLE = _("{name} ({role})")
MISSING_ROLE = _("{role} ({name})")
MISSING_ROLE_NOBODY = _("{role}")
VISIT_NEEDED = _(
    "follow-up #{id} ({title}) is done by a visit: `careops log-visit REF --by STAFF --channel {channel} "
    "--for {id}`."
)
FUTURE_RAIN = _("{day} is after today ({today}); record rain on the day it falls.")
AUDIT_EVENT = _("{kind} at {at:%Y-%m-%d %H:%M}; follow-ups {ids}")
AUDIT_MOVE_IN = _("moved in {day}: status occupied")
AUDIT_ACTIVITY = _("activity {name!r} on {day}: {count} invitations")
AUDIT_RAIN = _("rain on {day}")
AUDIT_CANCEL = _("follow-up #{id} ({rule}) cancelled")
AUDIT_DONE = _("follow-up #{id} ({rule}) done: {note}")
NONE = _("-")


@dataclass
class Written:
    """One follow-up as written: the obligation, its owner's name, and the roles it needs."""

    obligation: Obligation
    owner: str | None
    needs: list[tuple[str, str | None]] = field(default_factory=list)  # (role, holder's name)


@dataclass
class EventResult:
    event: Record  # the event row
    party: Record
    followups: list[Written] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def event_kinds(policy: Policy) -> list[str]:
    kinds = {k for r in policy.followup_rules() for k in r.on} - INTERNAL
    return sorted(kinds | {MOVE_IN})


def record_event(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    ref: str,
    kind: str,
    at: datetime | None = None,
    note_text: str | None = None,
) -> EventResult:
    """`at` is naive local time (default now). A move-in also makes the household occupied from that day."""
    kind = kind.strip().lower()
    if kind not in event_kinds(policy):
        staff_kinds = policy.staff_events()
        raise InvalidInput(
            UNKNOWN_EVENT.format(
                kind=kind,
                known=", ".join(event_kinds(policy))
                + (FOR_STAFF.format(kinds=", ".join(staff_kinds)) if staff_kinds else ""),
            )
        )
    conn = session.connection()
    try:
        who = resolve_party(conn, ref)
    except NotFound:
        _staff_instead(conn, ref, kind, policy.staff_events())
        raise
    if who.kind != "household":
        raise InvalidInput(NOT_A_HOUSEHOLD.format(name=who.name))
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE_EVENT.format(at=at, now=clock.now))
    if kind == MOVE_IN:
        _move_in(session, clock, who.id, clock.local_date(at_utc))
    record = insert_event(
        conn,
        party_id=who.id,
        kind=kind,
        at=at_utc,
        note=(note_text or "").strip() or None,
        created_at=clock.now_utc,
    )
    result = EventResult(record, who)
    for rule in policy.followup_rules(kind):
        result.followups.append(
            write_followup(
                session,
                clock,
                rule,
                party_row=who,
                at=clock.local(at_utc),
                event_id=record.id,
                warnings=result.warnings,
            )
        )
    note(
        session,
        clock,
        action="log",
        kind="event",
        record_id=record.id,
        party_id=who.id,
        detail=AUDIT_EVENT.format(
            kind=kind,
            at=clock.local(at_utc),
            ids=", ".join(f"#{w.obligation.id}" for w in result.followups) or NONE,
        ),
    )
    return result


def _staff_instead(conn: Connection, ref: str, kind: str, staff_kinds: list[str]) -> None:
    """REF names a staff member, not a household: say which events are theirs."""
    try:
        person = resolve_staff(conn, ref)
    except (NotFound, Ambiguous):
        return
    raise InvalidInput(
        HOUSEHOLD_EVENT.format(kind=kind, name=person.name, kinds=", ".join(staff_kinds))
    )


def insert_event(conn: Connection, **values: object) -> Record:
    """The new event row (id, kind, at, on_day, name, …)."""
    return conn.execute(insert(event).values(**values).returning(*event.c)).one()


def _move_in(session: Session, clock: Clock, party_id: int, day: date) -> None:
    record = session.get(
        Party, party_id, with_for_update=True
    )  # two clerks at once: the second one is refused
    assert record is not None  # the household was resolved a moment ago
    if record.status == "occupied":
        raise Conflict(
            ALREADY_OCCUPIED.format(
                name=record.name, unit=record.unit, since=record.moved_in or record.status_since
            )
        )
    record.status, record.moved_in, record.status_since = "occupied", day, day
    session.flush()
    note(
        session,
        clock,
        action="edit",
        kind="household",
        record_id=record.id,
        party_id=record.id,
        detail=AUDIT_MOVE_IN.format(day=day),
    )


def write_followup(
    session: Session,
    clock: Clock,
    rule: Rule,
    *,
    party_row: Record | None,
    at: datetime,
    event_id: int | None = None,
    complaint_id: int | None = None,
    handler_id: int | None = None,
    dept: str | None = None,
    warnings: list[str],
) -> Written:
    """One obligation for `rule`, triggered at local `at`, for the household `party_row` (or a caller: None)."""
    conn = session.connection()
    due = deadline(rule, at, WorkCalendar())
    zone_row = _zone_of(conn, party_row)
    owner_id, why = _owner(conn, rule.owner, zone_row, handler_id, clock.today)
    fell_to = ""
    if owner_id is None:
        owner_id, fell_to = _fallen(conn, rule, zone_row, clock.today)
    if isinstance(due.due, datetime):
        due_at, all_day = due.due.astimezone(clock.tz).replace(tzinfo=None), False
        due_at = clock.utc_of_local(due_at)
    elif due.due is not None:
        due_at, all_day = clock.day_start_utc(due.due), True
    else:
        due_at, all_day = None, True
    record = Obligation(
        kind=rule.kind,
        rule=rule.id,
        clause=rule.clause,
        party_id=party_row.id if party_row else None,
        owner_id=owner_id,
        due_at=due_at,
        all_day=all_day,
        opens_at=clock.day_start_utc(due.opens) if due.opens else None,
        opened_at=clock.day_start_utc(due.opens)
        if due.opens
        else clock.utc_of_local(at.replace(tzinfo=None)),
        waiting_for=rule.wait,
        after_day=at.date() if rule.wait else None,
        channels=",".join(c.value for c in rule.channels) if rule.kind == "followup" else None,
        strength=rule.strength,
        title=rule.title,
        event_id=event_id,
        complaint_id=complaint_id,
        created_at=clock.now_utc,
    )
    session.add(record)
    session.flush()
    written = Written(record, staff_name(conn, owner_id))
    if owner_id is None:
        warnings.append(NO_OWNER.format(title=rule.title, id=record.id, why=why))
    elif fell_to:
        warnings.append(
            FALLS_TO.format(
                title=rule.title, id=record.id, why=why, name=written.owner, role=fell_to
            )
        )
    for role in rule.needs:
        holder, holder_why = _holder(conn, role.value, zone_row, dept, clock.today)
        conn.execute(
            insert(need).values(
                obligation_id=record.id,
                role=role.value,
                staff_id=holder,
                dept=dept if role.value == "dept-head" else None,
            )
        )
        written.needs.append((role.value, staff_name(conn, holder)))
        if holder is None:
            warnings.append(
                NO_OWNER.format(title=f"{rule.title} [{role.value}]", id=record.id, why=holder_why)
            )
    return written


def _zone_of(conn: Connection, party_row: Record | None) -> Record | None:
    if party_row is None or party_row.zone_id is None:
        return None
    return conn.execute(
        select(zone.c.id, zone.c.name, zone.c.butler_id, zone.c.health_butler_id).where(
            zone.c.id == party_row.zone_id
        )
    ).first()


def _owner(
    conn: Connection, owner: str, zone_row: Record | None, handler_id: int | None, today: date
) -> tuple[int | None, str]:
    """Who `owner` means today for this zone (never someone who has left), or why nobody."""
    if owner == "zone-butler":
        if zone_row is not None and _active(conn, zone_row.butler_id, today):
            return zone_row.butler_id, ""
        if handler_id is not None:  # a caller who is not a resident: the complaint's handler
            return handler_id, ""
        return None, NO_ZONE_BUTLER.format(zone=zone_row.name if zone_row else "?")
    if owner == "handler":
        return handler_id, ""
    return _holder(conn, owner.removeprefix("role:"), zone_row, None, today)


def _fallen(
    conn: Connection, rule: Rule, zone_row: Record | None, today: date
) -> tuple[int | None, str]:
    """The first of the rule's fallback owners held today, or (None, "")."""
    for spec in rule.fallback:
        found, _why = _owner(conn, spec, zone_row, None, today)
        if found is not None:
            return found, spec.removeprefix("role:")
    return None, ""


def _active(conn: Connection, staff_id: int | None, today: date) -> bool:
    return (
        staff_id is not None
        and not conn.execute(select(left_before(today, literal(staff_id)))).scalar()
    )


def _holder(
    conn: Connection, role: str, zone_row: Record | None, dept: str | None, today: date
) -> tuple[int | None, str]:
    if role == "butler":
        return _owner(conn, "zone-butler", zone_row, None, today)
    if role == "health-butler":
        if zone_row is not None and _active(conn, zone_row.health_butler_id, today):
            return zone_row.health_butler_id, ""
        only = (
            conn.execute(
                select(staff.c.id).where(staff.c.role == role, ~left_before(today)).limit(2)
            )
            .scalars()
            .all()
        )
        return (
            (only[0], "")
            if len(only) == 1
            else (None, NO_HEALTH_BUTLER.format(zone=zone_row.name if zone_row else "?"))
        )
    if role == "dept-head" and dept:
        found = conn.execute(
            select(staff.c.id)
            .where(
                staff.c.role == role,
                func.lower(staff.c.dept) == dept.lower(),
                ~left_before(today),
            )
            .order_by(staff.c.id)
            .limit(1)
        ).scalar()
        return found, "" if found else NO_DEPT_HEAD.format(dept=dept)
    held = role_holder(conn, role, today)
    return (held[0], "") if held else (None, NO_ROLE.format(role=role))


# --- community activities (P4.5) and rain (P4.4) -------------------------------------------


@dataclass
class ActivityResult:
    event: Record  # the activity's event row
    invitations: int
    rule: Rule | None


def add_activity(
    *, session: Session, clock: Clock, policy: Policy, name: str, day: date
) -> ActivityResult:
    """Every occupied household gets a *may* invitation, due by the eve, no longer listed from the day itself."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(NEED_ACTIVITY_NAME)
    if day <= clock.today:
        raise InvalidInput(PAST_ACTIVITY.format(day=day, today=clock.today))
    record = insert_event(
        session.connection(),
        kind="activity",
        at=clock.now_utc,
        on_day=day,
        name=name,
        created_at=clock.now_utc,
    )
    rules = policy.followup_rules("activity")
    count = visit_every_household(
        session, clock, rules, event_id=record.id, day=day, name=name, expires=day
    )
    note(
        session,
        clock,
        action="log",
        kind="activity",
        record_id=record.id,
        detail=AUDIT_ACTIVITY.format(name=name, day=day, count=count),
    )
    return ActivityResult(record, count, rules[0] if rules else None)


def visit_every_household(
    session: Session,
    clock: Clock,
    rules: list[Rule],
    *,
    event_id: int,
    day: date,
    name: str,
    expires: date,
    opens: date | None = None,
) -> int:
    """A follow-up of each rule for every occupied household, owned by its zone's butler: one INSERT … SELECT
    per rule, never a loop per household. Due by `day` (as the rule's due_in says), listed from `opens`, no
    longer listed from `expires`. Returns how many were written."""
    conn = session.connection()
    for rule in rules:
        due = deadline(rule, clock.now, WorkCalendar(), event_day=day)
        assert due.due is not None  # due by a day before or on `day`, never waiting for rain
        columns = [
            "kind",
            "rule",
            "clause",
            "party_id",
            "owner_id",
            "due_at",
            "all_day",
            "opens_at",
            "opened_at",
            "expires_at",
            "channels",
            "strength",
            "title",
            "event_id",
            "state",
            "created_at",
        ]
        opens_at = clock.day_start_utc(opens) if opens is not None and opens > clock.today else None
        # Visits count from the survey's first day (even one already past), or from now (an activity).
        opened_at = clock.day_start_utc(opens) if opens is not None else clock.now_utc
        chosen = (
            select(
                literal(rule.kind),
                literal(rule.id),
                literal(rule.clause),
                party.c.id,
                zone.c.butler_id,
                literal(clock.day_start_utc(max(due.due, clock.today))),
                literal(True),
                cast(null(), DateTime) if opens_at is None else literal(opens_at),
                literal(opened_at),
                literal(clock.day_start_utc(expires)),
                literal(",".join(c.value for c in rule.channels)),
                literal(rule.strength),
                literal(f"{rule.title}: {name}"),
                literal(event_id),
                literal("open"),
                literal(clock.now_utc),
            )
            .select_from(party.join(zone, zone.c.id == party.c.zone_id))
            .where(
                party.c.kind == "household",
                party.c.status == "occupied",
                party.c.voided_at.is_(None),
            )
        )
        conn.execute(insert(obligation).from_select(columns, chosen))
    # Counted, not taken from rowcount: PostgreSQL's driver reports -1 for INSERT … SELECT.
    return conn.execute(
        select(func.count()).select_from(obligation).where(obligation.c.event_id == event_id)
    ).scalar_one()


@dataclass
class RainResult:
    day: date
    new: bool
    waiting: int  # leak-repair follow-ups this rain brings due


def record_rain(*, session: Session, clock: Clock, day: date | None = None) -> RainResult:
    """Idempotent: the same day twice is one rainy day."""
    day = day or clock.today
    if day > clock.today:
        raise InvalidInput(FUTURE_RAIN.format(day=day, today=clock.today))
    conn = session.connection()
    row = conn.execute(
        select(rain_day.c.day, rain_day.c.voided_at).where(rain_day.c.day == day)
    ).first()
    new = row is None or row.voided_at is not None
    if row is None:
        conn.execute(insert(rain_day).values(day=day, created_at=clock.now_utc))
    elif row.voided_at is not None:
        conn.execute(
            update(rain_day)
            .where(rain_day.c.day == day)
            .values(voided_at=None, void_reason=None, created_at=clock.now_utc)
        )
    earlier_rain = (
        select(rain_day.c.day)
        .where(
            rain_day.c.day > obligation.c.after_day,
            rain_day.c.day < day,
            rain_day.c.voided_at.is_(None),
        )
        .exists()
    )
    waiting = conn.execute(
        select(func.count())
        .select_from(obligation)
        .where(
            obligation.c.state == "open",
            obligation.c.waiting_for == "rain",
            obligation.c.after_day < day,
            ~earlier_rain,
        )
    ).scalar_one()
    if new:
        note(session, clock, action="log", kind="rain", detail=AUDIT_RAIN.format(day=day))
    return RainResult(day, new, waiting)


# --- list, show, cancel, done ---------------------------------------------------------------


def get_open(
    conn: Connection, followup_id: int, *, lock: bool = False, clock: Clock | None = None
) -> Record:
    if not 0 < followup_id <= MAX_ID:
        raise NotFound(NO_FOLLOWUP.format(id=followup_id))
    query = select(obligation).where(
        obligation.c.id == followup_id, obligation.c.kind.in_(("followup", "task"))
    )
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(NO_FOLLOWUP.format(id=followup_id))
    if row.state != "open":
        done_at = clock.local(row.done_at) if clock else row.done_at
        detail = (
            DONE_DETAIL.format(at=done_at)
            if row.state == "done" and row.done_at
            else CANCELLED_DETAIL.format(reason=row.note.rstrip(".。"))
            if row.state == "cancelled" and row.note
            else ""
        )
        raise Conflict(NOT_OPEN.format(id=followup_id, state=row.state, detail=detail))
    return row


def cancel_followup(*, session: Session, clock: Clock, followup_id: int, reason: str) -> Record:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(NEED_REASON)
    conn = session.connection()
    row = get_open(conn, followup_id, lock=True, clock=clock)
    conn.execute(
        update(obligation)
        .where(obligation.c.id == row.id, obligation.c.state == "open")
        .values(state="cancelled", note=reason, cancelled_at=clock.now_utc)
    )
    note(
        session,
        clock,
        action="cancel",
        kind="followup",
        record_id=row.id,
        party_id=row.party_id,
        reason=reason,
        detail=AUDIT_CANCEL.format(id=row.id, rule=row.rule),
    )
    return row


def finish_task(*, session: Session, clock: Clock, followup_id: int, note_text: str) -> Record:
    """A task (write the procedure into the manual), or a follow-up with no household to visit, is done by word."""
    note_text = (note_text or "").strip()
    if not note_text:
        raise InvalidInput(NEED_NOTE)
    conn = session.connection()
    row = get_open(conn, followup_id, lock=True, clock=clock)
    if row.kind != "task" and row.party_id is not None:
        channel = (row.channels or "door").split(",")[0]
        raise InvalidInput(
            VISIT_NEEDED.format(id=row.id, title=row.title or row.rule, channel=channel)
        )
    conn.execute(
        update(obligation)
        .where(obligation.c.id == row.id, obligation.c.state == "open")
        .values(state="done", done_at=clock.now_utc, done_note=note_text)
    )
    note(
        session,
        clock,
        action="done",
        kind="followup",
        record_id=row.id,
        party_id=row.party_id,
        detail=AUDIT_DONE.format(id=row.id, rule=row.rule, note=note_text),
    )
    return row


def list_followups(
    *,
    session: Session,
    clock: Clock,
    open_only: bool = False,
    rule: str | None = None,
    staff_ref: str | None = None,
    ref: str | None = None,
    policy: Policy | None = None,
) -> list[dict[str, Any]]:
    conn = session.connection()
    owner = staff.alias("owner")
    conds = [obligation.c.kind.in_(("followup", "task")), obligation.c.created_at <= clock.now_utc]
    if open_only:
        conds.append(obligation.c.state == "open")
    if rule:
        key = rule.strip()
        by_event = [r.id for r in (policy or load_policy()).followup_rules(key.lower())]
        conds.append(
            (obligation.c.rule == key.lower())
            | (func.upper(obligation.c.clause) == key.upper())
            | obligation.c.rule.in_(by_event or [""])
        )
    if staff_ref:
        who = resolve_staff(conn, staff_ref).id
        conds.append(
            (obligation.c.owner_id == who)
            | obligation.c.id.in_(select(need.c.obligation_id).where(need.c.staff_id == who))
        )
    if ref:
        conds.append(obligation.c.party_id == resolve_party(conn, ref).id)
    rows = conn.execute(
        select(
            obligation.c.id,
            obligation.c.clause,
            obligation.c.rule,
            obligation.c.title,
            obligation.c.strength,
            obligation.c.state,
            obligation.c.due_at,
            obligation.c.all_day,
            obligation.c.waiting_for,
            obligation.c.expires_at,
            obligation.c.party_id,
            party.c.name.label("who"),
            party.c.unit,
            owner.c.name.label("owner"),
            obligation.c.done_at,
            obligation.c.note,
            obligation.c.done_note,
            obligation.c.complaint_id,
            first_rain(clock).label("rain"),
        )
        .select_from(
            obligation.outerjoin(party, party.c.id == obligation.c.party_id).outerjoin(
                owner, owner.c.id == obligation.c.owner_id
            )
        )
        .where(*conds)
        .order_by(
            obligation.c.state.desc(),
            obligation.c.due_at.is_(None),
            obligation.c.due_at,
            obligation.c.id,
        )
    )
    rules = {rule.id: rule for rule in (policy or load_policy()).rules}
    listed = [_listed(clock, rules, r) for r in rows]
    if open_only:  # a lapsed `may` or a missed one is still `open` in the table, but it has ended
        listed = [r for r in listed if r["state"] not in ENDED]
    # Open first, soonest due first (a leak repair's day comes from the rain), then the rest by number.
    return sorted(
        listed,
        key=lambda r: (
            r["state"] not in ("open", "waiting"),
            r["due"] is None,
            _day(r["due"]),
            r["id"],
        ),
    )


def _day(value: date | None) -> tuple[date, bool, str]:
    """As in `due`: by day, a timed one (by 20:40) before the day's others."""
    if value is None:
        return (date.max, True, "")
    return (
        (value.date(), False, value.time().isoformat())
        if isinstance(value, datetime)
        else (value, True, "")
    )


def _listed(clock: Clock, rules: dict[str, Rule], r: Record) -> dict[str, Any]:
    due = (
        None
        if r.due_at is None
        else clock.local_date(r.due_at)
        if r.all_day
        else clock.local(r.due_at)
    )
    waiting = r.state == "open" and r.waiting_for == "rain" and r.rain is None
    rule = rules.get(r.rule)
    if r.waiting_for == "rain" and r.rain is not None:
        due = after_rain(rule, r.rain) if rule else r.rain + timedelta(days=1)
    passed = due is not None and (
        due < clock.now if isinstance(due, datetime) else due < clock.today
    )
    lapsed = (
        r.state == "open" and passed and lapses(r.strength or (rule.strength if rule else None))
    )
    # Time-boxed (a survey's door visits end with the survey): open past its end, it was missed.
    missed = (
        r.state == "open"
        and not lapsed
        and r.expires_at is not None
        and r.expires_at <= clock.now_utc
    )
    return {
        "id": r.id,
        "clause": r.clause,
        "rule": r.rule,
        "title": title_in_force(rule, r.rule, r.title),
        "strength": r.strength,
        "state": "waiting" if waiting else LAPSED if lapsed else MISSED if missed else r.state,
        "due": due,
        "party_id": r.party_id,
        "who": r.who,
        "unit": r.unit,
        "owner": r.owner,
        "done_at": clock.local(r.done_at),
        "note": r.done_note or r.note,
    }


def show_followup(
    *, session: Session, clock: Clock, followup_id: int, policy: Policy | None = None
) -> dict[str, Any]:
    conn = session.connection()
    owner = staff.alias("owner")
    if not 0 < followup_id <= MAX_ID:
        raise NotFound(NO_FOLLOWUP.format(id=followup_id))
    row = conn.execute(
        select(
            obligation,
            party.c.name.label("who"),
            party.c.unit,
            owner.c.name.label("owner"),
            first_rain(clock).label("rain"),
            event.c.kind.label("event_kind"),
            event.c.at.label("event_at"),
            event.c.name.label("event_name"),
        )
        .select_from(
            obligation.outerjoin(party, party.c.id == obligation.c.party_id)
            .outerjoin(owner, owner.c.id == obligation.c.owner_id)
            .outerjoin(event, event.c.id == obligation.c.event_id)
        )
        .where(obligation.c.id == followup_id, obligation.c.kind.in_(("followup", "task")))
    ).first()
    if row is None:
        raise NotFound(NO_FOLLOWUP.format(id=followup_id))
    needs = conn.execute(
        select(need.c.role, staff.c.name)
        .select_from(need.outerjoin(staff, staff.c.id == need.c.staff_id))
        .where(need.c.obligation_id == followup_id)
        .order_by(need.c.role)
    ).all()
    shown = _listed(clock, {rule.id: rule for rule in (policy or load_policy()).rules}, row)
    shown.update(
        {
            "kind": row.kind,
            "channels": row.channels,
            "created_at": clock.local(row.created_at),
            "opens": clock.local_date(row.opens_at) if row.opens_at else None,
            "trigger": row.event_kind,
            "trigger_at": clock.local(row.event_at),
            "activity": row.event_name,
            "complaint_id": row.complaint_id,
            "complaint": _number(conn, row.complaint_id),
            "done_visit_id": row.done_visit_id,
            "cancelled_at": clock.local(row.cancelled_at),
            "verdict": row.verdict,
            "needs": [{"role": n.role, "staff": n.name} for n in needs],
        }
    )
    return shown


def _number(conn: Connection, complaint_id: int | None) -> str | None:
    from careops.scheduler.tables import complaint

    if complaint_id is None:
        return None
    return conn.execute(select(complaint.c.number).where(complaint.c.id == complaint_id)).scalar()


def open_for(conn: Connection, party_id: int) -> Sequence[Record]:
    """A household's open follow-ups (for the hint after a visit that named none)."""
    return conn.execute(
        select(obligation.c.id, obligation.c.clause, obligation.c.rule, obligation.c.title)
        .where(
            obligation.c.party_id == party_id,
            obligation.c.state == "open",
            obligation.c.kind == "followup",
        )
        .order_by(obligation.c.id)
    ).all()


# --- settling follow-ups with a visit (log-visit --for / --purpose) ---------------------------


@dataclass
class Settled:
    done: list[Record] = field(default_factory=list)  # the obligations this visit satisfied
    open: list[str] = field(default_factory=list)  # why a named follow-up stays open


def targets(
    conn: Connection,
    who: Record,
    for_ids: Sequence[int],
    purposes: Sequence[str],
    *,
    clock: Clock | None = None,
    policy: Policy | None = None,
) -> list[Record]:
    """The open follow-ups a visit names, checked before anything is written.

    A purpose is a rule id (move-in-3-months), a clause (P4.2) or the event that wrote it (move-in)."""
    found: list[Record] = []
    for followup_id in for_ids:
        row = get_open(conn, followup_id, lock=True, clock=clock)
        if row.kind == "task":
            raise InvalidInput(IS_TASK.format(id=row.id))
        if row.party_id is not None and row.party_id != who.id:
            other = conn.execute(
                select(party.c.name, party.c.unit).where(party.c.id == row.party_id)
            ).first()
            assert other is not None  # the household the follow-up is for
            raise InvalidInput(NOT_THIS_PARTY.format(id=row.id, other=_who(other), this=_who(who)))
        found.append(row)
    for purpose in purposes:
        key = purpose.strip()
        by_event = [r.id for r in (policy.followup_rules(key.lower()) if policy else [])]
        match = conn.execute(
            select(obligation)
            .where(
                obligation.c.party_id == who.id,
                obligation.c.state == "open",
                obligation.c.kind == "followup",
                (obligation.c.rule == key.lower())
                | (func.upper(obligation.c.clause) == key.upper())
                | obligation.c.rule.in_(by_event or [""]),
                obligation.c.id.not_in([r.id for r in found] or [-1]),
            )
            .order_by(obligation.c.created_at, obligation.c.id)
            .limit(1)
            .with_for_update()
        ).first()
        if match is None:
            raise NotFound(
                NO_OPEN_PURPOSE.format(who=_who(who), purpose=purpose, ref=who.unit or f"#{who.id}")
            )
        found.append(match)
    return found


def _who(row: Record) -> str:
    return f"{row.name} ({row.unit})" if row.unit else row.name


def settle(
    conn: Connection,
    rows: Sequence[Record],
    *,
    clock: Clock,
    policy: Policy,
    visit_id: int,
    at: datetime,
    channel: str,
    outcome: str,
    participants: Sequence[int],
) -> Settled:
    """Mark done each named follow-up this visit satisfies; say why any other stays open.

    A visit settles a follow-up only when it reached someone, by one of the follow-up's channels, at
    or after the follow-up opened (its trigger, or its window's start; a leak repair's, the first
    rainy day after it), made by someone the rule allows (`settled_by`) and, for a joint visit, with
    every role it needs. Anything else is recorded as the visit it is and says why it did not count."""
    result = Settled()
    if not rows:
        return result
    people = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role, staff.c.dept).where(
            staff.c.id.in_(participants)
        )
    ).all()
    rules = {r.id: r for r in policy.rules}
    for row in rows:
        why = _not_settled(conn, clock, rules.get(row.rule), row, at, channel, outcome, people)
        if why:
            result.open.append(why)
            continue
        conn.execute(
            update(obligation)
            .where(obligation.c.id == row.id, obligation.c.state == "open")
            .values(state="done", done_visit_id=visit_id, done_at=at)
        )
        result.done.append(row)
    return result


def _not_settled(
    conn: Connection,
    clock: Clock,
    rule: Rule | None,
    row: Record,
    at: datetime,
    channel: str,
    outcome: str,
    people: Sequence[Record],
) -> str | None:
    """Why this visit does not settle the follow-up `row` (None: it does)."""
    if outcome != "reached":
        return STAYS_OPEN_OUTCOME.format(id=row.id, outcome=outcome)
    channels = (row.channels or "").split(",") if row.channels else []
    if channels and channel not in channels:
        return STAYS_OPEN_CHANNEL.format(id=row.id, channels=" or ".join(channels), channel=channel)
    if row.waiting_for == "rain":
        rain = conn.execute(
            select(func.min(rain_day.c.day)).where(
                rain_day.c.day > row.after_day,
                rain_day.c.day <= clock.local_date(at),
                rain_day.c.voided_at.is_(None),
            )
        ).scalar()
        if rain is None:
            return STAYS_OPEN_NO_RAIN.format(
                id=row.id, clause=row.clause, day=row.after_day, at=clock.local(at)
            )
    if lapses(row.strength) and row.due_at is not None:
        # A `may` lapses once its time has passed: by the end of its day, or at its hour.
        if row.all_day:
            passed, due = clock.local_date(at) > clock.local_date(row.due_at), None
        else:
            passed, due = at > row.due_at, clock.local(row.due_at)
        if passed:
            return STAYS_LAPSED.format(
                id=row.id, clause=row.clause, due=due or clock.local_date(row.due_at)
            )
    if row.expires_at is not None and at >= row.expires_at:
        return STAYS_MISSED.format(id=row.id, clause=row.clause, end=clock.local(row.expires_at))
    if row.opened_at is not None and at < row.opened_at:
        return STAYS_OPEN_EARLY.format(
            id=row.id, clause=row.clause, at=clock.local(at), opened=clock.local(row.opened_at)
        )
    if rule is not None and not any(rule.settles(p.role) for p in people):
        return STAYS_OPEN_ROLE.format(
            id=row.id,
            clause=row.clause,
            roles=" or ".join(r.value for r in rule.settled_by),
            people=", ".join(PERSON_ROLE.format(name=p.name, role=p.role) for p in people),
        )
    missing = _missing(conn, row.id, people)
    if missing:
        return STAYS_OPEN_MISSING.format(id=row.id, clause=row.clause, missing=", ".join(missing))
    return None


def _missing(conn: Connection, obligation_id: int, people: Sequence[Record]) -> list[str]:
    """The needed roles no participant fills: the named holder, or anyone with the role (and the department)."""
    rows = conn.execute(
        select(need.c.role, need.c.staff_id, need.c.dept, staff.c.name)
        .select_from(need.outerjoin(staff, staff.c.id == need.c.staff_id))
        .where(need.c.obligation_id == obligation_id)
        .order_by(need.c.role)
    ).all()
    missing = []
    for n in rows:
        present = any(
            p.id == n.staff_id
            or (p.role == n.role and (n.dept is None or (p.dept or "").lower() == n.dept.lower()))
            for p in people
        )
        if not present:
            missing.append(
                MISSING_ROLE.format(role=n.role, name=n.name)
                if n.name
                else MISSING_ROLE_NOBODY.format(role=n.role)
            )
    return missing
