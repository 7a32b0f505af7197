"""The register (H3.1): every call, letter, slip, walk-in and visit feedback, one by one, with its steps.

A matter is registered (open), routed to the responsible department (routed), answered
(the 24/48 h clock of P5.2 stops), resolved (the P4.8 revisit, joint for a major one
under P5.3, or the P5.1 phone-back for visit feedback, is written), and closed
(archived with a write-up when important). Each step is recorded with who took it and
when, and is refused when it comes out of order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, update
from sqlmodel import Session

from careops import i18n
from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import Text, _
from careops.models import Complaint
from careops.policy.models import Policy
from careops.scheduler.tables import complaint, complaint_step, obligation, party, staff
from careops.services.audit import actor_of, note
from careops.services.depts import resolve_dept
from careops.services.followups import Written, write_followup
from careops.services.refs import Record, as_id, resolve_party, resolve_staff
from careops.vocab import RegisterChannel, RegisterKind, Severity

NUMBER = "C-{year}-{id:05d}"
ANSWER_IS_ENOUGH = ("inquiry", "praise", "feedback")  # closed once answered; no resolution needed

# What this module says to people (one place, ready for translation).
NEED_WHO = _(
    'say who raised it: a household or contact (REF), or --from "NAME PHONE" for anyone else '
    "(only a suggestion-box slip may be anonymous)."
)
BOTH_WHO = _('give either REF or --from "NAME PHONE", not both.')
NEED_SUMMARY = _("say what the matter is with --summary TEXT.")
NEED_TEXT = _("say it with {option} TEXT.")
FUTURE_AT = _(
    "{at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); register the matter once it has come in."
)
BAD_NUMBER = _("{text!r} is not a register number like C-2026-00042 (or its id, 42).")
NO_MATTER = _("there is no register entry {text}. See `careops complaint list`.")
VOIDED = _("{number} is void ({reason}).")
REFUSED = _("{number} is {state}: {why}")
WHY_ROUTE_CLOSED = _(
    "a closed matter is not routed again; `careops complaint reopen {number} --reason TEXT` first."
)
WHY_ROUTE_RESOLVED = _("it is resolved already; reopen it first if the matter is not done.")
WHY_NOT_ROUTED = _(
    "route it to the responsible department first: `careops complaint route {number} --dept DEPT`."
)
WHY_CLOSED = _(
    "nothing more is done on a closed matter; `careops complaint reopen {number} --reason TEXT` if it is not done."
)
WHY_ANSWERED = _("the person was answered on {at:%Y-%m-%d %H:%M} already.")
WHY_RESOLVED = _("it is resolved already (on {at:%Y-%m-%d %H:%M}).")
WHY_CLOSE_UNANSWERED = _(
    "answer it first (`careops complaint answer {number} --note TEXT`); then close it."
)
WHY_CLOSE_UNRESOLVED = _(
    "resolve it first (`careops complaint resolve {number} --note TEXT`); only an inquiry or "
    "visit feedback is closed once answered, and praise at once."
)
ANONYMOUS_ANSWER = _(
    "{number} is an anonymous slip: there is nobody to answer. Route it, resolve it and close it."
)
WHY_OPEN = _("only a resolved or closed matter is reopened.")
ARCHIVE_NEEDS_SUMMARY = _("an archived matter needs its write-up: --summary TEXT.")
MAJOR_ARCHIVED = _(
    "{number} is a major matter: close it with --archive --summary TEXT (H3.1: the outcome of important "
    "matters is written up and archived)."
)
SUMMARY_WITHOUT_ARCHIVE = _("--summary goes with --archive.")
ESCALATE_SELF = _(
    "{name} handles {number} already; escalate to someone above the department (leadership)."
)
COHANDLE_SAME = _("{dept} is the responsible department already.")
STATE_WORDS = {
    "open": _("not routed yet"),
    "routed": _("routed"),
    "resolved": _("resolved"),
    "closed": _("closed"),
}
AUDIT_STEP = _("{number}: {action}{detail}")
ANONYMOUS = _("(anonymous)")
REOPENED_AT_REVISIT = _("not satisfied at the revisit (visit #{visit})")


@dataclass
class StepResult:
    matter: Complaint  # the complaint row after the step
    followups: list[Written] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    answered_now: bool = False
    to_name: str | None = None  # escalated to
    handler_name: str | None = None  # routed to
    party: Record | None = None  # the household or contact it came from (open)


def parse_from(text: str) -> tuple[str, str | None]:
    """'Li Na 13800001111' -> ('Li Na', '13800001111'); a name alone is fine."""
    words = text.split()
    if words and re.fullmatch(r"\+?[\d-]{5,20}", words[-1]):
        return " ".join(words[:-1]).strip(), words[-1]
    return text.strip(), None


def open_matter(
    *,
    session: Session,
    clock: Clock,
    ref: str | None = None,
    caller: str | None = None,
    summary: str,
    channel: RegisterChannel,
    kind: RegisterKind = RegisterKind.complaint,
    severity: Severity = Severity.general,
    at: datetime | None = None,
    source_visit_id: int | None = None,
) -> StepResult:
    """`at` is naive local time (default now)."""
    if ref and caller:
        raise InvalidInput(BOTH_WHO)
    if not ref and not (caller and caller.strip()) and channel != RegisterChannel.box:
        raise InvalidInput(NEED_WHO)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(NEED_SUMMARY)
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE_AT.format(at=at, now=clock.now))
    conn = session.connection()
    who = resolve_party(conn, ref) if ref else None
    name, phone = parse_from(caller) if caller else (None, None)
    if caller and not name:
        raise InvalidInput(NEED_WHO)
    record = Complaint(
        number="pending",
        party_id=who.id if who else None,
        caller_name=name,
        caller_phone=phone,
        summary=summary,
        channel=channel.value,
        kind=kind.value,
        severity=severity.value,
        received_at=at_utc,
        clock_from=at_utc,
        last_step_at=at_utc,
        source_visit_id=source_visit_id,
        created_at=clock.now_utc,
    )
    session.add(record)
    session.flush()
    record.number = NUMBER.format(year=clock.local(at_utc).year, id=record.id)
    session.flush()
    _step(session, clock, record, "open", at=at_utc, note_text=summary)
    return StepResult(record, party=who)


def resolve_number(
    conn: Connection, text: str, *, lock: bool = False, include_void: bool = False
) -> Record:
    key = text.strip().upper().removeprefix("#")
    found = re.fullmatch(r"C-([0-9]{4})-([0-9]{1,18})", key)
    if found:  # C-2026-42 is C-2026-00042; the year must match too
        cond = complaint.c.number == NUMBER.format(year=int(found.group(1)), id=int(found.group(2)))
    elif as_id(key) is not None:
        cond = complaint.c.id == as_id(key)
    elif key.isascii() and key.isdigit():
        raise NotFound(NO_MATTER.format(text=text.strip()))
    else:
        raise InvalidInput(BAD_NUMBER.format(text=text))
    query = select(complaint).where(cond)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(NO_MATTER.format(text=text.strip()))
    if row.voided_at is not None and not include_void:
        raise Conflict(
            VOIDED.format(number=row.number, reason=(row.void_reason or "").rstrip(".。"))
        )
    return row


def _refuse(row: Complaint, why: Text) -> Conflict:
    return Conflict(REFUSED.format(number=row.number, state=STATE_WORDS[row.state], why=why))


def _load(session: Session, number: str) -> Complaint:
    row = resolve_number(session.connection(), number, lock=True)
    record = session.get(Complaint, row.id)
    assert record is not None  # resolve_number found (and locked) its row
    return record


def route(
    *, session: Session, clock: Clock, number: str, dept: str, handler: str | None = None
) -> StepResult:
    dept = (dept or "").strip()
    if not dept:
        raise InvalidInput(NEED_TEXT.format(option="--dept"))
    record = _load(session, number)
    if record.state == "closed":
        raise _refuse(record, WHY_ROUTE_CLOSED.format(number=record.number))
    if record.state == "resolved":
        raise _refuse(record, WHY_ROUTE_RESOLVED)
    conn = session.connection()
    # Only to a recorded department (any case; or one a staff member is recorded in): else one error listing
    # those recorded, writing nothing.
    if _dept_staff(conn, dept) is None:
        resolve_dept(conn, dept)
    person = resolve_staff(conn, handler) if handler else _dept_head(conn, dept)
    record.dept, record.handler_id, record.state = dept, person.id if person else None, "routed"
    _step(session, clock, record, "route", dept=dept, staff_id=record.handler_id)
    return StepResult(record, handler_name=person.name if person else None)


def keeper_name(session: Session, clock: Clock, policy: Policy) -> str | None:
    """The register keeper: the first staff member with the policy's keeper role who has not left."""
    from careops.scheduler.owners import role_holder

    found = role_holder(session.connection(), policy.desk.keeper_role.value, clock.today)
    return found[1] if found else None


