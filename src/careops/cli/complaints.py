"""`careops complaint`: the register of calls, letters, slips, walk-ins and visit feedback (H3.1, P5)."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env
from careops.cli.followups import written_lines
from careops.cli.options import AtOpt, FormatOpt, ShowPhoneOpt
from careops.i18n import _
from careops.vocab import Format, RegisterChannel, RegisterKind, Severity

app = typer.Typer(
    help="The register (H3.1): complaints, hotline calls, letters, suggestion-box slips, visit feedback.",
    no_args_is_help=True,
)

COLUMNS = [
    ("number", _("Number")),
    ("received", _("Received")),
    ("channel", _("Channel")),
    ("kind", _("Kind")),
    ("severity", _("Severity")),
    ("who", _("Who")),
    ("summary", _("Matter")),
    ("state", _("State")),
    ("dept", _("Dept")),
    ("handler", _("Handler")),
    ("answer_by", _("Answer by")),
    ("late", _("Late")),
]
STEP_COLUMNS = [
    ("at", _("When")),
    ("action", _("Step")),
    ("actor", _("By")),
    ("dept", _("Dept")),
    ("to", _("To")),
    ("note", _("Note")),
]
DETAIL_COLUMNS = [("field", _("Field")), ("value", _("Value"))]
FIELD_LABELS = {
    "number": _("Number"),
    "received": _("Received"),
    "channel": _("Channel"),
    "kind": _("Kind"),
    "severity": _("Severity"),
    "who": _("Who"),
    "unit": _("Unit"),
    "phone": _("Phone"),
    "summary": _("Matter"),
    "state": _("State"),
    "dept": _("Dept"),
    "handler": _("Handler"),
    "answer_by": _("Answer by"),
    "answered": _("Answered"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
    "escalated": _("Escalated"),
    "reopened": _("Reopened (times)"),
    "verdict": _("Satisfied"),
    "archived": _("Archived"),
    "archive_summary": _("Write-up"),
    "void": _("Void"),
}

# What this module says to people (one place, ready for translation).
WARNING = _("Warning: {warning}")
REGISTERED = _("Registered {number}: {kind}, {severity}, by {channel}, from {who}.")
ANSWER_BY = _("A clear answer is due by {due:%Y-%m-%d %H:%M} ({clause}); owner: {owner}.")
KEEPER = _("the register keeper")
ANONYMOUS = _("(anonymous)")
NO_ANSWER_ANONYMOUS = _(
    "An anonymous slip has nobody to answer and no answer deadline: route it to the department that can act on it."
)
NO_ANSWER_PRAISE = _(
    "Praise needs no answer: pass it on and close it (`careops complaint close {number}`)."
)
YES = _("yes")
VOID = _("Void")
ROUTED = _("{number} routed to {dept}; handler: {handler}.")
NO_HANDLER = _("none named (the register keeper chases it)")
ESCALATED = _("{number} escalated to {name}.")
COHANDLED = _("{number}: {dept} asked to co-handle.")
CHASED = _("{number} chased; if nothing moves, it is due for chasing again on {next:%Y-%m-%d}.")
ANSWERED = _("{number} answered at {at:%Y-%m-%d %H:%M}{late}.")
LATE = _(" ({hours} h after registration: late)")
LATE_MARK = _("late")
ANSWERED_LATE = _("answered late")
RESOLVED = _("{number} resolved.")
ALSO_ANSWERED = _(
    "The resolution counts as the answer to the person, at {at:%Y-%m-%d %H:%M}{late}."
)
CLOSED = _("{number} closed{archived}.")
ARCHIVED = _(" and archived with its write-up")
REOPENED = _("{number} reopened: {reason}. A new answer is due by {due:%Y-%m-%d %H:%M}.")
NO_MATTERS = _("Nothing on the register matches.")
HISTORY = _("History:")
FOLLOWUPS = _("Follow-ups:")
FOLLOWUP_LINE = _("  #{id} {clause} {rule}: {state}{verdict}")
VERDICT = _(" (satisfied: {verdict})")

NumberArg = Annotated[
    str, typer.Argument(metavar="ID", help="The register number (C-2026-00042) or its id (42).")
]
NoteOpt = Annotated[str, typer.Option("--note", metavar="TEXT", help="What was said or done.")]


@app.command(name="open")
def complaint_open(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Argument(metavar="[REF]", help="The household or contact, if known.")
    ] = None,
    caller: Annotated[
        str | None,
        typer.Option("--from", metavar='"NAME PHONE"', help="Anyone else: their name and phone."),
    ] = None,
    summary: Annotated[
        str, typer.Option("--summary", metavar="TEXT", help="The matter, in a sentence.")
    ] = "",
    *,  # --channel has no default (required): the options after it are keyword-only
    channel: Annotated[RegisterChannel, typer.Option("--channel", help="How it came in.")],
    kind: Annotated[
        RegisterKind, typer.Option("--kind", help="What it is.")
    ] = RegisterKind.complaint,
    severity: Annotated[
        Severity,
        typer.Option("--severity", help="urgent and major: answer within 24 h; general: 48 h."),
    ] = Severity.general,
    at: AtOpt = None,
) -> None:
    (
        """Register a matter (time, matter, channel) and give it a number like C-2026-00042.

    Example: careops complaint open --from "Li Na 13800001111" --channel hotline """
        """--summary "lift stuck" --severity urgent
    """
    )
    from careops.scheduler.register import answer_deadline
    from careops.services.register import keeper_name, open_matter

    with open_env(ctx) as env:
        result = open_matter(
            session=env.session,
            clock=env.clock,
            ref=ref,
            caller=caller,
            summary=summary,
            channel=channel,
            kind=kind,
            severity=severity,
            at=at,
        )
        matter = result.matter
        due = answer_deadline(env.policy, env.clock, matter)
        clause = env.policy.clause_of("register-answer")
        keeper = keeper_name(env.session, env.clock, env.policy)
    party = result.party
    who = (
        (f"{party.name} ({party.unit})" if party.unit else party.name)
        if party
        else matter.caller_name or ANONYMOUS
    )
    typer.echo(
        REGISTERED.format(
            number=matter.number,
            kind=matter.kind,
            severity=matter.severity,
            channel=matter.channel,
            who=who,
        )
    )
    if matter.kind == "praise":
        typer.echo(NO_ANSWER_PRAISE.format(number=matter.number))
    elif matter.party_id is None and matter.caller_name is None:
        typer.echo(NO_ANSWER_ANONYMOUS)
    else:
        typer.echo(ANSWER_BY.format(due=due, clause=clause, owner=keeper or KEEPER))


@app.command(name="route")
def complaint_route(
    ctx: typer.Context,
    number: NumberArg,
    dept: Annotated[
        str, typer.Option("--dept", metavar="DEPT", help="The responsible department.")
    ],
    handler: Annotated[
        str | None,
        typer.Option(
            "--handler", metavar="STAFF", help="Who handles it (default: the department's head)."
        ),
    ] = None,
) -> None:
    """Pass the matter to the responsible department; its handler owns the answer deadline from now."""
    from careops.services.register import route

    with open_env(ctx) as env:
        result = route(
            session=env.session, clock=env.clock, number=number, dept=dept, handler=handler
        )
        name = result.handler_name
    typer.echo(
        ROUTED.format(
            number=result.matter.number, dept=result.matter.dept, handler=name or NO_HANDLER
        )
    )


@app.command(name="escalate")
def complaint_escalate(
    ctx: typer.Context,
    number: NumberArg,
    to: Annotated[
        str, typer.Option("--to", metavar="STAFF", help="Leadership, or the center manager.")
    ],
    note: NoteOpt,
) -> None:
    """The matter is beyond the department's authority: ask leadership for instruction (H3.1)."""
    from careops.services.register import escalate

    with open_env(ctx) as env:
        result = escalate(
            session=env.session, clock=env.clock, number=number, to=to, note_text=note
        )
    typer.echo(ESCALATED.format(number=result.matter.number, name=result.to_name))


