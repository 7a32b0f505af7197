"""Issue 17: random facts in random order, and after every step the obligation engine keeps its promises.

A Hypothesis state machine drives careops' services on a small property site that also keeps the register
and its staff's employee records: household events, rounds of visits at random times (before the event
too, by the wrong role, a joint visit short of someone, no one reached) naming random follow-ups, busy
calls with callbacks, leaving cases with a last day, hires, zone hand-overs, voids, surveys, activities,
rain, register entries and their steps, cancellations, and a clock that only moves forward. After every
step that changed something:

1. settled right: no obligation is done by a fact before it opened or after now, or by a visit its rule
   does not allow (the role `settled_by` names, every role of a joint visit, its channel, someone reached,
   rain for a leak repair, before a `may` lapsed or a time-boxed one ended);
2. owned: every open must/should item of `due --all` has an owner who has not left, and is in that owner's
   own `due --all --staff` list; a joint item names nobody who has left, and is in each named one's list;
3. nothing vanishes: every obligation row is, as of the clock, in exactly one of done, cancelled, missed,
   lapsed or open, as `followup list` says; an open one is in `due --all` (never a `may` overdue), an
   ended one during the calendar month it ended in, and nothing else is;
4. report = due: when the clock crosses a month's end, the report's follow-up figures per clause for that
   month are those the obligations' states give, and its missed/lapsed and open-overdue counts are what
   `due --all` listed as the month ended (the report shows open ones only as "open, overdue").

Each example starts from the test's database (a copy of the migrated template) inside one transaction,
rolled back when the example ends: the same fresh start on SQLite and PostgreSQL, at no cost per example
(only PostgreSQL's id sequences run on, and nothing here depends on an id's value). Each check reads
`due --all` once for everyone and once per owner (30 to 50 ms each): that, not the facts, sets the number
of examples and steps.

The plain tests at the end are the smallest examples of the defects the machine found: two not fixed
yet (marked xfail, strict), one fixed with them (voiding rain).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select
from sqlmodel import Session
from test_rules_owners import leaves
from test_rules_p4 import event_
from test_rules_settle import log

from careops.clock import Clock
from careops.errors import CareopsError
from careops.policy.models import Policy
from careops.report.cases import followup_sections
from careops.report.window import Month, ReportScope
from careops.scheduler import tables as t
from careops.scheduler.cadence import Scope
from careops.scheduler.deadlines import after_rain
from careops.scheduler.due import open_items
from careops.scheduler.items import ENDED, MAY, DueItem
from careops.scheduler.owners import departed
from careops.services import followups, leaving, register, surveys, visits, void, zones
from careops.services.residents import add_resident
from careops.services.staff import add_staff
from careops.vocab import (
    Audience,
    Channel,
    Outcome,
    RegisterChannel,
    RegisterKind,
    Role,
    Severity,
    Status,
    Verdict,
)

from conftest import clock
from fuzzing import fuzz_settings
from scheduling import household, items, two_zone_site

EXAMPLES, STEPS = 8, 12
# No shrinking: a replay of an example takes about a second (every step is checked), the shrinker wants
# hundreds of them, and gave up after five minutes half done. A failure prints the example as found,
# each step with its arguments and draws.
MACHINE = settings(
    fuzz_settings(EXAMPLES),
    stateful_step_count=STEPS,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
)

SET_UP = datetime(2025, 6, 1, 8, 0)
MOVED_IN = datetime(2026, 1, 5, 8, 0)
START = datetime(2026, 11, 20, 9, 0)
# (name, role, department, reports to). A leaving case is never started for the last holder of a
# protected role who has none: every fallback chain ends with someone (manager, office, HR).
STAFF = (
    ("Zhao", Role.manager, None, None),
    ("Qian", Role.manager, None, None),
    ("Chen", Role.chief_butler, None, None),
    ("Wang", Role.butler, None, "Chen"),
    ("Li", Role.butler, None, "Chen"),
    ("Hu", Role.health_butler, None, None),
    ("Zhou", Role.office, None, None),
    ("Han", Role.hr, None, None),
    ("Ma", Role.dept_head, "Engineering", None),
)
CONTRACTS_END = date(2030, 12, 31)  # on file, and far off: no E1.1 item for the staff set up
PROTECTED = {Role.manager.value, Role.office.value, Role.hr.value}
UNITS = (
    ("1-101", "A", Status.occupied),
    ("1-102", "A", Status.not_moved_in),
    ("2-101", "B", Status.occupied),
    ("2-102", "B", Status.not_moved_in),
)
MOVING_IN = tuple(u[0] for u in UNITS if u[2] == Status.not_moved_in)
DEPTS = ("Engineering", "Finance")  # Finance is no department: routing there is refused
# How an example starts: facts that write obligations of every kind (a move-in writes three).
FIRST = ("move-in", "event", "event", "survey", "activity", "entry", "rain")
CORRECTIONS = (
    "cancel",
    "done",
    "visit",
    "event",
    "activity",
    "complaint",
    "survey",
    "leave",
    "rain",
)
# The obligation rows `followup list`, `due` and the report read.
KINDS = ("followup", "task", "callback")
TEN = timedelta(minutes=10)  # every moment is on a ten-minute grid: examples read easily

units = st.sampled_from([u[0] for u in UNITS])
staff_names = st.sampled_from([s[0] for s in STAFF])
back = st.one_of(
    st.integers(0, 36).map(lambda n: n * TEN),  # within the last six hours
    st.integers(0, 30 * 144).map(lambda n: n * TEN),  # within the last thirty days
)
forward = st.one_of(
    st.integers(1, 36).map(lambda n: n * TEN),
    st.integers(1, 20).flatmap(
        lambda d: st.integers(0, 143).map(lambda n: timedelta(days=d) + n * TEN)
    ),
)
# A visit naming a follow-up: just before the moment it opened, at it, after it, or now (None: once
# it may have lapsed or been missed).
HOUR = timedelta(hours=1)
around_opening = st.sampled_from(
    [-2 * HOUR, -TEN, timedelta(0), TEN, HOUR, 20 * HOUR, 72 * HOUR, None]
)


@dataclass(frozen=True)
class Figures:
    """One clause's follow-up figures for a month, as the report names them."""

    created: int = 0
    done_on_time: int = 0
    done_late: int = 0
    cancelled: int = 0
    ended: int = 0
    open_overdue: int = 0


