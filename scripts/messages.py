"""Extract careops' messages and merge them into the catalogues (Babel): `make messages`.

The template holds every string marked `_()` / `N_()` in src/careops (Babel's Python extractor) and
every help text of the command line (read from the Typer app itself, as `--help` shows them). Each
language's `locale/<lang>/LC_MESSAGES/careops.po` is then updated from it: new messages arrive
untranslated, changed ones fuzzy (both fail tests/test_i18n.py until translated), gone ones dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "careops"
LOCALE = SOURCE / "locale"
KEYWORDS = {"_": None, "N_": None}


def template() -> Catalog:
    catalog = Catalog(project="careops", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        catalog.add(
            message,
            locations=[(f"careops/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    for text, where in help_texts():
        if text not in catalog:
            catalog.add(text, locations=[(where, 0)])
        else:
            catalog[text].locations.append((where, 0))
    return catalog


def help_texts():
    """(text, command path) for every help text the command line shows."""
    import typer

    from careops.cli.app import app

    def walk(command, path):
        for item in [command, *command.params]:
            for text in (getattr(item, "help", None), getattr(item, "short_help", None)):
                if text:
                    yield text, f"cli:{path}"
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    yield from walk(typer.main.get_command(app), "careops")


def update(language: str, pot: Catalog) -> tuple[int, int]:
    path = LOCALE / language / "LC_MESSAGES" / "careops.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=language)
    else:
        catalog = Catalog(locale=language, project="careops", charset="utf-8")
    catalog.update(pot, update_header_comment=False)
    catalog.fuzzy = (
        False  # the header: a fuzzy header makes `pybabel compile` skip the whole catalogue
    )
    catalog.last_translator = catalog.language_team = "careops developers"
    for message in catalog:
        if (
            "python-brace-format" in message.flags
        ):  # `{at:%Y-%m-%d}` is a brace format, not a %-format
            message.flags.discard("python-format")
        message.user_comments = [
            c for c in message.user_comments if not c.startswith("| ")
        ]  # stale "previous" notes
    with path.open("wb") as f:
        # No line numbers: moving a message within its file does not touch the catalogue.
        write_po(
            f,
            catalog,
            width=0,
            ignore_obsolete=True,
            include_previous=True,
            include_lineno=False,
            sort_output=False,
        )
    missing = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return len(catalog), missing


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    pot = template()
    for language in ("zh",):
        total, missing = update(language, pot)
        print(f"{language}: {total} messages, {missing} to translate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
