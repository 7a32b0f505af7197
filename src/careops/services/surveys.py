"""Satisfaction surveys: patients (H3.3), residents (P4.10), employees (E3, always anonymous).

Anonymous means unlinkable. An anonymous answer refuses --respondent and keeps no person and nobody
who typed it in: its id is random (not the order of arrival), it keeps only the day it was given,
and it is the one write not audited row by row (an audit row would say who typed it in and when).
Its group (a department, a zone) is what the card says, never taken from a person. Results by
group leave out any group of fewer than `office.min_group` answers.

A residents' survey asks for a door visit to every occupied household by its close date (P4.10),
satisfied by `log-visit REF --channel door --purpose survey`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, SupportsFloat

from sqlalchemy import ColumnElement, Connection, delete, func, insert, select
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import InvalidInput
from careops.i18n import _
from careops.policy.models import Policy
from careops.scheduler.tables import survey, survey_answer, survey_question, survey_score, zone
from careops.services.audit import note
from careops.services.depts import resolve_dept
from careops.services.followups import insert_event, visit_every_household
from careops.services.refs import Record, live_row, resolve_party, resolve_zone
from careops.vocab import Audience, GroupBy

MAX_QUESTIONS = 50
SCORES = range(1, 6)
DEFAULT_QUESTION = ("overall", "Overall, how satisfied are you?")

# What this module says to people (one place, ready for translation).
NEED_NAME = _('give the survey a name, e.g. "Spring patient survey".')
CLOSES_BEFORE = _("--closes {closes} is before --opens {opens}.")
BAD_QUESTION = _(
    '{text!r} is not a question like KEY:TEXT, e.g. --question "food:How was the food?".'
)
BAD_KEY = _("question key {key!r}: use letters, digits, - or _ (like food, night-noise).")
SAME_KEY = _("question key {key!r} is given twice.")
TOO_MANY_QUESTIONS = _("more than {n} questions.")
NO_SURVEY = _("there is no survey #{id}. See `careops survey list`.")
SURVEY_VOID = _("survey #{id} is void ({reason}).")
NOT_OPEN = _("survey #{id} opens on {opens}: answers are taken from then.")
CLOSED = _(
    "survey #{id} closed on {closes}: give the day the answer was given (--on YYYY-MM-DD, between {opens} and "
    "{closes})."
)
ON_OUTSIDE = _("--on {day} is outside the survey's days ({opens} to {closes}).")
ON_FUTURE = _("--on {day} is after today ({today}).")
NEED_SCORE = _("give at least one score: --score KEY=1..5 (the questions: {keys}).")
BAD_SCORE = _("{text!r} is not a score like KEY=1..5 (the questions: {keys}).")
UNKNOWN_KEY = _("survey #{id} has no question {key!r}; its questions: {keys}.")
SCORE_RANGE = _("score {key}={score}: scores run from 1 to 5.")
SCORE_TWICE = _("question {key} is scored twice.")
ANONYMOUS_RESPONDENT = _(
    "survey #{id} is anonymous: an answer is never linked to anyone, so --respondent is refused. "
    "Nothing was recorded."
)
NO_RESPONDENT_EMPLOYEES = _("employee surveys are anonymous (E3): --respondent is refused.")
ZONE_FOR_RESIDENTS = _("--zone is for residents' surveys; group patients and employees by --dept.")
DEPT_NOT_RESIDENTS = _("--dept is for patients' and employees' surveys; group residents by --zone.")
LONG_COMMENT = _("the comment is longer than 2,000 characters.")
AUDIT_CREATED = _("{audience} survey #{id} {name!r}, {opens} to {closes}{anonymous}{visits}")
ANONYMOUS_WORD = _(", anonymous")
VISITS_WORDS = _(", {n} door visits (P4.10)")
AUDIT_NAMED_ANSWER = _("answer to survey #{id} from {who}")
SUPPRESSED = _("fewer than {n} answers, not shown")
WITH_SMALL = _("not shown, so that a small group cannot be worked out from the total")
NO_GROUP = _("(not given)")


@dataclass
class Created:
    id: int
    name: str
    audience: str
    anonymous: bool
    forced_anonymous: bool
    questions: list[tuple[str, str]]
    visits: int = 0
    visits_due: date | None = None


@dataclass
class Answered:
    survey_id: int
    anonymous: bool
    scores: dict[str, int] = field(default_factory=dict)


def parse_questions(texts: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for text in texts:
        key, sep, words = (text or "").partition(":")
        key, words = key.strip().lower(), " ".join(words.split())
        if not sep or not key or not words:
            raise InvalidInput(BAD_QUESTION.format(text=text))
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", key):
            raise InvalidInput(BAD_KEY.format(key=key))
        if key in (k for k, _ in found):
            raise InvalidInput(SAME_KEY.format(key=key))
        found.append((key, words))
    if len(found) > MAX_QUESTIONS:
        raise InvalidInput(TOO_MANY_QUESTIONS.format(n=MAX_QUESTIONS))
    return found or [DEFAULT_QUESTION]


def create_survey(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    name: str,
    audience: Audience,
    opens: date,
    closes: date,
    anonymous: bool = False,
    questions: Iterable[str] = (),
) -> Created:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(NEED_NAME)
    if closes < opens:
        raise InvalidInput(CLOSES_BEFORE.format(closes=closes, opens=opens))
    asked = parse_questions(list(questions))
    forced = audience == Audience.employees and not anonymous
    anonymous = anonymous or audience == Audience.employees
    conn = session.connection()
    event_id = None
    if audience == Audience.residents and closes >= clock.today:
        event_id = insert_event(
            conn,
            kind="survey",
            at=clock.now_utc,
            on_day=closes,
            name=name,
            created_at=clock.now_utc,
        ).id
    survey_id = conn.execute(
        insert(survey)
        .values(
            name=name,
            audience=audience.value,
            opens=opens,
            closes=closes,
            anonymous=anonymous,
            event_id=event_id,
            created_at=clock.now_utc,
        )
        .returning(survey.c.id)
    ).scalar_one()
    conn.execute(
        insert(survey_question),
        [
            {"survey_id": survey_id, "key": k, "position": i, "text": t}
            for i, (k, t) in enumerate(asked, 1)
        ],
    )
    visits = 0
    if event_id is not None:
        visits = visit_every_household(
            session,
            clock,
            policy.followup_rules("survey"),
            event_id=event_id,
            day=closes,
            name=name,
            expires=date.fromordinal(closes.toordinal() + 1),
            opens=opens,
        )
    note(
        session,
        clock,
        action="add",
        kind="survey",
        record_id=survey_id,
        detail=AUDIT_CREATED.format(
            audience=audience.value,
            id=survey_id,
            name=name,
            opens=opens,
            closes=closes,
            anonymous=ANONYMOUS_WORD if anonymous else "",
            visits=VISITS_WORDS.format(n=visits) if event_id is not None else "",
        ),
    )
    return Created(
        survey_id,
        name,
        audience.value,
        anonymous,
        forced,
        asked,
        visits,
        closes if event_id is not None else None,
    )


def _survey(conn: Connection, survey_id: int, *, lock: bool = False) -> Record:
    return live_row(conn, survey, survey_id, missing=NO_SURVEY, void=SURVEY_VOID, lock=lock)


def parse_scores(texts: list[str], keys: list[str], survey_id: int) -> dict[str, int]:
    listed = ", ".join(keys)
    scores: dict[str, int] = {}
    for text in texts:
        key, sep, value = (text or "").partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not key or not re.fullmatch(r"-?\d{1,3}", value):
            raise InvalidInput(BAD_SCORE.format(text=text, keys=listed))
        if key not in keys:
            raise InvalidInput(UNKNOWN_KEY.format(id=survey_id, key=key, keys=listed))
        if key in scores:
            raise InvalidInput(SCORE_TWICE.format(key=key))
        if int(value) not in SCORES:
            raise InvalidInput(SCORE_RANGE.format(key=key, score=value))
        scores[key] = int(value)
    if not scores:
        raise InvalidInput(NEED_SCORE.format(keys=listed))
    return scores


def respond(
    *,
    session: Session,
    clock: Clock,
    survey_id: int,
    scores: list[str],
    comment: str | None = None,
    respondent: str | None = None,
    dept_ref: str | None = None,
    zone_ref: str | None = None,
    on: date | None = None,
) -> Answered:
    conn = session.connection()
    row = _survey(
        conn, survey_id, lock=True
    )  # answers to one survey take turns (the PostgreSQL rewrite below)
    if respondent and row.anonymous:
        raise InvalidInput(ANONYMOUS_RESPONDENT.format(id=row.id))
    keys = (
        conn.execute(
            select(survey_question.c.key)
            .where(survey_question.c.survey_id == row.id)
            .order_by(survey_question.c.position)
        )
        .scalars()
        .all()
    )
    given = parse_scores(list(scores), list(keys), row.id)
    day = on or clock.today
    if on is not None and on > clock.today:
        raise InvalidInput(ON_FUTURE.format(day=on, today=clock.today))
    if on is None and clock.today > row.closes:
        raise InvalidInput(CLOSED.format(id=row.id, closes=row.closes, opens=row.opens))
    if day < row.opens:
        raise InvalidInput(
            NOT_OPEN.format(id=row.id, opens=row.opens)
            if on is None
            else ON_OUTSIDE.format(day=day, opens=row.opens, closes=row.closes)
        )
    if day > row.closes:
        raise InvalidInput(ON_OUTSIDE.format(day=day, opens=row.opens, closes=row.closes))
    comment = " ".join((comment or "").split()) or None
    if comment and len(comment) > 2000:
        raise InvalidInput(LONG_COMMENT)
    values: dict[str, Any] = {"survey_id": row.id, "day": day, "comment": comment}
    if row.audience == Audience.residents.value:
        if dept_ref:
            raise InvalidInput(DEPT_NOT_RESIDENTS)
        who = resolve_party(conn, respondent, kind="household") if respondent else None
        if who is not None:
            values.update(party_id=who.id, zone_id=who.zone_id)
        elif zone_ref:
            values["zone_id"] = resolve_zone(conn, zone_ref).id
    else:
        if zone_ref:
            raise InvalidInput(ZONE_FOR_RESIDENTS)
        if dept_ref:
            values["dept"] = resolve_dept(conn, dept_ref).name
        if respondent:
            values["respondent"] = " ".join(respondent.split())
    answer_id = secrets.token_hex(16)  # random: the order of arrival is not kept
    conn.execute(insert(survey_answer).values(id=answer_id, **values))
    conn.execute(
        insert(survey_score),
        [{"answer_id": answer_id, "key": k, "score": v} for k, v in given.items()],
    )
    if row.anonymous and conn.dialect.name == "postgresql":
        _rewrite_shuffled(conn, row.id)
    if not row.anonymous:
        answerer = values.get("respondent") or (respondent or "")
        note(
            session,
            clock,
            action="answer",
            kind="survey",
            record_id=row.id,
            party_id=values.get("party_id"),
            detail=AUDIT_NAMED_ANSWER.format(id=row.id, who=answerer.strip() or "-"),
        )
    return Answered(row.id, bool(row.anonymous), given)


def _rewrite_shuffled(conn: Connection, survey_id: int) -> None:
    """PostgreSQL keeps, on every row, the transaction that wrote it (xmin) and where it lies on disk: enough to
    place an answer between two audited writes. Rewriting all of the survey's answers in a random order, in the
    answer's own transaction, leaves every row with the same transaction and no order of arrival."""
    answers = [
        dict(r._mapping)
        for r in conn.execute(select(survey_answer).where(survey_answer.c.survey_id == survey_id))
    ]
    scores = [
        dict(r._mapping)
        for r in conn.execute(
            select(survey_score).where(
                survey_score.c.answer_id.in_(
                    select(survey_answer.c.id).where(survey_answer.c.survey_id == survey_id)
                )
            )
        )
    ]
    shuffle = secrets.SystemRandom().shuffle
    shuffle(answers)
    shuffle(scores)
    conn.execute(
        delete(survey_score).where(
            survey_score.c.answer_id.in_(
                select(survey_answer.c.id).where(survey_answer.c.survey_id == survey_id)
            )
        )
    )
    conn.execute(delete(survey_answer).where(survey_answer.c.survey_id == survey_id))
    conn.execute(insert(survey_answer), answers)
    conn.execute(insert(survey_score), scores)


