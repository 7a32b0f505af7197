"""Core table handles shared by the scheduler's queries."""

from careops.models import Obligation, Party, PartyTag, Staff, Visit, Zone

party = Party.__table__
tag = PartyTag.__table__
visit = Visit.__table__
staff = Staff.__table__
zone = Zone.__table__
obligation = Obligation.__table__
