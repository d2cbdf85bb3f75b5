"""Referrals, transfers and the register through their services and chokepoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.access import (
    Acting,
    CaseAction,
    cases_visible_to,
    get_case_for,
    referral_for,
    transferred_records_for,
)
from audit.models import AuditEntry
from consent.models import Consent
from consent.services import ConsentRequired, consent_override, consent_withdraw
from referrals.models import ReferralStatus, UnmetNeed, UnmetReason
from referrals.selectors import shared_content
from referrals.services import (
    referral_answer,
    transfer_decide,
    transfer_request,
    unmet_need_record,
)
from work.models import WorkItem

pytestmark = pytest.mark.django_db


def test_no_consent_no_referral(managed_case: Any, send: Callable[..., Any]) -> None:
    with pytest.raises(ConsentRequired):
        send(managed_case)
    assert not managed_case.referrals.exists()


def test_supervisor_override_lets_one_referral_through(
    managed_case: Any, send: Callable[..., Any], actors: Any, acting: Any
) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError):
        consent_override(
            acting=supervisor,
            case=managed_case,
            purpose="sharing",
            reason="",
            recipient=actors.other_org,
        )
    consent_override(
        acting=supervisor,
        case=managed_case,
        purpose="sharing",
        reason="Immediate danger, the person cannot sign today",
        recipient=actors.other_org,
    )
    referral = send(managed_case)
    assert referral.consent_override_id is not None
    # The override and its use are audited with the supervisor as actor.
    overrides = AuditEntry.objects.filter(action="consent_override", actor=actors.supervisor)
    assert [entry.detail.get("used", False) for entry in overrides.order_by("id")] == [
        False,
        True,
    ]
    with pytest.raises(ConsentRequired):
        send(managed_case)


def test_sent_referral_starts_answer_deadline_and_answer_meets_it(
    shared_case: Any, send: Callable[..., Any], recipient: Acting
) -> None:
    referral = send(shared_case)
    item = WorkItem.objects.get(case=shared_case, kind="referral_response")
    assert item.key == f"referral:{referral.pk}"
    # The overdue answer escalates into the sending case manager's "My work".
    assert item.responsible == shared_case.case_manager
    assert item.done_on is None
    referral_answer(
        acting=recipient,
        referral=referral_for(recipient, referral.pk),
        status=ReferralStatus.ACCEPTED,
        expected_version=referral.version,
    )
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()


def test_recipient_sees_only_chosen_sections(shared_case: Any, send: Callable[..., Any]) -> None:
    content = shared_content(shared_case, ["needs"])
    assert set(content) == {"code", "needs"}
    assert content["needs"]["emergency_needs"] == "shelter tonight"
    everything = shared_content(
        shared_case, ["summary", "identity", "contact", "needs", "profile", "notes", "documents"]
    )
    assert everything["identity"]["given_name"] == "Olena"
    assert everything["notes"][0].text.startswith("Met at the bus station")
    assert everything["documents"][0].file_name == "medical-certificate.pdf"


def test_withdrawn_consent_ends_access_at_once(
    shared_case: Any, send: Callable[..., Any], recipient: Acting, home: Acting
) -> None:
    referral = send(shared_case)
    assert referral_for(recipient, referral.pk).pk == referral.pk
    consent = Consent.objects.get(case=shared_case, purpose="sharing")
    consent_withdraw(
        acting=home,
        case=shared_case,
        consent=consent,
        withdrawn_on=timezone.localdate(),
        expected_version=consent.version,
    )
    with pytest.raises(Http404):
        referral_for(recipient, referral.pk)


def test_other_organisations_and_roles_get_nothing(
    shared_case: Any, send: Callable[..., Any], actors: Any, acting: Any, make_user: Any
) -> None:
    referral = send(shared_case)
    from accounts.roles import Role

    for outsider in (
        acting(actors.case_manager, actors.home_org),  # the sender is not the recipient
        acting(actors.coordinator, actors.coordinator_org),
        acting(make_user("ann_other_analyst", actors.other_org, Role.ANALYST), actors.other_org),
    ):
        with pytest.raises(Http404):
            referral_for(outsider, referral.pk)
    assert not cases_visible_to(acting(actors.other_worker, actors.other_org)).exists()


def test_decline_feeds_register_and_gap_counts(
    shared_case: Any,
    send: Callable[..., Any],
    recipient: Acting,
    actors: Any,
    make_user: Callable[..., Any],
) -> None:
    from accounts.access import acting_for
    from accounts.roles import Role
    from reports.gaps import GapFilters, gap_counts
    from reports.scope import StatisticsScope

    referral = send(shared_case)
    with pytest.raises(ValidationError) as error:
        referral_answer(
            acting=recipient,
            referral=referral,
            status=ReferralStatus.DECLINED,
            expected_version=referral.version,
        )
    assert "reason" in error.value.message_dict
    referral_answer(
        acting=recipient,
        referral=referral,
        status=ReferralStatus.DECLINED,
        reason=UnmetReason.WAITING_LIST,
        answer="Next course starts in autumn",
        expected_version=referral.version,
    )
    need = UnmetNeed.objects.get(case=shared_case)
    assert (need.category, need.reason, need.source) == (
        "vocational_training",
        "waiting_list",
        "referral",
    )
    # The gap counts are statistics of the coordinator of the case's country (reports.gaps);
    # with k = 1 the single entry shows.
    national = acting_for(
        make_user("nadia_coordinator", actors.home_org, Role.COORDINATOR), actors.home_org
    )
    assert national is not None
    assert gap_counts(StatisticsScope(national), GapFilters(), k=1) == [
        {
            "category": "vocational_training",
            "reason": "waiting_list",
            "country": "MD",
            "region": "",
            "count": 1,
        }
    ]
    # The declined referral ends the recipient's access.
    with pytest.raises(Http404):
        referral_for(recipient, referral.pk)


def test_unmet_need_record_validates_and_audits(shared_case: Any, home: Acting) -> None:
    with pytest.raises(ValidationError) as error:
        unmet_need_record(
            acting=home, case=shared_case, category="nope", reason="other", source="case_worker"
        )
    assert {"category", "note"} <= set(error.value.message_dict)
    need = unmet_need_record(
        acting=home,
        case=shared_case,
        category="legal_aid",
        reason="not_available",
        source="case_worker",
        note="No lawyer in the district",
    )
    assert need.get_plain("note") == "No lawyer in the district"
    assert AuditEntry.objects.filter(object_id=str(need.pk), action="create").exists()


def test_unmet_need_import_path_for_plans() -> None:
    from services.gaps import unmet_need_record as from_directory

    assert from_directory is unmet_need_record


def test_transfer_moves_case_and_sender_keeps_only_what_it_wrote(
    shared_case: Any, actors: Any, acting: Any, home: Acting, make_user: Any
) -> None:
    from accounts.roles import Role
    from cases.services import note_add

    receiving = acting(
        make_user("rita_other_supervisor", actors.other_org, Role.SUPERVISOR), actors.other_org
    )
    with pytest.raises(ValidationError):
        transfer_request(
            acting=home, case=shared_case, to_organisation=actors.other_org, handover_note=""
        )
    transfer = transfer_request(
        acting=home,
        case=shared_case,
        to_organisation=actors.other_org,
        handover_note="Moving to Tirana next week; stable, needs work placement",
    )
    # A case manager of the receiving organisation may not decide; its supervisor may.
    from accounts.access import transfer_to_decide

    with pytest.raises(PermissionDenied):
        transfer_to_decide(acting(actors.other_worker, actors.other_org), transfer.pk)
    transfer_decide(
        acting=receiving, transfer=transfer_to_decide(receiving, transfer.pk), accept=True
    )
    shared_case.refresh_from_db()
    assert shared_case.organisation_id == actors.other_org.pk
    # Open work left the sender's case manager with the case.
    open_items = WorkItem.objects.filter(case=shared_case, done_on__isnull=True)
    assert open_items.exists()
    assert not open_items.filter(responsible=actors.case_manager).exists()
    assert not open_items.filter(organisation=actors.home_org).exists()
    assert shared_case.case_manager_id is None
    # The new owner has the full case.
    assert get_case_for(receiving, shared_case.pk, action=CaseAction.VIEW).pk == shared_case.pk
    # The old owner no longer sees the case file …
    with pytest.raises(Http404):
        get_case_for(
            acting(actors.supervisor, actors.home_org), shared_case.pk, action=CaseAction.VIEW
        )
    # … only what it wrote before, and nothing new.
    case_now = get_case_for(receiving, shared_case.pk, action=CaseAction.WORK)
    note_add(
        acting=receiving,
        case=case_now,
        kind="visit",
        occurred_at=timezone.now(),
        text="First visit by the new organisation",
    )
    retained = transferred_records_for(acting(actors.supervisor, actors.home_org), transfer.pk)
    notes = list(retained.retained_notes.all())
    assert [n.get_plain("text") for n in notes] == [
        "Met at the bus station; wants to train as a hairdresser"
    ]
    assert retained.retained_documents.count() == 1
    # Neither the receiving organisation nor an unrelated one reads the sender's copy.
    with pytest.raises(Http404):
        transferred_records_for(receiving, transfer.pk)


def test_transfer_needs_consent(managed_case: Any, actors: Any, home: Acting) -> None:
    with pytest.raises(ConsentRequired):
        transfer_request(
            acting=home,
            case=managed_case,
            to_organisation=actors.other_org,
            handover_note="Handover",
        )


def test_recipient_cannot_move_referral_backwards(
    shared_case: Any, send: Callable[..., Any], recipient: Acting
) -> None:
    referral = send(shared_case)
    with pytest.raises(ValidationError):
        referral_answer(
            acting=recipient,
            referral=referral,
            status=ReferralStatus.COMPLETED,
            expected_version=referral.version,
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_sender_cannot_answer_for_a_recipient_on_the_system(
    shared_case: Any, send: Callable[..., Any], home: Acting
) -> None:
    referral = send(shared_case)
    with pytest.raises(PermissionDenied):
        referral_answer(
            acting=home,
            referral=referral,
            status=ReferralStatus.ACCEPTED,
            expected_version=referral.version,
        )
