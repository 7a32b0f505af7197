"""The `careops` command: global options, the nouns, and the one place errors become exit codes."""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import datetime
from typing import Annotated

import typer
from typer.core import TyperGroup

from careops.cli import (
    appeals,
    checks,
    complaints,
    contacts,
    db,
    demo,
    depts,
    due,
    export,
    followups,
    interviews,
    language,
    leaving,
    meetings,
    plans,
    policy,
    records,
    reports,
    residents,
    staff,
    surveys,
    visits,
    zones,
)
from careops.cli.context import AppState
from careops.cli.options import local_datetime
from careops.i18n import Text, _

# What this module says to people (one place, ready for translation).
ERROR_LINE = _("Error: {message}")
FAILED = _("failed.")
ABORTED = _("aborted.")
SEE_HELP = _(" (see `{command} --help`)")
NOT_A_DATABASE = _(
    "this file is not a database careops can open (not SQLite): check --db or CAREOPS_DB."
)
DATABASE_REFUSED = _("the database refused the command: {error}. Nothing was written.")
DATABASE_UNUSABLE = _("the database could not be used: {error}. Nothing was written.")
OS_ERROR = _("{reason}: {filename}")
UNEXPECTED = _("unexpected {kind}: {error}. Run again with CAREOPS_DEBUG=1 for details.")
VERSION = _("careops {version}")


class CareopsGroup(TyperGroup):
    """Runs the command, then maps every failure to one `Error:` line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        try:
            args = language.start(args, self)
        except Exception as exc:  # an unknown language is reported like any usage error
            code = report(exc)
            return code if not standalone_mode else sys.exit(code)
        for attempt in range(1, RETRIES + 1):
            try:
                code = super().main(
                    args=args,
                    prog_name=prog_name or "careops",
                    complete_var=complete_var,
                    standalone_mode=False,
                    **extra,
                )
                break
            except Exception as exc:  # this is the one place that reports failures
                if attempt < RETRIES and _contended(exc):
                    # The command's transaction rolled back and nothing was printed yet: run it again.
                    time.sleep(random.uniform(0.05, 0.2) * attempt)
                    continue
                code = report(exc)
                break
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


RETRIES = 5


def _contended(exc: BaseException) -> bool:
    """A write that lost a race for the database (SQLite locked, PostgreSQL serialization or deadlock)."""
    orig = getattr(exc, "orig", None)
    if orig is None:
        return False
    if "database is locked" in str(orig) or "database is busy" in str(orig):
        return True
    return getattr(orig, "sqlstate", None) in ("40001", "40P01")


def report(exc: BaseException) -> int:
    from typer import Abort
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    if os.environ.get("CAREOPS_DEBUG") == "1":
        import traceback

        traceback.print_exception(exc)
    from careops.errors import CareopsError

    message: Text
    if isinstance(exc, CareopsError):
        message, code = str(exc), exc.exit_code
    elif isinstance(exc, NoArgsIsHelpError):
        return 2  # the help it stands for is already on the screen
    elif isinstance(exc, UsageError):
        message, code = (
            language.usage_error(
                " ".join(exc.format_message().replace("Value error, ", "").split())
            ),
            2,
        )
        if exc.ctx is not None and "--help" not in message:
            message += SEE_HELP.format(command=exc.ctx.command_path)
    elif isinstance(exc, ClickException):
        message, code = exc.format_message(), exc.exit_code
    elif isinstance(exc, Abort):
        message, code = ABORTED, 1
    else:
        message, code = _unexpected(exc), 1
    message = " ".join(str(message).replace("Value error, ", "").split())
    sys.stderr.write(ERROR_LINE.format(message=_sentence(message) or FAILED) + "\n")
    return code


def _sentence(message: str) -> str:
    """Capitalise the first word, unless it is a file name (people.csv stays people.csv)."""
    first = message.split(" ", 1)[0]
    return (
        message if not message or "." in first or "/" in first else message[0].upper() + message[1:]
    )


def _unexpected(exc: BaseException) -> Text:
    try:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    except ImportError:  # pragma: no cover
        pass
    else:
        if isinstance(exc, DBAPIError) and "file is not a database" in str(exc.orig):
            return NOT_A_DATABASE
        if isinstance(exc, DBAPIError):
            return DATABASE_REFUSED.format(error=exc.orig)
        if isinstance(exc, SQLAlchemyError):
            return DATABASE_UNUSABLE.format(error=exc)
    if isinstance(exc, OSError):
        return OS_ERROR.format(reason=exc.strerror or exc, filename=exc.filename or "").rstrip(": ")
    return UNEXPECTED.format(kind=type(exc).__name__, error=exc)


app = typer.Typer(
    cls=CareopsGroup,
    name="careops",
    help="What is due or overdue today, for whom, and why. Start with `careops due --staff NAME`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from careops import __version__

        typer.echo(VERSION.format(version=__version__))
        raise typer.Exit()


@app.callback()
def careops(
    ctx: typer.Context,
    db_: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CAREOPS_DB",
            metavar="PATH|URL",
            help="The database: a SQLite file, or a SQLAlchemy URL (with ://).",
        ),
    ] = None,
    now: Annotated[
        datetime | None,
        typer.Option(
            "--now",
            envvar="CAREOPS_NOW",
            parser=local_datetime,
            metavar='"YYYY-MM-DD HH:MM"',
            help="Act as of this local time (default: the real now).",
        ),
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="STAFF",
            help="Record changes as made by this staff member (else CAREOPS_USER, "
            "else your login name).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            language.LANG_OPTION,
            metavar="zh|en",
            help="The language to speak: zh (Chinese) or en (else CAREOPS_LANG, "
            "else your locale, e.g. LANG=zh_CN.UTF-8).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_show_version,
            help="Print careops' version and exit.",
        ),
    ] = False,
) -> None:
    """What is due or overdue today, for whom, and why."""
    ctx.obj = AppState(db=db_, now=now, actor=as_)


app.add_typer(zones.app, name="zone")
app.add_typer(staff.app, name="staff")
app.add_typer(residents.app, name="resident")
app.add_typer(contacts.app, name="contact")
app.add_typer(visits.app, name="visit")
app.add_typer(policy.app, name="policy")
app.add_typer(db.app, name="db")
residents.app.command(name="move-in")(followups.move_in)
app.add_typer(followups.app, name="followup")
app.add_typer(followups.activity_app, name="activity")
app.add_typer(complaints.app, name="complaint")
app.add_typer(interviews.app, name="interview")
app.add_typer(leaving.app, name="leave")
app.add_typer(leaving.transfer_app, name="transfer")
app.add_typer(appeals.app, name="appeal")
app.add_typer(depts.app, name="dept")
app.add_typer(meetings.app, name="meeting")
app.add_typer(meetings.action_app, name="action")
app.add_typer(surveys.app, name="survey")
app.add_typer(checks.app, name="check")
app.add_typer(plans.app, name="plan")
app.add_typer(reports.app, name="report")
app.command(name="log-visit")(visits.log_visit)
app.command(name="due")(due.due)
app.command(name="event")(followups.event)
app.command(name="rain")(followups.rain)
app.command(name="init")(db.init)
app.command(name="demo")(demo.demo)
app.command(name="void")(records.void)
app.command(name="history")(records.history)
app.command(name="export")(export.export)


def main() -> None:
    app()
