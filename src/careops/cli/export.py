"""`careops export`: every table, for backup and for the user's own analysis."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from careops.cli.context import clock_of, open_env
from careops.i18n import _

# What this module says to people (one place, ready for translation).
EXPORTED = _(
    "Exported {tables} tables ({rows:,} rows) as {what} to {out}; manifest.json lists every file."
)
WHAT = {"json": _("JSON Lines"), "csv": _("CSV"), "xlsx": _("one Excel workbook")}
EXPORTING = _("Exporting")
DEFAULT_OUT = _("careops-export-{stamp}")


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="xlsx: one workbook, a sheet per table; csv: a file per table (opens in Excel); "
            "json: a JSON Lines file per table, for programs.",
        ),
    ] = ExportFormat.xlsx,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="A new folder for the files (default: careops-export-YYYYMMDD-HHMM here).",
        ),
    ] = None,
) -> None:
    """Every table, voided records included, with a manifest.json. Example: careops export --format csv --out backup"""
    from careops.cli.progress import progress_bar
    from careops.services.export import check_out, export_database

    out = out or Path(DEFAULT_OUT.format(stamp=clock_of(ctx).now.strftime("%Y%m%d-%H%M")))
    check_out(out)  # refused before the database is even opened
    with open_env(ctx, write=False) as env, progress_bar(EXPORTING) as advance:
        result = export_database(
            session=env.session, clock=env.clock, out=out, fmt=fmt.value, progress=advance
        )
    typer.echo(
        EXPORTED.format(tables=len(result.tables), rows=result.rows, what=WHAT[fmt.value], out=out)
    )
