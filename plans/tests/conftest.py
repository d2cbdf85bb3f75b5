"""Fixtures of the plan tests: cases with consent to assistance, a Georgian NGO working under
the fund's pack, assessments with concluded needs, and a plan with a budget."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accounts.access import Acting, acting_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "attachments"


@pytest.fixture
def acting() -> Callable[[Any, Any], Acting]:
    def make(user: Any, organisation: Any) -> Acting:
        resolved = acting_for(user, organisation)
        assert resolved is not None
        return resolved

    return make


@pytest.fixture
def pdf_upload() -> Callable[..., Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name: str = "signed.pdf") -> Any:
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    return make


@dataclass
class GeorgianNgo:
    organisation: Any
    case_manager: Any
    supervisor: Any


@pytest.fixture
def ge_ngo(actors: Any, make_user: Callable[..., Any]) -> GeorgianNgo:
    """An NGO in Georgia under the fund's pack: its final plans go to the fund (001 §3.4)."""
    from accounts.models import Organisation, OrganisationType
    from accounts.roles import Discipline, Role

    organisation = Organisation.objects.create(
        name="Tbilisi NGO",
        type=OrganisationType.NGO,
        country="GE",
        policy_pack="ge-fund",
        case_prefix="TBN",
    )
    return GeorgianNgo(
        organisation=organisation,
        case_manager=make_user(
            "nino_manager", organisation, Role.CASE_MANAGER, discipline=Discipline.SOCIAL_WORKER
        ),
        supervisor=make_user("giorgi_supervisor", organisation, Role.SUPERVISOR),
    )


@pytest.fixture
def open_case(
    actors: Any, acting: Callable[[Any, Any], Acting], pdf_upload: Callable[..., Any]
) -> Callable[..., Any]:
    """A registered case with a case manager and consent to assistance."""
    from cases.models import Case
    from cases.services import CaseInput, case_assign_manager, case_register, case_update
    from consent.services import consent_record
    from people.services import PersonInput, related_person_add

    def make(
        *,
        organisation: Any = None,
        supervisor: Any = None,
        case_manager: Any = None,
        minor: bool = False,
        given_name: str = "Olena",
        family_name: str = "Petrenko",
        languages: tuple[str, ...] = (),
        written: bool = False,
        identified: bool = False,
        born: datetime.date | None = None,
    ) -> Any:
        organisation = organisation or actors.home_org
        boss = acting(supervisor or actors.supervisor, organisation)
        born = born or (datetime.date(2012, 1, 1) if minor else datetime.date(1998, 4, 2))
        case = case_register(
            acting=boss,
            person=PersonInput(
                given_name=given_name,
                family_name=family_name,
                date_of_birth=born,
                languages=list(languages),
            ),
            case=CaseInput(received_at=datetime.date(2026, 3, 1)),
            confirmed_not_duplicate=True,
        )
        case_update(
            acting=boss,
            case=case,
            expected_version=case.version,
            values={"immediate_needs_met_on": datetime.date(2026, 3, 2)},
        )
        fresh = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
        case_assign_manager(
            acting=boss,
            case=fresh,
            case_manager=case_manager or actors.case_manager,
            reason="initial",
            expected_version=fresh.version,
        )
        fresh = Case.objects.select_related("data_key", "person__data_key", "case_manager").get(
            pk=case.pk
        )
        extra: dict[str, Any] = {"given_by": "person", "method": "oral_witnessed"}
        if written:
            # 001 §3.2: the Fund's pack asks for consent in writing.
            extra = {
                "given_by": "person",
                "method": "signed_paper",
                "document": pdf_upload("consent.pdf"),
            }
        if minor:
            guardian = related_person_add(
                acting_user=boss.user,
                organisation=organisation,
                case_id=fresh.pk,
                person=fresh.person,
                relationship="parent",
                name="Maria Mica",
                is_legal_representative=True,
                authority_document="parental",
                authority_upload=pdf_upload("birth-certificate.pdf"),
            )
            extra = {
                "given_by": "legal_representative",
                "legal_representative": guardian,
                "method": "signed_paper",
                "document": pdf_upload("consent.pdf"),
            }
        consent_record(
            acting=boss,
            case=fresh,
            purpose="assistance",
            given_on=datetime.date(2026, 3, 2),
            **extra,
        )
        if identified:
            # 001 §3.1: the (statutory) victim status the Fund's pack requires.
            Case.objects.filter(pk=fresh.pk).update(identification_status="identified")
            fresh.identification_status = "identified"
        return fresh

    return make


