"""Branch coverage per package, from the JSON report `make test` writes (coverage.py's `--cov-report=json`).

    python scripts/coverage_by_package.py build/coverage.json

Prints one line per package of careops (statements, branches, and coverage.py's combined figure), then
every module under the bar (85 %), which docs/testing.md explains. Coverage is a map, not a goal: this
never fails a run.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

BAR = 85.0


def package_of(path: str) -> str:
    parts = Path(path).parts
    inside = parts[parts.index("careops") :]
    return "/".join(inside[:2]) if len(inside) > 2 else inside[0]


def percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 100.0


def main(report: str) -> int:
    files = json.loads(Path(report).read_text("utf-8"))["files"]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    low = []
    for path, data in sorted(files.items()):
        s = data["summary"]
        numbers = (
            s["covered_lines"],
            s["num_statements"],
            s["covered_branches"],
            s["num_branches"],
        )
        for i, n in enumerate(numbers):
            totals[package_of(path)][i] += n
        if s["percent_covered"] < BAR:
            low.append((s["percent_covered"], path[path.index("careops") :]))
    print(f"{'package':<22} {'statements':>12} {'branches':>12} {'combined':>9}")
    for package, (lines, statements, branches, all_branches) in sorted(totals.items()):
        combined = percent(lines + branches, statements + all_branches)
        print(
            f"{package:<22} {percent(lines, statements):>11.1f}% "
            f"{percent(branches, all_branches):>11.1f}% {combined:>8.1f}%"
        )
    if low:
        print(f"\nModules under {BAR:.0f} % (why each: docs/testing.md, 'Coverage is a map'):")
        for value, path in sorted(low):
            print(f"  {value:5.1f}%  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/coverage.json"))
