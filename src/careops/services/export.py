"""Every table of the database to files, for backup and for people's own analysis.

JSON Lines (one `<table>.jsonl` per table, one object a line), CSV (one `<table>.csv`, UTF-8 with a BOM
so Excel reads Chinese) or one xlsx workbook with a sheet per table; then `manifest.json`, written last,
so a folder without it is an export that did not finish. Rows are read in primary-key order, in chunks,
from one snapshot of the database, voided rows included. Times are stored as naive UTC and written as
the site's local time (JSON with its UTC offset). Each file is written under a `.partial` name and
renamed when complete; a failed export removes what it wrote.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.types import TypeEngine

from careops.errors import Conflict, InvalidInput
from careops.i18n import _

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from sqlmodel import Session

    from careops.clock import Clock

CHUNK = 5_000  # rows read (and, for xlsx, looked at to fit the widths) at a time
ROWS_PER_SHEET = 1_048_575  # Excel's 1,048,576 rows, less the header
SHEET_NAME_MAX = 31
CELL_TEXT_MAX = 32_767  # Excel's longest cell
WIDTH_MIN, WIDTH_MAX = 6, 60
MANIFEST = "manifest.json"
WORKBOOK = "careops-export.xlsx"
PARTIAL = ".partial"
EXTENSIONS = {"json": "jsonl", "csv": "csv"}
FORMAT_NAMES = {"json": "jsonl", "csv": "csv", "xlsx": "xlsx"}

# What this module says to people (one place, ready for translation).
IS_A_FILE = _("--out {out} is a file, not a folder: give the name of a new folder.")
HOLDS_EXPORT = _(
    "the folder {out} already holds an export ({found}): give another --out, or move those files away first."
)
CANNOT_CREATE = _(
    "the folder {out} cannot be created ({reason}): give --out a folder in a place that exists and you may write to."
)
BAD_FORMAT = _("{fmt!r} is not an export format: json, csv or xlsx.")
TIMES_NOTE = _("Times are local time in {tz}; JSON gives their UTC offset. Dates are as recorded.")
SHEET_MORE = _("{name} ({n})")


@dataclass
class TableExport:
    table: str
    rows: int = 0
    file: str = ""
    sheets: list[str] = field(
        default_factory=list
    )  # xlsx only: "visit", then "visit (2)"… past a sheet's rows
    columns: dict[str, str] = field(
        default_factory=dict
    )  # name -> integer | text | date | datetime | boolean…


@dataclass
class ExportResult:
    out: Path
    fmt: str
    tables: list[TableExport]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


Progress = Callable[[int, int], None]
Cells = list[tuple[int, Callable[[Any], Any]]]  # (column index, what its stored value becomes)


def export_tables() -> list[Table]:
    """Every table careops keeps, parents before children (the order a restore would load them)."""
    from sqlmodel import SQLModel

    import careops.models  # noqa: F401  (registers the tables)

    return [t for t in SQLModel.metadata.sorted_tables if t.name != "alembic_version"]


def export_names() -> set[str]:
    """Every file name an export of any format may leave in its folder (finished or not)."""
    names = {MANIFEST, WORKBOOK} | {
        f"{t.name}.{ext}" for t in export_tables() for ext in EXTENSIONS.values()
    }
    return names | {name + PARTIAL for name in names}


def check_out(out: Path) -> None:
    """Refuses a folder that can't take an export, before anything is opened or written."""
    if out.exists() and not out.is_dir():
        raise Conflict(IS_A_FILE.format(out=out))
    if out.is_dir():
        found = sorted(name for name in os.listdir(out) if name in export_names())
        if found:
            shown = ", ".join(found[:3]) + (", …" if len(found) > 3 else "")
            raise Conflict(HOLDS_EXPORT.format(out=out, found=shown))


def export_database(
    *, session: Session, clock: Clock, out: Path, fmt: str, progress: Progress | None = None
) -> ExportResult:
    """Writes every table to `out` (created if missing) in `fmt`, then the manifest; all files or none."""
    if fmt not in FORMAT_NAMES:
        raise InvalidInput(BAD_FORMAT.format(fmt=fmt))
    check_out(out)
    conn = _snapshot(session)
    tables = export_tables()
    total = sum(conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables)
    advance = _counter(progress or (lambda done, total: None), total)
    created = _make_folder(out)
    written: list[Path] = []
    try:
        if fmt == "xlsx":
            results = _write_workbook(conn, tables, out, clock.tz, advance, written)
        else:
            results = [
                _write_table(conn, table, out, fmt, clock.tz, advance, written) for table in tables
            ]
        result = ExportResult(out=out, fmt=fmt, tables=results)
        _write_manifest(out, result, conn, clock, written)
    except BaseException:
        _remove(written, out if created else None)
        raise
    return result


