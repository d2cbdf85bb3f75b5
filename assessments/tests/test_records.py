"""Assessment records through the services: assignment by discipline, progress, completion,
encryption of text answers, disagreement, reassessment and the due date from the pack."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import Acting
from assessments import selectors, services
from assessments.models import Assessment, AssessmentStatus, ComprehensiveAssessment, RoundStatus
from assessments.records import (
    answer_at,
    assignee_fits,
    comprehensive_due_on,
    level_change,
    merge_text_answers,
    split_text_answers,
)
from audit.models import AuditEntry
from work.models import CaseMilestone

pytestmark = pytest.mark.django_db

VALID = {"has_children": True, "children_count": 2, "housing": "other", "housing_other": "a friend"}
CONCLUSION = {"category": "worrying", "need_level": "high", "evidence": "her own account"}


def _raw(value: bytes | memoryview | None) -> bytes:
    assert value is not None
    return bytes(value)


def _assessment(comprehensive: ComprehensiveAssessment, code: str) -> Assessment:
    return comprehensive.assessments.get(form_code=code)


# ---------------------------------------------------------------- pure rules


def test_due_date_counts_days_from_start() -> None:
    start = datetime.date(2026, 3, 1)
    assert comprehensive_due_on(starts_on=start, due_days=14) == datetime.date(2026, 3, 15)
    assert comprehensive_due_on(starts_on=start, due_days=None) is None


def test_discipline_mapping() -> None:
    assert assignee_fits(form_discipline="doctor", disciplines={"doctor"}, is_case_manager=False)
    assert not assignee_fits(
        form_discipline="doctor", disciplines={"psychologist"}, is_case_manager=True
    )
    # The case manager does the rest: the forms written for a social worker.
    assert assignee_fits(form_discipline="social_worker", disciplines=set(), is_case_manager=True)
    assert not assignee_fits(
        form_discipline="social_worker", disciplines={"lawyer"}, is_case_manager=False
    )


def test_text_answers_split_and_merge_back(record_forms: Any) -> None:
    definition = selectors.get_form("sample", 1)
    assert definition is not None
    answers = {
        "has_children": False,
        "housing": "other",
        "housing_other": "a friend",
        "dependants": [{"age": 4, "has_needs": True, "needs": "asthma"}, {"age": 9}],
    }
    plain, text = split_text_answers(definition, answers)
    assert plain == {
        "has_children": False,
        "housing": "other",
        "dependants": [{"age": 4, "has_needs": True}, {"age": 9}],
    }
    assert text == {"housing_other": "a friend", "dependants": [{"needs": "asthma"}, {}]}
    assert merge_text_answers(plain, text) == answers


def test_answer_at_follows_group_paths() -> None:
    answers = {"dependants": [{"age": 4}, {"age": 9}], "x": 1}
    assert answer_at(answers, "dependants[1].age") == 9
    assert answer_at(answers, "dependants[5].age") is None
    assert answer_at(answers, "x") == 1


def test_level_change() -> None:
    assert level_change("high", "low") == "lower"
    assert level_change("low", "urgent") == "higher"
    assert level_change("medium", "medium") == "same"
    assert level_change("", "low") == ""


# ---------------------------------------------------------------- assignment


def test_assign_records_milestone_with_domain_and_specialist(started: Any, actors: Any) -> None:
    psy = _assessment(started, "sample_psy")
    assert psy.assigned_to == actors.specialist
    assert psy.discipline == "psychologist"
    assert psy.domain == "psychosocial"
    assert psy.form_version == 1
    assert psy.status == AssessmentStatus.ASSIGNED
    milestone = CaseMilestone.objects.get(
        case=started.case, kind="assessment_assigned", ref="psychosocial"
    )
    assert milestone.responsible_id == actors.specialist.pk


def test_assign_refuses_a_discipline_that_does_not_fit(
    team_case: Any, actors: Any, acting: Callable[..., Acting], record_forms: Any
) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    comprehensive = services.comprehensive_start(acting=manager, case=team_case)
    with pytest.raises(ValidationError) as refused:
        services.assessment_assign(
            acting=manager,
            case=team_case,
            comprehensive=comprehensive,
            form_code="sample_legal",
            assignee=actors.specialist,
        )
    assert "assignee" in refused.value.message_dict
    assert not Assessment.objects.exists()


def test_specialist_cannot_assign(
    team_case: Any, actors: Any, acting: Callable[..., Acting], record_forms: Any
) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    comprehensive = services.comprehensive_start(acting=manager, case=team_case)
    with pytest.raises(PermissionDenied):
        services.assessment_assign(
            acting=acting(actors.specialist, actors.home_org),
            case=team_case,
            comprehensive=comprehensive,
            form_code="sample_psy",
            assignee=actors.specialist,
        )


# ---------------------------------------------------------------- filling in


def test_save_progress_encrypts_text_and_keeps_the_rest_queryable(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    assessment = _assessment(started, "sample")
    saved = services.assessment_save(
        acting=acting(actors.case_manager, actors.home_org),
        case=started.case,
        assessment=assessment,
        answers=VALID,
        summary={"evidence": "her own account"},
        expected_version=assessment.version,
    )
    row = Assessment.objects.get(pk=saved.pk)
    assert row.status == AssessmentStatus.IN_PROGRESS
    assert row.answers == {"has_children": True, "children_count": 2, "housing": "other"}
    assert b"a friend" not in _raw(row.text_answers_enc)
    assert b"her own account" not in _raw(row.evidence_enc)
    assert selectors.stored_answers(row) == VALID
    assert selectors.stored_summary(row)["evidence"] == "her own account"
    assert Assessment.objects.filter(answers__housing="other").count() == 1
    assert AuditEntry.objects.filter(action="update", object_id=str(row.pk)).exists()


def test_bad_answer_is_refused_naming_the_question_and_nothing_saved(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    assessment = _assessment(started, "sample")
    with pytest.raises(services.AnswersRefused) as refused:
        services.assessment_save(
            acting=acting(actors.case_manager, actors.home_org),
            case=started.case,
            assessment=assessment,
            answers={"has_children": True, "children_count": "many"},
            summary={},
            expected_version=assessment.version,
        )
    assert [error.question for error in refused.value.errors] == ["children_count"]
    assert refused.value.errors[0].label == "Number of children"
    row = Assessment.objects.get(pk=assessment.pk)
    assert row.answers == {} and row.version == assessment.version
    assert row.status == AssessmentStatus.ASSIGNED


def test_progress_may_leave_required_questions_but_completion_may_not(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    assessment = _assessment(started, "sample")
    saved = services.assessment_save(
        acting=manager,
        case=started.case,
        assessment=assessment,
        answers={"housing": "shelter"},
        summary={},
        expected_version=assessment.version,
    )
    with pytest.raises(services.AnswersRefused) as refused:
        services.assessment_complete(
            acting=manager,
            case=started.case,
            assessment=saved,
            answers={"housing": "shelter"},
            summary={},
            expected_version=saved.version,
        )
    questions = {error.question for error in refused.value.errors}
    assert questions == {"has_children", "summary.need_level"}
    assert Assessment.objects.get(pk=saved.pk).status == AssessmentStatus.IN_PROGRESS


def test_stale_save_is_refused(started: Any, actors: Any, acting: Callable[..., Acting]) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    assessment = _assessment(started, "sample")
    services.assessment_save(
        acting=manager,
        case=started.case,
        assessment=assessment,
        answers={"has_children": False},
        summary={},
        expected_version=assessment.version,
    )
    with pytest.raises(services.StaleEdit):
        services.assessment_save(
            acting=manager,
            case=started.case,
            assessment=assessment,
            answers={"has_children": True},
            summary={},
            expected_version=assessment.version,
        )


def test_only_the_assignee_edits_a_domain(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    psy = _assessment(started, "sample_psy")
    for user in (actors.case_manager, actors.supervisor):
        with pytest.raises(PermissionDenied):
            services.assessment_save(
                acting=acting(user, actors.home_org),
                case=started.case,
                assessment=psy,
                answers={"has_children": False},
                summary={},
                expected_version=psy.version,
            )


def _complete(started: Any, code: str, user: Any, acting: Callable[..., Acting], level: str) -> Any:
    assessment = _assessment(started, code)
    return services.assessment_complete(
        acting=acting(user, started.case.organisation),
        case=started.case,
        assessment=assessment,
        answers={"has_children": False},
        summary={"category": "fine", "need_level": level},
        expected_version=assessment.version,
    )


def test_completing_all_domains_completes_the_comprehensive_assessment(
    started: Any, actors: Any, acting: Callable[..., Acting], lawyer: Any
) -> None:
    _complete(started, "sample", actors.case_manager, acting, "low")
    _complete(started, "sample_psy", actors.specialist, acting, "high")
    started.refresh_from_db()
    assert started.status == RoundStatus.OPEN
    legal = _complete(started, "sample_legal", lawyer, acting, "urgent")
    started.refresh_from_db()
    assert started.status == RoundStatus.COMPLETED
    assert started.completed_on == legal.completed_on
    assert CaseMilestone.objects.filter(case=started.case, kind="assessment_completed").count() == 3
    needs = {need.domain: need.level for need in selectors.needs_for_case(started.case)}
    assert needs == {"comprehensive": "low", "psychosocial": "high", "legal": "urgent"}


def test_a_completed_assessment_no_longer_changes(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    done = _complete(started, "sample", actors.case_manager, acting, "low")
    with pytest.raises(ValidationError):
        services.assessment_save(
            acting=acting(actors.case_manager, actors.home_org),
            case=started.case,
            assessment=done,
            answers={"has_children": True, "children_count": 1},
            summary={},
            expected_version=done.version,
        )


def test_team_member_records_disagreement_encrypted(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    done = _complete(started, "sample", actors.case_manager, acting, "low")
    disagreement = services.disagreement_record(
        acting=acting(actors.specialist, actors.home_org),
        case=started.case,
        assessment=done,
        note="I see a higher need",
    )
    assert disagreement.member == actors.specialist
    assert b"higher need" not in _raw(disagreement.note_enc)
    assert disagreement.get_plain("note") == "I see a higher need"
    with pytest.raises(ValidationError):
        services.disagreement_record(
            acting=acting(actors.specialist, actors.home_org),
            case=started.case,
            assessment=done,
            note="  ",
        )


def test_reassessment_opens_a_new_round_and_shows_change(
    started: Any, actors: Any, acting: Callable[..., Acting], lawyer: Any
) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    with pytest.raises(ValidationError):
        services.comprehensive_reassess(acting=manager, case=started.case)
    _complete(started, "sample", actors.case_manager, acting, "low")
    _complete(started, "sample_psy", actors.specialist, acting, "high")
    _complete(started, "sample_legal", lawyer, acting, "urgent")

    second = services.comprehensive_reassess(acting=manager, case=started.case)
    assert second.round == 2
    assert second.status == RoundStatus.OPEN
    assert {a.assigned_to_id for a in second.assessments.all()} == {
        actors.case_manager.pk,
        actors.specialist.pk,
        lawyer.pk,
    }
    _complete(second, "sample_psy", actors.specialist, acting, "medium")

    current, previous = selectors.comprehensive_rounds(started.case)
    changes = {c.domain: c for c in selectors.round_changes(current, previous)}
    assert changes["psychosocial"].previous_level == "high"
    assert changes["psychosocial"].current_level == "medium"
    assert changes["psychosocial"].change == "lower"
    assert changes["legal"].change == ""


def test_due_date_follows_the_case_policy_pack(
    register: Callable[..., Any], actors: Any, acting: Callable[..., Acting]
) -> None:
    # The other organisation runs the Albanian pack: 14 days after reception (002 L1036).
    albanian = register(by=actors.other_worker, organisation=actors.other_org)
    comprehensive = services.comprehensive_start(
        acting=acting(actors.other_worker, actors.other_org), case=albanian
    )
    assert comprehensive.due_on == datetime.date(2026, 3, 15)
    # The home organisation runs md-nrs, which sets no period (SPEC C11).
    home = register()
    home_round = services.comprehensive_start(
        acting=acting(actors.supervisor, actors.home_org), case=home
    )
    assert home_round.due_on is None


def test_only_one_open_round(team_case: Any, actors: Any, acting: Callable[..., Acting]) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    services.comprehensive_start(acting=manager, case=team_case)
    with pytest.raises(ValidationError):
        services.comprehensive_start(acting=manager, case=team_case)


def test_own_view_and_problem_ranking(
    started: Any, actors: Any, acting: Callable[..., Acting]
) -> None:
    updated = services.comprehensive_update(
        acting=acting(actors.case_manager, actors.home_org),
        case=started.case,
        comprehensive=started,
        own_view="I need a job",
        desired_situation="Living with my daughter",
        problems=[
            services.RankedProblem("employment", "No income"),
            services.RankedProblem("health", "Back pain"),
        ],
        identification_decision=None,
        expected_version=started.version,
    )
    assert updated.get_plain("own_view") == "I need a job"
    assert b"daughter" not in _raw(updated.desired_situation_enc)
    ranked = [(p.position, p.domain, p.get_plain("problem")) for p in updated.problems.all()]
    assert ranked == [(1, "employment", "No income"), (2, "health", "Back pain")]
