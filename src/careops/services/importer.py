"""`resident import`: households from CSV or .xlsx, every row checked, all written or none."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from careops.clock import Clock, parse_date
from careops.errors import InvalidInput
from careops.i18n import _
from careops.scheduler.tables import party, tag, zone
from careops.services.audit import note_many
from careops.vocab import Status

HEADERS = {
    "name": "name",
    "姓名": "name",
    "unit": "unit",
    "房号": "unit",
    "zone": "zone",
    "区域": "zone",
    "phone": "phone",
    "电话": "phone",
    "status": "status",
    "状态": "status",
    "moved_in": "moved_in",
    "moved-in": "moved_in",
    "入住日期": "moved_in",
    "tags": "tags",
    "标签": "tags",
}
STATUS_WORDS = {
    "occupied": "occupied",
    "已入住": "occupied",
    "not-moved-in": "not-moved-in",
    "not_moved_in": "not-moved-in",
    "未入住": "not-moved-in",
    "": None,
}
REQUIRED = ("name", "unit", "zone")
TAG_SEPARATORS = re.compile(r"[,;，；、\s]+")
CHUNK = 2000

# What this module says to people (one place, ready for translation).
BAD_ROWS = _("{count} bad rows")
LINE_PROBLEM = _("line {line}: {problem}")
UNIT_TAKEN = _("unit {unit} is already recorded in careops.")
UNIT_REPEATED = _("unit {unit} appears again (first on line {first}).")
NO_ROWS = _("the file {file} has no rows to import.")
MISSING = _("{columns} missing.")
UNKNOWN_ZONE = _("zone {zone!r} does not exist (add it with `careops zone add {zone}`).")
UNKNOWN_STATUS = _("status {status!r} is not occupied or not-moved-in.")
MOVED_IN_FUTURE = _("moved_in {moved_in} is after today.")
NOT_MOVED_IN_DATE = _("a household that has not moved in has no moved_in date.")
NOT_A_DATE = _("moved_in {value!r} is not a date like 2026-03-01.")
NOT_A_FILE = _("{path} is not a file.")
WRONG_KIND = _(
    "cannot import {file}: careops reads .csv or .xlsx files (save the sheet as one of those)."
)
EMPTY_FILE = _("the file {file} is empty.")
UNKNOWN_COLUMNS = _(
    "the file {file} has unknown column(s) {columns}; use name, unit, zone, phone, status, moved_in, tags."
)
NO_COLUMN = _("the file {file} has no {columns} column.")
NOT_TEXT = _("the file {file} is not UTF-8 or GB18030 text; save it as CSV UTF-8.")
NOT_EXCEL = _("the file {file} does not open as an Excel workbook ({error}).")
AUDIT_IMPORTED = _("{name}, {unit} imported from {file}")


class BadRows(InvalidInput):
    """Rows that cannot be imported, each as "line N: reason"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(BAD_ROWS.format(count=len(problems)))
        self.problems = problems


