"""Mutation spot check: break five rules, one at a time, and show that the test suite notices.

Each mutation below is a one-line slip a developer could make in a rule: a deadline (P4.4), the
window in which a visit settles a cadence item (P1), who owns an item (E2.1), where a calendar
period ends, and an anonymity rule (H3.3/E3). For each, the script applies the slip to a throwaway
copy of the committed tree (`git archive HEAD`; the working tree is never touched), runs the tests
that should catch it against that copy, and restores the file. The same tests first run on the
unmutated copy and must pass there, or the check proves nothing.

Run from the repository:  .venv/bin/python scripts/spot_mutations.py
It prints one line per mutation (`caught` with the first failing test, or `MISSED`) and exits 1
if a mutation was missed or the baseline failed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"

# (name, file, exact old text, new text, tests that should catch it)
MUTATIONS = [
    (
        "deadline: P4.4 emergency-repair follow-up 24h -> 48h",
        "src/careops/policy/builtin.toml",
        'due_in = "24h"',
        'due_in = "48h"',
        ["tests/test_rules_p4.py::test_p4_4_emergency_repair_at_23_00_is_due_by_23_00_next_day"],
    ),
    (
        "settle window: P1 contacts before the period opened settle it (since= dropped)",
        "src/careops/scheduler/cadence.py",
        "source, met = qualifying(rule, match, open_until, since=clock.day_start_utc(period.start))",
        "source, met = qualifying(rule, match, open_until)",
        ["tests/test_rules_p1.py"],
    ),
    (
        "owner: E2.1 one-to-one owned by the employee, not the manager",
        "src/careops/scheduler/people.py",
        'manager.c.id.label("owner_id"),',
        'staff.c.id.label("owner_id"),',
        ["tests/test_rules_e.py::test_E2_1_one_to_one_of_119_minutes_does_not_count"],
    ),
    (
        "period boundary: a period ends on the first day of the next one",
        "src/careops/calendar/periods.py",
        "return Period(kind, start, after - timedelta(days=1))",
        "return Period(kind, start, after)",
        ["tests/test_calendar.py::test_calendar_period_of_boundaries"],
    ),
    (
        "anonymity: --respondent refused only on employee surveys, not every anonymous one",
        "src/careops/services/surveys.py",
        "if respondent and row.anonymous:",
        "if respondent and row.audience == Audience.employees.value:",
        [
            "tests/test_survey_anonymity.py"
            "::test_H3_3_respondent_on_an_anonymous_survey_is_refused_and_nothing_is_written"
        ],
    ),
]


def pytest(copy: Path, tests: list[str]) -> tuple[int, str]:
    """Run the tests on the copy's code: its src first on the path, from its root."""
    env = dict(os.environ, PYTHONPATH=str(copy / "src"), PYTHONDONTWRITEBYTECODE="1")
    cmd = [str(PYTHON), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def first_failure(output: str) -> str:
    found = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    return found.group(1) if found else "?"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="spot-mutations-") as tmp:
        copy = Path(tmp)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "HEAD"], check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(copy)], input=archive.stdout, check=True)

        env = dict(os.environ, PYTHONPATH=str(copy / "src"))
        imported = subprocess.run(
            [str(PYTHON), "-c", "import careops; print(careops.__file__)"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not Path(imported).is_relative_to(copy / "src"):
            print(f"the tests would import careops from {imported}, not the copy")
            return 1
        print(f"careops imported from the copy: {imported}")

        every_test = sorted({t for *_, tests in MUTATIONS for t in tests})
        code, output = pytest(copy, every_test)
        if code != 0:
            print(output)
            print(f"baseline FAILED ({first_failure(output)}): the check would prove nothing")
            return 1
        print("baseline: the tests pass on the unmutated copy")

        missed = 0
        for name, rel, old, new, tests in MUTATIONS:
            path = copy / rel
            pristine = path.read_text(encoding="utf-8")
            assert pristine.count(old) == 1, f"{rel}: {old!r} must occur exactly once"
            path.write_text(pristine.replace(old, new), encoding="utf-8")
            try:
                code, output = pytest(copy, tests)
            finally:
                path.write_text(pristine, encoding="utf-8")
            if code == 1:
                print(f"caught  {name}: {first_failure(output)}")
            else:
                missed += 1
                why = "" if code == 0 else f" (pytest exited {code})"
                print(f"MISSED  {name}{why}")
        return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
