"""The plan's approval stages, statutory status, written consent and drafting anchor are pack
data (issue 14): validated, and a malformed list stops start-up naming the key."""

from __future__ import annotations

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from policies.packs import PACKS_DIR, load_packs, parse_pack


def _pack(code: str) -> dict:
    return yaml.safe_load((PACKS_DIR / f"{code}.yaml").read_text())


def test_fund_has_two_stages_and_the_other_packs_one_or_none() -> None:
    packs = load_packs()
    fund = packs["ge-fund"].plan
    assert [(s.key, s.decided_by, s.needs_provider_confirmations) for s in fund.stages()] == [
        ("initial", "coordinator", False),
        ("final", "coordinator", True),
    ]
    assert fund.requires_statutory_status and fund.assistance_consent_in_writing
    assert [s.key for s in packs["default"].plan.stages()] == ["final"]
    for code in ("md-nrs", "al-sop", "ro-guide"):
        assert packs[code].plan.stages() == []
        assert not packs[code].plan.requires_statutory_status
    assert packs["md-nrs"].plan.due_from == "assessment_completed"
    assert packs["default"].plan.due_from == "reception"


@pytest.mark.parametrize(
    "stages",
    [
        [{"key": "initial", "decided_by": "coordinator"}],
        [
            {"key": "final", "decided_by": "coordinator"},
            {"key": "final", "decided_by": "coordinator"},
        ],
        [
            {"key": "initial", "decided_by": "coordinator"},
            {"key": "final", "decided_by": "supervisor"},
        ],
        [],
    ],
)
def test_malformed_stages_are_refused(stages: list[dict]) -> None:
    data = _pack("ge-fund")
    data["plan"]["approval_stages"] = stages
    with pytest.raises(ImproperlyConfigured, match=r"approval_stages|final"):
        parse_pack(data, source="ge-fund.yaml")


def test_unknown_stage_or_anchor_is_refused() -> None:
    data = _pack("md-nrs")
    data["plan"]["due_from"] = "first_contact"
    with pytest.raises(ImproperlyConfigured, match=r"plan\.due_from"):
        parse_pack(data, source="md-nrs.yaml")
    data = _pack("ge-fund")
    data["plan"]["approval_stages"][0]["key"] = "middle"
    with pytest.raises(ImproperlyConfigured, match="approval_stages"):
        parse_pack(data, source="ge-fund.yaml")