def _dept_staff(conn: Connection, dept: str) -> int | None:
    """Someone recorded in that department (any case), or None."""
    found: int | None = conn.execute(
        select(staff.c.id).where(func.lower(staff.c.dept) == dept.lower()).limit(1)
    ).scalar()
    return found


def _dept_head(conn: Connection, dept: str) -> Record | None:
    return conn.execute(
        select(staff.c.id, staff.c.name)
        .where(staff.c.role == "dept-head", func.lower(staff.c.dept) == dept.lower())
        .order_by(staff.c.id)
        .limit(1)
    ).first()


def escalate(*, session: Session, clock: Clock, number: str, to: str, note_text: str) -> StepResult:
    text = _need(note_text, "--note")
    record = _load(session, number)
    _not_closed(record)
    if record.state == "open":
        raise _refuse(record, WHY_NOT_ROUTED.format(number=record.number))
    person = resolve_staff(session.connection(), to)
    if person.id == record.handler_id:
        raise InvalidInput(ESCALATE_SELF.format(name=person.name, number=record.number))
    record.escalated = True
    _step(session, clock, record, "escalate", staff_id=person.id, note_text=text)
    return StepResult(record, to_name=person.name)


def cohandle(*, session: Session, clock: Clock, number: str, dept: str) -> StepResult:
    dept = _need(dept, "--dept")
    record = _load(session, number)
    _not_closed(record)
    if record.state == "open":
        raise _refuse(record, WHY_NOT_ROUTED.format(number=record.number))
    if record.dept and record.dept.lower() == dept.lower():
        raise InvalidInput(COHANDLE_SAME.format(dept=dept))
    _step(session, clock, record, "cohandle", dept=dept)
    return StepResult(record)