def _snapshot(session: Session) -> Connection:
    """The session's connection, seeing one state of the database for the whole export.

    SQLite's read transaction is a snapshot already; PostgreSQL's default (read committed) is not.
    """
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    return session.connection()


def _counter(progress: Progress, total: int) -> Callable[[int], None]:
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    return advance


def _make_folder(out: Path) -> bool:
    """Creates the folder (readable by its owner only: it holds people's details); True if it was made here."""
    if out.is_dir():
        return False
    try:
        out.mkdir(mode=0o700)
    except OSError as exc:
        raise InvalidInput(CANNOT_CREATE.format(out=out, reason=exc.strerror or exc)) from None
    return True


def _remove(written: list[Path], folder: Path | None) -> None:
    """After a failure: the files this export wrote (and its folder, if it made it) go again."""
    for path in written:
        for candidate in (path, path.with_name(path.name + PARTIAL)):
            candidate.unlink(missing_ok=True)
    if folder is not None:
        with contextlib.suppress(OSError):  # someone put something else there meanwhile: leave it
            folder.rmdir()


@contextmanager
def _atomic(path: Path, written: list[Path]) -> Iterator[io.BufferedWriter]:
    """A file that appears under its name only once complete (written as NAME.partial, then renamed)."""
    partial = path.with_name(path.name + PARTIAL)
    written.append(path)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, path)


def _rows(conn: Connection, table: Table, tz: tzinfo) -> Iterator[tuple[Any, ...]]:
    """The table's rows in primary-key order, CHUNK at a time; stored UTC times become aware local times."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    timed = [
        i for i, column in enumerate(table.columns) if isinstance(_base(column.type), DateTime)
    ]
    for chunk in result.partitions():
        for row in chunk:
            if timed:
                values = list(row)
                for i in timed:
                    if values[i] is not None:
                        values[i] = values[i].replace(tzinfo=UTC).astimezone(tz)
                yield tuple(values)
            else:
                yield tuple(row)


def _columns(table: Table) -> dict[str, str]:
    return {str(column.name): _kind(column.type) for column in table.columns}


def _base(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The SQL type under a decorated one (sqlmodel's AutoString is a String)."""
    from sqlalchemy.types import TypeDecorator

    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def _kind(type_: TypeEngine[Any]) -> str:
    type_ = _base(type_)
    for cls, word in (
        (Boolean, "boolean"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Integer, "integer"),
        (Numeric, "number"),
    ):
        if isinstance(type_, cls):
            return word
    return "text"


def _write_table(
    conn: Connection,
    table: Table,
    out: Path,
    fmt: str,
    tz: tzinfo,
    advance: Callable[[int], None],
    written: list[Path],
) -> TableExport:
    name = f"{table.name}.{EXTENSIONS[fmt]}"
    done = TableExport(table=table.name, file=name, columns=_columns(table))
    write = _write_jsonl if fmt == "json" else _write_csv
    with _atomic(out / name, written) as fh:
        for count in write(fh, table, _rows(conn, table, tz)):
            done.rows += count
            advance(count)
    return done


def _write_jsonl(
    fh: io.BufferedWriter, table: Table, rows: Iterator[tuple[Any, ...]]
) -> Iterator[int]:
    import orjson

    keys = [str(column.name) for column in table.columns]
    for chunk in _chunks(rows):
        fh.write(
            b"".join(orjson.dumps(dict(zip(keys, row, strict=False))) + b"\n" for row in chunk)
        )
        yield len(chunk)


def _write_csv(
    fh: io.BufferedWriter, table: Table, rows: Iterator[tuple[Any, ...]]
) -> Iterator[int]:
    stream = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    writer = csv.writer(stream)  # RFC 4180: CRLF, quotes where needed
    writer.writerow([str(column.name) for column in table.columns])
    cells = _cell_makers(
        table,
        {
            DateTime: lambda v: v.strftime("%Y-%m-%d %H:%M:%S"),
            Boolean: lambda v: "true" if v else "false",
        },
    )
    for chunk in _chunks(rows):
        writer.writerows(_converted(chunk, cells))
        yield len(chunk)
    stream.flush()
    stream.detach()  # the caller closes the file


