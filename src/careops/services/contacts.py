"""External parties the center manager keeps in touch with (P2)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from careops.clock import Clock
from careops.i18n import _
from careops.models import Party
from careops.scheduler.tables import party
from careops.services.audit import note
from careops.services.privacy import masked
from careops.services.residents import last_contact_col
from careops.services.staff import _clean
from careops.vocab import ContactKind

# What this module says to people (one place, ready for translation).
AUDIT_ADDED = _("{kind} {name} added")


def add_contact(
    *, session: Session, clock: Clock, name: str, kind: ContactKind, phone: str | None = None
) -> Party:
    record = Party(
        kind="contact",
        name=_clean(name, "name"),
        contact_kind=kind.value,
        phone=phone or None,
        status_since=clock.today,
        created_at=clock.now_utc,
    )
    session.add(record)
    session.flush()
    note(
        session,
        clock,
        action="add",
        kind="contact",
        record_id=record.id,
        party_id=record.id,
        detail=AUDIT_ADDED.format(kind=record.contact_kind, name=record.name),
    )
    return record


def list_contacts(
    *, session: Session, clock: Clock, show_phone: bool = False
) -> list[dict[str, Any]]:
    rows = session.connection().execute(
        select(
            party.c.id,
            party.c.name,
            party.c.contact_kind.label("kind"),
            party.c.phone,
            last_contact_col(clock.now_utc).label("last_contact"),
        )
        .where(party.c.kind == "contact", party.c.voided_at.is_(None))
        .order_by(party.c.contact_kind, party.c.name_pinyin, party.c.name, party.c.id)
    )
    return masked(
        [{**r._mapping, "last_contact": clock.local(r.last_contact)} for r in rows], show_phone
    )