def chase(
    *, session: Session, clock: Clock, number: str, note_text: str | None = None
) -> StepResult:
    record = _load(session, number)
    _not_closed(record)
    if record.state == "open":
        raise _refuse(record, WHY_NOT_ROUTED.format(number=record.number))
    if record.state == "resolved":
        raise _refuse(record, WHY_RESOLVED.format(at=clock.local(record.resolved_at)))
    _step(session, clock, record, "chase", note_text=(note_text or "").strip() or None)
    return StepResult(record)


def answer(*, session: Session, clock: Clock, number: str, note_text: str) -> StepResult:
    text = _need(note_text, "--note")
    record = _load(session, number)
    _not_closed(record)
    if record.party_id is None and record.caller_name is None:
        raise InvalidInput(ANONYMOUS_ANSWER.format(number=record.number))
    if record.answered_at is not None:
        raise _refuse(record, WHY_ANSWERED.format(at=clock.local(record.answered_at)))
    record.answered_at = clock.now_utc
    _step(session, clock, record, "answer", note_text=text)
    return StepResult(record, answered_now=True)


def resolve(
    *, session: Session, clock: Clock, policy: Policy, number: str, note_text: str
) -> StepResult:
    text = _need(note_text, "--note")
    record = _load(session, number)
    _not_closed(record)
    if record.state == "resolved":
        raise _refuse(record, WHY_RESOLVED.format(at=clock.local(record.resolved_at)))
    if record.state == "open" and policy.desk.require_routing and record.channel != "visit":
        raise _refuse(record, WHY_NOT_ROUTED.format(number=record.number))
    result = StepResult(record)
    if record.answered_at is None and _needs_answer(
        record
    ):  # the resolution is the person's answer too
        record.answered_at, result.answered_now = clock.now_utc, True
    record.state, record.resolved_at = "resolved", clock.now_utc
    _step(session, clock, record, "resolve", note_text=text)
    trigger = _revisit_trigger(session.connection(), record)
    if trigger:
        conn = session.connection()
        who = resolve_party(conn, f"#{record.party_id}") if record.party_id else None
        for rule in policy.followup_rules(trigger):
            result.followups.append(
                write_followup(
                    session,
                    clock,
                    rule,
                    party_row=who,
                    at=clock.now,
                    complaint_id=record.id,
                    handler_id=record.handler_id,
                    dept=record.dept,
                    warnings=result.warnings,
                )
            )
    return result