def _cell_makers(table: Table, by_type: dict[type[TypeEngine[Any]], Callable[[Any], Any]]) -> Cells:
    makers: Cells = []
    for i, column in enumerate(table.columns):
        type_ = _base(column.type)
        maker = next((f for cls, f in by_type.items() if isinstance(type_, cls)), None)
        if maker is not None:
            makers.append((i, maker))
    return makers


def _converted(chunk: list[tuple[Any, ...]], cells: Cells) -> Iterator[list[Any]]:
    for row in chunk:
        values = list(row)
        for i, make in cells:
            if values[i] is not None:
                values[i] = make(values[i])
        yield values


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _write_workbook(
    conn: Connection,
    tables: list[Table],
    out: Path,
    tz: tzinfo,
    advance: Callable[[int], None],
    written: list[Path],
) -> list[TableExport]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    results: list[TableExport] = []
    for table in tables:
        done = TableExport(table=table.name, file=WORKBOOK, columns=_columns(table))
        for count in _write_sheets(book, table, _rows(conn, table, tz), done.sheets):
            done.rows += count
            advance(count)
        results.append(done)
    with _atomic(out / WORKBOOK, written) as fh:
        book.save(fh)
    return results


def _write_sheets(
    book: Workbook, table: Table, rows: Iterator[tuple[Any, ...]], sheets: list[str]
) -> Iterator[int]:
    """One sheet, continued on "NAME (2)"… past Excel's last row; the header on each, frozen; widths fitted."""
    header = [str(column.name) for column in table.columns]
    first = list(islice(rows, CHUNK))
    widths = _widths(header, first)
    sheet, on_sheet = _new_sheet(book, table.name, 1, header, widths), 0
    sheets.append(sheet.title)
    cells = _xlsx_cells(table, sheet)
    for chunk in _chunks(chain(first, rows)):
        for row in _converted(chunk, cells):
            if on_sheet == ROWS_PER_SHEET:
                sheet, on_sheet = _new_sheet(book, table.name, len(sheets) + 1, header, widths), 0
                sheets.append(sheet.title)
            sheet.append(row)
            on_sheet += 1
        yield len(chunk)


def _new_sheet(
    book: Workbook, table: str, n: int, header: list[str], widths: list[int]
) -> WriteOnlyWorksheet:
    from openpyxl.utils import get_column_letter

    title = table[:SHEET_NAME_MAX]
    if n > 1:
        title = SHEET_MORE.format(
            name=table[: SHEET_NAME_MAX - len(SHEET_MORE.format(name="", n=n))], n=n
        )
    # Any to openpyxl's stubs: a write-only workbook makes a WriteOnlyWorksheet.
    sheet = book.create_sheet(title=title)
    for i, width in enumerate(widths, start=1):  # write-only: widths before the first row
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header)
    return cast("WriteOnlyWorksheet", sheet)


def _xlsx_cells(table: Table, sheet: WriteOnlyWorksheet) -> Cells:
    """Excel has no time zones (local time, as the manifest says), and text must stay text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def text_cell(value: str) -> Cell | str:
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        value = value[:CELL_TEXT_MAX]
        if value.startswith("="):  # text, never a formula, whatever someone typed in a note
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    return _cell_makers(table, {DateTime: lambda v: v.replace(tzinfo=None), String: text_cell})


def _widths(header: list[str], sample: list[tuple[Any, ...]]) -> list[int]:
    """Column widths from the header and the first rows, a full-width (Chinese) character counting two."""
    widths = []
    for i, name in enumerate(header):
        longest = max([_display_width(name)] + [_display_width(_shown(row[i])) for row in sample])
        widths.append(min(max(longest + 2, WIDTH_MIN), WIDTH_MAX))
    return widths


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_manifest(
    out: Path, result: ExportResult, conn: Connection, clock: Clock, written: list[Path]
) -> None:
    import orjson

    from careops import __version__

    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    manifest = {
        "careops_version": __version__,
        "schema_revision": revision,
        "exported_at": clock.now,
        "format": FORMAT_NAMES[result.fmt],
        "time_zone": str(clock.tz),
        "note": TIMES_NOTE.format(tz=clock.tz),
        "tables": [_manifest_entry(t) for t in result.tables],
        "total_rows": result.rows,
    }
    with _atomic(out / MANIFEST, written) as fh:
        fh.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")


def _manifest_entry(done: TableExport) -> dict[str, object]:
    entry: dict[str, object] = {"table": done.table, "rows": done.rows, "file": done.file}
    if done.sheets:
        entry["sheets"] = done.sheets
    entry["columns"] = done.columns
    return entry
