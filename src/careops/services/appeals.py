"""Employee appeals (E2.6): filed with a receiver, investigated, decided, notified, escalated up the line.

An appeal is confidential: its appellant, summary, notes and decision are shown only to
the people it involves (appellant, receivers, those consulted or notified, whoever took
a step) and to HR; everyone else sees "(confidential)". The audit names no appellant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlmodel import Session

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import Text, _
from careops.policy.models import Policy
from careops.scheduler.deadlines import offset
from careops.scheduler.owners import departed, left_before, role_holder
from careops.scheduler.people import CONFIDENTIAL, RECIPIENTS, may_see
from careops.scheduler.tables import appeal, appeal_person, appeal_step, staff
from careops.services.audit import actor_of, note
from careops.services.refs import MAX_ID, Record, resolve_staff
from careops.services.staff import reporting_line
from careops.vocab import AppealChannel, Grounds, NotifyTo, Via

# What this module says to people (one place, ready for translation).
UNSIGNED = _(
    "a written appeal must be signed, or it is not accepted ({clause}): have {name} sign it, then file it "
    "again with --signed. Nothing was recorded."
)
TO_SELF = _(
    "{name} cannot receive their own appeal: --to names a manager, HR, the union, the general manager or chairman."
)
SKIPS_LEVELS = _(
    "{receiver} is above {name}'s direct manager ({manager}): appeals go level by level, or straight to the "
    "department head or the general manager; skipping levels is discouraged ({clause}). Recorded all the same."
)
NEED_SUMMARY = _("say what the appeal is about with --summary.")
NEED_NOTE = _("say what was found with --note.")
NEED_DECISION = _("write the decision with --decision.")
NO_APPEAL = _("there is no appeal #{id}. See `careops appeal list`.")
APPEAL_VOID = _("appeal #{id} is void ({reason}).")
DECIDED_ALREADY = _(
    "round {round} of appeal #{id} is decided already ({at:%Y-%m-%d}); an appellant who is not "
    "satisfied escalates it: `careops appeal escalate {id}`."
)
NOT_DECIDED = _(
    "round {round} of appeal #{id} is not decided yet: `careops appeal decide {id} --decision TEXT` first."
)
CLOSED = _(
    "appeal #{id} is closed (everyone was notified on {at:%Y-%m-%d}); if the appellant is not "
    "satisfied: `careops appeal escalate {id}`."
)
ROUND_NOT_DECIDED = _(
    "round {round} of appeal #{id} has no decision to notify (the appeal is in round {current})."
)
NOT_A_RECEIVER = _(
    "{receiver} cannot receive an appeal ({clause}): an appeal goes to a manager (someone with reports), or to "
    "someone with role {roles}. Name one of them with --to."
)
NOTIFIED_ALREADY = _(
    "the {to} was notified already for round {round} ({at:%Y-%m-%d %H:%M}, {via})."
)
FUTURE = _(
    "{at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); record the notification once it is sent."
)
FUTURE_FILING = _(
    "{at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); file the appeal once it is received."
)
NOT_TOLD = _(
    "the appellant has not been notified of round {round}'s decision yet: notify them first "
    "(`careops appeal notify {id} --to appellant --via written`); an appellant not satisfied with it then escalates."
)
BEFORE_DECISION = _("{at:%Y-%m-%d %H:%M} is before the decision ({decided:%Y-%m-%d %H:%M}).")
NO_GM = _(
    "nobody with role gm is above {name} or on record: add the general manager (`careops staff add NAME --role gm`) "
    "so the decision can be notified to them."
)
NO_HR = _(
    "nobody has role hr: add the HR officer (`careops staff add NAME --role hr`) so the decision can be notified to HR."
)
TOP = _("{receiver} is at the top ({role}): there is no level above to escalate to.")
NO_CHAIRMAN = _(
    "{receiver} has no manager and nobody has role chairman: record the line "
    "(`careops staff edit {receiver} --reports-to STAFF`)."
)
AUDIT_FILED = _("appeal #{id} filed ({channel}), round 1 to {receiver}")
AUDIT_STEP = _("appeal #{id} round {round}: {action}")
AUDIT_NOTIFY = _("appeal #{id} round {round}: {to} notified by {via}")
SKIPPED_LEFT = _("passed over {names} (left): round {round} goes to {receiver}.")
AUDIT_ESCALATED = _("appeal #{id} escalated: round {round} to {receiver}")


@dataclass
class AppealResult:
    id: int
    round: int
    receiver: str
    state: str
    warnings: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # recipients still to notify
    notified: str | None = None  # the person notified


def file_appeal(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    employee: str,
    to: str,
    channel: AppealChannel,
    summary: str,
    signed: bool = False,
    grounds: Grounds | None = None,
    at: datetime | None = None,
) -> AppealResult:
    clause = policy.clause_of("appeal-decision").rpartition(".")[0]  # E2.6.5 -> E2.6
    conn = session.connection()
    person = resolve_staff(conn, employee)
    if channel == AppealChannel.written and not signed:
        raise InvalidInput(UNSIGNED.format(clause=clause + ".4", name=person.name))
    receiver = resolve_staff(conn, to)
    if receiver.id == person.id:
        raise InvalidInput(TO_SELF.format(name=person.name))
    _may_receive(conn, policy, receiver, clock.today)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(NEED_SUMMARY)
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE_FILING.format(at=at, now=clock.now))
    warnings = []
    line = reporting_line(conn, person.id)
    above = {p.id: p for p in line[2:]}  # beyond the direct manager
    if receiver.id in above and receiver.role not in ("dept-head", "gm"):
        warnings.append(
            SKIPS_LEVELS.format(
                receiver=receiver.name, name=person.name, manager=line[1].name, clause=clause + ".3"
            )
        )
    new_id = conn.execute(
        insert(appeal)
        .values(
            staff_id=person.id,
            grounds=grounds.value if grounds else None,
            channel=channel.value,
            signed=signed,
            summary=summary,
            filed_at=at_utc,
            round=1,
            receiver_id=receiver.id,
            round_at=at_utc,
            state="open",
            created_at=clock.now_utc,
        )
        .returning(appeal.c.id)
    ).scalar_one()
    _step(session, clock, new_id, 1, "file", receiver_id=receiver.id, at=at_utc)
    _involve(conn, new_id, [(person.id, "appellant"), (receiver.id, "receiver")])
    note(
        session,
        clock,
        action="file",
        kind="appeal",
        record_id=new_id,
        detail=AUDIT_FILED.format(id=new_id, channel=channel.value, receiver=receiver.name),
    )
    return AppealResult(new_id, 1, receiver.name, "open", warnings)


def _may_receive(conn: Connection, policy: Policy, receiver: Record, today: date) -> None:
    """E2.6.2: management (anyone who manages someone today), or a role the decision rule's `settled_by` names
    (HR, the union, the general manager, the chairman…); a peer is refused, and so is someone who has left."""
    rule = policy.first("appeal-decision")
    roles = [r.value for r in rule.settled_by] if rule else []
    manages = conn.execute(
        select(staff.c.id).where(staff.c.reports_to_id == receiver.id, ~left_before(today)).limit(1)
    ).first()
    gone = receiver.id in departed(conn, today)
    if gone or (roles and receiver.role not in roles and manages is None):
        clause = rule.clause.rpartition(".")[0] + ".2" if rule else ""
        raise InvalidInput(
            NOT_A_RECEIVER.format(receiver=receiver.name, clause=clause, roles=", ".join(roles))
        )


def investigate(
    *,
    session: Session,
    clock: Clock,
    appeal_id: int,
    note_text: str,
    with_staff: list[str] | None = None,
) -> AppealResult:
    conn = session.connection()
    note_text = (note_text or "").strip()
    if not note_text:
        raise InvalidInput(NEED_NOTE)
    row = _appeal(conn, appeal_id)
    _must_be_open(row, clock)
    people = [resolve_staff(conn, ref) for ref in (with_staff or [])]
    for person in people if people else [None]:  # nobody named: one step all the same
        _step(
            session,
            clock,
            row.id,
            row.round,
            "investigate",
            note=note_text,
            receiver_id=person.id if person else None,
        )
    _involve(conn, row.id, [(p.id, "consulted") for p in people])
    note(
        session,
        clock,
        action="investigate",
        kind="appeal",
        record_id=row.id,
        detail=AUDIT_STEP.format(id=row.id, round=row.round, action="investigate"),
    )
    return AppealResult(row.id, row.round, row.receiver_name, row.state)


def decide(*, session: Session, clock: Clock, appeal_id: int, decision: str) -> AppealResult:
    conn = session.connection()
    decision = (decision or "").strip()
    if not decision:
        raise InvalidInput(NEED_DECISION)
    row = _appeal(conn, appeal_id)
    _must_be_open(row, clock)
    conn.execute(
        update(appeal)
        .where(appeal.c.id == row.id)
        .values(state="decided", decision=decision, decided_at=clock.now_utc)
    )
    _step(session, clock, row.id, row.round, "decide", note=decision)
    note(
        session,
        clock,
        action="decide",
        kind="appeal",
        record_id=row.id,
        detail=AUDIT_STEP.format(id=row.id, round=row.round, action="decide"),
    )
    return AppealResult(row.id, row.round, row.receiver_name, "decided", left=list(RECIPIENTS))


def notify(
    *,
    session: Session,
    clock: Clock,
    appeal_id: int,
    to: NotifyTo,
    via: Via,
    at: datetime | None = None,
    round_: int | None = None,
) -> AppealResult:
    """Record that `to` was told a round's decision: `round_`, else the latest decided round `to` was not told
    of (the current round's first; an escalated round's general manager and HR stay owed, E2.6.5). The appeal
    closes once the current round is decided and everyone of every decided round has been told."""
    conn = session.connection()
    row = _appeal(conn, appeal_id)
    if row.state == "closed":
        raise Conflict(CLOSED.format(id=row.id, at=clock.local(row.closed_at)))
    decided = _decided_rounds(conn, row.id)
    if round_ is None:
        owed = [r for r in sorted(decided, reverse=True) if to.value not in decided[r][1]]
        if not decided or (row.state == "open" and not owed):
            raise Conflict(NOT_DECIDED.format(round=row.round, id=row.id))
        round_ = owed[0] if owed else row.round
    elif round_ not in decided:
        raise Conflict(ROUND_NOT_DECIDED.format(round=round_, id=row.id, current=row.round))
    decided_at, done = decided[round_]
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE.format(at=at, now=clock.now))
    if at_utc < decided_at:
        raise InvalidInput(
            BEFORE_DECISION.format(at=clock.local(at_utc), decided=clock.local(decided_at))
        )
    if to.value in done:
        prior = done[to.value]
        raise Conflict(
            NOTIFIED_ALREADY.format(
                to=to.value, round=round_, at=clock.local(prior.at), via=prior.via
            )
        )
    person = _recipient(conn, row, to, clock.today)
    _step(
        session,
        clock,
        row.id,
        round_,
        "notify",
        notified=to.value,
        notified_staff_id=person.id if person else None,
        via=via.value,
        at=at_utc,
    )
    if person is not None:
        _involve(conn, row.id, [(person.id, "notified")])
    left = [r for r in RECIPIENTS if r not in done and r != to.value]
    others_owed = any(
        set(RECIPIENTS) - set(told) for r, (_, told) in decided.items() if r != round_
    )
    state = row.state
    if row.state == "decided" and not left and not others_owed:
        state = "closed"
        conn.execute(
            update(appeal)
            .where(appeal.c.id == row.id)
            .values(state="closed", closed_at=clock.now_utc)
        )
    note(
        session,
        clock,
        action="notify",
        kind="appeal",
        record_id=row.id,
        detail=AUDIT_NOTIFY.format(id=row.id, round=round_, to=to.value, via=via.value),
    )
    return AppealResult(
        row.id,
        round_,
        row.receiver_name,
        state,
        left=left,
        notified=person.name if person else None,
    )


def _decided_rounds(conn: Connection, appeal_id: int) -> dict[int, tuple[datetime, dict[str, Any]]]:
    """Each decided round of the appeal -> (when it was decided, {recipient: the notify step} told so far)."""
    steps = conn.execute(
        select(
            appeal_step.c.round,
            appeal_step.c.action,
            appeal_step.c.at,
            appeal_step.c.notified,
            appeal_step.c.via,
        ).where(
            appeal_step.c.appeal_id == appeal_id,
            appeal_step.c.action.in_(("decide", "notify")),
        )
    ).all()
    found: dict[int, tuple[datetime, dict[str, Any]]] = {
        s.round: (s.at, {}) for s in steps if s.action == "decide"
    }
    for s in steps:
        if s.action == "notify" and s.round in found:
            found[s.round][1][s.notified] = s
    return found


def _recipient(conn: Connection, row: Record, to: NotifyTo, today: date) -> Record:
    if to == NotifyTo.appellant:
        return conn.execute(
            select(staff.c.id, staff.c.name).where(staff.c.id == row.staff_id)
        ).one()
    if to == NotifyTo.hr:
        holder = role_holder(conn, "hr", today)
        if holder is None:
            raise Conflict(NO_HR)
        return conn.execute(select(staff.c.id, staff.c.name).where(staff.c.id == holder[0])).one()
    gm = appellants_gm(conn, row.staff_id, today)
    if gm is None:
        raise Conflict(NO_GM.format(name=row.appellant_name))
    return gm


def appellants_gm(conn: Connection, staff_id: int, today: date) -> Record | None:
    """The appellant's general manager: the first gm up their reporting line, else the gm on record."""
    line: list[Record] = reporting_line(conn, staff_id)
    for person in line[1:]:
        if person.role == "gm":
            return person
    holder = role_holder(conn, "gm", today)
    if holder is None:
        return None
    return conn.execute(select(staff.c.id, staff.c.name).where(staff.c.id == holder[0])).one()


