"""A transfer re-checks the consent to share when it is accepted (SPEC §1.2, C3; 002 Step 2):
withdrawn meanwhile, the transfer is cancelled and the case stays with the sender. The sender
may cancel a pending transfer. The plan moves with the case."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from accounts.access import Acting, transfer_to_cancel, transfer_to_decide
from audit.models import AuditEntry
from consent.models import Consent
from referrals.models import CaseTransfer, TransferStatus
from referrals.services import (
    TransferCancelled,
    transfer_cancel,
    transfer_decide,
    transfer_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiving(actors: Any, acting: Any, make_user: Any) -> Acting:
    from accounts.roles import Role

    return acting(
        make_user("rita_other_supervisor", actors.other_org, Role.SUPERVISOR), actors.other_org
    )


def _request(case: Any, home: Acting, actors: Any) -> CaseTransfer:
    return transfer_request(
        acting=home, case=case, to_organisation=actors.other_org, handover_note="Moving"
    )


def _withdraw(case: Any, home: Acting, actors: Any) -> None:
    from consent.services import consent_withdraw

    consent = Consent.objects.get(case=case, purpose="sharing", recipient=actors.other_org)
    consent_withdraw(
        acting=home,
        case=case,
        consent=consent,
        withdrawn_on=timezone.localdate(),
        expected_version=consent.version,
    )


def test_accepting_after_the_consent_was_withdrawn_is_refused_and_cancels(
    shared_case: Any, actors: Any, home: Acting, receiving: Acting
) -> None:
    transfer = _request(shared_case, home, actors)
    _withdraw(shared_case, home, actors)
    with pytest.raises(TransferCancelled) as refused:
        transfer_decide(
            acting=receiving, transfer=transfer_to_decide(receiving, transfer.pk), accept=True
        )
    assert "withdrew" in refused.value.messages[0]
    transfer.refresh_from_db()
    shared_case.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert shared_case.organisation_id == actors.home_org.pk
    assert AuditEntry.objects.filter(
        case_id=shared_case.pk, action="transition", detail__reason="consent_withdrawn"
    ).exists()
    # A cancelled transfer cannot be decided any more.
    with pytest.raises(Http404):
        transfer_to_decide(receiving, transfer.pk)


def test_accepting_with_the_consent_in_place_moves_the_case_and_its_plan(
    shared_case: Any, actors: Any, home: Acting, receiving: Acting
) -> None:
    from plans.models import Plan

    plan = Plan.objects.create(
        case=shared_case,
        organisation=actors.home_org,
        data_key=shared_case.data_key,
        status="submitted",
        stage="final",
        approving_organisation=actors.home_org,
    )
    transfer = _request(shared_case, home, actors)
    transfer_decide(
        acting=receiving, transfer=transfer_to_decide(receiving, transfer.pk), accept=True
    )
    plan.refresh_from_db()
    assert plan.organisation_id == actors.other_org.pk
    assert plan.approving_organisation_id == actors.other_org.pk


def test_sender_cancels_a_pending_transfer(
    shared_case: Any, actors: Any, home: Acting, acting: Any, receiving: Acting
) -> None:
    transfer = _request(shared_case, home, actors)
    # The receiving organisation does not cancel; it declines.
    with pytest.raises(Http404):
        transfer_to_cancel(receiving, transfer.pk)
    # A team specialist of the sender does not manage the case.
    with pytest.raises(PermissionDenied):
        transfer_to_cancel(acting(actors.specialist, actors.home_org), transfer.pk)
    cancelled = transfer_cancel(acting=home, transfer=transfer_to_cancel(home, transfer.pk))
    assert cancelled.status == TransferStatus.CANCELLED
    with pytest.raises(Http404):
        transfer_to_cancel(home, transfer.pk)
    with pytest.raises(ValidationError):
        transfer_cancel(acting=home, transfer=transfer)
    # A new transfer may be asked for once the earlier one is cancelled.
    assert _request(shared_case, home, actors).status == TransferStatus.PENDING


def test_cancel_and_refused_accept_through_api_and_page(
    client: Client,
    login: Any,
    shared_case: Any,
    actors: Any,
    home: Acting,
    receiving: Acting,
) -> None:
    transfer = _request(shared_case, home, actors)
    anonymous = Client().post(f"/api/v1/transfers/{transfer.pk}/cancel")
    assert anonymous.status_code in (401, 403)
    login(client, receiving.user, actors.other_org)
    assert client.post(f"/api/v1/transfers/{transfer.pk}/cancel").status_code == 404
    _withdraw(shared_case, home, actors)
    refused = client.post(
        f"/api/v1/transfers/{transfer.pk}/decision",
        {"accept": True, "answer": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422
    shared_case.refresh_from_db()
    assert shared_case.organisation_id == actors.home_org.pk

    second = CaseTransfer.objects.create(
        case=shared_case,
        data_key=shared_case.data_key,
        from_organisation=actors.home_org,
        to_organisation=actors.other_org,
        requested_by=actors.case_manager,
        requested_at=timezone.now() - datetime.timedelta(hours=1),
    )
    sender = Client()
    login(sender, actors.case_manager, actors.home_org)
    page = sender.get("/referrals/transfers/").content.decode()
    assert f"/referrals/transfers/{second.pk}/cancel/" in page
    response = sender.post(f"/referrals/transfers/{second.pk}/cancel/")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == TransferStatus.CANCELLED
    api = sender.post(f"/api/v1/transfers/{second.pk}/cancel")
    assert api.status_code == 404


def test_medical_referral_needs_consent_to_the_examination(
    shared_case: Any, send: Any, home: Acting
) -> None:
    from consent.services import ConsentRequired, consent_record
    from referrals.models import Referral

    with pytest.raises(ConsentRequired) as refused:
        send(shared_case, category="medical", purpose="Gynaecological examination")
    assert "Medical examination or test" in str(refused.value)
    assert not Referral.objects.filter(case=shared_case, category="medical").exists()
    consent_record(
        acting=home,
        case=shared_case,
        purpose="medical",
        given_by="person",
        method="oral_witnessed",
        given_on=timezone.localdate(),
    )
    assert send(shared_case, category="medical", purpose="Examination").category == "medical"


def test_identifying_export_calls_the_gate(shared_case: Any, home: Acting) -> None:
    from consent.services import (
        ConsentRequired,
        consent_record,
        require_identifying_export_consent,
    )

    Consent.objects.filter(case=shared_case, purpose="data_processing").delete()
    with pytest.raises(ConsentRequired):
        require_identifying_export_consent(shared_case)
    given = consent_record(
        acting=home,
        case=shared_case,
        purpose="data_processing",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
    )
    assert require_identifying_export_consent(shared_case) == given
