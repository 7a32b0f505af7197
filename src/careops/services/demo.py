"""A realistic, deterministic demo site whose history ends at the clock's now.

Zones of ~300 households, a butler each, a center manager, a supervisor, a chief
butler and a health butler; some owners not moved in, a few key-attention
households; a committee chair, a community office, a housing bureau; a year of
visits (most households reached every month, a few missed), busy calls with
callbacks. Written with set-based bulk inserts: 100,000 households and ~1.2
million visits take well under two minutes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict, cast

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, func, insert, select
from sqlmodel import Session

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.errors import Conflict, InvalidInput
from careops.i18n import _
from careops.scheduler.tables import obligation, party, rain_day, staff, tag, visit, zone
from careops.services.audit import note
from careops.services.depts import record_named_depts
from careops.services.refs import staff_name

HOUSEHOLDS_PER_ZONE = 300
HISTORY_MONTHS = 12
# The site is Chinese: its people have Chinese names and its flats units like 3栋2单元1201 (building, entrance, flat).
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "高",
    "罗",
]
STAFF_GIVEN = [
    "晓明",
    "建国",
    "丽华",
    "海燕",
    "桂英",
    "秀英",
    "志强",
    "玉明",
    "文杰",
    "冬梅",
    "建华",
    "雨菲",
]
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀",
    "慧",
    "平",
    "刚",
    "华",
    "丹",
    "颖",
    "波",
    "红",
    "娟",
    "峰",
    "鑫",
    "宇",
    "浩",
    "凯",
    "兰",
    "梅",
    "荣",
    "斌",
    "海",
    "宁",
    "青",
    "云",
    "鹏",
]
SLOTS = [(time(9, 30), 150), (time(14, 30), 150), (time(19, 15), 90)]  # inside the P3 call windows
BATCH = 20_000
SERVICE_DESK = "客服中心"
ENGINEERING = "工程部"
BUTLERS_DEPT, CENTER, HEALTH = "管家部", "服务中心", "健康管家"

# What this module says to people (one place, ready for translation).
# The demo's records, written as the site's staff would write them (data, not messages: the same in any language).
DEMO_EVENTS = [  # (days ago, local time, event, note)
    (1, time(20, 40), "emergency-repair", "厨房水槽下水管爆裂，已抢修"),
    (6, time(11, 0), "leak-repair", "阳台地漏重新密封"),
    (2, time(16, 0), "bereavement", "业主父亲去世"),
    (3, time(10, 0), "commission-done", "已为业主配好备用钥匙"),
]
DEMO_CALLER = "李娜 13800001111"
DEMO_MATTERS = [  # (days ago, local time, from: household | caller | anonymous, channel, kind, severity, summary, then)
    (1, time(19, 40), "caller", "hotline", "complaint", "urgent", "2栋电梯本周两次困人", None),
    (
        6,
        time(10, 30),
        "household",
        "letter",
        "complaint",
        "general",
        "晚上22点后健身房噪音扰民",
        "route",
    ),
    (3, time(9, 15), "household", "walk-in", "complaint", "general", "停车道闸卡失灵", "resolve"),
    (1, time(17, 0), "anonymous", "box", "suggestion", "general", "池塘边多放几张长椅", None),
]
DEMO_RESOLUTION = "已重新发放道闸卡"


class CompanyExtra(TypedDict, total=False):
    probation: int  # ends in so many days
    contract: int  # ends in so many days
    key: bool  # a key position


# The company side (E1, E2): a small pharmaceutical company on the same site. Given names no household or butler has.
# (name, role, dept, reports to, hired: days ago, extra: probation ends / contract ends in days, key position)
DEMO_COMPANY: list[tuple[str, str, str, str | None, int, CompanyExtra]] = [
    ("钱德明", "chairman", "董事会", None, 4000, {}),
    ("冯淑芬", "gm", "总经理办公室", "钱德明", 3000, {"contract": 700}),
    ("唐亚萍", "hr", "人力资源部", "冯淑芬", 1500, {"contract": 400}),
    ("曹卫东", "union", "工会", "冯淑芬", 2500, {}),
    ("邓国强", "dept-head", "生产部", "冯淑芬", 2200, {"key": True}),
    ("彭素珍", "dept-head", "质量部", "冯淑芬", 1800, {}),
    ("江丽君", "employee", "生产部", "邓国强", 170, {"probation": 10, "contract": 900}),
    ("沈春华", "employee", "生产部", "邓国强", 1100, {"contract": 20}),
    ("韩振宇", "employee", "生产部", "邓国强", 800, {"contract": 300}),
    ("姚晓红", "employee", "生产部", "邓国强", 600, {"contract": 500}),
    ("陆宝山", "employee", "生产部", "邓国强", 2000, {"key": True}),
    ("范金龙", "employee", "质量部", "彭素珍", 900, {}),
    ("谢美芳", "employee", "质量部", "彭素珍", 400, {}),
]
DEMO_ONE_TO_ONES = [  # (employee, manager, days ago, minutes)
    ("冯淑芬", "钱德明", 250, 150),
    ("唐亚萍", "冯淑芬", 220, 120),
    ("姚晓红", "邓国强", 160, 120),
    ("韩振宇", "邓国强", 190, 90),
    ("范金龙", "彭素珍", 70, 130),
]
DEMO_PAY_CHANGE = ("韩振宇", 3, "年度调薪：+4%")
DEMO_LEAVER = ("陆宝山", 12, "随家人迁居外地", "handover")
DEMO_APPEAL = ("韩振宇", "邓国强", 6, "10月加班费未发放", "已核对10月考勤记录", "姚晓红")
DEMO_HR = "唐亚萍"
HOUSEHOLDS_RANGE = _("--households must be between 1 and 1,000,000.")
NOT_EMPTY = _("this database already holds records; build the demo in a new one (--db demo.db).")
AUDIT_DEMO = _("demo site built: {households} households, seed {seed}")


@dataclass
class DemoSummary:
    zones: int
    staff: int
    households: int
    visits: int
    demo_butler: str


def build_demo(
    *, session: Session, clock: Clock, households: int = 600, seed: int = 7
) -> DemoSummary:
    if households < 1 or households > 1_000_000:
        raise InvalidInput(HOUSEHOLDS_RANGE)
    conn = session.connection()
    if (
        conn.execute(select(func.count()).select_from(party)).scalar()
        or conn.execute(select(func.count()).select_from(staff)).scalar()
    ):
        raise Conflict(NOT_EMPTY)
    rng = random.Random(seed)
    created = clock.now_utc - relativedelta(months=HISTORY_MONTHS + 1)
    since = (clock.now - relativedelta(months=HISTORY_MONTHS + 1)).date()
    manager, _supervisor, butlers, health, desk = _staff(
        conn, rng, math.ceil(households / HOUSEHOLDS_PER_ZONE), created
    )
    zone_ids = _zones(conn, butlers, health, created)
    party_ids, statuses = _households(conn, rng, households, zone_ids, since, created)
    contacts = _contacts(conn, since, created)
    keyed = _key_tags(conn, rng, party_ids, statuses, since)
    zone_of = {pid: zone_ids[i // HOUSEHOLDS_PER_ZONE] for i, pid in enumerate(party_ids)}
    butler_of_zone = dict(zip(zone_ids, butlers, strict=False))
    rows = _household_visits(rng, clock, party_ids, statuses, zone_of, butler_of_zone)
    rows += _manager_visits(rng, clock, manager, contacts, keyed)
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(visit), rows[start : start + BATCH])
    _callbacks(conn, rng, clock, party_ids[:HOUSEHOLDS_PER_ZONE], butlers[0])
    first_zone = list(zip(party_ids, statuses, strict=False))[:HOUSEHOLDS_PER_ZONE]
    _events_and_register(session, rng, clock, first_zone, desk)
    _company(session, clock)
    record_named_depts(
        session, clock
    )  # the site's own departments (service desk, engineering…) as records
    note(
        session,
        clock,
        action="demo",
        kind="site",
        detail=AUDIT_DEMO.format(households=households, seed=seed),
    )
    return DemoSummary(
        len(zone_ids),
        len(butlers) + 6 + len(DEMO_COMPANY),
        households,
        len(rows),
        cast(str, staff_name(conn, butlers[0])),  # written above
    )


def _names(rng: random.Random, count: int, given: list[str] = GIVEN) -> list[str]:
    pool = [f"{s}{g}" for s in SURNAMES for g in given]
    rng.shuffle(pool)
    return [
        pool[i % len(pool)] + ("" if i < len(pool) else f" {i // len(pool) + 1}")
        for i in range(count)
    ]


def _staff(
    conn: Connection, rng: random.Random, zones: int, created: datetime
) -> tuple[int, int, list[int], int, dict[str, int]]:
    names = _names(rng, zones + 6, STAFF_GIVEN)  # never the same as a household's name

    def add(name: str, role: str, boss: int | None = None, dept: str = BUTLERS_DEPT) -> int:
        new_id: int = conn.execute(
            insert(staff).returning(staff.c.id),
            {
                "name": name,
                "role": role,
                "dept": dept,
                "reports_to_id": boss,
                "created_at": created,
            },
        ).scalar_one()
        return new_id

    manager = add(names[0], "manager", dept=CENTER)
    supervisor = add(names[1], "supervisor", manager)
    add(names[2], "chief-butler", supervisor)
    health = add(names[3], "health-butler", supervisor, dept=HEALTH)
    butlers = [add(n, "butler", supervisor) for n in names[4 : 4 + zones]]
    desk = {
        "keeper": add(names[4 + zones], "office", manager, dept=SERVICE_DESK),
        "engineering": add(names[5 + zones], "dept-head", manager, dept=ENGINEERING),
    }
    return manager, supervisor, butlers, health, desk


def _zones(conn: Connection, butlers: list[int], health: int, created: datetime) -> Sequence[int]:
    names = [chr(65 + i) if i < 26 else f"Z{i + 1:03d}" for i in range(len(butlers))]
    rows = [
        {"name": n, "butler_id": b, "health_butler_id": health, "created_at": created}
        for n, b in zip(names, butlers, strict=False)
    ]
    return (
        conn.execute(insert(zone).returning(zone.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )


def _households(
    conn: Connection,
    rng: random.Random,
    count: int,
    zone_ids: Sequence[int],
    since: date,
    created: datetime,
) -> tuple[list[int], list[str]]:
    names = _names(rng, count)
    rows: list[dict[str, object]] = []
    statuses: list[str] = []
    for i in range(count):
        status = "not-moved-in" if rng.random() < 0.08 else "occupied"
        moved_in = since - timedelta(days=rng.randrange(30, 900))
        statuses.append(status)
        building, rest = divmod(i, 60)
        rows.append(
            {
                "kind": "household",
                "name": names[i],
                "unit": f"{building + 1}栋{rest // 30 + 1}单元{(rest % 30) // 2 + 1}{rest % 2 + 1:02d}",
                "zone_id": zone_ids[i // HOUSEHOLDS_PER_ZONE],
                "phone": f"138{rng.randrange(10**8):08d}",
                "status": status,
                "moved_in": moved_in if status == "occupied" else None,
                "status_since": moved_in if status == "occupied" else since,
                "created_at": created,
            }
        )
    ids: list[int] = []
    for start in range(0, count, BATCH):
        ids += (
            conn.execute(
                insert(party).returning(party.c.id, sort_by_parameter_order=True),
                rows[start : start + BATCH],
            )
            .scalars()
            .all()
        )
    return ids, statuses


def _contacts(conn: Connection, since: date, created: datetime) -> dict[str, int]:
    names = {
        "committee-chair": "业委会钱主任",
        "community-office": "滨江社区居委会",
        "housing-bureau": "区房管局物业管理科",
    }
    return {
        kind: conn.execute(
            insert(party).returning(party.c.id),
            {
                "kind": "contact",
                "name": name,
                "contact_kind": kind,
                "status_since": since,
                "created_at": created,
            },
        ).scalar_one()
        for kind, name in names.items()
    }


def _key_tags(
    conn: Connection, rng: random.Random, party_ids: list[int], statuses: list[str], since: date
) -> list[int]:
    keyed = [
        pid
        for pid, s in zip(party_ids, statuses, strict=False)
        if s == "occupied" and rng.random() < 0.03
    ] or party_ids[:1]
    conn.execute(insert(tag), [{"party_id": pid, "tag": "key", "since": since} for pid in keyed])
    return keyed


def _months(clock: Clock) -> list[date]:
    first = clock.today.replace(day=1)
    return [first - relativedelta(months=k) for k in range(HISTORY_MONTHS, -1, -1)]


def _moment(rng: random.Random, clock: Clock, day: date) -> datetime:
    start, span = SLOTS[rng.randrange(len(SLOTS))]
    local = datetime.combine(day, start) + timedelta(minutes=rng.randrange(span))
    return clock.utc_of_local(local)


def _day_in(rng: random.Random, month: date, last: date) -> date | None:
    days = (min(month + relativedelta(months=1), last + timedelta(days=1)) - month).days
    return month + timedelta(days=rng.randrange(days)) if days > 0 else None


def _household_visits(
    rng: random.Random,
    clock: Clock,
    party_ids: list[int],
    statuses: list[str],
    zone_of: dict[int, int],
    butler_of_zone: dict[int, int],
) -> list[dict[str, object]]:
    """About one reached contact a month per occupied household (one a quarter if not moved in)."""
    rows: list[dict[str, object]] = []
    today, yesterday = clock.today, clock.today - timedelta(days=1)
    months = _months(clock)
    current = months[-1]
    elapsed = (today - current).days / ((current + relativedelta(months=1)) - current).days
    for pid, status in zip(party_ids, statuses, strict=False):
        by = butler_of_zone[zone_of[pid]]
        for month in months:
            if status == "not-moved-in" and (month.month - 1) % 3 != 0:
                continue
            chance = 0.95 if month < current else elapsed * 0.9
            if month == months[-2]:
                chance = 0.93  # a few missed last month: they show as overdue
            if rng.random() >= chance:
                continue
            day = _day_in(rng, month, yesterday if month == current else today)
            if day is None:
                continue
            phone = status == "not-moved-in" or rng.random() < 0.55
            if phone and rng.random() < 0.12:
                rows.append(
                    _visit(
                        pid,
                        by,
                        "phone",
                        _moment(rng, clock, day),
                        rng.choice(["busy", "no-answer"]),
                        clock,
                    )
                )
            rows.append(
                _visit(
                    pid,
                    by,
                    "phone" if phone else "door",
                    _moment(rng, clock, day),
                    "reached",
                    clock,
                )
            )
    return rows


def _visit(
    pid: int, by: int, channel: str, at: datetime, outcome: str, clock: Clock
) -> dict[str, object]:
    return {
        "party_id": pid,
        "staff_id": by,
        "channel": channel,
        "at": at,
        "minutes": 5 if channel == "phone" else 15,
        "outcome": outcome,
        "created_at": min(at + timedelta(hours=2), clock.now_utc),
        "note": None,
        "callback_at": None,
    }


def _manager_visits(
    rng: random.Random, clock: Clock, manager: int, contacts: dict[str, int], keyed: list[int]
) -> list[dict[str, object]]:
    """The manager kept P2 up, except the community office this period and a key household this month."""
    rows: list[dict[str, object]] = []
    current = _months(clock)[-1]
    for month in _months(clock)[:-1]:
        last = month + relativedelta(months=1) - timedelta(days=1)
        rows.append(
            _visit(
                contacts["committee-chair"],
                manager,
                "door",
                _moment(rng, clock, cast(date, _day_in(rng, month, last))),  # `last` is in `month`
                "reached",
                clock,
            )
        )
        rows.append(
            _visit(
                rng.choice(keyed),
                manager,
                "door",
                _moment(rng, clock, cast(date, _day_in(rng, month, last))),
                "reached",
                clock,
            )
        )
        if month < period_of("two-month", clock.today).start and month.month % 2 == 1:
            rows.append(
                _visit(
                    contacts["community-office"],
                    manager,
                    "door",
                    _moment(rng, clock, month + timedelta(days=9)),
                    "reached",
                    clock,
                )
            )
        if month.month % 3 == 1:
            rows.append(
                _visit(
                    contacts["housing-bureau"],
                    manager,
                    "door",
                    _moment(rng, clock, month + timedelta(days=14)),
                    "reached",
                    clock,
                )
            )
    if clock.today > current:
        rows.append(
            _visit(
                contacts["committee-chair"],
                manager,
                "door",
                _moment(rng, clock, current),
                "reached",
                clock,
            )
        )
    return rows


def _callbacks(
    conn: Connection, rng: random.Random, clock: Clock, zone_households: list[int], butler: int
) -> None:
    """Two busy calls in the first zone: callbacks due today and tomorrow."""
    for offset, pid in zip((0, 1), rng.sample(zone_households, 2), strict=False):
        at = clock.utc_of_local(datetime.combine(clock.today - timedelta(days=1), time(15, 10)))
        due = clock.utc_of_local(
            datetime.combine(clock.today + timedelta(days=offset), time(15, 0))
        )
        vid = conn.execute(
            insert(visit).returning(visit.c.id),
            _visit(pid, butler, "phone", at, "busy", clock) | {"callback_at": due},
        ).scalar()
        conn.execute(
            insert(obligation),
            {
                "kind": "callback",
                "rule": "p3-callback",
                "clause": "P3",
                "party_id": pid,
                "owner_id": butler,
                "due_at": due,
                "state": "open",
                "source_visit_id": vid,
                "opened_at": at,
                "created_at": at,
            },
        )


def _events_and_register(
    session: Session,
    rng: random.Random,
    clock: Clock,
    households: list[tuple[int, str]],
    desk: dict[str, int],
) -> None:
    """A few events and register entries in the first zone, each recorded at its own moment, as it happened."""
    from careops.policy.loader import load_policy
    from careops.services import register
    from careops.services.followups import record_event
    from careops.vocab import RegisterChannel, RegisterKind, Severity

    policy = load_policy()
    occupied = [pid for pid, status in households if status == "occupied"]
    picked = rng.sample(occupied, len(DEMO_EVENTS) + len(DEMO_MATTERS))
    for (days, at, kind, text), pid in zip(DEMO_EVENTS, picked, strict=False):
        when = datetime.combine(clock.today - timedelta(days=days), at)
        record_event(
            session=session,
            clock=Clock.at(when, clock.tz),
            policy=policy,
            ref=f"#{pid}",
            kind=kind,
            at=when,
            note_text=text,
        )
    session.connection().execute(
        insert(rain_day), {"day": clock.today - timedelta(days=1), "created_at": clock.now_utc}
    )
    for (days, hour, source, channel, kind, severity, summary, then), pid in zip(
        DEMO_MATTERS, picked[len(DEMO_EVENTS) :], strict=False
    ):
        when = datetime.combine(clock.today - timedelta(days=days), hour)
        opened = Clock.at(when, clock.tz)
        matter = register.open_matter(
            session=session,
            clock=opened,
            ref=f"#{pid}" if source == "household" else None,
            caller=DEMO_CALLER if source == "caller" else None,
            summary=summary,
            channel=RegisterChannel(channel),
            kind=RegisterKind(kind),
            severity=Severity(severity),
            at=when,
        ).matter
        if then:
            routed = Clock.at(when + timedelta(minutes=40), clock.tz)
            register.route(session=session, clock=routed, number=matter.number, dept=ENGINEERING)
        if then == "resolve":
            later = Clock.at(when + timedelta(days=1, hours=2), clock.tz)
            register.resolve(
                session=session,
                clock=later,
                policy=policy,
                number=matter.number,
                note_text=DEMO_RESOLUTION,
            )


def _company(session: Session, clock: Clock) -> None:
    """The company's people and a few of their facts, each recorded at its own moment through the services."""
    from careops.policy.loader import load_policy
    from careops.services import appeals, interviews, leaving
    from careops.services.staff import add_staff
    from careops.vocab import AppealChannel, ExitBy, Grounds, InterviewKind, LeaveStep, Role

    policy = load_policy()
    today = clock.today
    builder = session.info.get("actor")
    for name, role, dept, boss, hired, extra in DEMO_COMPANY:
        probation, contract = extra.get("probation"), extra.get("contract")
        add_staff(
            session=session,
            clock=clock,
            name=name,
            role=Role(role),
            dept=dept,
            reports_to=boss,
            hired=today - timedelta(days=hired),
            key_position=extra.get("key", False),
            probation_ends=today + timedelta(days=probation) if probation else None,
            contract_ends=today + timedelta(days=contract) if contract else None,
        )

    def at(days: int, hour: int = 10) -> tuple[Clock, datetime]:
        when = datetime.combine(today - timedelta(days=days), time(hour))
        return Clock.at(when, clock.tz), when

    for employee, manager, days, minutes in DEMO_ONE_TO_ONES:
        then, when = at(days, 14)
        interviews.log_interview(
            session=session,
            clock=then,
            policy=policy,
            employee=employee,
            by=manager,
            kind=InterviewKind.one_to_one,
            minutes=minutes,
            at=when,
        )
    name, days, text = DEMO_PAY_CHANGE
    then, when = at(days)
    interviews.record_staff_event(
        session=session, clock=then, ref=name, kind="pay-change", at=when, note_text=text
    )
    name, last_in, reason, done = DEMO_LEAVER
    then, _ = at(5)
    case = leaving.start_leave(
        session=session,
        clock=then,
        policy=policy,
        employee=name,
        last_day=today + timedelta(days=last_in),
        reason=reason,
        exit_by=ExitBy.hr,
    )
    then, _ = at(2, 16)
    _acting(session, DEMO_HR)
    leaving.do_step(session=session, clock=then, case_id=case.id, step=LeaveStep(done))
    name, receiver, days, summary, found, consulted = DEMO_APPEAL
    then, when = at(days, 9)
    _acting(session, receiver)
    filed = appeals.file_appeal(
        session=session,
        clock=then,
        policy=policy,
        employee=name,
        to=receiver,
        channel=AppealChannel.written,
        signed=True,
        grounds=Grounds.interests,
        summary=summary,
        at=when,
    )
    then, _ = at(days - 2, 15)
    appeals.investigate(
        session=session, clock=then, appeal_id=filed.id, note_text=found, with_staff=[consulted]
    )
    session.info["actor"] = builder


def _acting(session: Session, name: str) -> None:
    """The demo's steps are taken by the people who would take them (HR, the receiver), not by whoever builds it."""
    from careops.services.audit import Actor

    person = (
        session.connection().execute(select(staff.c.id).where(staff.c.name == name)).scalar_one()
    )
    session.info["actor"] = Actor(name, person)
