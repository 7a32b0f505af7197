"""Rows -> a rich table, JSON or CSV on stdout. Messages go to stderr elsewhere.

Rich draws about 1 ms per row, so past PLAIN_AFTER rows the table view switches
to a plain fixed-width renderer that counts full-width (Chinese) characters as
two columns.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO

from careops import i18n
from careops.i18n import Text, _
from careops.vocab import word

PLAIN_AFTER = 300
NOTHING = _("Nothing to show.")  # the one sentence this module says to people
Columns = Sequence[tuple[str, Text]]  # (row key, header)


def emit(
    rows: list[dict],
    columns: Columns,
    fmt: str,
    *,
    out: IO[str] | None = None,
    empty: Text = NOTHING,
) -> None:
    out = out or sys.stdout
    if fmt == "json":
        out.write(to_json(rows) + "\n")
    elif fmt == "csv":
        write_csv(rows, columns, out)
    elif not rows:
        out.write(empty + "\n")
    elif len(rows) > PLAIN_AFTER:
        write_plain(rows, columns, out)
    else:
        write_rich(rows, columns, out)


def cell(value) -> str:
    """A value as a table shows it: dates as people write them, stored words (overdue, door…) in
    the language in force."""
    if isinstance(value, datetime):
        return i18n.moment(value)
    if isinstance(value, date):
        return i18n.day(value)
    return csv_cell(word(value))


def csv_cell(value) -> str:
    """A value as CSV holds it, for programs, whatever the language: ISO dates, stored words."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def to_json(rows) -> str:
    """JSON for programs: orjson writes dates and times as ISO 8601, fast enough for 40,000 rows."""
    import orjson

    # OPT_NON_STR_KEYS: a Core table's column names are str subclasses (quoted_name), fine as keys.
    # default=str: a message (careops.i18n.Message) is written in the language in force.
    return orjson.dumps(
        rows, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str
    ).decode()


def write_csv(rows: list[dict], columns: Columns, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([key for key, _header in columns])
    writer.writerows([csv_cell(row.get(key)) for key, _ in columns] for row in rows)


def write_rich(rows: list[dict], columns: Columns, out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for _key, header in columns:
        table.add_column(str(header), overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell(row.get(key))) for key, _ in columns))
    Console(file=out, width=_width(out), highlight=False).print(table)


def escape(text: str) -> str:
    return text.replace("[", r"\[")


def write_plain(rows: list[dict], columns: Columns, out: IO[str]) -> None:
    from rich.cells import cell_len

    grid = [[str(header) for _key, header in columns]] + [
        [cell(row.get(key)) for key, _ in columns] for row in rows
    ]
    widths = [max(cell_len(line[i]) for line in grid) for i in range(len(columns))]
    lines = (_pad_line(line, widths, cell_len) for line in grid)
    out.write("\n".join(lines) + "\n")


def _pad_line(values: Iterable[str], widths: list[int], cell_len) -> str:
    return "  ".join(
        v + " " * (w - cell_len(v)) for v, w in zip(values, widths, strict=False)
    ).rstrip()


def _width(out: IO[str]) -> int | None:
    return None if getattr(out, "isatty", lambda: False)() else 160


def field_rows(
    data: dict, labels: dict, *, yes: Text, no: Text, void: Text | None = None
) -> list[dict]:
    """A record as Field/Value rows for a `show` command: the labelled fields that have a value, booleans in
    words; a void record's State reads `void`, its reason given by the caller in `void`."""
    rows = []
    for key, label in labels.items():
        value = data.get(key)
        if value in (None, ""):
            continue
        if key == "state" and void:
            value = void
        rows.append(
            {"field": label, "value": yes if value is True else no if value is False else value}
        )
    return rows


DETAIL_COLUMNS = [("field", _("Field")), ("value", _("Value"))]


def emit_detail(data: dict, fmt: str, rows: list[dict], tables: tuple = ()) -> None:
    """A `show` command's output: the record as JSON, or its Field/Value rows then its tables (steps…)."""
    if fmt == "json":
        sys.stdout.write(to_json(data) + "\n")
        return
    kind = "csv" if fmt == "csv" else "table"
    emit(rows, DETAIL_COLUMNS, kind)
    for table_rows, columns in tables:
        emit(table_rows, columns, kind)
