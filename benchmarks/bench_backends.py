"""SQLite and PostgreSQL side by side on the 100,000-household site, each against the same query run bare.

    scripts/with-postgres.sh .venv/bin/python benchmarks/bench_backends.py   # CAREOPS_TEST_PG gives the server

Builds the demo site on both backends (SQLite under .bench/, PostgreSQL in a database `bench`),
then times `due --staff` (one butler), `due --all --format json` (whole site) and `log-visit`
through careops, and the main P1 query of each `due` bare (`sqlite3` / `psql` on the compiled SQL).
Median wall time of --runs runs, each a new process as a user would run it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
CAREOPS = str(Path(sys.executable).parent / "careops")
NOW = "2026-11-27 08:30"


def timed(argv, env, runs, stdin=None) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            argv,
            env=env,
            check=True,
            input=stdin,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def p1_sql(url: str, owner: int | None) -> str:
    """The P1 monthly-visit query careops runs, compiled for this database with its values inlined."""
    from careops.clock import Clock
    from careops.policy.loader import load_policy
    from careops.scheduler import cadence

    captured = []

    class Spy:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, query, *args):
            captured.append(query)
            return self.conn.execute(query, *args)

    engine = create_engine(url)
    with engine.connect() as conn:
        rule = load_policy().get("p1-monthly-visit")
        cadence.cadence_items(
            Spy(conn), rule, Clock.at(datetime(2026, 11, 27, 8, 30)), cadence.Scope(owner_id=owner)
        )
        return str(captured[-1].compile(conn, compile_kwargs={"literal_binds": True})) + ";"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pg_base = os.environ["CAREOPS_TEST_PG"]
    sqlite_db = ROOT / ".bench" / f"site-{args.households}.db"
    pg_url = make_url(pg_base).set(database="bench").render_as_string(hide_password=False)
    with create_engine(pg_base, isolation_level="AUTOCOMMIT").connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = 'bench'")).scalar():
            conn.execute(text("CREATE DATABASE bench"))
    urls = {"SQLite": f"sqlite:///{sqlite_db}", "PostgreSQL": pg_url}
    results = {}
    for name, url in urls.items():
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
            "CAREOPS_DB": url,
            "CAREOPS_NOW": NOW,
        }
        if name == "SQLite" and not sqlite_db.exists():
            sqlite_db.parent.mkdir(exist_ok=True)
            subprocess.run(
                [CAREOPS, "demo", "--households", str(args.households)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        if name == "PostgreSQL":
            with create_engine(url).connect() as conn:
                built = (
                    conn.execute(text("SELECT to_regclass('party') IS NOT NULL")).scalar()
                    and conn.execute(text("SELECT count(*) FROM party")).scalar()
                )
            if not built:
                subprocess.run(
                    [CAREOPS, "demo", "--households", str(args.households)],
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
                    conn.execute(text("VACUUM ANALYZE"))
        butler_line = subprocess.run(
            [CAREOPS, "staff", "list", "--format", "csv"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[1:]
        butler_id, butler = next(
            (r.split(",")[0], r.split(",")[1]) for r in butler_line if r.split(",")[2] == "butler"
        )
        bare = (
            ["sqlite3", str(sqlite_db)]
            if name == "SQLite"
            else [
                "psql",
                "-q",
                "-h",
                make_url(pg_base).query["host"],
                "-U",
                make_url(pg_base).username,
                "-d",
                "bench",
            ]
        )
        results[name] = {
            "due (one butler)": (
                timed([CAREOPS, "due", "--staff", butler], env, args.runs),
                timed(bare, env, args.runs, p1_sql(url, int(butler_id))),
            ),
            "due --all --format json": (
                timed([CAREOPS, "due", "--all", "--format", "json"], env, args.runs),
                timed(bare, env, args.runs, p1_sql(url, None)),
            ),
            "log-visit": (
                timed(
                    [
                        CAREOPS,
                        "log-visit",
                        "1-1-101",
                        "--by",
                        butler,
                        "--channel",
                        "door",
                        "--at",
                        "2026-11-27 08:00",
                    ],
                    env,
                    args.runs,
                ),
                None,
            ),
        }
    print(
        f"{args.households} households; median of {args.runs} runs; bare = the P1 query alone through sqlite3 / psql"
    )
    print(
        "| command | SQLite s | bare | ratio | PostgreSQL s | bare | ratio | PG ÷ SQLite |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for command in results["SQLite"]:
        (s, sb), (p, pb) = results["SQLite"][command], results["PostgreSQL"][command]
        cells = [
            f"{s:.2f}",
            f"{sb:.2f}" if sb else "–",
            f"{s / sb:.1f}×" if sb else "–",
            f"{p:.2f}",
            f"{pb:.2f}" if pb else "–",
            f"{p / pb:.1f}×" if pb else "–",
            f"{p / s:.2f}",
        ]
        print(f"| {command} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