def _revisit_trigger(conn: Connection, record: Complaint) -> str | None:
    """P4.8, P5.3 and P5.1 are the property regime's visits to its residents: none for a caller off the register
    of households (a hospital's hotline caller, an anonymous slip)."""
    if record.party_id is None:
        return None
    if (
        conn.execute(select(party.c.kind).where(party.c.id == record.party_id)).scalar()
        != "household"
    ):
        return None  # a committee chair, a community office: no household to revisit
    if record.kind == "feedback":
        return "feedback-resolved"
    if record.kind != "complaint":
        return None
    return "major-complaint-resolved" if record.severity == "major" else "complaint-resolved"


def close(
    *,
    session: Session,
    clock: Clock,
    number: str,
    archive: bool = False,
    summary: str | None = None,
) -> StepResult:
    record = _load(session, number)
    _not_closed(record)
    if summary and not archive:
        raise InvalidInput(SUMMARY_WITHOUT_ARCHIVE)
    if archive and not (summary or "").strip():
        raise InvalidInput(ARCHIVE_NEEDS_SUMMARY)
    if (
        record.state != "resolved"
        and record.kind in ANSWER_IS_ENOUGH
        and record.answered_at is None
        and _needs_answer(record)
    ):
        raise _refuse(record, WHY_CLOSE_UNANSWERED.format(number=record.number))
    if record.state != "resolved" and record.kind not in ANSWER_IS_ENOUGH:
        raise _refuse(record, WHY_CLOSE_UNRESOLVED.format(number=record.number))
    if record.severity == "major" and not archive:
        raise InvalidInput(MAJOR_ARCHIVED.format(number=record.number))
    record.state, record.closed_at = "closed", clock.now_utc
    if archive:
        record.archived, record.archive_summary = True, (summary or "").strip()
    _step(session, clock, record, "close", note_text=record.archive_summary)
    return StepResult(record)


def reopen(
    *, session: Session, clock: Clock, number: str, reason: str, at: datetime | None = None
) -> StepResult:
    text = _need(reason, "--reason")
    record = _load(session, number)
    if record.state not in ("resolved", "closed"):
        raise _refuse(record, WHY_OPEN)
    _reopen(session, clock, record, text, at or clock.now_utc)
    return StepResult(record)


def _reopen(session: Session, clock: Clock, record: Complaint, reason: str, at: datetime) -> None:
    """Back to its department (or the keeper), with a fresh answer deadline from now; its open revisits are moot."""
    record.state = "routed" if record.dept else "open"
    record.answered_at = record.resolved_at = record.closed_at = None
    record.archived = False  # the write-up stays in the history (the close step)
    record.clock_from, record.reopened = at, record.reopened + 1
    session.connection().execute(
        update(obligation)
        .where(obligation.c.complaint_id == record.id, obligation.c.state == "open")
        .values(state="cancelled", note=reason, cancelled_at=clock.now_utc)
    )
    _step(session, clock, record, "reopen", note_text=reason)


def verdict_at_revisit(
    session: Session,
    clock: Clock,
    complaint_id: int,
    verdict: str,
    visit_id: int,
    at: datetime | None = None,
) -> str | None:
    """The person's word at the revisit (at the visit's time `at`, UTC): `no` reopens the matter from then.
    Returns its number when reopened."""
    record = session.get(Complaint, complaint_id, with_for_update=True)
    assert record is not None  # the revisit's matter
    record.verdict = verdict
    _step(session, clock, record, "revisit", note_text=verdict)
    if verdict == "no" and record.state in ("resolved", "closed"):
        _reopen(
            session, clock, record, REOPENED_AT_REVISIT.format(visit=visit_id), at or clock.now_utc
        )
        return record.number
    return None


