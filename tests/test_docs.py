"""The docs stay true: the CLI reference matches the commands' help, the Quick start stays two commands."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_cli_reference", ROOT / "scripts" / "gen_cli_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    expected = _generator().render()
    reference = ROOT / "docs" / "cli-reference.md"
    assert reference.is_file(), "docs/cli-reference.md is missing: run `make docs`."
    assert reference.read_text("utf-8") == expected, (
        "docs/cli-reference.md is stale (a command's help changed): run `make docs` and commit the result."
    )


def test_cli_reference_is_plain_text():
    text = _generator().render()
    assert "\x1b[" not in text, "the CLI reference must not carry terminal colour codes"
    assert not re.search(r"[╭╮╰╯│─━┃]", text), "the CLI reference must not carry box drawing"


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = re.search(r"^## Quick start\s*$(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert section, "README.md needs a '## Quick start' section"
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", section.group(1), re.M | re.S)
    assert len(blocks) == 1, "Quick start should hold exactly one code block"
    commands = [
        line.strip()
        for line in blocks[0].splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert commands == ["make demo", "make test"]
