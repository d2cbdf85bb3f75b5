"""generate_synthetic at volume: names, caseloads, teams and the shares of later case work
look like a real deployment's (SPEC §5 "Scale")."""

from __future__ import annotations

import math
import random
import unicodedata
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import Membership
from accounts.roles import Role
from assessments.models import Assessment, ComprehensiveAssessment
from cases.models import Case, CaseNote, CaseStatus
from cases.synthetic import COUNTRY_WEIGHTS, draw_name
from cases.synthetic_names import FAMILY, FEMALE_GIVEN, MALE_GIVEN
from consent.models import Consent
from people.codes import Sex
from plans.models import Activity, BudgetLine, Objective, Plan
from referrals.models import Referral, ReferralSection

SCRIPT = {"GE": "GEORGIAN", "UA": "CYRILLIC", "RU": "CYRILLIC"}


def _script_of(name: str) -> set[str]:
    # Letters only: the Ukrainian apostrophe (U+02BC, a modifier letter) belongs to no script.
    return {
        unicodedata.name(ch).split()[0]
        for ch in name
        if unicodedata.category(ch) in ("Lu", "Ll", "Lo")
    }


@pytest.mark.parametrize("country", list(COUNTRY_WEIGHTS))
def test_name_lists_per_country_in_its_script(country: str) -> None:
    given = set(FEMALE_GIVEN[country]) | set(MALE_GIVEN[country])
    assert len(given) >= 150
    assert len(set(FAMILY[country])) >= 200
    expected = SCRIPT.get(country, "LATIN")
    for name in [*given, *FAMILY[country]]:
        assert _script_of(name) == {expected}, name


@pytest.mark.parametrize("country", ["MD", "GE"])
def test_names_are_drawn_with_a_realistic_frequency(country: str) -> None:
    rng = random.Random(3)
    families = Counter(draw_name(rng, country, Sex.FEMALE)[1] for _ in range(20000))
    shares = [n / 20000 for _name, n in families.most_common()]
    # Some common: the commonest family name is a few per cent, as in real registers ...
    assert 0.015 <= shares[0] <= 0.06
    # ... most rare: half the names in use each cover less than 0.3 % of the persons.
    assert len(shares) >= 180
    assert sum(1 for s in shares if s < 0.003) >= len(shares) / 2
    # Frequencies fall with rank (Zipf-like): the top ten outweigh the hundred rarest.
    assert sum(shares[:10]) > sum(shares[-100:])


@pytest.fixture
def volume(actors: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("generate_synthetic", "--cases", "400", "--seed", "11", stdout=StringIO())


@pytest.mark.django_db
def test_caseloads_and_teams(volume: None, actors: Any) -> None:
    synthetic = Membership.objects.filter(user__username__contains=".case.")
    managers = list(synthetic.values_list("user_id", flat=True))
    assert managers
    loads = dict(
        Case.objects.filter(status=CaseStatus.OPEN, case_manager__in=managers)
        .values_list("case_manager")
        .annotate(n=Count("id"))
    )
    # Every case manager carries 10-40 open cases (fewer only in an organisation that has
    # fewer than ten open cases in all).
    for manager in managers:
        organisation_open = Case.objects.filter(
            status=CaseStatus.OPEN,
            organisation__memberships__user_id=manager,
            case_manager__isnull=False,
        ).count()
        assert 10 <= loads.get(manager, 0) <= 40 or organisation_open < 10
    # A supervisor over every team of about seven case managers.
    for organisation_id, count in Counter(
        synthetic.values_list("organisation_id", flat=True)
    ).items():
        supervisors = Membership.objects.filter(
            organisation_id=organisation_id, role=Role.SUPERVISOR, user__username__contains=".supe."
        ).count()
        assert supervisors == math.ceil(count / 7)
    # Most cases are closed: assistance lasts about a year out of five years of history.
    open_share = Case.objects.filter(status=CaseStatus.OPEN).count() / Case.objects.count()
    assert 0.1 <= open_share <= 0.4


@pytest.mark.django_db
def test_later_case_work_in_realistic_shares(volume: None) -> None:
    managed = Case.objects.exclude(case_manager=None)
    assessed = ComprehensiveAssessment.objects.values("case").distinct().count()
    assert 0.5 <= assessed / managed.count() <= 0.9
    assert Assessment.objects.filter(status="completed").exclude(need_level="").exists()
    plans = Plan.objects.count()
    assert 0.3 <= plans / managed.count() <= 0.8
    assert Plan.objects.filter(status="approved").exists()
    assert Objective.objects.count() >= 2 * plans
    assert Activity.objects.count() >= Objective.objects.count()
    assert BudgetLine.objects.exists()
    referred = Referral.objects.values("case").distinct().count()
    assert 0.2 <= referred / managed.count() <= 0.6
    assert ReferralSection.objects.count() >= 2 * Referral.objects.count()
    # A sharing consent names the recipient of each referral.
    sharing = Consent.objects.filter(purpose="sharing")
    assert sharing.count() == Referral.objects.count()
    for referral in Referral.objects.select_related("consent"):
        assert referral.consent is not None
        assert referral.consent.recipient_id == referral.recipient_id
    assert CaseNote.objects.count() >= 2 * Case.objects.count()


@pytest.mark.django_db
def test_one_data_key_per_person_and_readable_text(volume: None) -> None:
    cases = Case.objects.select_related("person__data_key")
    assert cases.values("person__data_key").distinct().count() == cases.count()
    assert all(c.data_key_id == c.person.data_key_id for c in cases)
    objective = Objective.objects.select_related("data_key", "plan").first()
    assert objective is not None
    assert objective.data_key_id == objective.plan.data_key_id
    assert objective.get_plain("title")
    referral = Referral.objects.select_related("data_key").first()
    assert referral is not None and referral.get_plain("purpose")
    activity = Activity.objects.select_related("data_key").first()
    assert activity is not None and activity.get_plain("description")
