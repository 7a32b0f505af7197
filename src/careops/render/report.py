"""The monthly report in every format: a terminal table, Markdown, JSON, a long CSV, a workbook, an html page.

`render_report` turns a `Report` into the bytes of one format; `write_report` sends them to a file or stdout.
Every format writes a figure and its change from the month before the same way (`figure`, `cell_text`), from
the same numbers: the JSON's. The html page lives in report_html (it needs plotly, this module does not).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, cast

from careops.errors import InvalidInput
from careops.i18n import _
from careops.render.output import cell, to_json
from careops.report.model import (
    COUNT,
    DAYS,
    HOURS,
    NUMERIC,
    PCT,
    SCORE,
    TEXT,
    YESNO,
    Column,
    Report,
    Section,
    arrow,
    change,
)

# What this module says to people (one place, ready for translation)
HEADING = _("Monthly report {month:%Y-%m}")
COMPARED_WITH = _("compared with {month:%Y-%m}")
WHOLE_SITE = _("whole site")
SCOPE_ZONE = _("zone {zone}")
SCOPE_STAFF = _("staff {staff}")
GENERATED = _("generated {at:%Y-%m-%d %H:%M}")
SECTION_TITLE = _("{title} ({clause})")
NO_ROWS = _("No figures this month.")
FIRST_OF = _("The first {shown} of {total}: the xlsx and html formats list them all.")
FIGURE_COLUMN, VALUE_COLUMN = _("Figure"), _("This month")
NO_FIGURE = _("—")  # a figure that could not be counted (no one to count)
YES, NO = _("yes"), _("no")
UNITS = {PCT: "%", HOURS: "h", DAYS: "d"}
PREVIOUS_COLUMN = _("{label} (prev.)")
ABOUT_SHEET = _("About")
ABOUT_FIELDS = {
    "month": _("Month"),
    "previous": _("Compared with"),
    "scope": _("Scope"),
    "generated": _("Generated"),
}
ABOUT_SECTIONS = (_("Sheet"), _("Section"), _("Clause"), _("Note"))
UNKNOWN_FORMAT = _("Unknown report format {fmt!r}: choose one of {formats}.")
NOT_ON_TERMINAL = _(
    "--format {fmt} writes a file, not text for the terminal: add --out report.{fmt}."
)

FORMATS = ("table", "md", "json", "csv", "xlsx", "html")
BINARY = ("xlsx", "html")  # kept off a terminal
CSV_COLUMNS = ("section", "clause", "row", "metric", "value", "previous", "change")
TABLE_WIDTH = 160  # when not writing to a terminal, as output.py
XLSX_FORMATS = {
    COUNT: "0",
    PCT: '0.0"%"',
    HOURS: '0.0" h"',
    DAYS: '0.0" d"',
    SCORE: "0.00",
}  # cells hold the JSON's figure as is
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def render_report(report: Report, fmt: str, *, width: int | None = None) -> bytes:
    """The report in one of FORMATS, as the bytes of a file (text formats in UTF-8, ending with a newline)."""
    if fmt == "xlsx":
        return workbook_bytes(report)
    if fmt == "html":
        from careops.render.report_html import html_page

        return html_page(report).encode()
    writers = {
        "table": lambda: table_text(report, width=width),
        "md": lambda: markdown_text(report),
        "json": lambda: to_json(report.to_json()) + "\n",
        "csv": lambda: csv_text(report),
    }
    if fmt not in writers:
        raise InvalidInput(UNKNOWN_FORMAT.format(fmt=fmt, formats=", ".join(FORMATS)))
    return writers[fmt]().encode()


def write_report(
    report: Report, fmt: str, out: str | os.PathLike[str] | IO[str] | IO[bytes] | None = None
) -> None:
    """Writes the report to a file (a path), a stream, or stdout (None); xlsx and html are refused on a terminal."""
    if isinstance(out, (str, os.PathLike)):
        Path(out).write_bytes(render_report(report, fmt))
        return
    stream: IO[str] | IO[bytes] = out if out is not None else sys.stdout
    on_terminal = getattr(stream, "isatty", lambda: False)()
    if on_terminal and fmt in BINARY:
        raise InvalidInput(NOT_ON_TERMINAL.format(fmt=fmt))
    data = render_report(
        report, fmt, width=shutil.get_terminal_size().columns if on_terminal else None
    )
    binary: IO[bytes] | None = getattr(stream, "buffer", None)
    if binary is None and isinstance(stream, io.TextIOBase):  # a text-only stream (StringIO)
        stream.write(data.decode())
        return
    if binary is not None:
        stream.flush()
        stream = binary
    # What is left is binary: the text stream's buffer, or a binary stream given as `out`.
    sink = cast("IO[bytes]", stream)
    sink.write(data)
    sink.flush()


# Figures, written the same way in every format.


def figure(value, kind: str) -> str:
    """85.2% / 12 / 3.5h / 2d / 4.25 / yes; NO_FIGURE when there is none."""
    if value is None:
        return str(NO_FIGURE)
    if kind == YESNO:
        return str(YES if value else NO)
    if kind == TEXT:
        return cell(value)
    return number(value, kind) + UNITS.get(kind, "")


def number(value, kind: str) -> str:
    """A count as a whole number, a mean score with two decimals, anything else with at most one (85.0 -> 85)."""
    if kind == COUNT:
        return str(round(value))
    if kind == SCORE:
        return f"{value:.2f}"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def previous(row: dict, key: str):
    return (row.get("previous") or {}).get(key)


def figure_and_change(column: Column, row: dict) -> tuple[str, str]:
    """("85.2%", "▲3.1"); the change is "" for text, yes/no, or no figure the month before."""
    value = row.get(column.key)
    return figure(value, column.kind), arrow(
        value, previous(row, column.key)
    ) if column.kind in NUMERIC else ""


def cell_text(column: Column, row: dict) -> str:
    """A table cell: the figure then its change from the month before (`85.2% ▲3.1`, `12 =`)."""
    text, delta = figure_and_change(column, row)
    return f"{text} {delta}" if delta else text


def heading(report: Report) -> str:
    return HEADING.format(month=report.month)


def scope(report: Report) -> str:
    parts = [SCOPE_ZONE.format(zone=report.zone)] if report.zone else []
    parts += [SCOPE_STAFF.format(staff=report.staff)] if report.staff else []
    return ", ".join(parts) or str(WHOLE_SITE)


def compared_with(report: Report) -> str:
    return COMPARED_WITH.format(month=report.previous_month)


def generated(report: Report) -> str:
    return GENERATED.format(at=report.generated_at)


def section_title(section: Section) -> str:
    return (
        SECTION_TITLE.format(title=section.title, clause=section.clause)
        if section.clause
        else section.title
    )


# Text formats.

WIDE = 4  # a one-row section with more figures than this reads down the page, one figure a line


def readable(section: Section) -> tuple[list[Column], list[dict]]:
    """The columns and rows a text format shows: a single row of many figures (the register's totals, HR's
    counts) turned into Figure / This month lines, so it fits a terminal."""
    if len(section.rows) != 1 or section.label_keys() or len(section.columns) <= WIDE:
        return section.columns, section.rows
    row = section.rows[0]
    lines = [
        {"figure": column.label, "value": cell_text(column, row)} for column in section.columns
    ]
    return [Column("figure", FIGURE_COLUMN, TEXT), Column("value", VALUE_COLUMN, TEXT)], lines


def table_text(report: Report, *, width: int | None = None) -> str:
    """For the terminal: a heading line, then each section's titled table and its note."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width or TABLE_WIDTH, color_system=None, highlight=False, emoji=False
    )
    console.print(Text(f"{heading(report)} · {scope(report)} · {compared_with(report)}"))
    for section in report.sections:
        console.print()
        console.print(Text(section_title(section)))
        if not section.rows:
            console.print(Text(str(NO_ROWS)))
            continue
        table = Table(show_edge=False, header_style="bold", pad_edge=False)
        columns, rows = readable(section)
        for column in columns:
            table.add_column(
                Text(column.label),
                justify="left" if column.kind == TEXT else "right",
                overflow="fold",
            )
        shown = rows[: section.shown] if section.shown is not None else rows
        for row in shown:
            table.add_row(*(Text(cell_text(column, row)) for column in columns))
        console.print(table)
        if len(shown) < len(rows):
            console.print(Text(FIRST_OF.format(shown=len(shown), total=len(rows))))
        if section.note:
            console.print(Text(section.note))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def markdown_text(report: Report) -> str:
    lines = [
        f"# {md_escape(heading(report))}",
        "",
        md_escape(f"{scope(report)} · {compared_with(report)} · {generated(report)}"),
    ]
    for section in report.sections:
        lines += ["", f"## {md_escape(section_title(section))}", ""]
        if not section.rows:
            lines.append(str(NO_ROWS))
        else:
            columns, rows = readable(section)
            lines.append("| " + " | ".join(md_escape(c.label) for c in columns) + " |")
            lines.append(
                "| " + " | ".join("---" if c.kind == TEXT else "---:" for c in columns) + " |"
            )
            lines += [
                "| " + " | ".join(md_escape(cell_text(c, row)) for c in columns) + " |"
                for row in rows
            ]
        if section.note:
            lines += ["", md_escape(section.note)]
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """Text safe in a Markdown table cell: a `|` would end the cell, `*_[<` would start markup."""
    for ch in "\\|*_`[]<>":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.splitlines())


