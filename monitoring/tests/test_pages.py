"""The monitoring pages: allow and deny, the forms end to end, constant query counts for the
section and the chart, and the printed trajectory in the person's language."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitoring.framework import current_framework
from monitoring.models import MonitoringContact, OutcomeMeasurement, PhaseTransition, Setback
from monitoring.services import (
    NoteInput,
    ScoreInput,
    contact_record,
    outcome_scores_record,
    setback_record,
)

pytestmark = pytest.mark.django_db


def _fill(case: Any, worker: Any, *, contacts: int) -> None:
    """``contacts`` contacts with notes, as many scorings and two setbacks."""
    start = datetime.date(2026, 1, 20)
    for index in range(contacts):
        day = start + datetime.timedelta(days=7 * index)
        contact_record(
            acting=worker,
            case=case,
            occurred_on=day,
            mode="home_visit",
            participants="Olena",
            notes={"family": NoteInput("Good contact", 4), "health": NoteInput("Fine", 3)},
        )
        outcome_scores_record(
            acting=worker,
            case=case,
            occasion="baseline" if index == 0 else "review",
            taken_on=day,
            scores={d.code: ScoreInput(1 + (index % 5), 2) for d in current_framework().domains},
        )
    for day in (start, start + datetime.timedelta(days=3)):
        setback_record(
            acting=worker,
            case=case,
            occurred_on=day,
            triggers=["family_conflict", "stigma"],
            severity="moderate",
            description="Argument at home",
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["monitoring:case", "monitoring:trajectory"])
def test_section_and_chart_query_counts_do_not_grow_with_contacts(
    client: Client,
    login: Any,
    actors: Any,
    make_case: Any,
    acting: Any,
    django_assert_num_queries: Any,
    page: str,
) -> None:
    from django.urls import reverse

    worker = acting(actors.case_manager, actors.home_org)
    few, many = make_case(given_name="Ana"), make_case(given_name="Maria")
    _fill(few, worker, contacts=1)
    _fill(many, worker, contacts=15)
    login(client, actors.case_manager, actors.home_org)
    client.get(reverse(page, args=[few.pk]))  # the first request of a session does more
    baseline = _queries(client, reverse(page, args=[few.pk]))
    with django_assert_num_queries(baseline):
        response = client.get(reverse(page, args=[many.pk]))
    assert response.status_code == 200
    assert MonitoringContact.objects.filter(case=many).count() == 15


def test_section_allow_and_deny(
    client: Client, login: Any, actors: Any, make_case: Any, acting: Any
) -> None:
    case = make_case()
    _fill(case, acting(actors.case_manager, actors.home_org), contacts=2)
    url = f"/monitoring/cases/{case.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get(url).status_code == 403
    client.logout()
    login(client, actors.case_manager, actors.home_org)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Contacts and visits" in body and "<svg" in body
    assert "Family relationships (4)" in body
    assert "Argument at home" in body and "Family conflict" in body
    assert "family_conflict" not in body.replace('data-domain="', "")


def test_phase_transition_through_the_page(
    client: Client, login: Any, albania: Any, make_case: Any
) -> None:
    case = make_case(
        organisation=albania.organisation,
        supervisor=albania.supervisor,
        case_manager=albania.case_manager,
        received=datetime.date(2026, 1, 10),
    )
    login(client, albania.case_manager, albania.organisation)
    url = f"/monitoring/cases/{case.pk}/phase/"
    refused = client.post(url, {"phase": "inclusion", "started_on": "2026-02-01"})
    assert refused.status_code == 422
    assert "give the reason" in refused.content.decode()
    assert not PhaseTransition.objects.filter(case=case).exists()
    done = client.post(url, {"phase": "stabilisation", "started_on": "2026-02-01"}, follow=True)
    assert done.status_code == 200
    body = done.content.decode()
    assert "Consider a re-assessment now" in body
    assert "Stabilisation" in body
    listed = client.get("/cases/").content.decode()
    assert "Stabilisation" in listed


def test_contact_scores_and_setback_forms(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    base = f"/monitoring/cases/{case.pk}"
    assert client.get(f"{base}/contacts/new/?report=study_visit").status_code == 200
    posted = client.post(
        f"{base}/contacts/new/",
        {
            "report": "long_term",
            "occurred_on": "2026-02-01",
            "mode": "home_visit",
            "purpose": "monitoring",
            "participants": "Olena",
            "note_family": "Talks to her mother every day",
            "rating_family": "4",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    contact = MonitoringContact.objects.get(case=case)
    assert contact.notes.get().rating == 4
    read = client.get(f"{base}/contacts/{contact.pk}/").content.decode()
    assert "Talks to her mother every day" in read
    bad = client.post(f"{base}/contacts/new/", {"report": "long_term", "mode": "home_visit"})
    assert bad.status_code == 422
    assert client.get(f"{base}/outcomes/new/").status_code == 200
    scored = client.post(
        f"{base}/outcomes/new/",
        {
            "occasion": "baseline",
            "taken_on": "2026-02-01",
            "worker_employment": "2",
            "person_employment": "3",
        },
    )
    assert scored.status_code == 302
    assert OutcomeMeasurement.objects.get(case=case).scores.get().person_score == 3
    setback = client.post(
        f"{base}/setbacks/new/",
        {
            "occurred_on": "2026-02-10",
            "triggers": ["job_loss"],
            "severity": "high",
            "description": "Lost her job",
            "response": "Referred to the employment office",
        },
    )
    assert setback.status_code == 302
    assert Setback.objects.get(case=case).triggers.get().trigger == "job_loss"


def test_forms_deny_other_organisation(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case()
    login(client, actors.other_worker, actors.other_org)
    base = f"/monitoring/cases/{case.pk}"
    for path in ("/contacts/new/", "/outcomes/new/", "/setbacks/new/", "/outcomes/"):
        assert client.get(base + path).status_code == 404
    assert client.post(base + "/phase/", {"phase": "crisis"}).status_code == 404


def test_printed_trajectory_names_every_domain_in_the_persons_language(
    client: Client, login: Any, actors: Any, make_case: Any, acting: Any
) -> None:
    from pypdf import PdfReader

    from audit.models import AuditEntry

    case = make_case(languages=("ro",))
    _fill(case, acting(actors.case_manager, actors.home_org), contacts=3)
    login(client, actors.case_manager, actors.home_org)
    response = client.get(f"/monitoring/cases/{case.pk}/outcomes/print/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    for domain in current_framework().domains:
        assert domain.label.ro in flat, domain.label.ro
    assert "Rezultatele (re)integrării" in flat
    assert AuditEntry.objects.filter(action="print", case_id=case.pk).exists()
    api = client.get(f"/api/v1/cases/{case.pk}/monitoring/outcomes/print?lang=ka")
    assert api.status_code == 200 and api.content.startswith(b"%PDF")


def test_work_queue_fragments(client: Client, login: Any, actors: Any, make_case: Any) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    assert case.code in client.get("/monitoring/next-contacts/").content.decode()
    assert client.get("/monitoring/overdue-by-worker/").status_code == 403
    client.logout()
    login(client, actors.supervisor, actors.home_org)
    assert "Cara Tester" in client.get("/monitoring/overdue-by-worker/").content.decode()