@pytest.fixture
def assess(actors: Any) -> Callable[..., Any]:
    """A completed assessment of one domain with the need level it concluded."""
    from assessments.models import Assessment, ComprehensiveAssessment

    def make(case: Any, domain: str, level: str = "high", *, author: Any = None) -> Any:
        comprehensive = ComprehensiveAssessment.objects.filter(case=case).first()
        if comprehensive is None:
            comprehensive = ComprehensiveAssessment.objects.create(
                case=case, data_key=case.data_key, started_by=author or actors.supervisor
            )
        return Assessment.objects.create(
            case=case,
            comprehensive=comprehensive,
            data_key=case.data_key,
            form_code=f"de_{domain}",
            form_version=1,
            domain=domain,
            assigned_to=author or actors.specialist,
            discipline="psychologist",
            assigned_by=actors.supervisor,
            status="completed",
            need_level=level,
            completed_on=datetime.date(2026, 3, 10),
        )

    return make


@pytest.fixture
def build_plan(acting: Callable[[Any, Any], Acting]) -> Callable[..., Any]:
    """A plan with one objective, one activity and one budget line per amount given."""
    from plans.services import (
        activity_add,
        budget_line_add,
        objective_add,
        plan_create,
        plan_update,
    )

    def make(
        case: Any,
        *,
        by: Any,
        amounts: tuple[tuple[str, str], ...] = (("1200", "necessary"),),
        currency: str = "GEL",
        domain: str = "employment",
    ) -> Any:
        worker = acting(by, case.organisation)
        plan = plan_create(acting=worker, case=case)
        plan = plan_update(
            acting=worker,
            plan=plan,
            expected_version=plan.version,
            values={
                "ultimate_goal": "independent_living",
                "goal_details": "Live on her own in Chișinău",
                "starts_on": datetime.date(2026, 4, 1),
                # 000 L357: a child's own views, recorded for every plan the tests build.
                "child_views": "I want to learn a trade and stay near my sister",
            },
        )
        for index, (amount, priority) in enumerate(amounts):
            objective = objective_add(
                acting=worker,
                plan=plan,
                values={
                    "domain": domain,
                    "priority": priority,
                    "title": f"Objective {index + 1}",
                    "need": "No income",
                    "anticipated_result": "Stable job",
                    "indicator": "Employed",
                    "target": "3 months in the job",
                },
            )
            activity = activity_add(
                acting=worker,
                objective=objective,
                values={
                    "description": f"Vocational course {index + 1}",
                    "responsible_kind": "person",
                    "starts_on": datetime.date(2026, 4, 1),
                    "due_on": datetime.date(2026, 6, 30),
                },
            )
            budget_line_add(
                acting=worker,
                activity=activity,
                amount=amount,
                currency=currency,
                units=1,
                funding_source_name="State Fund",
            )
        from plans.models import Plan

        return Plan.objects.select_related("data_key", "case").get(pk=plan.pk)

    return make


@pytest.fixture
def supervised(actors: Any) -> Any:
    """The home organisation under the default pack, where supervisors approve plans."""
    actors.home_org.policy_pack = "default"
    actors.home_org.save(update_fields=["policy_pack"])
    return actors


@pytest.fixture
def ge_case(open_case: Any, ge_ngo: GeorgianNgo) -> Callable[..., Any]:
    """A case of the Georgian NGO with the statutory status and written consent (001 §3.1-§3.2)."""

    def make(**kwargs: Any) -> Any:
        return open_case(
            organisation=ge_ngo.organisation,
            supervisor=ge_ngo.supervisor,
            case_manager=ge_ngo.case_manager,
            written=True,
            identified=True,
            **kwargs,
        )

    return make


@pytest.fixture
def sign_all(
    acting: Callable[[Any, Any], Acting], pdf_upload: Callable[..., Any]
) -> Callable[..., Any]:
    """Record every missing signature of the plan's current version on paper, so the plan
    comes into force (001 §7.8)."""
    from plans.services import signature_record_paper, signature_state

    def make(plan: Any, *, by: Any, on: datetime.date | None = None) -> Any:
        from django.utils import timezone

        from plans.models import Plan

        worker = acting(by, plan.case.organisation)
        fresh = Plan.objects.select_related("data_key", "case").get(pk=plan.pk)
        for role in list(signature_state(fresh)[1]):
            signature_record_paper(
                acting=worker,
                plan=fresh,
                role=role,
                signer_name=f"Signer {role}",
                signed_on=on or timezone.localdate(),
                upload=pdf_upload(),
            )
            fresh = Plan.objects.select_related("data_key", "case").get(pk=plan.pk)
        return fresh

    return make
