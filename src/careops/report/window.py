"""What a report is about: one calendar month in the site's time zone, optionally one zone or one staff member;
and the two portable SQL pieces the figures need (seconds between two timestamps, a median)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, Float, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from careops.clock import Clock


@dataclass(frozen=True)
class Month:
    first: date  # the month's first day (local)
    last: date  # its last day (local)
    start_utc: datetime  # its first local midnight, in UTC (naive, as stored)
    # The next month's first local midnight in UTC, or now for the month in progress: facts are
    # `start_utc <= at < end_utc`, and "at the month's end" means then.
    end_utc: datetime

    @classmethod
    def of(cls, first: date, clock: Clock) -> Month:
        first = first.replace(day=1)
        following = first + relativedelta(months=1)
        end = min(clock.day_start_utc(following), max(clock.now_utc, clock.day_start_utc(first)))
        return cls(first, following - relativedelta(days=1), clock.day_start_utc(first), end)

    def previous(self, clock: Clock) -> Month:
        return Month.of(self.first - relativedelta(months=1), clock)

    @property
    def label(self) -> str:
        return self.first.strftime("%Y-%m")


def as_of(clock: Clock, month: Month) -> datetime:
    """The moment "open" and "overdue" are read at: the month's end, or now for the current month."""
    return min(month.end_utc, clock.now_utc)


@dataclass(frozen=True)
class ReportScope:
    zone_id: int | None = (
        None  # households of this zone (and the staff and cases that concern them)
    )
    staff_id: int | None = None  # what this staff member owns or handled

    @property
    def whole_site(self) -> bool:
        return self.zone_id is None and self.staff_id is None


class seconds_between(FunctionElement):
    """Seconds from `start` to `end` (two timestamp columns), as a float, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"((julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)}))"


class local_day(FunctionElement):
    """The local calendar day of a UTC timestamp, `shift` seconds (the site's UTC offset) later:
    SQLite and PostgreSQL."""

    type = Date()
    inherit_cache = True
    name = "local_day"


@compiles(local_day)
def _local_day_sqlite(element, compiler, **kw):
    at, shift = list(element.clauses)
    return f"date({compiler.process(at, **kw)}, ({compiler.process(shift, **kw)}) || ' seconds')"


@compiles(local_day, "postgresql")
def _local_day_pg(element, compiler, **kw):
    at, shift = list(element.clauses)
    return f"CAST(({compiler.process(at, **kw)} + ({compiler.process(shift, **kw)}) * INTERVAL '1 second') AS DATE)"


def utc_offset(clock: Clock, month: Month) -> int:
    """The site's offset from UTC in seconds at the month's start (one number for the month: no DST in China)."""
    offset = clock.tz.utcoffset(datetime.combine(month.first, time()))
    assert offset is not None  # a zone knows its offset on any day
    return int(offset.total_seconds())


def median_by(values, group_cols: list, value_col):
    """A select of (group columns…, median) over the subquery `values`, by window functions (SQLite ≥ 3.25 and
    PostgreSQL alike): the middle row, or the mean of the two middle rows."""
    order = func.row_number().over(partition_by=group_cols, order_by=value_col).label("n")
    size = func.count().over(partition_by=group_cols).label("size")
    ranked = select(*group_cols, value_col.label("v"), order, size).select_from(values).subquery()
    groups = [ranked.c[c.name] for c in group_cols]
    middle = (ranked.c.n * 2 >= ranked.c.size) & (ranked.c.n * 2 <= ranked.c.size + 2)
    return select(*groups, func.avg(ranked.c.v).label("median")).where(middle).group_by(*groups)


def count_if(cond):
    """How many rows meet `cond`: 0, never NULL, when none do (SUM of a CASE, portable)."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def counts(row, keys) -> dict[str, int]:
    """The figures `keys` of one aggregate row whose labels are the report's keys, as ints; all 0 when the query
    found nothing to group (no row)."""
    return {key: int(row._mapping[key]) if row is not None else 0 for key in keys}