def escalate(
    *, session: Session, clock: Clock, appeal_id: int, note_text: str | None = None
) -> AppealResult:
    """The appellant is not satisfied: the next round goes to the nearest manager up the receiver's line who
    has not left, up to the chairman."""
    conn = session.connection()
    row = _appeal(conn, appeal_id)
    if row.state == "open":
        raise Conflict(NOT_DECIDED.format(round=row.round, id=row.id))
    told = conn.execute(
        select(appeal_step.c.id).where(
            appeal_step.c.appeal_id == row.id,
            appeal_step.c.round == row.round,
            appeal_step.c.action == "notify",
            appeal_step.c.notified == "appellant",
        )
    ).first()
    if told is None:
        raise Conflict(NOT_TOLD.format(round=row.round, id=row.id))
    current = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role, staff.c.reports_to_id).where(
            staff.c.id == row.receiver_id
        )
    ).one()
    if current.role == "chairman":
        raise Conflict(TOP.format(receiver=current.name, role=current.role))
    # The nearest manager up the receiver's line who has not left (anyone who has is passed over).
    gone = departed(conn, clock.today)
    skipped: list[str] = []
    next_id = None
    for person in reporting_line(conn, current.id)[1:]:
        if person.id not in gone:
            next_id = person.id
            break
        skipped.append(person.name)
    if next_id is None or next_id == row.staff_id:
        chairman = role_holder(conn, "chairman", clock.today)
        if chairman is None or chairman[0] in (current.id, row.staff_id):
            raise Conflict(NO_CHAIRMAN.format(receiver=current.name))
        next_id = chairman[0]
    receiver = conn.execute(select(staff.c.id, staff.c.name).where(staff.c.id == next_id)).one()
    new_round = row.round + 1
    conn.execute(
        update(appeal)
        .where(appeal.c.id == row.id)
        .values(
            round=new_round,
            receiver_id=receiver.id,
            round_at=clock.now_utc,
            state="open",
            decision=None,
            decided_at=None,
            closed_at=None,
        )
    )
    _step(
        session,
        clock,
        row.id,
        new_round,
        "escalate",
        receiver_id=receiver.id,
        note=(note_text or "").strip() or None,
    )
    _involve(conn, row.id, [(receiver.id, "receiver")])
    note(
        session,
        clock,
        action="escalate",
        kind="appeal",
        record_id=row.id,
        detail=AUDIT_ESCALATED.format(id=row.id, round=new_round, receiver=receiver.name),
    )
    warnings = (
        [SKIPPED_LEFT.format(names=", ".join(skipped), round=new_round, receiver=receiver.name)]
        if skipped
        else []
    )
    return AppealResult(row.id, new_round, receiver.name, "open", warnings=warnings)


