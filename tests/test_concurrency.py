"""Many hands at once: parallel writers lose nothing and never see "database is locked"; racing
voids never double-step."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import NOW, ok

PROCESSES = 8
EACH = 100

RUNNER = """
import sys
import functools, typer.main, typer.testing
from typer.testing import CliRunner
from careops.cli.app import app
typer.testing._get_command = functools.cache(typer.main.get_command)  # built once, as in careops
runner = CliRunner()
failures = []
for argv in [line.split("\\t") for line in sys.stdin.read().splitlines()]:
    result = runner.invoke(app, argv)
    if result.exit_code != 0:
        failures.append((argv, result.exit_code, result.output))
for argv, code, output in failures:
    print(code, output.strip(), flush=True)
sys.exit(0 if not failures else 3)
"""


def run_parallel(commands_per_process: list[list[list[str]]]) -> list[subprocess.CompletedProcess]:
    env = os.environ.copy() | {"CAREOPS_NOW": NOW}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RUNNER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in commands_per_process
    ]
    for proc, commands in zip(procs, commands_per_process, strict=True):
        proc.stdin.write("\n".join("\t".join(argv) for argv in commands))
        proc.stdin.close()
    return [
        subprocess.CompletedProcess(p.args, p.wait(timeout=600), p.stdout.read(), "") for p in procs
    ]


@pytest.fixture
def site(cli):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    for k in range(PROCESSES):
        ok(cli, "resident", "add", f"Owner {k}", "--unit", f"1-{k:03d}", "--zone", "A")
    return cli


def test_eight_processes_logging_a_hundred_visits_each_lose_none(site):
    log = [
        [
            [
                "log-visit",
                f"1-{k:03d}",
                "--by",
                "Wang Fang",
                "--channel",
                "door",
                "--at",
                f"2026-11-{1 + n % 26:02d} 10:{n % 60:02d}",
            ]
            for n in range(EACH)
        ]
        for k in range(PROCESSES)
    ]

    results = run_parallel(log)

    assert [(r.returncode, r.stdout) for r in results] == [(0, "")] * PROCESSES
    visits = site.json("visit", "list", now=NOW)
    assert len(visits) == PROCESSES * EACH
    assert sorted({v["party"] for v in visits}) == [f"Owner {k}" for k in range(PROCESSES)]


def test_two_people_voiding_the_same_visits_at_once_void_each_exactly_once(site):
    for n in range(40):
        ok(
            site,
            "log-visit",
            "1-000",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--at",
            f"2026-11-{1 + n % 26:02d} 09:{n:02d}",
        )
    voids = [
        [["void", "visit", str(n), "--reason", f"by {who}"] for n in range(1, 41)]
        for who in ("Wang", "Li")
    ]

    results = run_parallel(voids)

    refusals = [line for r in results for line in r.stdout.splitlines()]
    assert all(
        line.startswith("1 Error: Visit #") and "is void already" in line for line in refusals
    ), refusals
    assert len(refusals) == 40  # every visit: one void done, one clean refusal
    history = site.json("history", "1-000", now=NOW)
    assert sorted(r["record_id"] for r in history if r["action"] == "void") == list(range(1, 41))
    assert site.json("visit", "list", "--ref", "1-000", now=NOW) == []


def test_two_people_editing_one_household_at_once_lose_no_change(site):
    edits = [
        [
            ["resident", "edit", "1-000", "--tag", f"{who}{n}", "--phone", f"1380000{who}{n:03d}"]
            for n in range(30)
        ]
        for who in ("1", "2")
    ]

    results = run_parallel(edits)

    assert [(r.returncode, r.stdout) for r in results] == [(0, "")] * 2
    [household] = [
        r for r in site.json("resident", "list", "--show-phone", now=NOW) if r["unit"] == "1-000"
    ]
    assert sorted(household["tags"]) == sorted(f"{who}{n}" for who in "12" for n in range(30))
    assert household["phone"] in {"13800001029", "13800002029"}  # whoever edited last, whole
    history = site.json("history", "1-000", now=NOW)
    assert len([r for r in history if r["action"] == "edit"]) == 60


def test_two_clerks_recording_the_same_move_in_at_once_make_one_move_in(site):
    """Eight not-moved-in households, each moved in by two processes at once: one wins, one is cleanly refused."""
    for k in range(PROCESSES):
        ok(site, "resident", "edit", f"1-{k:03d}", "--status", "not-moved-in")
    moves = [
        [["resident", "move-in", f"1-{k:03d}", "--date", "2026-11-27"] for k in range(PROCESSES)]
        for _ in range(2)
    ]

    results = run_parallel(moves)

    refusals = [line for r in results for line in r.stdout.splitlines()]
    assert len(refusals) == PROCESSES, refusals
    assert all(
        line.startswith("1 Error: Owner ") and "is already occupied" in line for line in refusals
    ), refusals
    residents = site.json("resident", "list", now=NOW)
    assert {r["status"] for r in residents} == {"occupied"}
    welcomes = site.json("followup", "list", "--rule", "move-in-welcome", now=NOW)
    assert sorted(w["unit"] for w in welcomes) == [f"1-{k:03d}" for k in range(PROCESSES)]
