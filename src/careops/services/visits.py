"""Logging a visit or call, and what it settles: cadence periods, callbacks (P1–P3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, insert, select, update
from sqlmodel import Session

from careops import i18n
from careops.calendar.callwindows import within_windows
from careops.clock import Clock
from careops.errors import InvalidInput
from careops.i18n import Text, _
from careops.models import Complaint, Obligation, Visit
from careops.policy.models import Policy
from careops.scheduler.satisfied import Satisfied, not_by_role, satisfied_by
from careops.scheduler.tables import obligation, party, staff, visit, visit_staff
from careops.services.audit import note as audit_note
from careops.services.followups import open_for, settle, targets
from careops.services.refs import Record, resolve_party, resolve_staff
from careops.services.register import answer, close, open_matter, verdict_at_revisit
from careops.vocab import Channel, Outcome, RegisterChannel, RegisterKind, Severity, Verdict

CALLBACK_TRIGGER = (
    "busy-callback"  # the trigger of the rule a busy resident's agreed callback is written for
)


def verdicts(policy: Policy) -> set[str]:
    """The rules whose settling visit records the person's verdict (`--satisfied`/`--not-satisfied`): revisits."""
    return {r.id for r in policy.rules if r.verdict}


# What this module says to people (one place, ready for translation).
FUTURE_VISIT = _(
    "--at {at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); log a visit once it has happened."
)
CALLBACK_WHEN_REACHED = _(
    "--callback goes with --outcome busy (or no-answer): a reached party needs no callback."
)
CALLBACK_TOO_EARLY = _("the callback time {callback:%Y-%m-%d %H:%M} is not after the call itself.")
CALL_OUTSIDE_WINDOWS = _(
    "this call at {at:%a %H:%M} is outside the call windows ({clause}: {days} {hours}); "
    "it is recorded all the same."
)
CALLBACK_OUTSIDE_WINDOWS = _(
    "the callback at {at:%a %Y-%m-%d %H:%M} is outside the call windows ({clause}: {days} {hours})."
)
ANSWERED_ON_THE_SPOT = _("answered on the spot")
AUDIT_LOGGED = _("{channel} visit, {outcome}, {at:%Y-%m-%d %H:%M}, by {by}")
SAME_STAFF_TWICE = _("{name} is named twice with --by.")
VERDICT_WITHOUT_REVISIT = _(
    "--satisfied records the person's verdict at a complaint revisit: name the revisit with "
    "--for ID (or --purpose complaint-revisit)."
)
VERDICT_NOT_REACHED = _(
    "--satisfied needs the person reached: a {outcome} attempt hears no verdict."
)
FLAGS_WITHOUT_FEEDBACK = _("--urgent and --answered go with --feedback TEXT.")
FEEDBACK_NOT_REACHED = _(
    "--feedback needs the person reached: nothing was raised on a {outcome} attempt."
)
VERDICT_KEPT_OPEN = _("the verdict was not recorded: the revisit does not count yet.")


# P3's call windows spare residents' rest; a government office or a health authority keeps office hours.
OFFICIAL = ("government", "health-authority")


@dataclass
class LogResult:
    visit: Visit
    party: Record
    staff: Record
    satisfied: list[Satisfied] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)  # callbacks this contact settled
    callback: Obligation | None = None
    warnings: list[Text] = field(default_factory=list)
    with_staff: list[Record] = field(default_factory=list)  # the others on a joint visit
    followups_done: Sequence[Record] = field(
        default_factory=list
    )  # follow-ups this visit satisfied (--for / --purpose)
    followups_open: list[str] = field(default_factory=list)  # why a named follow-up stays open
    hints: Sequence[Record] = field(
        default_factory=list
    )  # the household's open follow-ups, when the visit named none
    feedback: Complaint | None = None  # the register entry for what was raised (--feedback)
    reopened: str | None = None  # the complaint a "not satisfied" verdict reopened
    wrong_role: list[tuple[str, str]] = field(
        default_factory=list
    )  # (clause, role): a contact only that role's counts


