"""H3.3, E3: an anonymous survey's answers are unlinkable: no column of the database ties one to a person.

The hospital of the rule tests (leadership Bai, office clerk Zhou, heads Song and Xu) with an employee Wu
and HR officer Han. People answer while different actors are set (`--as`, CAREOPS_USER), as at a terminal;
then every table and column is inspected from outside careops.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import Date, DateTime, Interval, String, Text, Time, func, inspect, select, text
from sqlmodel import Session

from careops.errors import InvalidInput
from careops.scheduler.tables import survey_answer, survey_score
from careops.services import surveys
from careops.services.audit import Actor, audit, set_actor
from careops.services.depts import add_dept
from careops.services.staff import add_staff
from careops.vocab import Audience, GroupBy, Role

from conftest import BACKEND, clock

HEX32 = re.compile(r"[0-9a-f]{32}")
SUPPRESSED = "fewer than 5 answers, not shown"
CARDS = ("care:Quality of care", "clean:Cleanliness of the ward")


def staff_and_wards(session) -> dict[str, int]:
    c = clock("2025-12-01 09:00")
    people = {
        name: add_staff(session=session, clock=c, name=name, role=role).id
        for name, role in (
            ("Bai", Role.leadership),
            ("Zhou", Role.office),
            ("Song", Role.dept_head),
            ("Xu", Role.dept_head),
            ("Han", Role.hr),
            ("Wu", Role.employee),
        )
    }
    add_dept(session=session, clock=c, name="Internal Medicine", clinical=True, head="Song")
    add_dept(session=session, clock=c, name="Surgery", clinical=True, head="Xu")
    return people


@pytest.fixture
def people(session) -> dict[str, int]:
    return staff_and_wards(session)


def create(
    session, policy, name: str, audience: Audience = Audience.patients, anonymous: bool = True
):
    return surveys.create_survey(
        session=session,
        clock=clock("2026-03-25 09:00"),
        policy=policy,
        name=name,
        audience=audience,
        opens=date(2026, 4, 1),
        closes=date(2026, 4, 30),
        anonymous=anonymous,
        questions=list(CARDS),
    )


def answer(session, survey_id: int, when: str, care: int = 4, clean: int = 3, **kw):
    return surveys.respond(
        session=session,
        clock=clock(when),
        survey_id=survey_id,
        scores=[f"care={care}", f"clean={clean}"],
        **kw,
    )


def ids(session) -> set[str]:
    return set(session.connection().execute(select(survey_answer.c.id)).scalars())


def count(session, table) -> int:
    return session.connection().execute(select(func.count()).select_from(table)).scalar()


def answered_by_many(session, policy, monkeypatch, people) -> tuple:
    """Anonymous patient and employee answers typed in by different actors, and named answers on a named survey.
    Returns (anonymous survey ids, the anonymous answers' ids, the named answers' ids)."""
    cards = create(session, policy, "spring cards")
    staff_survey = create(
        session, policy, "staff 2026", Audience.employees, anonymous=False
    )  # anonymous all the same
    named = create(session, policy, "named cards", anonymous=False)
    anonymous_ids: list[str] = []
    actors = [
        lambda: set_actor(session, "Zhou"),  # --as Zhou
        lambda: (
            monkeypatch.setenv("CAREOPS_USER", "Song"),
            set_actor(session, None),
        ),  # CAREOPS_USER=Song
        lambda: session.info.__setitem__("actor", Actor("Wu", people["Wu"])),
    ]
    for n, act in enumerate(actors * 2):
        act()
        before = ids(session)
        answer(
            session,
            cards.id,
            f"2026-04-{n + 2:02d} 15:{n:02d}",
            care=n % 5 + 1,
            dept_ref="Surgery" if n % 2 else "Internal Medicine",
            comment=f"card {n}",
        )
        answer(session, staff_survey.id, f"2026-04-{n + 2:02d} 16:{n:02d}", dept_ref="Surgery")
        anonymous_ids += sorted(ids(session) - before)
    set_actor(session, "Zhou")
    before = ids(session)
    for name in ("Patient Li", "Patient Ma"):
        answer(session, named.id, "2026-04-10 10:00", respondent=name)
    return (cards.id, staff_survey.id), anonymous_ids, sorted(ids(session) - before)


def test_H3_3_E3_no_column_of_the_database_links_an_anonymous_answer_to_a_person(
    session, policy, monkeypatch, people
):
    anonymous_surveys, anonymous, named = answered_by_many(session, policy, monkeypatch, people)
    conn = session.connection()
    inspector = inspect(conn)

    assert (len(anonymous), len(named)) == (12, 2)
    # The answer rows themselves: no person, no staff member, no name — whoever typed them in.
    rows = conn.execute(select(survey_answer).where(survey_answer.c.id.in_(anonymous))).all()
    assert sorted({(r.survey_id, r.party_id, r.respondent) for r in rows}) == [
        (anonymous_surveys[0], None, None),
        (anonymous_surveys[1], None, None),
    ]
    assert sorted(
        conn.execute(
            select(survey_answer.c.respondent).where(survey_answer.c.id.in_(named))
        ).scalars()
    ) == ["Patient Li", "Patient Ma"]
    # Their tables: exactly these columns, no time of day anywhere, nothing that refers to staff.
    columns = {
        t: {c["name"]: c["type"] for c in inspector.get_columns(t)}
        for t in ("survey_answer", "survey_score")
    }
    assert sorted(columns["survey_answer"]) == [
        "comment",
        "day",
        "dept",
        "id",
        "party_id",
        "respondent",
        "survey_id",
        "zone_id",
    ]
    assert sorted(columns["survey_score"]) == ["answer_id", "key", "score"]
    for table, found in columns.items():
        assert [
            name for name, kind in found.items() if isinstance(kind, (DateTime, Time, Interval))
        ] == [], table
    assert isinstance(columns["survey_answer"]["day"], Date) and not isinstance(
        columns["survey_answer"]["day"], DateTime
    )
    links = {
        t: sorted(
            (tuple(fk["constrained_columns"]), fk["referred_table"])
            for fk in inspector.get_foreign_keys(t)
        )
        for t in inspector.get_table_names()
    }
    assert links["survey_answer"] == [
        (("party_id",), "party"),
        (("survey_id",), "survey"),
        (("zone_id",), "zone"),
    ]
    assert links["survey_score"] == [(("answer_id",), "survey_answer")]
    assert sorted(
        (t, cols)
        for t, fks in links.items()
        for cols, to in fks
        if to in ("survey_answer", "survey_score")
    ) == [("survey_score", ("answer_id",))]
    # Every text column of every table: an anonymous answer's id appears only as its own key and its scores'.
    seen_in = set()
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if not isinstance(column["type"], (String, Text)):
                continue
            values = conn.execute(text(f'SELECT "{column["name"]}" FROM "{table}"')).scalars()
            if any(
                value and any(answer_id in value for answer_id in anonymous) for value in values
            ):
                seen_in.add((table, column["name"]))
    assert sorted(seen_in) == [("survey_answer", "id"), ("survey_score", "answer_id")]


def test_H3_3_anonymous_answer_ids_are_random_not_the_order_of_arrival(session, policy, people):
    cards = create(session, policy, "spring cards")
    arrived = []
    for n in range(12):
        before = ids(session)
        answer(session, cards.id, f"2026-04-{n + 2:02d} 10:00")
        [new] = ids(session) - before
        arrived.append(new)

    assert [bool(HEX32.fullmatch(i)) for i in arrived] == [True] * 12
    assert len(set(arrived)) == 12
    # Twelve random ids fall in (or against) the order they came in once in 240 million runs.
    assert arrived not in (sorted(arrived), sorted(arrived, reverse=True))
    assert (
        len({i[:8] for i in arrived}) == 12
    )  # no shared prefix (a time- or counter-based id would have one)


def test_H3_3_anonymous_answers_write_no_audit_row(session, policy, monkeypatch, people):
    cards = create(session, policy, "spring cards")
    named = create(session, policy, "named cards", anonymous=False)
    set_actor(session, "Zhou")
    audited = count(session, audit)
    before = ids(session)

    for n in range(6):
        answer(
            session, cards.id, f"2026-04-{n + 2:02d} 10:00", dept_ref="Surgery", comment="good food"
        )
    anonymous = ids(session) - before

    assert (len(anonymous), count(session, audit)) == (6, audited)
    answer(session, named.id, "2026-04-10 10:00", respondent="Patient Li")
    rows = (
        session.connection()
        .execute(
            select(audit.c.action, audit.c.kind, audit.c.record_id, audit.c.actor, audit.c.detail)
            .where(audit.c.id > 0)
            .order_by(audit.c.id)
        )
        .all()
    )
    assert len(rows) == audited + 1
    assert tuple(rows[-1]) == (
        "answer",
        "survey",
        named.id,
        "Zhou",
        f"answer to survey #{named.id} from Patient Li",
    )
    assert [
        r for r in rows if r.kind == "survey" and r.record_id == cards.id and r.action != "add"
    ] == []
    texts = [
        " ".join(str(v) for v in r if v is not None)
        for r in session.connection().execute(select(audit)).all()
    ]
    assert [t for t in texts if any(answer_id in t for answer_id in anonymous)] == []


@pytest.mark.sqlite_only(
    "WITHOUT ROWID is a SQLite table option: no hidden rowid counting the answers in order"
)
def test_H3_3_answer_tables_have_no_rowid_on_sqlite(session, people):
    conn = session.connection()
    for table in ("survey_answer", "survey_score"):
        sql = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
        ).scalar()
        assert sql.rstrip().upper().endswith("WITHOUT ROWID"), sql
    with pytest.raises(Exception, match="no such column: rowid"):
        conn.execute(text("SELECT rowid FROM survey_answer"))


def test_H3_3_respondent_on_an_anonymous_survey_is_refused_and_nothing_is_written(
    session, policy, people
):
    cards = create(session, policy, "spring cards")
    staff_survey = create(session, policy, "staff 2026", Audience.employees, anonymous=False)
    written = (count(session, survey_answer), count(session, survey_score), count(session, audit))

    for made in (cards, staff_survey):
        with pytest.raises(InvalidInput) as refused:
            answer(session, made.id, "2026-04-02 10:00", respondent="Wu", dept_ref="Surgery")
        assert str(refused.value) == (
            f"survey #{made.id} is anonymous: an answer is never linked to anyone, so "
            "--respondent is refused. Nothing was recorded."
        )

    assert (
        count(session, survey_answer),
        count(session, survey_score),
        count(session, audit),
    ) == written


def test_H3_3_results_by_department_leave_out_groups_of_fewer_than_5(session, policy, people):
    cards = create(session, policy, "spring cards")
    for n, care in enumerate((5, 4, 4, 3, 5)):
        answer(
            session,
            cards.id,
            f"2026-04-{n + 2:02d} 10:00",
            care=care,
            dept_ref="Internal Medicine",
            comment="quiet nights" if n == 0 else None,
        )
    for n in range(4):
        answer(
            session,
            cards.id,
            f"2026-04-{n + 2:02d} 11:00",
            care=1,
            dept_ref="Surgery",
            comment="cold food",
        )
    answer(session, cards.id, "2026-04-09 12:00", care=2)

    found = surveys.results(
        session=session,
        clock=clock("2026-05-01 09:00"),
        policy=policy,
        survey_id=cards.id,
        by=GroupBy.dept,
    )

    assert (found["answers"], found["by"], found["min_group"]) == (10, "dept", 5)
    assert found["groups"] == [
        {
            "group": "Internal Medicine",
            "answers": 5,
            "scores": {"care": 4.2, "clean": 3.0},
            "note": None,
        },
        {"group": "Surgery", "answers": None, "scores": None, "note": SUPPRESSED},
        {"group": "(not given)", "answers": None, "scores": None, "note": SUPPRESSED},
    ]
    assert [(q["key"], q["answers"], q["mean"]) for q in found["questions"]] == [
        ("care", 10, 2.7),
        ("clean", 10, 3.0),
    ]
    assert found["comments"] == ["cold food", "cold food", "cold food", "cold food", "quiet nights"]


def test_H3_3_a_lone_department_of_4_answers_is_left_out_the_bar_itself(session, policy, people):
    """The bar is exactly min_group (5): Surgery, the only department under it, with 4 answers, is left out.
    Hiding it alone would let it be worked out as the total minus the others, so the smallest other
    department (Internal Medicine, 5) is hidden with it; Paediatrics (6) is shown."""
    add_dept(session=session, clock=clock("2025-12-01 09:00"), name="Paediatrics", clinical=True)
    cards = create(session, policy, "spring cards")
    for n, care in enumerate((5, 4, 4, 3, 5, 3)):
        answer(session, cards.id, f"2026-04-{n + 2:02d} 10:00", care=care, dept_ref="Paediatrics")
    for n in range(5):
        answer(
            session, cards.id, f"2026-04-{n + 2:02d} 11:00", care=2, dept_ref="Internal Medicine"
        )
    for n in range(4):
        answer(session, cards.id, f"2026-04-{n + 2:02d} 12:00", care=1, dept_ref="Surgery")

    found = surveys.results(
        session=session,
        clock=clock("2026-05-01 09:00"),
        policy=policy,
        survey_id=cards.id,
        by=GroupBy.dept,
    )

    assert (found["answers"], found["by"], found["min_group"]) == (15, "dept", 5)
    assert found["groups"] == [
        {
            "group": "Internal Medicine",
            "answers": None,
            "scores": None,
            "note": "not shown, so that a small group cannot be worked out from the total",
        },
        {"group": "Paediatrics", "answers": 6, "scores": {"care": 4.0, "clean": 3.0}, "note": None},
        {"group": "Surgery", "answers": None, "scores": None, "note": SUPPRESSED},
    ]
    assert [(q["key"], q["answers"], q["mean"]) for q in found["questions"]] == [
        ("care", 15, 2.53),
        ("clean", 15, 3.0),
    ]


def test_H3_3_comments_of_fewer_than_5_anonymous_answers_are_not_shown(session, policy, people):
    cards = create(session, policy, "spring cards")
    for n in range(4):
        answer(
            session,
            cards.id,
            f"2026-04-{n + 2:02d} 10:00",
            dept_ref="Surgery",
            comment=f"comment {n}",
        )

    found = surveys.results(
        session=session, clock=clock("2026-05-01 09:00"), policy=policy, survey_id=cards.id
    )

    assert (found["answers"], found["comments"], found["comments_note"]) == (4, [], SUPPRESSED)


@pytest.mark.skipif(
    BACKEND != "postgresql", reason="xmin, the inserting transaction's id, is PostgreSQL's"
)
def test_H3_3_postgresql_transaction_order_does_not_place_an_answer_between_audited_writes(
    engine, policy
):
    """Song's answer is typed between two of Song's audited writes; a later answer by someone else rewrites every
    answer of the survey: no row keeps the transaction that first wrote it, nor its place on disk."""

    def step(work, actor: str | None = None):
        with Session(engine, expire_on_commit=False) as s, s.begin():
            if actor:
                set_actor(s, actor)
            return work(s)

    step(staff_and_wards)
    cards = step(lambda s: create(s, policy, "spring cards"))
    step(
        lambda s: add_staff(
            session=s, clock=clock("2026-04-02 10:00"), name="Ke", role=Role.employee
        ),
        "Song",
    )
    step(lambda s: answer(s, cards.id, "2026-04-02 10:01", dept_ref="Surgery"), "Song")
    step(
        lambda s: add_staff(
            session=s, clock=clock("2026-04-02 10:02"), name="Ye", role=Role.employee
        ),
        "Song",
    )
    with engine.connect() as conn:
        [song_tx] = conn.execute(text("SELECT xmin::text::bigint FROM survey_answer")).scalars()
    step(
        lambda s: add_staff(
            session=s, clock=clock("2026-04-02 11:00"), name="Lu", role=Role.employee
        ),
        "Ke",
    )
    step(lambda s: answer(s, cards.id, "2026-04-02 11:01", dept_ref="Surgery"), "Ke")

    with engine.connect() as conn:
        answer_tx = set(
            conn.execute(text("SELECT xmin::text::bigint FROM survey_answer")).scalars()
        )
        score_tx = set(conn.execute(text("SELECT xmin::text::bigint FROM survey_score")).scalars())
        rows = conn.execute(text("SELECT count(*) FROM survey_answer")).scalar()
    assert rows == 2
    assert (
        len(answer_tx) == 1 and answer_tx == score_tx
    )  # one transaction for all: the last answer's
    assert (
        song_tx not in answer_tx
    )  # the transaction between Song's two writes no longer shows on any row