@app.command(name="cohandle")
def complaint_cohandle(
    ctx: typer.Context,
    number: NumberArg,
    dept: Annotated[
        str, typer.Option("--dept", metavar="DEPT", help="The department asked to help.")
    ],
) -> None:
    """Ask another department to co-handle the matter (H3.1)."""
    from careops.services.register import cohandle

    with open_env(ctx) as env:
        result = cohandle(session=env.session, clock=env.clock, number=number, dept=dept)
    typer.echo(COHANDLED.format(number=result.matter.number, dept=dept.strip()))


@app.command(name="chase")
def complaint_chase(
    ctx: typer.Context,
    number: NumberArg,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help="Who was chased, what they said."),
    ] = None,
) -> None:
    """Chase (催办) a routed matter with its department; the keeper's chase clock starts again."""
    from careops.calendar.workdays import WorkCalendar
    from careops.scheduler.register import next_chase
    from careops.services.register import chase

    with open_env(ctx) as env:
        result = chase(session=env.session, clock=env.clock, number=number, note_text=note)
        again = next_chase(env.policy, env.clock.today, WorkCalendar())
    typer.echo(CHASED.format(number=result.matter.number, next=again))


@app.command(name="answer")
def complaint_answer(ctx: typer.Context, number: NumberArg, note: NoteOpt) -> None:
    """Record the clear answer given to the person; it stops the 24/48 h clock (P5.2)."""
    from careops.services.register import answer

    with open_env(ctx) as env:
        result = answer(session=env.session, clock=env.clock, number=number, note_text=note)
        matter, clock, policy = result.matter, env.clock, env.policy
    typer.echo(
        ANSWERED.format(
            number=matter.number,
            at=clock.local(matter.answered_at),
            late=_late(policy, clock, matter),
        )
    )


