"""Core table handles shared by the scheduler's queries."""

from careops.models import (Complaint, ComplaintStep, Event, Obligation, ObligationNeed, Party, PartyTag, RainDay,
                            Staff, Visit, VisitStaff, Zone)

party = Party.__table__
tag = PartyTag.__table__
visit = Visit.__table__
staff = Staff.__table__
zone = Zone.__table__
obligation = Obligation.__table__
visit_staff = VisitStaff.__table__
event = Event.__table__
rain_day = RainDay.__table__
complaint = Complaint.__table__
complaint_step = ComplaintStep.__table__
need = ObligationNeed.__table__
