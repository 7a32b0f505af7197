"""The monthly report's hospital office sections (meetings, action items, surveys: H3.3–H3.6, E3, P4.10) and
its HR section (E1–E2): site-wide counts, never a name.

Each figure is a SQL aggregate for the calendar month, bounded by the clock like the scheduler; "open" and
"overdue" are as of the month's end (now, for the current month). A zone or staff scope gets none of them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Connection, and_, case, exists, func, literal, or_, select

from careops.calendar.periods import period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy
from careops.report.cases import within
from careops.report.model import COUNT, PCT, SCORE, TEXT, Column, Section, pct
from careops.report.window import Month, ReportScope, as_of, count_if, local_day, utc_offset
from careops.scheduler.deadlines import offset
from careops.scheduler.owners import left_before
from careops.scheduler.people import one_to_one_counts, probation_due
from careops.scheduler.tables import (
    action_item,
    appeal,
    appeal_step,
    dept,
    event,
    interview,
    leave_case,
    meeting,
    staff,
    survey,
    survey_answer,
    survey_score,
)
from careops.vocab import STAFF_EVENTS

# What this module says to people (one place, ready for translation).
MEETINGS_TITLE = _("Meetings required and held")
MEETINGS_CLAUSE = _("H3.4, H3.5, H3.6")
MEETINGS_NOTE = _(
    "Held: with minutes, in the period up to the month's end. Every department that is clinical by the "
    "month's end owes a ward forum; held counts the departments that held theirs."
)
ACTIONS_TITLE = _("Action items from meetings and checks")
ACTIONS_CLAUSE = _("H3.4, H3.5, H3.7")
SURVEYS_TITLE = _("Satisfaction surveys")
SURVEYS_CLAUSE = _("H3.3, E3, P4.10")
SURVEYS_HIDDEN = _(
    "Scores hidden for {names}: an anonymous survey's scores are shown only for {n} answers or more in "
    "the month, and in the rest of the survey."
)
HR_TITLE = _("Employee relations")
HR_CLAUSE = _("E1.2, E2.1, E2.2, E2.6")
HR_NOTE = _(
    "One-to-ones: this year to the month's end, employees in a manager–report pair with one of {minutes} min or "
    "more. Interviews due: E2.2 interviews whose deadline falls in the month; done: held by the month's end."
)
L_KIND = _("Kind")
L_CLAUSE = _("Clause")
L_PERIOD = _("Period")
L_REQUIRED = _("Required")
L_HELD = _("Held")
L_OPENED = _("Opened")
L_CLOSED = _("Closed")
L_OVERDUE = _("Overdue at the month's end")
L_SURVEY = _("Survey")
L_AUDIENCE = _("Audience")
L_ANSWERS = _("Answers")
L_MEAN = _("Mean score")
L_121_PCT = _("One-to-one coverage")
L_121_DONE = _("Employees with a one-to-one")
L_EMPLOYEES = _("Employees")
L_INTERVIEWS_DUE = _("Interviews due")
L_INTERVIEWS_DONE = _("Interviews done")
L_LEAVING_OPEN = _("Leaving cases open")
L_LEFT_OPEN = _("Left with steps open")
L_APPEALS_FILED = _("Appeals filed")
L_APPEALS_DECIDED = _("Appeals decided")
L_APPEALS_NOTIFIED = _("Decisions notified")
L_APPEALS_IN_TIME = _("Notified within the deadline")
RESIDENTS_CLAUSE = _("P4.10")
RECIPIENTS = 3  # appellant, general manager, HR (E2.6.5)
SEARCH_DAYS = 62  # how far before the month a trigger can lie for its deadline to fall in the month


def office_sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    """Meetings (a hospital only), action items (where any exist) and the surveys open in the month."""
    if not scope.whole_site:
        return []
    sections = [
        s
        for s in (_meetings(conn, policy, clock, month), _actions(conn, clock, month))
        if s is not None
    ]
    surveys = _surveys(conn, policy, clock, month)
    return sections + ([surveys] if surveys.rows else [])


def _last_day(clock: Clock, month: Month) -> date:
    """The last local day whose facts the month's figures see."""
    return min(month.last, clock.today)


# Meetings (H3.4–H3.6) ------------------------------------------------------------------------------------