def _late(policy, clock, matter) -> str:
    from careops.scheduler.register import answer_deadline

    if clock.local(matter.answered_at) <= answer_deadline(policy, clock, matter):
        return ""
    hours = (matter.answered_at - matter.clock_from).total_seconds() // 3600
    return LATE.format(hours=int(hours))


@app.command(name="resolve")
def complaint_resolve(ctx: typer.Context, number: NumberArg, note: NoteOpt) -> None:
    """The matter is dealt with: writes the revisit (P4.8; joint for a major one, P5.3) or the phone-back (P5.1)."""
    from careops.services.register import resolve

    with open_env(ctx) as env:
        result = resolve(
            session=env.session, clock=env.clock, policy=env.policy, number=number, note_text=note
        )
        lines = written_lines(env.clock, result.followups)
        matter, clock, policy = result.matter, env.clock, env.policy
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    typer.echo(RESOLVED.format(number=matter.number))
    if result.answered_now:
        typer.echo(
            ALSO_ANSWERED.format(
                at=clock.local(matter.answered_at), late=_late(policy, clock, matter)
            )
        )
    for line in lines:
        typer.echo(line)


@app.command(name="close")
def complaint_close(
    ctx: typer.Context,
    number: NumberArg,
    archive: Annotated[
        bool, typer.Option("--archive", help="Archive it with a write-up (important matters).")
    ] = False,
    summary: Annotated[
        str | None,
        typer.Option("--summary", metavar="TEXT", help="The write-up of the outcome."),
    ] = None,
) -> None:
    """Close a resolved matter (an inquiry, praise or visit feedback once answered); a major one is archived."""
    from careops.services.register import close

    with open_env(ctx) as env:
        result = close(
            session=env.session, clock=env.clock, number=number, archive=archive, summary=summary
        )
    typer.echo(
        CLOSED.format(
            number=result.matter.number, archived=ARCHIVED if result.matter.archived else ""
        )
    )


@app.command(name="reopen")
def complaint_reopen(
    ctx: typer.Context,
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it is not done.")],
) -> None:
    """Reopen a resolved or closed matter: back to its department, with a new answer deadline."""
    from careops.scheduler.register import answer_deadline
    from careops.services.register import reopen

    with open_env(ctx) as env:
        result = reopen(session=env.session, clock=env.clock, number=number, reason=reason)
        due = answer_deadline(env.policy, env.clock, result.matter)
    typer.echo(REOPENED.format(number=result.matter.number, reason=reason.strip(), due=due))


@app.command(name="list")
def complaint_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help="Only matters not closed.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only matters whose answer is late.")
    ] = False,
    dept: Annotated[
        str | None, typer.Option("--dept", metavar="DEPT", help="Only this department's.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The register, newest first."""
    from careops.render.output import emit
    from careops.services.register import list_matters

    with open_env(ctx, write=False) as env:
        rows = list_matters(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            open_only=open_,
            overdue_only=overdue,
            dept=dept,
        )
    if fmt != Format.json:
        rows = [
            {
                **r,
                "late": LATE_MARK if r["overdue"] else ANSWERED_LATE if r["answered_late"] else "",
            }
            for r in rows
        ]
    emit(rows, COLUMNS, fmt.value, empty=NO_MATTERS)


@app.command(name="show")
def complaint_show(
    ctx: typer.Context,
    number: NumberArg,
    show_phone: ShowPhoneOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """One matter with its whole history: every step, who took it and when."""
    from careops.render.output import emit, to_json
    from careops.services.privacy import mask_phone
    from careops.services.register import show_matter

    with open_env(ctx, write=False) as env:
        shown = show_matter(session=env.session, clock=env.clock, policy=env.policy, number=number)
    if not show_phone and shown.get("phone"):
        shown["phone"] = mask_phone(shown["phone"])
    if fmt == Format.json:
        typer.echo(to_json(shown))
        return
    steps, followups = shown.pop("steps"), shown.pop("followups")
    rows = [
        {"field": FIELD_LABELS[k], "value": YES if v is True else v}
        for k, v in shown.items()
        if k in FIELD_LABELS and v not in (None, "", False, 0)
    ]
    emit(rows, DETAIL_COLUMNS, fmt.value)
    if fmt == Format.table:
        typer.echo(HISTORY)
    emit(steps, STEP_COLUMNS, fmt.value)
    if followups and fmt == Format.table:
        typer.echo(FOLLOWUPS)
        for f in followups:
            typer.echo(
                FOLLOWUP_LINE.format(
                    id=f["id"],
                    clause=f["clause"],
                    rule=f["rule"],
                    state=f["state"],
                    verdict=VERDICT.format(verdict=f["verdict"]) if f["verdict"] else "",
                )
            )
