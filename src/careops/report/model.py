"""The monthly report's shape, shared by the queries that fill it and the renderers that draw it.

A report is a list of sections; a section is a table whose columns say what kind of figure they hold
(text labels, counts, percentages, hours, days, yes/no). Each row carries this month's figures and,
under `previous`, the same row's figures for the month before, matched on the row's text labels, so
every format can show the change (▲/▼) from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from careops.i18n import Text

# Column kinds: how a figure is written and whether a change is shown.
TEXT, COUNT, PCT, HOURS, DAYS, YESNO = "text", "count", "pct", "hours", "days", "yesno"
SCORE = "score"  # a mean score (1–5, two decimals): a survey's answers
NUMERIC = (COUNT, PCT, HOURS, DAYS, SCORE)


@dataclass(frozen=True, init=False)
class Column:
    key: str
    label: str
    kind: str = COUNT  # text | count | pct | hours | days | yesno | score

    def __init__(self, key: str, label: Text, kind: str = COUNT) -> None:
        object.__setattr__(self, "key", key)
        # a label given as a message is fixed in the language in force
        object.__setattr__(self, "label", str(label))
        object.__setattr__(self, "kind", kind)


@dataclass(init=False)
class Section:
    # stable id: p1, p1_missed, p1_owners, plans, plan_approvals, p2 (and one per clause of the other contacts a
    # role owes: h3_2), p3, followups, register, register_by, chases, meetings, actions, checks, surveys, hr,
    # contracts, leaving_steps
    key: str
    title: str
    clause: str  # the clause ids the figures answer to ("P1", "H3.6, H3.5"…)
    columns: list[Column]
    rows: list[dict] = field(
        default_factory=list
    )  # column key -> value; numeric values are int/float or None
    note: str | None = None  # one line under the table (how a figure is counted, a threshold kept…)
    match: tuple[str, ...] | None = (
        None  # the labels that say which row is which month to month (default: all TEXT)
    )
    shown: int | None = None  # a long list: a terminal shows its first `shown` rows and the count

    def __init__(
        self,
        key: str,
        title: Text,
        clause: Text,
        columns: list[Column],
        rows: list[dict] | None = None,
        note: Text | None = None,
        match: tuple[str, ...] | None = None,
        shown: int | None = None,
    ) -> None:
        self.key = key
        # words given as messages are fixed in the language in force
        self.title, self.clause = str(title), str(clause)
        self.columns = columns
        self.rows = [] if rows is None else rows
        self.note = None if note is None else str(note)
        self.match = match
        self.shown = shown

    def label_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.kind == TEXT]

    def add_previous(self, earlier: Section) -> None:
        """Attach the month before's figures to each row (matched on the text labels), as row["previous"]."""
        keys = list(self.match) if self.match else self.label_keys()
        before = {tuple(r.get(k) for k in keys): r for r in earlier.rows}
        numeric = [c.key for c in self.columns if c.kind in NUMERIC]
        counts = {c.key for c in self.columns if c.kind == COUNT}
        for row in self.rows:
            match = before.get(tuple(row.get(k) for k in keys))
            # A row the month before did not have counted nothing then (0); its shares and medians were not.
            row["previous"] = (
                {k: match.get(k) for k in numeric}
                if match
                else {k: 0 if k in counts else None for k in numeric}
            )

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "clause": self.clause,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": self.rows,
            "note": self.note,
        }


@dataclass
class Report:
    month: date  # the first day of the month reported
    previous_month: date
    generated_at: datetime  # local, aware
    zone: str | None = None  # the scope asked for (names as recorded), None: the whole site
    staff: str | None = None
    sections: list[Section] = field(default_factory=list)
    # The last six months, oldest first: {"month": "2026-06", "coverage_pct": …, "received": …,
    # "answered_on_time_pct": …, "followups_done_on_time_pct": …} (the html page's trend chart).
    trend: list[dict] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_json(self) -> dict:
        return {
            "month": self.month.strftime("%Y-%m"),
            "previous_month": self.previous_month.strftime("%Y-%m"),
            "generated_at": self.generated_at,
            "zone": self.zone,
            "staff": self.staff,
            "sections": [s.to_json() for s in self.sections],
            "trend": self.trend,
        }


def pct(part, whole) -> float | None:
    """A share in percent to one decimal; None when there is nothing to share (no households, no calls…)."""
    return None if not whole else round(100.0 * (part or 0) / whole, 1)


def change(value, previous) -> float | None:
    """This month minus the month before, or None when either is missing."""
    if value is None or previous is None or isinstance(value, bool) or isinstance(previous, bool):
        return None
    return round(value - previous, 1)


def arrow(value, previous) -> str:
    """▲3 / ▼1.5 / = / "" (no previous figure), the way every format writes a change."""
    delta = change(value, previous)
    if delta is None:
        return ""
    if delta == 0:
        return "="
    text = f"{abs(delta):g}"
    return ("▲" if delta > 0 else "▼") + text
