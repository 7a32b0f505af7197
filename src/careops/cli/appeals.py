"""`careops appeal`: an employee's appeal, from filing to the last notification, round by round (E2.6)."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.context import open_env, state
from careops.cli.options import AtOpt, FormatOpt
from careops.i18n import _
from careops.vocab import AppealChannel, Format, Grounds, NotifyTo, Via

app = typer.Typer(
    help="Employee appeals (E2.6): confidential; only those involved and HR see who appealed.",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", _("ID")),
    ("filed", _("Filed")),
    ("appellant", _("Appellant")),
    ("grounds", _("Grounds")),
    ("round", _("Round")),
    ("receiver", _("Receiver")),
    ("state", _("State")),
    ("due", _("Due")),
]
STEP_COLUMNS = [
    ("round", _("Round")),
    ("action", _("Step")),
    ("at", _("At")),
    ("by", _("By")),
    ("with", _("With")),
    ("notified", _("Notified")),
    ("via", _("Via")),
    ("note", _("Note")),
]
FIELD_LABELS = {
    "id": _("Appeal"),
    "appellant": _("Appellant"),
    "grounds": _("Grounds"),
    "channel": _("Channel"),
    "signed": _("Signed"),
    "summary": _("Summary"),
    "filed": _("Filed"),
    "round": _("Round"),
    "receiver": _("Receiver"),
    "state": _("State"),
    "decision": _("Decision"),
    "decided": _("Decided"),
    "closed": _("Closed"),
    "due": _("Next deadline"),
}

# What this module says to people (one place, ready for translation).
FILED = _("Filed appeal #{id}: round 1 with {receiver}; a decision is due by {due} ({clause}).")
WARNING = _("Warning: {warning}")
INVESTIGATED = _("Appeal #{id}, round {round}: investigation noted.")
DECIDED = _(
    "Appeal #{id}, round {round} decided. Notify the appellant, their general manager and HR "
    "in writing or by e-mail by {due} ({clause})."
)
NOTIFIED = _("Appeal #{id}: {to} ({name}) notified.")
STILL_TO_NOTIFY = _("Still to notify: {left}.")
CLOSED = _(
    "Appeal #{id} is closed: the appellant, the general manager and HR have each been notified ({clause})."
)
ESCALATED = _("Appeal #{id} goes to round {round} with {receiver}; a decision is due by {due}.")
NONE = _("No appeals.")
YES, NO = _("yes"), _("no")
VOIDED = _("void ({reason})")


def _viewer(env, ctx):
    from careops.services.refs import viewer_of

    return viewer_of(env.session.connection(), state(ctx).actor)


@app.command(name="file")
def appeal_file(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(metavar="EMPLOYEE", help="Who appeals (name or id).")],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="STAFF",
            help="Who receives it: a manager, HR, the union, the GM or chairman.",
        ),
    ],
    channel: Annotated[
        AppealChannel,
        typer.Option("--channel", help="In person, or in writing (then it must be signed)."),
    ],
    summary: Annotated[
        str, typer.Option("--summary", metavar="TEXT", help="What the appeal is about.")
    ],
    signed: Annotated[
        bool, typer.Option("--signed", help="The written appeal is signed (E2.6.4).")
    ] = False,
    grounds: Annotated[
        Grounds | None,
        typer.Option(
            "--grounds",
            help="Interests harmed, a management measure, or a breach of company rules (E2.6.1).",
        ),
    ] = None,
    at: AtOpt = None,
) -> None:
    """File an appeal. A written appeal must be signed (E2.6.4); skipping levels is accepted with a warning (E2.6.3).

    Example: careops appeal file "Zhou Min" --to "Sun Li" --channel written --signed --grounds measure --summary "…"
    """
    from careops.services.appeals import file_appeal, next_due

    with open_env(ctx) as env:
        result = file_appeal(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            employee=employee,
            to=to,
            channel=channel,
            summary=summary,
            signed=signed,
            grounds=grounds,
            at=at,
        )
        due = next_due(session=env.session, clock=env.clock, policy=env.policy, appeal_id=result.id)
        clause = env.policy.clause_of("appeal-decision")
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    typer.echo(FILED.format(id=result.id, receiver=result.receiver, due=due, clause=clause))


@app.command(name="investigate")
def appeal_investigate(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's number.")],
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="What was found.")],
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", metavar="STAFF", help="Someone consulted (repeat for several)."),
    ] = None,
) -> None:
    """Note the investigation among those concerned (E2.6.5)."""
    from careops.services.appeals import investigate

    with open_env(ctx) as env:
        result = investigate(
            session=env.session,
            clock=env.clock,
            appeal_id=appeal_id,
            note_text=note,
            with_staff=with_,
        )
    typer.echo(INVESTIGATED.format(id=result.id, round=result.round))


@app.command(name="decide")
def appeal_decide(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's number.")],
    decision: Annotated[str, typer.Option("--decision", metavar="TEXT", help="The decision.")],
) -> None:
    """Record this round's decision; it must then be notified to three parties (E2.6.5)."""
    from careops.services.appeals import decide, next_due

    with open_env(ctx) as env:
        result = decide(
            session=env.session, clock=env.clock, appeal_id=appeal_id, decision=decision
        )
        due = next_due(session=env.session, clock=env.clock, policy=env.policy, appeal_id=result.id)
        clause = env.policy.clause_of("appeal-decision")
    typer.echo(DECIDED.format(id=result.id, round=result.round, due=due, clause=clause))


