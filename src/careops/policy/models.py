"""The shapes a rule can take, validated when the policy loads."""

from __future__ import annotations

import re
from datetime import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from careops.i18n import _
from careops.policy.legacy import upgrade
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
BAD_OWNER = _(
    "{value!r} is not an owner: zone-butler, health-butler, caller, handler, leader, manager, receiver, "
    "dept-head, action-owner or role:ROLE"
)
BY_ROLE_AND_SETTLED_BY = _("rule {id}: give settled_by (by_role is its earlier name), not both")
UNKNOWN_SHAPE = _("rule {id}: {shape!r} is not a shape. Known: {known}")
SHAPE_NEEDS = _("rule {id}: a {shape} rule needs {fields}")
BAD_WINDOW = _('call window {text!r} is not like "09:00-12:00"')


CLAUSE = r"^[A-Za-z]+\d+(\.\d+)*$"  # any dotted clause id: P4.4, H3.7.1, CH4.2
# Who owns a rule's items: a butler of the subject, the caller of a callback, the handler of a register entry,
# the employee's manager, an appeal's receiver, a department's head, an action item's recorded owner, or the
# first staff member holding a role.
OWNER = r"^(zone-butler|health-butler|caller|handler|leader|manager|receiver|dept-head|action-owner|role:[a-z-]+)$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Subject(_Strict):
    kind: Literal["household", "contact"]
    status: Status | None = None
    contact_kind: ContactKind | None = None
    tag: str | None = None


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-zA-Z0-9.-]*$")
    clause: str = Field(pattern=CLAUSE)
    strength: Strength
    shape: str  # one of SHAPES
    title: str
    titles: tuple[str, ...] = ()  # the title in every language of the site (set by the loader)
    explain: str
    owner: str = Field(pattern=OWNER)
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
    # The visit that settles it records the person's verdict, satisfied or not (a complaint's revisit, P4.8).
    verdict: bool = False
    # Waiting this long with nothing recorded, the owner is asked whether it happened (has it rained?).
    ask_after: str | None = None
    needs: tuple[Role, ...] = ()  # a joint visit: every one of these roles present
    # Who owns it when nobody holds the owner's role (or its holder has left): the first of these held.
    # Unset: the policy's [fallback] for this owner.
    fallback: tuple[str, ...] = ()
    default_deadline: bool = False  # the seed names no deadline: ours
    spread: bool = (
        False  # many at once (an activity's invitations): a daily share of them, like a cadence
    )
    # one-to-one: the least minutes that count, and the roles of which pairs (the manager or the report) count
    minutes: int | None = Field(default=None, ge=1, le=1440)
    among: tuple[Role, ...] = ()
    step: Literal["handover", "exit-interview", "audit", "final-pay"] | None = None  # leave-step
    meeting: str | None = None  # meeting: the kind of meeting (`meeting schedule --kind`)
    per_dept: bool = False  # meeting: one for each clinical department (its head owns it)
    chair: str | None = None  # meeting: who chairs it unless `meeting schedule --chair` says
    key: str | None = None  # check: a short name people may type instead of the clause
    audience: Literal["patients", "employees"] | None = None  # survey-quota
    per_year: int | None = Field(default=None, ge=1, le=12)  # survey-quota
    action: Literal["opinion", "cooperation", "check"] | None = None  # action: the kind of item
    # The clause an item takes by the kind of its fact, where the seed names another (a register entry of kind
    # feedback answers under P5.2): {kind = clause}.
    clause_by_kind: dict[str, str] = {}

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

    @field_validator("due_in", "opens", "ask_after")
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
        if self.shape not in SHAPES:
            raise ValueError(
                UNKNOWN_SHAPE.format(id=self.id, shape=self.shape, known=", ".join(SHAPES))
            )
        if self.shape == "cadence" and (self.period is None or self.subject is None):
            raise ValueError(CADENCE_NEEDS.format(id=self.id))
        if self.shape == "trigger" and not self.trigger:
            raise ValueError(TRIGGER_NEEDS.format(id=self.id))
        if self.shape == "followup" and (not self.on or not self.due_in):
            raise ValueError(FOLLOWUP_NEEDS.format(id=self.id))
        missing = [f for f in SHAPES[self.shape] if getattr(self, f) in (None, ())]
        if missing:
            raise ValueError(
                SHAPE_NEEDS.format(id=self.id, shape=self.shape, fields=", ".join(missing))
            )


