"""docs/policy-guide.md is a transcript: replayed here, command by command, on a new database with the care
home's policy (docs/examples/care-home.toml), so the guide and the example regime stay true end to end
(event, due, log-visit, policy check and explain).

To write the guide's outputs from a run: CAREOPS_FILL_GUIDE=1 pytest tests/test_policy_guide.py — the test
then rewrites the guide and fails, asking for a review of the diff."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from transcript import fill, run, steps

from conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "policy-guide.md"
FOLDER = "/tmp/carehome"  # where the guide says its database lives


@pytest.mark.sqlite_only  # the guide's database is a file, /tmp/carehome/careops.db
@pytest.mark.new_database
def test_the_policy_guide_replays_as_written(cli: Cli, db_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the guide names the example files from the repository's root
    monkeypatch.setenv("CAREOPS_POLICY", str(ROOT / "docs" / "examples" / "care-home.toml"))
    text = GUIDE.read_text("utf-8")
    here = db_path.parent if db_path is not None else Path("/nonexistent")
    said = [run(cli, step, FOLDER, here) for step in steps(text)]
    if os.environ.get("CAREOPS_FILL_GUIDE"):
        GUIDE.write_text(fill(text, said), "utf-8")
        pytest.fail("docs/policy-guide.md rewritten from this run: review the diff, then commit it")
    assert [(s.command, s.expected) for s in steps(text)] == [
        (s.command, out) for s, out in zip(steps(text), said, strict=True)
    ]


def test_the_guide_runs_every_kind_of_step_the_issue_asks_for():
    verbs = set()
    for step in steps(GUIDE.read_text("utf-8")):
        argv = shlex.split(step.command)[1:]
        verbs.add(argv[2] if argv[0] == "--now" else argv[0])
    assert {"event", "due", "log-visit", "policy"} <= verbs