def results(
    *, session: Session, clock: Clock, policy: Policy, survey_id: int, by: GroupBy | None = None
) -> dict[str, Any]:
    """Answers and mean scores per question; by department or zone, any group under the threshold left out."""
    conn = session.connection()
    row = _survey(conn, survey_id)
    questions = conn.execute(
        select(survey_question.c.key, survey_question.c.text)
        .where(survey_question.c.survey_id == row.id)
        .order_by(survey_question.c.position)
    ).all()
    keys = [q.key for q in questions]
    seen = survey_answer.c.day <= clock.today
    total = conn.execute(
        select(func.count())
        .select_from(survey_answer)
        .where(survey_answer.c.survey_id == row.id, seen)
    ).scalar_one()
    per_key = {
        r.key: r
        for r in conn.execute(
            select(
                survey_score.c.key,
                func.count().label("n"),
                func.avg(survey_score.c.score).label("mean"),
            )
            .select_from(
                survey_score.join(survey_answer, survey_answer.c.id == survey_score.c.answer_id)
            )
            .where(survey_answer.c.survey_id == row.id, seen)
            .group_by(survey_score.c.key)
        )
    }
    small = (
        bool(row.anonymous) and total < policy.office.min_group
    )  # one card's mean would be that card
    data: dict[str, Any] = {
        "survey": _summary(row, clock, total),
        "answers": total,
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "answers": None if small else per_key[q.key].n if q.key in per_key else 0,
                "mean": None if small or q.key not in per_key else _mean(per_key[q.key].mean),
            }
            for q in questions
        ],
        "min_group": policy.office.min_group,
        "overall_note": SUPPRESSED.format(n=policy.office.min_group) if small else None,
    }
    if by is not None:
        data["by"] = by.value
        data["groups"] = _groups(conn, row.id, keys, by, policy.office.min_group, seen)
    if not row.anonymous or total >= policy.office.min_group:
        # Comments in alphabetical order, never in the order they came in.
        data["comments"] = sorted(
            conn.execute(
                select(survey_answer.c.comment).where(
                    survey_answer.c.survey_id == row.id, seen, survey_answer.c.comment.is_not(None)
                )
            ).scalars()
        )
    else:
        data["comments"] = []
        data["comments_note"] = SUPPRESSED.format(n=policy.office.min_group)
    return data


