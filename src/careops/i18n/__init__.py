"""The language careops speaks: gettext catalogues (managed with Babel), chosen once per command.

Strings people read are written in English in the code and marked with `_()`:

    LOGGED = _("Logged visit #{id}: {channel}, {outcome}, {who}, by {staff}, {at:%Y-%m-%d %H:%M}.")

`_()` returns a `Message`: it is looked up in the catalogue of the language in force *when it is
used* (printed, formatted, compared), not when the module was imported, so module-level constants
stay the one place a module's words live. The Chinese catalogue is `locale/zh/LC_MESSAGES/careops.po`
(`make messages` extracts and merges it; the build compiles it to `.mo`, shipped in the wheel).

Dates inside a message: a translation may give its own format for a date or time field, either an
strftime pattern (`{at:%Y-%m-%d}`) or a CLDR pattern (`{at:M月d日 EEE HH:mm}`, formatted by Babel).
"""

from __future__ import annotations

import builtins
import gettext as _gettext
import os
import string
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

DOMAIN = "careops"
LANGUAGES = ("en", "zh")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
BABEL_LOCALE = {"en": "en", "zh": "zh_Hans_CN"}

_language: ContextVar[str | None] = ContextVar("careops_language", default=None)


def choose(option: str | None = None, environ=None) -> str:
    """--lang, else CAREOPS_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: zh_CN.UTF-8 is Chinese), else English."""
    environ = os.environ if environ is None else environ
    for value in (option, environ.get("CAREOPS_LANG")):
        if value:
            return normalise(value)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:  # the first one set decides, as in POSIX
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def normalise(value: str) -> str:
    """`zh`, `zh_CN.UTF-8`, `zh-Hans`, `ZH` -> zh; `en`, `en_GB` -> en; anything else is refused."""
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    if code not in LANGUAGES:
        from careops.errors import InvalidInput

        raise InvalidInput(str(UNKNOWN_LANGUAGE.format(value=value, choices=", ".join(LANGUAGES))))
    return code


def use(language: str | None) -> str:
    """Speak `language` (already normalised) from now on in this context; returns it."""
    language = language or choose()
    _language.set(language)
    return language


def reset() -> None:
    """Forget the language chosen: the next message chooses again (from CAREOPS_LANG, the locale)."""
    _language.set(None)


def current() -> str:
    language = _language.get()
    if language is None:
        try:
            language = choose()
        except Exception:
            language = "en"
        _language.set(language)
    return language


def is_chinese() -> bool:
    return current() == "zh"


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )


def in_every_language(message: Message, /, **kwargs) -> set[str]:
    """`message.format(**kwargs)` in every language: to recognise a note careops wrote, whatever language it was in."""
    found = set()
    for language in LANGUAGES:
        token = _language.set(language)
        try:
            found.add(message.format(**kwargs))
        finally:
            _language.reset(token)
    return found