def _meetings(conn: Connection, policy: Policy, clock: Clock, month: Month) -> Section | None:
    last = _last_day(clock, month)
    clinical = and_(
        dept.c.clinical.is_(True),
        dept.c.clinical_since.is_not(None),
        dept.c.clinical_since <= last,
        dept.c.created_at <= clock.now_utc,
    )
    wards = conn.execute(select(func.count()).select_from(dept).where(clinical)).scalar()
    if not wards:
        return None  # not a hospital (yet): no meeting is owed
    rows = []
    for rule in policy.shaped("meeting"):
        assert rule.period is not None  # a meeting rule has one
        period = period_of(rule.period, month.first)
        held = [
            meeting.c.kind == rule.meeting,
            meeting.c.voided_at.is_(None),
            meeting.c.held_day.is_not(None),
            meeting.c.held_day >= period.start,
            meeting.c.held_day <= last,
            meeting.c.held_at <= clock.now_utc,
        ]
        if rule.per_dept:
            held_by = exists(select(literal(1)).where(*held, meeting.c.dept_id == dept.c.id))
            figures = conn.execute(
                select(
                    func.count().label("required"),
                    func.coalesce(func.sum(case((held_by, 1), else_=0)), 0).label("held"),
                ).where(clinical)
            ).one()
            required, count = int(figures.required), int(figures.held)
        else:
            required = 1
            count = conn.execute(
                select(func.count()).select_from(meeting).where(*held)
            ).scalar_one()
        rows.append(
            {
                "kind": rule.meeting,
                "clause": rule.clause,
                "period": period.name(relative=False),
                "required": required,
                "held": int(count),
            }
        )
    columns = [
        Column("kind", L_KIND, TEXT),
        Column("clause", L_CLAUSE, TEXT),
        Column("period", L_PERIOD, TEXT),
        Column("required", L_REQUIRED),
        Column("held", L_HELD),
    ]
    return Section(
        "meetings",
        MEETINGS_TITLE,
        MEETINGS_CLAUSE,
        columns,
        rows,
        MEETINGS_NOTE,
        match=("kind", "clause"),
    )


def _actions(conn: Connection, clock: Clock, month: Month) -> Section | None:
    a = action_item.c
    end = as_of(clock, month)
    live = and_(a.voided_at.is_(None), a.created_at <= clock.now_utc)
    open_at_end = and_(a.created_at < end, or_(a.closed_at.is_(None), a.closed_at >= end))
    figures = conn.execute(
        select(
            func.count().label("ever"),
            count_if(within(a.created_at, month, clock)).label("opened"),
            count_if(
                and_(a.state.in_(("done", "explained")), within(a.closed_at, month, clock))
            ).label("closed"),
            count_if(and_(open_at_end, a.due < clock.local_date(end))).label("overdue"),
        ).where(live)
    ).one()
    if not figures.ever:
        return None
    columns = [Column("opened", L_OPENED), Column("closed", L_CLOSED), Column("overdue", L_OVERDUE)]
    row = {
        "opened": int(figures.opened),
        "closed": int(figures.closed),
        "overdue": int(figures.overdue),
    }
    return Section("actions", ACTIONS_TITLE, ACTIONS_CLAUSE, columns, [row])


# Surveys (H3.3, E3, P4.10) ----------------------------------------------------------------------------------


def _surveys(conn: Connection, policy: Policy, clock: Clock, month: Month) -> Section:
    """Each survey open in the month: its answers in the month and their mean score. An anonymous survey's scores
    are hidden under `min_group` answers in the month, or when the rest of its answers (which `survey results`
    shows with these) are that few."""
    last = _last_day(clock, month)
    a = survey_answer.c
    in_month = and_(a.day >= month.first, a.day <= last)
    answers = (
        select(a.survey_id, count_if(in_month).label("month"), func.count().label("seen"))
        .where(a.day <= clock.today)
        .group_by(a.survey_id)
        .subquery()
    )
    scores = (
        select(a.survey_id, func.avg(survey_score.c.score).label("mean"))
        .select_from(survey_answer.join(survey_score, survey_score.c.answer_id == a.id))
        .where(in_month)
        .group_by(a.survey_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            survey.c.name,
            survey.c.audience,
            survey.c.anonymous,
            func.coalesce(answers.c.month, 0).label("month"),
            func.coalesce(answers.c.seen, 0).label("seen"),
            scores.c.mean,
        )
        .select_from(
            survey.outerjoin(answers, answers.c.survey_id == survey.c.id).outerjoin(
                scores, scores.c.survey_id == survey.c.id
            )
        )
        .where(
            survey.c.voided_at.is_(None),
            survey.c.created_at <= clock.now_utc,
            survey.c.opens <= last,
            survey.c.closes >= month.first,
        )
        .order_by(survey.c.opens, survey.c.id)
    ).all()
    least = policy.office.min_group
    clauses = {rule.audience: rule.clause for rule in policy.shaped("survey-quota")}
    found, hidden = [], []
    for r in rows:  # the surveys open in one month: a handful, each already aggregated in SQL
        rest = int(r.seen) - int(r.month)
        small = bool(r.anonymous) and (r.month < least or 0 < rest < least)
        if small and r.mean is not None:
            hidden.append(r.name)
        found.append(
            {
                "survey": r.name,
                "audience": r.audience,
                "clause": clauses.get(r.audience, RESIDENTS_CLAUSE),
                "answers": int(r.month),
                "mean_score": None if small or r.mean is None else round(float(r.mean), 2),
            }
        )
    columns = [
        Column("survey", L_SURVEY, TEXT),
        Column("audience", L_AUDIENCE, TEXT),
        Column("clause", L_CLAUSE, TEXT),
        Column("answers", L_ANSWERS, COUNT),
        Column("mean_score", L_MEAN, SCORE),
    ]
    note = SURVEYS_HIDDEN.format(names=", ".join(hidden), n=least) if hidden else None
    return Section("surveys", SURVEYS_TITLE, SURVEYS_CLAUSE, columns, found, note)


