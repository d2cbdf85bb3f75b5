"""The plan as the seeds state it (issue 14): the Fund's two stages (001 §3.4, §7.3-§7.6),
statutory status and written consent (001 §3.1-§3.2), minor status at the date of each act,
the child's own views (000 L357), entry into force at the last signature (001 §7.8), the
maximum term (001 §7.10), and the approver's views limited to what was submitted to them."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEntry
from plans.codes import PlanStatus
from plans.models import ActivityConfirmation, Plan, PlanDecision
from plans.selectors import objectives_of
from plans.services import (
    activity_add,
    activity_confirm,
    activity_progress,
    plan_decide,
    plan_modification_start,
    plan_review_record,
    plan_submit,
    plan_term,
    plan_update,
    signature_state,
)
from work.models import CaseMilestone, WorkItem

pytestmark = pytest.mark.django_db


def _fresh(plan: Any) -> Plan:
    return Plan.objects.select_related("data_key", "case").get(pk=plan.pk)


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _provider_activity(plan: Any, worker: Any, provider: Any) -> Any:
    """An activity another organisation delivers: the provider confirms it (001 §7.5)."""
    objective = objectives_of(plan)[0]
    return activity_add(
        acting=worker,
        objective=objective,
        values={
            "description": "Legal counselling by the partner NGO",
            "responsible_kind": "organisation",
            "responsible_organisation": provider,
            "starts_on": datetime.date(2026, 4, 1),
            "due_on": datetime.date(2026, 5, 31),
        },
    )


# ---------------------------------------------------------------- two stages (item 1)


def test_fund_agrees_the_initial_plan_then_approves_the_final_one_after_confirmations(
    ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = ge_case(given_name="Tamar", family_name="Beridze")
    plan = build_plan(case, by=ge_ngo.case_manager, amounts=(("1500", "necessary"),))
    manager = acting(ge_ngo.case_manager, ge_ngo.organisation)
    fund = acting(actors.coordinator, actors.coordinator_org)
    activity = _provider_activity(plan, manager, actors.other_org)
    plan = _fresh(plan)
    assert plan.stage == "initial"

    # The final plan cannot be submitted before the initial plan is agreed.
    with pytest.raises(ValidationError) as skipped:
        plan_submit(acting=manager, plan=plan, expected_version=plan.version, stage="final")
    assert "stage" in skipped.value.message_dict
    assert _fresh(plan).status == PlanStatus.DRAFT

    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version, stage="initial")
    assert (plan.status, plan.stage, plan.approving_organisation) == (
        PlanStatus.SUBMITTED,
        "initial",
        actors.coordinator_org,
    )
    # Deciding the final stage while the initial one is submitted is refused too.
    with pytest.raises(ValidationError) as wrong_stage:
        plan_decide(
            acting=fund,
            plan=plan,
            expected_version=plan.version,
            decision="approved",
            stage="final",
        )
    assert "stage" in wrong_stage.value.message_dict
    # Returned with comments at the initial stage: it stays the initial plan.
    plan = plan_decide(
        acting=fund,
        plan=plan,
        expected_version=plan.version,
        decision="returned",
        comment="Say which services are necessary",
    )
    assert (plan.status, plan.stage) == (PlanStatus.RETURNED, "initial")
    plan = plan_submit(acting=manager, plan=_fresh(plan), expected_version=plan.version)
    plan = plan_decide(acting=fund, plan=plan, expected_version=plan.version, decision="approved")
    assert (plan.status, plan.stage) == (PlanStatus.AGREED, "final")

    # The providers confirm first (001 §7.6).
    plan = _fresh(plan)
    with pytest.raises(ValidationError) as unconfirmed:
        plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    assert "Legal counselling" in unconfirmed.value.message_dict["confirmations"][0]
    activity_confirm(
        acting=manager,
        activity=activity,
        confirmed_on=datetime.date(2026, 3, 20),
        provider=actors.other_org,
        note="Letter of 20 March",
    )
    plan = _fresh(plan)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version, stage="final")
    plan = plan_decide(
        acting=fund, plan=plan, expected_version=plan.version, decision="approved", stage="final"
    )
    assert plan.status == PlanStatus.APPROVED
    stages = list(
        PlanDecision.objects.filter(plan=plan)
        .order_by("decided_at", "id")
        .values_list("stage", "decision")
    )
    assert stages == [("initial", "returned"), ("initial", "approved"), ("final", "approved")]
    audited = AuditEntry.objects.filter(case_id=case.pk, actor=actors.coordinator).order_by("id")
    assert [e.detail.get("stage") for e in audited if e.action == "transition"] == [
        "initial",
        "initial",
        "final",
    ]
    assert AuditEntry.objects.filter(
        case_id=case.pk, action="create", object_type__endswith="activityconfirmation"
    ).exists()


def test_fund_sees_no_identity_at_either_stage(
    client: Client, login: Any, ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = ge_case(given_name="Tamar", family_name="Beridze")
    plan = build_plan(case, by=ge_ngo.case_manager)
    manager = acting(ge_ngo.case_manager, ge_ngo.organisation)
    fund = acting(actors.coordinator, actors.coordinator_org)
    login(client, actors.coordinator, actors.coordinator_org)
    for stage in ("initial", "final"):
        plan = plan_submit(acting=manager, plan=_fresh(plan), expected_version=_fresh(plan).version)
        for url in (f"/api/v1/plan-approvals/{plan.pk}", f"/plans/approvals/{plan.pk}/"):
            response = client.get(url)
            assert response.status_code == 200
            text = response.content.decode()
            assert "Tamar" not in text and "Beridze" not in text and case.number not in text
        assert client.get(f"/api/v1/plan-approvals/{plan.pk}").json()["stage"] == stage
        plan = plan_decide(
            acting=fund, plan=plan, expected_version=plan.version, decision="approved"
        )
    assert plan.status == PlanStatus.APPROVED


def test_other_packs_keep_one_stage(
    open_case: Any, build_plan: Any, acting: Any, supervised: Any
) -> None:
    actors = supervised
    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    assert (plan.status, plan.stage) == (PlanStatus.SUBMITTED, "final")
    plan = plan_decide(
        acting=acting(actors.supervisor, actors.home_org),
        plan=plan,
        expected_version=plan.version,
        decision="approved",
    )
    # One decision by the supervisor: the plan is approved at once.
    assert plan.status == PlanStatus.APPROVED


def test_nrs_plan_is_final_at_submission_with_no_approver_recorded(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    assert plan.status == PlanStatus.APPROVED
    # md-nrs names nobody: the owning organisation is not recorded as approver.
    assert plan.stage == ""
    assert _fresh(plan).approving_organisation_id is None


# ---------------------------------------------------------------- status and consent (item 2)


def test_fund_plan_without_statutory_status_is_refused_naming_it(
    open_case: Any, ge_ngo: Any, build_plan: Any, acting: Any
) -> None:
    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        written=True,
    )
    plan = build_plan(case, by=ge_ngo.case_manager)
    with pytest.raises(ValidationError) as refused:
        plan_submit(
            acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
            plan=plan,
            expected_version=plan.version,
        )
    message = refused.value.message_dict["identification_status"][0]
    assert "Formally identified / statutory victim" in message
    assert _fresh(plan).status == PlanStatus.DRAFT


def test_fund_plan_with_only_oral_consent_is_refused(
    open_case: Any, ge_ngo: Any, acting: Any
) -> None:
    from consent.services import ConsentRequired
    from plans.services import plan_create

    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        identified=True,
    )
    with pytest.raises(ConsentRequired) as refused:
        plan_create(acting=acting(ge_ngo.case_manager, ge_ngo.organisation), case=case)
    assert "written" in str(refused.value) and "oral" in str(refused.value)
    assert not Plan.objects.filter(case=case).exists()


def test_oral_consent_is_refused_at_submission_too(
    ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any
) -> None:
    from consent.models import Consent

    case = ge_case()
    plan = build_plan(case, by=ge_ngo.case_manager)
    # The written consent is replaced by an oral one after the plan was started.
    Consent.objects.filter(case=case).update(method="oral_witnessed")
    with pytest.raises(ValidationError) as refused:
        plan_submit(
            acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
            plan=plan,
            expected_version=plan.version,
        )
    assert "oral" in refused.value.message_dict["consent"][0]


# ---------------------------------------------------------------- age at the act (item 3)


def test_person_of_age_signs_the_new_version_without_guardian_and_the_adult_term_applies(
    open_case: Any, build_plan: Any, acting: Any, actors: Any, sign_all: Any
) -> None:
    # Reception 1 March 2026; born 1 April 2008: 17 years and 11 months at reception.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC), tick=False):
        case = open_case(born=datetime.date(2008, 4, 1), minor=True)
        assert case.minor_at_reception
        plan = build_plan(case, by=actors.case_manager, currency="MDL")
        manager = acting(actors.case_manager, actors.home_org)
        plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
        required, _missing = signature_state(plan)
        assert "legal_representative" in required and "mayor" in required
        plan = sign_all(plan, by=actors.case_manager)
        assert plan.in_force_since == datetime.date(2026, 3, 10)
        # md-nrs gives children's plans no term (000: "except for minors").
        assert plan_term(plan).months is None
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC), tick=False):
        plan = _fresh(plan)
        plan_modification_start(
            acting=manager,
            plan=plan,
            expected_version=plan.version,
            reason="She turned 18 and wants her own flat",
            anticipated_result="Independent living",
            requested_by="person",
        )
        plan = _fresh(plan)
        plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
        required, _missing = signature_state(plan)
        assert required == ["person", "case_manager"]
        plan = sign_all(plan, by=actors.case_manager)
        assert not signature_state(plan)[1]
        # The IOM 12-month adult term now applies (000 IOM; SPEC C11).
        term = plan_term(plan)
        assert (term.months, term.is_minor) == (12, False)
        assert term.ends_on == datetime.date(2027, 3, 10)
        item = WorkItem.objects.get(case=case, kind="plan_term_end")
        assert item.due_on == datetime.date(2027, 3, 10)
        assert item.source_rule.endswith("plan.max_term_months.adult")


def test_minor_status_basis_is_shown_on_the_page(
    client: Client, login: Any, open_case: Any, build_plan: Any, actors: Any
) -> None:
    case = open_case(minor=True)
    build_plan(case, by=actors.case_manager, currency="MDL")
    login(client, actors.case_manager, actors.home_org)
    page = client.get(f"/plans/case/{case.pk}/").content.decode()
    assert "from the date of birth" in page
    body = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    assert body["minor"]["basis"] == "date_of_birth" and body["minor"]["is_minor"]


def test_minor_flag_decides_without_a_date_or_year_of_birth(open_case: Any) -> None:
    from cases.models import Case
    from cases.policy import minor_status
    from people.models import Person

    case = open_case()
    person = case.person
    person.set_plain("date_of_birth", None)
    person.birth_year = None
    person.save()
    Case.objects.filter(pk=case.pk).update(minor_at_reception=True)
    fresh = Case.objects.select_related("person__data_key").get(pk=case.pk)
    assert isinstance(fresh.person, Person)
    assert minor_status(fresh, datetime.date(2026, 6, 1)) == (True, "minor_flag", None)


def test_child_of_consulting_age_needs_their_views_before_submission(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case(minor=True)  # 14 under md-nrs, which consults from 10 (000 L357)
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_update(
        acting=manager, plan=plan, expected_version=plan.version, values={"child_views": ""}
    )
    with pytest.raises(ValidationError) as refused:
        plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    assert "child_views" in refused.value.message_dict


def test_child_s_own_view_is_recorded_before_the_assessment_is_completed(
    open_case: Any, acting: Any, actors: Any
) -> None:
    from assessments.models import Assessment, ComprehensiveAssessment
    from assessments.services import assessment_complete

    case = open_case(minor=True)
    comprehensive = ComprehensiveAssessment.objects.create(
        case=case, data_key=case.data_key, started_by=actors.supervisor
    )
    assessment = Assessment.objects.create(
        case=case,
        comprehensive=comprehensive,
        data_key=case.data_key,
        form_code="de_family",
        form_version=1,
        domain="family",
        assigned_to=actors.case_manager,
        discipline="social_worker",
        assigned_by=actors.supervisor,
        status="in_progress",
    )
    with pytest.raises(ValidationError) as refused:
        assessment_complete(
            acting=acting(actors.case_manager, actors.home_org),
            case=case,
            assessment=assessment,
            answers={},
            summary={"need_level": "low", "conclusion": "Family supportive"},
            expected_version=assessment.version,
        )
    assert "own_view" in refused.value.message_dict
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"


# ---------------------------------------------------------------- in force (item 9)


def test_approved_plan_is_not_in_force_until_signed(
    client: Client,
    login: Any,
    open_case: Any,
    build_plan: Any,
    acting: Any,
    supervised: Any,
    sign_all: Any,
) -> None:
    actors = supervised
    case = open_case(minor=True)
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    plan = plan_decide(
        acting=acting(actors.supervisor, actors.home_org),
        plan=plan,
        expected_version=plan.version,
        decision="approved",
    )
    activity = objectives_of(plan)[0].activities.all()[0]
    with pytest.raises(ValidationError) as no_progress:
        activity_progress(
            acting=manager, activity=activity, expected_version=activity.version, status="done"
        )
    assert "not in force" in no_progress.value.message_dict["plan"][0]
    with pytest.raises(ValidationError):
        plan_review_record(
            acting=manager,
            plan=plan,
            reviewed_on=datetime.date(2026, 4, 2),
            result="fully",
            time="fully",
            resources="fully",
            problems_solved="partly",
        )
    assert not CaseMilestone.objects.filter(case=case, kind="plan_approved").exists()
    assert not WorkItem.objects.filter(case=case, kind="plan_review").exists()
    login(client, actors.case_manager, actors.home_org)
    page = client.get(f"/plans/case/{case.pk}/").content.decode()
    assert "Not in force yet" in page
    assert "Parent or legal representative" in page
    body = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    assert body["in_force_since"] is None and body["not_in_force"]

    plan = sign_all(plan, by=actors.case_manager)
    assert plan.in_force_since is not None
    assert CaseMilestone.objects.filter(case=case, kind="plan_approved", ref="minor").exists()
    assert WorkItem.objects.filter(case=case, kind="plan_review").exists()
    activity.refresh_from_db()
    done = activity_progress(
        acting=manager, activity=activity, expected_version=activity.version, status="done"
    )
    assert done.status == "done"


# ---------------------------------------------------------------- term (item 6)


def test_activity_after_the_maximum_term_is_refused_showing_the_term(
    ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any
) -> None:
    case = ge_case()
    plan = build_plan(case, by=ge_ngo.case_manager)  # starts 1 April 2026, 12 months (001 §7.10)
    objective = objectives_of(plan)[0]
    with pytest.raises(ValidationError) as refused:
        activity_add(
            acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
            objective=objective,
            values={
                "description": "Follow-up course",
                "responsible_kind": "person",
                "starts_on": datetime.date(2027, 3, 1),
                "due_on": datetime.date(2027, 6, 30),
            },
        )
    message = refused.value.message_dict["due_on"][0]
    assert "12 months" in message and "2027" in message


def test_minors_plan_may_run_longer_where_the_pack_says(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case(minor=True)  # md-nrs: no term for children (000 IOM)
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    activity = activity_add(
        acting=acting(actors.case_manager, actors.home_org),
        objective=objectives_of(plan)[0],
        values={
            "description": "School year two",
            "responsible_kind": "person",
            "starts_on": datetime.date(2027, 9, 1),
            "due_on": datetime.date(2028, 6, 30),
        },
    )
    assert activity.due_on == datetime.date(2028, 6, 30)


def test_nrs_plan_due_counts_from_the_completed_assessment() -> None:
    from policies.deadlines import Event, EventKind, WorkKind, compute_deadlines
    from policies.packs import shipped_packs

    rules = shipped_packs()["md-nrs"]
    reception = Event(EventKind.RECEPTION, datetime.date(2026, 3, 1))
    before = compute_deadlines(events=[reception], rules=rules, is_minor=False)
    assert not [d for d in before if d.kind == WorkKind.PLAN_DRAFT]
    events = [
        reception,
        Event(EventKind.ASSESSMENT_ASSIGNED, datetime.date(2026, 3, 2), ref="health"),
        Event(EventKind.ASSESSMENT_ASSIGNED, datetime.date(2026, 3, 2), ref="family"),
        Event(EventKind.ASSESSMENT_COMPLETED, datetime.date(2026, 3, 9), ref="health"),
        Event(EventKind.ASSESSMENT_COMPLETED, datetime.date(2026, 3, 16), ref="family"),
    ]
    draft = [
        d
        for d in compute_deadlines(events=events, rules=rules, is_minor=False)
        if d.kind == WorkKind.PLAN_DRAFT
    ]
    # 000 L76: 20 days after the detailed evaluation, not after reception.
    assert [d.due_on for d in draft] == [datetime.date(2026, 4, 5)]
    default = compute_deadlines(events=events, rules=shipped_packs()["default"], is_minor=False)
    assert [d.due_on for d in default if d.kind == WorkKind.PLAN_DRAFT] == [
        datetime.date(2026, 3, 21)
    ]


# ---------------------------------------------------------------- the IOM plan (item 4)


def test_iom_part_two_takes_the_person_s_own_words_from_the_assessment(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    from assessments.models import ComprehensiveAssessment
    from assessments.services import RankedProblem, comprehensive_update
    from plans.printing import plan_pdf

    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    comprehensive = ComprehensiveAssessment.objects.create(
        case=case, data_key=case.data_key, started_by=actors.supervisor
    )
    comprehensive_update(
        acting=acting(actors.supervisor, actors.home_org),
        case=case,
        comprehensive=comprehensive,
        own_view="I need papers first",
        desired_situation="A room of my own near my daughter and a job in a bakery",
        problems=[
            RankedProblem(domain="legal", problem="No identity card"),
            RankedProblem(domain="employment", problem="No income"),
        ],
        identification_decision=None,
        expected_version=comprehensive.version,
    )
    text = _text(plan_pdf(_fresh(plan), layout="iom", language="en"))
    part_two = text[text.index("II. Desired situation") : text.index("III. Problem ranking")]
    assert "A room of my own near my daughter and a job in a bakery" in part_two
    assert "Live on her own" not in part_two  # the plan's goal is not the person's words
    part_three = text[text.index("III. Problem ranking") : text.index("IV. Intervention plan")]
    assert part_three.index("No identity card") < part_three.index("No income")


# ---------------------------------------------------------------- formats (item 5)


def test_undp_tdh_and_cptw_layouts_carry_their_parts(
    open_case: Any, build_plan: Any, acting: Any, actors: Any, sign_all: Any
) -> None:
    from plans.printing import plan_pdf

    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_update(
        acting=manager,
        plan=plan,
        expected_version=plan.version,
        values={
            "protection_responsible": "Family-type service, head Ion Rusu",
            "team_external": "Dr Vera Cojocaru, district clinic",
            "reason_for_repatriation": "Found working in a market abroad",
            "information_methods": "Study visit to the family; talk with the mayor",
            "conclusions": "Return to the aunt's family with school support",
            "person_commitments": "Attend the course every week",
            "organisation_commitments": "Pay the course fee and the transport",
        },
    )
    undp = _text(plan_pdf(_fresh(plan), layout="undp", language="en"))
    assert "Family-type service, head Ion Rusu" in undp
    assert "Dr Vera Cojocaru, district clinic" in undp
    assert "Team members and institution" in undp and "Place of residence" in undp
    tdh = _text(plan_pdf(_fresh(plan), layout="tdh", language="en"))
    for part in (
        "Found working in a market abroad",
        "Study visit to the family; talk with the mayor",
        "Return to the aunt's family with school support",
    ):
        assert part in tdh
    plan = plan_submit(acting=manager, plan=_fresh(plan), expected_version=_fresh(plan).version)
    plan = sign_all(plan, by=actors.case_manager)
    plan_review_record(
        acting=manager,
        plan=plan,
        reviewed_on=plan.in_force_since,
        result="partly",
        time="fully",
        resources="not_at_all",
        problems_solved="partly",
        legal_support="Accompanied to the hearing of 2 June",
    )
    cptw = _text(plan_pdf(_fresh(plan), layout="cptw", language="en"))
    assert "Attend the course every week" in cptw
    assert "Pay the course fee and the transport" in cptw
    assert "Resources: Not at all" in cptw
    assert "Accompanied to the hearing of 2 June" in cptw


def test_review_records_the_success_evaluation_through_the_api(
    client: Client,
    login: Any,
    open_case: Any,
    build_plan: Any,
    acting: Any,
    actors: Any,
    sign_all: Any,
) -> None:
    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    plan = sign_all(plan, by=actors.case_manager)
    login(client, actors.case_manager, actors.home_org)
    url = f"/api/v1/cases/{case.pk}/plan/reviews"
    bad = _post(
        client,
        url,
        {
            "reviewed_on": str(plan.in_force_since),
            "result": "excellent",
            "time": "fully",
            "resources": "fully",
            "problems_solved": "fully",
        },
    )
    assert bad.status_code == 422 and "result" in bad.json()["errors"]
    good = _post(
        client,
        url,
        {
            "reviewed_on": str(plan.in_force_since),
            "result": "fully",
            "time": "partly",
            "resources": "fully",
            "problems_solved": "partly",
        },
    )
    assert good.status_code == 201, good.content
    assert client.get(f"/api/v1/cases/{case.pk}/plan").json()["reviews"][0]["time"] == "partly"
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert _post(other, url, good.json()).status_code == 404


# ---------------------------------------------------------------- provider confirmations API


def test_confirmation_through_an_accepted_referral_and_the_api(
    client: Client, login: Any, ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = ge_case()
    plan = build_plan(case, by=ge_ngo.case_manager)
    manager = acting(ge_ngo.case_manager, ge_ngo.organisation)
    activity = _provider_activity(plan, manager, actors.other_org)
    login(client, ge_ngo.case_manager, ge_ngo.organisation)
    url = f"/api/v1/cases/{case.pk}/plan/activities/{activity.pk}/confirmations"
    missing = _post(client, url, {"confirmed_on": "2026-03-20"})
    assert missing.status_code == 422 and "provider" in missing.json()["errors"]
    unknown_referral = _post(client, url, {"confirmed_on": "2026-03-20", "referral_id": 999999})
    assert unknown_referral.status_code == 422 and "referral" in unknown_referral.json()["errors"]
    recorded = _post(
        client, url, {"confirmed_on": "2026-03-20", "provider_id": actors.other_org.pk}
    )
    assert recorded.status_code == 201, recorded.content
    assert ActivityConfirmation.objects.filter(activity=activity).count() == 1
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert (
        _post(other, url, {"confirmed_on": "2026-03-20", "provider_name": "x"}).status_code == 404
    )


def test_minor_flag_is_set_only_without_a_date_or_year_of_birth(
    client: Client, login: Any, open_case: Any, actors: Any
) -> None:
    from cases.models import Case

    dated = open_case()
    login(client, actors.supervisor, actors.home_org)
    refused = client.patch(
        f"/api/v1/cases/{dated.pk}",
        {"version": dated.version, "minor_at_reception": True},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "minor_at_reception" in refused.json()["errors"]
    undated = open_case(given_name="Ina", family_name="Lupu")
    person = undated.person
    person.set_plain("date_of_birth", None)
    person.birth_year = None
    person.save()
    fresh = Case.objects.get(pk=undated.pk)
    accepted = client.patch(
        f"/api/v1/cases/{undated.pk}",
        {"version": fresh.version, "minor_at_reception": True},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    assert Case.objects.get(pk=undated.pk).minor_at_reception


def test_confirmation_through_an_accepted_referral_on_the_page(
    client: Client, login: Any, ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    from consent.services import consent_record
    from referrals.services import referral_answer, referral_send

    case = ge_case()
    plan = build_plan(case, by=ge_ngo.case_manager)
    manager = acting(ge_ngo.case_manager, ge_ngo.organisation)
    activity = _provider_activity(plan, manager, actors.other_org)
    consent_record(
        acting=acting(ge_ngo.supervisor, ge_ngo.organisation),
        case=case,
        purpose="sharing",
        recipient=actors.other_org,
        given_by="person",
        method="signed_paper",
        given_on=datetime.date(2026, 3, 5),
        document=_pdf(),
    )
    referral = referral_send(
        acting=manager,
        case=case,
        recipient=actors.other_org,
        category="legal_aid",
        purpose="Legal counselling",
        sections=["summary"],
    )
    referral_answer(
        acting=acting(actors.other_worker, actors.other_org),
        referral=referral,
        status="accepted",
        expected_version=referral.version,
    )
    login(client, ge_ngo.case_manager, ge_ngo.organisation)
    page = client.get(f"/plans/case/{case.pk}/").content.decode()
    assert "Not confirmed by the provider yet." in page
    assert f'<option value="{referral.pk}">Other NGO — ' in page
    url = f"/plans/case/{case.pk}/activities/{activity.pk}/confirmations/"
    prefix = f"c{activity.pk}"
    posted = client.post(
        url, {f"{prefix}-referral": str(referral.pk), f"{prefix}-confirmed_on": "2026-03-20"}
    )
    assert posted.status_code == 302
    confirmation = ActivityConfirmation.objects.get(activity=activity)
    assert (confirmation.referral_id, confirmation.provider_id) == (
        referral.pk,
        actors.other_org.pk,
    )
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    refused = other.post(
        url, {f"{prefix}-provider_name": "x", f"{prefix}-confirmed_on": "2026-03-20"}
    )
    assert refused.status_code == 404
    assert ActivityConfirmation.objects.filter(activity=activity).count() == 1


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "consent.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
