"""Schema upgrades: a database at an older revision is upgraded with no row lost (a SQLite file is
copied aside first)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import inspect, select, text

from careops.db import migrate
from careops.db.engine import make_engine, resolve_url
from careops.errors import SchemaError
from careops.scheduler.tables import obligation

from conftest import LATER_REVISION


@pytest.mark.new_database
def test_blank_database_is_created_at_head(db_url):
    url = db_url
    engine = make_engine(url)
    assert migrate.ensure_current(engine, url) == "created"
    assert migrate.current_revision(engine) == migrate.head()
    assert {"staff", "zone", "party", "party_tag", "visit", "obligation"} <= set(
        inspect(engine).get_table_names()
    )
    assert migrate.ensure_current(engine, url) is None


@pytest.mark.new_database
def test_older_database_is_backed_up_then_upgraded_without_losing_rows(
    db_url, db_path, later_migrations
):
    url = db_url
    engine = make_engine(url)
    first = migrate.revision_chain()[0]
    migrate.upgrade(engine, first)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO zone (name, created_at) VALUES ('A', '2026-11-01 00:00:00')")
        )
    note = migrate.ensure_current(engine, url)
    if db_path is not None:  # SQLite: the file is copied aside first
        backup = db_path.with_name(f"{db_path.name}.bak-{first}")
        assert note == f"upgraded from {first} (copy kept at {backup})"
        assert backup.exists()
        old = make_engine(resolve_url(str(backup)))
        assert migrate.current_revision(old) == first
        old.dispose()
    else:  # PostgreSQL: upgraded in place, in one transaction
        assert note == f"upgraded from {first}"
    assert migrate.current_revision(engine) == LATER_REVISION
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, colour FROM zone")).all() == [("A", None)]
    engine.dispose()


def test_revision_chain_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.migrations_dir()))
    walked = [s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()]
    assert migrate.revision_chain() == list(reversed(walked))


def test_unknown_revision_is_refused(db_url):
    url = db_url
    engine = make_engine(url)
    migrate.ensure_current(engine, url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(SchemaError, match="from_the_future"):
        migrate.ensure_current(engine, url)


@pytest.mark.new_database
def test_foreign_database_is_refused(db_url):
    url = db_url
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE something (id INTEGER)"))
    with pytest.raises(SchemaError, match="not made by careops"):
        migrate.ensure_current(engine, url)


FILL_FIRST_REVISION = [
    "INSERT INTO staff (name, role, created_at) VALUES ('Wang Fang', 'butler', '2026-01-01 00:00:00')",
    "INSERT INTO staff (name, role, reports_to_id, created_at) VALUES ('Li Hua', 'manager', "
    "NULL, '2026-01-01 00:00:00')",
    "INSERT INTO zone (name, butler_id, created_at) VALUES ('A', 1, '2026-01-01 00:00:00')",
    "INSERT INTO party (kind, name, unit, zone_id, status, status_since, created_at) "
    "VALUES ('household', 'Zhang San', '1-101', 1, 'occupied', '2026-01-01', '2026-01-01 00:00:00')",
    "INSERT INTO party (kind, name, contact_kind, status_since, created_at) "
    "VALUES ('contact', 'Chair Qian', 'committee-chair', '2026-01-01', '2026-01-01 00:00:00')",
    "INSERT INTO party_tag (party_id, tag, since) VALUES (1, 'key', '2026-01-01')",
    "INSERT INTO visit (party_id, staff_id, channel, at, outcome, created_at) "
    "VALUES (1, 1, 'phone', '2026-01-05 02:00:00', 'busy', '2026-01-05 02:00:00')",
    "INSERT INTO visit (party_id, staff_id, channel, at, outcome, created_at) "
    "VALUES (1, 1, 'door', '2026-01-06 02:00:00', 'reached', '2026-01-06 02:00:00')",
    "INSERT INTO obligation (kind, rule, clause, party_id, owner_id, due_at, state, source_visit_id, created_at) "
    "VALUES ('callback', 'p3-callback', 'P3', 1, 1, '2026-01-06 02:00:00', 'open', 1, '2026-01-05 02:00:00')",
]


@pytest.mark.new_database
def test_a_filled_first_revision_upgrades_through_every_revision_with_no_row_lost(db_url):
    engine = make_engine(db_url)
    chain = migrate.revision_chain()
    migrate.upgrade(engine, chain[0])
    with engine.begin() as conn:
        for statement in FILL_FIRST_REVISION:
            conn.execute(text(statement))
    tables = ("staff", "zone", "party", "party_tag", "visit", "obligation")

    def counts() -> dict:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}

    before = counts()
    assert before == {
        "staff": 2,
        "zone": 1,
        "party": 2,
        "party_tag": 1,
        "visit": 2,
        "obligation": 1,
    }
    for revision in chain[1:]:
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
        assert counts() == before, revision
    engine.dispose()


@pytest.mark.new_database
def test_upgrading_a_database_at_0007_dates_when_each_obligation_opened(db_url):
    """Each obligation written before 0008 gets the moment it opened, as the code now writes it: its
    window's start, else the busy call of a callback, the event, the complaint's resolution, else when
    it was written."""
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0007_name_pinyin")
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO staff (id, name, role, created_at) VALUES (1, 'Wang', 'butler', '2026-01-01 00:00:00')",
            "INSERT INTO party (id, kind, name, unit, status, status_since, created_at) "
            "VALUES (1, 'household', 'Zhang', '1-101', 'occupied', '2026-01-01', '2026-01-01 00:00:00')",
            "INSERT INTO visit (id, party_id, staff_id, channel, at, outcome, created_at) "
            "VALUES (1, 1, 1, 'phone', '2026-11-20 07:00:00', 'busy', '2026-11-20 07:00:00')",
            "INSERT INTO event (id, party_id, kind, at, created_at) "
            "VALUES (1, 1, 'emergency-repair', '2026-11-21 06:00:00', '2026-11-21 09:00:00')",
            "INSERT INTO obligation (id, kind, rule, clause, party_id, state, source_visit_id, created_at)"
            " VALUES (1, 'callback', 'p3-callback', 'P3', 1, 'open', 1, '2026-11-20 07:05:00')",
            "INSERT INTO obligation (id, kind, rule, clause, party_id, state, event_id, created_at) "
            "VALUES (2, 'followup', 'emergency-repair', 'P4.4', 1, 'open', 1, '2026-11-21 09:00:00')",
            "INSERT INTO obligation (id, kind, rule, clause, party_id, state, event_id, opens_at, "
            "created_at) VALUES (3, 'followup', 'move-in-3-months', 'P4.2', 1, 'open', 1, "
            "'2027-02-20 16:00:00', '2026-11-21 09:00:00')",
            "INSERT INTO obligation (id, kind, rule, clause, state, created_at) "
            "VALUES (4, 'task', 'service-manual', 'P5.4', 'open', '2026-11-22 01:00:00')",
        ):
            conn.execute(text(sql))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        opened = conn.execute(
            select(obligation.c.id, obligation.c.opened_at).order_by(obligation.c.id)
        ).all()
    engine.dispose()

    assert [tuple(row) for row in opened] == [
        (1, datetime(2026, 11, 20, 7, 0)),
        (2, datetime(2026, 11, 21, 6, 0)),
        (3, datetime(2027, 2, 20, 16, 0)),
        (4, datetime(2026, 11, 22, 1, 0)),
    ]


@pytest.mark.new_database
def test_upgrading_a_database_at_0008_keeps_each_contract_end_on_file_as_recorded(db_url):
    """Each staff member's contract end on file becomes their first contract term, recorded when they were (E1.1:
    the monthly report reads the contracts that ended from the terms)."""
    from careops.models import contract_term

    engine = make_engine(db_url)
    migrate.upgrade(engine, "0008_opened_at")
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO staff (id, name, role, contract_ends, created_at) "
            "VALUES (1, 'Han', 'hr', '2027-03-31', '2026-01-05 01:00:00')",
            "INSERT INTO staff (id, name, role, created_at) "
            "VALUES (2, 'Wu', 'employee', '2026-02-01 01:00:00')",
        ):
            conn.execute(text(sql))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        terms = conn.execute(
            select(contract_term.c.staff_id, contract_term.c.ends, contract_term.c.recorded_at)
        ).all()
    engine.dispose()

    assert [tuple(row) for row in terms] == [(1, date(2027, 3, 31), datetime(2026, 1, 5, 1, 0))]
