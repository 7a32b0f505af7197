"""Every test runs on its own throwaway database, never the user's."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from careops.cli.app import app
from careops.clock import Clock
from careops.db import migrate
from careops.db.engine import make_engine, resolve_url
from careops.db.migrate import ensure_current
from careops.policy.loader import load_policy


@pytest.fixture(autouse=True)
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "careops.db"
    monkeypatch.setenv("CAREOPS_DB", str(path))
    monkeypatch.delenv("CAREOPS_NOW", raising=False)
    monkeypatch.delenv("CAREOPS_POLICY", raising=False)
    monkeypatch.delenv("CAREOPS_TZ", raising=False)
    monkeypatch.setenv("CAREOPS_CACHE", str(tmp_path / "cache"))
    return path


@pytest.fixture
def engine(db_path):
    url = resolve_url(str(db_path))
    eng = make_engine(url)
    ensure_current(eng, url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s, s.begin():
        yield s


@pytest.fixture
def policy():
    return load_policy()


NOW = "2026-11-27 08:30"  # a Friday: the CLI tests' default clock


def ok(cli, *args: str, now: str | None = NOW):
    """Runs a command that must succeed."""
    result = cli(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


def refused(cli, *args: str, now: str | None = NOW, code: int = 1) -> str:
    """Runs a command that must fail with one `Error:` line and nothing on stdout; returns that line."""
    result = cli(*args, now=now)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def clock(text: str) -> Clock:
    """A fixed clock at local time "YYYY-MM-DD HH:MM" (Asia/Shanghai)."""
    return Clock.at(datetime.strptime(text, "%Y-%m-%d %H:%M"))


class Cli:
    """Runs careops in-process, like a user at a terminal, with an optional fixed --now."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None, input: str | None = None):
        argv = (["--now", now] if now else []) + list(args)
        return self.runner.invoke(app, argv, input=input)

    def json(self, *args: str, now: str | None = None):
        result = self(*args, "--format", "json", now=now)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli():
    return Cli()


LATER_REVISION = "0999_test_later"
LATER = '''"""test only: a later revision adding a column"""
from alembic import op
import sqlalchemy as sa

revision = "0999_test_later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("zone") as batch:
        batch.add_column(sa.Column("colour", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("zone") as batch:
        batch.drop_column("colour")
'''


@pytest.fixture
def later_migrations(tmp_path, monkeypatch):
    """The shipped migrations plus one newer revision (zone.colour), as a later careops would ship them."""
    folder = tmp_path / "later-migrations"
    shutil.copytree(migrate.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{LATER_REVISION}.py").write_text(LATER.format(head=migrate.head()), "utf-8")
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    return folder
