"""Print the careops CLI reference (Markdown) from the commands' own help.

    make docs        # = .venv/bin/python scripts/gen_cli_reference.py > docs/cli-reference.md

The help is rendered the plain way (no colours, no boxes) at a fixed width, so
the output is the same on every machine; tests/test_docs.py fails when
docs/cli-reference.md differs from it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import typer
import typer.main

WIDTH = 100
HEADER = """\
# careops CLI reference

Generated from the commands' own `--help` by `scripts/gen_cli_reference.py`;
do not edit by hand. After changing a command's help, run `make docs`.

Global options (`--db`, `--now`) go before the command:
`careops --db site.db --now "2026-11-27 08:30" due --staff "Lin Ming"`.
"""


def commands(
    command, parent: typer.Context | None, path: list[str]
) -> Iterator[tuple[list[str], str]]:
    """(path, plain help text) for `command` and, in order, every command below it."""
    command.rich_markup_mode = None  # click's plain formatter: no ANSI codes, no box drawing
    settings = dict(getattr(command, "context_settings", None) or {})
    ctx = typer.Context(
        command,
        info_name=path[-1],
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        **settings,
    )
    yield path, command.get_help(ctx)
    for name, sub in getattr(command, "commands", {}).items():
        if not getattr(sub, "hidden", False):
            yield from commands(sub, ctx, [*path, name])


def render() -> str:
    from careops.cli.app import app

    root = typer.main.get_command(app)
    parts = [HEADER]
    found = list(commands(root, None, ["careops"]))
    parts.append(
        "## Contents\n\n"
        + "\n".join(f"- [`{' '.join(p)}`](#{_anchor(p)})" for p, _ in found)
        + "\n"
    )
    for path, text in found:
        level = "#" * min(2 + len(path) - 1, 4)
        body = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
        parts.append(f"{level} `{' '.join(path)}`\n\n```text\n{body}\n```\n")
    return "\n".join(parts)


def _anchor(path: list[str]) -> str:
    # GitHub's heading anchors: lower case, spaces to hyphens, punctuation dropped.
    return "-".join(path).lower()


if __name__ == "__main__":
    sys.stdout.write(render())
