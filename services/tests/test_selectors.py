"""``services_matching``: each filter and each eligibility rule, on its own."""

from __future__ import annotations

import pytest

from services.selectors import AreaQuery, EligibilityProfile, services_matching
from services.services import AreaInput, service_update
from services.tests.conftest import as_acting

pytestmark = pytest.mark.django_db
ANYONE = EligibilityProfile()


def names(services):
    return sorted(service.name for service in services)


def test_category_language_and_text(make_service):
    make_service(name="Legal desk", category="legal_aid", languages=["ro"])
    make_service(
        name="Night shelter",
        category="shelter",
        languages=["ru", "en"],
        description="Beds for the night and a warm meal",
    )
    assert names(services_matching(ANYONE, category="shelter")) == ["Night shelter"]
    assert names(services_matching(ANYONE, language="RO")) == ["Legal desk"]
    assert names(services_matching(ANYONE, text="warm MEAL")) == ["Night shelter"]
    assert names(services_matching(ANYONE, text="desk")) == ["Legal desk"]
    assert names(services_matching(ANYONE, text="desk meal")) == []


def test_area_whole_country_serves_every_region(make_service):
    make_service(name="Nationwide", areas=[AreaInput("MD")])
    make_service(name="Capital only", areas=[AreaInput("MD", "Chișinău")])
    make_service(name="Albania", areas=[AreaInput("AL")])
    assert names(services_matching(ANYONE, area=AreaQuery("md"))) == ["Capital only", "Nationwide"]
    assert names(services_matching(ANYONE, area=AreaQuery("MD", "Chișinău"))) == [
        "Capital only",
        "Nationwide",
    ]
    assert names(services_matching(ANYONE, area=AreaQuery("MD", "Bălți"))) == ["Nationwide"]


def test_eligibility_by_age(make_service):
    make_service(name="Children", age_max=17)
    make_service(name="Adults", age_min=18)
    make_service(name="Young adults", age_min=18, age_max=25)
    make_service(name="Anyone")
    assert names(services_matching(EligibilityProfile(age=12))) == ["Anyone", "Children"]
    assert names(services_matching(EligibilityProfile(age=18))) == [
        "Adults",
        "Anyone",
        "Young adults",
    ]
    assert names(services_matching(EligibilityProfile(age=40))) == ["Adults", "Anyone"]


def test_eligibility_by_sex_nationality_and_status(make_service):
    make_service(name="Women", sexes=["female"])
    make_service(name="Moldovans", nationalities=["MD"])
    make_service(name="Statutory", identification_statuses=["statutory_victim"])
    profile = EligibilityProfile(sex="male", nationality="ua", identification_status="at_risk")
    assert names(services_matching(profile)) == []
    assert names(services_matching(EligibilityProfile(sex="female"))) == [
        "Moldovans",
        "Statutory",
        "Women",
    ]
    assert names(services_matching(EligibilityProfile(nationality="UA"))) == ["Statutory", "Women"]
    assert names(services_matching(EligibilityProfile(nationality="MD"))) == [
        "Moldovans",
        "Statutory",
        "Women",
    ]
    assert names(
        services_matching(EligibilityProfile(identification_status="statutory_victim"))
    ) == ["Moldovans", "Statutory", "Women"]
    assert names(services_matching(EligibilityProfile(identification_status="at_risk"))) == [
        "Moldovans",
        "Women",
    ]


def test_inactive_services_are_never_matched(actors, make_service):
    service = make_service(name="Closed")
    service_update(
        acting=as_acting(actors.coordinator, actors.coordinator_org),
        service_id=service.pk,
        expected_version=1,
        values={"is_active": False},
    )
    assert names(services_matching(ANYONE)) == []


def test_matching_rows_are_not_duplicated_by_related_sets(make_service):
    make_service(
        name="Many places",
        languages=["ro", "ru", "en"],
        areas=[AreaInput("MD", "A"), AreaInput("MD", "B"), AreaInput("MD")],
        nationalities=["MD", "UA"],
    )
    profile = EligibilityProfile(nationality="MD")
    assert services_matching(profile, area=AreaQuery("MD", "A"), language="ro").count() == 1


@pytest.mark.parametrize(
    "profile",
    [EligibilityProfile(sex="robot"), EligibilityProfile(identification_status="suspect")],
)
def test_unknown_profile_values_are_a_programming_error(profile):
    with pytest.raises(ValueError):
        services_matching(profile)