def _needs_answer(record: Complaint | Record) -> bool:
    """Praise and an anonymous slip need no answer: there is nothing to solve, or nobody to tell."""
    return record.kind != "praise" and (
        record.party_id is not None or record.caller_name is not None
    )


def undo_verdict(
    session: Session, clock: Clock, complaint_id: int, visit_id: int, reason: str
) -> None:
    """The revisit visit is voided: its verdict is void too, and a matter it reopened is resolved again as before."""
    record = session.get(Complaint, complaint_id, with_for_update=True)
    assert record is not None  # the revisit's matter
    record.verdict = None
    steps = (
        session.connection()
        .execute(
            select(complaint_step.c.action, complaint_step.c.at, complaint_step.c.note)
            .where(complaint_step.c.complaint_id == complaint_id)
            .order_by(complaint_step.c.at, complaint_step.c.id)
        )
        .all()
    )
    notes = i18n.in_every_language(
        REOPENED_AT_REVISIT, visit=visit_id
    )  # written in the language of its day
    reopened_by_it = [s for s in steps if s.action == "reopen" and s.note in notes]
    if reopened_by_it and record.state in ("open", "routed") and record.answered_at is None:
        before = [
            s
            for s in steps
            if s.at < reopened_by_it[-1].at
            or (s.at == reopened_by_it[-1].at and s is not reopened_by_it[-1])
        ]
        last = {s.action: s.at for s in before if s.action != "revisit"}
        earlier_reopens = [s.at for s in before if s.action == "reopen"]
        record.state = "resolved"
        record.resolved_at = last.get("resolve")
        record.answered_at = last.get("answer") or last.get("resolve")
        record.clock_from = earlier_reopens[-1] if earlier_reopens else record.received_at
        record.reopened = max(0, record.reopened - 1)
    _step(session, clock, record, "undo-revisit", note_text=reason)


