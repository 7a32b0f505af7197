"""The closed vocabularies of the domain: roles, channels, outcomes, statuses.

Kept free of heavy imports: the CLI builds its option choices from these.
"""

from enum import Enum
from typing import Any, TypeVar, overload

from careops.i18n import N_, gettext


class Role(str, Enum):
    butler = N_("butler")
    chief_butler = N_("chief-butler")
    supervisor = N_("supervisor")
    manager = N_("manager")
    health_butler = N_("health-butler")
    dept_head = N_("dept-head")
    office = N_("office")  # the register keeper (H3.1)
    leadership = N_("leadership")
    # The company's employee relations (E1, E2)
    employee = N_("employee")
    hr = N_("hr")
    gm = N_("gm")  # general manager of a company or subsidiary
    union = N_("union")
    chairman = N_("chairman")


class Channel(str, Enum):
    door = N_("door")
    phone = N_("phone")


class Outcome(str, Enum):
    reached = N_("reached")
    busy = N_("busy")
    no_answer = N_("no-answer")


class Status(str, Enum):
    occupied = N_("occupied")
    not_moved_in = N_("not-moved-in")


class ContactKind(str, Enum):
    committee_chair = N_("committee-chair")
    community_office = N_("community-office")
    housing_bureau = N_("housing-bureau")
    # The hospital's leadership keeps in touch with these (H3.2).
    government = N_("government")
    health_authority = N_("health-authority")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class CalendarFormat(str, Enum):
    """A list a butler may also import into a phone calendar."""

    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


class ReportFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class RegisterChannel(str, Enum):
    hotline = N_("hotline")
    letter = N_("letter")
    box = N_("box")
    visit = N_("visit")
    walk_in = N_("walk-in")


class RegisterKind(str, Enum):
    complaint = N_("complaint")
    suggestion = N_("suggestion")
    inquiry = N_("inquiry")
    praise = N_("praise")
    feedback = N_("feedback")  # raised on a visit, written on the Owner Feedback Form (P5.1)


class Severity(str, Enum):
    urgent = N_("urgent")
    general = N_("general")
    major = N_("major")


class Verdict(str, Enum):
    yes = N_("yes")
    no = N_("no")


class InterviewKind(str, Enum):
    """A conversation between a manager (or HR) and an employee (E1.3, E2.1, E2.2)."""

    one_to_one = N_("one-to-one")
    probation = N_("probation")
    pay_change = N_("pay-change")
    transfer = N_("transfer")
    appraisal = N_("appraisal")
    career = N_("career")
    resignation = N_("resignation")
    exit = N_("exit")


# The events recorded for an employee that call for a work interview (E2.2).
STAFF_EVENTS = ("pay-change", "transfer", "appraisal", "career", "resignation")


class ExitBy(str, Enum):
    hr = N_("hr")
    manager = N_("manager")


class LeaveStep(str, Enum):
    handover = N_("handover")
    exit_interview = N_("exit-interview")
    audit = N_("audit")
    final_pay = N_("final-pay")


class AppealChannel(str, Enum):
    in_person = N_("in-person")
    written = N_("written")


class Grounds(str, Enum):
    interests = N_("interests")  # their interests are harmed
    measure = N_("measure")  # they disagree with a management measure
    breach = N_("breach")  # they see a breach of company rules


class NotifyTo(str, Enum):
    appellant = N_("appellant")
    gm = N_("gm")
    hr = N_("hr")


class Via(str, Enum):
    written = N_("written")
    email = N_("email")


class MeetingKind(str, Enum):
    """The hospital's feedback meetings (H3.4, H3.5, H3.6)."""

    ward_forum = N_("ward-forum")  # each clinical department, monthly
    hospital_ward_forum = N_("hospital-ward-forum")  # the hospital, quarterly
    volunteer_supervisors = N_("volunteer-supervisors")  # yearly
    community_reps = N_("community-reps")  # yearly


class OpinionKind(str, Enum):
    """What a meeting's opinion becomes (`meeting opinion --kind`)."""

    opinion = N_("opinion")
    cooperation = N_("cooperation")


class Audience(str, Enum):
    patients = N_("patients")  # H3.3
    residents = N_("residents")  # P4.10
    employees = N_("employees")  # E3


class GroupBy(str, Enum):
    dept = "dept"
    zone = "zone"


# Words careops stores and shows: statuses and states (the enums' values above are shown the same way).
STATES = (
    N_("due"),
    N_("overdue"),
    N_("open"),
    N_("closed"),
    N_("done"),
    N_("cancelled"),
    N_("held"),
    N_("decided"),
    N_("waiting"),
    N_("routed"),
    N_("resolved"),
    N_("archived"),
    N_("explained"),
    N_("draft"),
    N_("approved"),
    N_("missed"),
    N_("lapsed"),  # a `may` past its deadline, never done: it is never overdue
    N_("today"),
    N_("planned"),
    N_("left"),
    N_("void"),
    N_("must"),
    N_("should"),
    N_("may"),
    N_("cadence"),
    N_("followup"),
    N_("deadline"),
    N_("trigger"),
    N_("month"),
    N_("two-month"),
    N_("quarter"),
    N_("half-year"),
    N_("year"),
    N_("household"),
    N_("contact"),
    N_("zone-butler"),
    N_("staff"),
    N_("dept"),
)
# The events of the built-in policy (`careops event REF KIND`), shown in a follow-up's why.
EVENTS = (
    N_("activity"),
    N_("bereavement"),
    N_("commission-done"),
    N_("complaint-resolved"),
    N_("emergency-repair"),
    N_("fee-arrears"),
    N_("feedback-resolved"),
    N_("leak-repair"),
    N_("major-complaint-resolved"),
    N_("move-in"),
    N_("new-service"),
    N_("pregnancy"),
    N_("birth"),
    N_("survey"),
    N_("wedding"),
)
VOCABULARY = (
    frozenset(STATES)
    | frozenset(EVENTS)
    | {
        m.value
        for enum in (
            Role,
            Channel,
            Outcome,
            Status,
            ContactKind,
            RegisterChannel,
            RegisterKind,
            Severity,
            Verdict,
            InterviewKind,
            ExitBy,
            LeaveStep,
            AppealChannel,
            Grounds,
            NotifyTo,
            Via,
            MeetingKind,
            OpinionKind,
            Audience,
        )
        for m in enum
    }
)


_T = TypeVar("_T")


@overload
def word(value: str) -> str: ...  # a stored word, or a careops enum (their values are words)
@overload
def word(value: Enum) -> Any: ...  # another enum: its value
@overload
def word(value: _T) -> _T: ...  # a number, a date, None: unchanged
def word(value: Any) -> Any:
    """A stored word (`overdue`, `door`, `hr`…) as people read it in the language in force; anything else unchanged."""
    if isinstance(value, Enum):
        value = value.value
    return gettext(value) if isinstance(value, str) and value in VOCABULARY else value
