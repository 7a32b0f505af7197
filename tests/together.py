"""Commands typed by several people at once: each person is a process of its own, and their commands
meet because a barrier starts them together, not because a timer guesses when every process is ready.

Each process imports careops, reads its commands, says `ready` and waits for `go`; once every process
is ready they all get `go` at once. In lockstep, every process waits at the barrier before each of its
commands, so the k-th commands of all processes start together. On PostgreSQL, `hold` locks a table
against writes before the start and releases it once every process waits on a lock (the widest race,
every time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from conftest import PG

RUNNER = """
import json, sys, time
import functools, typer.main, typer.testing
from typer.testing import CliRunner
from careops.cli.app import app
typer.testing._get_command = functools.cache(typer.main.get_command)  # built once, as in careops
runner = CliRunner()
lockstep, delay = sys.argv[1] == "lockstep", float(sys.argv[2])
commands = [line.rstrip("\\n").split("\\t") for line in iter(sys.stdin.readline, "\\n")]
results = []
for k, argv in enumerate(commands):
    if k == 0 or lockstep:
        print("ready", flush=True)
        sys.stdin.readline()  # "go"
        if delay:
            time.sleep(delay)  # a staggered start is what the test asks for
    result = runner.invoke(app, argv)
    results.append([result.exit_code, result.output])
print(json.dumps(results), flush=True)
"""

# The longest a held lock waits for every process to queue behind it (they queue within a second).
HOLD_LIMIT = 20.0


@dataclass
class Ran:
    """One process's commands: (exit code, output) of each, in order."""

    results: list[tuple[int, str]]


def run_together(
    commands_per_process: list[list[list[str]]],
    *,
    env: dict[str, str] | None = None,
    lockstep: bool = False,
    hold: tuple[str, str] | None = None,
    delays: list[float] | None = None,
) -> list[list[tuple[int, str]]]:
    """Each list of commands in its own process, all starting together (`delays`: seconds a process
    waits after each start, for a staggered race). Returns each process's (exit code, output) per command.
    `hold` (PostgreSQL only: the database's URL and a table) locks that table against writes until
    every process waits on a lock."""
    environ = os.environ | (env or {})
    delays = delays or [0.0] * len(commands_per_process)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RUNNER, "lockstep" if lockstep else "once", str(delay)],
            env=environ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for delay in delays
    ]
    held = _Lock(*hold) if hold and PG else None
    try:
        for proc, commands in zip(procs, commands_per_process, strict=True):
            proc.stdin.write("".join("\t".join(argv) + "\n" for argv in commands) + "\n")
            proc.stdin.flush()
        rounds = max(len(c) for c in commands_per_process) if lockstep else 1
        for k in range(rounds):
            waiting = [
                p
                for p, commands in zip(procs, commands_per_process, strict=True)
                if k < len(commands)
            ]
            for proc in waiting:
                assert proc.stdout.readline() == "ready\n"
            for proc in waiting:
                proc.stdin.write("go\n")
                proc.stdin.flush()
            if held is not None and k == 0:
                held.release_when_waiting(len(waiting))
                held = None
        outputs = []
        for proc in procs:
            proc.stdin.close()
            outputs.append(
                [
                    (code, out.strip().replace("\n", " | "))
                    for code, out in json.loads(proc.stdout.readline())
                ]
            )
            assert proc.wait(timeout=600) == 0
        return outputs
    finally:
        if held is not None:
            held.release()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


class _Lock:
    """A table locked against writes (reads go on) from another connection."""

    def __init__(self, url: str, table: str) -> None:
        self.engine = create_engine(url, poolclass=NullPool)
        self.conn = self.engine.connect()
        self.transaction = self.conn.begin()
        self.conn.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
        self.database = url.rsplit("/", 1)[-1].split("?")[0]

    def release_when_waiting(self, processes: int) -> None:
        """Released once `processes` sessions wait on a lock in this database (or after HOLD_LIMIT)."""
        watch = create_engine(PG, poolclass=NullPool)
        try:
            limit = time.monotonic() + HOLD_LIMIT
            with watch.connect() as conn:
                while time.monotonic() < limit:
                    waiting = conn.execute(
                        text(
                            "SELECT count(DISTINCT l.pid) FROM pg_locks l "
                            "JOIN pg_stat_activity a ON a.pid = l.pid "
                            "WHERE NOT l.granted AND a.datname = :name"
                        ),
                        {"name": self.database},
                    ).scalar()
                    if waiting >= processes:
                        break
                    conn.rollback()
                    time.sleep(0.01)  # polling for a condition, not pacing the race
        finally:
            watch.dispose()
            self.release()

    def release(self) -> None:
        if self.conn.closed:
            return
        self.transaction.commit()
        self.conn.close()
        self.engine.dispose()
