"""Who did what, when: every write adds one append-only audit row, and `history` reads them back.

The actor travels with the unit of work (`session.info`), set once per command from
`--as STAFF`, `CAREOPS_USER` or the OS user, so services need no extra argument.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, and_, insert, or_, select
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import NotFound
from careops.i18n import Message, _
from careops.models import Audit
from careops.services.refs import resolve_party, resolve_staff

# SQLAlchemy gives each table class its `__table__`; sqlmodel's types do not declare it.
audit: Table = Audit.__table__  # type: ignore[attr-defined]

# What this module says to people (one place, ready for translation).
NO_SUCH_REF = _(
    "no household, contact or staff member matches {ref!r}. See `careops resident list` or `careops staff list`."
)
UNKNOWN_USER = _("unknown")


@dataclass(frozen=True)
class Actor:
    name: str
    staff_id: int | None = None


def set_actor(session: Session, as_staff: str | None) -> Actor:
    """Who is acting: `--as STAFF` (must be a staff member), else CAREOPS_USER, else the OS user."""
    conn = session.connection()
    if as_staff:
        found = resolve_staff(conn, as_staff)
        actor = Actor(found.name, found.id)
    else:
        name = os.environ.get("CAREOPS_USER") or _os_user()
        actor = Actor(name, _staff_named(conn, name))
    session.info["actor"] = actor
    return actor


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(UNKNOWN_USER)


def _staff_named(conn: Connection, name: str) -> int | None:
    from careops.scheduler.tables import staff

    rows = conn.execute(select(staff.c.id).where(staff.c.name == name).limit(2)).scalars().all()
    return rows[0] if len(rows) == 1 else None


def actor_of(session: Session) -> Actor:
    return session.info.get("actor") or Actor(os.environ.get("CAREOPS_USER") or _os_user())


def note(
    session: Session,
    clock: Clock,
    *,
    action: str,
    kind: str,
    record_id: int | None = None,
    party_id: int | None = None,
    staff_id: int | None = None,
    detail: str | None = None,
    reason: str | None = None,
) -> None:
    """Adds one audit row in the command's transaction."""
    note_many(
        session,
        clock,
        [
            {
                "action": action,
                "kind": kind,
                "record_id": record_id,
                "party_id": party_id,
                "staff_id": staff_id,
                "detail": detail,
                "reason": reason,
            }
        ],
    )


def note_many(session: Session, clock: Clock, rows: Sequence[Mapping[str, object]]) -> None:
    """Audit rows in bulk (an import of 50,000 households is 50,000 rows, one statement)."""
    if not rows:
        return
    actor = actor_of(session)
    base = {
        "at": clock.now_utc,
        "actor": actor.name,
        "actor_staff_id": actor.staff_id,
        "record_id": None,
        "party_id": None,
        "staff_id": None,
        "detail": None,
        "reason": None,
    }
    # A message written into the audit is written in the language of the command.
    session.connection().execute(
        insert(audit),
        [
            base | {k: str(v) if isinstance(v, Message) else v for k, v in row.items()}
            for row in rows
        ],
    )


def history(*, session: Session, clock: Clock, ref: str) -> tuple[str, list[dict[str, Any]]]:
    """Every audited change to a household or contact (REF) or, failing that, to a staff member."""
    conn = session.connection()
    try:
        who = resolve_party(conn, ref, include_void=True)
        match, title = audit.c.party_id == who.id, who.name + (f" ({who.unit})" if who.unit else "")
    except NotFound:
        try:
            person = resolve_staff(conn, ref)
        except NotFound:
            raise NotFound(NO_SUCH_REF.format(ref=ref)) from None
        # An appeal is confidential (E2.6): its steps are read with `appeal show`, never in a person's history.
        match = and_(
            or_(audit.c.staff_id == person.id, audit.c.actor_staff_id == person.id),
            audit.c.kind != "appeal",
        )
        title = person.name
    rows = conn.execute(
        select(
            audit.c.id,
            audit.c.at,
            audit.c.actor,
            audit.c.action,
            audit.c.kind,
            audit.c.record_id,
            audit.c.detail,
            audit.c.reason,
        )
        .where(match)
        .order_by(audit.c.at, audit.c.id)
    )
    return title, [{**r._mapping, "at": clock.local(r.at)} for r in rows]
