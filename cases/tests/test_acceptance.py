"""The issue's acceptance criteria that span the whole case file."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseNote, TraffickingProfile
from cases.services import case_update, note_add, profile_update
from consent.services import consent_override
from crypto import services as crypto_services
from crypto.models import DataKey
from crypto.services import KeyErased
from crypto.testing import assert_no_plaintext_in_database, assert_no_plaintext_in_files
from people.models import Person, PersonNameIndex
from people.services import identity_document_add, person_erase, related_person_add

pytestmark = pytest.mark.django_db

MARKER = "Zqxmarker"


def _fill_everything(case: Any, actors: Any, acting: Any, pdf_upload: Any) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    note_add(
        acting=supervisor,
        case=case,
        kind="visit",
        occurred_at=datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
        text=f"met {MARKER} at home",
        participants=f"{MARKER} senior",
        follow_up=f"call {MARKER}",
    )
    profile = TraffickingProfile.objects.get(case=case)
    profile_update(
        acting=supervisor,
        case=case,
        expected_version=profile.version,
        values={},
        codes={},
        texts={"traffickers": f"{MARKER} the recruiter", "places": f"{MARKER} farm"},
    )
    identity_document_add(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        case_id=case.pk,
        person=case.person,
        kind="passport",
        number=f"{MARKER}123",
    )
    related_person_add(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        case_id=case.pk,
        person=case.person,
        relationship="parent",
        name=f"{MARKER} Mother",
        contact=f"{MARKER} street",
        is_legal_representative=True,
        authority_document="parental",
        authority_upload=pdf_upload(f"{MARKER}.pdf", b"%PDF-1.4 " + MARKER.encode()),
    )
    consent_override(
        acting=supervisor, case=case, purpose="medical", reason=f"{MARKER} was unconscious"
    )
    _fill_referral_plan_and_budget(case, actors, supervisor)


def _fill_referral_plan_and_budget(case: Any, actors: Any, supervisor: Any) -> None:
    """Free text that names people outside the case file too (issue 15, item 7): who
    referred the person, the contact at a recipient, a private funder of a budget line."""
    from consent.services import consent_record
    from plans.services import activity_add, budget_line_add, objective_add, plan_create
    from referrals.services import referral_send

    fresh = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
    case_update(
        acting=supervisor,
        case=fresh,
        expected_version=fresh.version,
        values={"referring_party": f"{MARKER} neighbour"},
    )
    for purpose, recipient in (("assistance", None), ("sharing", actors.other_org)):
        consent_record(
            acting=supervisor,
            case=fresh,
            purpose=purpose,
            given_by="person",
            method="electronic",
            given_on=datetime.date(2026, 3, 2),
            recipient=recipient,
        )
    referral_send(
        acting=supervisor,
        case=fresh,
        recipient=actors.other_org,
        category="vocational_training",
        purpose="Hairdressing course",
        sections=["summary"],
        contact_person=f"{MARKER} Ionescu",
    )
    plan = plan_create(acting=supervisor, case=fresh)
    objective = objective_add(
        acting=supervisor,
        plan=plan,
        values={"domain": "employment", "priority": "necessary", "title": "Income"},
    )
    activity = activity_add(
        acting=supervisor,
        objective=objective,
        values={"description": "Course", "responsible_kind": "person"},
    )
    budget_line_add(
        acting=supervisor,
        activity=activity,
        amount="100",
        currency="MDL",
        funding_source_name=f"{MARKER} the uncle",
    )
    from assistance.services import ledger_item_record

    # A private funder of an item of direct assistance, outside the plan.
    item = ledger_item_record(
        acting=supervisor,
        case=fresh,
        values={
            "category": "food_hygiene",
            "given_on": datetime.date(2026, 3, 3),
            "amount": "40",
            "currency": "MDL",
            "funding_source_name": f"{MARKER} the aunt",
        },
        off_plan_reason="Emergency aid at admission",
    )
    assert item.funding_label == f"{MARKER} the aunt"
    fresh = Case.objects.select_related("data_key").get(pk=case.pk)
    assert fresh.referring_party == f"{MARKER} neighbour"
    assert (
        plan.objectives.get().activities.get().budget_lines.get().funding_label.startswith(MARKER)
    )


def test_no_marker_in_any_column_or_file(
    register: Any, actors: Any, acting: Any, pdf_upload: Any, settings: Any
) -> None:
    case = register(
        f"{MARKER}ina",
        f"{MARKER}enko",
        aliases=[f"{MARKER}a"],
        address=f"{MARKER} street 5",
        phone="+37360000000",
        place_of_birth=f"{MARKER}ville",
    )
    register("Ольга", f"{MARKER}ова", date_of_birth=None)
    _fill_everything(case, actors, acting, pdf_upload)
    assert_no_plaintext_in_database(MARKER)
    assert_no_plaintext_in_files(MARKER, settings.MEDIA_ROOT)


def test_rotate_keys_keeps_every_record_readable(
    client: Client,
    login: Any,
    register: Any,
    actors: Any,
    acting: Any,
    pdf_upload: Any,
    settings: Any,
) -> None:
    case = register(f"{MARKER}ina", "Rotated")
    _fill_everything(case, actors, acting, pdf_upload)
    old = dict(settings.REINTEGRA_MASTER_KEYS)
    settings.REINTEGRA_MASTER_KEYS = {"rotated": secrets.token_bytes(32), **old}
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115  (discarded output)
    crypto_services.clear_key_cache()
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {"rotated"}
    login(client, actors.supervisor, actors.home_org)
    person_page = client.get(reverse("cases:person", args=[case.pk])).content.decode()
    assert (
        f"{MARKER}ina" in person_page
        and f"{MARKER}123" in person_page
        and f"{MARKER} Mother" in person_page
    )
    assert (
        f"met {MARKER} at home"
        in client.get(reverse("cases:notes", args=[case.pk])).content.decode()
    )
    assert (
        f"{MARKER} the recruiter"
        in client.get(reverse("cases:profile", args=[case.pk])).content.decode()
    )


def test_after_crypto_erase_identity_is_gone_and_case_still_loads(
    client: Client, login: Any, case: Any, actors: Any, acting: Any, pdf_upload: Any
) -> None:
    _fill_everything(case, actors, acting, pdf_upload)
    person_erase(
        acting_user=actors.supervisor,
        organisation=actors.home_org,
        person=case.person,
        reason="retention",
    )
    crypto_services.clear_key_cache()
    person = Person.objects.select_related("data_key").get(pk=case.person_id)
    with pytest.raises(KeyErased):
        person.get_plain("given_name")
    note = CaseNote.objects.select_related("data_key").get(case=case)
    with pytest.raises(KeyErased):
        note.get_plain("text")
    login(client, actors.supervisor, actors.home_org)
    for name in (
        "cases:detail",
        "cases:person",
        "cases:profile",
        "cases:notes",
        "cases:identification",
        "cases:consents",
        "cases:documents",
    ):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code == 200, name
        assert MARKER not in response.content.decode()
        assert "Olena" not in response.content.decode()
    assert "Identity erased" in client.get(reverse("cases:person", args=[case.pk])).content.decode()
    listing = client.get(reverse("cases:list")).content.decode()
    assert case.number in listing and "Identity erased" in listing
    api = client.get(f"/api/v1/cases/{case.pk}/person").json()
    assert api["identity_erased"] is True and api["given_name"] is None
    # Nothing links the erased record to a name or a date of birth any more.
    assert not PersonNameIndex.objects.filter(person=person).exists()
    assert Person.objects.get(pk=person.pk).dob_index == ""
    assert (
        not client.get(reverse("cases:list"), {"q": "Olena Petrenko"}).context["page"].object_list
    )
    # The statistical fields stay.
    assert Case.objects.get(pk=case.pk).person.sex == person.sex


def test_analyst_sees_no_identifying_field_anywhere(
    client: Client, login: Any, case: Any, actors: Any
) -> None:
    login(client, actors.analyst, actors.coordinator_org)
    pages = [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:person", args=[case.pk]),
        "/api/v1/cases",
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}/person",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        body = response.content.decode()
        assert "Olena" not in body and "Petrenko" not in body and case.number not in body, url
