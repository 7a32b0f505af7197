"""Bad and odd input never hurts `report monthly` or `export`: generated --month, --zone, --staff, --format and --out
either succeed (exit 0) or are refused with one `Error:` line, exit 1 or 2, nothing on stdout — never a traceback —
and a refused command leaves no file behind. Both commands only read: the database is the same after every one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ok
from fuzzing import command, fuzz_settings, opt

EXAMPLES = 40
FUZZ = fuzz_settings(EXAMPLES)
NOW = "2026-11-27 08:30"
TABLES = ("staff", "zone", "party", "visit", "visit_plan", "visit_plan_item", "audit", "obligation")

weird = st.one_of(
    st.just(""),
    st.just(" "),
    st.just("x" * 5_000),
    st.just("管家部 🏠"),
    st.just("'; DROP TABLE visit; --"),
    st.just("%_\\"),
    st.just("-1"),
    st.just("--help"),
    st.just("\u200b"),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=30,
    ),
)
months = st.one_of(
    st.sampled_from(["2026-11", "2026-10", "2026-01", "2025-12", "2026-12", "2199-12", "1900-01"]),
    st.sampled_from(["2026-13", "2026-1", "1899-12", "11", "2026-00", "二〇二六-十一"]),
    weird,
)
zones = st.one_of(st.sampled_from(["A", "B", "a", "#1", "2"]), weird)
staff = st.one_of(st.sampled_from(["王芳", "Zhao Lei", "#1", "3"]), weird)
formats = st.one_of(
    st.sampled_from(["table", "md", "json", "csv", "xlsx", "html"]),
    st.sampled_from(["pdf", "", "JSON"]),
)
outs = st.sampled_from(["new.out", "folder", "missing/deep/r.out", "", "-", "exists.out"])


@pytest.fixture
def site(cli):
    then = "2026-09-01 09:00"
    ok(cli, "init", now=then)
    ok(cli, "staff", "add", "王芳", "--role", "butler", now=then)
    ok(cli, "staff", "add", "Zhao Lei", "--role", "butler", now=then)
    ok(cli, "zone", "add", "A", "--butler", "王芳", now=then)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=then)
    ok(cli, "resident", "add", "张三", "--unit", "1-1-101", "--zone", "A", now=then)
    ok(cli, "resident", "add", "Li Si", "--unit", "2-1-101", "--zone", "B", now=then)
    ok(
        cli,
        "log-visit",
        "1-1-101",
        "--by",
        "王芳",
        "--channel",
        "phone",
        "--at",
        "2026-10-12 10:00",
        now="2026-10-12 10:00",
    )
    return cli


def counts(db) -> dict:
    return {t: db.count(t) for t in TABLES}


def _check(result, target: Path | None, existed: bool) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        lines = result.stderr.splitlines()
        assert result.stdout == "" and len(lines) == 1 and lines[0].startswith("Error: "), (
            result.output
        )
        if target is not None and not existed:
            assert not target.exists() or target.is_dir()


def _out_path(tmp: Path, choice: str) -> tuple[list[str], Path | None, bool]:
    if choice == "":
        return [], None, False
    if choice == "-":
        return ["--out", "-"], None, False
    path = tmp / choice
    if choice == "folder":
        path.mkdir(exist_ok=True)
    if choice == "exists.out":
        path.write_text("old")
    return ["--out", str(path)], path, path.exists()


@FUZZ
@given(
    args=command(
        opt("--month", months),
        opt("--zone", zones),
        opt("--staff", staff),
        opt("--format", formats),
    ),
    out=outs,
)
def test_fuzz_report_monthly(site, db, tmp_path_factory, args, out):
    before = counts(db)
    tmp = tmp_path_factory.mktemp("report")
    where, target, existed = _out_path(tmp, out)
    result = site("report", "monthly", *args, *where, now=NOW)
    _check(result, target, existed)
    assert counts(db) == before


@FUZZ
@given(fmt=opt("--format", formats), out=st.sampled_from(["new", "folder", "file", "missing/deep"]))
def test_fuzz_export(site, db, tmp_path_factory, fmt, out):
    before = counts(db)
    tmp = tmp_path_factory.mktemp("export")
    target = tmp / out
    if out == "folder":
        target.mkdir()
    if out == "file":
        target.write_text("not a folder")
    result = site("export", *fmt, "--out", str(target), now=NOW)
    _check(result, None, False)
    if result.exit_code != 0:
        assert (not target.exists()) or target.is_file() or list(target.iterdir()) == []
    assert counts(db) == before