def _groups(
    conn: Connection,
    survey_id: int,
    keys: list[str],
    by: GroupBy,
    min_group: int,
    seen: ColumnElement[bool],
) -> list[dict[str, Any]]:
    group = survey_answer.c.dept if by == GroupBy.dept else zone.c.name
    source = (
        survey_answer
        if by == GroupBy.dept
        else survey_answer.outerjoin(zone, zone.c.id == survey_answer.c.zone_id)
    )
    sizes: dict[str | None, int] = dict(
        conn.execute(
            select(group, func.count())
            .select_from(source)
            .where(survey_answer.c.survey_id == survey_id, seen)
            .group_by(group)
        ).all()
    )
    means: dict[str | None, dict[str, float | None]] = {}
    for name, key, mean in conn.execute(
        select(group, survey_score.c.key, func.avg(survey_score.c.score))
        .select_from(source.join(survey_score, survey_score.c.answer_id == survey_answer.c.id))
        .where(survey_answer.c.survey_id == survey_id, seen)
        .group_by(group, survey_score.c.key)
    ):
        means.setdefault(name, {})[key] = _mean(mean)
    hidden = {name for name, size in sizes.items() if size < min_group}
    shown = sorted(
        (size, str(name or ""), name) for name, size in sizes.items() if name not in hidden
    )
    # The hidden groups together are the total minus the shown ones: hide the smallest shown groups with them
    # until what is hidden holds at least `min_group` answers.
    while hidden and shown and sum(sizes[n] for n in hidden) < min_group:
        hidden.add(shown.pop(0)[2])
    groups: list[dict[str, Any]] = []
    for name in sorted(sizes, key=lambda n: (n is None, str(n or ""))):
        label = name if name is not None else NO_GROUP
        if name in hidden:
            groups.append(
                {
                    "group": label,
                    "answers": None,
                    "scores": None,
                    "note": SUPPRESSED.format(n=min_group)
                    if sizes[name] < min_group
                    else WITH_SMALL,
                }
            )
        else:
            groups.append(
                {
                    "group": label,
                    "answers": sizes[name],
                    "scores": {k: means.get(name, {}).get(k) for k in keys},
                    "note": None,
                }
            )
    return groups


def _mean(value: SupportsFloat | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _state(row: Record, clock: Clock) -> str:
    return (
        "upcoming" if clock.today < row.opens else "open" if clock.today <= row.closes else "closed"
    )


def _summary(row: Record, clock: Clock, answers: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "audience": row.audience,
        "opens": row.opens,
        "closes": row.closes,
        "anonymous": bool(row.anonymous),
        "state": _state(row, clock),
        "answers": answers,
    }


def list_surveys(*, session: Session, clock: Clock) -> list[dict[str, Any]]:
    conn = session.connection()
    answers = (
        select(func.count())
        .select_from(survey_answer)
        .where(survey_answer.c.survey_id == survey.c.id, survey_answer.c.day <= clock.today)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(survey, answers.label("answers"))
        .where(survey.c.voided_at.is_(None), survey.c.created_at <= clock.now_utc)
        .order_by(survey.c.opens.desc(), survey.c.id.desc())
    ).all()
    return [_summary(r, clock, r.answers) for r in rows]
