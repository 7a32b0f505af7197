"""Options shared by many commands, and the parsers behind them (malformed values exit 2)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

import typer

from careops.clock import FIRST_YEAR, LAST_YEAR, parse_date, parse_local
from careops.i18n import _
from careops.vocab import Format

# What this module says to people (one place, ready for translation).
BAD_MONTH = _("--month {text!r} is not a month like 2026-11.")


def local_datetime(text: str) -> datetime:
    try:
        return parse_local(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def a_date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def a_month(text: str) -> date:
    """YYYY-MM -> the month's first day (a year careops takes, like every date option)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if (
        not match
        or not 1 <= int(match.group(2)) <= 12
        or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR
    ):
        raise typer.BadParameter(BAD_MONTH.format(text=text))
    return date(int(match.group(1)), int(match.group(2)), 1)


FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table for people, json or csv for programs.")
]
StaffOpt = Annotated[
    str | None,
    typer.Option("--staff", metavar="STAFF", help="Only what this staff member owns (name or id)."),
]
ShowPhoneOpt = Annotated[
    bool, typer.Option("--show-phone", help="Show phone numbers in full (masked by default).")
]
ZoneOpt = Annotated[str | None, typer.Option("--zone", metavar="ZONE", help="Only this zone.")]
AtOpt = Annotated[
    datetime | None,
    typer.Option(
        "--at",
        parser=local_datetime,
        metavar='"YYYY-MM-DD HH:MM"',
        help="When it happened, local time (default: now).",
    ),
]


def date_option(name: str, help: str):
    """An optional YYYY-MM-DD option (a malformed date exits 2)."""
    return typer.Option(name, parser=a_date, metavar="YYYY-MM-DD", help=help)
