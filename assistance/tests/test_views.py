"""The pages: the case's Implementation section, the acknowledgement sheet, the monthly
report and the coordinator's inbox — allow and deny, forms with errors by field, stale
edits, and query counts that do not grow with the number of items."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance.models import ExpenditureReport, LedgerItem

pytestmark = pytest.mark.django_db


def test_implementation_section_allow_and_deny(
    client: Client, login: Any, actors: Any, funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    give(funded, "120", line=0, description="Winter food package")
    url = reverse("assistance:implementation", args=[funded.case.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(client, funded.case_manager, funded.organisation)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vocational course 1" in text
    assert "Winter food package" in text
    assert "spend-bar" in text and ">food_hygiene<" not in text
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get(url).status_code == 404
    coordinator = Client()
    login(coordinator, actors.coordinator, actors.coordinator_org)
    assert coordinator.get(url).status_code == 403


def test_ledger_form_refuses_over_the_cap_then_supervisor_overrides(
    client: Client, login: Any, funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    give(funded, "1200", line=0)
    give(funded, "700", line=1)
    url = reverse("assistance:ledger_add", args=[funded.case.pk])
    data = {
        "l-category": "medical",
        "l-given_on": "2026-11-20",
        "l-quantity": "1",
        "l-unit": "piece",
        "l-amount": "150",
        "l-currency": "GEL",
        "l-provision": "paid",
        "l-funding_source_name": "State Fund",
        "l-off_plan_reason": "Medicine after a relapse",
    }
    login(client, funded.case_manager, funded.organisation)
    refused = client.post(url, data)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "2,000.00" in text and "1,900.00" in text and "150.00" in text
    not_allowed = client.post(url, {**data, "l-cap_override_reason": "Urgent"})
    assert "Only a supervisor may let an item exceed the cap." in not_allowed.content.decode()
    assert LedgerItem.objects.filter(case=funded.case).count() == 2
    supervisor = Client()
    login(supervisor, funded.supervisor, funded.organisation)
    passed = supervisor.post(url, {**data, "l-cap_override_reason": "Urgent"})
    assert passed.status_code == 302
    assert LedgerItem.objects.filter(case=funded.case, cap_override_by=funded.supervisor).exists()


def test_stale_ledger_edit_shows_the_current_values(
    client: Client, login: Any, funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    item = give(funded, "100", line=0)
    url = reverse("assistance:ledger_edit", args=[funded.case.pk, item.pk])
    login(client, funded.case_manager, funded.organisation)
    form = client.get(url)
    assert form.status_code == 200 and 'value="100.00"' in form.content.decode()
    data = {
        "l-expected_version": "1",
        "l-category": "food_hygiene",
        "l-given_on": "2026-11-10",
        "l-quantity": "1",
        "l-unit": "package",
        "l-amount": "110",
        "l-currency": "GEL",
        "l-provision": "paid",
        "l-budget_line": str(funded.lines[0].pk),
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "l-amount": "5"}, follow=True)
    text = stale.content.decode()
    assert "Someone changed this record" in text and 'value="110.00"' in text
    assert LedgerItem.objects.get(pk=item.pk).amount == 110


def test_implementation_form_and_transition_through_the_page(
    client: Client, login: Any, funded_case: Any, pdf_upload: Any
) -> None:
    funded = funded_case()
    activity = funded.activities[0]
    login(client, funded.case_manager, funded.organisation)
    save = reverse("assistance:implementation_save", args=[funded.case.pk, activity.pk])
    bad = client.post(
        save,
        {
            f"i{activity.pk}-expected_version": "0",
            f"i{activity.pk}-actual_start": "2026-05-01",
            f"i{activity.pk}-actual_end": "2026-04-01",
        },
    )
    assert bad.status_code == 422
    assert "The end cannot be before the start." in bad.content.decode()
    ok = client.post(
        save,
        {
            f"i{activity.pk}-expected_version": "0",
            f"i{activity.pk}-actual_start": "2026-04-01",
            f"i{activity.pk}-actual_end": "2026-11-01",
            f"i{activity.pk}-result": "Works as a tailor",
            f"i{activity.pk}-delivered_by": "person",
            f"i{activity.pk}-value_reached": "4",
        },
    )
    assert ok.status_code == 302
    upload = client.post(
        reverse("assistance:evidence_upload", args=[funded.case.pk, activity.pk]),
        {f"e{activity.pk}-file": pdf_upload("certificate.pdf")},
    )
    assert upload.status_code == 302
    moved = client.post(
        reverse("assistance:transition", args=[funded.case.pk, activity.pk]),
        {
            f"t{activity.pk}-expected_version": str(activity.version),
            f"t{activity.pk}-status": "done",
        },
    )
    assert moved.status_code == 302
    page = client.get(reverse("assistance:implementation", args=[funded.case.pk])).content.decode()
    assert "Works as a tailor" in page and "certificate.pdf" in page
    stale = client.post(
        reverse("assistance:transition", args=[funded.case.pk, activity.pk]),
        {
            f"t{activity.pk}-expected_version": str(activity.version),
            f"t{activity.pk}-status": "in_progress",
        },
        follow=True,
    )
    assert "Someone changed this record" in stale.content.decode()


def test_implementation_section_query_count_is_constant(
    client: Client,
    login: Any,
    funded_case: Any,
    give: Any,
    acting: Any,
    pdf_upload: Any,
    django_assert_num_queries: Any,
) -> None:
    from assistance.services import evidence_add, ledger_acknowledge

    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    give(funded, "10", line=0)
    evidence_add(acting=worker, activity=funded.activities[0], upload=pdf_upload("first.pdf"))
    url = reverse("assistance:implementation", args=[funded.case.pk])
    login(client, funded.case_manager, funded.organisation)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 8):
        item = give(funded, "10", line=day % 2, on=datetime.date(2026, 11, day))
        ledger_acknowledge(
            acting=worker,
            item=item,
            expected_version=item.version,
            method="on_screen",
            acknowledged_on=datetime.date(2026, 11, day),
        )
    for activity in funded.activities:
        evidence_add(acting=worker, activity=activity, upload=pdf_upload("proof.pdf"))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('id="item-') == 8


def test_acknowledgement_sheet_prints_in_the_persons_language(
    client: Client, login: Any, actors: Any, funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    item = give(funded, "35", line=0, category="transport")
    login(client, funded.case_manager, funded.organisation)
    url = reverse("assistance:sheet", args=[funded.case.pk])
    by_item = client.get(url, {"item": item.pk, "language": "ka"})
    assert by_item.status_code == 200 and by_item.content.startswith(b"%PDF")
    period = client.get(url, {"start": "2026-11-01", "end": "2026-11-30", "language": "ka"})
    assert period.status_code == 200 and period.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(period.content)).pages[0].extract_text()
    assert "Tamar" in text
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get(url, {"item": item.pk, "language": "ka"}).status_code == 404


def test_monthly_report_page_submit_and_coordinator_inbox(
    client: Client, login: Any, actors: Any, funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    give(funded, "75", line=0)
    login(client, funded.case_manager, funded.organisation)
    url = reverse("assistance:monthly")
    page = client.get(url, {"month": "2026-11"})
    assert page.status_code == 200
    assert funded.case.code in page.content.decode()
    refused = client.post(url, {"month": "2026-11"})
    assert refused.status_code == 422
    assert client.post(url, {"month": "2026-11", "reviewed": "on"}).status_code == 302
    report = ExpenditureReport.objects.get(case_manager=funded.case_manager)
    for fmt in ("pdf", "csv", "xlsx"):
        exported = client.get(reverse("assistance:report_export", args=[report.pk, fmt]))
        assert exported.status_code == 200
    assert client.get(reverse("assistance:inbox")).status_code == 403

    coordinator = Client()
    login(coordinator, actors.coordinator, actors.coordinator_org)
    assert coordinator.get(url).status_code == 403
    inbox = coordinator.get(reverse("assistance:inbox"))
    assert reverse("assistance:received", args=[report.pk]) in inbox.content.decode()
    detail = coordinator.get(reverse("assistance:received", args=[report.pk]))
    text = detail.content.decode()
    person = funded.case.person
    assert funded.case.code in text
    for secret in (
        person.get_plain("given_name"),
        person.get_plain("family_name"),
        funded.case.number,
    ):
        assert secret not in text
    assert (
        coordinator.post(
            reverse("assistance:received", args=[report.pk]), {"expected_version": "1"}
        ).status_code
        == 302
    )
    assert ExpenditureReport.objects.get(pk=report.pk).status == "acknowledged"
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert (
        other.get(reverse("assistance:report_export", args=[report.pk, "pdf"])).status_code == 404
    )


def test_monthly_report_query_count_is_constant(
    client: Client, login: Any, funded_case: Any, give: Any, django_assert_num_queries: Any
) -> None:
    funded = funded_case()
    give(funded, "5", line=0)
    url = reverse("assistance:monthly")
    login(client, funded.case_manager, funded.organisation)
    client.get(url, {"month": "2026-11"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"month": "2026-11"})
    second = funded_case(given_name="Nana")
    for day in range(1, 6):
        give(funded, "5", line=0, on=datetime.date(2026, 11, day), category="rent")
        give(second, "5", line=1, on=datetime.date(2026, 11, day), category="clothing")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"month": "2026-11"})
    assert second.case.code in response.content.decode()


def test_tdh_print_shows_disbursements_by_part(
    client: Client, login: Any, funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    give(funded, "300", line=0)
    login(client, funded.case_manager, funded.organisation)
    response = client.get(
        reverse("plans:print", args=[funded.case.pk]), {"layout": "tdh", "language": "en"}
    )
    assert response.status_code == 200
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Part III" in text and "300.00" in text


def test_a_month_without_a_report_is_overdue_in_my_work_and_for_the_supervisor(
    client: Client, login: Any, funded_case: Any
) -> None:
    import time_machine

    from work.models import WorkItem, WorkItemKind

    funded = funded_case()
    item = WorkItem.objects.get(case=funded.case, kind=WorkItemKind.EXPENDITURE_REPORT)
    late = datetime.datetime.combine(item.due_on + datetime.timedelta(days=2), datetime.time(9))
    with time_machine.travel(late, tick=False):
        login(client, funded.case_manager, funded.organisation)
        mine = client.get(reverse("work:my_work")).content.decode()
        assert "Expenditure report" in mine and funded.case.code in mine and "Overdue" in mine
        supervisor = Client()
        login(supervisor, funded.supervisor, funded.organisation)
        team = supervisor.get(reverse("work:team")).content.decode()
        assert "Expenditure report" in team and funded.case.code in team
        month = late.date().replace(day=1).strftime("%Y-%m")
        client.post(reverse("assistance:monthly"), {"month": month, "reviewed": "on"})
        mine = client.get(reverse("work:my_work")).content.decode()
        assert funded.case.code not in mine
    item.refresh_from_db()
    assert item.done_on == late.date()
    assert ExpenditureReport.objects.filter(case_manager=funded.case_manager).count() == 1
