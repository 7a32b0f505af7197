"""The monthly report's follow-up and register sections (P3–P5, H3.1), and the trend chart's monthly figures.

Every figure is one SQL aggregate over `obligation`, `complaint` and `complaint_step` for the calendar
month (`month.start_utc <= at < month.end_utc`), bounded by the clock like the scheduler (a fact
recorded after now does not exist yet). "Open" and "overdue" are as of the month's end, or as of now
for the current month.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import Connection, and_, case, func, literal_column, or_, select

from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, parse_offset
from careops.report.model import HOURS, PCT, TEXT, Column, Section, pct
from careops.report.window import (
    Month,
    ReportScope,
    as_of,
    count_if,
    local_day,
    median_by,
    seconds_between,
    utc_offset,
)
from careops.scheduler.items import MAY
from careops.scheduler.tables import complaint, complaint_step, event, obligation, party, rain_day

# What this module says to people (one place, ready for translation).
WRITTEN_SHAPES = (
    "followup",
    "trigger",
)  # the rules whose obligations are written when their fact is recorded
FOLLOWUPS_TITLE = _("Follow-ups per clause")
FOLLOWUPS_NOTE = _(
    "Done on time: by the deadline (by the end of its day for a callback or a day's deadline; the day after "
    "the first rain for a leak repair). Cancelled follow-ups never count as done."
)
REGISTER_TITLE = _("The register")
REGISTER_NOTE = _(
    "Answered within 24/48 h: of the matters received this month that need an answer (not praise, not "
    "an anonymous slip), from registration or the last reopening. Void entries never count."
)
REGISTER_BY_TITLE = _("Received by channel, kind and severity")
REGISTER_BY_CLAUSE = _("H3.1")
L_CLAUSE = _("Clause")
L_CREATED = _("Created")
L_DONE_ON_TIME = _("Done on time")
L_DONE_LATE = _("Done late")
L_OPEN_OVERDUE = _("Open, overdue")
L_CANCELLED = _("Cancelled")
L_ENDED = _("Missed or lapsed")
L_MEDIAN_DONE = _("Median hours to done")
L_RECEIVED = _("Received")
L_WITHIN_24 = _("Answered within 24 h")
L_WITHIN_48 = _("Answered within 48 h")
L_MEDIAN_ANSWER = _("Median hours to answer")
L_RESOLVED = _("Resolved")
L_REVISITS = _("Revisits done")
L_SATISFIED = _("Satisfied at the revisit")
L_REOPENED = _("Reopened")
L_ESCALATED = _("Escalated")
L_ARCHIVED = _("Archived")
L_BY = _("By")
L_VALUE = _("Value")
BY_WORDS = ("channel", "kind", "severity")

HOUR = 3600.0
DAY = 86400


def hours(seconds_or_hours) -> float | None:
    return None if seconds_or_hours is None else round(float(seconds_or_hours), 1)


def within(col, month: Month, clock: Clock):
    return and_(col >= month.start_utc, col < month.end_utc, col <= clock.now_utc)


# Follow-ups (P3 callbacks, P4, P5) ----------------------------------------------------------------------


def _rain_rules(policy: Policy) -> dict[str, int]:
    """Rules that wait for rain: days from the first rainy day to the deadline."""
    return {
        r.id: parse_offset(r.due_in or "1d")[0]
        for r in policy.rules
        if getattr(r, "wait", None) == "rain"
    }


def _first_rain(clock: Clock):
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


def _lapses(policy: Policy):
    """The row is a `may` (its own strength, else its rule's, as in `due`)."""
    o = obligation.c
    mays = [r.id for r in policy.rules if r.strength == MAY]
    # Never NULL (NOT NULL would drop a row from the count): both arms test the NULL first.
    return or_(
        and_(o.strength.is_not(None), o.strength == MAY),
        and_(o.strength.is_(None), o.rule.in_(mays or [""])),
    )


def _followup_figures(policy: Policy, clock: Clock, month: Month):
    """(created, done, done on time, open and overdue, cancelled, ended) as conditions on an
    `obligation` row. Ended: missed (time-boxed, its end passed in the month) or lapsed (a `may` whose
    deadline passed in the month), not done by the month's end."""
    o = obligation.c
    offset = utc_offset(clock, month)
    end = as_of(clock, month)
    end_day = clock.local_date(end)
    rain = _first_rain(clock)
    waits = _rain_rules(policy)
    # Done by the end of the day N days after the rain: the done day, N days earlier, is on or before the rain.
    shift = (
        case(
            {rule: offset - n * DAY for rule, n in waits.items()}, value=o.rule, else_=offset - DAY
        )
        if waits
        else offset - DAY
    )
    last_rain = (
        case(
            {rule: end_day - timedelta(days=n) for rule, n in waits.items()},
            value=o.rule,
            else_=end_day - timedelta(days=1),
        )
        if waits
        else end_day - timedelta(days=1)
    )
    by_day = and_(o.waiting_for.is_(None), or_(o.kind == "callback", o.all_day.is_(True)))
    by_time = and_(o.waiting_for.is_(None), o.kind != "callback", o.all_day.is_(False))
    on_time = or_(
        and_(o.waiting_for == "rain", or_(rain.is_(None), local_day(o.done_at, shift) <= rain)),
        and_(by_day, local_day(o.done_at, offset) <= local_day(o.due_at, offset)),
        and_(by_time, o.done_at <= o.due_at),
    )
    overdue = and_(
        or_(
            and_(o.waiting_for == "rain", rain.is_not(None), rain < last_rain),
            and_(by_day, local_day(o.due_at, offset) < end_day),
            and_(by_time, o.due_at < end),
        ),
        ~_lapses(policy),  # a `may` past its deadline has lapsed: never overdue
    )
    still_open = and_(
        o.created_at < end,
        or_(
            o.state == "open",
            and_(o.state == "done", o.done_at >= end),
            and_(o.state == "cancelled", o.cancelled_at >= end),
        ),
        or_(o.expires_at.is_(None), o.expires_at > end),
    )
    created = within(o.created_at, month, clock)
    done = and_(o.state == "done", within(o.done_at, month, clock))
    cancelled = and_(o.state == "cancelled", within(o.cancelled_at, month, clock))
    not_done = and_(
        o.created_at < end,
        or_(
            o.state == "open",
            and_(o.state == "done", o.done_at >= end),
            and_(o.state == "cancelled", o.cancelled_at >= end),
        ),
    )
    missed = and_(o.expires_at.is_not(None), within(o.expires_at, month, clock), ~_lapses(policy))
    day_before = month.first - timedelta(days=1)
    lapsed = and_(
        _lapses(policy),
        or_(
            and_(
                by_day,
                local_day(o.due_at, offset) >= day_before,
                local_day(o.due_at, offset) < end_day,
            ),
            and_(by_time, within(o.due_at, month, clock)),
        ),
    )
    ended = and_(not_done, or_(missed, lapsed))
    return created, done, and_(done, on_time), and_(still_open, overdue), cancelled, ended


def _followup_source(scope: ReportScope, *conds):
    """Obligations with their household, event and register entry; a void source never counts (a recording mistake)."""
    o = obligation.c
    where = [
        event.c.voided_at.is_(None),
        complaint.c.voided_at.is_(None),
        party.c.voided_at.is_(None),
        o.kind.in_(("followup", "callback", "task")),
        *conds,
    ]
    if scope.zone_id is not None:
        where.append(party.c.zone_id == scope.zone_id)
    if scope.staff_id is not None:
        where.append(o.owner_id == scope.staff_id)
    source = (
        obligation.outerjoin(party, party.c.id == o.party_id)
        .outerjoin(event, event.c.id == o.event_id)
        .outerjoin(complaint, complaint.c.id == o.complaint_id)
    )
    return source, where


def _clause_order(clause: str) -> tuple:
    """P3 < P4.2 < P4.10: numbers compare as numbers."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", clause)
    )


def followup_sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    created, done, on_time, overdue, cancelled, ended = _followup_figures(policy, clock, month)
    source, where = _followup_source(scope)
    rows = conn.execute(
        select(
            obligation.c.clause,
            count_if(created).label("created"),
            count_if(on_time).label("done_on_time"),
            (count_if(done) - count_if(on_time)).label("done_late"),
            count_if(cancelled).label("cancelled"),
            count_if(ended).label("ended"),
            count_if(overdue).label("open_overdue"),
        )
        .select_from(source)
        .where(*where, or_(created, done, overdue, cancelled, ended))
        .group_by(obligation.c.clause)
    ).all()
    values_source, values_where = _followup_source(scope, done)
    values = (
        select(
            obligation.c.clause,
            (seconds_between(obligation.c.created_at, obligation.c.done_at) / HOUR).label("hours"),
        )
        .select_from(values_source)
        .where(*values_where)
        .subquery()
    )
    medians = dict(conn.execute(median_by(values, [values.c.clause], values.c.hours)).all())
    columns = [
        Column("clause", L_CLAUSE, TEXT),
        Column("created", L_CREATED),
        Column("done_on_time", L_DONE_ON_TIME),
        Column("done_late", L_DONE_LATE),
        Column("cancelled", L_CANCELLED),
        Column("ended", L_ENDED),
        Column("open_overdue", L_OPEN_OVERDUE),
        Column("median_hours_to_done", L_MEDIAN_DONE, HOURS),
    ]
    found = [
        {
            "clause": r.clause,
            "created": int(r.created),
            "done_on_time": int(r.done_on_time),
            "done_late": int(r.done_late),
            "cancelled": int(r.cancelled),
            "ended": int(r.ended),
            "open_overdue": int(r.open_overdue),
            "median_hours_to_done": hours(medians.get(r.clause)),
        }
        for r in rows
    ]
    found.sort(key=lambda row: _clause_order(row["clause"]))
    clauses = ", ".join(
        dict.fromkeys(
            sorted(r.clause.split(".")[0] for r in policy.rules if r.shape in WRITTEN_SHAPES)
        )
    )
    return [Section("followups", FOLLOWUPS_TITLE, clauses, columns, found, FOLLOWUPS_NOTE)]


# The register (H3.1, P5.2, P4.8) ------------------------------------------------------------------------


def register_source(scope: ReportScope, *conds):
    """Register entries, not void, with the household they came from (for a zone)."""
    where = [complaint.c.voided_at.is_(None), *conds]
    if scope.zone_id is not None:
        where.append(party.c.zone_id == scope.zone_id)
    if scope.staff_id is not None:
        where.append(complaint.c.handler_id == scope.staff_id)
    return complaint.outerjoin(party, party.c.id == complaint.c.party_id), where


def _received(clock: Clock, month: Month):
    c = complaint.c
    return and_(within(c.received_at, month, clock), c.created_at <= clock.now_utc)


def _needs_answer():
    c = complaint.c
    return and_(c.kind != "praise", or_(c.party_id.is_not(None), c.caller_name.is_not(None)))


def _answer_seconds(clock: Clock):
    """Seconds from the answer clock's start (registration, or the last reopening) to the answer, as of now."""
    c = complaint.c
    return case(
        (
            and_(c.answered_at.is_not(None), c.answered_at <= clock.now_utc),
            seconds_between(c.clock_from, c.answered_at),
        ),
        else_=None,
    )


def register_clauses(policy: Policy) -> str:
    """The clauses the register's figures answer to: its rules' (answers by kind too), then the revisits'."""
    said = [
        clause
        for r in policy.rules
        if r.shape.startswith("register-")
        for clause in (r.clause, *r.clause_by_kind.values())
    ]
    said += [r.clause for r in policy.rules if r.verdict]
    return ", ".join(dict.fromkeys(said))


def register_sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    if not any(r.shape.startswith("register-") for r in policy.rules):
        return []  # the site's regime keeps no register
    c = complaint.c
    received = _received(clock, month)
    to_answer = and_(received, _needs_answer())
    took = _answer_seconds(clock)
    source, where = register_source(scope)
    totals = conn.execute(
        select(
            count_if(received).label("received"),
            count_if(to_answer).label("to_answer"),
            count_if(and_(to_answer, took <= 24 * HOUR)).label("within_24"),
            count_if(and_(to_answer, took <= 48 * HOUR)).label("within_48"),
            count_if(and_(c.archived.is_(True), within(c.closed_at, month, clock))).label(
                "archived"
            ),
        )
        .select_from(source)
        .where(*where)
    ).one()
    values = (
        select(literal_column("'all'").label("everything"), (took / HOUR).label("hours"))
        .select_from(source)
        .where(*where, to_answer, took.is_not(None))
        .subquery()
    )
    median = conn.execute(median_by(values, [values.c.everything], values.c.hours)).first()
    steps = _step_counts(conn, clock, month, scope)
    revisits = _revisits(conn, clock, month, scope)
    row = {
        "received": int(totals.received),
        "answered_within_24h_pct": pct(totals.within_24, totals.to_answer),
        "answered_within_48h_pct": pct(totals.within_48, totals.to_answer),
        "median_hours_to_answer": hours(median.median if median else None),
        "resolved": steps.get("resolve", 0),
        "revisits_done": int(revisits.done),
        "satisfied_pct": pct(revisits.satisfied, revisits.verdicts),
        "reopened": steps.get("reopen", 0),
        "escalated": steps.get("escalate", 0),
        "archived": int(totals.archived),
    }
    columns = [
        Column("received", L_RECEIVED),
        Column("answered_within_24h_pct", L_WITHIN_24, PCT),
        Column("answered_within_48h_pct", L_WITHIN_48, PCT),
        Column("median_hours_to_answer", L_MEDIAN_ANSWER, HOURS),
        Column("resolved", L_RESOLVED),
        Column("revisits_done", L_REVISITS),
        Column("satisfied_pct", L_SATISFIED, PCT),
        Column("reopened", L_REOPENED),
        Column("escalated", L_ESCALATED),
        Column("archived", L_ARCHIVED),
    ]
    return [
        Section(
            "register", REGISTER_TITLE, register_clauses(policy), columns, [row], REGISTER_NOTE
        ),
        _register_by(conn, clock, month, scope),
    ]


def _step_counts(
    conn: Connection, clock: Clock, month: Month, scope: ReportScope
) -> dict[str, int]:
    """Matters resolved, reopened, escalated in the month (from their history: a later reopening does not undo it)."""
    source, where = register_source(
        scope,
        complaint_step.c.action.in_(("resolve", "reopen", "escalate")),
        within(complaint_step.c.at, month, clock),
    )
    source = source.join(complaint_step, complaint_step.c.complaint_id == complaint.c.id)
    return {
        action: int(n)
        for action, n in conn.execute(
            select(
                complaint_step.c.action, func.count(func.distinct(complaint_step.c.complaint_id))
            )
            .select_from(source)
            .where(*where)
            .group_by(complaint_step.c.action)
        )
    }


def _revisits(conn: Connection, clock: Clock, month: Month, scope: ReportScope):
    """P4.8 (and P5.3) revisits done in the month, and the verdicts heard at them."""
    o = obligation.c
    done = and_(o.state == "done", within(o.done_at, month, clock))
    where = [
        complaint.c.voided_at.is_(None),
        o.kind == "followup",
        o.complaint_id.is_not(None),
        complaint.c.kind == "complaint",
        done,
    ]
    if scope.zone_id is not None:
        where.append(party.c.zone_id == scope.zone_id)
    if scope.staff_id is not None:
        where.append(o.owner_id == scope.staff_id)
    return conn.execute(
        select(
            func.count().label("done"),
            count_if(o.verdict == "yes").label("satisfied"),
            count_if(o.verdict.is_not(None)).label("verdicts"),
        )
        .select_from(
            obligation.join(complaint, complaint.c.id == o.complaint_id).outerjoin(
                party, party.c.id == o.party_id
            )
        )
        .where(*where)
    ).one()


def _register_by(conn: Connection, clock: Clock, month: Month, scope: ReportScope) -> Section:
    source, where = register_source(scope, _received(clock, month))
    parts = [
        select(
            literal_column(f"'{word}'").label("by"),
            complaint.c[word].label("value"),
            func.count().label("received"),
        )
        .select_from(source)
        .where(*where)
        .group_by(complaint.c[word])
        for word in BY_WORDS
    ]
    query = parts[0].union_all(*parts[1:]).subquery()
    rows = conn.execute(select(query).order_by(query.c.by, query.c.value)).all()
    order = {word: i for i, word in enumerate(BY_WORDS)}
    found = sorted(
        ({"by": r.by, "value": r.value, "received": int(r.received)} for r in rows),
        key=lambda row: (order[row["by"]], row["value"]),
    )
    columns = [
        Column("by", L_BY, TEXT),
        Column("value", L_VALUE, TEXT),
        Column("received", L_RECEIVED),
    ]
    return Section("register_by", REGISTER_BY_TITLE, REGISTER_BY_CLAUSE, columns, found)


# The html page's trend chart --------------------------------------------------------------------------------


def trend_figures(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> dict:
    """One month's received, answered-on-time and follow-ups-done-on-time figures: two small aggregates."""
    c = complaint.c
    received = _received(clock, month)
    to_answer = and_(received, _needs_answer())
    allowed = case(
        {sev: h * HOUR for sev, h in policy.desk.answer_hours.items()},
        value=c.severity,
        else_=48 * HOUR,
    )
    source, where = register_source(scope)
    reg = conn.execute(
        select(
            count_if(received).label("received"),
            count_if(to_answer).label("to_answer"),
            count_if(and_(to_answer, _answer_seconds(clock) <= allowed)).label("on_time"),
        )
        .select_from(source)
        .where(*where)
    ).one()
    _created, done, on_time, *_rest = _followup_figures(policy, clock, month)
    f_source, f_where = _followup_source(scope, done)
    fol = conn.execute(
        select(func.count().label("done"), count_if(on_time).label("on_time"))
        .select_from(f_source)
        .where(*f_where)
    ).one()
    return {
        "received": int(reg.received),
        "answered_on_time_pct": pct(reg.on_time, reg.to_answer),
        "followups_done_on_time_pct": pct(fol.on_time, fol.done),
    }
