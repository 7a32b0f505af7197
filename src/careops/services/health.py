"""What `db check` asks of the records themselves: obligations left open on voided or missing facts."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlmodel import Session

from careops.i18n import _
from careops.scheduler.tables import obligation, party, visit

# What this module says to people (one place, ready for translation).
ORPHANS = _("{count} open callback(s) on a voided household or call")
NONE = _("none")


def orphaned_obligations(*, session: Session) -> tuple[bool, str]:
    source = visit.alias("source")
    count = (
        session.connection()
        .execute(
            select(func.count())
            .select_from(
                obligation.join(party, party.c.id == obligation.c.party_id).outerjoin(
                    source, source.c.id == obligation.c.source_visit_id
                )
            )
            .where(
                obligation.c.state == "open",
                or_(party.c.voided_at.is_not(None), source.c.voided_at.is_not(None)),
            )
        )
        .scalar()
    )
    return count == 0, str(NONE) if count == 0 else ORPHANS.format(count=count)