def import_residents(
    *,
    session: Session,
    clock: Clock,
    path: Path,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    lines = list(read_rows(path))
    conn = session.connection()
    zones = {name.lower(): zid for zid, name in conn.execute(select(zone.c.id, zone.c.name))}
    taken = set(
        conn.execute(
            select(party.c.unit).where(party.c.kind == "household", party.c.voided_at.is_(None))
        ).scalars()
    )
    records: list[dict[str, Any]] = []
    tags: list[list[str]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}  # unit -> the line it is first on
    for line, raw in lines:
        try:
            record, row_tags = _record(raw, zones, clock)
        except ValueError as exc:
            problems.append(LINE_PROBLEM.format(line=line, problem=exc))
            continue
        if record["unit"] in taken:
            problems.append(
                LINE_PROBLEM.format(line=line, problem=UNIT_TAKEN.format(unit=record["unit"]))
            )
        elif record["unit"] in seen:
            again = UNIT_REPEATED.format(unit=record["unit"], first=seen[record["unit"]])
            problems.append(LINE_PROBLEM.format(line=line, problem=again))
        seen.setdefault(record["unit"], line)
        records.append(record)
        tags.append(row_tags)
    if problems:
        raise BadRows(problems)
    if not records:
        raise InvalidInput(NO_ROWS.format(file=path.name))
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        ids = (
            conn.execute(insert(party).returning(party.c.id, sort_by_parameter_order=True), chunk)
            .scalars()
            .all()
        )
        links = [
            {"party_id": pid, "tag": t, "since": clock.today}
            for pid, names in zip(ids, tags[start : start + CHUNK], strict=False)
            for t in names
        ]
        if links:
            conn.execute(insert(tag), links)
        note_many(
            session,
            clock,
            [
                {
                    "action": "import",
                    "kind": "household",
                    "record_id": pid,
                    "party_id": pid,
                    "detail": AUDIT_IMPORTED.format(name=r["name"], unit=r["unit"], file=path.name),
                }
                for pid, r in zip(ids, chunk, strict=False)
            ],
        )
        progress(start + len(chunk), len(records))
    return len(records)


def _record(
    raw: Mapping[str, Any], zones: Mapping[str, int], clock: Clock
) -> tuple[dict[str, Any], list[str]]:
    """`raw`: a row as read_rows gives it (text, or a date where the sheet has one)."""
    missing = [k for k in REQUIRED if not raw.get(k)]
    if missing:
        raise ValueError(MISSING.format(columns=", ".join(missing)))
    zone_id = zones.get(raw["zone"].lower())
    if zone_id is None:
        raise ValueError(UNKNOWN_ZONE.format(zone=raw["zone"]))
    if raw.get("status", "").lower() not in STATUS_WORDS:
        raise ValueError(UNKNOWN_STATUS.format(status=raw["status"]))
    status = STATUS_WORDS[raw.get("status", "").lower()]
    moved_in = _date(raw.get("moved_in"))
    if moved_in and moved_in > clock.today:
        raise ValueError(MOVED_IN_FUTURE.format(moved_in=moved_in))
    if status == "not-moved-in" and moved_in:
        raise ValueError(NOT_MOVED_IN_DATE)
    status = status or Status.occupied.value
    row_tags = sorted(
        {t.strip().lower() for t in TAG_SEPARATORS.split(raw.get("tags", "")) if t.strip()}
    )
    return (
        {
            "kind": "household",
            "name": raw["name"],
            "unit": raw["unit"],
            "zone_id": zone_id,
            "phone": raw.get("phone") or None,
            "status": status,
            "moved_in": moved_in,
            "status_since": moved_in or clock.today,
            "created_at": clock.now_utc,
        },
        row_tags,
    )


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value).replace("/", "-"))
    except ValueError:
        raise ValueError(NOT_A_DATE.format(value=value)) from None


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str | date]]]:
    """(line number, {column: text}) for every non-empty data row; the header is line 1."""
    if not path.is_file():
        raise InvalidInput(NOT_A_FILE.format(path=path))
    suffix = path.suffix.lower()
    grid: Iterator[Sequence[object]]
    if suffix == ".csv":
        grid = _csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        grid = _xlsx(path)
    else:
        raise InvalidInput(WRONG_KIND.format(file=path.name))
    header = next(grid, None)
    if header is None:
        raise InvalidInput(EMPTY_FILE.format(file=path.name))
    keys = [
        HEADERS.get(str(h or "").strip().lower(), HEADERS.get(str(h or "").strip())) for h in header
    ]
    unknown = [
        str(h) for h, k in zip(header, keys, strict=False) if h not in (None, "") and k is None
    ]
    if unknown:
        raise InvalidInput(UNKNOWN_COLUMNS.format(file=path.name, columns=", ".join(unknown)))
    lacking = [k for k in REQUIRED if k not in keys]
    if lacking:
        raise InvalidInput(NO_COLUMN.format(file=path.name, columns=", ".join(lacking)))
    for number, values in enumerate(grid, start=2):
        cells = {k: v for k, v in zip(keys, values, strict=False) if k}
        if any(v not in (None, "") for v in cells.values()):
            yield (
                number,
                {
                    k: (
                        v.strip()
                        if isinstance(v, str)
                        else ("" if v is None else v if isinstance(v, (date, datetime)) else str(v))
                    )
                    for k, v in cells.items()
                },
            )


def _csv(path: Path) -> Iterator[list[str]]:
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_text("gb18030")
        except UnicodeDecodeError:
            raise InvalidInput(NOT_TEXT.format(file=path.name)) from None
    return iter(csv.reader(io.StringIO(text)))


def _xlsx(path: Path) -> Iterator[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(NOT_EXCEL.format(file=path.name, error=type(exc).__name__)) from None
    return iter(list(book.worksheets[0].iter_rows(values_only=True)))