def gettext(message: str) -> str:
    """The text of the msgid `message` in the current language (the msgid itself when untranslated).

    Its signature is gettext.gettext's: it stands in for it in typer.core (cli.language)."""
    return _catalogue(current()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(current()).ngettext(singular, plural, n)


class _Formatter(string.Formatter):
    """str.format, except that a date or time with a CLDR pattern is formatted by Babel in the current language,
    and a stored word (`overdue`, `door`, a role) is said in the current language."""

    def format_field(self, value, format_spec):
        if not format_spec and current() != "en":
            from careops.vocab import word

            value = word(value)
        if format_spec and isinstance(value, (date, datetime)) and "%" not in format_spec:
            from babel.dates import format_date, format_datetime

            locale = BABEL_LOCALE[current()]
            if isinstance(value, datetime):
                return format_datetime(value, format_spec, locale=locale)
            return format_date(value, format_spec, locale=locale)
        return super().format_field(value, format_spec)


FORMATTER = _Formatter()


class Message:
    """An English string whose translation is looked up when it is used: printing, formatting, comparing."""

    __slots__ = ("msgid",)

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid

    def __str__(self) -> str:
        return gettext(self.msgid)

    def __rich__(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"_({self.msgid!r})"

    def format(self, *args, **kwargs) -> str:
        language = current()
        if (
            language == "en"
        ):  # English: the msgid itself, str.format's speed (due formats one per item)
            return self.msgid.format(*args, **kwargs)
        return FORMATTER.vformat(_catalogue(language).gettext(self.msgid), args, kwargs)

    def __format__(self, spec: str) -> str:
        return builtins.format(str(self), spec)

    def __mod__(self, other) -> str:
        return str(self) % other

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)

    def __eq__(self, other) -> bool:
        return str(self) == (str(other) if isinstance(other, (str, Message)) else other)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __lt__(self, other) -> bool:  # sorted among names and titles
        return str(self) < str(other)

    def __gt__(self, other) -> bool:
        return str(self) > str(other)

    def __len__(self) -> int:
        return len(str(self))

    def __bool__(self) -> bool:
        return bool(self.msgid)

    def __contains__(self, item) -> bool:
        return item in str(self)

    def __iter__(self):
        return iter(str(self))

    def __getitem__(self, key):
        return str(self)[key]

    def __getattr__(self, name):  # str's methods: .upper(), .split(), .startswith() …
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(str(self), name)


# What a renderer accepts as words to show: a plain string, or a message translated when it is shown.
Text = str | Message


def _(msgid: str) -> Message:
    """Mark an English string for translation (extracted by Babel); its text is chosen when used."""
    return Message(msgid)


def N_(msgid: str) -> str:
    """Mark a string for extraction only: it is translated later by `gettext(value)` (e.g. enum values)."""
    return msgid


# What this module says to people (one place, ready for translation).
UNKNOWN_LANGUAGE = _("unknown language {value!r}: use one of {choices}.")


# Dates as people write them: ISO in English (what careops always printed), 11月27日 周五 in Chinese.
_today: ContextVar[date | None] = ContextVar("careops_today", default=None)


def set_today(day: date) -> None:
    """The day the command acts on (--now): a Chinese date in this year leaves the year out."""
    _today.set(day)


def today() -> date:
    """The day the command acts on (--now), as set by the command line; else the machine's."""
    return _today.get() or date.today()


def day(value: date) -> str:
    if not is_chinese():
        return value.isoformat()
    pattern = DAY_THIS_YEAR if value.year == today().year else DAY_OTHER_YEAR
    return _babel(value, str(pattern))


def moment(value: datetime) -> str:
    if not is_chinese():
        return value.strftime("%Y-%m-%d %H:%M")
    pattern = MOMENT_THIS_YEAR if value.year == today().year else MOMENT_OTHER_YEAR
    return _babel(value, str(pattern))


def weekday(value: date) -> str:
    """Fri in English, 周五 in Chinese."""
    return value.strftime("%a") if not is_chinese() else _babel(value, "EEE")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekdays(codes) -> str:
    """A policy's days (`tue`, `wed`…) as people write them: Tue/Wed in English, 周二/周三 in Chinese."""
    if not is_chinese():
        return "/".join(code.capitalize() for code in codes)
    monday = date(2026, 11, 23)  # any Monday: Babel names the days
    return "/".join(_babel(monday + timedelta(days=WEEKDAYS.index(code)), "EEE") for code in codes)


def month(value: date) -> str:
    return value.strftime("%Y-%m") if not is_chinese() else _babel(value, "y年M月")


def _babel(value, pattern: str) -> str:
    from babel.dates import format_date, format_datetime

    locale = BABEL_LOCALE[current()]
    return (
        format_datetime(value, pattern, locale=locale)
        if isinstance(value, datetime)
        else format_date(value, pattern, locale=locale)
    )


# Chinese patterns (CLDR): not messages, the language's own way of writing a date.
DAY_THIS_YEAR = "M月d日 EEE"
DAY_OTHER_YEAR = "y年M月d日"
MOMENT_THIS_YEAR = "M月d日 EEE HH:mm"
MOMENT_OTHER_YEAR = "y年M月d日 HH:mm"
