"""Pack files: the shipped packs validate, broken packs stop start-up naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from policies import packs
from policies.packs import PACKS_DIR, load_pack_file, load_packs


def shipped(code: str) -> dict:
    return yaml.safe_load((PACKS_DIR / f"{code}.yaml").read_text())


def write(directory: Path, code: str, data: dict) -> Path:
    path = directory / f"{code}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_every_shipped_pack_validates():
    loaded = load_packs()
    assert set(loaded) == {"md-nrs", "ge-fund", "al-sop", "ro-guide", "default"}
    for code, rules in loaded.items():
        assert rules.code == code
        assert rules.person.age_of_majority == 18


def test_georgian_budget_cap_and_approver():
    rules = load_packs()["ge-fund"]
    assert rules.plan.budget_cap is not None
    assert (rules.plan.budget_cap.amount, rules.plan.budget_cap.currency) == (2000, "GEL")
    assert rules.plan.final_approval_by == "coordinator"
    assert rules.plan.max_term_months.adult == 12
    assert rules.reporting.expenditure_report_months == 1
    assert rules.reporting.service_list_renewal_months == 3


def test_albanian_assessment_and_phases():
    rules = load_packs()["al-sop"]
    assert rules.assessment.comprehensive_due_days == 14
    phases = [
        (p.key, p.from_month, p.to_month, p.contact_interval_days) for p in rules.monitoring.phases
    ]
    assert phases == [
        ("crisis", 0, 6, None),
        ("stabilisation", 6, 12, 7),
        ("inclusion", 12, 36, 30),
    ]
    assert rules.monitoring.after_closure_months.adult == 60


def test_moldovan_plan_rules():
    rules = load_packs()["md-nrs"]
    assert rules.plan.due_days == 20
    assert rules.plan.review_interval_months == 3
    assert rules.person.consult_child_from_age == 10
    assert (
        rules.monitoring.after_closure_months.adult,
        rules.monitoring.after_closure_months.minor,
    ) == (12, 36)
    assert "mayor" in rules.plan.signatures.minor


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["plan"]["budget_cap"].update(colour="red"),
            "plan.budget_cap.colour: unknown key",
        ),
        (lambda d: d.update(favourite=1), "favourite: unknown key"),
        (lambda d: d["plan"].update(due_days="soon"), "plan.due_days: must be a whole number"),
        (lambda d: d["plan"].update(due_days=True), "plan.due_days: must be a whole number"),
        (
            lambda d: d["plan"]["budget_cap"].update(amount=-5),
            "plan.budget_cap.amount: must be >= 0",
        ),
        (
            lambda d: d["assessment"].update(comprehensive_due_days=-1),
            "assessment.comprehensive_due_days: must be >= 0",
        ),
        (
            lambda d: d["caseload"].pop("max_open_cases_per_worker"),
            "caseload.max_open_cases_per_worker: required key is missing",
        ),
        (lambda d: d["plan"].update(final_approval_by="mayor"), "plan.final_approval_by"),
        (
            lambda d: d["monitoring"]["after_closure_months"].update(minor=-12),
            "monitoring.after_closure_months.minor: must be >= 0",
        ),
    ],
)
def test_broken_pack_names_file_and_key(tmp_path, change, message):
    data = shipped("ge-fund")
    change(data)
    path = write(tmp_path, "ge-fund", data)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_pack_file(path)
    assert str(raised.value).startswith("policies/packs/ge-fund.yaml: ")
    assert message in str(raised.value)


def test_phases_must_follow_each_other(tmp_path):
    data = shipped("al-sop")
    data["monitoring"]["phases"][1]["from_month"] = 7
    with pytest.raises(
        ImproperlyConfigured, match=r"al-sop.yaml: monitoring.phases: .*must start when"
    ):
        load_pack_file(write(tmp_path, "al-sop", data))


def test_file_name_and_code_must_agree(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="code: must match the file name"):
        load_pack_file(write(tmp_path, "md-other", shipped("md-nrs")))


def test_invalid_yaml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("plan: [unclosed\n")
    with pytest.raises(ImproperlyConfigured, match=r"^policies/packs/broken.yaml: not valid YAML"):
        load_pack_file(path)


def test_default_pack_is_required(tmp_path):
    write(tmp_path, "md-nrs", shipped("md-nrs"))
    with pytest.raises(ImproperlyConfigured, match="'default' pack is missing"):
        load_packs(tmp_path)


def test_a_broken_pack_stops_start_up(tmp_path, monkeypatch):
    for code in ("default", "ge-fund"):
        write(tmp_path, code, shipped(code))
    broken = shipped("ge-fund")
    broken["reporting"]["expenditure_report_months"] = -1
    write(tmp_path, "ge-fund", broken)
    monkeypatch.setattr(packs, "PACKS_DIR", tmp_path)
    try:
        with pytest.raises(
            ImproperlyConfigured,
            match=r"policies/packs/ge-fund.yaml: reporting.expenditure_report_months: must be >= 1",
        ):
            apps.get_app_config("policies").ready()
    finally:
        monkeypatch.undo()
        packs.validate_shipped_packs()