@app.command(name="notify")
def appeal_notify(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's number.")],
    to: Annotated[NotifyTo, typer.Option("--to", help="Who was notified of the decision.")],
    via: Annotated[Via, typer.Option("--via", help="In writing or by e-mail.")],
    at: AtOpt = None,
    round_: Annotated[
        int | None,
        typer.Option(
            "--round",
            metavar="N",
            min=1,
            help="The round whose decision was notified (default: the latest one this recipient was not told of).",
        ),
    ] = None,
) -> None:
    """Record that the decision was notified; the appeal closes once all three are, for every decided round
    (E2.6.5)."""
    from careops.services.appeals import notify

    with open_env(ctx) as env:
        result = notify(
            session=env.session,
            clock=env.clock,
            appeal_id=appeal_id,
            to=to,
            via=via,
            at=at,
            round_=round_,
        )
        clause = env.policy.clause_of("appeal-decision")
    typer.echo(NOTIFIED.format(id=result.id, to=to.value, name=result.notified))
    if result.left:
        typer.echo(STILL_TO_NOTIFY.format(left=", ".join(result.left)))
    else:
        typer.echo(CLOSED.format(id=result.id, clause=clause))


@app.command(name="escalate")
def appeal_escalate(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's number.")],
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help="Why the appellant is not satisfied."),
    ] = None,
) -> None:
    """The appellant is not satisfied: the next round goes to the receiver's own manager, up to the chairman."""
    from careops.services.appeals import escalate, next_due

    with open_env(ctx) as env:
        result = escalate(session=env.session, clock=env.clock, appeal_id=appeal_id, note_text=note)
        due = next_due(session=env.session, clock=env.clock, policy=env.policy, appeal_id=result.id)
    for warning in result.warnings:
        typer.echo(WARNING.format(warning=warning), err=True)
    typer.echo(
        ESCALATED.format(id=result.id, round=result.round, receiver=result.receiver, due=due)
    )


@app.command(name="list")
def appeal_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help="Only appeals not closed.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Appeals with their round, receiver and next deadline. The appellant is named only for those involved and HR
    (`--as STAFF` or CAREOPS_USER says who is looking)."""
    from careops.render.output import emit
    from careops.services.appeals import list_appeals

    with open_env(ctx, write=False) as env:
        rows = list_appeals(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            viewer=_viewer(env, ctx),
            open_only=open_,
        )
    emit(rows, COLUMNS, fmt.value, empty=NONE)


@app.command(name="show")
def appeal_show(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's number.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """One appeal with every round's steps. Content is shown only to those involved and HR (`--as STAFF`)."""
    from careops.render.output import emit_detail, field_rows
    from careops.services.appeals import show_appeal

    with open_env(ctx, write=False) as env:
        data = show_appeal(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            appeal_id=appeal_id,
            viewer=_viewer(env, ctx),
        )
    void = VOIDED.format(reason=data["void"]["reason"]) if data["void"] else None
    emit_detail(
        data,
        fmt.value,
        field_rows(data, FIELD_LABELS, yes=YES, no=NO, void=void),
        ((data["steps"], STEP_COLUMNS),),
    )
