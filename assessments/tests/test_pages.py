"""The "Assessments" section of the case file, through the pages: allow and deny for each
view, htmx refresh, bad answers refused naming the question, printing, constant queries."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import Assessment, AssessmentStatus, ComprehensiveAssessment
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _assessment(started: ComprehensiveAssessment, code: str) -> Assessment:
    return started.assessments.get(form_code=code)


def _url(name: str, *args: Any) -> str:
    return reverse(f"assessments:{name}", args=args)


# ---------------------------------------------------------------- overview


def test_overview_lists_rounds_and_domains(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    response = client.get(_url("case", started.case_id))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Comprehensive assessment" in body
    assert "Psycho-social" in body and "Legal" in body
    assert "Assign a domain" in body
    assert AuditEntry.objects.filter(
        action="view", case_id=started.case_id, detail__section="assessments"
    ).exists()


def test_overview_is_404_to_another_organisation_and_403_to_an_analyst(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    login(client, actors.other_worker, actors.other_org)
    assert client.get(_url("case", started.case_id)).status_code == 404
    analyst = Client()
    login(analyst, actors.analyst, actors.coordinator_org)
    assert analyst.get(_url("case", started.case_id)).status_code == 403


def test_overview_query_count_is_constant(
    client: Client,
    login: Callable[..., Client],
    started: Any,
    actors: Any,
    acting: Callable[..., Any],
    lawyer: Any,
    django_assert_max_num_queries: Any,
) -> None:
    login(client, actors.case_manager, actors.home_org)
    url = _url("case", started.case_id)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_round:
        client.get(url)
    # A second, completed round with three more domains and a disagreement.
    for code, user in (
        ("sample", actors.case_manager),
        ("sample_psy", actors.specialist),
        ("sample_legal", lawyer),
    ):
        assessment = _assessment(started, code)
        services.assessment_complete(
            acting=acting(user, actors.home_org),
            case=started.case,
            assessment=assessment,
            answers={"has_children": False},
            summary={"need_level": "low"},
            expected_version=assessment.version,
        )
    services.disagreement_record(
        acting=acting(actors.specialist, actors.home_org),
        case=started.case,
        assessment=_assessment(started, "sample"),
        note="higher",
    )
    services.comprehensive_reassess(
        acting=acting(actors.case_manager, actors.home_org), case=started.case
    )
    with django_assert_max_num_queries(len(one_round) + 2):
        # Two rounds instead of one: the same queries, plus the reassess check's lookups.
        assert client.get(url).status_code == 200


def test_start_and_assign_through_the_page(
    client: Client, login: Callable[..., Client], team_case: Any, actors: Any, record_forms: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    response = client.post(_url("start", team_case.pk), {"identification_decision": ""})
    assert response.status_code == 302
    response = client.post(
        _url("assign", team_case.pk), {"form": "sample_psy", "assignee": actors.specialist.pk}
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=team_case)
    assert assessment.assigned_to == actors.specialist


def test_assign_refused_for_a_discipline_that_does_not_fit(
    client: Client, login: Callable[..., Client], started: Any, actors: Any, record_forms: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    started.assessments.filter(form_code="sample_legal").delete()
    response = client.post(
        _url("assign", started.case_id), {"form": "sample_legal", "assignee": actors.specialist.pk}
    )
    assert response.status_code == 422
    assert "discipline covers this form" in response.content.decode()
    assert not started.assessments.filter(form_code="sample_legal").exists()


def test_specialist_may_not_start_or_assign(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    login(client, actors.specialist, actors.home_org)
    assert client.post(_url("start", started.case_id), {}).status_code == 403
    response = client.post(
        _url("assign", started.case_id), {"form": "sample", "assignee": actors.case_manager.pk}
    )
    assert response.status_code == 403
    assert client.post(_url("reassess", started.case_id)).status_code == 403


# ---------------------------------------------------------------- filling in


def test_assignee_sees_the_form_and_conditional_question_appears_on_refresh(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.specialist, actors.home_org)
    page = client.get(_url("assessment", started.case_id, psy.pk)).content.decode()
    assert 'name="q-has_children"' in page
    assert 'name="q-children_count"' not in page
    fields = client.post(
        _url("assessment_fields", started.case_id, psy.pk),
        {"q-has_children": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert fields.status_code == 200
    assert 'name="q-children_count"' in fields.content.decode()
    assert Assessment.objects.get(pk=psy.pk).version == psy.version


def test_save_progress_and_complete_through_the_page(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.specialist, actors.home_org)
    url = _url("assessment", started.case_id, psy.pk)
    response = client.post(
        url, {"version": psy.version, "q-has_children": "yes", "q-children_count": "2", "save": "1"}
    )
    assert response.status_code == 302
    psy.refresh_from_db()
    assert psy.status == AssessmentStatus.IN_PROGRESS
    assert psy.answers == {"has_children": True, "children_count": 2}
    response = client.post(
        url,
        {
            "version": psy.version,
            "q-has_children": "yes",
            "q-children_count": "2",
            "s-need_level": "medium",
            "s-evidence": "interview",
            "complete": "1",
        },
    )
    assert response.status_code == 302
    psy.refresh_from_db()
    assert psy.status == AssessmentStatus.COMPLETED and psy.need_level == "medium"


def test_bad_answer_refused_naming_the_question_and_nothing_saved(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.specialist, actors.home_org)
    response = client.post(
        _url("assessment", started.case_id, psy.pk),
        {"version": psy.version, "q-has_children": "yes", "q-children_count": "lots", "save": "1"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Number of children: Enter a number." in body
    assert "Nothing was saved" in body
    fresh = Assessment.objects.get(pk=psy.pk)
    assert fresh.answers == {} and fresh.version == psy.version


def test_stale_save_shows_the_current_answers(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.specialist, actors.home_org)
    url = _url("assessment", started.case_id, psy.pk)
    client.post(url, {"version": psy.version, "q-housing": "shelter", "save": "1"})
    response = client.post(url, {"version": psy.version, "q-housing": "family", "save": "1"})
    assert response.status_code == 409
    assert "Someone changed this assessment" in response.content.decode()
    assert Assessment.objects.get(pk=psy.pk).answers == {"housing": "shelter"}


def test_others_may_not_fill_in_a_domain_they_are_not_assigned(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.case_manager, actors.home_org)
    url = _url("assessment", started.case_id, psy.pk)
    assert client.post(url, {"version": psy.version, "save": "1"}).status_code == 403
    assert client.post(_url("assessment_fields", started.case_id, psy.pk), {}).status_code == 403
    # The case manager reads it instead.
    page = client.get(url)
    assert page.status_code == 200 and 'name="q-has_children"' not in page.content.decode()


def test_specialist_reads_only_the_conclusion_of_other_domains(
    client: Client,
    login: Callable[..., Client],
    started: Any,
    actors: Any,
    acting: Callable[..., Any],
    lawyer: Any,
) -> None:
    legal = _assessment(started, "sample_legal")
    services.assessment_complete(
        acting=acting(lawyer, actors.home_org),
        case=started.case,
        assessment=legal,
        answers={"has_children": True, "children_count": 3},
        summary={"need_level": "urgent", "evidence": "court date set"},
        expected_version=legal.version,
    )
    login(client, actors.specialist, actors.home_org)
    body = client.get(_url("assessment", started.case_id, legal.pk)).content.decode()
    assert "Urgent" in body
    assert "court date set" not in body
    assert client.get(_url("print", started.case_id, legal.pk)).status_code == 403


def test_disagreement_through_the_page(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    sample = _assessment(started, "sample")
    login(client, actors.specialist, actors.home_org)
    url = _url("disagree", started.case_id, sample.pk)
    assert client.post(url, {"note": ""}).status_code == 422
    assert client.post(url, {"note": "The need is higher"}).status_code == 302
    assert sample.disagreements.get().member == actors.specialist
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.post(url, {"note": "x"}).status_code == 404


# ---------------------------------------------------------------- print, compare, round


def test_print_in_the_person_language(
    client: Client,
    login: Callable[..., Client],
    started: Any,
    actors: Any,
) -> None:
    from people.models import PersonLanguage

    PersonLanguage.objects.create(person=started.case.person, language="ru", is_mother_tongue=True)
    sample = _assessment(started, "sample")
    login(client, actors.case_manager, actors.home_org)
    response = client.get(_url("print", started.case_id, sample.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Пробная форма" in text
    assert AuditEntry.objects.filter(action="print", object_id=str(sample.pk)).exists()
    outsider = Client()
    login(outsider, actors.other_worker, actors.other_org)
    assert outsider.get(_url("print", started.case_id, sample.pk)).status_code == 404


def test_compare_rounds(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    login(client, actors.specialist, actors.home_org)
    response = client.get(_url("compare", started.case_id))
    assert response.status_code == 200
    assert "Round 1" in response.content.decode()
    outsider = Client()
    login(outsider, actors.other_worker, actors.other_org)
    assert outsider.get(_url("compare", started.case_id)).status_code == 404


def test_round_edit_own_view_and_problems(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    url = _url("round_edit", started.case_id, started.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": started.version,
            "own_view": "I want to work",
            "desired_situation": "A flat of my own",
            "problem_1": "No income",
            "problem_1_domain": "employment",
        },
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.get_plain("own_view") == "I want to work"
    missing_domain = client.post(
        url, {"version": started.version, "problem_1": "Debts", "problem_1_domain": ""}
    )
    assert missing_domain.status_code == 422
    specialist = Client()
    login(specialist, actors.specialist, actors.home_org)
    assert specialist.get(url).status_code == 403


def test_round_linked_to_the_formal_identification_of_the_case(
    client: Client,
    login: Callable[..., Client],
    team_case: Any,
    actors: Any,
    acting: Callable[..., Any],
    record_forms: Any,
) -> None:
    import datetime

    from cases.services import identification_transition

    decision = identification_transition(
        acting=acting(actors.supervisor, actors.home_org),
        case=team_case,
        to_status="potential",
        decided_on=datetime.date(2026, 3, 3),
        expected_version=team_case.version,
    )
    login(client, actors.case_manager, actors.home_org)
    response = client.post(
        _url("start", team_case.pk), {"identification_decision": str(decision.pk)}
    )
    assert response.status_code == 302
    assert ComprehensiveAssessment.objects.get(case=team_case).identification_decision == decision
    page = client.get(_url("case", team_case.pk)).content.decode()
    assert "Formal identification: Potential (presumed) victim on Mar\xa03,\xa02026" in page
