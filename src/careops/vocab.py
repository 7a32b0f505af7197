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

