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
