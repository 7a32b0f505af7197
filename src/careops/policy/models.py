"""The shapes a rule can take, validated when the policy loads."""

from __future__ import annotations

import re
from datetime import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from careops.i18n import _
from careops.vocab import Channel, ContactKind, Role, Status

Strength = Literal["must", "should", "may"]
PeriodKind = Literal["month", "two-month", "quarter", "half-year", "year"]
SeverityName = Literal["urgent", "general", "major"]  # a register entry's severity (vocab.Severity)
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# What this module says to people (one place, ready for translation).
CADENCE_NEEDS = _("cadence rule {id} needs a period and a subject")
TRIGGER_NEEDS = _("trigger rule {id} needs a trigger")
WINDOW_BACKWARDS = _("call window {value} ends before it starts")
DUPLICATE_IDS = _("rule ids used twice: {ids}")
FOLLOWUP_NEEDS = _("follow-up rule {id} needs `on` (the events that trigger it) and `due_in`")
BAD_OFFSET = _(
    "{text!r} is not a deadline like 24h, 7d, 2wd (working days), 3mo, same-day, day-before or event-day"
)
UNKNOWN_ROLE_IN_NEEDS = _("rule {id}: {role!r} is not a role")
BAD_OWNER = _("{value!r} is not an owner: zone-butler, health-butler, caller, handler or role:ROLE")
BY_ROLE_AND_SETTLED_BY = _("rule {id}: give settled_by (by_role is its earlier name), not both")
BAD_WINDOW = _('call window {text!r} is not like "09:00-12:00"')


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
    shape: Literal["cadence", "trigger", "followup"]
    title: str
    titles: tuple[str, ...] = ()  # the title in every language of the site (set by the loader)
    explain: str
    owner: str = Field(pattern=r"^(zone-butler|health-butler|caller|handler|role:[a-z-]+)$")
    # cadence
    period: PeriodKind | None = None
    subject: Subject | None = None
    mode: Literal["each", "any"] = "each"
    group_name: str | None = None
    # Who may settle it: a contact made by someone with one of these roles (none: any staff member).
    # `by_role = "manager"`, the earlier spelling, still reads as `settled_by = ["manager"]`.
    settled_by: tuple[Role, ...] = ()
    channels: tuple[Channel, ...] = (Channel.door, Channel.phone)
    # trigger
    trigger: str | None = None
    # followup: written when one of the events `on` is recorded
    on: tuple[str, ...] = ()
    kind: Literal["followup", "task"] = "followup"
    due_in: str | None = (
        None  # 24h, 7d, 2wd, 3mo, same-day, day-before (an activity's eve), event-day (a survey's close)
    )
    opens: str | None = None  # listed as upcoming until this long before the deadline
    wait: Literal["rain"] | None = (
        None  # the deadline runs from the first rainy day after the event
    )
    needs: tuple[Role, ...] = ()  # a joint visit: every one of these roles present
    # Who owns it when nobody holds the owner's role (or its holder has left): the first of these held.
    # Unset: the policy's [fallback] for this owner.
    fallback: tuple[str, ...] = ()
    default_deadline: bool = False  # the seed names no deadline: ours
    spread: bool = (
        False  # many at once (an activity's invitations): a daily share of them, like a cadence
    )

    @field_validator("fallback")
    @classmethod
    def _fallback_roles(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            _owner_spec(value)
        return values

    @model_validator(mode="before")
    @classmethod
    def _by_role(cls, data: Any) -> Any:
        if isinstance(data, dict) and "by_role" in data:
            data = dict(data)
            role = data.pop("by_role")
            if "settled_by" in data:
                raise ValueError(BY_ROLE_AND_SETTLED_BY.format(id=data.get("id", "?")))
            data["settled_by"] = [role]
        return data

    def settles(self, role: str | None) -> bool:
        """Whether a contact by someone with `role` may settle this rule's obligations."""
        return not self.settled_by or any(r.value == role for r in self.settled_by)

    @field_validator("due_in", "opens")
    @classmethod
    def _offset(cls, value: str | None) -> str | None:
        if value is not None:
            parse_offset(value)
        return value

    @field_validator("owner")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value.startswith("role:"):
            Role(value.removeprefix("role:"))
        return value

    def model_post_init(self, _context: Any) -> None:
        if self.shape == "cadence" and (self.period is None or self.subject is None):
            raise ValueError(CADENCE_NEEDS.format(id=self.id))
        if self.shape == "trigger" and not self.trigger:
            raise ValueError(TRIGGER_NEEDS.format(id=self.id))
        if self.shape == "followup" and (not self.on or not self.due_in):
            raise ValueError(FOLLOWUP_NEEDS.format(id=self.id))


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


class Register(_Strict):
    """The register of complaints, calls, letters and slips (H3.1), and its deadlines (P5.2)."""

    clause: str = "H3.1"
    strength: Strength = "must"
    keeper_role: Role = Role.office
    answer_clause: str = "P5.2"
    answer_hours: dict[SeverityName, int] = {
        "urgent": 24,
        "major": 24,
        "general": 48,
    }
    chase_after: str = "3wd"
    require_routing: bool = True
    explain: str = ""

    @field_validator("chase_after")
    @classmethod
    def _offset(cls, value: str) -> str:
        parse_offset(value)
        return value


class People(_Strict):
    """The company's employee relations (E1, E2): who is owed which conversation, by when."""

    # E2.1: every manager–report pair, one one-to-one of at least this many minutes a calendar year.
    one_to_one_clause: str = "E2.1"
    one_to_one_minutes: int = Field(default=120, ge=1, le=1440)
    # Which pairs count: either side holds one of the company's roles (a butler department or a hospital on the
    # same site keeps its own regime).
    company_roles: tuple[Role, ...] = (Role.employee, Role.hr, Role.gm, Role.union, Role.chairman)
    # E2.2: a work interview within this long of the event; probation end listed from `probation_opens` before.
    interview_clause: str = "E2.2"
    interview_within: str = "7d"
    probation_opens: str = "14d"
    # E1.1: a contract ending within this many days is a *should* item for HR.
    contract_clause: str = "E1.1"
    contract_notice_days: int = Field(default=30, ge=1, le=366)
    # E1.2, E1.3: the leaving checklist; the exit interview's default side when the employee has not said.
    leave_clause: str = "E1.2"
    exit_clause: str = "E1.3"
    exit_interview_by: Literal["hr", "manager"] = "hr"
    # E2.6.5: decide "as soon as possible" (our default: 10 working days), notify within 2 working days.
    appeal_clause: str = "E2.6"
    decision_within: str = "10wd"
    notify_within: str = "2wd"
    explain_one_to_one: str = ""
    explain_interview: str = ""
    explain_contract: str = ""
    explain_leave: str = ""
    explain_exit: str = ""
    explain_appeal: str = ""

    @field_validator("interview_within", "probation_opens", "decision_within", "notify_within")
    @classmethod
    def _offset(cls, value: str) -> str:
        parse_offset(value)
        return value


class MeetingRule(_Strict):
    """A feedback meeting held every `period` (H3.4–H3.6): per clinical department, or once for the hospital."""

    kind: str
    clause: str = Field(pattern=r"^[PHE]\d+(\.\d+)*$")
    title: str
    period: PeriodKind
    per_dept: bool = (
        False  # one for each clinical department (its head chairs it and owns the item)
    )
    owner: str  # who owes it (the due item): dept-head, or role:ROLE
    chair: str = (
        "dept-head"  # who chairs it unless `meeting schedule --chair` says: dept-head, or role:ROLE
    )
    explain: str = ""


class CheckItem(_Strict):
    id: str = Field(pattern=r"^H3\.7\.[1-7]$")
    key: str  # a short name people may type instead of the id
    title: str


class SurveyRule(_Strict):
    """How often a satisfaction survey of an audience is due, and for whom."""

    audience: Literal["patients", "employees"]
    clause: str
    title: str
    per_year: int = Field(ge=1, le=12)
    owner: str  # role:ROLE
    explain: str = ""


class Office(_Strict):
    """The hospital office's regime (H3.2–H3.7) and the satisfaction surveys (H3.3, E3, P4.10).

    A site is a hospital once it records a clinical department: only then are the hospital's
    meetings, patient surveys and disclosure checks due."""

    meeting: tuple[MeetingRule, ...] = ()
    action_within: str = (
        "14d"  # an opinion's or a failed check's action item, unless --due says otherwise
    )
    action_clause: str = "H3.4"
    scheduled_ahead_days: int = Field(
        default=7, ge=0, le=60
    )  # scheduled meetings listed this many days ahead
    check_clause: str = "H3.7"
    check_period: PeriodKind = "month"
    check_owner: str = "role:office"
    check: tuple[CheckItem, ...] = ()
    survey: tuple[SurveyRule, ...] = ()
    min_group: int = Field(
        default=5, ge=1, le=100
    )  # survey results by group: smaller groups are not shown
    explain_action: str = ""
    explain_check: str = ""
    explain_anonymity: str = ""

    @field_validator("action_within")
    @classmethod
    def _offset(cls, value: str) -> str:
        parse_offset(value)
        return value

    def meeting_rule(self, kind: str) -> MeetingRule | None:
        return next((m for m in self.meeting if m.kind == kind), None)


class Policy(_Strict):
    call_windows: CallWindows
    # Owner -> who owns its items when nobody holds that owner's role today: the first of these held.
    fallback: dict[str, tuple[str, ...]] = {}
    desk: Register = Field(
        default=Register(), alias="register"
    )  # `register` would shadow BaseModel.register
    people: People = People()
    office: Office = Office()
    rule: tuple[Rule, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.rule

    def cadence_rules(self) -> list[Rule]:
        return [r for r in self.rule if r.shape == "cadence"]

    def followup_rules(self, on: str | None = None) -> list[Rule]:
        return [r for r in self.rule if r.shape == "followup" and (on is None or on in r.on)]

    def get(self, rule_id: str) -> Rule:
        return next(r for r in self.rule if r.id == rule_id)

    @model_validator(mode="before")
    @classmethod
    def _fallbacks(cls, data: Any) -> Any:
        """A rule without its own `fallback` takes the policy's for its owner."""
        if isinstance(data, dict) and isinstance(data.get("fallback"), dict):
            chains = data["fallback"]
            for key, chain in chains.items():
                if key != "dept-head":
                    _owner_spec(key)
                for spec in chain if isinstance(chain, list | tuple) else ():
                    _owner_spec(spec)
            rules = data.get("rule")
            if isinstance(rules, list):
                data = dict(data)
                data["rule"] = [
                    r | {"fallback": chains[r["owner"]]}
                    if isinstance(r, dict) and "fallback" not in r and r.get("owner") in chains
                    else r
                    for r in rules
                ]
        return data

    def model_post_init(self, _context: Any) -> None:
        ids = [r.id for r in self.rule]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(DUPLICATE_IDS.format(ids=", ".join(sorted(dupes))))


OWNER_SPEC = re.compile(r"^(zone-butler|health-butler|caller|handler|role:[a-z-]+)$")


def _owner_spec(value: str) -> str:
    if not OWNER_SPEC.match(value):
        raise ValueError(BAD_OWNER.format(value=value))
    if value.startswith("role:"):
        Role(value.removeprefix("role:"))
    return value


def parse_window(text: str) -> tuple[time, time]:
    try:
        start, end = text.split("-")
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ValueError(BAD_WINDOW.format(text=text)) from None


OFFSET_UNITS = {"h": _("hours"), "d": _("days"), "wd": _("working days"), "mo": _("months")}


def parse_offset(text: str) -> tuple[int, str]:
    """`24h` -> (24, "h"); `same-day` -> (0, "d"); `day-before` -> (-1, "d")."""
    value = text.strip().lower()
    if value == "same-day":
        return 0, "d"
    if value == "day-before":
        return -1, "d"
    if value == "event-day":
        return 0, "d"
    match = re.fullmatch(r"(\d{1,4})(h|d|wd|mo)", value)
    if not match:
        raise ValueError(BAD_OFFSET.format(text=text))
    return int(match.group(1)), match.group(2)
