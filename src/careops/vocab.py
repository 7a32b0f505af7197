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


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"



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
