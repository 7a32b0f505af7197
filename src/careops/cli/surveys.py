"""`careops survey`: satisfaction surveys of patients (H3.3), residents (P4.10) and employees (E3)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.options import FormatOpt, a_date, date_option
from careops.i18n import _
from careops.vocab import Audience, Format, GroupBy

app = typer.Typer(
    help="Satisfaction surveys: patients (H3.3), residents (P4.10), employees (E3, anonymous).",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("name", _("Survey")),
    ("audience", _("Audience")),
    ("opens", _("Opens")),
    ("closes", _("Closes")),
    ("anonymous", _("Anonymous")),
    ("state", _("State")),
    ("answers", _("Answers")),
]
QUESTION_COLUMNS = [
    ("key", _("Key")),
    ("text", _("Question")),
    ("answers", _("Answers")),
    ("mean", _("Mean (1–5)")),
]
NOTE = "Note"

# What this module says to people (one place, ready for translation).
CREATED = _(
    "Created survey #{id} {name!r} for {audience}, {opens} to {closes}{anonymous}. Questions: {keys}."
)
ANONYMOUS = _(", anonymous")
FORCED = _(
    "Note: an employee survey is always anonymous (E3), so people answer freely without concern."
)
VISITS = _(
    "{n} door visits (P4.10) for the butlers, due by {day}: `careops log-visit REF --channel door --purpose survey`."
)
NO_VISITS_PAST = _(
    "Note: the survey closed before today, so no door visits were asked for (P4.10)."
)
ANSWERED = _("Recorded an answer to survey #{id}{anonymous}: {scores}.")
ANONYMOUS_ANSWER = _(" (anonymous: nothing links it to anyone)")
NONE = _("No surveys yet: `careops survey create NAME --audience patients --opens D --closes D`.")
HEADER = _(
    "Survey #{id} {name!r} ({audience}{anonymous}, {opens} to {closes}, {state}): answers {answers}."
)
OVERALL_HIDDEN = _("Overall scores: {note} (an anonymous survey shows none until then).")
BY = _("By {by} (groups of fewer than {n} answers are not shown):")
COMMENTS = _("Comments (in alphabetical order):")
COMMENTS_HIDDEN = _("Comments: {note}.")
YES, NO = _("yes"), _("no")
GROUP = {"dept": _("Dept"), "zone": _("Zone")}


@app.command(name="create")
def survey_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="What the survey is called.")],
    audience: Annotated[
        Audience, typer.Option("--audience", help="Who is asked: patients, residents or employees.")
    ],
    opens: Annotated[
        date,
        typer.Option("--opens", parser=a_date, metavar="YYYY-MM-DD", help="First day of answers."),
    ],
    closes: Annotated[
        date,
        typer.Option("--closes", parser=a_date, metavar="YYYY-MM-DD", help="Last day of answers."),
    ],
    anonymous: Annotated[
        bool,
        typer.Option("--anonymous", help="Answers are never linked to anyone (employees: always)."),
    ] = False,
    question: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            metavar="KEY:TEXT",
            help="A question scored 1–5 (default: overall satisfaction).",
        ),
    ] = None,
) -> None:
    """Create a survey. A residents' survey asks each butler for a door visit to every occupied household (P4.10).

    Example: careops survey create "Autumn patient survey" --audience patients --opens 2026-11-01 --closes 2026-11-30
    --question "care:Quality of care" --question "attitude:Staff attitude"
    """
    from careops.services.surveys import create_survey

    with open_env(ctx) as env:
        result = create_survey(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            name=name,
            audience=audience,
            opens=opens,
            closes=closes,
            anonymous=anonymous,
            questions=question or [],
        )
        today = env.clock.today
    typer.echo(
        CREATED.format(
            id=result.id,
            name=result.name,
            audience=result.audience,
            opens=opens,
            closes=closes,
            anonymous=ANONYMOUS if result.anonymous else "",
            keys=", ".join(k for k, _ in result.questions),
        )
    )
    if result.forced_anonymous:
        typer.echo(FORCED, err=True)
    if result.visits_due is not None:
        typer.echo(VISITS.format(n=result.visits, day=result.visits_due))
    elif audience == Audience.residents and closes < today:
        typer.echo(NO_VISITS_PAST, err=True)


@app.command(name="respond")
def survey_respond(
    ctx: typer.Context,
    survey_id: Annotated[int, typer.Argument(metavar="ID", help="The survey.")],
    score: Annotated[
        list[str] | None,
        typer.Option("--score", metavar="KEY=1..5", help="A question's score (once per question)."),
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", metavar="TEXT", help="What they wrote.")
    ] = None,
    respondent: Annotated[
        str | None,
        typer.Option(
            "--respondent",
            metavar="REF",
            help="Who answered (not on an anonymous survey): a household, or a patient's name.",
        ),
    ] = None,
    dept: Annotated[
        str | None,
        typer.Option(
            "--dept", metavar="DEPT", help="The department the card names (patients, employees)."
        ),
    ] = None,
    zone: Annotated[
        str | None,
        typer.Option(
            "--zone", metavar="ZONE", help="The zone the card names (residents' surveys)."
        ),
    ] = None,
    on: Annotated[
        date | None,
        date_option(
            "--on", "The day it was answered (default: today; needed once the survey has closed)."
        ),
    ] = None,
) -> None:
    """Record one answer. Example: careops survey respond 2 --score care=5 --score attitude=4 --dept Surgery"""
    from careops.services.surveys import respond

    with open_env(ctx) as env:
        result = respond(
            session=env.session,
            clock=env.clock,
            survey_id=survey_id,
            scores=score or [],
            comment=comment,
            respondent=respondent,
            dept_ref=dept,
            zone_ref=zone,
            on=on,
        )
    typer.echo(
        ANSWERED.format(
            id=result.survey_id,
            anonymous=ANONYMOUS_ANSWER if result.anonymous else "",
            scores=", ".join(f"{k}={v}" for k, v in result.scores.items()),
        )
    )


@app.command(name="results")
def survey_results(
    ctx: typer.Context,
    survey_id: Annotated[int, typer.Argument(metavar="ID", help="The survey.")],
    by: Annotated[
        GroupBy | None,
        typer.Option("--by", help="Also by department or zone (small groups are not shown)."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Answers and mean scores per question, overall and by department or zone."""
    from careops.render.output import emit, to_json
    from careops.services.surveys import results

    with open_env(ctx, write=False) as env:
        data = results(
            session=env.session, clock=env.clock, policy=env.policy, survey_id=survey_id, by=by
        )
    if fmt == Format.json:
        typer.echo(to_json(data))
        return
    kind = fmt.value
    if kind == "table":
        s = data["survey"]
        typer.echo(
            HEADER.format(
                id=s["id"],
                name=s["name"],
                audience=s["audience"],
                opens=s["opens"],
                closes=s["closes"],
                state=s["state"],
                answers=data["answers"],
                anonymous=ANONYMOUS if s["anonymous"] else "",
            )
        )
    two = (lambda v: v) if kind == "csv" else _two_decimals
    if data.get("overall_note") and kind == "table":
        typer.echo(OVERALL_HIDDEN.format(note=data["overall_note"]))
    else:
        emit([{**q, "mean": two(q["mean"])} for q in data["questions"]], QUESTION_COLUMNS, kind)
    if by is not None:
        keys = [q["key"] for q in data["questions"]]
        columns = (
            [("group", GROUP[by.value]), ("answers", "Answers")]
            + [(k, k) for k in keys]
            + [("note", NOTE)]
        )
        rows = [
            {
                "group": g["group"],
                "answers": g["answers"],
                "note": g["note"],
                **{k: two(v) for k, v in (g["scores"] or {}).items()},
            }
            for g in data["groups"]
        ]
        if kind == "table":
            typer.echo(BY.format(by=by.value, n=data["min_group"]))
        emit(rows, columns, kind)
    if kind == "table":
        if data["comments"]:
            typer.echo(COMMENTS)
            for text in data["comments"]:
                typer.echo(f"  - {text}")
        elif data.get("comments_note"):
            typer.echo(COMMENTS_HIDDEN.format(note=data["comments_note"]))


@app.command(name="list")
def survey_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Surveys, latest first: audience, days, anonymous or not, answers so far."""
    from careops.render.output import emit
    from careops.services.surveys import list_surveys

    with open_env(ctx, write=False) as env:
        rows = list_surveys(session=env.session, clock=env.clock)
    if fmt != Format.json:
        rows = [{**r, "anonymous": YES if r["anonymous"] else NO} for r in rows]
    emit(rows, COLUMNS, fmt.value, empty=NONE)


def _two_decimals(value) -> str | None:
    return None if value is None else f"{value:.2f}"
