"""One engine for every regime (issue 17): every obligation is a rule of the policy, of a registered shape.

The scheduler has one module per shape and one registry (careops.scheduler.shapes.SHAPES); the policy checks
a rule's shape against the same names. Owners of the derived E and H items follow the same rule as P's: the
holder as of today, never someone who has left, else the rule's fallback, saying why."""

from __future__ import annotations

from datetime import date

import pytest
from test_rules_e import CONTRACT, PROBATION, company, hire

from careops.errors import PolicyError
from careops.policy.loader import load_policy
from careops.policy.models import SHAPES as POLICY_SHAPES
from careops.policy.models import Policy
from careops.scheduler.shapes import SHAPES
from careops.services.appeals import file_appeal
from careops.services.leaving import start_leave
from careops.services.staff import add_staff
from careops.vocab import AppealChannel, Role

from conftest import clock
from scheduling import items


@pytest.fixture
def co(session):
    return company(session)


def leaves(session, policy, name: str, last_day: str, on: str = "2026-11-02 09:00") -> None:
    start_leave(
        session=session,
        clock=clock(on),
        policy=policy,
        employee=name,
        last_day=date.fromisoformat(last_day),
    )


def test_every_shape_the_policy_accepts_has_its_module_in_the_scheduler():
    assert list(SHAPES) == list(POLICY_SHAPES)


def test_every_built_in_obligation_of_p_h_and_e_is_a_rule(policy: Policy):
    clauses = {r.clause.split(".")[0][0] for r in policy.rules}
    assert clauses == {"P", "H", "E"}
    assert {r.shape for r in policy.rules} == set(SHAPES)


def test_every_rule_of_due_is_a_rule_of_the_policy(session, policy, co):
    leaves(session, policy, "Wu", "2026-12-20", on="2026-11-20 09:00")
    hire(session, "Pei", "2026-06-01 09:00", probation_ends=date(2026, 12, 1))
    found = items(session, policy, "2026-11-27 09:00")
    ids = {r.id for r in policy.rules}
    assert found and {i.rule for i in found} <= ids
    assert {i.rule for i in found} >= {"leave-handover", "probation-interview", "one-to-one"}


def test_E1_1_an_employee_with_no_contract_end_on_file_is_a_should_item_for_hr(session, policy, co):
    pei = hire(session, "Pei", "2026-11-02 09:00")

    [item] = [
        i for i in items(session, policy, "2026-11-27 09:00", CONTRACT) if i.subject_id == pei
    ]
    assert (item.clause, item.strength, item.title, item.owner_id, item.status) == (
        "E1.1",
        "should",
        "contract end not on file",
        co.han,
        "due",
    )
    assert item.why == (
        "Pei has no contract end on file: record it (`careops staff edit Pei --contract-ends D`)"
    )


def test_E2_2_a_manager_who_has_left_owns_nothing_the_item_falls_to_hr_saying_why(
    session, policy, co
):
    pei = hire(session, "Pei", "2026-06-01 09:00", probation_ends=date(2026, 11, 30))
    leaves(session, policy, "Sun", "2026-11-10")

    [before] = [
        i for i in items(session, policy, "2026-11-10 09:00", PROBATION) if i.subject_id == pei
    ]
    [after] = [
        i for i in items(session, policy, "2026-11-20 09:00", PROBATION) if i.subject_id == pei
    ]

    assert before.owner_id == co.sun
    assert (after.owner_id, after.owner_name) == (co.han, "Han")
    assert after.why.endswith(" — no manager today (none on file, or they have left): falls to Han")
    assert items(session, policy, "2026-11-20 09:00", owner_id=co.sun) == []


def test_E2_6_5_an_appeal_whose_receiver_has_left_falls_to_hr(session, policy, co):
    filed = file_appeal(
        session=session,
        clock=clock("2026-11-02 09:00"),
        policy=policy,
        employee="Wu",
        to="Sun",
        channel=AppealChannel.in_person,
        summary="overtime pay",
    )
    leaves(session, policy, "Sun", "2026-11-05")

    [item] = items(session, policy, "2026-11-06 09:00", "appeal-decision")
    assert (item.ref, item.owner_id) == (filed.id, co.han)
    assert "falls to Han" in item.why