def _must_be_open(row: Record, clock: Clock) -> None:
    if row.state == "closed":
        raise Conflict(CLOSED.format(id=row.id, at=clock.local(row.closed_at)))
    if row.state == "decided":
        raise Conflict(
            DECIDED_ALREADY.format(round=row.round, id=row.id, at=clock.local(row.decided_at))
        )


def _appeal(conn: Connection, appeal_id: int, *, lock: bool = True) -> Record:
    if not 0 < appeal_id <= MAX_ID:
        raise NotFound(NO_APPEAL.format(id=appeal_id))
    receiver = staff.alias("receiver")
    appellant = staff.alias("appellant")
    query = (
        select(
            appeal, receiver.c.name.label("receiver_name"), appellant.c.name.label("appellant_name")
        )
        .select_from(
            appeal.join(receiver, receiver.c.id == appeal.c.receiver_id).join(
                appellant, appellant.c.id == appeal.c.staff_id
            )
        )
        .where(appeal.c.id == appeal_id)
    )
    row = conn.execute(query.with_for_update(of=appeal) if lock else query).first()
    if row is None:
        raise NotFound(NO_APPEAL.format(id=appeal_id))
    if row.voided_at is not None:
        raise Conflict(APPEAL_VOID.format(id=appeal_id, reason=row.void_reason))
    return row


