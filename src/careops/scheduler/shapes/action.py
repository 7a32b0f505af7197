"""Shape `action` (H3.4, H3.5, H3.7): each open action item of the rule's kind (`action`: an opinion raised at a
meeting, agreed cooperation, a failed disclosure check), for its recorded owner, by its due day. An opinion's
item takes the clause of the meeting it was raised at; a failed check's, the clause of the item checked."""

from __future__ import annotations

from sqlalchemy import func, select

from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.items import DueItem
from careops.scheduler.office import HOSPITAL, action_open
from careops.scheduler.owners import mine
from careops.scheduler.people import staff_item
from careops.scheduler.shapes import Context
from careops.scheduler.tables import action_item, dept, disclosure_check, meeting, staff

# What this module says to people (one place, ready for translation).
TITLE = {
    "opinion": _("opinion #{id}: {text}"),
    "cooperation": _("cooperation #{id}: {text}"),
    "check": _("put right #{id}: {text}"),
}
SHORT = 60  # characters of an action item's text in its title (the why line has all of it)
WHY = _(
    "{text} — from {source}: do it (`careops action done {id}`) or explain why not (`action explain {id}`)"
)
FROM_MEETING = _("{title} #{meeting} on {day:%Y-%m-%d}")
FROM_CHECK = _("{item} checked on {day:%Y-%m-%d}")


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    clock = ctx.clock
    by_kind = {r.action: r for r in rules}
    owner = staff.alias("owner")
    rows = ctx.conn.execute(
        select(
            action_item.c.id,
            action_item.c.kind,
            action_item.c.text,
            action_item.c.due,
            action_item.c.owner_id,
            owner.c.name.label("owner_name"),
            meeting.c.id.label("meeting_id"),
            meeting.c.kind.label("meeting_kind"),
            meeting.c.held_day,
            disclosure_check.c.item,
            disclosure_check.c.day.label("check_day"),
            dept.c.id.label("dept_id"),
            dept.c.name.label("dept"),
        )
        .select_from(
            action_item.join(owner, owner.c.id == action_item.c.owner_id)
            .outerjoin(meeting, meeting.c.id == action_item.c.meeting_id)
            .outerjoin(disclosure_check, disclosure_check.c.id == action_item.c.check_id)
            .outerjoin(
                dept, dept.c.id == func.coalesce(meeting.c.dept_id, disclosure_check.c.dept_id)
            )
        )
        .where(action_open(clock), action_item.c.kind.in_(list(by_kind)))
    ).all()
    found = []
    for row in rows:
        rule = by_kind[row.kind]
        holder, fell = ctx.roles.owner(rule, (row.owner_id, row.owner_name))
        if not mine(ctx.scope.owner_id, holder):
            continue
        clause = rule.clause
        if row.meeting_id is not None:
            series = ctx.policy.first("meeting", meeting=row.meeting_kind)
            if series is not None and row.kind == "opinion":
                clause = series.clause
            source = FROM_MEETING.format(
                title=series.title if series else row.meeting_kind,
                meeting=row.meeting_id,
                day=row.held_day,
            )
        else:
            clause = row.item or clause
            source = FROM_CHECK.format(item=row.item, day=row.check_day)
        found.append(
            staff_item(
                rule,
                kind="action",
                title=TITLE[row.kind].format(id=row.id, text=_short(row.text)),
                subject_type="dept" if row.dept_id else "hospital",
                subject_id=row.dept_id,
                subject_name=row.dept or HOSPITAL,
                owner=holder,
                due=row.due,
                status="overdue" if row.due < clock.today else "due",
                ref=row.id,
                why=WHY.format(text=row.text, source=source, id=row.id) + fell,
                clause=clause,
            )
        )
    return found


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"
