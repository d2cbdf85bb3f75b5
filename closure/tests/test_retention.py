"""apply_retention: the dry run changes nothing; the run erases exactly the eligible
identities, leaves a person in proceedings, under a legal hold or with an open case, and the
audit chain still verifies. Erasure on request: a supervisor only, the same service."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from audit.models import AuditEntry
from audit.services import verify_chain
from cases.models import Case
from closure.models import CaseClosure, LegalHold
from people.models import Person

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2014, 1, 10)


def _closed_long_ago(case: Any, actors: Any, *, ended: datetime.date = LONG_AGO) -> None:
    Case.objects.filter(pk=case.pk).update(status="closed")
    CaseClosure.objects.create(
        case=case,
        data_key=case.data_key,
        reason="objectives_achieved",
        status="approved",
        closed_on=ended,
        contact_channel="phone",
        proposed_by=actors.case_manager,
        follow_up_ended_on=ended,
        follow_up_end="period_completed",
    )


def _name(case: Any) -> str | None:
    return Person.objects.select_related("data_key").get(pk=case.person_id).full_name


def test_dry_run_changes_nothing_and_the_run_erases_exactly_the_eligible(
    actors: Any, make_case: Any
) -> None:
    eligible = make_case(received=datetime.date(2013, 1, 10), given_name="Ana")
    recent = make_case(received=datetime.date(2013, 1, 10), given_name="Bea")
    in_proceedings = make_case(received=datetime.date(2013, 1, 10), given_name="Cleo")
    held = make_case(received=datetime.date(2013, 1, 10), given_name="Dina")
    still_open = make_case(received=datetime.date(2013, 1, 10), given_name="Eva")
    _closed_long_ago(eligible, actors)
    _closed_long_ago(recent, actors, ended=datetime.date(2024, 1, 1))
    _closed_long_ago(in_proceedings, actors)
    Case.objects.filter(pk=in_proceedings.pk).update(in_proceedings=True)
    _closed_long_ago(held, actors)
    LegalHold.objects.create(person=held.person, organisation=actors.home_org)
    entries_before = AuditEntry.objects.count()

    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [eligible.code, "1 persons due for erasure."]
    assert "Ana" not in out.getvalue()
    assert _name(eligible) == "Ana Petrenko"
    assert AuditEntry.objects.count() == entries_before

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 persons erased."
    assert _name(eligible) is None
    assert Case.objects.filter(pk=eligible.pk).exists()
    for case, name in (
        (recent, "Bea"),
        (in_proceedings, "Cleo"),
        (held, "Dina"),
        (still_open, "Eva"),
    ):
        assert _name(case) == f"{name} Petrenko"
    assert AuditEntry.objects.filter(
        case_id=eligible.pk, detail__operation="identity_erase"
    ).exists()
    _, broken = verify_chain()
    assert broken is None
    # A second run finds nothing more.
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue().strip() == "0 persons erased."


def test_erasure_on_request_needs_a_supervisor(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case(received=datetime.date(2025, 1, 10))
    url = f"/api/v1/cases/{case.pk}/erasure"
    login(client, actors.case_manager, actors.home_org)
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert client.post(url, {}, content_type="application/json").status_code == 403
    login(client, actors.other_worker, actors.other_org)
    assert client.post(url, {}, content_type="application/json").status_code == 404
    login(client, actors.supervisor, actors.home_org)
    Case.objects.filter(pk=case.pk).update(in_proceedings=True)
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 422
    assert _name(case) == "Olena Petrenko"
    Case.objects.filter(pk=case.pk).update(in_proceedings=False)
    assert client.post(url, {}, content_type="application/json").status_code == 204
    assert _name(case) is None
