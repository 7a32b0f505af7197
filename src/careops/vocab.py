"""The closed vocabularies of the domain: roles, channels, outcomes, statuses.

Kept free of heavy imports: the CLI builds its option choices from these.
"""

from enum import Enum


class Role(str, Enum):
    butler = "butler"
    chief_butler = "chief-butler"
    supervisor = "supervisor"
    manager = "manager"
    health_butler = "health-butler"
    dept_head = "dept-head"
    office = "office"  # the register keeper (H3.1)
    leadership = "leadership"
    # The company's employee relations (E1, E2)
    employee = "employee"
    hr = "hr"
    gm = "gm"  # general manager of a company or subsidiary
    union = "union"
    chairman = "chairman"


class Channel(str, Enum):
    door = "door"
    phone = "phone"


class Outcome(str, Enum):
    reached = "reached"
    busy = "busy"
    no_answer = "no-answer"


class Status(str, Enum):
    occupied = "occupied"
    not_moved_in = "not-moved-in"


class ContactKind(str, Enum):
    committee_chair = "committee-chair"
    community_office = "community-office"
    housing_bureau = "housing-bureau"
    # The hospital's leadership keeps in touch with these (H3.2).
    government = "government"
    health_authority = "health-authority"


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
    hotline = "hotline"
    letter = "letter"
    box = "box"
    visit = "visit"
    walk_in = "walk-in"


class RegisterKind(str, Enum):
    complaint = "complaint"
    suggestion = "suggestion"
    inquiry = "inquiry"
    praise = "praise"
    feedback = "feedback"  # raised on a visit, written on the Owner Feedback Form (P5.1)


class Severity(str, Enum):
    urgent = "urgent"
    general = "general"
    major = "major"


class Verdict(str, Enum):
    yes = "yes"
    no = "no"


class InterviewKind(str, Enum):
    """A conversation between a manager (or HR) and an employee (E1.3, E2.1, E2.2)."""

    one_to_one = "one-to-one"
    probation = "probation"
    pay_change = "pay-change"
    transfer = "transfer"
    appraisal = "appraisal"
    career = "career"
    resignation = "resignation"
    exit = "exit"


# The events recorded for an employee that call for a work interview (E2.2).
STAFF_EVENTS = ("pay-change", "transfer", "appraisal", "career", "resignation")


class ExitBy(str, Enum):
    hr = "hr"
    manager = "manager"


class LeaveStep(str, Enum):
    handover = "handover"
    exit_interview = "exit-interview"
    audit = "audit"
    final_pay = "final-pay"


class AppealChannel(str, Enum):
    in_person = "in-person"
    written = "written"


class Grounds(str, Enum):
    interests = "interests"  # their interests are harmed
    measure = "measure"  # they disagree with a management measure
    breach = "breach"  # they see a breach of company rules


class NotifyTo(str, Enum):
    appellant = "appellant"
    gm = "gm"
    hr = "hr"


class Via(str, Enum):
    written = "written"
    email = "email"


class MeetingKind(str, Enum):
    """The hospital's feedback meetings (H3.4, H3.5, H3.6)."""

    ward_forum = "ward-forum"  # each clinical department, monthly
    hospital_ward_forum = "hospital-ward-forum"  # the hospital, quarterly
    volunteer_supervisors = "volunteer-supervisors"  # yearly
    community_reps = "community-reps"  # yearly


class OpinionKind(str, Enum):
    """What a meeting's opinion becomes (`meeting opinion --kind`)."""

    opinion = "opinion"
    cooperation = "cooperation"


class Audience(str, Enum):
    patients = "patients"  # H3.3
    residents = "residents"  # P4.10
    employees = "employees"  # E3


class GroupBy(str, Enum):
    dept = "dept"
    zone = "zone"
