"""Notes, documents, person details and the trafficking profile through the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import CaseDocument, CaseNote, TraffickingProfile
from cases.tests.conftest import PDF
from people.models import IdentityDocument, Person, RelatedPerson

pytestmark = pytest.mark.django_db


def test_note_is_stored_encrypted_and_shown(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:notes", args=[case.pk])
    response = client.post(
        url,
        {
            "kind": "visit",
            "occurred_at": "2026-03-02T10:00",
            "text": "Visited at the shelter",
            "participants": "mother",
        },
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert b"Visited" not in bytes(note.text_enc or b"")
    assert "Visited at the shelter" in client.get(url).content.decode()
    response = client.post(url, {"kind": "visit", "occurred_at": "2026-03-02T10:00", "text": ""})
    assert response.status_code == 200 and CaseNote.objects.count() == 1


def test_note_saved_with_htmx_answers_with_the_notes_section(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    """One round trip: the answer is the section, not a redirect and a full page."""
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:notes", args=[case.pk])
    response = client.post(
        url,
        {"kind": "visit", "occurred_at": "2026-03-02T10:00", "text": "Phone call, all well"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="notes-body">') and "<html" not in body
    assert "Note saved." in body and "Phone call, all well" in body
    refused = client.post(url, {"kind": "visit", "text": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert CaseNote.objects.count() == 1
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert (
        other.post(url, {"kind": "visit", "text": "x"}, HTTP_HX_REQUEST="true").status_code == 404
    )


def test_document_upload_download_is_audited(
    client: Client, login: Any, actors: Any, case: Any, settings: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:documents", args=[case.pk])
    upload = SimpleUploadedFile("referral.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(
            url, {"item": "referral_report", "received_on": "2026-03-01", "file": upload}
        ).status_code
        == 302
    )
    document = CaseDocument.objects.get()
    stored = (settings.MEDIA_ROOT / document.file).read_bytes()
    assert b"%PDF" not in stored
    response = client.get(reverse("cases:document_download", args=[case.pk, document.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(action="download", case_id=case.pk).count() == 1
    login(client, actors.other_worker, actors.other_org)
    assert (
        client.get(reverse("cases:document_download", args=[case.pk, document.pk])).status_code
        == 404
    )


def test_refused_file_type_names_the_field(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    upload = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("cases:documents", args=[case.pk]),
        {"item": "other", "received_on": "2026-03-01", "file": upload},
    )
    assert response.status_code == 200
    assert "Upload a PDF, JPEG or PNG file." in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_person_edit_with_optimistic_locking(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:person_edit", args=[case.pk])
    data = {
        "version": 1,
        "given_name": "Olena",
        "family_name": "Kovalenko",
        "sex": "female",
        "citizenships": "UA",
        "languages": "uk, ru",
        "aliases": "Lena",
    }
    assert client.post(url, data).status_code == 302
    person = Person.objects.get(pk=case.person_id)
    assert person.get_plain("family_name") == "Kovalenko"
    assert person.version == 2
    data["family_name"] = "Stale"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "Kovalenko" in response.content.decode()
    assert Person.objects.get(pk=case.person_id).get_plain("family_name") == "Kovalenko"


def test_identity_document_and_relative(client: Client, login: Any, actors: Any, case: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    response = client.post(
        reverse("cases:identity_document_add", args=[case.pk]),
        {"kind": "passport", "number": "FA123456", "issuing_country": "UA"},
    )
    assert response.status_code == 302
    assert b"FA123456" not in bytes(IdentityDocument.objects.get().number_enc or b"")
    response = client.post(
        reverse("cases:related_person_add", args=[case.pk]),
        {
            "relationship": "child",
            "name": "Sofia",
            "is_dependant": "on",
            "dependant_needs": "kindergarten",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:person", args=[case.pk])).content.decode()
    assert "FA123456" in page and "Sofia" in page and "kindergarten" in page
    assert RelatedPerson.objects.get().is_dependant


def test_profile_edit(client: Client, login: Any, actors: Any, case: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:profile_edit", args=[case.pk])
    data = {
        "version": 1,
        "exploitation": ["ForcedLabour"],
        "control": ["DebtBondage", "WithholdsDocuments"],
        "recruitment": ["ThroughFriendsOrSocialEvents"],
        "recruitment_country": "md",
        "exploitation_country": "RU, TR",
        "traffickers": "Vasile, owner of the farm",
        "criminal_proceedings": "investigation",
        "compensation": "none",
        "role_in_proceedings": "witness",
    }
    assert client.post(url, data).status_code == 302
    profile = TraffickingProfile.objects.get(case=case)
    assert profile.recruitment_country == "MD"
    assert sorted(c.code for c in profile.codes.filter(list="exploitation_country")) == ["RU", "TR"]
    assert b"Vasile" not in bytes(profile.traffickers_enc or b"")
    page = client.get(reverse("cases:profile", args=[case.pk])).content.decode()
    assert "Debt bondage" in page and "Vasile" in page
    case.refresh_from_db()
    assert case.in_proceedings
    data["exploitation_country"] = "Russia"
    response = client.post(url, {**data, "version": 2})
    assert response.status_code == 200
    assert "is not a value of this list" in response.content.decode()


@pytest.mark.parametrize("kind", ["consent", "decision", "authority"])
def test_scans_download_audited_and_hidden_from_other_organisations(
    client: Client, login: Any, actors: Any, case: Any, acting: Any, pdf_upload: Any, kind: str
) -> None:
    import datetime

    from cases.services import identification_transition
    from consent.services import consent_record
    from people.services import related_person_add

    supervisor = acting(actors.supervisor, actors.home_org)
    if kind == "consent":
        row: Any = consent_record(
            acting=supervisor,
            case=case,
            purpose="assistance",
            given_by="person",
            method="signed_paper",
            given_on=datetime.date(2026, 3, 1),
            document=pdf_upload(),
        )
    elif kind == "decision":
        identification_transition(
            acting=supervisor,
            case=case,
            to_status="potential",
            decided_on=datetime.date(2026, 3, 1),
            decision_document=pdf_upload(),
            expected_version=case.version,
        )
        row = case.identification_decisions.get()
    else:
        row = related_person_add(
            acting_user=actors.supervisor,
            organisation=actors.home_org,
            case_id=case.pk,
            person=case.person,
            relationship="guardian",
            name="G",
            is_legal_representative=True,
            authority_document="court_order",
            authority_upload=pdf_upload(),
        )
    url = reverse("cases:attachment_download", args=[case.pk, kind, row.pk])
    login(client, actors.supervisor, actors.home_org)
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="download", case_id=case.pk).count() == 1
    assert client.get(f"/api/v1/cases/{case.pk}/attachments/{kind}/{row.pk}").content == PDF
    assert (
        client.get(
            reverse("cases:attachment_download", args=[case.pk, "nonsense", row.pk])
        ).status_code
        == 404
    )
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/attachments/{kind}/{row.pk}").status_code == 404


def test_case_list_read_is_audited(client: Client, login: Any, actors: Any, case: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    client.get(reverse("cases:list"))
    entry = AuditEntry.objects.filter(object_type="cases.case_list").get()
    assert entry.detail == {"cases": [case.pk]}


def test_remove_identity_document_and_relative(
    client: Client, login: Any, actors: Any, case: Any, acting: Any
) -> None:
    import datetime

    from consent.services import consent_record
    from people.services import identity_document_add, related_person_add

    document = identity_document_add(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        case_id=case.pk,
        person=case.person,
        kind="passport",
        number="X1",
    )
    friend = related_person_add(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        case_id=case.pk,
        person=case.person,
        relationship="friend",
        name="F",
    )
    guardian = related_person_add(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        case_id=case.pk,
        person=case.person,
        relationship="guardian",
        name="G",
        is_legal_representative=True,
        authority_document="court_order",
    )
    consent_record(
        acting=acting(actors.supervisor, actors.home_org),
        case=case,
        purpose="photo",
        given_by="legal_representative",
        legal_representative=guardian,
        method="electronic",
        given_on=datetime.date(2026, 3, 1),
    )
    login(client, actors.other_worker, actors.other_org)
    assert (
        client.post(
            reverse("cases:identity_document_remove", args=[case.pk, document.pk])
        ).status_code
        == 404
    )
    login(client, actors.supervisor, actors.home_org)
    assert (
        client.post(
            reverse("cases:identity_document_remove", args=[case.pk, document.pk])
        ).status_code
        == 302
    )
    assert not IdentityDocument.objects.exists()
    assert client.delete(f"/api/v1/cases/{case.pk}/person/related/{friend.pk}").status_code == 204
    refused = client.delete(f"/api/v1/cases/{case.pk}/person/related/{guardian.pk}")
    assert refused.status_code == 422
    assert (
        client.post(reverse("cases:related_person_remove", args=[case.pk, guardian.pk])).status_code
        == 302
    )
    assert list(RelatedPerson.objects.all()) == [guardian]
    assert AuditEntry.objects.filter(action="delete", case_id=case.pk).count() == 2