def _step(
    session: Session,
    clock: Clock,
    appeal_id: int,
    round_: int,
    action: str,
    *,
    at: datetime | None = None,
    **values: object,
) -> None:
    actor = actor_of(session)
    session.connection().execute(
        insert(appeal_step).values(
            appeal_id=appeal_id,
            round=round_,
            action=action,
            at=at or clock.now_utc,
            actor=actor.name,
            actor_staff_id=actor.staff_id,
            **values,
        )
    )
    if actor.staff_id is not None:
        _involve(session.connection(), appeal_id, [(actor.staff_id, "actor")])


def _involve(conn: Connection, appeal_id: int, people: list[tuple[int, str]]) -> None:
    """Record who the appeal involves (once per person and role)."""
    for staff_id, role in people:
        known = conn.execute(
            select(appeal_person.c.staff_id).where(
                appeal_person.c.appeal_id == appeal_id,
                appeal_person.c.staff_id == staff_id,
                appeal_person.c.role == role,
            )
        ).first()
        if known is None:
            conn.execute(
                insert(appeal_person).values(appeal_id=appeal_id, staff_id=staff_id, role=role)
            )


# Reading --------------------------------------------------------------------------------------------


def list_appeals(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    viewer: Record | None = None,
    open_only: bool = False,
) -> list[dict[str, Any]]:
    conn = session.connection()
    receiver = staff.alias("receiver")
    appellant = staff.alias("appellant")
    visible = may_see(conn, viewer.id if viewer else None, viewer.role if viewer else None).label(
        "visible"
    )
    conds = [appeal.c.voided_at.is_(None), appeal.c.created_at <= clock.now_utc]
    if open_only:
        conds.append(appeal.c.state != "closed")
    rows = conn.execute(
        select(
            appeal.c.id,
            appeal.c.filed_at,
            appeal.c.round,
            appeal.c.state,
            appeal.c.grounds,
            appeal.c.channel,
            appeal.c.round_at,
            appeal.c.decided_at,
            appellant.c.name.label("appellant"),
            receiver.c.name.label("receiver"),
            visible,
        )
        .select_from(
            appeal.join(receiver, receiver.c.id == appeal.c.receiver_id).join(
                appellant, appellant.c.id == appeal.c.staff_id
            )
        )
        .where(*conds)
        .order_by(appeal.c.id)
    ).all()
    calendar = WorkCalendar()
    return [
        {
            "id": r.id,
            "filed": clock.local(r.filed_at),
            "appellant": r.appellant if r.visible else CONFIDENTIAL,
            "grounds": r.grounds,
            "channel": r.channel,
            "round": r.round,
            "receiver": r.receiver,
            "state": r.state,
            "due": _due(policy, clock, calendar, r),
        }
        for r in rows
    ]


