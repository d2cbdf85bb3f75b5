"""The referral pages: allow and deny for every page; the recipient's page shows exactly the
shared sections; the preview shows what will leave before anything does."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from cases.tests.conftest import PDF
from consent.models import Consent
from referrals.models import CaseTransfer, Referral, UnmetNeed
from referrals.tests.conftest import DOCUMENT_NAME, NOTE_TEXT, TRAFFICKER
from referrals.tests.test_api import ALL_SECTIONS, MARKERS

pytestmark = pytest.mark.django_db


def _form(actors: Any, sections: list[str], action: str) -> dict[str, Any]:
    return {
        "previewed": ",".join(sorted(sections)),
        "recipient": actors.other_org.pk,
        "category": "vocational_training",
        "purpose": "Hairdressing course",
        "urgency": "routine",
        "sections": sections,
        "options_offered": "Course or apprenticeship",
        "chosen_by_person": "on",
        "action": action,
    }


def test_preview_then_send(client: Client, login: Any, actors: Any, shared_case: Any) -> None:
    login(client, actors.case_manager, actors.home_org)
    url = reverse("referrals:new", args=[shared_case.pk])
    assert client.get(url).status_code == 200
    nothing = client.post(url, _form(actors, [], "preview"))
    assert b"Choose at least one section" in nothing.content
    preview = client.post(url, _form(actors, ["notes"], "preview"))
    assert preview.status_code == 200
    assert NOTE_TEXT.encode() in preview.content and b"shelter tonight" not in preview.content
    assert not Referral.objects.exists()
    changed = client.post(url, {**_form(actors, ["notes"], "send"), "previewed": "needs"})
    assert b"changed since the preview" in changed.content and not Referral.objects.exists()
    assert NOTE_TEXT.encode() in changed.content
    sent = client.post(url, _form(actors, ["notes"], "send"))
    referral = Referral.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("referrals:detail", args=[shared_case.pk, referral.pk])
    assert referral.chosen_by_person
    # A second referral for the same service is warned about.
    again = client.post(url, _form(actors, ["notes"], "preview"))
    assert b"overlap-warning" in again.content and b"Other NGO" in again.content
    page = client.get(reverse("referrals:case", args=[shared_case.pk]))
    assert page.status_code == 200 and b"Other NGO" in page.content
    detail = client.get(sent["Location"])
    assert detail.status_code == 200 and b"Course or apprenticeship" in detail.content


def test_send_without_consent_names_the_gap(
    client: Client, login: Any, actors: Any, managed_case: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    response = client.post(
        reverse("referrals:new", args=[managed_case.pk]), _form(actors, ["needs"], "send")
    )
    assert response.status_code == 403
    assert b"no current consent" in response.content
    assert not Referral.objects.exists()


def test_referral_pages_denied_outside_the_case(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any]
) -> None:
    referral = send(shared_case, ["needs"])
    login(client, actors.other_worker, actors.other_org)
    for url in (
        reverse("referrals:case", args=[shared_case.pk]),
        reverse("referrals:new", args=[shared_case.pk]),
        reverse("referrals:detail", args=[shared_case.pk, referral.pk]),
        reverse("referrals:sheet", args=[shared_case.pk, referral.pk]),
        reverse("referrals:transfer_new", args=[shared_case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    login(client, actors.coordinator, actors.coordinator_org)
    assert client.get(reverse("referrals:inbox")).status_code == 403
    assert client.get(reverse("referrals:case", args=[shared_case.pk])).status_code == 403


@pytest.mark.parametrize(
    "sections",
    [["summary"], ["needs"], ["contact", "profile"], ["notes", "documents"], ALL_SECTIONS],
)
def test_recipient_page_shows_exactly_the_shared_sections(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    sections: list[str],
) -> None:
    referral = send(shared_case, sections)
    document = shared_case.documents.get()
    login(client, actors.other_worker, actors.other_org)
    inbox = client.get(reverse("referrals:inbox"))
    assert shared_case.code.encode() in inbox.content
    page = client.get(reverse("referrals:received", args=[referral.pk]))
    assert page.status_code == 200
    for section in ALL_SECTIONS:
        assert (f'data-section="{section}"'.encode() in page.content) == (section in sections)
    # The page shows the code list's label where the API returns the code.
    for section, marker in {**MARKERS, "profile": b"Forced labour"}.items():
        assert (marker in page.content) == (section in sections), section
    assert TRAFFICKER.encode() not in page.content
    download = client.get(reverse("referrals:received_document", args=[referral.pk, document.pk]))
    assert download.status_code == (200 if "documents" in sections else 404)
    if "documents" in sections:
        assert download.content == PDF and DOCUMENT_NAME.encode() in page.content
    assert AuditEntry.objects.filter(
        action="view", actor=actors.other_worker, case_id=shared_case.pk
    ).exists()


def test_recipient_page_denied_to_others_and_after_withdrawal(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    home: Any,
    make_user: Any,
) -> None:
    from consent.services import consent_withdraw

    referral = send(shared_case, ["needs"])
    url = reverse("referrals:received", args=[referral.pk])
    login(client, actors.case_manager, actors.home_org)
    assert client.get(url).status_code == 404
    login(client, make_user("amy_other_analyst", actors.other_org, Role.ANALYST), actors.other_org)
    assert client.get(url).status_code == 403
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 200
    consent = Consent.objects.get(case=shared_case, purpose="sharing")
    consent_withdraw(
        acting=home,
        case=shared_case,
        consent=consent,
        withdrawn_on=timezone.localdate(),
        expected_version=consent.version,
    )
    assert client.get(url).status_code == 404


def test_recipient_declines_on_the_page(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    settings: Any,
    make_user: Callable[..., Any],
) -> None:
    # The counts pass through small-cell suppression (reports.gaps); k = 1 shows the one entry.
    settings.REINTEGRA_STATS_MIN_CELL = 1
    referral = send(shared_case, ["needs"])
    login(client, actors.other_worker, actors.other_org)
    url = reverse("referrals:received", args=[referral.pk])
    missing = client.post(url, {"status": "declined", "version": referral.version})
    assert missing.status_code == 422 and b"Choose the reason" in missing.content
    done = client.post(url, {"status": "declined", "reason": "cost", "version": referral.version})
    assert done.status_code == 302
    assert UnmetNeed.objects.get().reason == "cost"
    # A coordinator of the case's country (the fund of the shared actors is in another).
    login(client, make_user("nadia_coordinator", actors.home_org, "coordinator"), actors.home_org)
    gaps = client.get(reverse("referrals:gaps"))
    assert gaps.status_code == 200
    assert b"<td>Vocational training</td><td>Cost</td><td>MD</td>" in gaps.content
    assert b"<td>1</td>" in gaps.content
    assert b"Petrenko" not in gaps.content and shared_case.code.encode() not in gaps.content
    login(client, actors.case_manager, actors.home_org)
    assert client.get(reverse("referrals:gaps")).status_code == 403


def test_unmet_need_page(client: Client, login: Any, actors: Any, shared_case: Any) -> None:
    url = reverse("referrals:unmet_add", args=[shared_case.pk])
    login(client, actors.case_manager, actors.home_org)
    bad = client.post(url, {"category": "legal_aid", "reason": "other"})
    assert bad.status_code == 422 and b"Say what the reason was" in bad.content
    ok = client.post(url, {"category": "legal_aid", "reason": "other", "note": "No lawyer"})
    assert ok.status_code == 302 and UnmetNeed.objects.count() == 1
    login(client, actors.other_worker, actors.other_org)
    assert client.post(url, {"category": "legal_aid", "reason": "cost"}).status_code == 404


def test_transfer_pages(
    client: Client, login: Any, actors: Any, shared_case: Any, make_user: Any
) -> None:
    rita = make_user("rita_other_supervisor", actors.other_org, Role.SUPERVISOR)
    login(client, actors.case_manager, actors.home_org)
    url = reverse("referrals:transfer_new", args=[shared_case.pk])
    empty = client.post(url, {"to_organisation": actors.other_org.pk, "handover_note": ""})
    assert empty.status_code == 422
    client.post(url, {"to_organisation": actors.other_org.pk, "handover_note": "Moving"})
    transfer = CaseTransfer.objects.get()
    decide = reverse("referrals:transfer_decide", args=[transfer.pk])
    assert client.post(decide, {"accept": "yes"}).status_code == 404
    login(client, actors.other_worker, actors.other_org)
    assert client.post(decide, {"accept": "yes"}).status_code == 403
    login(client, rita, actors.other_org)
    listing = client.get(reverse("referrals:transfers"))
    assert b"Moving" in listing.content
    seen = AuditEntry.objects.filter(action="view", actor=rita, object_id=str(transfer.pk))
    assert [entry.fields for entry in seen] == [["handover_note"]]
    accepted = client.post(decide, {"accept": "yes"})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("cases:detail", args=[shared_case.pk])
    assert client.get(accepted["Location"]).status_code == 200
    records = reverse("referrals:retained", args=[transfer.pk])
    assert client.get(records).status_code == 404
    login(client, actors.supervisor, actors.home_org)
    assert client.get(reverse("cases:detail", args=[shared_case.pk])).status_code == 404
    page = client.get(records)
    assert page.status_code == 200 and NOTE_TEXT.encode() in page.content
    document = transfer.retained_documents.get()
    download = client.get(reverse("referrals:retained_document", args=[transfer.pk, document.pk]))
    assert download.status_code == 200 and download.content == PDF


def test_sheet_page_is_a_logged_pdf(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any]
) -> None:
    referral = send(shared_case, ["needs"])
    login(client, actors.case_manager, actors.home_org)
    response = client.get(reverse("referrals:sheet", args=[shared_case.pk, referral.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="print", case_id=shared_case.pk).exists()


def test_list_pages_have_constant_query_counts(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    send(shared_case, ["needs"])
    for user, org, name in (
        (actors.other_worker, actors.other_org, "referrals:inbox"),
        (actors.case_manager, actors.home_org, "referrals:outbox"),
    ):
        login(client, user, org)
        client.get(reverse(name))  # the first request of a session also refreshes the session
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name))
        for _ in range(4):
            send(shared_case, ["needs"])
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(reverse(name))
        assert response.content.count(shared_case.code.encode()) >= 5


def test_form_lists_only_services_that_would_take_the_person(
    client: Client, login: Any, actors: Any, shared_case: Any, make_service: Any
) -> None:
    make_service(actors.other_org, name="Course for women", sexes=["female"], age_min=18)
    make_service(actors.other_org, name="Course for boys", sexes=["male"], age_max=17)
    make_service(actors.home_org, name="Our own course")
    login(client, actors.case_manager, actors.home_org)
    page = client.get(reverse("referrals:new", args=[shared_case.pk]))
    assert b"Course for women" in page.content
    assert b"Course for boys" not in page.content
    assert b"Our own course" not in page.content


def test_case_page_has_constant_query_count(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    home: Any,
    django_assert_num_queries: Any,
) -> None:
    from referrals.services import unmet_need_record

    def one_of_each() -> None:
        send(shared_case, ["needs"])
        unmet_need_record(
            acting=home, case=shared_case, category="legal_aid", reason="cost", source="case_worker"
        )

    one_of_each()
    login(client, actors.case_manager, actors.home_org)
    url = reverse("referrals:case", args=[shared_case.pk])
    client.get(url)  # the first request of a session also refreshes the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        one_of_each()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.count(b"Other NGO") >= 5


def test_sender_records_the_answer_of_a_recipient_not_on_the_system(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any], home: Any
) -> None:
    from accounts.models import Organisation
    from consent.services import consent_record

    hospital = Organisation.objects.create(
        name="District Hospital", type="health", country="MD", case_prefix="HSP"
    )
    consent_record(
        acting=home,
        case=shared_case,
        purpose="sharing",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
        recipient=hospital,
    )
    # A medical examination or test needs its own consent (SPEC C3; 003 §4.2).
    consent_record(
        acting=home,
        case=shared_case,
        purpose="medical",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
    )
    referral = send(shared_case, ["needs"], recipient=hospital, category="medical")
    on_system = send(shared_case, ["needs"])
    login(client, actors.case_manager, actors.home_org)
    url = reverse("referrals:detail", args=[shared_case.pk, referral.pk])
    page = client.get(url)
    assert b"not on the system" in page.content and b"Save the answer" in page.content
    answered = client.post(
        url, {"status": "declined", "reason": "not_available", "version": referral.version}
    )
    assert answered.status_code == 302
    assert UnmetNeed.objects.get().referral_id == referral.pk
    other_url = reverse("referrals:detail", args=[shared_case.pk, on_system.pk])
    assert b"Save the answer" not in client.get(other_url).content
    refused = client.post(other_url, {"status": "accepted", "version": on_system.version})
    assert refused.status_code == 403


def test_overdue_answer_is_marked_in_both_lists(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any]
) -> None:
    referral = send(shared_case, ["needs"])
    Referral.objects.filter(pk=referral.pk).update(
        respond_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    fresh = send(shared_case, ["needs"])
    for user, org, name in (
        (actors.other_worker, actors.other_org, "referrals:inbox"),
        (actors.case_manager, actors.home_org, "referrals:outbox"),
    ):
        login(client, user, org)
        content = client.get(reverse(name)).content
        assert content.count(b"overdue") == 1, name
    assert fresh.respond_by >= timezone.localdate()
