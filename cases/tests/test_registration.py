"""Registration: numbers and codes, encrypted identity, duplicate detection, name search."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.duplicates import find_duplicates
from cases.models import Case, TeamMember
from cases.selectors import CaseFilters, case_list
from cases.services import CaseInput, PossibleDuplicate, case_register
from people.models import PersonNameIndex
from people.services import PersonInput

pytestmark = pytest.mark.django_db


def test_registration_numbers_codes_and_flags(register: Any, actors: Any) -> None:
    first = register(
        "Olena", "Petrenko", citizenships=["UA"], date_of_birth=datetime.date(2010, 1, 5)
    )
    second = register("Ivan", "Rusu", citizenships=["MD"])
    assert first.number == "HOM-2026-0001"
    assert second.number == "HOM-2026-0002"
    assert re.fullmatch(r"R-[0-9A-Z]{4}-[0-9A-Z]{4}", first.code)
    assert first.code != second.code
    assert first.foreign_national is True and second.foreign_national is False
    assert first.minor_at_reception is True and second.minor_at_reception is False
    assert first.person.full_name == "Olena Petrenko"
    assert first.get_plain("emergency_needs") == "shelter tonight"
    # The registering worker is on the team until a case manager is assigned.
    assert TeamMember.objects.filter(case=first, user=actors.supervisor).exists()
    entry = AuditEntry.objects.filter(object_type="cases.case", object_id=str(first.pk)).get()
    assert entry.action == "create"
    assert "Olena" not in str(entry.detail) and "Olena" not in str(entry.fields)


def test_numbers_are_per_organisation(register: Any, actors: Any, make_user: Any) -> None:
    register()
    other = register(
        "Ana", "Hoxha", by=actors.other_worker, organisation=actors.other_org, date_of_birth=None
    )
    assert other.number == "OTH-2026-0001"


def test_only_case_creators_register(actors: Any, acting: Any) -> None:
    with pytest.raises(PermissionDenied):
        case_register(
            acting=acting(actors.specialist, actors.home_org),
            person=PersonInput(given_name="X"),
            case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        )


def test_bad_input_names_the_field_and_changes_nothing(actors: Any, acting: Any) -> None:
    with pytest.raises(ValidationError) as error:
        case_register(
            acting=acting(actors.supervisor, actors.home_org),
            person=PersonInput(given_name="", family_name="", citizenships=["Moldova"]),
            case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        )
    assert "given_name" in error.value.message_dict
    assert "citizenships" in error.value.message_dict
    assert Case.objects.count() == 0


def test_duplicate_in_same_organisation_links_to_it(case: Any, actors: Any, acting: Any) -> None:
    with pytest.raises(PossibleDuplicate) as possible:
        case_register(
            acting=acting(actors.supervisor, actors.home_org),
            person=PersonInput(
                given_name="Олена", family_name="Петренко", date_of_birth=datetime.date(1998, 4, 2)
            ),
            case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        )
    assert possible.value.report.same_organisation == [case]
    assert possible.value.report.elsewhere is False
    assert Case.objects.count() == 1


def test_duplicate_elsewhere_is_announced_without_its_data(
    case: Any, actors: Any, acting: Any
) -> None:
    with pytest.raises(PossibleDuplicate) as possible:
        case_register(
            acting=acting(actors.other_worker, actors.other_org),
            person=PersonInput(
                given_name="Elena", family_name="Petrenko", date_of_birth=datetime.date(1998, 4, 2)
            ),
            case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        )
    report = possible.value.report
    assert report.elsewhere is True
    assert report.same_organisation == []


def test_one_name_word_needs_the_date_of_birth(case: Any, actors: Any) -> None:
    assert not find_duplicates(
        organisation_id=actors.home_org.pk, names=["Olena"], date_of_birth=None
    ).found
    assert find_duplicates(
        organisation_id=actors.home_org.pk, names=["Olena"], date_of_birth=datetime.date(1998, 4, 2)
    ).found


def test_confirmed_registration_goes_ahead(case: Any, register: Any) -> None:
    again = register("Olena", "Petrenko", confirmed=True)
    assert again.pk != case.pk


def test_name_search_latin_finds_cyrillic(register: Any, actors: Any, acting: Any) -> None:
    cyrillic = register("Ольга", "Иванова", date_of_birth=None)
    register("Nino", "Beridze", date_of_birth=None)
    supervisor = acting(actors.supervisor, actors.home_org)
    assert list(case_list(supervisor, CaseFilters(q="Olga Ivanova"))) == [cyrillic]
    assert list(case_list(supervisor, CaseFilters(q="olga"))) == [cyrillic]
    georgian = register("ნინო", "ბერიძე", date_of_birth=None, confirmed=True)
    assert georgian in case_list(supervisor, CaseFilters(q="Nino"))


def test_search_by_number_code_and_date_of_birth(
    case: Any, register: Any, actors: Any, acting: Any
) -> None:
    register("Ivan", "Rusu", date_of_birth=datetime.date(1990, 1, 1))
    supervisor = acting(actors.supervisor, actors.home_org)
    assert list(case_list(supervisor, CaseFilters(q=case.number.lower()))) == [case]
    assert list(case_list(supervisor, CaseFilters(q=case.code))) == [case]
    assert list(case_list(supervisor, CaseFilters(q="1998-04-02"))) == [case]
    assert list(case_list(supervisor, CaseFilters(q="02.04.1998"))) == [case]


def test_name_index_holds_no_plaintext(case: Any) -> None:
    tokens = list(
        PersonNameIndex.objects.filter(person=case.person).values_list("token_hash", flat=True)
    )
    assert tokens
    assert all(re.fullmatch(r"[0-9a-f]{64}", token) for token in tokens)


def test_registration_page_warns_about_duplicates(
    client: Any, login: Any, actors: Any, case: Any
) -> None:
    from django.urls import reverse

    data = {
        "given_name": "Elena",
        "family_name": "Petrenko",
        "date_of_birth": "1998-04-02",
        "sex": "female",
        "received_at": "2026-03-01",
    }
    login(client, actors.other_worker, actors.other_org)
    response = client.post(reverse("cases:register"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "A possible match exists at another organisation" in body
    assert case.number not in body and case.code not in body
    assert Case.objects.count() == 1
    response = client.post(reverse("cases:register"), {**data, "confirm_new_person": "on"})
    assert response.status_code == 302
    assert Case.objects.filter(organisation=actors.other_org).count() == 1
    login(client, actors.supervisor, actors.home_org)
    response = client.post(reverse("cases:register"), data)
    assert case.number in response.content.decode()


def test_registration_page_allow_and_deny(client: Any, login: Any, actors: Any) -> None:
    from django.urls import reverse

    login(client, actors.case_manager, actors.home_org)
    assert client.get(reverse("cases:register")).status_code == 200
    login(client, actors.specialist, actors.home_org)
    assert client.get(reverse("cases:register")).status_code == 403
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get(reverse("cases:register")).status_code == 403


def test_search_shapes_pick_one_index(case: Any, register: Any, actors: Any, acting: Any) -> None:
    from cases.selectors import search_condition

    assert "number" in str(search_condition(case.number.lower()))
    assert "code" in str(search_condition(case.code.lower()))
    assert "person_id__in" in str(search_condition("Olena"))
    supervisor = acting(actors.supervisor, actors.home_org)
    assert list(case_list(supervisor, CaseFilters(q="Nobody Here"))) == []
    assert list(case_list(supervisor, CaseFilters(q="!!!"))) == [case]
