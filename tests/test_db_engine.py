"""What the engine module says about a database URL: the URL shown never carries its password."""

from __future__ import annotations

import pytest

from careops.db.engine import resolve_url, shown, sqlite_path


@pytest.mark.parametrize(
    ("url", "seen"),
    [
        (
            "postgresql+psycopg://careops:s3cret@db.example/careops",
            "postgresql+psycopg://careops:***@db.example/careops",
        ),
        (
            "postgresql+psycopg://careops@/careops?host=/var/run/postgresql",
            "postgresql+psycopg://careops@/careops?host=/var/run/postgresql",
        ),
        ("sqlite:////srv/careops/careops.db", "sqlite:////srv/careops/careops.db"),
    ],
)
def test_a_shown_url_hides_its_password_and_nothing_else(url, seen):
    assert shown(url) == seen


def test_a_path_becomes_an_absolute_sqlite_url_and_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    url = resolve_url("site.db")

    assert url == f"sqlite:///{tmp_path / 'site.db'}"
    assert sqlite_path(url) == tmp_path / "site.db"
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql+psycopg://careops@/careops") is None
