"""The due item: one thing someone must do, for whom, by when, and under which clause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

STATUS_ORDER = {"overdue": 0, "due": 1, "upcoming": 2}
NEVER = datetime.min  # placeholder: only compared when both items were never contacted


@dataclass(slots=True)
class DueItem:
    rule: str
    clause: str
    strength: str
    kind: str  # cadence | callback | …
    title: str
    subject_type: str  # household | contact | group
    subject_id: int | str | None
    subject_name: str
    subject_unit: str | None
    owner_id: int | None
    owner_name: str | None
    due: date | datetime  # a date for cadence items, a local date-time for timed ones
    status: str  # overdue | due | upcoming
    last_contact: datetime | None  # local, aware
    ref: int | None = None
    zone: str | None = None
    period: str | None = None
    missed: str | None = None  # the previous period, when it passed without a qualifying contact
    settled: bool = False  # closed today (only asked for by the daily share; never shown)
    why: str = ""

    @property
    def due_day(self) -> date:
        return self.due.date() if isinstance(self.due, datetime) else self.due

    def sort_key(self) -> tuple:
        # Never-contacted first, then the longest-uncontacted (same tzinfo: compared without offsets).
        # A timed item (a callback at 10:00) comes before the day's cadence visits.
        # The subject's id and the callback's number end it: a total order, the same on every database.
        last = self.last_contact
        timed = isinstance(self.due, datetime)
        number = self.subject_id if isinstance(self.subject_id, int) else -1  # a group's id is text ("tag:key")
        return (STATUS_ORDER[self.status], self.due_day, not timed, self.due.time() if timed else None,
                self.owner_name or "", self.clause, last is not None, last or NEVER,
                self.subject_unit or "", self.subject_name, number, str(self.subject_id), self.ref or 0)

    def to_json(self) -> dict:
        """The JSON shape of `due --format json`; dates stay objects (the renderer writes ISO 8601)."""
        return {
            "rule": self.rule,
            "clause": self.clause,
            "strength": self.strength,
            "kind": self.kind,
            "subject": {"type": self.subject_type, "id": self.subject_id, "name": self.subject_name, "unit": self.subject_unit},
            "owner": None if self.owner_id is None else {"id": self.owner_id, "name": self.owner_name},
            "due": self.due,
            "status": self.status,
            "last_contact": self.last_contact,
            "ref": self.ref,
            "zone": self.zone,
            "period": self.period,
            "missed_period": self.missed,
            "why": self.why,
        }
