"""Core table handles shared by the scheduler's queries."""

from careops.models import (
    Complaint,
    Obligation,
    Party,
    PartyTag,
    Staff,
    Visit,
    Zone,
    appeal,
    appeal_person,
    appeal_step,
    complaint_step,
    event,
    interview,
    leave_case,
    leave_step,
    obligation_need,
    rain_day,
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

__all__ = ["party", "tag", "visit", "staff", "zone", "obligation", "complaint", "complaint_step", "event", "need",
           "rain_day", "visit_staff", "interview", "leave_case", "leave_step", "appeal", "appeal_step", "appeal_person"]
