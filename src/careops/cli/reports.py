"""`careops report monthly`: the month's figures against the month before."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reports: the monthly report for supervisors.", no_args_is_help=True)