def log_visit(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    ref: str,
    by: str | list[str],
    channel: Channel,
    at: datetime | None = None,
    minutes: int | None = None,
    outcome: Outcome = Outcome.reached,
    callback: datetime | None = None,
    note: str | None = None,
    for_ids: Iterable[int] = (),
    purposes: Iterable[str] = (),
    feedback: str | None = None,
    urgent: bool = False,
    answered: bool = False,
    satisfied: Verdict | None = None,
) -> LogResult:
    """`at` and `callback` are naive local times. Several `by`: a joint visit, the first leading.

    Everything is checked before anything is written: a refused visit stores nothing."""
    conn = session.connection()
    who = resolve_party(conn, ref)
    people = _people(conn, [by] if isinstance(by, str) else list(by))
    caller = people[0]
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE_VISIT.format(at=at, now=clock.now))
    if callback is not None and outcome == Outcome.reached:
        raise InvalidInput(CALLBACK_WHEN_REACHED)
    callback_utc = clock.utc_of_local(callback) if callback else None
    if callback_utc is not None and callback_utc <= at_utc:
        raise InvalidInput(CALLBACK_TOO_EARLY.format(callback=callback))
    feedback = (feedback or "").strip() or None
    if (urgent or answered) and not feedback:
        raise InvalidInput(FLAGS_WITHOUT_FEEDBACK)
    if feedback and outcome != Outcome.reached:
        raise InvalidInput(FEEDBACK_NOT_REACHED.format(outcome=outcome.value))
    named = targets(conn, who, list(for_ids), list(purposes), clock=clock, policy=policy)
    if satisfied is not None:
        if outcome != Outcome.reached:
            raise InvalidInput(VERDICT_NOT_REACHED.format(outcome=outcome.value))
        if not any(r.complaint_id is not None and r.rule in verdicts(policy) for r in named):
            raise InvalidInput(VERDICT_WITHOUT_REVISIT)
    record = Visit(
        party_id=who.id,
        staff_id=caller.id,
        channel=channel.value,
        at=at_utc,
        minutes=minutes,
        outcome=outcome.value,
        callback_at=callback_utc,
        note=note or None,
        created_at=clock.now_utc,
    )
    session.add(record)
    session.flush()
    assert record.id is not None  # flushed: the database gave it its id
    if len(people) > 1:
        conn.execute(
            insert(visit_staff), [{"visit_id": record.id, "staff_id": p.id} for p in people[1:]]
        )
    result = LogResult(
        visit=record,
        party=who,
        staff=caller,
        with_staff=people[1:],
        warnings=[]
        if who.contact_kind in OFFICIAL
        else _window_warnings(policy, clock, channel, at_utc, callback_utc),
    )
    if outcome == Outcome.reached:
        result.satisfied = satisfied_by(conn, policy, clock, record)
        result.closed = _close_callbacks(session, record)
        # P2, H3.2, a site's own: a contact that counts only when someone of the rule's roles makes it.
        result.wrong_role = not_by_role(conn, policy, record, caller.role)
    settled = settle(
        conn,
        named,
        clock=clock,
        policy=policy,
        visit_id=record.id,
        at=at_utc,
        channel=channel.value,
        outcome=outcome.value,
        participants=[p.id for p in people],
    )
    result.followups_done, result.followups_open = settled.done, settled.open
    if satisfied is not None:
        revisits = [
            r for r in settled.done if r.complaint_id is not None and r.rule in verdicts(policy)
        ]
        for row in revisits:
            conn.execute(
                update(obligation).where(obligation.c.id == row.id).values(verdict=satisfied.value)
            )
            result.reopened = (
                verdict_at_revisit(
                    session, clock, row.complaint_id, satisfied.value, record.id, at_utc
                )
                or result.reopened
            )
        if not revisits:
            result.warnings.append(VERDICT_KEPT_OPEN)
    if not named and who.kind == "household":
        result.hints = open_for(conn, who.id)
    if feedback:
        result.feedback = open_matter(
            session=session,
            clock=clock,
            ref=f"#{who.id}",
            summary=feedback,
            channel=RegisterChannel.visit,
            kind=RegisterKind.feedback,
            severity=Severity.urgent if urgent else Severity.general,
            at=clock.local(at_utc).replace(tzinfo=None),
            source_visit_id=record.id,
        ).matter
        if answered:
            answer(
                session=session,
                clock=clock,
                number=result.feedback.number,
                note_text=str(ANSWERED_ON_THE_SPOT),
            )
            result.feedback = close(
                session=session, clock=clock, number=result.feedback.number
            ).matter
    callback_rule = policy.first("trigger", trigger=CALLBACK_TRIGGER)
    if callback_utc is not None and callback_rule is not None:
        result.callback = Obligation(
            kind="callback",
            rule=callback_rule.id,
            clause=callback_rule.clause,
            party_id=who.id,
            owner_id=caller.id,
            due_at=callback_utc,
            opened_at=at_utc,
            source_visit_id=record.id,
            created_at=clock.now_utc,
        )
        session.add(result.callback)
        session.flush()
    audit_note(
        session,
        clock,
        action="log",
        kind="visit",
        record_id=record.id,
        party_id=who.id,
        staff_id=caller.id,
        detail=AUDIT_LOGGED.format(
            channel=channel.value, outcome=outcome.value, at=clock.local(at_utc), by=caller.name
        ),
    )
    return result


