"""Departments as records: clinical ones hold a monthly ward forum (H3.6), each may have a head.

`staff.dept` names a department; naming one that is not recorded yet (`staff add --dept`) records it,
not clinical and without a head, so nothing that worked before breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Insert, func, insert, literal, select, update
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import _
from careops.names import pinyin_key
from careops.scheduler.tables import dept, staff
from careops.services.audit import note
from careops.services.refs import Record, as_id, resolve_staff
from careops.shell import arg

# What this module says to people (one place, ready for translation).
NEED_NAME = _('give the department a name, e.g. "Internal Medicine".')
EXISTS = _("department {name!r} is recorded already: change it with `careops dept edit {quoted}`.")
NO_DEPT = _(
    "there is no department {ref!r}. Recorded: {known}. Add it with `careops dept add NAME`."
)
NO_DEPTS = _("there is no department {ref!r} (none recorded yet: `careops dept add NAME`).")
NOTHING_TO_EDIT = _("say what changes: --clinical/--not-clinical, --head STAFF or --no-head.")
HEAD_OR_NONE = _("give --head STAFF or --no-head, not both.")
AUDIT_ADDED = _("department {name} added{clinical}{head}")
AUDIT_NAMED = _("{n} departments recorded from the staff who name them")
AUDIT_EDITED = _("department {name}: {changes}")
CLINICAL_WORD = _(" (clinical)")
HEAD_WORD = _(", head {head}")
CHANGE = _("{field} {before} → {after}")
NONE = _("-")
YES, NO = _("yes"), _("no")


@dataclass
class DeptChange:
    name: str
    changes: list[str] = field(default_factory=list)


def _clean(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(NEED_NAME)
    return name


def find_dept(conn: Connection, name: str, *, lock: bool = False) -> Record | None:
    """The department of that name (any case), or None."""
    query = select(dept).where(func.lower(dept.c.name) == name.lower())
    return conn.execute(query.with_for_update() if lock else query).first()


def resolve_dept(conn: Connection, ref: str, *, lock: bool = False) -> Record:
    """A department by name (any case) or id; a clear error listing what is recorded otherwise."""
    text = (ref or "").strip()
    row = find_dept(conn, " ".join(text.split()), lock=lock) if text else None
    if row is None and as_id(text.removeprefix("#")) is not None:
        query = select(dept).where(dept.c.id == as_id(text.removeprefix("#")))
        row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        known = sorted(
            conn.execute(select(dept.c.name)).scalars().all(),
            key=lambda name: pinyin_key(name, person=False),
        )[:12]  # a site has a few
        if not known:
            raise NotFound(NO_DEPTS.format(ref=ref))
        raise NotFound(NO_DEPT.format(ref=ref, known=", ".join(known)))
    return row


def ensure_dept(session: Session, clock: Clock, name: str | None) -> str | None:
    """The recorded name of department `name`, recording it first when it is new (listed in
    session.info["new_depts"] so the command can say so)."""
    if name is None or not name.strip():
        return None
    conn = session.connection()
    name = _clean(name)
    row = find_dept(conn, name)
    if row is not None:
        return cast(str, row.name)
    dept_id = conn.execute(
        _insert_new(conn)
        .values(name=name, clinical=False, created_at=clock.now_utc)
        .returning(dept.c.id)
    ).scalar()
    if dept_id is None:  # another clerk recorded it a moment ago
        row = find_dept(conn, name)
        assert row is not None  # the INSERT did nothing: a department of that name is there
        return cast(str, row.name)
    note(
        session,
        clock,
        action="add",
        kind="dept",
        record_id=dept_id,
        detail=AUDIT_ADDED.format(name=name, clinical="", head=""),
    )
    session.info.setdefault("new_depts", []).append(name)
    return name


def _insert_new(conn: Connection) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING: a department named at the same moment by someone else is not an error
    (the unique index on lower(name) decides who recorded it)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(dept).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(dept).on_conflict_do_nothing()


def add_dept(
    *, session: Session, clock: Clock, name: str, clinical: bool = False, head: str | None = None
) -> dict[str, Any]:
    conn = session.connection()
    name = _clean(name)
    found = find_dept(conn, name)
    if found is not None:
        raise Conflict(EXISTS.format(name=found.name, quoted=arg(found.name)))
    head_row = resolve_staff(conn, head) if head else None
    dept_id = conn.execute(
        _insert_new(conn)
        .values(
            name=name,
            clinical=clinical,
            clinical_since=clock.today if clinical else None,
            head_id=head_row.id if head_row else None,
            created_at=clock.now_utc,
        )
        .returning(dept.c.id)
    ).scalar()
    if dept_id is None:  # recorded by someone else a moment ago
        found = find_dept(conn, name)
        assert found is not None  # the INSERT did nothing: a department of that name is there
        raise Conflict(EXISTS.format(name=found.name, quoted=arg(found.name)))
    note(
        session,
        clock,
        action="add",
        kind="dept",
        record_id=dept_id,
        staff_id=head_row.id if head_row else None,
        detail=AUDIT_ADDED.format(
            name=name,
            clinical=CLINICAL_WORD if clinical else "",
            head=HEAD_WORD.format(head=head_row.name) if head_row else "",
        ),
    )
    return {
        "id": dept_id,
        "name": name,
        "clinical": clinical,
        "head": head_row.name if head_row else None,
    }


def edit_dept(
    *,
    session: Session,
    clock: Clock,
    ref: str,
    clinical: bool | None = None,
    head: str | None = None,
    no_head: bool = False,
) -> DeptChange:
    if clinical is None and not head and not no_head:
        raise InvalidInput(NOTHING_TO_EDIT)
    if head and no_head:
        raise InvalidInput(HEAD_OR_NONE)
    conn = session.connection()
    row = resolve_dept(conn, ref, lock=True)
    values: dict[str, Any] = {}
    result = DeptChange(row.name)
    if clinical is not None and bool(row.clinical) != clinical:
        values["clinical"] = clinical
        values["clinical_since"] = clock.today if clinical else None
        result.changes.append(
            CHANGE.format(
                field="clinical", before=YES if row.clinical else NO, after=YES if clinical else NO
            )
        )
    if head or no_head:
        found = resolve_staff(conn, head) if head else None  # --head or --no-head: not both
        if (found.id if found else None) != row.head_id:
            values["head_id"] = found.id if found else None
            before = (
                conn.execute(select(staff.c.name).where(staff.c.id == row.head_id)).scalar()
                if row.head_id
                else None
            )
            result.changes.append(
                CHANGE.format(
                    field="head", before=before or NONE, after=found.name if found else NONE
                )
            )
    if values:
        conn.execute(update(dept).where(dept.c.id == row.id).values(**values))
        note(
            session,
            clock,
            action="edit",
            kind="dept",
            record_id=row.id,
            staff_id=values.get("head_id"),
            detail=AUDIT_EDITED.format(name=row.name, changes="; ".join(result.changes)),
        )
    return result


def list_depts(*, session: Session) -> list[dict[str, Any]]:
    head = staff.alias("head")
    people = (
        select(func.count())
        .select_from(staff)
        .where(func.lower(staff.c.dept) == func.lower(dept.c.name))
        .scalar_subquery()
    )
    rows = (
        session.connection()
        .execute(
            select(
                dept.c.id,
                dept.c.name,
                dept.c.clinical,
                head.c.name.label("head"),
                people.label("staff"),
            )
            .select_from(dept.outerjoin(head, head.c.id == dept.c.head_id))
            .order_by(func.lower(dept.c.name), dept.c.id)
        )
        .all()
    )
    rows = sorted(
        rows, key=lambda r: pinyin_key(r.name, person=False)
    )  # a site's few departments, by pinyin (stable on ties)
    return [
        {"id": r.id, "name": r.name, "clinical": bool(r.clinical), "head": r.head, "staff": r.staff}
        for r in rows
    ]


def record_named_depts(session: Session, clock: Clock) -> int:
    """Record, in one statement, every department staff name that is not recorded yet (a bulk load such as the
    demo's, which writes staff rows directly). Returns how many were added."""
    conn = session.connection()
    named = (
        select(
            func.min(func.trim(staff.c.dept)).label("name"),
            literal(False),
            func.min(staff.c.created_at),
        )
        .where(
            staff.c.dept.is_not(None),
            func.trim(staff.c.dept) != "",
            ~select(dept.c.id)
            .where(func.lower(dept.c.name) == func.lower(func.trim(staff.c.dept)))
            .exists(),
        )
        .group_by(func.lower(func.trim(staff.c.dept)))
    )
    before: int = conn.execute(select(func.count()).select_from(dept)).scalar_one()
    conn.execute(insert(dept).from_select(["name", "clinical", "created_at"], named))
    added: int = conn.execute(select(func.count()).select_from(dept)).scalar_one() - before
    if added:
        note(session, clock, action="add", kind="dept", detail=AUDIT_NAMED.format(n=added))
    return added
