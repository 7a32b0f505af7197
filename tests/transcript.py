"""Replaying a guide: its ```console blocks are transcripts, each `$ careops …` line a command and the lines
after it (up to the next `$` line or the block's end) exactly what careops printed.

A guide says where its database lives (`/tmp/carehome/careops.db`); the replay runs on the test's own database
and reads that path as the test's folder. `fill` rewrites a guide's outputs from a run (to write a guide)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from conftest import Cli

BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


@dataclass
class Step:
    command: str
    expected: str


def steps(markdown: str) -> list[Step]:
    found: list[Step] = []
    for block in BLOCK.findall(markdown):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.startswith("$ "):
                command, _, output = chunk[2:].partition("\n")
                found.append(Step(command, output))
    return found


def run(cli: Cli, step: Step, folder: str, here: Path) -> str:
    """What careops prints for the step (stdout and stderr as a terminal shows them), paths as the guide says."""
    argv = shlex.split(step.command)
    assert argv[0] == "careops", f"a guide's command starts with careops: {step.command}"
    result = cli(*argv[1:])
    return result.output.replace(str(here), folder)


def fill(markdown: str, outputs: list[str]) -> str:
    """The guide with each command's output replaced by `outputs`, in order."""
    said = iter(outputs)

    def block(match: re.Match[str]) -> str:
        parts = re.split(r"^(?=\$ )", match.group(1), flags=re.M)
        text = "".join(
            (p.partition("\n")[0] + "\n" + next(said)) if p.startswith("$ ") else p for p in parts
        )
        return "```console\n" + text + "```"

    return BLOCK.sub(block, markdown)