def _people(conn: Connection, refs: list[str]) -> list[Record]:
    people = [resolve_staff(conn, r) for r in refs]
    seen: set[int] = set()
    for person in people:
        if person.id in seen:
            raise InvalidInput(SAME_STAFF_TWICE.format(name=person.name))
        seen.add(person.id)
    return people


def _window_warnings(
    policy: Policy, clock: Clock, channel: Channel, at_utc: datetime, callback_utc: datetime | None
) -> list[Text]:
    windows = policy.call_windows
    allowed = {
        "clause": windows.clause,
        "days": i18n.weekdays(windows.days),
        "hours": ", ".join(windows.windows),
    }
    warnings: list[Text] = []
    if channel == Channel.phone and not within_windows(windows, clock.local(at_utc)):
        warnings.append(CALL_OUTSIDE_WINDOWS.format(at=clock.local(at_utc), **allowed))
    if callback_utc is not None and not within_windows(windows, clock.local(callback_utc)):
        warnings.append(CALLBACK_OUTSIDE_WINDOWS.format(at=clock.local(callback_utc), **allowed))
    return warnings


def _close_callbacks(session: Session, record: Visit) -> list[int]:
    conn = session.connection()
    source = visit.alias("source")
    open_ids = list(
        conn.execute(
            select(obligation.c.id)
            .select_from(obligation.join(source, source.c.id == obligation.c.source_visit_id))
            .where(
                obligation.c.party_id == record.party_id,
                obligation.c.kind == "callback",
                obligation.c.state == "open",
                source.c.at <= record.at,
            )
        ).scalars()
    )
    if open_ids:
        conn.execute(
            update(obligation)
            .where(obligation.c.id.in_(open_ids))
            .values(state="done", done_visit_id=record.id, done_at=record.at)
        )
    return open_ids


def list_visits(
    *,
    session: Session,
    clock: Clock,
    ref: str | None = None,
    staff_ref: str | None = None,
    since: date | None = None,
) -> list[dict[str, Any]]:
    conn = session.connection()
    conds: list[ColumnElement[bool]] = [visit.c.voided_at.is_(None), visit.c.at <= clock.now_utc]
    if ref:
        conds.append(visit.c.party_id == resolve_party(conn, ref).id)
    if staff_ref:
        conds.append(visit.c.staff_id == resolve_staff(conn, staff_ref).id)
    if since:
        conds.append(visit.c.at >= clock.day_start_utc(since))
    rows = conn.execute(
        select(
            visit.c.id,
            visit.c.at,
            party.c.name.label("party"),
            party.c.unit,
            staff.c.name.label("by"),
            visit.c.channel,
            visit.c.outcome,
            visit.c.minutes,
            visit.c.callback_at,
            visit.c.note,
        )
        .select_from(
            visit.join(party, party.c.id == visit.c.party_id).join(
                staff, staff.c.id == visit.c.staff_id
            )
        )
        .where(*conds)
        .order_by(visit.c.at.desc(), visit.c.id.desc())
    )
    return [
        {**r._mapping, "at": clock.local(r.at), "callback_at": clock.local(r.callback_at)}
        for r in rows
    ]
