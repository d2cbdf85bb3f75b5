"""Crisis interventions (003 §5.2), case meetings (002 L2525-L2538) and the fund's
information requests (001 §8.2): allow and deny for each page and endpoint, audit, bad input,
stale edits and constant query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from teamwork.models import CaseMeeting, CrisisIntervention, InformationRequest
from teamwork.services import (
    StaleEdit,
    crisis_record,
    information_request_answer,
    information_request_create,
    meeting_minutes_share,
    meeting_record,
)

pytestmark = pytest.mark.django_db

CRISIS: dict[str, Any] = {
    "situation": "Panic attack after a call from the recruiter",
    "immediate_risks": "Wants to leave the shelter tonight",
    "actions": "Calming conversation; safety plan; police informed",
    "responders": "Shelter psychologist and night worker",
    "outcome": "Stayed; agreed to see the psychologist tomorrow",
}


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def test_crisis_intervention_is_encrypted_audited_and_listed(
    client: Client, login: Any, open_case: Any, acting: Any, actors: Any
) -> None:
    case = open_case()
    worker = acting(actors.case_manager, actors.home_org)
    with pytest.raises(ValidationError) as refused:
        crisis_record(
            acting=worker, case=case, occurred_at=timezone.now(), **{**CRISIS, "situation": " "}
        )
    assert "situation" in refused.value.message_dict
    assert not CrisisIntervention.objects.exists()
    crisis = crisis_record(acting=worker, case=case, occurred_at=timezone.now(), **CRISIS)
    raw = CrisisIntervention.objects.filter(pk=crisis.pk).values_list("situation_enc", flat=True)
    stored = raw[0]
    assert stored is not None and b"Panic attack" not in bytes(stored)
    assert AuditEntry.objects.filter(
        case_id=case.pk, action="create", object_type__endswith="crisisintervention"
    ).exists()

    login(client, actors.case_manager, actors.home_org)
    page = client.get(f"/teamwork/case/{case.pk}/")
    assert page.status_code == 200 and "Panic attack" in page.content.decode()
    listed = client.get(f"/api/v1/cases/{case.pk}/crisis-interventions")
    assert listed.status_code == 200 and listed.json()[0]["responders"] == CRISIS["responders"]
    created = _post(
        client,
        f"/api/v1/cases/{case.pk}/crisis-interventions",
        {**CRISIS, "occurred_at": timezone.now().isoformat()},
    )
    assert created.status_code == 201
    bad = _post(
        client,
        f"/api/v1/cases/{case.pk}/crisis-interventions",
        {**CRISIS, "actions": "", "occurred_at": timezone.now().isoformat()},
    )
    assert bad.status_code == 422 and "actions" in bad.json()["errors"]
    form = client.post(
        f"/teamwork/case/{case.pk}/crisis/",
        {
            "c-occurred_at": "2026-03-02T21:30",
            **{f"c-{k}": v for k, v in CRISIS.items()},
            "c-follow_up_needed": "on",
        },
    )
    assert form.status_code == 302
    assert CrisisIntervention.objects.filter(case=case).count() == 3


def test_teamwork_is_refused_to_others(
    client: Client, login: Any, open_case: Any, actors: Any
) -> None:
    case = open_case()
    for user, organisation in (
        (actors.other_worker, actors.other_org),
        (actors.coordinator, actors.coordinator_org),
    ):
        other = Client()
        login(other, user, organisation)
        assert other.get(f"/teamwork/case/{case.pk}/").status_code in (403, 404)
        # Another organisation: 404; a coordinator has no case-work role at all: 403.
        assert other.get(f"/api/v1/cases/{case.pk}/crisis-interventions").status_code in (403, 404)
        assert other.get(f"/api/v1/cases/{case.pk}/meetings").status_code in (403, 404)
        posted = _post(
            other,
            f"/api/v1/cases/{case.pk}/crisis-interventions",
            {**CRISIS, "occurred_at": timezone.now().isoformat()},
        )
        assert posted.status_code in (403, 404)
    anonymous = Client()
    assert anonymous.get(f"/teamwork/case/{case.pk}/").status_code == 302
    assert anonymous.get(f"/api/v1/cases/{case.pk}/meetings").status_code in (401, 403)
    assert not CrisisIntervention.objects.exists()


def test_case_meeting_with_minutes_shared_late_or_on_time(
    client: Client, login: Any, open_case: Any, acting: Any, actors: Any
) -> None:
    case = open_case()
    worker = acting(actors.case_manager, actors.home_org)
    held = timezone.localdate() - datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as outsider:
        meeting_record(
            acting=worker,
            case=case,
            held_on=held,
            participants=[actors.other_worker],
            minutes_due_on=held + datetime.timedelta(days=3),
            purpose="Review of the plan",
            decisions="Start the course",
        )
    assert "participants" in outsider.value.message_dict
    meeting = meeting_record(
        acting=worker,
        case=case,
        held_on=held,
        participants=[actors.case_manager, actors.specialist],
        other_participants="Ion Rusu, district police",
        minutes_due_on=held + datetime.timedelta(days=3),
        purpose="Review of the plan",
        decisions="Start the course; psychologist weekly",
    )
    assert set(meeting.participants.values_list("pk", flat=True)) == {
        actors.case_manager.pk,
        actors.specialist.pk,
    }
    with pytest.raises(StaleEdit):
        meeting_minutes_share(
            acting=worker,
            meeting=meeting,
            expected_version=meeting.version + 1,
            minutes="Minutes",
            shared_on=held,
        )
    shared = meeting_minutes_share(
        acting=worker,
        meeting=meeting,
        expected_version=meeting.version,
        minutes="All agreed; next meeting in a month",
        shared_on=held + datetime.timedelta(days=5),
    )
    assert shared.minutes_shared_on == held + datetime.timedelta(days=5)
    entry = AuditEntry.objects.filter(case_id=case.pk, action="update").order_by("-id").first()
    assert entry is not None and entry.detail == {"on_time": False}

    login(client, actors.case_manager, actors.home_org)
    body = client.get(f"/api/v1/cases/{case.pk}/meetings").json()
    assert body[0]["minutes_on_time"] is False and body[0]["participant_ids"]
    page = client.get(f"/teamwork/case/{case.pk}/").content.decode()
    assert "Ion Rusu, district police" in page and "late" in page
    created = _post(
        client,
        f"/api/v1/cases/{case.pk}/meetings",
        {
            "held_on": str(held),
            "participant_ids": [actors.case_manager.pk],
            "purpose": "Crisis follow-up",
            "decisions": "Move to the other shelter",
            "minutes_due_on": str(held - datetime.timedelta(days=1)),
        },
    )
    assert created.status_code == 422 and "minutes_due_on" in created.json()["errors"]
    created = _post(
        client,
        f"/api/v1/cases/{case.pk}/meetings",
        {
            "held_on": str(held),
            "participant_ids": [actors.case_manager.pk],
            "purpose": "Crisis follow-up",
            "decisions": "Move to the other shelter",
            "minutes_due_on": str(held + datetime.timedelta(days=2)),
        },
    )
    assert created.status_code == 201, created.content
    minutes = _post(
        client,
        f"/api/v1/cases/{case.pk}/meetings/{created.json()['id']}/minutes",
        {"expected_version": 1, "minutes": "Moved", "shared_on": str(held)},
    )
    assert minutes.status_code == 200 and minutes.json()["minutes_on_time"] is True
    stale = _post(
        client,
        f"/api/v1/cases/{case.pk}/meetings/{created.json()['id']}/minutes",
        {"expected_version": 1, "minutes": "Again", "shared_on": str(held)},
    )
    assert stale.status_code == 409


def test_fund_asks_about_a_case_it_funds_and_the_case_manager_answers(
    client: Client, login: Any, ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    from plans.services import plan_submit

    case = ge_case(given_name="Tamar", family_name="Beridze")
    plan = build_plan(case, by=ge_ngo.case_manager)
    fund = acting(actors.coordinator, actors.coordinator_org)
    fund_client = Client()
    login(fund_client, actors.coordinator, actors.coordinator_org)
    # Before any plan reached the fund, it has nothing to ask about.
    refused = _post(
        fund_client, "/api/v1/information-requests", {"case_id": case.pk, "question": "How is it?"}
    )
    assert refused.status_code == 404
    plan_submit(
        acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
        plan=plan,
        expected_version=plan.version,
    )
    bad = _post(fund_client, "/api/v1/information-requests", {"case_id": case.pk, "question": ""})
    assert bad.status_code == 422 and "question" in bad.json()["errors"]
    asked = _post(
        fund_client,
        "/api/v1/information-requests",
        {"case_id": case.pk, "question": "Has the course started?"},
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["case_code"] == case.code
    item = InformationRequest.objects.get(pk=asked.json()["id"])
    # The page for the fund: codes, questions and answers, no identity.
    page = fund_client.get("/teamwork/requests/")
    text = page.content.decode()
    assert page.status_code == 200 and case.code in text
    assert "Tamar" not in text and "Beridze" not in text and case.number not in text
    form = fund_client.post(
        "/teamwork/requests/", {"case": str(case.pk), "question": "And the budget?"}
    )
    assert form.status_code == 302
    # The case worker of another organisation and a case manager without the case: nothing.
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get("/api/v1/information-requests").json() == []
    assert other.get("/teamwork/requests/").status_code == 403
    # The case manager answers; a stale answer is refused with the current values.
    manager = Client()
    login(manager, ge_ngo.case_manager, ge_ngo.organisation)
    listed = manager.get("/api/v1/information-requests").json()
    assert {r["question"] for r in listed} == {"Has the course started?", "And the budget?"}
    url = f"/api/v1/cases/{case.pk}/information-requests/{item.pk}/answer"
    answered = _post(manager, url, {"expected_version": item.version, "answer": "Yes, in April"})
    assert answered.status_code == 200 and answered.json()["answer"] == "Yes, in April"
    stale = _post(manager, url, {"expected_version": item.version, "answer": "Again"})
    assert stale.status_code == 409 and stale.json()["answer"] == "Yes, in April"
    assert fund_client.get("/api/v1/information-requests").json()[-1]["answer"] == "Yes, in April"
    # The fund cannot answer for the case manager.
    with pytest.raises(PermissionDenied):
        information_request_answer(
            acting=fund, request=item, expected_version=item.version + 1, answer="x"
        )
    assert AuditEntry.objects.filter(
        case_id=case.pk, action="view", object_type__endswith="informationrequest"
    ).exists()
    with pytest.raises(PermissionDenied):
        information_request_create(
            acting=acting(ge_ngo.case_manager, ge_ngo.organisation), case=case, question="x"
        )
    assert Client().get("/api/v1/information-requests").status_code in (401, 403)


def test_case_page_query_count_is_constant(
    client: Client,
    login: Any,
    open_case: Any,
    acting: Any,
    actors: Any,
    django_assert_max_num_queries: Any,
) -> None:
    case = open_case()
    worker = acting(actors.case_manager, actors.home_org)
    login(client, actors.case_manager, actors.home_org)
    url = f"/teamwork/case/{case.pk}/"
    api_url = f"/api/v1/cases/{case.pk}/meetings"

    def add(count: int) -> None:
        for _ in range(count):
            crisis_record(acting=worker, case=case, occurred_at=timezone.now(), **CRISIS)
            meeting_record(
                acting=worker,
                case=case,
                held_on=timezone.localdate(),
                participants=[actors.case_manager, actors.specialist],
                minutes_due_on=timezone.localdate(),
                purpose="Review",
                decisions="Continue",
            )

    add(1)
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    with django_assert_max_num_queries(40) as few_api:
        client.get(api_url)
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        client.get(api_url)
    assert CaseMeeting.objects.filter(case=case).count() == 7
