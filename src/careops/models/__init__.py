"""SQLModel tables: the recorded facts. Times are naive UTC; nothing is hard-deleted.

Households and external contacts (committee chair, community office…) are both
*parties*: anyone a visit or a call can be logged against.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    false,
    func,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlmodel import Field, SQLModel


def _ts(index: bool = False, nullable: bool = False) -> Any:  # sqlmodel's Field is typed Any
    return Field(default=None, sa_type=DateTime(), nullable=nullable, index=index)


def _from_name(key: str) -> Callable[[DefaultExecutionContext], str]:
    """A column default computing the name's pinyin or initials from the row's `name` on every INSERT, ORM or
    Core executemany alike (an UPDATE of the name sets both itself: see names.name_columns)."""

    def compute(context: DefaultExecutionContext) -> str:
        from careops.names import name_columns

        row = context.get_current_parameters()
        return name_columns(row.get("name") or "", person=row.get("kind") != "contact")[key]

    return compute


def _name_key(key: str) -> Any:  # as Field
    # NOT NULL with '' for a row written outside careops: NULLs would sort first on SQLite, last on PostgreSQL.
    return Field(
        default=None,
        sa_column=Column(
            key, String(), nullable=False, server_default="", default=_from_name(key), index=True
        ),
    )


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    # The name in pinyin (张三 -> zhangsan) and its initials (zs): typed as a REF and sorted by.
    name_pinyin: str | None = _name_key("name_pinyin")
    name_initials: str | None = _name_key("name_initials")
    role: str = Field(index=True)
    dept: str | None = None
    reports_to_id: int | None = Field(default=None, foreign_key="staff.id")
    phone: str | None = None
    created_at: datetime = _ts()
    # Employee relations (E1, E2): dates are local days.
    email: str | None = None
    hired: date | None = Field(default=None, sa_column=Column(Date()))
    probation_ends: date | None = Field(default=None, sa_column=Column(Date()))
    contract_ends: date | None = Field(default=None, sa_column=Column(Date()))
    key_position: bool = Field(
        default=False, sa_column=Column(Boolean(), nullable=False, server_default=false())
    )
    # The local day the current manager became the manager (E2.1 counts pairs, not people).
    reports_since: date | None = Field(default=None, sa_column=Column(Date()))


class Zone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    butler_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    health_butler_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = _ts()


class Party(SQLModel, table=True):
    __table_args__ = (
        # One live household per unit. The migration gives PostgreSQL the same WHERE; naming the
        # postgresql dialect here would make every command import it (~40 ms).
        Index(
            "uq_party_household_unit",
            "unit",
            unique=True,
            sqlite_where=text("kind = 'household' AND voided_at IS NULL"),
        ),
        Index("ix_party_kind_status", "kind", "status"),
        # A butler's households: through their zones (due --staff, resident list --zone).
        Index("ix_party_zone_kind_status", "zone_id", "kind", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # household | contact
    name: str = Field(index=True)
    name_pinyin: str | None = _name_key("name_pinyin")  # as in Staff
    name_initials: str | None = _name_key("name_initials")
    unit: str | None = None
    zone_id: int | None = Field(default=None, foreign_key="zone.id")
    phone: str | None = None
    status: str | None = None  # households: occupied | not-moved-in
    contact_kind: str | None = None  # contacts: committee-chair | community-office | housing-bureau
    moved_in: date | None = Field(default=None, sa_column=Column(Date()))
    # The local day from which the party matches its current rules (creation or status change).
    status_since: date = Field(sa_column=Column(Date(), nullable=False))
    note: str | None = None
    created_at: datetime = _ts()
    voided_at: datetime | None = _ts(nullable=True)
    void_reason: str | None = None


class PartyTag(SQLModel, table=True):
    __tablename__ = "party_tag"

    party_id: int = Field(foreign_key="party.id", primary_key=True)
    tag: str = Field(primary_key=True, index=True)
    since: date = Field(sa_column=Column(Date(), nullable=False))


class Visit(SQLModel, table=True):
    __table_args__ = (
        Index("ix_visit_party_at", "party_id", "at"),
        Index("ix_visit_staff_at", "staff_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id")
    staff_id: int = Field(foreign_key="staff.id")
    channel: str  # door | phone
    at: datetime = _ts()
    minutes: int | None = None
    outcome: str = "reached"  # reached | busy | no-answer
    callback_at: datetime | None = _ts(nullable=True)
    note: str | None = None
    created_at: datetime = _ts()
    voided_at: datetime | None = _ts(nullable=True)
    void_reason: str | None = None


# The tables below are plain SQLAlchemy tables in the same metadata: written and read with Core
# statements only, they skip the cost of a SQLModel class (~3 ms each on every command's import).

visit_staff = Table(
    "visit_staff",
    SQLModel.metadata,  # the other staff on a joint visit (the first `--by` is visit.staff_id)
    Column("visit_id", Integer, ForeignKey("visit.id"), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), primary_key=True, index=True),
)

event = Table(
    # Something that happened and triggers follow-ups (P4): a move-in, a repair, a wedding… A community
    # activity (P4.5) is an event with no party, a name and the day it takes place.
    "event",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column("party_id", Integer, ForeignKey("party.id"), nullable=True),
    Column("kind", String, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("on_day", Date, nullable=True),
    Column("name", String, nullable=True),
    Column("note", String, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    # An event in an employee's working life (E2.2: pay change, transfer, appraisal…): the employee.
    Column("staff_id", Integer, ForeignKey("staff.id", name="fk_event_staff"), nullable=True),
    Index("ix_event_party_at", "party_id", "at"),
    Index("ix_event_staff_kind", "staff_id", "kind"),
)

rain_day = Table(
    "rain_day",
    SQLModel.metadata,  # a rainy day (P4.4: a leak repair is followed up after the first one)
    Column("day", Date, primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
)


class Complaint(SQLModel, table=True):
    """One register entry (H3.1): a hotline call, a letter, a box slip, a walk-in, a visit's feedback (P5.1)."""

    __table_args__ = (
        Index("ix_complaint_state", "state", "answered_at"),
        Index("ix_complaint_party", "party_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)  # C-2026-00042
    party_id: int | None = Field(default=None, foreign_key="party.id")
    caller_name: str | None = None  # a caller who is not a known resident
    caller_phone: str | None = None
    summary: str
    channel: str  # hotline | letter | box | visit | walk-in
    kind: str  # complaint | suggestion | inquiry | praise | feedback
    severity: str  # urgent | general | major
    received_at: datetime = _ts()
    clock_from: datetime = (
        _ts()
    )  # the answer deadline runs from here (registration, or the last reopening)
    state: str = "open"  # open (unrouted) | routed | resolved | closed
    dept: str | None = None
    handler_id: int | None = Field(default=None, foreign_key="staff.id")
    answered_at: datetime | None = _ts(nullable=True)
    resolved_at: datetime | None = _ts(nullable=True)
    closed_at: datetime | None = _ts(nullable=True)
    last_step_at: datetime = _ts()
    archived: bool = False
    archive_summary: str | None = None
    escalated: bool = False
    reopened: int = 0
    verdict: str | None = None  # the person's word at the revisit: yes | no
    source_visit_id: int | None = Field(default=None, foreign_key="visit.id")
    created_at: datetime = _ts()
    voided_at: datetime | None = _ts(nullable=True)
    void_reason: str | None = None


complaint_step = Table(
    "complaint_step",
    SQLModel.metadata,  # every step of a register entry, who took it and when: its whole history
    Column("id", Integer, primary_key=True),
    Column("complaint_id", Integer, ForeignKey("complaint.id"), nullable=False),
    Column(
        "action", String, nullable=False
    ),  # open | route | escalate | cohandle | chase | answer | resolve | …
    Column("at", DateTime, nullable=False),
    Column("actor", String, nullable=False),
    Column("actor_staff_id", Integer, ForeignKey("staff.id"), nullable=True),
    Column("dept", String, nullable=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), nullable=True),  # routed to, escalated to
    Column("note", String, nullable=True),
    Index("ix_complaint_step_complaint", "complaint_id", "at"),
)


class Obligation(SQLModel, table=True):
    """A due item written when a fact triggers it: a callback, a follow-up (P4, P5), a task."""

    __table_args__ = (
        Index("ix_obligation_state_owner", "state", "owner_id"),
        Index("ix_obligation_owner_state", "owner_id", "state"),
        Index("ix_obligation_party_state", "party_id", "state"),
        Index("ix_obligation_event", "event_id"),
        Index("ix_obligation_complaint", "complaint_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # callback | followup | task
    rule: str
    clause: str
    party_id: int | None = Field(
        default=None, foreign_key="party.id"
    )  # none: a caller who is not a resident
    owner_id: int | None = Field(default=None, foreign_key="staff.id")
    due_at: datetime | None = _ts(nullable=True)  # none while waiting (for rain)
    all_day: bool = False  # due by the end of due_at's local day
    opens_at: datetime | None = _ts(nullable=True)  # upcoming before this
    # When it opened (its trigger, or its window's start): a fact before this does not settle it.
    opened_at: datetime | None = _ts(nullable=True)
    expires_at: datetime | None = _ts(
        nullable=True
    )  # no longer listed from this (an activity's day)
    waiting_for: str | None = None  # rain
    after_day: date | None = Field(
        default=None, sa_column=Column(Date())
    )  # rain must fall after this local day
    channels: str | None = None  # "door" or "door,phone"; none: any
    strength: str | None = None
    title: str | None = None
    state: str = "open"  # open | done | cancelled
    event_id: int | None = Field(default=None, foreign_key="event.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    source_visit_id: int | None = Field(default=None, foreign_key="visit.id")
    done_visit_id: int | None = Field(default=None, foreign_key="visit.id")
    done_at: datetime | None = _ts(nullable=True)
    done_note: str | None = None
    cancelled_at: datetime | None = _ts(nullable=True)
    verdict: str | None = None
    note: str | None = None
    created_at: datetime = _ts()


obligation_need = Table(
    # A role that must be present for a joint follow-up (P5.3, P5.4, P4.11), and who holds it.
    "obligation_need",
    SQLModel.metadata,
    Column("obligation_id", Integer, ForeignKey("obligation.id"), primary_key=True),
    Column("role", String, primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), nullable=True, index=True),
    Column("dept", String, nullable=True),
)


class Audit(SQLModel, table=True):
    """Who did what, when: one append-only row per write (voids with their reasons included)."""

    __table_args__ = (
        Index("ix_audit_party_at", "party_id", "at"),
        Index("ix_audit_staff_at", "staff_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts()
    actor: str  # the staff member's name, CAREOPS_USER, or the OS user
    actor_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str  # add | edit | log | void | import | hand-over | …
    kind: str  # household | contact | staff | zone | visit | callback | site
    record_id: int | None = None
    party_id: int | None = Field(
        default=None, foreign_key="party.id"
    )  # the household or contact concerned
    staff_id: int | None = Field(default=None, foreign_key="staff.id")  # the staff member concerned
    detail: str | None = None
    reason: str | None = None


# Employee relations (E1, E2): conversations, leaving cases, appeals. Core tables, like the register's steps.

contract_term = Table(
    # Every labour contract end recorded for a staff member (E1.1), in the order recorded: `staff.contract_ends`
    # is the last one; a later end recorded is a renewal. The monthly report reads the contracts that ended in a
    # month from here, since a renewal overwrites `staff.contract_ends`.
    "contract_term",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "staff_id", Integer, ForeignKey("staff.id", name="fk_contract_term_staff"), nullable=False
    ),
    Column("ends", Date, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_contract_term_staff", "staff_id", "recorded_at"),
)

interview = Table(
    "interview",
    SQLModel.metadata,  # a one-to-one, a work interview (E2.1, E2.2) or an exit interview (E1.3)
    Column("id", Integer, primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), nullable=False),  # the employee
    Column("by_id", Integer, ForeignKey("staff.id"), nullable=False),  # the manager, or HR
    Column("kind", String, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("day", Date, nullable=False),  # the local day of `at`
    Column("minutes", Integer, nullable=False),
    Column("note", String, nullable=True),
    Column(
        "leave_id", Integer, ForeignKey("leave_case.id"), nullable=True
    ),  # the exit interview of a leaving case
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_interview_staff_kind_day", "staff_id", "kind", "day"),
    Index("ix_interview_by", "by_id"),
)

leave_case = Table(
    "leave_case",
    SQLModel.metadata,  # an employee leaving (E1.2) or moving to another department
    Column("id", Integer, primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), nullable=False),
    Column("kind", String, nullable=False),  # leave | transfer
    Column(
        "last_day", Date, nullable=False
    ),  # leaving: the last working day; a transfer: the day it starts
    Column("reason", String, nullable=True),
    Column("exit_by", String, nullable=True),  # hr | manager: who holds the exit interview (E1.3)
    Column(
        "key_position", Boolean, nullable=False
    ),  # held a key post when the case opened: a departure audit
    Column("from_dept", String, nullable=True),
    Column("to_dept", String, nullable=True),
    Column(
        "manager_id", Integer, ForeignKey("staff.id"), nullable=True
    ),  # the manager when the case opened
    Column("state", String, nullable=False),  # open | done
    Column("opened_at", DateTime, nullable=False),
    Column("closed_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_leave_case_staff", "staff_id"),
    Index("ix_leave_case_state", "state"),
)

leave_step = Table(
    "leave_step",
    SQLModel.metadata,  # the checklist of a leaving case, in order: done once, never undone
    Column("case_id", Integer, ForeignKey("leave_case.id"), primary_key=True),
    Column("step", String, primary_key=True),  # handover | exit-interview | audit | final-pay
    Column("position", Integer, nullable=False),
    Column("done_at", DateTime, nullable=True),
    Column("actor", String, nullable=True),
    Column("actor_staff_id", Integer, ForeignKey("staff.id"), nullable=True),
    Column("interview_id", Integer, ForeignKey("interview.id"), nullable=True),
    Column("note", String, nullable=True),
)

appeal = Table(
    "appeal",
    SQLModel.metadata,  # an employee's appeal (E2.6): confidential, climbing one level per round
    Column("id", Integer, primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), nullable=False),  # the appellant
    Column("grounds", String, nullable=True),  # interests | measure | breach (E2.6.1), when given
    Column("channel", String, nullable=False),  # in-person | written
    Column("signed", Boolean, nullable=False),
    Column("summary", String, nullable=False),
    Column("filed_at", DateTime, nullable=False),
    Column("round", Integer, nullable=False),  # 1, then one more per escalation
    Column("receiver_id", Integer, ForeignKey("staff.id"), nullable=False),  # this round's receiver
    Column(
        "round_at", DateTime, nullable=False
    ),  # when this round began (its decision deadline runs from here)
    Column("state", String, nullable=False),  # open | decided | closed
    Column("decision", String, nullable=True),
    Column("decided_at", DateTime, nullable=True),
    Column("closed_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_appeal_state", "state"),
    Index("ix_appeal_receiver", "receiver_id"),
)

appeal_step = Table(
    "appeal_step",
    SQLModel.metadata,  # every step of every round: the appeal's whole history
    Column("id", Integer, primary_key=True),
    Column("appeal_id", Integer, ForeignKey("appeal.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column(
        "action", String, nullable=False
    ),  # file | investigate | decide | notify | escalate | void
    Column("at", DateTime, nullable=False),
    Column("actor", String, nullable=False),
    Column("actor_staff_id", Integer, ForeignKey("staff.id"), nullable=True),
    Column(
        "receiver_id", Integer, ForeignKey("staff.id"), nullable=True
    ),  # file, escalate: the receiver; investigate: who was consulted
    Column("notified", String, nullable=True),  # notify: appellant | gm | hr
    Column("notified_staff_id", Integer, ForeignKey("staff.id"), nullable=True),
    Column("via", String, nullable=True),  # written | email
    Column("note", String, nullable=True),
    Index("ix_appeal_step_appeal", "appeal_id", "round"),
)

appeal_person = Table(
    "appeal_person",
    SQLModel.metadata,  # who an appeal involves: they (and HR) may see the appellant's name
    Column("appeal_id", Integer, ForeignKey("appeal.id"), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), primary_key=True, index=True),
    Column("role", String, primary_key=True),  # appellant | receiver | consulted | notified | actor
)


# The hospital office (H3.2–H3.7) and satisfaction surveys (H3.3, E3, P4.10). Core tables too.

dept = Table(
    # A department: clinical ones hold a ward forum every month (H3.6); the head chairs it and owns what a
    # failed disclosure check asks of the department (H3.7). staff.dept names one of these.
    "dept",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("clinical", Boolean, nullable=False),
    Column(
        "clinical_since", Date, nullable=True
    ),  # the local day it became clinical (its forums are owed from then)
    Column("head_id", Integer, ForeignKey("staff.id", name="fk_dept_head"), nullable=True),
    Column("created_at", DateTime, nullable=False),
)
# One department per name, whatever the case: two clerks naming "Ward 5" and "ward 5" at once record it once.
Index("uq_dept_lower_name", func.lower(dept.c.name), unique=True)

meeting = Table(
    # A feedback meeting (H3.4–H3.6): scheduled for a day, held once its minutes are recorded.
    "meeting",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "kind", String, nullable=False
    ),  # ward-forum | hospital-ward-forum | volunteer-supervisors | community-reps
    Column(
        "dept_id", Integer, ForeignKey("dept.id", name="fk_meeting_dept"), nullable=True
    ),  # a ward forum's department
    Column("chair_id", Integer, ForeignKey("staff.id", name="fk_meeting_chair"), nullable=True),
    Column("on_day", Date, nullable=False),  # the day it is (or was) scheduled for
    Column("held_day", Date, nullable=True),  # the local day it was held: set with its minutes
    Column("minutes", String, nullable=True),
    Column("held_at", DateTime, nullable=True),  # when the minutes were recorded
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_meeting_kind_day", "kind", "held_day"),
    Index("ix_meeting_dept", "dept_id"),
)

meeting_attendee = Table(
    "meeting_attendee",
    SQLModel.metadata,  # who attended, as the minutes name them (patients, carers, staff)
    Column(
        "meeting_id",
        Integer,
        ForeignKey("meeting.id", name="fk_attendee_meeting"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    Column("name", String, nullable=False),
)

action_item = Table(
    # Something to do with an owner and a due day: an opinion raised at a meeting (H3.4, H3.6), a cooperation
    # agreed with community units (H3.5), or what a failed disclosure check asks of a department (H3.7).
    "action_item",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String, nullable=False),  # opinion | cooperation | check
    Column("text", String, nullable=False),
    Column(
        "meeting_id", Integer, ForeignKey("meeting.id", name="fk_action_meeting"), nullable=True
    ),
    Column(
        "check_id",
        Integer,
        ForeignKey("disclosure_check.id", name="fk_action_check"),
        nullable=True,
    ),
    Column("owner_id", Integer, ForeignKey("staff.id", name="fk_action_owner"), nullable=False),
    Column("due", Date, nullable=False),
    Column("state", String, nullable=False),  # open | done | explained
    Column("closed_at", DateTime, nullable=True),
    Column("closed_note", String, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_action_item_state_owner", "state", "owner_id"),
    Index("ix_action_item_meeting", "meeting_id"),
)

disclosure_check = Table(
    # One look at one of the seven disclosure rules (H3.7.1 … H3.7.7): kept or not, in which department.
    "disclosure_check",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column("item", String, nullable=False),  # H3.7.1 … H3.7.7
    Column("ok", Boolean, nullable=False),
    Column("dept_id", Integer, ForeignKey("dept.id", name="fk_check_dept"), nullable=True),
    Column("day", Date, nullable=False),  # the local day it was checked
    Column("note", String, nullable=True),
    Column("by_id", Integer, ForeignKey("staff.id", name="fk_check_by"), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_disclosure_check_item_day", "item", "day"),
)

survey = Table(
    "survey",
    SQLModel.metadata,  # a satisfaction survey: patients (H3.3), residents (P4.10), employees (E3)
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("audience", String, nullable=False),  # patients | residents | employees
    Column("opens", Date, nullable=False),
    Column("closes", Date, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column(
        "event_id", Integer, ForeignKey("event.id", name="fk_survey_event"), nullable=True
    ),  # residents: P4.10 visits
    Column("created_at", DateTime, nullable=False),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
    Index("ix_survey_audience_opens", "audience", "opens"),
)

survey_question = Table(
    "survey_question",
    SQLModel.metadata,
    Column(
        "survey_id", Integer, ForeignKey("survey.id", name="fk_question_survey"), primary_key=True
    ),
    Column("key", String, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("text", String, nullable=False),
)

survey_answer = Table(
    # One answer. An anonymous one is unlinkable: a random id (no order of arrival), the day only, no person and
    # nobody who typed it in; its group (department or zone) is what the card says, never derived from a person.
    "survey_answer",
    SQLModel.metadata,
    Column("id", String(32), primary_key=True),
    Column("survey_id", Integer, ForeignKey("survey.id", name="fk_answer_survey"), nullable=False),
    Column("day", Date, nullable=False),
    Column("dept", String, nullable=True),
    Column("zone_id", Integer, ForeignKey("zone.id", name="fk_answer_zone"), nullable=True),
    Column("comment", String, nullable=True),
    # Named answers only (never set on an anonymous survey's answers; employee surveys are always anonymous):
    Column("party_id", Integer, ForeignKey("party.id", name="fk_answer_party"), nullable=True),
    Column("respondent", String, nullable=True),  # a patient's name as given
    Index("ix_survey_answer_survey", "survey_id"),
    sqlite_with_rowid=False,  # no hidden rowid counting the answers in order of arrival
)

survey_score = Table(
    "survey_score",
    SQLModel.metadata,  # one question's score (1–5) in one answer
    Column(
        "answer_id",
        String(32),
        ForeignKey("survey_answer.id", name="fk_score_answer"),
        primary_key=True,
    ),
    Column("key", String, primary_key=True),
    Column("score", Integer, nullable=False),
    sqlite_with_rowid=False,
)


# Visit plans (P1): a butler's month, drafted by careops and approved by the butler department's supervisor.

visit_plan = Table(
    # A butler's plan for one month (its days in visit_plan_item), or for one year (an approval only: the year's
    # plan is every household under the butler's cadence rules, each month).
    "visit_plan",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id", name="fk_plan_staff"), nullable=False),
    Column("period", String, nullable=False),  # month | year
    Column("first_day", Date, nullable=False),  # the month's or the year's first day
    Column("created_at", DateTime, nullable=False),
    Column("approved_at", DateTime, nullable=True),
    Column(
        "approved_by_id", Integer, ForeignKey("staff.id", name="fk_plan_approved_by"), nullable=True
    ),
    Column("voided_at", DateTime, nullable=True),
    Column("void_reason", String, nullable=True),
)
# One live plan per butler and period: two supervisors drafting at once record one.
Index(
    "uq_visit_plan_live",
    visit_plan.c.staff_id,
    visit_plan.c.period,
    visit_plan.c.first_day,
    unique=True,
    sqlite_where=visit_plan.c.voided_at.is_(None),
    postgresql_where=visit_plan.c.voided_at.is_(None),
)

visit_plan_item = Table(
    "visit_plan_item",
    SQLModel.metadata,  # one household's planned day under one rule (P1 monthly visit, P1 owners' call)
    Column(
        "plan_id", Integer, ForeignKey("visit_plan.id", name="fk_plan_item_plan"), primary_key=True
    ),
    Column(
        "party_id", Integer, ForeignKey("party.id", name="fk_plan_item_party"), primary_key=True
    ),
    Column("rule", String, primary_key=True),
    Column("day", Date, nullable=False),
    Column(
        "channel", String, nullable=False
    ),  # door | phone: how it is planned (the rule's first channel)
    Index("ix_visit_plan_item_plan_day", "plan_id", "day"),
    Index("ix_visit_plan_item_party", "party_id"),
)
