"""Fixtures of the referral tests: a case of the home organisation with a note, a document and
a consent to share with the other organisation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from accounts.access import Acting
from cases.tests import conftest as case_fixtures
from services.tests import conftest as service_fixtures

# The case-file fixtures, reused under their own names.
_attachments_in_tmp = case_fixtures._attachments_in_tmp
acting = case_fixtures.acting
register = case_fixtures.register
managed_case = case_fixtures.managed_case
pdf_upload = case_fixtures.pdf_upload
make_service = service_fixtures.make_service

NOTE_TEXT = "Met at the bus station; wants to train as a hairdresser"
PHONE = "+373 60 123 456"
TRAFFICKER = "Recruiter known as Vadim"
DOCUMENT_NAME = "medical-certificate.pdf"


@pytest.fixture
def case(register: Callable[..., Any]) -> Any:
    """A registered case whose person has contact details."""
    return register(phone=PHONE, address="Str. Florilor 12, Chisinau")


@pytest.fixture
def home(actors: Any, acting: Callable[[Any, Any], Acting]) -> Acting:
    return acting(actors.case_manager, actors.home_org)


@pytest.fixture
def recipient(actors: Any, acting: Callable[[Any, Any], Acting]) -> Acting:
    return acting(actors.other_worker, actors.other_org)


@pytest.fixture
def shared_case(
    managed_case: Any, actors: Any, home: Acting, pdf_upload: Callable[..., Any]
) -> Any:
    """The managed case with a note, a document and a current consent to share with the
    other organisation."""
    from cases.models import TraffickingProfile
    from cases.services import document_upload, note_add, profile_update
    from consent.services import consent_record

    profile = TraffickingProfile.objects.get(case=managed_case)
    profile_update(
        acting=home,
        case=managed_case,
        expected_version=profile.version,
        values={"recruitment_country": "UA"},
        codes={"exploitation": ["ForcedLabour"]},
        texts={"traffickers": TRAFFICKER},
    )

    note_add(
        acting=home,
        case=managed_case,
        kind="visit",
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        text=NOTE_TEXT,
    )
    document_upload(
        acting=home,
        case=managed_case,
        item="medical_file",
        upload=pdf_upload(DOCUMENT_NAME),
        received_on=datetime.date(2026, 3, 3),
    )
    consent_record(
        acting=home,
        case=managed_case,
        purpose="sharing",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
        recipient=actors.other_org,
    )
    return managed_case


@pytest.fixture
def send(home: Acting, actors: Any) -> Callable[..., Any]:
    from referrals.services import referral_send

    def make(case: Any, sections: list[str] | None = None, **kwargs: Any) -> Any:
        by = kwargs.pop("acting", home)
        values: dict[str, Any] = {
            "recipient": actors.other_org,
            "category": "vocational_training",
            "purpose": "Hairdressing course with a stipend",
            "sections": sections if sections is not None else ["summary", "needs"],
        }
        values.update(kwargs)
        return referral_send(acting=by, case=case, **values)

    return make
