"""The due item: one thing someone must do, for whom, by when, and under which clause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from careops.i18n import Text

OVERDUE, MISSED, LAPSED = "overdue", "missed", "lapsed"
# An item that has ended without being done: `due --all` lists it during the calendar month it ended in.
ENDED = (MISSED, LAPSED)
MAY = "may"  # the strength that lapses after its deadline instead of turning overdue
STATUS_ORDER = {OVERDUE: 0, "due": 1, "upcoming": 2, "waiting": 3, MISSED: 4, LAPSED: 5}
NEVER = datetime.min  # placeholder: only compared when both items were never contacted
# DueItem.sort_key: status, due day, timed first and its time, owner, clause, last contact, subject, ref.
# A joint visit: (role, name) of everyone who must be there (no name: nobody holds the role).
Together = tuple[tuple[str, str | None], ...]
SortKey = tuple[
    int, date, bool, time | None, str, str, bool, datetime, str, Text, int, str, bool, str | int
]


def lapses(strength: str | None) -> bool:
    """A `may` is never overdue: once its deadline has passed it has lapsed."""
    return strength == MAY


def past_deadline(status: str, strength: str) -> str:
    """`status` as it reads for an item of `strength`: overdue, unless a `may` (then lapsed)."""
    return LAPSED if status == OVERDUE and lapses(strength) else status


@dataclass(slots=True)
class DueItem:
    rule: str
    clause: str
    strength: str
    kind: str  # cadence | callback | followup | task | complaint | chase
    title: Text
    subject_type: (
        str  # household | contact | group | caller (someone on the register who is not a resident)
    )
    subject_id: int | str | None
    subject_name: Text  # a name, or a word (the hospital, an appellant kept confidential)
    subject_unit: str | None
    owner_id: int | None
    owner_name: str | None
    due: (
        date | datetime | None
    )  # a date (by the end of it), a local date-time, or None while waiting
    status: str  # overdue | due | upcoming | waiting | missed | lapsed
    last_contact: datetime | None  # local, aware
    ref: int | str | None = None  # the callback or follow-up id, or the register number
    zone: str | None = None
    period: str | None = None
    missed: str | None = None  # the previous period, when it passed without a qualifying contact
    settled: bool = False  # closed today (only asked for by the daily share; never shown)
    pooled: bool = False  # levelled by the daily share (cadence items, an activity's invitations)
    together: Together = ()  # a joint visit: (role, name) of everyone who must be there
    why: str = ""
    planned: date | None = None  # its day in the owner's approved visit plan (P1)

    @property
    def due_day(self) -> date:
        if self.due is None:
            return date.max
        return self.due.date() if isinstance(self.due, datetime) else self.due

    @property
    def ended_on(self) -> date | None:
        """The local day a missed or lapsed item ended: its deadline's day when timed, else the day after."""
        if self.status not in ENDED or self.due is None:
            return None
        return self.due_day if isinstance(self.due, datetime) else self.due_day + timedelta(days=1)

    def sort_key(self) -> SortKey:
        # Never-contacted first, then the longest-uncontacted (same tzinfo: compared without offsets).
        # A timed item (a callback at 10:00) comes before the day's cadence visits.
        # The subject's id and the callback's number end it: a total order, the same on every database.
        last = self.last_contact
        timed = isinstance(self.due, datetime)
        number = (
            self.subject_id if isinstance(self.subject_id, int) else -1
        )  # a group's id is text ("tag:key")
        return (
            STATUS_ORDER[self.status],
            self.due_day,
            not timed,
            self.due.time() if isinstance(self.due, datetime) else None,
            self.owner_name or "",
            self.clause,
            last is not None,
            last or NEVER,
            self.subject_unit or "",
            self.subject_name,
            number,
            str(self.subject_id),
            isinstance(self.ref, str),
            self.ref if isinstance(self.ref, str) else self.ref or 0,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `due --format json`; dates stay objects (the renderer writes ISO 8601)."""
        return {
            "rule": self.rule,
            "clause": self.clause,
            "strength": self.strength,
            "kind": self.kind,
            "subject": {
                "type": self.subject_type,
                "id": self.subject_id,
                "name": self.subject_name,
                "unit": self.subject_unit,
            },
            "owner": None
            if self.owner_id is None
            else {"id": self.owner_id, "name": self.owner_name},
            "due": self.due,
            "status": self.status,
            "last_contact": self.last_contact,
            "ref": self.ref,
            "zone": self.zone,
            "period": self.period,
            "missed_period": self.missed,
            "why": self.why,
            "together": [{"role": role, "name": name} for role, name in self.together],
            "planned": self.planned,
        }
