"""Nothing lost: an import killed with SIGKILL at any moment leaves a sound database holding none or all of its rows."""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import text

from careops.db.engine import make_engine, resolve_url

from conftest import ok

ROWS = 50_000
KILLS = 20


def write_csv(path, prefix: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "unit", "zone", "phone", "tags"])
        for i in range(ROWS):
            writer.writerow(
                [
                    f"Owner {i}",
                    f"{prefix}-{i // 60 + 1}-{i % 60:02d}",
                    "A",
                    f"138{i:08d}",
                    "key" if i % 50 == 0 else "",
                ]
            )


def households_and_health(prefix: str) -> tuple[int, str]:
    url = resolve_url(os.environ["CAREOPS_DB"])
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(
                text("SELECT count(*) FROM party WHERE kind = 'household' AND unit LIKE :p"),
                {"p": f"{prefix}-%"},
            ).scalar()
            health = (
                conn.execute(text("PRAGMA integrity_check")).scalar()
                if url.startswith("sqlite")
                else "ok"
            )
    finally:
        engine.dispose()
    return count, health


def test_import_killed_at_twenty_random_moments_leaves_none_or_all(cli, tmp_path):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    moments = random.Random(20261127).sample(range(50, 2500), KILLS)  # milliseconds after the start
    outcomes = []
    for k, delay in enumerate(moments):
        prefix = f"k{k}"
        path = tmp_path / f"{prefix}.csv"
        write_csv(path, prefix)
        proc = subprocess.Popen(
            [sys.executable, "-m", "careops", "resident", "import", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay / 1000)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=120)
        count, health = households_and_health(prefix)
        assert health == "ok", (delay, health)
        assert count in (0, ROWS), (delay, count)
        outcomes.append(count)
    assert outcomes.count(0) >= KILLS // 2, outcomes  # most kills landed mid-import, as intended
