"""Hypothesis strategies that build careops command lines: shared by the fuzz tests."""

from __future__ import annotations

from hypothesis import strategies as st


def opt(flag_: str, values) -> st.SearchStrategy:
    """Given half the time."""
    return st.one_of(st.just([]), values.map(lambda v: [flag_, v]))


def usually(flag_: str, values) -> st.SearchStrategy:
    """Given nine times in ten (a required option, now and then left out)."""
    return st.tuples(st.sampled_from([True] * 9 + [False]), values).map(lambda t: [flag_, t[1]] if t[0] else [])


def flag(name: str) -> st.SearchStrategy:
    return st.sampled_from([[], [], [], [name]])


def repeated(flag_: str, values, least: int, most: int) -> st.SearchStrategy:
    return st.lists(values, min_size=least, max_size=most).map(lambda vs: [p for v in vs for p in (flag_, v)])


def command(*parts) -> st.SearchStrategy:
    return st.tuples(*parts).map(lambda pieces: [p for piece in pieces for p in (piece if isinstance(piece, list) else [piece])])
