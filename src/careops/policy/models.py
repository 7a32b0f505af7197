"""The shapes a rule can take, validated when the policy loads."""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from careops.vocab import Channel, ContactKind, Role, Status

Strength = Literal["must", "should", "may"]
PeriodKind = Literal["month", "two-month", "quarter", "half-year", "year"]
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# What this module says to people (one place, ready for translation).
CADENCE_NEEDS = "cadence rule {id} needs a period and a subject"
TRIGGER_NEEDS = "trigger rule {id} needs a trigger"
WINDOW_BACKWARDS = "call window {value} ends before it starts"
DUPLICATE_IDS = "rule ids used twice: {ids}"
BAD_WINDOW = 'call window {text!r} is not like "09:00-12:00"'


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Subject(_Strict):
    kind: Literal["household", "contact"]
    status: Status | None = None
    contact_kind: ContactKind | None = None
    tag: str | None = None


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    clause: str = Field(pattern=r"^[PHE]\d+(\.\d+)*$")
    strength: Strength
    shape: Literal["cadence", "trigger"]
    title: str
    explain: str
    owner: str = Field(pattern=r"^(zone-butler|caller|role:[a-z-]+)$")
    # cadence
    period: PeriodKind | None = None
    subject: Subject | None = None
    mode: Literal["each", "any"] = "each"
    group_name: str | None = None
    by_role: Role | None = None
    channels: tuple[Channel, ...] = (Channel.door, Channel.phone)
    # trigger
    trigger: str | None = None

    @field_validator("owner")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value.startswith("role:"):
            Role(value.removeprefix("role:"))
        return value

    def model_post_init(self, _context) -> None:
        if self.shape == "cadence" and (self.period is None or self.subject is None):
            raise ValueError(CADENCE_NEEDS.format(id=self.id))
        if self.shape == "trigger" and not self.trigger:
            raise ValueError(TRIGGER_NEEDS.format(id=self.id))


class CallWindows(_Strict):
    clause: str
    strength: Strength
    days: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...]
    windows: tuple[str, ...]
    explain: str

    @field_validator("windows")
    @classmethod
    def _windows(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            start, end = parse_window(value)
            if start >= end:
                raise ValueError(WINDOW_BACKWARDS.format(value=value))
        return values

    def spans(self) -> list[tuple[time, time]]:
        return [parse_window(w) for w in self.windows]

    def weekdays(self) -> set[int]:
        return {DAY_NAMES.index(d) for d in self.days}


class Policy(_Strict):
    call_windows: CallWindows
    rule: tuple[Rule, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.rule

    def cadence_rules(self) -> list[Rule]:
        return [r for r in self.rule if r.shape == "cadence"]

    def get(self, rule_id: str) -> Rule:
        return next(r for r in self.rule if r.id == rule_id)

    def model_post_init(self, _context) -> None:
        ids = [r.id for r in self.rule]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(DUPLICATE_IDS.format(ids=", ".join(sorted(dupes))))


def parse_window(text: str) -> tuple[time, time]:
    try:
        start, end = text.split("-")
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ValueError(BAD_WINDOW.format(text=text)) from None