def _need(text: str | None, option: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(NEED_TEXT.format(option=option))
    return text


def _not_closed(record: Complaint) -> None:
    if record.state == "closed":
        raise _refuse(record, WHY_CLOSED.format(number=record.number))


def _step(
    session: Session,
    clock: Clock,
    record: Complaint,
    action: str,
    *,
    at: datetime | None = None,
    dept: str | None = None,
    staff_id: int | None = None,
    note_text: str | None = None,
) -> None:
    at = at or clock.now_utc
    actor = actor_of(session)
    session.flush()  # the matter's row first: the step refers to it
    session.connection().execute(
        insert(complaint_step).values(
            complaint_id=record.id,
            action=action,
            at=at,
            actor=actor.name,
            actor_staff_id=actor.staff_id,
            dept=dept,
            staff_id=staff_id,
            note=note_text,
        )
    )
    if action not in ("revisit",):
        record.last_step_at = max(record.last_step_at or at, at)
    session.flush()
    detail = "".join(f" {v}" for v in (dept, note_text) if v)
    note(
        session,
        clock,
        action=action,
        kind="complaint",
        record_id=record.id,
        party_id=record.party_id,
        staff_id=staff_id,
        detail=AUDIT_STEP.format(number=record.number, action=action, detail=_clip(detail)),
    )


def _clip(text: str, width: int = 300) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


# --- reading the register ---------------------------------------------------------------------


def list_matters(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    open_only: bool = False,
    overdue_only: bool = False,
    dept: str | None = None,
) -> list[dict[str, Any]]:
    from careops.scheduler.register import answer_deadline

    conn = session.connection()
    handler = staff.alias("handler")
    conds: list[ColumnElement[bool]] = [
        complaint.c.voided_at.is_(None),
        complaint.c.received_at <= clock.now_utc,
    ]
    if open_only or overdue_only:
        conds.append(complaint.c.state != "closed")
    if dept:
        conds.append(func.lower(complaint.c.dept) == dept.strip().lower())
    rows = conn.execute(
        select(
            complaint,
            party.c.name.label("party_name"),
            party.c.unit,
            handler.c.name.label("handler"),
        )
        .select_from(
            complaint.outerjoin(party, party.c.id == complaint.c.party_id).outerjoin(
                handler, handler.c.id == complaint.c.handler_id
            )
        )
        .where(*conds)
        .order_by(complaint.c.received_at.desc(), complaint.c.id.desc())
    ).all()
    shown: list[dict[str, Any]] = []
    for r in rows:
        due = answer_deadline(policy, clock, r) if _needs_answer(r) else None
        late = r.answered_at is None and due is not None and due < clock.now
        answered = clock.local(r.answered_at)
        answered_late = answered is not None and due is not None and answered > due
        if overdue_only and not late:
            continue
        shown.append(
            {
                "id": r.id,
                "number": r.number,
                "received": clock.local(r.received_at),
                "channel": r.channel,
                "kind": r.kind,
                "severity": r.severity,
                "who": _caller(r),
                "unit": r.unit,
                "summary": r.summary,
                "state": r.state,
                "dept": r.dept,
                "handler": r.handler,
                "answer_by": due if r.answered_at is None and r.state != "closed" else None,
                "answered": answered,
                "overdue": late,
                "answered_late": answered_late,
            }
        )
    return shown


def _caller(r: Record) -> Text:
    return r.party_name or r.caller_name or ANONYMOUS


def show_matter(*, session: Session, clock: Clock, policy: Policy, number: str) -> dict[str, Any]:
    conn = session.connection()
    row = resolve_number(conn, number, include_void=True)
    listed = {m["id"]: m for m in list_matters(session=session, clock=clock, policy=policy)}.get(
        row.id
    )
    to = staff.alias("to")
    steps = conn.execute(
        select(
            complaint_step.c.at,
            complaint_step.c.action,
            complaint_step.c.actor,
            complaint_step.c.dept,
            to.c.name.label("to"),
            complaint_step.c.note,
        )
        .select_from(complaint_step.outerjoin(to, to.c.id == complaint_step.c.staff_id))
        .where(complaint_step.c.complaint_id == row.id, complaint_step.c.at <= clock.now_utc)
        .order_by(complaint_step.c.at, complaint_step.c.id)
    ).all()
    followups = conn.execute(
        select(
            obligation.c.id,
            obligation.c.clause,
            obligation.c.rule,
            obligation.c.state,
            obligation.c.verdict,
        )
        .where(obligation.c.complaint_id == row.id)
        .order_by(obligation.c.id)
    ).all()
    shown = dict(listed or _bare(conn, clock, row))
    shown.update(
        {
            "void": row.void_reason if row.voided_at else None,
            "archived": row.archived,
            "archive_summary": row.archive_summary,
            "escalated": row.escalated,
            "reopened": row.reopened,
            "verdict": row.verdict,
            "resolved": clock.local(row.resolved_at),
            "closed": clock.local(row.closed_at),
            "phone": row.caller_phone,
            "steps": [{**s._mapping, "at": clock.local(s.at)} for s in steps],
            "followups": [dict(f._mapping) for f in followups],
        }
    )
    return shown


def _bare(conn: Connection, clock: Clock, row: Record) -> dict[str, Any]:
    """A matter `list_matters` leaves out (a void one): what it was, from its own row."""
    who = (
        conn.execute(select(party.c.name, party.c.unit).where(party.c.id == row.party_id)).first()
        if row.party_id
        else None
    )
    return {
        "id": row.id,
        "number": row.number,
        "received": clock.local(row.received_at),
        "channel": row.channel,
        "kind": row.kind,
        "severity": row.severity,
        "who": who.name if who else row.caller_name or ANONYMOUS,
        "unit": who.unit if who else None,
        "summary": row.summary,
        "state": row.state,
        "dept": row.dept,
    }


def matters_for(conn: Connection, ids: list[int]) -> dict[int, str]:
    """Register numbers by id (for follow-ups that came from a complaint)."""
    if not ids:
        return {}
    return dict(
        conn.execute(
            select(complaint.c.id, complaint.c.number).where(complaint.c.id.in_(ids))
        ).all()
    )
