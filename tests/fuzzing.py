"""Hypothesis strategies that build careops command lines: shared by the fuzz tests."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st


def fuzz_settings(examples: int) -> settings:
    """A fuzz test's settings (the profile's, see conftest.py) with its number of examples: `examples`
    in the `ci` profile, which CI and `make test` run, a tenth of it (at least 5) in `dev`."""
    if settings.get_current_profile_name() == "dev":
        examples = max(5, examples // 10)
    return settings(max_examples=examples)


def opt(flag_: str, values) -> st.SearchStrategy:
    """Given half the time."""
    return st.one_of(st.just([]), values.map(lambda v: [flag_, v]))


def usually(flag_: str, values) -> st.SearchStrategy:
    """Given nine times in ten (a required option, now and then left out)."""
    return st.tuples(st.sampled_from([True] * 9 + [False]), values).map(
        lambda t: [flag_, t[1]] if t[0] else []
    )


def rarely(flag_: str, values) -> st.SearchStrategy:
    """Given one time in five."""
    return st.tuples(st.sampled_from([False] * 4 + [True]), values).map(
        lambda t: [flag_, t[1]] if t[0] else []
    )


def flag(name: str) -> st.SearchStrategy:
    return st.sampled_from([[], [], [], [name]])


def repeated(flag_: str, values, least: int, most: int) -> st.SearchStrategy:
    return st.lists(values, min_size=least, max_size=most).map(
        lambda vs: [p for v in vs for p in (flag_, v)]
    )


def command(*parts) -> st.SearchStrategy:
    return st.tuples(*parts).map(
        lambda pieces: [
            p for piece in pieces for p in (piece if isinstance(piece, list) else [piece])
        ]
    )


def survived(
    result, argv, *, before: dict, after, notes: tuple[str, ...] = ("Warning: ", "Note: ")
) -> None:
    """A fuzzed command either succeeded (anything on stderr one of `notes`) or was refused plainly: exit 1 or 2,
    one `Error:` line that is not an unexpected failure, nothing on stdout, and nothing written (`after()`, the
    row counts read again, equals `before`). Never a traceback."""
    assert "Traceback" not in result.output, (argv, result.output)
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    lines = result.stderr.splitlines()
    if result.exit_code == 0:
        assert all(line.startswith(notes) for line in lines), (argv, result.stderr)
    else:
        assert result.stdout == "", (argv, result.stdout)
        assert len(lines) == 1 and lines[0].startswith("Error: "), (argv, result.stderr)
        assert "Unexpected" not in lines[0] and "database refused" not in lines[0], (argv, lines[0])
        assert after() == before, (argv, lines[0])