def next_due(*, session: Session, clock: Clock, policy: Policy, appeal_id: int) -> date | None:
    """The appeal's next deadline: this round's decision, or its notification (None once closed)."""
    return _due(policy, clock, WorkCalendar(), _appeal(session.connection(), appeal_id, lock=False))


def _due(policy: Policy, clock: Clock, calendar: WorkCalendar, row: Record) -> date | None:
    if row.state == "closed":
        return None
    rule = policy.first("appeal-decision" if row.state == "open" else "appeal-notify")
    if rule is None or rule.due_in is None:
        return None
    start = row.round_at if row.state == "open" else row.decided_at
    due = offset(rule.due_in, clock.local(start), calendar)
    return due.date() if isinstance(due, datetime) else due


def show_appeal(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    appeal_id: int,
    viewer: Record | None = None,
) -> dict[str, Any]:
    conn = session.connection()
    if not 0 < appeal_id <= MAX_ID:
        raise NotFound(NO_APPEAL.format(id=appeal_id))
    receiver = staff.alias("receiver")
    appellant = staff.alias("appellant")
    visible = may_see(conn, viewer.id if viewer else None, viewer.role if viewer else None).label(
        "visible"
    )
    row = conn.execute(
        select(
            appeal, appellant.c.name.label("appellant"), receiver.c.name.label("receiver"), visible
        )
        .select_from(
            appeal.join(receiver, receiver.c.id == appeal.c.receiver_id).join(
                appellant, appellant.c.id == appeal.c.staff_id
            )
        )
        .where(appeal.c.id == appeal_id)
    ).first()
    if row is None:
        raise NotFound(NO_APPEAL.format(id=appeal_id))
    seen = bool(row.visible)
    other = staff.alias("other")
    notified = staff.alias("notified")
    steps = conn.execute(
        select(
            appeal_step, other.c.name.label("receiver_name"), notified.c.name.label("notified_name")
        )
        .select_from(
            appeal_step.outerjoin(other, other.c.id == appeal_step.c.receiver_id).outerjoin(
                notified, notified.c.id == appeal_step.c.notified_staff_id
            )
        )
        .where(appeal_step.c.appeal_id == appeal_id)
        .order_by(appeal_step.c.at, appeal_step.c.id)
    ).all()

    def secret(text: str | None) -> Text | None:
        return text if seen else (CONFIDENTIAL if text else None)

    return {
        "id": row.id,
        "appellant": row.appellant if seen else CONFIDENTIAL,
        "grounds": row.grounds,
        "channel": row.channel,
        "signed": bool(row.signed),
        "summary": secret(row.summary),
        "filed": clock.local(row.filed_at),
        "round": row.round,
        "receiver": row.receiver,
        "state": row.state,
        "decision": secret(row.decision),
        "decided": clock.local(row.decided_at),
        "closed": clock.local(row.closed_at),
        "due": None if row.voided_at else _due(policy, clock, WorkCalendar(), row),
        "void": {"at": clock.local(row.voided_at), "reason": row.void_reason}
        if row.voided_at
        else None,
        "steps": [
            {
                "round": s.round,
                "action": s.action,
                "at": clock.local(s.at),
                "by": CONFIDENTIAL
                if not seen and (s.actor_staff_id == row.staff_id or s.actor == row.appellant)
                else s.actor,
                "with": (
                    s.receiver_name if seen or s.action in ("file", "escalate") else CONFIDENTIAL
                )
                if s.receiver_name
                else None,
                "notified": s.notified,
                "via": s.via,
                "note": secret(s.note),
            }
            for s in steps
        ],
    }
