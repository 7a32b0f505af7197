"""Core table handles shared by the scheduler's queries."""

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

party = Party.__table__
tag = PartyTag.__table__
visit = Visit.__table__
staff = Staff.__table__
zone = Zone.__table__
obligation = Obligation.__table__
complaint = Complaint.__table__
need = obligation_need

__all__ = [
    "party",
    "tag",
    "visit",
    "staff",
    "zone",
    "obligation",
    "complaint",
    "complaint_step",
    "event",
    "need",
    "rain_day",
    "visit_staff",
    "interview",
    "leave_case",
    "leave_step",
    "appeal",
    "appeal_step",
    "appeal_person",
    "dept",
    "meeting",
    "meeting_attendee",
    "action_item",
    "disclosure_check",
    "survey",
    "survey_question",
    "survey_answer",
    "survey_score",
    "visit_plan",
    "visit_plan_item",
]
