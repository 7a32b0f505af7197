"""The command line in the user's language: `--lang`, the commands' help, and Typer's own words.

Help texts stay in English where they are written (docstrings, `help=`); `scripts/messages.py` adds
them to the catalogue, and `translate_commands` looks each one up before the command line is parsed.
Typer's vendored click writes its usage errors in plain English: `usage_error` recognises the common
ones and says them in the current language.
"""

from __future__ import annotations

import re
import sys

from careops import i18n
from careops.i18n import _

LANG_OPTION = "--lang"


def take_language(args: list[str]) -> tuple[str | None, list[str]]:
    """`--lang X` / `--lang=X` anywhere before `--`: the value, and the arguments without it."""
    value, rest, i = None, [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == LANG_OPTION:
            if i + 1 >= len(args):
                raise i18n_usage(MISSING_LANG)
            value, i = args[i + 1], i + 2
            continue
        if arg.startswith(LANG_OPTION + "="):
            value, i = arg.split("=", 1)[1], i + 1
            continue
        rest.append(arg)
        i += 1
    return value, rest


def i18n_usage(message) -> Exception:
    from typer._click.exceptions import UsageError

    return UsageError(str(message))


def start(args: list[str], command) -> list[str]:
    """Choose the language for this command line and translate the command tree; returns the other arguments."""
    value, rest = take_language(args)
    try:
        language = i18n.choose(value)
    except Exception as exc:  # an unknown --lang or CAREOPS_LANG is a usage error, said in English
        i18n.use("en")
        raise i18n_usage(exc) from None
    i18n.use(language)
    _translate_typer()
    translate_commands(command)
    return rest


def translate_commands(command) -> None:
    """Every help text of the tree in the current language (the English kept aside, so this can run again)."""
    for item in [command, *getattr(command, "params", ())]:
        for attr in ("help", "short_help"):
            english = _english(item, attr)
            if english:
                setattr(item, attr, i18n.gettext(english))
    for sub in getattr(command, "commands", {}).values():
        translate_commands(sub)


def _english(item, attr: str) -> str | None:
    key = "_careops_en_" + attr
    if not hasattr(item, key):
        setattr(item, key, getattr(item, attr, None))
    return getattr(item, key)


def _translate_typer() -> None:
    """Typer's panel titles and notes are module constants chosen at import: set them for this language.

    typer.rich_utils (~50 ms) is imported only to show help; in English it is left alone until then."""
    from typer import core

    if i18n.current() != "en" or "typer.rich_utils" in sys.modules:
        from typer import rich_utils

        for name, english in TYPER_WORDS.items():
            setattr(rich_utils, name, str(english))
    core._ = i18n.gettext  # typer.core looks its words up through gettext at call time
    command = core._click.core.Command
    if not getattr(command.get_help_option, "careops", False):
        command.get_help_option = _translated_help_option(  # type: ignore[method-assign]  # patched once, for every command
            command.get_help_option
        )


def _translated_help_option(get_help_option):
    """The `--help` option click makes for every command, its words in the current language."""

    def wrapper(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = str(HELP_OPTION)
        return option

    wrapper.careops = True
    return wrapper


def usage_error(message: str) -> str:
    """A click usage error in the current language (unchanged in English, or when not recognised)."""
    if not i18n.is_chinese():
        return message
    for pattern, words in USAGE_ERRORS:
        match = pattern.fullmatch(message)
        if match:
            fields = {
                k: usage_error(v) if k == "message" else v
                for k, v in match.groupdict(default="").items()
            }
            return words.format(**fields)
    return message


# What this module says to people (one place, ready for translation).
MISSING_LANG = _("--lang needs a language: zh or en.")
TYPER_WORDS = {
    "DEFAULT_STRING": _("[default: {}]"),
    "ENVVAR_STRING": _("[env var: {}]"),
    "REQUIRED_LONG_STRING": _("[required]"),
    "ARGUMENTS_PANEL_TITLE": _("Arguments"),
    "OPTIONS_PANEL_TITLE": _("Options"),
    "COMMANDS_PANEL_TITLE": _("Commands"),
    "ERRORS_PANEL_TITLE": _("Error"),
    "ABORTED_TEXT": _("Aborted."),
}
HELP_OPTION = _("Show this message and exit.")
# Said by typer.core through gettext at call time (core._ above): listed here so Babel extracts them.
TYPER_CORE_WORDS = (
    _("Missing command."),
    _("No such command {name!r}."),
    _("default: {default}"),
    _("required"),
    _("Aborted!"),
    _("Arguments"),
    _("Options"),
    _("Commands"),
)
USAGE_ERRORS = [
    (re.compile(pattern, re.S), words)
    for pattern, words in (
        (
            r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.*)\)",
            _("no such option: {name} (did you mean {options}?)"),
        ),
        (r"No such option: (?P<name>.*)", _("no such option: {name}")),
        (r"Missing option (?P<name>.*)\.", _("missing option {name}")),
        (r"Missing argument (?P<name>.*)\.", _("missing argument {name}")),
        (r"Missing parameter: (?P<name>.*)", _("missing {name}")),
        (
            r"Invalid value for (?P<name>.*?): (?P<message>.*)",
            _("invalid value for {name}: {message}"),
        ),
        (r"Invalid value: (?P<message>.*)", _("invalid value: {message}")),
        (r"(?P<value>'.*') is not one of (?P<choices>.*)\.", _("{value} is not one of {choices}.")),
        (r"Value (?P<value>.*) is not a valid (?P<kind>.*)\.", _("{value} is not a valid {kind}.")),
        (r"No such command (?P<name>.*)\.", _("no such command {name}")),
        (r"Missing command\.", _("a command is missing")),
        (
            r"Got unexpected extra arguments? \((?P<args>.*)\)",
            _("unexpected extra argument(s): {args}"),
        ),
        (r"Option (?P<name>.*) requires an argument\.", _("option {name} needs a value")),
        (
            r"Option (?P<name>.*) requires (?P<n>\d+) arguments\.",
            _("option {name} needs {n} values"),
        ),
        (r"Option (?P<name>.*) does not take a value\.", _("option {name} does not take a value")),
    )
]