# HR (E1.2, E2.1, E2.2, E2.6) -----------------------------------------------------------------------------------


def hr_sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    """One row of counts; none for a zone or staff scope, nor for a site without the company's roles."""
    if not scope.whole_site:
        return []
    pairs = policy.first("one-to-one")
    if pairs is None or pairs.minutes is None:
        return []
    company = [r.value for r in pairs.among]
    if not conn.execute(
        select(
            exists(
                select(literal(1)).where(
                    staff.c.role.in_(company), staff.c.created_at <= clock.now_utc
                )
            )
        )
    ).scalar():
        return []
    row = _one_to_ones(conn, pairs.minutes, clock, month, company)
    row.update(_interviews(conn, policy, clock, month))
    row.update(_leaving(conn, clock, month))
    row.update(_appeals(conn, policy, clock, month))
    columns = [
        Column("one_to_one_pct", L_121_PCT, PCT),
        Column("one_to_one_done", L_121_DONE),
        Column("employees", L_EMPLOYEES),
        Column("interviews_due", L_INTERVIEWS_DUE),
        Column("interviews_done", L_INTERVIEWS_DONE),
        Column("leaving_open", L_LEAVING_OPEN),
        Column("left_with_steps_open", L_LEFT_OPEN),
        Column("appeals_filed", L_APPEALS_FILED),
        Column("appeals_decided", L_APPEALS_DECIDED),
        Column("appeals_notified", L_APPEALS_NOTIFIED),
        Column("appeals_notified_in_time", L_APPEALS_IN_TIME),
    ]
    note = HR_NOTE.format(minutes=pairs.minutes)
    return [Section("hr", HR_TITLE, HR_CLAUSE, columns, [row], note)]


def _one_to_ones(
    conn: Connection, minutes: int, clock: Clock, month: Month, company: list[str]
) -> dict:
    last = _last_day(clock, month)
    year = period_of("year", month.first)
    manager = staff.alias("manager")
    met = exists(
        select(literal(1)).where(
            one_to_one_counts(minutes),
            interview.c.created_at <= clock.now_utc,
            interview.c.day >= year.start,
            interview.c.day <= last,
        )
    )
    figures = conn.execute(
        select(func.count().label("employees"), count_if(met).label("met"))
        .select_from(staff.join(manager, manager.c.id == staff.c.reports_to_id))
        .where(
            or_(staff.c.role.in_(company), manager.c.role.in_(company)),
            ~left_before(clock.local_date(as_of(clock, month))),
            staff.c.created_at <= clock.now_utc,
            or_(staff.c.hired.is_(None), staff.c.hired <= last),
        )
    ).one()
    return {
        "one_to_one_pct": pct(figures.met, figures.employees),
        "one_to_one_done": int(figures.met),
        "employees": int(figures.employees),
    }


def _triggers_due_in(month: Month, due) -> tuple[date, date]:
    """The first and last trigger day whose deadline `due(day)` falls in the month (deadlines never go backwards)."""
    days = [month.first - timedelta(days=n) for n in range(SEARCH_DAYS, -1, -1)]
    days += [month.first + timedelta(days=n) for n in range(1, (month.last - month.first).days + 1)]
    inside = [d for d in days if month.first <= due(d) <= month.last]
    return (inside[0], inside[-1]) if inside else (month.last, month.first)


