"""`careops report monthly`: the month's figures against the month before."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from careops import i18n
from careops.cli.context import open_env
from careops.cli.options import StaffOpt, ZoneOpt, a_month
from careops.errors import InvalidInput
from careops.i18n import _
from careops.vocab import ReportFormat

app = typer.Typer(help="Reports: the monthly report for supervisors.", no_args_is_help=True)

# What this module says to people (one place, ready for translation).
NO_FOLDER = _("cannot write {path}: the folder {folder} does not exist.")
NOT_WRITTEN = _("cannot write {path}: {reason}.")
WROTE = _("Wrote the {fmt} report for {month} to {path}.")


@app.command(name="monthly")
def monthly(
    ctx: typer.Context,
    month: Annotated[
        date | None,
        typer.Option(
            "--month",
            parser=a_month,
            metavar="YYYY-MM",
            help="Which month (default: this one, to date).",
        ),
    ] = None,
    zone: ZoneOpt = None,
    staff: StaffOpt = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="table or md to read, json or csv for programs, "
            "xlsx for a spreadsheet, html for a page with charts.",
        ),
    ] = ReportFormat.table,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write to this file (needed for xlsx and html on a terminal).",
        ),
    ] = None,
) -> None:
    """The monthly report, each figure against the month before (▲/▼): P1 coverage per butler and zone, plans
    against visits, P2, P3, follow-ups, the register, meetings and surveys, HR counts.
    Example: careops report monthly --month 2026-10 --format xlsx --out 2026-10.xlsx"""
    from careops.render.report import render_report, write_report
    from careops.services.reports import monthly_report

    with open_env(ctx, write=False) as env:
        report = monthly_report(
            session=env.session,
            clock=env.clock,
            policy=env.policy,
            month=month,
            zone_ref=zone,
            staff_ref=staff,
            trend=fmt in (ReportFormat.html, ReportFormat.json),
        )
    if out is None or str(out) == "-":
        write_report(report, fmt.value, sys.stdout)
        return
    _write_file(out, render_report(report, fmt.value))
    typer.echo(WROTE.format(fmt=fmt.value, month=i18n.month(report.month), path=out), err=True)


def _write_file(path: Path, data: bytes) -> None:
    """All or nothing: a temporary file in the same folder, renamed over the target."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(NO_FOLDER.format(path=path, folder=folder))
    if path.is_dir():
        raise InvalidInput(NOT_WRITTEN.format(path=path, reason="it is a folder"))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise InvalidInput(NOT_WRITTEN.format(path=path, reason=exc.strerror or exc)) from None
