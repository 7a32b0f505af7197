"""SQLModel tables: the recorded facts. Times are naive UTC; nothing is hard-deleted.

Households and external contacts (committee chair, community office…) are both
*parties*: anyone a visit or a call can be logged against.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, Index, text
from sqlmodel import Field, SQLModel


def _ts(index: bool = False, nullable: bool = False):
    return Field(default=None, sa_type=DateTime(), nullable=nullable, index=index)


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    role: str = Field(index=True)
    dept: str | None = None
    reports_to_id: int | None = Field(default=None, foreign_key="staff.id")
    phone: str | None = None
    created_at: datetime = _ts()


class Zone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    butler_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    created_at: datetime = _ts()


class Party(SQLModel, table=True):
    __table_args__ = (
        # One live household per unit. The migration gives PostgreSQL the same WHERE; naming the
        # postgresql dialect here would make every command import it (~40 ms).
        Index(
            "uq_party_household_unit",
            "unit",
            unique=True,
            sqlite_where=text("kind = 'household' AND voided_at IS NULL"),
        ),
        Index("ix_party_kind_status", "kind", "status"),
        # A butler's households: through their zones (due --staff, resident list --zone).
        Index("ix_party_zone_kind_status", "zone_id", "kind", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # household | contact
    name: str = Field(index=True)
    unit: str | None = None
    zone_id: int | None = Field(default=None, foreign_key="zone.id")
    phone: str | None = None
    status: str | None = None  # households: occupied | not-moved-in
    contact_kind: str | None = None  # contacts: committee-chair | community-office | housing-bureau
    moved_in: date | None = Field(default=None, sa_column=Column(Date()))
    # The local day from which the party matches its current rules (creation or status change).
    status_since: date = Field(sa_column=Column(Date(), nullable=False))
    note: str | None = None
    created_at: datetime = _ts()
    voided_at: datetime | None = _ts(nullable=True)
    void_reason: str | None = None


class PartyTag(SQLModel, table=True):
    __tablename__ = "party_tag"

    party_id: int = Field(foreign_key="party.id", primary_key=True)
    tag: str = Field(primary_key=True, index=True)
    since: date = Field(sa_column=Column(Date(), nullable=False))


class Visit(SQLModel, table=True):
    __table_args__ = (
        Index("ix_visit_party_at", "party_id", "at"),
        Index("ix_visit_staff_at", "staff_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id")
    staff_id: int = Field(foreign_key="staff.id")
    channel: str  # door | phone
    at: datetime = _ts()
    minutes: int | None = None
    outcome: str = "reached"  # reached | busy | no-answer
    callback_at: datetime | None = _ts(nullable=True)
    note: str | None = None
    created_at: datetime = _ts()
    voided_at: datetime | None = _ts(nullable=True)
    void_reason: str | None = None


class Obligation(SQLModel, table=True):
    """A due item written when a fact triggers it (a callback now; follow-ups later)."""

    __table_args__ = (
        Index("ix_obligation_state_owner", "state", "owner_id"),
        Index("ix_obligation_party_state", "party_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # callback | …
    rule: str
    clause: str
    party_id: int = Field(foreign_key="party.id")
    owner_id: int | None = Field(default=None, foreign_key="staff.id")
    due_at: datetime = _ts()
    state: str = "open"  # open | done | cancelled
    source_visit_id: int | None = Field(default=None, foreign_key="visit.id")
    done_visit_id: int | None = Field(default=None, foreign_key="visit.id")
    done_at: datetime | None = _ts(nullable=True)
    note: str | None = None
    created_at: datetime = _ts()


class Audit(SQLModel, table=True):
    """Who did what, when: one append-only row per write (voids with their reasons included)."""

    __table_args__ = (
        Index("ix_audit_party_at", "party_id", "at"),
        Index("ix_audit_staff_at", "staff_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts()
    actor: str  # the staff member's name, CAREOPS_USER, or the OS user
    actor_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str  # add | edit | log | void | import | hand-over | …
    kind: str  # household | contact | staff | zone | visit | callback | site
    record_id: int | None = None
    party_id: int | None = Field(default=None, foreign_key="party.id")  # the household or contact concerned
    staff_id: int | None = Field(default=None, foreign_key="staff.id")  # the staff member concerned
    detail: str | None = None
    reason: str | None = None
