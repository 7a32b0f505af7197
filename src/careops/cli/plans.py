"""`careops plan`: butlers' visit plans (P1), drafted by careops and approved by the supervisor."""

from __future__ import annotations

import typer

app = typer.Typer(help="Visit plans (P1): draft a butler's month, show it, approve it.", no_args_is_help=True)
