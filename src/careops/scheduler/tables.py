"""Core table handles shared by the scheduler's queries."""

from sqlalchemy import Table

from careops.models import (
    Complaint,
    Obligation,
    Party,
    PartyTag,
    Staff,
    Visit,
    Zone,
    action_item,
    appeal,
    appeal_person,
    appeal_step,
    complaint_step,
    dept,
    disclosure_check,
    event,
    interview,
    leave_case,
    leave_step,
    meeting,
    meeting_attendee,
    obligation_need,
    rain_day,
    survey,
    survey_answer,
    survey_question,
    survey_score,
    visit_plan,
    visit_plan_item,
    visit_staff,
)

# SQLAlchemy gives each table class its `__table__`; sqlmodel's types do not declare it.
party: Table = Party.__table__  # type: ignore[attr-defined]
tag: Table = PartyTag.__table__  # type: ignore[attr-defined]
visit: Table = Visit.__table__  # type: ignore[attr-defined]
staff: Table = Staff.__table__  # type: ignore[attr-defined]
zone: Table = Zone.__table__  # type: ignore[attr-defined]
obligation: Table = Obligation.__table__  # type: ignore[attr-defined]
complaint: Table = Complaint.__table__  # type: ignore[attr-defined]
need = obligation_need

__all__ = [
    "action_item",
    "appeal",
    "appeal_person",
    "appeal_step",
    "complaint",
    "complaint_step",
    "dept",
    "disclosure_check",
    "event",
    "interview",
    "leave_case",
    "leave_step",
    "meeting",
    "meeting_attendee",
    "need",
    "obligation",
    "party",
    "rain_day",
    "staff",
    "survey",
    "survey_answer",
    "survey_question",
    "survey_score",
    "tag",
    "visit",
    "visit_plan",
    "visit_plan_item",
    "visit_staff",
    "zone",
]
