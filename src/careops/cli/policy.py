"""`careops policy`: the rules in force, and each in plain words with its clause."""

from __future__ import annotations

from typing import Annotated

import typer

from careops.cli.options import FormatOpt
from careops.i18n import _
from careops.vocab import Format

app = typer.Typer(
    help="The rules in force (built-in policy, or CAREOPS_POLICY=FILE).", no_args_is_help=True
)

COLUMNS = [
    ("id", _("Rule")),
    ("clause", _("Clause")),
    ("strength", _("Strength")),
    ("shape", _("Shape")),
    ("period", _("Period or deadline")),
    ("subject", _("Subject")),
    ("owner", _("Owner")),
]


@app.command(name="show")
def policy_show(fmt: FormatOpt = Format.table) -> None:
    """List every rule with its clause, strength, period, subject and owner."""
    from careops.policy.loader import load_policy
    from careops.policy.summary import rule_rows
    from careops.render.output import emit

    emit(rule_rows(load_policy()), COLUMNS, fmt.value)


@app.command(name="explain")
def policy_explain(
    rule: Annotated[
        str | None, typer.Argument(help="A rule id (p1-monthly-visit) or a clause (P2).")
    ] = None,
) -> None:
    """Explain the rules in plain words, each with its clause id and strength."""
    from careops.policy.loader import load_policy
    from careops.policy.summary import explain

    for block in explain(load_policy(), rule):
        typer.echo(block + "\n")
