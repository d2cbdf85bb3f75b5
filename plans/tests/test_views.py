"""Plan pages: allow and deny for every view, htmx partial answers, errors by field, the
approver's page without identity, constant query counts on lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Objective, Plan
from plans.services import plan_submit

pytestmark = pytest.mark.django_db


def _start(client: Client, case: Any) -> Plan:
    response = client.post(reverse("plans:plan", args=[case.pk]))
    assert response.status_code == 302
    return Plan.objects.get(case=case)


def test_plan_page_allow_and_deny(client: Client, login: Any, actors: Any, open_case: Any) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    page = client.get(reverse("plans:plan", args=[case.pk]))
    assert page.status_code == 200 and b"Start the plan" in page.content
    _start(client, case)
    page = client.get(reverse("plans:plan", args=[case.pk]))
    assert page.status_code == 200 and b"Add an objective" in page.content
    for user, organisation, status in (
        (actors.other_worker, actors.other_org, 404),
        (actors.specialist, actors.home_org, 404),
        (actors.coordinator, actors.coordinator_org, 403),
        (actors.analyst, actors.coordinator_org, 403),
    ):
        other = Client()
        login(other, user, organisation)
        assert other.get(reverse("plans:plan", args=[case.pk])).status_code == status


def test_objective_and_activity_added_in_place_with_htmx(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    plan = _start(client, case)
    response = client.post(
        reverse("plans:objective_create", args=[case.pk]),
        {"o-domain": "employment", "o-priority": "necessary", "o-title": "Steady job"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<html" not in response.content and b"Steady job" in response.content
    objective = Objective.objects.get(plan=plan)
    response = client.post(
        reverse("plans:activity_create", args=[case.pk, objective.pk]),
        {
            f"a{objective.pk}-description": "Visit the job centre",
            f"a{objective.pk}-responsible_kind": "staff",
            f"a{objective.pk}-responsible_user": actors.case_manager.pk,
            f"a{objective.pk}-due_on": "2026-05-01",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"Visit the job centre" in response.content


def test_errors_name_the_field_and_change_nothing(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    plan = _start(client, case)
    client.post(
        reverse("plans:objective_create", args=[case.pk]),
        {"o-domain": "employment", "o-priority": "necessary", "o-title": "Job"},
    )
    objective = Objective.objects.get(plan=plan)
    response = client.post(
        reverse("plans:activity_create", args=[case.pk, objective.pk]),
        {
            f"a{objective.pk}-description": "Course",
            f"a{objective.pk}-responsible_kind": "family_member",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"Name the family member responsible." in response.content
    assert not objective.activities.exists()


def test_other_organisation_cannot_post(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    _start(client, case)
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    response = other.post(
        reverse("plans:objective_create", args=[case.pk]),
        {"o-domain": "employment", "o-priority": "necessary", "o-title": "x"},
    )
    assert response.status_code == 404
    assert not Objective.objects.exists()


def test_submit_over_cap_shows_total_and_cap(
    client: Client, login: Any, ge_ngo: Any, open_case: Any, build_plan: Any
) -> None:
    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        written=True,
        identified=True,
    )
    plan = build_plan(case, by=ge_ngo.case_manager, amounts=(("2500", "necessary"),))
    login(client, ge_ngo.case_manager, ge_ngo.organisation)
    response = client.post(
        reverse("plans:submit", args=[case.pk]),
        {"expected_version": plan.version},
        HTTP_HX_REQUEST="true",
    )
    assert (
        "GEL\xa02,500.00".encode() in response.content
        and "GEL\xa02,000.00".encode() in response.content
    )
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def test_approval_page_shows_no_identity_and_records_decision(
    client: Client,
    login: Any,
    actors: Any,
    ge_ngo: Any,
    open_case: Any,
    build_plan: Any,
    acting: Any,
) -> None:
    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        written=True,
        identified=True,
        given_name="Nino",
        family_name="Kapanadze",
    )
    plan = build_plan(case, by=ge_ngo.case_manager)
    plan = plan_submit(
        acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
        plan=plan,
        expected_version=plan.version,
    )
    login(client, actors.coordinator, actors.coordinator_org)
    listing = client.get(reverse("plans:approvals"))
    assert listing.status_code == 200 and case.code.encode() in listing.content
    page = client.get(reverse("plans:approval", args=[plan.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for identifying in ("Nino", "Kapanadze", case.number, "1998"):
        assert identifying not in text
    assert "25-34" in text and "Objective 1" in text and "GEL\xa01,200.00" in text
    response = client.post(
        reverse("plans:approval", args=[plan.pk]),
        {"expected_version": plan.version, "decision": "returned", "comment": "Add a job search"},
    )
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == "returned"
    # Deny: the owning NGO's worker has no approval page; a case worker elsewhere neither.
    worker = Client()
    login(worker, actors.case_manager, actors.home_org)
    assert worker.get(reverse("plans:approvals")).status_code == 403
    assert worker.get(reverse("plans:approval", args=[plan.pk])).status_code == 403


def test_approvals_list_query_count_is_constant(
    client: Client,
    login: Any,
    actors: Any,
    ge_ngo: Any,
    open_case: Any,
    build_plan: Any,
    acting: Any,
    django_assert_num_queries: Any,
) -> None:
    def submitted(name: str) -> None:
        case = open_case(
            organisation=ge_ngo.organisation,
            supervisor=ge_ngo.supervisor,
            case_manager=ge_ngo.case_manager,
            written=True,
            identified=True,
            given_name=name,
        )
        plan = build_plan(case, by=ge_ngo.case_manager)
        plan_submit(
            acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
            plan=plan,
            expected_version=plan.version,
        )

    submitted("Eka")
    login(client, actors.coordinator, actors.coordinator_org)
    client.get(reverse("plans:approvals"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans:approvals"))
    for name in ("Lika", "Mzia", "Tea"):
        submitted(name)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("plans:approvals"))
    assert response.content.count(b"/plans/approvals/") >= 4


def test_diff_print_and_scan_views(
    client: Client,
    login: Any,
    actors: Any,
    open_case: Any,
    build_plan: Any,
    acting: Any,
    pdf_upload: Any,
) -> None:
    from plans.services import signature_record_paper

    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    signature = signature_record_paper(
        acting=manager,
        plan=plan,
        role="person",
        signer_name="Olena Petrenko",
        signed_on=datetime.date(2026, 4, 2),
        upload=pdf_upload(),
    )
    login(client, actors.case_manager, actors.home_org)
    page = client.get(reverse("plans:plan", args=[case.pk]))
    assert b"Olena Petrenko" in page.content and b"Still needed:" in page.content
    pdf = client.get(reverse("plans:print", args=[case.pk]), {"layout": "tdh", "language": "ro"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    scan = client.get(reverse("plans:signature_scan", args=[case.pk, signature.pk]))
    assert scan.status_code == 200 and scan.content.startswith(b"%PDF")
    diff = client.get(reverse("plans:diff", args=[case.pk]))
    assert diff.status_code == 200
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    for url in (
        reverse("plans:print", args=[case.pk]) + "?layout=nrs&language=en",
        reverse("plans:signature_scan", args=[case.pk, signature.pk]),
        reverse("plans:diff", args=[case.pk]),
    ):
        assert other.get(url).status_code == 404


def test_settings_page_allow_and_deny(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.org_admin, actors.home_org)
    assert client.get(reverse("plans:settings")).status_code == 200
    response = client.post(reverse("plans:settings"), {"version": 1, "layout": "undp"})
    assert response.status_code == 302
    from plans.selectors import layout_for

    assert layout_for(actors.home_org) == "undp"
    worker = Client()
    login(worker, actors.case_manager, actors.home_org)
    assert worker.get(reverse("plans:settings")).status_code == 403


def test_modification_through_the_pages_and_diff(
    client: Client, login: Any, open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    login(client, actors.case_manager, actors.home_org)
    objective = Objective.objects.get(plan=plan)
    activity = objective.activities.get()
    # Approved (md-nrs names no approver): no edit in place.
    refused = client.post(
        reverse("plans:activity_edit", args=[case.pk, activity.pk]),
        {f"d{activity.pk}-expected_version": activity.version},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    response = client.post(
        reverse("plans:modification", args=[case.pk]),
        {
            "m-expected_version": plan.version,
            "m-reason": "Course postponed",
            "m-anticipated_result": "Finished by October",
            "m-requested_by": "provider",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    response = client.post(
        reverse("plans:activity_edit", args=[case.pk, activity.pk]),
        {
            f"d{activity.pk}-expected_version": activity.version,
            f"d{activity.pk}-description": "Vocational course 1",
            f"d{activity.pk}-responsible_kind": "person",
            f"d{activity.pk}-starts_on": "2026-04-01",
            f"d{activity.pk}-due_on": "2026-10-31",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"2026-10-31" in response.content
    objective.refresh_from_db()
    response = client.post(
        reverse("plans:objective_edit", args=[case.pk, objective.pk]),
        {
            f"e{objective.pk}-expected_version": objective.version,
            f"e{objective.pk}-domain": "employment",
            f"e{objective.pk}-priority": "necessary",
            f"e{objective.pk}-title": "Objective 1 (autumn)",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"Objective 1 (autumn)" in response.content
    diff = client.get(reverse("plans:diff", args=[case.pk]), {"from": 1})
    text = diff.content.decode()
    assert "Jun 30, 2026" in text and "Oct 31, 2026" in text and "Objective 1 (autumn)" in text