def csv_text(report: Report) -> str:
    """One long table for analysis: a line per figure, with last month's and the change."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in report.sections:
        figures = [c for c in section.columns if c.kind in NUMERIC or c.kind == YESNO]
        for row in section.rows:
            label = row_label(section, row)
            for column in figures:
                value, before = row.get(column.key), previous(row, column.key)
                writer.writerow(
                    [
                        section.key,
                        section.clause,
                        label,
                        column.key,
                        plain(value, column.kind),
                        plain(before, column.kind),
                        plain(change(value, before), column.kind),
                    ]
                )
    return buffer.getvalue()


def row_label(section: Section, row: dict) -> str:
    return " / ".join(
        cell(row.get(key)) for key in section.label_keys() if row.get(key) is not None
    )


def plain(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == YESNO:
        return str(YES if value else NO)
    return str(value)


# The workbook.


def workbook_bytes(report: Report) -> bytes:
    """An About sheet (month, scope, the sections and their clauses), then one sheet per section."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook has one sheet, active
    about.title = str(ABOUT_SHEET)
    names = sheet_names(report.sections)
    _about_sheet(about, report, names)
    for section, name in zip(report.sections, names, strict=False):
        _section_sheet(book.create_sheet(name), section)
    book.properties.title = heading(report)
    stamp = report.generated_at.replace(tzinfo=None)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_names(sections: list[Section]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique whatever the case."""
    taken, names = {str(ABOUT_SHEET).lower()}, []
    for section in sections:
        base = (section.title or section.key).translate(SHEET_NAME_BAD).strip("' ") or section.key
        name, n = base[:SHEET_NAME_MAX], 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _about_sheet(sheet, report: Report, names: list[str]) -> None:
    from openpyxl.styles import Font

    fields = {
        "month": report.month.strftime("%Y-%m"),
        "previous": report.previous_month.strftime("%Y-%m"),
        "scope": scope(report),
        "generated": report.generated_at.strftime("%Y-%m-%d %H:%M"),
    }
    rows: list[Sequence[str | None]] = [
        [heading(report)],
        *([str(ABOUT_FIELDS[k]), v] for k, v in fields.items()),
        [],
        [str(x) for x in ABOUT_SECTIONS],
    ]
    rows += [
        [name, s.title, s.clause, s.note] for s, name in zip(report.sections, names, strict=False)
    ]
    for values in rows:
        _append(sheet, values)
    bold_rows = (1, len(fields) + 3)
    for r in bold_rows:
        for c in sheet[r]:
            c.font = Font(bold=True)
    _fit_widths(sheet, [[str(v or "") for v in values] for values in rows[1:]])


def _section_sheet(sheet, section: Section) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.properties import PageSetupProperties

    header, texts, kinds = [], [], []
    for column in section.columns:
        header.append(column.label)
        kinds.append(column.kind)
        if column.kind in NUMERIC:
            header.append(PREVIOUS_COLUMN.format(label=column.label))
            kinds.append(column.kind)
    _append(sheet, header)
    texts.append(header)
    for row in section.rows:
        values = []
        for column in section.columns:
            value = row.get(column.key)
            values.append(
                str(YES if value else NO) if column.kind == YESNO and value is not None else value
            )
            if column.kind in NUMERIC:
                values.append(previous(row, column.key))
        _append(sheet, values, kinds)
        texts.append(
            [
                v if isinstance(v, str) else figure(v, k) if v is not None else ""
                for v, k in zip(values, kinds, strict=False)
            ]
        )
    for c in sheet[1]:
        c.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = section_title(section).replace("&", "&&")
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToHeight = 0
    if section.rows:
        sheet.auto_filter.ref = sheet.dimensions
    _fit_widths(sheet, texts)


def _append(sheet, values: Sequence[object], kinds: list[str] | None = None) -> None:
    """One row; a text that starts with `=` stays text (a name is never run as a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for i, target in enumerate(sheet[sheet.max_row] if values else ()):
        if isinstance(target.value, str):
            target.data_type = "s"
        elif kinds and i < len(kinds) and kinds[i] in XLSX_FORMATS and target.value is not None:
            target.number_format = XLSX_FORMATS[kinds[i]]


def _fit_widths(sheet, texts: list[list[str]]) -> None:
    """Columns as wide as their longest text, a Chinese character counting two."""
    from openpyxl.utils import get_column_letter
    from rich.cells import cell_len

    widths: dict[int, int] = {}
    for values in texts:
        for i, text in enumerate(values, start=1):
            widths[i] = max(widths.get(i, 0), cell_len(text))
    for i, width in widths.items():
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 60)
