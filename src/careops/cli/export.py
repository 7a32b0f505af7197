"""`careops export`: every table, for backup and for the user's own analysis."""

from __future__ import annotations

import typer


def export(ctx: typer.Context) -> None:
    """Every table as JSON, CSV or an xlsx workbook (work in progress)."""
    raise typer.Exit(2)
