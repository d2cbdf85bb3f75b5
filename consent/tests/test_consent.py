"""The consent register and the gate (SPEC C3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from consent.models import Consent, ConsentOverride
from consent.services import (
    ConsentRequired,
    consent_override,
    consent_record,
    consent_withdraw,
    require_consent,
)
from people.services import related_person_add

pytestmark = pytest.mark.django_db


def _give(acting: Any, case: Any, **extra: Any) -> Consent:
    values: dict[str, Any] = {
        "purpose": "assistance",
        "given_by": "person",
        "method": "oral_witnessed",
        "given_on": datetime.date(2026, 3, 1),
    }
    values.update(extra)
    return consent_record(acting=acting, case=case, **values)


def test_gate_passes_with_current_consent_and_stops_after_withdrawal(
    case: Any, actors: Any, acting: Any
) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ConsentRequired):
        require_consent(case, "sharing", recipient=actors.other_org)
    consent = _give(supervisor, case, purpose="sharing", recipient=actors.other_org)
    assert require_consent(case, "sharing", recipient=actors.other_org) == consent
    # Consent to share with one organisation is not consent to share with another.
    with pytest.raises(ConsentRequired):
        require_consent(case, "sharing", recipient=actors.coordinator_org)
    consent_withdraw(
        acting=supervisor,
        case=case,
        consent=consent,
        withdrawn_on=datetime.date.today(),
        expected_version=consent.version,
    )
    with pytest.raises(ConsentRequired):
        require_consent(case, "sharing", recipient=actors.other_org)


def test_expired_consent_does_not_count(case: Any, actors: Any, acting: Any) -> None:
    _give(
        acting(actors.supervisor, actors.home_org),
        case,
        purpose="research",
        expires_on=datetime.date(2026, 3, 2),
    )
    with pytest.raises(ConsentRequired):
        require_consent(case, "research")


def test_override_needs_supervisor_and_reason_and_is_used_once(
    case: Any, actors: Any, acting: Any, managed_case: Any
) -> None:
    with pytest.raises(PermissionDenied):
        consent_override(
            acting=acting(actors.case_manager, actors.home_org),
            case=managed_case,
            purpose="medical",
            reason="urgent care needed now",
        )
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError) as short:
        consent_override(acting=supervisor, case=case, purpose="medical", reason="no")
    assert "reason" in short.value.message_dict
    override = consent_override(
        acting=supervisor, case=case, purpose="medical", reason="Unconscious, urgent examination"
    )
    assert require_consent(case, "medical") == override
    with pytest.raises(ConsentRequired):
        require_consent(case, "medical")
    entries = AuditEntry.objects.filter(action="consent_override", case_id=case.pk)
    assert entries.count() == 2
    assert all("Unconscious" not in str(e.detail) for e in entries)
    assert ConsentOverride.objects.get().get_plain("reason") == "Unconscious, urgent examination"


def test_minor_consents_through_legal_representative(
    register: Any, actors: Any, acting: Any, pdf_upload: Any
) -> None:
    child = register("Ana", "Mica", date_of_birth=datetime.date(2012, 1, 1))
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError) as refused:
        _give(supervisor, child)
    assert "given_by" in refused.value.message_dict
    with pytest.raises(ValidationError) as no_authority:
        related_person_add(
            acting_user=actors.supervisor,
            organisation=actors.home_org,
            case_id=child.pk,
            person=child.person,
            relationship="parent",
            name="Maria Mica",
            is_legal_representative=True,
        )
    assert "authority_document" in no_authority.value.message_dict
    mother = related_person_add(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        case_id=child.pk,
        person=child.person,
        relationship="parent",
        name="Maria Mica",
        is_legal_representative=True,
        authority_document="parental",
        authority_upload=pdf_upload("birth-certificate.pdf"),
    )
    consent = _give(
        supervisor,
        child,
        given_by="legal_representative",
        legal_representative=mother,
        method="signed_paper",
        document=pdf_upload(),
    )
    assert consent.document_file
    assert require_consent(child, "assistance") == consent


def test_signed_paper_needs_the_scan(case: Any, actors: Any, acting: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _give(acting(actors.supervisor, actors.home_org), case, method="signed_paper")
    assert "document" in refused.value.message_dict


def test_consent_page_allow_and_deny(client: Client, login: Any, actors: Any, case: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:consents", args=[case.pk])
    response = client.post(
        url,
        {
            "purpose": "data_processing",
            "given_by": "person",
            "method": "electronic",
            "given_on": "2026-03-01",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(case=case)
    response = client.post(
        reverse("cases:consent_withdraw", args=[case.pk, consent.pk]),
        {"version": consent.version, "withdrawn_on": "2026-03-03"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2026, 3, 3)
    response = client.post(
        reverse("cases:consent_override", args=[case.pk]),
        {"purpose": "interview", "reason": "Police interview scheduled today"},
    )
    assert response.status_code == 302
    login(client, actors.other_worker, actors.other_org)
    assert client.post(url, {"purpose": "assistance"}).status_code == 404
    assert (
        client.post(reverse("cases:consent_withdraw", args=[case.pk, consent.pk]), {}).status_code
        == 404
    )


def test_consent_form_errors_name_the_field(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    response = client.post(
        reverse("cases:consents", args=[case.pk]),
        {
            "purpose": "sharing",
            "given_by": "person",
            "method": "electronic",
            "given_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "Consent to share names the organisation" in response.content.decode()
    assert not Consent.objects.exists()
