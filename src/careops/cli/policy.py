"""`careops policy`: the rules in force, and each in plain words with its clause."""

from __future__ import annotations

from pathlib import Path
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


@app.command(name="check")
def policy_check(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A site's policy file (TOML), e.g. docs/examples/care-home.toml."
        ),
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Check a policy file before using it (CAREOPS_POLICY=FILE): is it valid, and which rules would it add,
    change or drop compared with the built-in policy?"""
    from careops.policy.check import check_file, lines
    from careops.render.output import to_json

    found, site, builtin = check_file(file)
    if fmt == Format.json:
        typer.echo(to_json(found.to_json()))
        return
    for line in lines(found, site, builtin):
        typer.echo(line)


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
