"""The hospital demo (`careops demo --site hospital`): the office's side of the public supervision regime (H3).

Leadership, the office clerk, three clinical departments and two functional ones; a year of ward
forums with minutes (Paediatrics missed October and has not held November's), the hospital's
quarterly forum, the supervisors' meeting in May (one opinion done, one explained), no community
forum yet this year; disclosure checks (one failed in Surgery, one item not yet checked); one
patient survey in April, anonymous, with answers from each ward; the leadership's contacts with the
district government and the health commission. Every fact is recorded through the services at its
own moment, so the demo reads like real use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select
from sqlmodel import Session

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.errors import Conflict
from careops.i18n import _
from careops.scheduler.tables import party, staff
from careops.services.audit import Actor, note

if TYPE_CHECKING:
    from careops.policy.models import Policy
    from careops.vocab import MeetingKind

# The hospital's people: (name, role, dept). A Chinese hospital: its records are written in Chinese
# (data, the same in any language); what careops says about them is translated.
STAFF = [
    ("白静怡", "leadership", "院领导"),
    ("林秋月", "leadership", "院领导"),
    ("周文静", "office", "院办"),
    ("宋丽华", "dept-head", "内科"),
    ("许国良", "dept-head", "外科"),
    ("马玉琴", "dept-head", "儿科"),
    ("何建平", "dept-head", "护理部"),
    ("郭敏", "dept-head", "医务科"),
]
CLINICAL = [("内科", "宋丽华"), ("外科", "许国良"), ("儿科", "马玉琴")]
MEDICINE, SURGERY, PAEDIATRICS = (name for name, _head in CLINICAL)
FUNCTIONAL = [("护理部", "何建平"), ("医务科", "郭敏")]
CLERK = "周文静"
DIRECTOR = "白静怡"
ATTENDEES = ["{n}床患者", "{m}床患者女儿", "护士长", "住院医师"]
FORUM_MINUTES = "讲解住院须知和探视时间；宣传{topic}知识。意见：{opinion}。主持：{chair}。"
TOPICS = ["糖尿病饮食", "防跌倒", "手卫生", "流感季节防护", "术后护理", "儿童发热"]
QUIET_MONTH_OPINION = "无"
OPINIONS_NOW = [
    ("内科", "夜间走廊推车噪音大", "宋丽华", "已更换推车轮子，夜间查房使用静音推车"),
    ("内科", "5病区洗漱间热水晚上8点前就用完", "何建平", None),
]
SUPERVISORS_MINUTES = "通报医院全年工作；收集并研究了十二位监督员的意见和建议。"
SUPERVISORS = "十二位社会义务监督员"
SUPERVISORS_OPINIONS = [
    ("在大厅屏幕上公布CT排队等候时间", "郭敏", "done", "6月起大厅屏幕显示排队时间"),
    (
        "在东侧为患者家属设停车场",
        "白静怡",
        "explained",
        "东侧地块属市政所有；已在6月回访电话中解释",
    ),
]
CONTACTS = [("西城区人民政府", "government"), ("区卫生健康委员会", "health-authority")]
SURVEY = ("春季征求意见卡", "care:医疗质量", "attitude:服务态度", "clean:病房卫生")
HOSPITAL_ATTENDEES = ["白静怡", "何建平", "郭敏", "患者代表"]
FAILED_CHECK = ("H3.7.3", SURGERY, "外科病区服务台的药品价格表仍是去年的")
UNCHECKED = "H3.7.6"

# What this module says to people (one place, ready for translation).
NOT_EMPTY = _(
    "this database already holds records; build the demo in a new one (--db hospital.db)."
)
AUDIT_DEMO = _("hospital demo built")


@dataclass
class HospitalSummary:
    depts: int
    staff: int
    meetings: int
    answers: int
    clerk: str


def build_hospital(*, session: Session, clock: Clock, seed: int = 7) -> HospitalSummary:
    from careops.policy.loader import load_policy
    from careops.services import checks, contacts, depts, meetings, surveys, visits
    from careops.services.staff import add_staff
    from careops.vocab import Audience, Channel, ContactKind, MeetingKind, OpinionKind, Role

    conn = session.connection()
    if (
        conn.execute(select(func.count()).select_from(party)).scalar()
        or conn.execute(select(func.count()).select_from(staff)).scalar()
    ):
        raise Conflict(NOT_EMPTY)
    policy = load_policy()
    rng = random.Random(seed)
    builder = session.info.get("actor")
    today = clock.today
    start = date(today.year - 1, 12, 1)

    def at(day: date, hour: int = 10) -> Clock:
        return Clock.at(datetime.combine(day, time(hour)), clock.tz)

    def acting(name: str) -> None:
        person = conn.execute(select(staff.c.id).where(staff.c.name == name)).scalar_one()
        session.info["actor"] = Actor(name, person)

    then = at(start, 9)
    for name, role, dept in STAFF:
        add_staff(session=session, clock=then, name=name, role=Role(role), dept=dept)
    for name, head in CLINICAL:
        depts.edit_dept(session=session, clock=then, ref=name, clinical=True, head=head)
    for name, head in FUNCTIONAL:
        depts.edit_dept(session=session, clock=then, ref=name, head=head)
    for name, kind in CONTACTS:
        contacts.add_contact(session=session, clock=then, name=name, kind=ContactKind(kind))

    held = 0
    acting(CLERK)
    # Ward forums: every clinical department, every month since January; November so far in Internal Medicine
    # only, Surgery's is scheduled for the 30th, Paediatrics missed October too.
    month = date(today.year, 1, 1)
    while month <= today:
        for index, (name, head) in enumerate(CLINICAL):
            if month.month == today.month and name != MEDICINE:
                continue
            if name == PAEDIATRICS and month.month == today.month - 1:
                continue
            day = month + timedelta(days=10 + index * 3)
            if day >= today:
                continue
            held += _forum(
                session,
                at(day - timedelta(days=7)),
                at(day, 16),
                MeetingKind.ward_forum,
                day,
                name,
                head,
                rng,
                meetings,
                policy,
            )
        if month.month in (1, 4, 7, 10):  # the hospital's forum, each quarter
            day = month + timedelta(days=19)
            if day < today:
                held += _forum(
                    session,
                    at(day - timedelta(days=14)),
                    at(day, 16),
                    MeetingKind.hospital_ward_forum,
                    day,
                    None,
                    DIRECTOR,
                    rng,
                    meetings,
                    policy,
                )
        month = (month + timedelta(days=32)).replace(day=1)
    # This month's Internal Medicine forum raised two opinions: one done already.
    forum_id = _last_meeting(conn, MEDICINE)
    for _dept, text, owner, done in OPINIONS_NOW:
        raised = meetings.add_opinion(
            session=session,
            clock=at(today - timedelta(days=8), 17),
            policy=policy,
            meeting_id=forum_id,
            text=text,
            owner=owner,
        )
        if done:
            acting(owner)
            meetings.close_action(
                session=session,
                clock=at(today - timedelta(days=3), 15),
                action_id=raised.id,
                note_text=done,
            )
            acting(CLERK)
    surgery = period_of("month", today).end
    meetings.schedule(
        session=session,
        clock=at(today - timedelta(days=5)),
        policy=policy,
        kind=MeetingKind.ward_forum,
        day=surgery,
        dept_ref=SURGERY,
    )
    # The volunteer social supervisors met in May (H3.4): one suggestion done, one explained.
    may = date(today.year, 5, 15)
    supervisors = meetings.schedule(
        session=session,
        clock=at(may - timedelta(days=20)),
        policy=policy,
        kind=MeetingKind.volunteer_supervisors,
        day=may,
    )
    meetings.hold(
        session=session,
        clock=at(may, 17),
        meeting_id=supervisors.id,
        attendees=[*HOSPITAL_ATTENDEES[:3], SUPERVISORS],
        minutes=SUPERVISORS_MINUTES,
    )
    held += 1
    for text, owner, how, note_text in SUPERVISORS_OPINIONS:
        raised = meetings.add_opinion(
            session=session,
            clock=at(may, 18),
            policy=policy,
            meeting_id=supervisors.id,
            text=text,
            owner=owner,
            kind=OpinionKind.opinion,
        )
        acting(owner)
        meetings.close_action(
            session=session,
            clock=at(may + timedelta(days=20)),
            action_id=raised.id,
            note_text=note_text,
            explained=how == "explained",
        )
        acting(CLERK)
    # Disclosure checks: all kept in October; this month one failed in Surgery and one not checked yet.
    october = (period_of("month", today).start - timedelta(days=1)).replace(day=20)
    for item in checks.check_items(policy):
        checks.record_check(
            session=session, clock=at(october), policy=policy, item=item.id, ok=True
        )
        if item.id == UNCHECKED:
            continue
        failed = item.id == FAILED_CHECK[0]
        checks.record_check(
            session=session,
            clock=at(today - timedelta(days=6), 11),
            policy=policy,
            item=item.id,
            ok=not failed,
            dept_ref=FAILED_CHECK[1] if failed else None,
            note_text=FAILED_CHECK[2] if failed else None,
        )
    # One patient survey this year (H3.3 asks for two): April's opinion cards, anonymous, by ward.
    april = date(today.year, 4, 1)
    created = surveys.create_survey(
        session=session,
        clock=at(april - timedelta(days=3)),
        policy=policy,
        name=SURVEY[0],
        audience=Audience.patients,
        opens=april,
        closes=date(today.year, 4, 30),
        anonymous=True,
        questions=list(SURVEY[1:]),
    )
    answers = 0
    for name, count in ((MEDICINE, 14), (SURGERY, 11), (PAEDIATRICS, 4)):
        for _answer in range(count):
            day = april + timedelta(days=rng.randrange(28))
            scores = [
                f"care={rng.choice([3, 4, 4, 5, 5])}",
                f"attitude={rng.choice([3, 4, 5, 5])}",
                f"clean={rng.choice([2, 3, 4, 4, 5])}",
            ]
            surveys.respond(
                session=session,
                clock=at(day, 15),
                survey_id=created.id,
                scores=scores,
                dept_ref=name,
            )
            answers += 1
    # Leadership liaison (H3.2): the government this quarter, the health commission last in the summer.
    acting(DIRECTOR)
    for name, day in (
        (CONTACTS[0][0], today - timedelta(days=40)),
        (CONTACTS[1][0], date(today.year, 8, 18)),
    ):
        visits.log_visit(
            session=session,
            clock=at(day, 15),
            policy=policy,
            ref=name,
            by=DIRECTOR,
            channel=Channel.door,
            at=datetime.combine(day, time(15)),
        )
    session.info["actor"] = builder
    note(session, clock, action="demo", kind="site", detail=AUDIT_DEMO.format())
    return HospitalSummary(len(CLINICAL) + len(FUNCTIONAL), len(STAFF), held, answers, CLERK)


def _forum(
    session: Session,
    scheduled: Clock,
    held: Clock,
    kind: MeetingKind,
    day: date,
    dept: str | None,
    chair: str,
    rng: random.Random,
    meetings: ModuleType,  # careops.services.meetings, imported where the demo is built
    policy: Policy,
) -> int:
    made = meetings.schedule(
        session=session,
        clock=scheduled,
        policy=policy,
        kind=kind,
        day=day,
        dept_ref=dept,
        chair=chair,
    )
    patients = rng.sample(range(1, 40), 2)
    attendees = (
        [a.format(n=patients[0], m=patients[1]) for a in ATTENDEES] if dept else HOSPITAL_ATTENDEES
    )
    meetings.hold(
        session=session,
        clock=held,
        meeting_id=made.id,
        attendees=attendees,
        minutes=FORUM_MINUTES.format(
            topic=rng.choice(TOPICS), opinion=QUIET_MONTH_OPINION, chair=chair
        ),
    )
    return 1


def _last_meeting(conn: Connection, dept_name: str) -> int:
    from careops.scheduler.tables import dept, meeting

    found: int = conn.execute(
        select(meeting.c.id)
        .join(dept, dept.c.id == meeting.c.dept_id)
        .where(dept.c.name == dept_name)
        .order_by(meeting.c.on_day.desc())
        .limit(1)
    ).scalar_one()
    return found