def test_a_rule_of_an_unknown_shape_is_refused_naming_the_shapes(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(
        '[call_windows]\nclause = "P3"\nstrength = "should"\ndays = ["tue"]\n'
        'windows = ["09:00-12:00"]\nexplain = "x"\n\n'
        '[[rule]]\nid = "x"\nclause = "CH1"\nstrength = "must"\nshape = "weekly"\ntitle = "x"\n'
        'explain = "x"\nowner = "role:manager"\n',
        "utf-8",
    )
    with pytest.raises(PolicyError, match=r"'weekly' is not a shape\. Known: cadence, trigger"):
        load_policy(path)


def test_a_policy_file_of_the_earlier_format_reads_as_the_rules_it_meant(tmp_path):
    """`[people]` and `[[office.survey]]` before every obligation was a rule: the same regime, as rules."""
    path = tmp_path / "site.toml"
    path.write_text(
        'rule = []\n[call_windows]\nclause = "P3"\nstrength = "should"\ndays = ["tue"]\n'
        'windows = ["09:00-12:00"]\nexplain = "x"\n\n'
        '[people]\none_to_one_minutes = 90\ninterview_within = "5wd"\n'
        'exit_interview_by = "manager"\n\n'
        '[[office.survey]]\naudience = "patients"\nclause = "H3.3"\ntitle = "cards"\nper_year = 4\n'
        'owner = "role:office"\n',
        "utf-8",
    )
    loaded = load_policy(path)
    assert loaded.first("one-to-one").minutes == 90
    assert loaded.first("interview").due_in == "5wd"
    assert loaded.first("leave-step", step="exit-interview").owner == "manager"
    quota = loaded.first("survey-quota")
    assert (quota.id, quota.clause, quota.per_year, quota.title) == (
        "survey-patients",
        "H3.3",
        4,
        "cards",
    )


def test_a_clause_may_be_any_dotted_id(policy: Policy):
    rule = policy.get("p1-monthly-visit").model_copy(update={"clause": "CH4.2"})
    assert Policy.model_validate(
        {"call_windows": policy.call_windows.model_dump(), "rule": [rule.model_dump()]}
    ).rules[0].clause == ("CH4.2")


def test_staff_added_later_on_a_butler_site_are_not_asked_for_a_contract(session, policy):
    add_staff(session=session, clock=clock("2026-11-01 09:00"), name="Wang", role=Role.butler)
    assert items(session, policy, "2026-11-27 09:00", CONTRACT) == []


@pytest.mark.parametrize(
    ("build", "regimes"),
    [(("demo", "--households", "12"), {"P", "E"}), (("demo", "--site", "hospital"), {"H"})],
    ids=["butlers-company", "hospital"],
)
def test_on_a_demo_site_every_open_must_or_should_item_has_an_owner_whose_list_shows_it(
    cli, build, regimes
):
    """The owner invariant over every regime at once (P, E on the butler site with its company; H on the
    hospital): every open must/should item of `due --all` has an owner, and is in that owner's list."""
    assert cli(*build).exit_code == 0
    every = [
        i
        for i in cli.json("due", "--all")
        if i["strength"] in ("must", "should") and i["status"] not in ("missed", "lapsed")
    ]
    assert {i["clause"][0] for i in every} >= regimes
    assert [(i["rule"], i["why"]) for i in every if i["owner"] is None] == []

    def key(item: dict) -> tuple:
        return (item["rule"], item["subject"]["id"], item["ref"], item["due"])

    for name in sorted({i["owner"]["name"] for i in every}):
        mine = {key(i) for i in cli.json("due", "--all", "--staff", name)}
        assert {key(i) for i in every if i["owner"]["name"] == name} <= mine, name
