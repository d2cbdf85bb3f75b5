"""Writes: who may make them, what they refuse, and that each one is audited."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.services import StaleEdit
from audit.models import AuditAction, AuditEntry
from policies.models import PolicyPackVersion
from policies.selectors import pack_for_organisation
from services.models import RenewalRound, Service, ServiceArea, ServiceLanguage
from services.rules import add_months
from services.services import (
    renewal_period_months,
    renewal_round_start,
    service_confirm,
    service_create,
    service_update,
)
from services.tests.conftest import VALID, as_acting

pytestmark = pytest.mark.django_db


def test_supervisor_adds_own_service_confirmed_and_audited(actors):
    acting = as_acting(actors.supervisor, actors.home_org)
    service = service_create(
        acting=acting,
        organisation=actors.home_org,
        values={
            **VALID,
            "sexes": ["female"],
            "identification_statuses": ["identified", "statutory_victim"],
            "nationalities": "md, ua",
            "age_min": 18,
            "capacity": 12,
            "cost_kind": "fee",
            "fee_amount": "25.50",
            "fee_currency": "mdl",
        },
    )
    assert service.organisation == actors.home_org
    assert service.sexes == ["female"]
    assert service.identification_statuses == ["identified", "statutory_victim"]
    assert sorted(service.nationalities.values_list("country", flat=True)) == ["MD", "UA"]
    assert service.fee_currency == "MDL"
    assert service.last_confirmed_by == actors.supervisor
    assert service.confirmation_due_on > timezone.localdate() + datetime.timedelta(days=85)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="services.service")
    assert entry.object_id == str(service.pk)
    assert entry.actor == actors.supervisor
    assert "capacity" in entry.fields


def test_org_admin_may_add_own_services(actors):
    acting = as_acting(actors.org_admin, actors.home_org)
    assert service_create(acting=acting, organisation=actors.home_org, values=VALID).pk


@pytest.mark.parametrize("actor", ["case_manager", "specialist", "analyst", "system_admin"])
def test_roles_without_directory_powers_cannot_add(actors, actor):
    user = getattr(actors, actor)
    acting = as_acting(user, user.memberships.first().organisation)
    with pytest.raises(PermissionDenied):
        service_create(acting=acting, organisation=acting.organisation, values=VALID)
    assert not Service.objects.exists()


def test_supervisor_cannot_add_or_edit_for_another_organisation(actors, make_service):
    acting = as_acting(actors.supervisor, actors.home_org)
    with pytest.raises(PermissionDenied):
        service_create(acting=acting, organisation=actors.other_org, values=VALID)
    theirs = make_service(actors.other_org)
    with pytest.raises(PermissionDenied):
        service_update(acting=acting, service_id=theirs.pk, expected_version=1, values={})
    with pytest.raises(PermissionDenied):
        service_confirm(acting=acting, service_id=theirs.pk)


def test_coordinator_edits_any_service(actors, make_service):
    service = make_service(actors.other_org)
    acting = as_acting(actors.coordinator, actors.coordinator_org)
    updated = service_update(
        acting=acting,
        service_id=service.pk,
        expected_version=1,
        values={"waiting_days": 9, "languages": ["sq", "en"]},
    )
    assert updated.version == 2
    assert updated.waiting_days == 9
    assert sorted(updated.languages.values_list("code", flat=True)) == ["en", "sq"]
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert entry.fields == ["languages", "waiting_days"]


def test_stale_version_is_refused_with_the_current_record(actors, make_service):
    service = make_service()
    acting = as_acting(actors.supervisor, actors.home_org)
    service_update(acting=acting, service_id=service.pk, expected_version=1, values={"phone": "1"})
    with pytest.raises(StaleEdit) as stale:
        service_update(
            acting=acting, service_id=service.pk, expected_version=1, values={"phone": "2"}
        )
    assert stale.value.current.phone == "1"
    service.refresh_from_db()
    assert service.phone == "1"
    assert service.version == 2


BAD_INPUT = [
    ({"capacity": -1}, "capacity"),
    ({"waiting_days": -3}, "waiting_days"),
    ({"category": "astrology"}, "category"),
    ({"language": "xx"}, "language"),
    ({"languages": ["ro", "qq"]}, "languages"),
    ({"nationalities": ["MD", "XY"]}, "nationalities"),
    ({"areas": [{"country": "ZZ", "region": ""}]}, "areas"),
    ({"areas": []}, "areas"),
    ({"age_min": 30, "age_max": 18}, "age_min"),
    ({"sexes": []}, "sexes"),
    ({"sexes": ["robot"]}, "sexes"),
    ({"identification_statuses": ["suspect"]}, "identification_statuses"),
    ({"cost_kind": "fee"}, "fee_amount"),
    ({"cost_kind": "fee", "fee_amount": "10", "fee_currency": "ABC"}, "fee_currency"),
    ({"cost_kind": "fee", "fee_amount": "-5", "fee_currency": "EUR"}, "fee_amount"),
    ({"cost_kind": "fee", "fee_amount": "ten", "fee_currency": "EUR"}, "fee_amount"),
    ({"age_min": "twelve"}, "age_min"),
    ({"email": "not-an-address"}, "email"),
    ({"name": ""}, "name"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("values", "field"), BAD_INPUT)
def test_bad_input_on_create_names_the_field_and_writes_nothing(actors, values, field):
    acting = as_acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError) as invalid:
        service_create(acting=acting, organisation=actors.home_org, values={**VALID, **values})
    assert field in invalid.value.message_dict
    assert not Service.objects.exists()
    assert not ServiceArea.objects.exists()
    assert not AuditEntry.objects.filter(object_type="services.service").exists()


@pytest.mark.parametrize(("values", "field"), BAD_INPUT)
def test_bad_input_on_update_names_the_field_and_changes_nothing(
    actors, make_service, values, field
):
    service = make_service(capacity=4)
    before = AuditEntry.objects.count()
    acting = as_acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError) as invalid:
        service_update(acting=acting, service_id=service.pk, expected_version=1, values=values)
    assert field in invalid.value.message_dict
    service.refresh_from_db()
    assert service.version == 1
    assert service.capacity == 4
    assert service.category == "legal_aid"
    assert sorted(ServiceLanguage.objects.values_list("code", flat=True)) == ["ro", "ru"]
    assert AuditEntry.objects.count() == before


def test_switching_to_free_clears_the_fee(actors, make_service):
    service = make_service(cost_kind="fee", fee_amount="10", fee_currency="EUR")
    acting = as_acting(actors.supervisor, actors.home_org)
    updated = service_update(
        acting=acting, service_id=service.pk, expected_version=1, values={"cost_kind": "free"}
    )
    assert updated.fee_amount is None
    assert updated.fee_currency == ""


def test_confirm_moves_the_due_date_and_keeps_the_version(actors, make_service):
    service = make_service()
    Service.objects.filter(pk=service.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    service.refresh_from_db()
    assert service.is_stale
    confirmed = service_confirm(
        acting=as_acting(actors.supervisor, actors.home_org), service_id=service.pk
    )
    assert not confirmed.is_stale
    assert confirmed.last_confirmed_by == actors.supervisor
    assert confirmed.version == 1
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_id=str(service.pk), detail__confirmed=True
    ).exists()


def test_confirmation_lasts_the_period_of_the_providers_policy_pack(actors, make_service):
    current = pack_for_organisation(actors.home_org)
    rules = copy.deepcopy(current.rules)
    rules["reporting"]["service_list_renewal_months"] = 6
    PolicyPackVersion.objects.create(
        code=current.code,
        version=current.version + 1,
        name=current.name,
        rules=rules,
        content_hash="test",
    )
    service = make_service()
    today = timezone.localdate()
    assert service.confirmation_due_on == add_months(today, 6)
    assert renewal_period_months(actors.other_org) == 3  # al-sop sets none: the quarter


def test_inactive_service_cannot_be_confirmed(actors, make_service):
    service = make_service()
    acting = as_acting(actors.supervisor, actors.home_org)
    service_update(
        acting=acting, service_id=service.pk, expected_version=1, values={"is_active": False}
    )
    with pytest.raises(ValidationError) as invalid:
        service_confirm(acting=acting, service_id=service.pk)
    assert "is_active" in invalid.value.message_dict


def test_renewal_round_pulls_due_dates_of_its_country_only(actors, make_service):
    georgian = make_service(actors.coordinator_org)
    moldovan = make_service(actors.home_org)
    due = timezone.localdate() + datetime.timedelta(days=20)
    renewal = renewal_round_start(
        acting=as_acting(actors.coordinator, actors.coordinator_org), due_on=due
    )
    assert renewal.country == "GE"
    georgian.refresh_from_db()
    moldovan.refresh_from_db()
    assert georgian.confirmation_due_on == due
    assert moldovan.confirmation_due_on > due
    entry = AuditEntry.objects.get(object_type="services.renewalround")
    assert entry.detail == {"services_asked": 1}


def test_only_one_open_round_per_country_and_dates_checked(actors):
    acting = as_acting(actors.coordinator, actors.coordinator_org)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as past:
        renewal_round_start(acting=acting, due_on=today)
    assert "due_on" in past.value.message_dict
    renewal_round_start(acting=acting, due_on=today + datetime.timedelta(days=5))
    with pytest.raises(ValidationError) as again:
        renewal_round_start(acting=acting, due_on=today + datetime.timedelta(days=9))
    assert "due_on" in again.value.message_dict
    assert RenewalRound.objects.count() == 1


@pytest.mark.parametrize("actor", ["supervisor", "org_admin", "case_manager", "analyst"])
def test_only_coordinators_start_rounds(actors, actor):
    user = getattr(actors, actor)
    acting = as_acting(user, user.memberships.first().organisation)
    with pytest.raises(PermissionDenied):
        renewal_round_start(acting=acting, due_on=timezone.localdate() + datetime.timedelta(days=5))
    assert not RenewalRound.objects.exists()