def _interviews(conn: Connection, policy: Policy, clock: Clock, month: Month) -> dict:
    """E2.2 interviews due in the month (work interviews after an event, probation ends) and those held by its end."""
    calendar = WorkCalendar()
    end = as_of(clock, month)
    rule = policy.first("interview")
    within_text = rule.due_in if rule and rule.due_in else "0d"

    def work_due(day: date) -> date:
        due = offset(
            within_text, clock.localize(datetime.combine(day, datetime.min.time())), calendar
        )
        return due.date() if isinstance(due, datetime) else due

    held = [
        interview.c.voided_at.is_(None),
        interview.c.created_at <= clock.now_utc,
        interview.c.at < end,
    ]
    first, last = _triggers_due_in(month, work_due)
    done = exists(
        select(literal(1)).where(
            interview.c.staff_id == event.c.staff_id,
            interview.c.kind == event.c.kind,
            interview.c.day >= event.c.on_day,
            *held,
        )
    )
    work = conn.execute(
        select(func.count().label("due"), count_if(done).label("done")).where(
            event.c.staff_id.is_not(None),
            event.c.kind.in_(STAFF_EVENTS),
            event.c.voided_at.is_(None),
            event.c.created_at <= clock.now_utc,
            event.c.on_day >= first,
            event.c.on_day <= last,
            ~left_before(month.first, event.c.staff_id),
        )
    ).one()
    first, last = _triggers_due_in(month, lambda day: probation_due(calendar, day))
    done = exists(
        select(literal(1)).where(
            interview.c.staff_id == staff.c.id, interview.c.kind == "probation", *held
        )
    )
    probation = conn.execute(
        select(func.count().label("due"), count_if(done).label("done")).where(
            staff.c.probation_ends >= first,
            staff.c.probation_ends <= last,
            staff.c.created_at <= clock.now_utc,
            ~left_before(month.first),
        )
    ).one()
    return {
        "interviews_due": int(work.due) + int(probation.due),
        "interviews_done": int(work.done) + int(probation.done),
    }


def _leaving(conn: Connection, clock: Clock, month: Month) -> dict:
    """Leaving cases open at the month's end, and those whose last day had passed with a step still open (E1.2)."""
    end = as_of(clock, month)
    c = leave_case.c
    figures = conn.execute(
        select(
            func.count().label("open"), count_if(c.last_day < clock.local_date(end)).label("left")
        ).where(
            c.kind == "leave",
            c.voided_at.is_(None),
            c.created_at <= clock.now_utc,
            c.opened_at < end,
            or_(c.closed_at.is_(None), c.closed_at >= end),
        )
    ).one()
    return {"leaving_open": int(figures.open), "left_with_steps_open": int(figures.left)}


def _appeals(conn: Connection, policy: Policy, clock: Clock, month: Month) -> dict:
    """Appeals filed, rounds decided, and decisions notified to all three parties in the month (E2.6.5)."""
    live = and_(appeal.c.voided_at.is_(None), appeal.c.created_at <= clock.now_utc)
    filed = conn.execute(
        select(func.count()).where(live, within(appeal.c.filed_at, month, clock))
    ).scalar_one()
    s = appeal_step.c
    decided = conn.execute(
        select(func.count())
        .select_from(appeal_step.join(appeal, appeal.c.id == s.appeal_id))
        .where(live, s.action == "decide", within(s.at, month, clock))
    ).scalar_one()
    told = (
        select(
            s.appeal_id,
            s.round,
            func.count(func.distinct(s.notified)).label("parties"),
            func.max(s.at).label("last"),
        )
        .where(s.action == "notify", s.at <= clock.now_utc)
        .group_by(s.appeal_id, s.round)
        .subquery()
    )
    decisions = (
        select(s.appeal_id, s.round, func.min(s.at).label("at"))
        .where(s.action == "decide", s.at <= clock.now_utc)
        .group_by(s.appeal_id, s.round)
        .subquery()
    )
    shift = utc_offset(clock, month)
    deadline = case(
        _notify_deadlines(policy, clock, month), value=local_day(decisions.c.at, shift), else_=None
    )
    notified = conn.execute(
        select(
            func.count().label("notified"),
            count_if(local_day(told.c.last, shift) <= deadline).label("in_time"),
        )
        .select_from(
            told.join(
                decisions,
                and_(decisions.c.appeal_id == told.c.appeal_id, decisions.c.round == told.c.round),
            ).join(appeal, appeal.c.id == told.c.appeal_id)
        )
        .where(live, told.c.parties >= RECIPIENTS, within(told.c.last, month, clock))
    ).one()
    return {
        "appeals_filed": int(filed),
        "appeals_decided": int(decided),
        "appeals_notified": int(notified.notified),
        "appeals_notified_in_time": int(notified.in_time),
    }


def _notify_deadlines(policy: Policy, clock: Clock, month: Month) -> dict[date, date]:
    """The notification deadline of a decision taken on each day from a while before the month to its end (a decision
    older than that was notified late if its notification completed in the month)."""
    calendar = WorkCalendar()
    rule = policy.first("appeal-notify")
    notify_within = rule.due_in if rule and rule.due_in else "0d"
    found = {}
    day = month.first - timedelta(days=SEARCH_DAYS // 2)
    while day <= month.last:
        due = offset(
            notify_within,
            clock.localize(datetime.combine(day, datetime.min.time())),
            calendar,
        )
        found[day] = due.date() if isinstance(due, datetime) else due
        day += timedelta(days=1)
    return found
