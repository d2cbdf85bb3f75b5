"""Pages: who may open each one, what they show, forms that refuse bad input, the stale-edit
message, and constant query counts for every list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from audit.models import AuditEntry
from services.models import RenewalRound, Service
from services.services import renewal_round_start, service_update
from services.tests.conftest import as_acting

pytestmark = pytest.mark.django_db
DIRECTORY = reverse("services:directory")
MINE = reverse("services:mine")
TO_CONFIRM = reverse("services:to_confirm")
RENEWAL = reverse("services:renewal")
CREATE = reverse("services:create")


def form_data(**overrides):
    data = {
        "organisation": "",
        "category": "medical",
        "name": "Walk-in clinic",
        "description": "General practitioner and nurse.",
        "language": "en",
        "languages": "ro, ru",
        "areas": "MD, Chișinău\nMD, Bălți",
        "age_min": "",
        "age_max": "",
        "sexes": ["female", "male", "other"],
        "nationalities": "",
        "identification_statuses": ["at_risk", "potential_victim", "identified"],
        "capacity": "10",
        "waiting_days": "2",
        "cost_kind": "free",
        "fee_amount": "",
        "fee_currency": "",
        "contact_person": "Dr Lupu",
        "phone": "+373 1",
        "email": "clinic@example.org",
        "opening_hours": "Mon-Fri",
    }
    data.update(overrides)
    return data


def edit_data(service, **overrides):
    data = form_data(
        category=service.category,
        name=service.name,
        language=service.language,
        languages="ro, ru",
        areas="MD, Chișinău",
        version=str(service.version),
        is_active="on",
    )
    data.pop("organisation")
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "actor", ["case_manager", "specialist", "supervisor", "coordinator", "analyst", "other_worker"]
)
def test_everyone_acting_in_an_organisation_may_search(client, actors, login, make_service, actor):
    make_service(name="Legal desk")
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert "Legal desk" in response.content.decode()


def test_search_needs_sign_in_and_a_role(client, actors, make_user, login):
    assert client.get(DIRECTORY).status_code == 302
    nobody = make_user("nora_nobody", actors.home_org)
    login(client, nobody, actors.home_org)
    assert client.get(DIRECTORY).status_code == 403


def test_search_filters_and_htmx_partial(client, actors, login, make_service):
    make_service(name="Legal desk", category="legal_aid")
    make_service(name="Night shelter", category="shelter", age_min=18)
    login(client, actors.case_manager, actors.home_org)
    body = client.get(DIRECTORY, {"category": "shelter", "country": "MD"}).content.decode()
    assert "Night shelter" in body
    assert "Legal desk" not in body
    body = client.get(DIRECTORY, {"age": "12"}).content.decode()
    assert "Legal desk" in body
    assert "Night shelter" not in body
    partial = client.get(DIRECTORY, {"q": "desk"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "Legal desk" in text
    assert "<html" not in text
    assert "HX-Request" in partial["Vary"]
    refused = client.get(DIRECTORY, {"age": "-4"}).content.decode()
    assert "greater than or equal to 0" in refused
    no_country = client.get(DIRECTORY, {"region": "Bălți"}).content.decode()
    assert "Choose the country of this region." in no_country


def test_stale_entries_are_marked_in_search_and_detail(client, actors, login, make_service):
    service = make_service(name="Old entry")
    Service.objects.filter(pk=service.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    login(client, actors.case_manager, actors.home_org)
    assert "badge-danger" in client.get(DIRECTORY).content.decode()
    detail = client.get(reverse("services:detail", args=[service.pk])).content.decode()
    assert "badge-danger" in detail


def test_directory_query_count_is_constant(
    client, actors, login, make_service, django_assert_max_num_queries
):
    make_service(name="First")
    login(client, actors.case_manager, actors.home_org)
    with django_assert_max_num_queries(30) as few:
        client.get(DIRECTORY, {"country": "MD"})
    for index in range(12):
        make_service(name=f"Service {index}", languages=["ro", "ru", "en"], nationalities=["MD"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(DIRECTORY, {"country": "MD"})


def test_detail_allow_and_deny(client, actors, login, make_service):
    service = make_service(name="Legal desk", phone="+373 555")
    url = reverse("services:detail", args=[service.pk])
    login(client, actors.other_worker, actors.other_org)
    body = client.get(url).content.decode()
    assert "+373 555" in body
    assert reverse("services:edit", args=[service.pk]) not in body
    login(client, actors.supervisor, actors.home_org)
    assert reverse("services:edit", args=[service.pk]) in client.get(url).content.decode()
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(reverse("services:detail", args=[999999])).status_code in {302, 404}


def test_inactive_detail_only_for_editors(client, actors, login, make_service):
    service = make_service()
    service_update(
        acting=as_acting(actors.supervisor, actors.home_org),
        service_id=service.pk,
        expected_version=1,
        values={"is_active": False},
    )
    url = reverse("services:detail", args=[service.pk])
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    login(client, actors.supervisor, actors.home_org)
    assert client.get(url).status_code == 200


def test_supervisor_creates_own_service(client, actors, login):
    login(client, actors.supervisor, actors.home_org)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, form_data(organisation=str(actors.home_org.pk)))
    service = Service.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services:detail", args=[service.pk])
    assert service.organisation == actors.home_org
    assert sorted(service.areas.values_list("region", flat=True)) == ["Bălți", "Chișinău"]
    assert service.serves_female
    assert not service.accepts_statutory_victim


def test_supervisor_cannot_create_for_another_organisation(client, actors, login):
    login(client, actors.supervisor, actors.home_org)
    response = client.post(CREATE, form_data(organisation=str(actors.other_org.pk)))
    assert response.status_code == 200
    assert not Service.objects.exists()


@pytest.mark.parametrize("actor", ["case_manager", "specialist", "analyst"])
def test_create_denied_without_directory_powers(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(CREATE).status_code == 403
    organisation = user.memberships.first().organisation
    assert client.post(CREATE, form_data(organisation=str(organisation.pk))).status_code == 403
    assert not Service.objects.exists()


def test_coordinator_creates_for_any_provider(client, actors, login):
    login(client, actors.coordinator, actors.coordinator_org)
    client.post(CREATE, form_data(organisation=str(actors.other_org.pk)))
    assert Service.objects.get().organisation == actors.other_org


@pytest.mark.parametrize(
    ("overrides", "field_label"),
    [
        ({"capacity": "-1"}, "capacity"),
        ({"category": "astrology"}, "category"),
        ({"languages": "ro, qq"}, "languages"),
        ({"age_min": "30", "age_max": "18"}, "age_min"),
        ({"areas": "ZZ"}, "areas"),
    ],
)
def test_create_form_refuses_bad_input_next_to_the_field(
    client, actors, login, overrides, field_label
):
    login(client, actors.supervisor, actors.home_org)
    response = client.post(CREATE, form_data(organisation=str(actors.home_org.pk), **overrides))
    assert response.status_code == 200
    assert field_label in response.context["form"].errors
    assert "Nothing was saved" in response.content.decode()
    assert not Service.objects.exists()


def test_edit_allow_deny_and_save(client, actors, login, make_service):
    service = make_service()
    url = reverse("services:edit", args=[service.pk])
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 403
    login(client, actors.case_manager, actors.home_org)
    assert client.get(url).status_code == 403
    login(client, actors.supervisor, actors.home_org)
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(service, waiting_days="11"))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.waiting_days == 11
    assert service.version == 2
    assert service.last_confirmed_by == actors.supervisor


def test_stale_edit_is_refused_with_current_values(client, actors, login, make_service):
    service = make_service()
    service_update(
        acting=as_acting(actors.coordinator, actors.coordinator_org),
        service_id=service.pk,
        expected_version=1,
        values={"phone": "+373 999 000"},
    )
    login(client, actors.supervisor, actors.home_org)
    response = client.post(
        reverse("services:edit", args=[service.pk]),
        edit_data(service, phone="+373 111", version="1"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this service" in body
    assert "+373 999 000" in body
    service.refresh_from_db()
    assert service.phone == "+373 999 000"


def test_confirm_allow_and_deny(client, actors, login, make_service):
    service = make_service()
    Service.objects.filter(pk=service.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    url = reverse("services:confirm", args=[service.pk])
    login(client, actors.other_worker, actors.other_org)
    assert client.post(url).status_code == 403
    login(client, actors.supervisor, actors.home_org)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "to_confirm"})
    assert response["Location"] == TO_CONFIRM
    service.refresh_from_db()
    assert not service.is_stale
    assert service.last_confirmed_by == actors.supervisor


def test_my_services_and_to_confirm(client, actors, login, make_service):
    fresh = make_service(name="Fresh entry")
    stale = make_service(name="Stale entry")
    make_service(actors.other_org, name="Someone else's")
    Service.objects.filter(pk=stale.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    login(client, actors.org_admin, actors.home_org)
    mine = client.get(MINE).content.decode()
    assert "Fresh entry" in mine
    assert "Stale entry" in mine
    assert "Someone else" not in mine
    to_confirm = client.get(TO_CONFIRM).content.decode()
    assert "Stale entry" in to_confirm
    assert fresh.name not in to_confirm


@pytest.mark.parametrize("url", [MINE, TO_CONFIRM])
@pytest.mark.parametrize("actor", ["case_manager", "specialist", "analyst"])
def test_own_lists_denied_without_directory_powers(client, actors, login, url, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(url).status_code == 403


def test_to_confirm_lists_what_an_open_round_asks_for(client, actors, login, make_service):
    service = make_service(actors.coordinator_org, name="Fund shelter")
    login(client, actors.coordinator, actors.coordinator_org)
    assert "Fund shelter" not in client.get(TO_CONFIRM).content.decode()
    renewal_round_start(
        acting=as_acting(actors.coordinator, actors.coordinator_org),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    body = client.get(TO_CONFIRM).content.decode()
    assert "Fund shelter" in body
    assert "asked every provider" in body
    client.post(reverse("services:confirm", args=[service.pk]), {"next": "to_confirm"})
    detail = reverse("services:detail", args=[service.pk])
    assert detail not in client.get(TO_CONFIRM).content.decode()


@pytest.mark.parametrize("url", [MINE, TO_CONFIRM])
def test_own_lists_query_count_is_constant(
    client, actors, login, make_service, django_assert_max_num_queries, url
):
    make_service(name="First")
    Service.objects.update(confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1))
    login(client, actors.supervisor, actors.home_org)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for index in range(10):
        make_service(name=f"Service {index}", nationalities=["MD", "UA"])
    Service.objects.update(confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_renewal_dashboard_counts_and_start(client, actors, login, make_service, make_user):
    fund_provider = make_user("paula_provider", actors.coordinator_org, Role.SUPERVISOR)
    confirmed = make_service(actors.coordinator_org, name="Will confirm")
    make_service(actors.coordinator_org, name="Will stay pending")
    stale = make_service(actors.coordinator_org, name="Already stale")
    Service.objects.filter(pk=stale.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    login(client, actors.coordinator, actors.coordinator_org)
    assert "No renewal round" in client.get(RENEWAL).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=21)
    response = client.post(RENEWAL, {"due_on": due.isoformat()})
    assert response.status_code == 302
    assert RenewalRound.objects.get().due_on == due
    login(client, fund_provider, actors.coordinator_org)
    client.post(reverse("services:confirm", args=[confirmed.pk]))
    login(client, actors.coordinator, actors.coordinator_org)
    response = client.get(RENEWAL)
    (row,) = response.context["counts"]
    assert (row.confirmed, row.pending, row.stale) == (1, 1, 1)
    assert "Start a renewal round" not in response.content.decode()


def test_renewal_start_refuses_a_past_date(client, actors, login):
    login(client, actors.coordinator, actors.coordinator_org)
    response = client.post(RENEWAL, {"due_on": "2000-01-01"})
    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    assert not RenewalRound.objects.exists()
    assert not AuditEntry.objects.filter(object_type="services.renewalround").exists()


@pytest.mark.parametrize("actor", ["supervisor", "org_admin", "case_manager", "analyst"])
def test_renewal_dashboard_denied_to_non_coordinators(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(RENEWAL).status_code == 403
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    assert client.post(RENEWAL, {"due_on": due}).status_code == 403
    assert not RenewalRound.objects.exists()


def test_renewal_dashboard_query_count_is_constant(
    client, actors, login, make_service, make_user, django_assert_max_num_queries
):
    make_service(actors.coordinator_org)
    renewal_round_start(
        acting=as_acting(actors.coordinator, actors.coordinator_org),
        due_on=timezone.localdate() + datetime.timedelta(days=9),
    )
    login(client, actors.coordinator, actors.coordinator_org)
    with django_assert_max_num_queries(30) as few:
        client.get(RENEWAL)
    for index in range(6):
        provider = Organisation.objects.create(
            name=f"Provider {index}", type="ngo", country="GE", case_prefix=f"P{index}"
        )
        make_service(provider)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(RENEWAL)
    assert len(response.context["counts"]) == 7


def test_nav_links_to_the_directory(client, actors, login):
    login(client, actors.specialist, actors.home_org)
    assert DIRECTORY in client.get(reverse("home")).content.decode()