@dataclass(frozen=True)
class Made:
    """A visit as the checks read it: when, how, to whom, and everyone on it (id, role, dept)."""

    at: datetime
    channel: str
    outcome: str
    voided: bool
    party_id: int
    people: tuple


class Obligations(RuleBasedStateMachine):
    def __init__(self, engine, policy: Policy) -> None:
        super().__init__()
        self.policy = policy
        self.by_id = {r.id: r for r in policy.rules}
        self.demanding = [r.id for r in policy.rules if r.settled_by or getattr(r, "needs", ())]
        self.session = Session(engine, expire_on_commit=False)
        self.session.begin()
        self.now = START
        self.hired = 0
        self.changed = True  # since the last check (a refused fact changes nothing)
        self._site()

    def teardown(self) -> None:
        self.session.rollback()
        self.session.close()

    @property
    def clock(self) -> Clock:
        return Clock.at(self.now)

    @property
    def conn(self):
        return self.session.connection()

    def _site(self) -> None:
        c = Clock.at(SET_UP)
        for name, role, dept, boss in STAFF:
            add_staff(
                session=self.session,
                clock=c,
                name=name,
                role=role,
                dept=dept,
                reports_to=boss,
                contract_ends=CONTRACTS_END,
            )
        zones.add_zone(session=self.session, clock=c, name="A", butler="Wang", health_butler="Hu")
        zones.add_zone(session=self.session, clock=c, name="B", butler="Li")
        for unit, zone, status in UNITS:
            add_resident(
                session=self.session,
                clock=Clock.at(MOVED_IN),
                name=f"Owner {unit}",
                unit=unit,
                zone_ref=zone,
                status=status,
            )

    def _do(self, service, **kwargs) -> Any:
        """One fact, as of the clock. A refusal (a careops error) writes nothing: a step all the same."""
        try:
            with self.session.begin_nested():
                done = service(session=self.session, clock=self.clock, **kwargs)
        except CareopsError:
            return None
        self.changed = True
        return done

    def _column(self, column, *conds) -> list:
        return list(self.conn.execute(select(column).where(*conds).order_by(column)).scalars())

    def _local(self, utc: datetime) -> datetime:
        return self.clock.local(utc).replace(tzinfo=None)

    # --- facts ----------------------------------------------------------------------------------------

    @rule(delta=forward)
    def time_passes(self, delta):
        """The clock moves on; at each month's end it crosses, the report is read (4)."""
        before, self.now = self.now, self.now + delta
        self.changed = True
        month = before.date().replace(day=1)
        while (following := _next_month(month)) <= self.now.date():
            self._report_agrees(month)
            month = following

    @initialize(data=st.data(), first=st.lists(st.sampled_from(FIRST), min_size=2, max_size=4))
    def first_facts(self, data, first):
        """Every example starts with two to four facts that write obligations (whichever rules
        Hypothesis leaves out of it): follow-ups to settle, own, end and report."""
        for fact in first:
            if fact == "move-in":
                unit = data.draw(st.sampled_from(MOVING_IN), label="moves in")
                self._do(followups.record_event, policy=self.policy, ref=unit, kind=fact)
            elif fact == "event":
                self.household_event(data.draw(units), data, data.draw(back))
            elif fact == "entry":
                self.register_fact(data, fact)
            else:
                self.community(data, fact)

    @rule(unit=units, data=st.data(), ago=back)
    def household_event(self, unit, data, ago):
        """`careops event UNIT KIND --at T`, T now or up to thirty days back."""
        kinds = followups.event_kinds(self.policy)  # a move-in (three follow-ups) more often
        kind = data.draw(st.sampled_from([*kinds, *["move-in"] * 3]), label="kind")
        self._do(followups.record_event, policy=self.policy, ref=unit, kind=kind, at=self.now - ago)

    @rule(data=st.data(), count=st.integers(1, 3))
    def visits(self, data, count):
        """A round of one to three visits. Two in three name a follow-up and are made around the moment
        it opened, often by those it names, by one of its channels; the others are made at any time,
        reach someone or not (a busy call agrees a callback), and now and then name one of the
        household's follow-ups."""
        for _ in range(count):
            self._visit(data)

    @rule(data=st.data(), count=st.integers(1, 3))
    def more_visits(self, data, count):
        """Visits are most of what is recorded: a second rule like `visits` gives them a quarter of
        the steps, and makes an example with both left out (Hypothesis leaves out some rules in
        each example) rare."""
        self.visits(data, count)

    def _visit(self, data) -> None:
        by = data.draw(st.lists(staff_names, min_size=1, max_size=3, unique=True), label="by")
        o = t.obligation.c
        open_ones = self._column(
            o.id, o.kind == "followup", o.state == "open", o.party_id.is_not(None)
        )
        ids = open_ones or self._column(o.id, o.kind == "followup", o.party_id.is_not(None))
        # Half the time one whose rule names who settles it, or a joint one (the rare kind).
        demanding = self._column(o.id, o.id.in_(ids), o.rule.in_(self.demanding))
        if demanding and data.draw(st.booleans(), label="a demanding one"):
            ids = demanding
        if ids and data.draw(st.integers(0, 2), label="for a follow-up"):
            self._visit_for(data.draw(st.sampled_from(ids), label="follow-up"), data, by)
            return
        unit = data.draw(units, label="unit")
        party_id = self._column(t.party.c.id, t.party.c.unit == unit)[0]
        theirs = self._column(o.id, o.party_id == party_id, o.kind.in_(("followup", "task")))
        named = (
            data.draw(st.lists(st.sampled_from(theirs), max_size=2, unique=True)) if theirs else []
        )
        when = self.now - data.draw(back, label="ago")
        outcome = data.draw(
            st.sampled_from([Outcome.reached] * 3 + [Outcome.busy, Outcome.no_answer])
        )
        callback = None
        if outcome != Outcome.reached and data.draw(st.booleans(), label="callback"):
            callback = when + data.draw(st.integers(1, 72), label="hours") * timedelta(hours=1)
        channel = data.draw(st.sampled_from(Channel), label="channel")
        self._log(unit, by, channel, when, outcome, callback, named, data)

    def _visit_for(self, obligation_id: int, data, by: list[str]) -> None:
        """A visit naming the follow-up, made around the moment it opened (or now), mostly reaching
        someone."""
        o = t.obligation.c
        row = self.conn.execute(select(t.obligation).where(o.id == obligation_id)).one()
        unit = self._column(t.party.c.unit, t.party.c.id == row.party_id)[0]
        named = self._column(
            t.staff.c.name,
            t.staff.c.id.in_(
                select(t.need.c.staff_id)
                .where(t.need.c.obligation_id == row.id)
                .union(select(o.owner_id).where(o.id == row.id))
            ),
        )
        if named and data.draw(st.booleans(), label="with those it names"):
            by = named + [name for name in by if name not in named]
        channels = (row.channels or "door").split(",")
        channel = Channel(data.draw(st.sampled_from(channels * 3 + ["door", "phone"])))
        shift = data.draw(around_opening, label="shift")
        when = self.now if shift is None else min(self.now, self._local(row.opened_at) + shift)
        outcome = data.draw(st.sampled_from([Outcome.reached] * 5 + [Outcome.no_answer]))
        self._log(unit, by, channel, when, outcome, None, [row.id], data)

    def _log(self, unit, by, channel, when, outcome, callback, named, data) -> None:
        """`named` follow-ups by id, or (half the time) the last one by its clause (`--purpose`); at a
        complaint's revisit, now and then the person's verdict (`no` reopens the complaint)."""
        o = t.obligation.c
        revisit = bool(self._column(o.id, o.id.in_(named), o.complaint_id.is_not(None)))
        verdict = data.draw(st.sampled_from([None, *Verdict]), label="verdict") if revisit else None
        purposes = []
        if named and data.draw(st.booleans(), label="by purpose"):
            purposes = self._column(o.clause, o.id == named.pop())
        self._do(
            visits.log_visit,
            policy=self.policy,
            ref=unit,
            by=by,
            channel=channel,
            at=when,
            outcome=outcome,
            callback=callback,
            for_ids=named,
            purposes=purposes,
            satisfied=verdict,
        )

    @rule(data=st.data(), change=st.sampled_from(["leaves", "leaves", "hired", "zone"]))
    def staff_change(self, data, change):
        """A leaving case with its last day (never for the last protected holder of a role who has
        none), a hire, or a zone handed to a butler (one who has left, now and then)."""
        if change == "leaves":
            free = self._staying()
            roles = Counter(s.role for s in free)
            people = [s.name for s in free if s.role not in PROTECTED or roles[s.role] > 1]
            if people:
                self._do(
                    leaving.start_leave,
                    policy=self.policy,
                    employee=data.draw(st.sampled_from(people), label="leaves"),
                    last_day=self.now.date() + timedelta(days=data.draw(st.integers(-10, 20))),
                )
        elif change == "hired":
            self.hired += 1
            role = data.draw(st.sampled_from(Role), label="role")
            self._do(add_staff, name=f"New {self.hired}", role=role)
        else:
            butlers = self._column(t.staff.c.name, t.staff.c.role == "butler")
            self._do(
                zones.edit_zone,
                name=data.draw(st.sampled_from(["A", "B"]), label="zone"),
                butler=data.draw(st.sampled_from(butlers), label="butler"),
            )

    def _staying(self) -> list:
        """Staff members with no leaving case (not void): they hold their roles for good."""
        case = select(t.leave_case.c.id).where(
            t.leave_case.c.staff_id == t.staff.c.id,
            t.leave_case.c.kind == "leave",
            t.leave_case.c.voided_at.is_(None),
        )
        return list(
            self.conn.execute(
                select(t.staff.c.name, t.staff.c.role).where(~case.exists()).order_by(t.staff.c.id)
            )
        )

    @rule(data=st.data(), fact=st.sampled_from(["rain", "activity", "survey"]))
    def community(self, data, fact):
        """A rainy day up to ten days back, a community activity up to ten days ahead, or a survey
        (residents' mostly: a door visit to every household) opening within ten days of today."""
        today = self.now.date()
        if fact == "rain":
            days = data.draw(st.integers(0, 10), label="days back")
            self._do(followups.record_rain, day=today - timedelta(days=days))
        elif fact == "activity":
            days = data.draw(st.integers(1, 10), label="days ahead")
            self._do(
                followups.add_activity,
                policy=self.policy,
                name="Lantern evening",
                day=today + timedelta(days=days),
            )
        else:
            first = today + timedelta(days=data.draw(st.integers(-10, 10), label="opens"))
            audience = data.draw(st.sampled_from([Audience.residents] * 3 + [*Audience]))
            self._do(
                surveys.create_survey,
                policy=self.policy,
                name="Satisfaction",
                audience=audience,
                opens=first,
                closes=first + timedelta(days=data.draw(st.integers(0, 20), label="days open")),
            )

    @rule(data=st.data(), fact=st.sampled_from(["entry", "next step", "next step", "any step"]))
    def register_fact(self, data, fact):
        """A new register entry (a household's, or a caller's), a matter's next step as its state asks
        (routed, answered or resolved, closed, reopened), or any step at all (out of order, escalated to
        anyone, routed to a department that does not exist)."""
        c = t.complaint.c
        numbers = self._column(c.number, c.voided_at.is_(None))
        if fact == "entry" or not numbers:
            unit = data.draw(st.one_of(units, st.none()), label="unit")
            self._do(
                register.open_matter,
                ref=unit,
                caller=None if unit else "Li Na 13800001111",
                summary="the lift is noisy",
                channel=RegisterChannel.hotline,
                kind=data.draw(st.sampled_from(RegisterKind), label="kind"),
                severity=data.draw(st.sampled_from(Severity), label="severity"),
                at=self.now - data.draw(back, label="ago"),
            )
            return
        number = data.draw(st.sampled_from(numbers), label="number")
        step = {"open": "route", "routed": "resolve", "resolved": "close", "closed": "reopen"}[
            self._column(c.state, c.number == number)[0]
        ]
        if fact == "any step":
            step = data.draw(
                st.sampled_from(["route", "answer", "resolve", "close", "reopen", "escalate"])
            )
        elif step == "resolve" and data.draw(st.booleans(), label="answer first"):
            step = "answer"
        if step == "route":
            dept = (
                data.draw(st.sampled_from(DEPTS), label="dept") if fact == "any step" else DEPTS[0]
            )
            self._do(register.route, number=number, dept=dept)
        elif step == "answer":
            self._do(register.answer, number=number, note_text="told them")
        elif step == "resolve":
            self._do(register.resolve, policy=self.policy, number=number, note_text="fixed")
        elif step == "close":
            self._do(register.close, number=number, archive=True, summary="done")
        elif step == "reopen":
            self._do(register.reopen, number=number, reason="still noisy")
        else:
            to = data.draw(staff_names, label="to")
            self._do(register.escalate, number=number, to=to, note_text="beyond us")

    @rule(data=st.data(), kind=st.sampled_from(CORRECTIONS))
    def correction(self, data, kind):
        """`followup cancel` (with a reason), `followup done` (a task, by word), or `careops void KIND
        ID --reason` (whatever the record settled, wrote or owed follows from it)."""
        if kind in ("cancel", "done"):
            self._close_by_word(data, kind)
            return
        if kind == "rain":
            found: list[Any] = self._column(t.rain_day.c.day, t.rain_day.c.voided_at.is_(None))
        elif kind == "complaint":
            found = self._column(t.complaint.c.number, t.complaint.c.voided_at.is_(None))
        else:
            table = {
                "visit": t.visit,
                "event": t.event,
                "activity": t.event,
                "survey": t.survey,
                "leave": t.leave_case,
            }[kind]
            found = self._column(table.c.id, table.c.voided_at.is_(None))
        if found:
            record = data.draw(st.sampled_from(found), label=kind)
            self._do(void.void, kind=kind, record_id=record, reason="recorded by mistake")

    def _close_by_word(self, data, kind: str) -> None:
        ids = self._column(t.obligation.c.id, t.obligation.c.kind.in_(("followup", "task")))
        if not ids:
            return
        which = data.draw(st.sampled_from(ids), label="follow-up")
        if kind == "done":
            self._do(followups.finish_task, followup_id=which, note_text="written down")
        else:
            self._do(followups.cancel_followup, followup_id=which, reason="not wanted")

    # --- the invariants -------------------------------------------------------------------------------

    @invariant()
    def the_engine_keeps_its_promises(self):
        if not self.changed:
            return  # the same facts at the same moment as at the last check
        self.changed = False
        self.session.flush()
        rows = list(
            self.conn.execute(
                select(t.obligation)
                .where(t.obligation.c.kind.in_(KINDS))
                .order_by(t.obligation.c.id)
            )
        )
        every = open_items(self.conn, self.policy, self.clock, ended=True)
        self._settled_right(rows)
        self._owned(every)
        self._nothing_vanishes(rows, every)

    # 1. settled right

    def _settled_right(self, rows) -> None:
        now = self.clock.now_utc
        for row in rows:
            assert row.opened_at is not None, f"#{row.id} ({row.rule}) has no moment it opened"
            if row.state != "done":
                continue
            assert row.opened_at <= row.done_at <= now, (
                f"#{row.id} ({row.rule}) opened {row.opened_at}, done {row.done_at}, now {now}"
            )
            if row.done_visit_id is None:  # by word: a task, or a follow-up with nobody to visit
                assert row.kind == "task" or row.party_id is None, f"#{row.id} done by no visit"
                continue
            why = self._not_by(row, self._made(row.done_visit_id))
            assert why is None, f"#{row.id} ({row.rule}) done by visit #{row.done_visit_id}: {why}"

    def _made(self, visit_id: int) -> Made:
        v = t.visit.c
        found = self.conn.execute(select(t.visit).where(v.id == visit_id)).one()
        others = self._column(t.visit_staff.c.staff_id, t.visit_staff.c.visit_id == visit_id)
        people = self.conn.execute(
            select(t.staff.c.id, t.staff.c.role, t.staff.c.dept).where(
                t.staff.c.id.in_([found.staff_id, *others])
            )
        ).all()
        return Made(
            found.at,
            found.channel,
            found.outcome,
            found.voided_at is not None,
            found.party_id,
            tuple(people),
        )

    def _not_by(self, row, made: Made) -> str | None:
        """Why the visit `made` could not settle the obligation `row` (None: it could)."""
        rule = self.by_id.get(row.rule)
        if made.voided:
            return "the visit is void"
        if (made.at, made.party_id, made.outcome) != (row.done_at, row.party_id, "reached"):
            return f"a visit at {made.at} to #{made.party_id}, {made.outcome}"
        if row.channels and made.channel not in row.channels.split(","):
            return f"a {made.channel} visit; it takes {row.channels}"
        if row.expires_at is not None and made.at >= row.expires_at:
            return f"made after its end ({row.expires_at})"
        if rule is not None and not any(rule.settles(p.role) for p in made.people):
            return f"by {[p.role for p in made.people]}; it takes {rule.settled_by}"
        if self._may(row) and row.due_at is not None:
            day = self.clock.local_date
            late = day(made.at) > day(row.due_at) if row.all_day else made.at > row.due_at
            if late:
                return f"a may made after its deadline ({row.due_at})"
        if row.waiting_for == "rain" and not self._rained(
            row.after_day, self.clock.local_date(made.at)
        ):
            return f"no rain after {row.after_day} up to the visit"
        for role, holder, dept in self.conn.execute(
            select(t.need.c.role, t.need.c.staff_id, t.need.c.dept).where(
                t.need.c.obligation_id == row.id
            )
        ):
            if not any(p.id == holder or _fills(p, role, dept) for p in made.people):
                return f"a joint visit without the {role}"
        return None

    def _rained(self, after: date, until: date) -> bool:
        r = t.rain_day.c
        return bool(self._column(r.day, r.day > after, r.day <= until, r.voided_at.is_(None)))

    # 2. owned

    def _owned(self, every: list[DueItem]) -> None:
        gone = departed(self.conn, self.clock.today)
        lists: dict[int, set[tuple]] = {}

        def in_list_of(person: int, item: DueItem) -> bool:
            if person not in lists:
                theirs = open_items(
                    self.conn, self.policy, self.clock, Scope(owner_id=person), ended=True
                )
                lists[person] = {_key(i) for i in theirs}
            return _key(item) in lists[person]

        for item in every:
            if item.strength not in ("must", "should") or item.status in ENDED:
                continue
            assert item.owner_id is not None, f"nobody owns {_show(item)}"
            assert item.owner_id not in gone, f"{item.owner_name} has left and owns {_show(item)}"
            assert in_list_of(item.owner_id, item), (
                f"{_show(item)} is not in {item.owner_name}'s list"
            )
            for person in self._needed(item):  # a joint visit: everyone it names
                assert person not in gone, f"{_show(item)} names staff #{person}, who has left"
                assert in_list_of(person, item), f"{_show(item)} is not in staff #{person}'s list"

    def _needed(self, item: DueItem) -> list[int]:
        """Everyone a joint item names (`together`: role and name; no name: nobody holds the role)."""
        names = [name for _role, name in item.together if name]
        return self._column(t.staff.c.id, t.staff.c.name.in_(names)) if names else []

    # 3. nothing vanishes

    def _nothing_vanishes(self, rows, every: list[DueItem]) -> None:
        said = followups.list_followups(session=self.session, clock=self.clock, policy=self.policy)
        listed = {r["id"]: "open" if r["state"] == "waiting" else r["state"] for r in said}
        assert len(listed) == len(said), "followup list shows a follow-up twice"
        due = Counter((i.rule, i.ref) for i in every if i.kind in KINDS)
        assert max(due.values(), default=1) == 1, f"due --all lists twice: {due.most_common(2)}"
        shown = {(i.rule, i.ref): i for i in every if i.kind in KINDS}
        month = self.now.date().replace(day=1)
        for row in rows:
            state = self._state(row, self.clock.now_utc)
            name = f"#{row.id} ({row.rule}, {state})"
            if row.kind != "callback":
                says = listed.pop(row.id, None)
                assert says == state, f"{name}: followup list says {says}"
            item = shown.pop((row.rule, row.id), None)
            if state == "open":
                assert item is not None, f"{name} is not in due --all"
                assert item.status not in ENDED, f"{name}: due --all says {item.status}"
                assert not (self._may(row) and item.status == "overdue"), f"{name}: a may overdue"
            elif state in ENDED and self._ended_on(row) >= month:
                assert item is not None, f"{name} ended this month and is not in due --all"
                assert item.status == state, f"{name}: due --all says {item.status}"
            else:
                assert item is None, f"{name}: due --all lists it, {item.status}"
        assert listed == {}, f"followup list shows what is no obligation: {listed}"
        assert shown == {}, f"due --all lists what is no obligation: {list(shown)}"

    def _state(self, row, moment: datetime, *, month_end: bool = False) -> str:
        """As of `moment` (UTC): done, cancelled, lapsed, missed or open. At a month's end, what happened
        at its very instant belongs to the next month."""

        def by(at: datetime | None) -> bool:
            return at is not None and (at < moment or (at == moment and not month_end))

        if row.state == "done" and by(row.done_at):
            return "done"
        if row.state == "cancelled" and by(row.cancelled_at):
            return "cancelled"
        due = self._due(row)
        if self._may(row) and due is not None and self._passed(due, moment):
            return "lapsed"
        if row.expires_at is not None and row.expires_at <= moment:
            return "missed"
        return "open"

    def _passed(self, due: datetime | date, moment: datetime) -> bool:
        """A deadline (a UTC moment, or a local day: by its end) has passed at `moment` (UTC)."""
        if isinstance(due, datetime):
            return due < moment
        return due < self.clock.local_date(moment)

    def _due(self, row) -> datetime | date | None:
        """Its deadline: a UTC moment, a local day, or None while a leak repair waits for rain."""
        if row.waiting_for == "rain":
            r = t.rain_day.c
            rain = self._column(
                r.day, r.day > row.after_day, r.day <= self.clock.today, r.voided_at.is_(None)
            )
            return after_rain(self.by_id[row.rule], rain[0]) if rain else None
        if row.due_at is None:
            return None
        return (
            self.clock.local_date(row.due_at)
            if row.kind == "callback" or row.all_day
            else row.due_at
        )

    def _may(self, row) -> bool:
        rule = self.by_id.get(row.rule)
        return (row.strength or (rule.strength if rule else None)) == MAY

    def _ended_on(self, row) -> date:
        """The local day a missed or lapsed obligation ended: a timed deadline's day, else the next."""
        due = self._due(row)
        assert due is not None  # it ended: it had a deadline
        return self.clock.local_date(due) if isinstance(due, datetime) else due + timedelta(days=1)

    # 4. the report

    def _report_agrees(self, first: date) -> None:
        """`report monthly`'s follow-up figures for the month of `first`, read as the clock crosses its
        end, against the obligations' states then. The report leaves out an obligation whose event,
        register entry or household is void (a recording mistake), and shows open ones only as "open,
        overdue": those are the figures compared, per clause."""
        month = Month.of(first, self.clock)
        [section] = followup_sections(self.conn, self.policy, self.clock, month, ReportScope())
        shown = {
            r["clause"]: Figures(*(r[k] for k in Figures.__annotations__)) for r in section.rows
        }
        states = self._figures(month)
        assert shown == states, f"report {month.label}: {shown}; the obligations' states: {states}"
        # And as `due --all` listed them: ended in the month's last minute, overdue at its end.
        end = self._local(month.end_utc)
        last = open_items(self.conn, self.policy, Clock.at(end - timedelta(minutes=1)), ended=True)
        then = open_items(self.conn, self.policy, Clock.at(end), ended=True)
        due = {
            "ended": Counter(i.clause for i in last if i.kind in KINDS and i.status in ENDED),
            "open_overdue": Counter(
                i.clause for i in then if i.kind in KINDS and i.status == "overdue"
            ),
        }
        said = {
            k: Counter({c: getattr(f, k) for c, f in shown.items() if getattr(f, k)}) for k in due
        }
        assert said == due, f"report {month.label}: {said}; due --all: {due}"

    def _figures(self, month: Month) -> dict[str, Figures]:
        start, end = month.start_utc, month.end_utc
        counts: dict[str, Counter] = {}
        for row in self._counted():
            c = counts.setdefault(row.clause, Counter())
            c["created"] += start <= row.created_at < end
            if row.state == "done" and start <= row.done_at < end:
                c["done_on_time" if self._on_time(row) else "done_late"] += 1
            c["cancelled"] += row.state == "cancelled" and start <= row.cancelled_at < end
            if row.created_at >= end:
                continue
            state = self._state(row, end, month_end=True)
            c["ended"] += state in ENDED and start <= self._ended_at(row) < end
            due = self._due(row)
            if state == "open" and due is not None and not self._may(row):
                c["open_overdue"] += self._passed(due, end)
        found = {clause: Figures(**c) for clause, c in counts.items()}
        return {clause: f for clause, f in found.items() if f != Figures()}

    def _counted(self) -> list:
        """The obligation rows the report reads: their event, register entry and household not void."""
        o = t.obligation
        source = (
            o.outerjoin(t.event, t.event.c.id == o.c.event_id)
            .outerjoin(t.complaint, t.complaint.c.id == o.c.complaint_id)
            .outerjoin(t.party, t.party.c.id == o.c.party_id)
        )
        return list(
            self.conn.execute(
                select(o)
                .select_from(source)
                .where(
                    o.c.kind.in_(KINDS),
                    t.event.c.voided_at.is_(None),
                    t.complaint.c.voided_at.is_(None),
                    t.party.c.voided_at.is_(None),
                )
            )
        )

    def _on_time(self, row) -> bool:
        due = self._due(row)
        if due is None:
            return True  # a leak repair done before any rain (as the report reads it)
        if isinstance(due, datetime):
            return row.done_at <= due
        return self.clock.local_date(row.done_at) <= due

    def _ended_at(self, row) -> datetime:
        """The moment (UTC) a lapsed or missed obligation ended."""
        if not self._may(row):
            return row.expires_at
        due = self._due(row)
        if isinstance(due, datetime):
            return due
        assert due is not None  # it lapsed: it had a deadline
        return self.clock.day_start_utc(due + timedelta(days=1))