# Every shape a rule can take, and the fields a rule of that shape must give. The scheduler has one module per
# shape (careops.scheduler.shapes) that turns the rules of that shape into due items.
SHAPES: dict[str, tuple[str, ...]] = {
    "cadence": ("period", "subject"),  # each subject once a period (P1, P4.5, H3.2)
    "trigger": ("trigger",),  # a day in the subject's life (P4.2 three months after move-in)
    "followup": ("on", "due_in"),  # written when an event is recorded, due within `due_in`
    "register-answer": (),  # a clear answer to the person, by the severity's hours (P5.2)
    "register-chase": ("due_in",),  # a routed entry with no step for so long is chased (H3.1)
    "register-instruction": ("due_in",),  # a matter escalated to a leader owes their instruction
    "one-to-one": ("period", "minutes"),  # each manager–report pair, once a period (E2.1)
    "probation": ("opens",),  # the probation-end interview, by its last working day (E2.2)
    "interview": ("on", "due_in"),  # an employee's event asks the manager for an interview (E2.2)
    "contract": ("opens",),  # a labour contract ending: renew or record the leaving (E1.1)
    "leave-step": ("step",),  # one step of a leaving case, by the last day (E1.2, E1.3)
    "appeal-decision": ("due_in",),  # the round's decision (E2.6.5)
    "appeal-notify": ("due_in",),  # the decision notified to appellant, GM and HR (E2.6.5)
    "meeting": ("meeting", "period"),  # a meeting series with minutes (H3.4–H3.6)
    "meeting-scheduled": ("opens",),  # a scheduled meeting, held by its day (H3.4–H3.6)
    "action": ("action", "due_in"),  # an opinion's, cooperation's or failed check's action item
    "check": ("period", "key"),  # a disclosure item checked once a period (H3.7)
    "survey-quota": ("audience", "per_year"),  # so many surveys answered a year (H3.3, E3)
    "plan-approval": ("period", "due_in"),  # each butler's visit plan approved in time (P1)
}


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
    """The register of complaints, calls, letters and slips (H3.1): its keeper and its answer hours (P5.2).

    Its two obligations are rules of shapes register-answer and register-chase."""

    keeper_role: Role = Role.office
    answer_hours: dict[SeverityName, int] = {
        "urgent": 24,
        "major": 24,
        "general": 48,
    }
    require_routing: bool = True


class Office(_Strict):
    """The satisfaction surveys' settings that are not obligations (those are rules)."""

    min_group: int = Field(
        default=5, ge=1, le=100
    )  # survey results by group: smaller groups are not shown
    explain_anonymity: str = ""


class Policy(_Strict):
    # `extends = "builtin"`: the file adds rules to the built-in policy or replaces them by id (the loader).
    extends: Literal["builtin"] | None = None
    call_windows: CallWindows
    # Owner -> who owns its items when nobody holds that owner's role today: the first of these held.
    fallback: dict[str, tuple[str, ...]] = {}
    desk: Register = Field(
        default=Register(), alias="register"
    )  # `register` would shadow BaseModel.register
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

    def shaped(self, shape: str) -> list[Rule]:
        """The rules of one shape, in the policy's order."""
        return [r for r in self.rule if r.shape == shape]

    def first(self, shape: str, **match: Any) -> Rule | None:
        """The first rule of `shape` whose fields equal `match` (`first("meeting", meeting="ward-forum")`)."""
        return next(
            (r for r in self.shaped(shape) if all(getattr(r, k) == v for k, v in match.items())),
            None,
        )

    def staff_events(self) -> list[str]:
        """The events of an employee's working life the policy's interview rules name (`on`), in their order."""
        return list(dict.fromkeys(kind for r in self.shaped("interview") for kind in r.on))

    def event_rule(self, shape: str, kind: str) -> Rule | None:
        """The first rule of `shape` an event of `kind` triggers (its `on` names it)."""
        return next((r for r in self.shaped(shape) if kind in r.on), None)

    def clause_of(self, shape: str, kind: str | None = None, **match: Any) -> str:
        """The clause of the first rule of `shape` (an item about a fact of `kind` may take another: its
        `clause_by_kind`); "" when the policy has no such rule."""
        rule = self.first(shape, **match)
        if rule is None:
            return ""
        return rule.clause_by_kind.get(kind, rule.clause) if kind else rule.clause

    @model_validator(mode="before")
    @classmethod
    def _fallbacks(cls, data: Any) -> Any:
        """A rule without its own `fallback` takes the policy's for its owner. A policy file of the earlier
        format (`[people]`, `[[office.meeting]]`…) reads first as the rules it meant."""
        if isinstance(data, dict):
            data = upgrade(data)
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


OWNER_SPEC = re.compile(OWNER)


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