def _fills(person, role: str, dept: str | None) -> bool:
    """Whether `person` (id, role, dept) holds the role a joint visit needs (of that department, if any)."""
    return person.role == role and (dept is None or (person.dept or "").lower() == dept.lower())


def _key(item: DueItem) -> tuple:
    return (item.rule, item.subject_type, str(item.subject_id), str(item.ref), item.period)


def _show(item: DueItem) -> str:
    return f"{item.rule} for {item.subject_type} {item.subject_id} #{item.ref} ({item.status}: {item.why})"


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def test_random_facts_in_random_order_keep_every_obligation_promise(engine, policy):
    run_state_machine_as_test(lambda: Obligations(engine, policy), settings=MACHINE)


# --- the defects the machine found, each as its smallest example ----------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="defect (report/cases.py): a `may` due on a month's last day lapses at midnight, in the next "
    "month, and the report counts it lapsed in both months",
)
def test_p4_6_a_may_due_on_a_months_last_day_is_lapsed_in_one_months_report(session, policy):
    """A wedding on 23 November is offered by 30 November (a may, 7 days): it lapses at midnight, on
    1 December, and `due --all` lists it as lapsed in December; the report for November counts it too."""
    two_zone_site(session)
    event_(
        session,
        policy,
        household(session, "1-101", "2026-01-05 08:00"),
        "wedding",
        "2026-11-23 10:00",
    )

    def lapsed(first: date, now: str) -> int:
        c = clock(now)
        [section] = followup_sections(
            session.connection(), policy, c, Month.of(first, c), ReportScope()
        )
        return sum(r["ended"] for r in section.rows if r["clause"] == "P4.6")

    [item] = [
        i
        for i in open_items(session.connection(), policy, clock("2026-12-01 09:00"), ended=True)
        if i.rule == "wedding"
    ]
    assert (item.status, item.ended_on) == ("lapsed", date(2026, 12, 1))
    assert lapsed(date(2026, 12, 1), "2027-01-01 09:00") == 1
    assert lapsed(date(2026, 11, 1), "2026-12-01 09:00") == 0


@pytest.mark.xfail(
    strict=True,
    reason="defect (scheduler/obligations.py): a joint follow-up keeps naming a needed person who has "
    "left, and stays in their own list",
)
def test_p5_4_a_joint_visit_names_nobody_who_has_left_and_is_not_in_their_list(session, policy):
    """The new service's joint visit needs the manager and the chief butler; the manager Zhao leaves.
    The visit falls to the other manager, Qian, yet is still in Zhao's `due --staff`, and its
    `together` still names Zhao as the manager who must be there."""
    site = two_zone_site(session)
    c = clock("2025-06-01 08:00")
    add_staff(session=session, clock=c, name="Chen", role=Role.chief_butler)
    qian = add_staff(session=session, clock=c, name="Qian", role=Role.manager).id
    h = household(session, "1-101", "2026-01-05 08:00")
    event_(session, policy, h, "new-service", "2026-11-10 10:00")
    leaves(session, policy, "Zhao", "2026-11-20", on="2026-11-11 09:00")

    [item] = items(session, policy, "2026-11-21 09:00", "new-service-visit")

    assert item.owner_id == qian
    assert items(session, policy, "2026-11-21 09:00", owner_id=site.zhao) == []
    assert "Zhao" not in [name for _role, name in item.together]


def test_p4_4_voiding_the_rain_that_let_a_visit_settle_a_leak_repair_reopens_it(session, policy):
    """The repair on 20 November waits for rain; rain is recorded for the 22nd and the 25th, and the
    butler calls on the 23rd. The 22nd turns out dry: voided, the call was before any rain (before the
    follow-up opened), so the follow-up is open again. A call after another rainy day counts, and stays
    counted while some rain before it stands."""

    def rain(day: int, now: str) -> None:
        followups.record_rain(session=session, clock=clock(now), day=date(2026, 11, day))

    def dry(day: int, now: str) -> list[str]:
        """Rain recorded for that day in November is void: what it reopened."""
        day_ = date(2026, 11, day)
        return void.void(
            session=session, clock=clock(now), kind="rain", record_id=day_, reason="dry"
        ).reopened

    two_zone_site(session)
    h = household(session, "1-101", "2026-01-05 08:00")
    [repair] = event_(session, policy, h, "leak-repair", "2026-11-20 10:00").followups
    fid = repair.obligation.id
    rain(22, "2026-11-22 09:00")
    rain(25, "2026-11-25 09:00")
    log(session, policy, h, "Wang", "2026-11-23 10:00", for_ids=[fid])

    assert dry(22, "2026-11-26 09:00") == [f"Follow-up #{fid}"]

    now = clock("2026-11-26 09:00")
    [listed] = followups.list_followups(session=session, clock=now, policy=policy)
    assert (listed["id"], listed["state"]) == (fid, "open")
    later = log(session, policy, h, "Wang", "2026-11-26 10:00", for_ids=[fid])
    assert [r.id for r in later.followups_done] == [fid]
    rain(24, "2026-11-26 11:00")
    assert dry(25, "2026-11-26 12:00") == []  # it rained on the 24th, before the call on the 26th
