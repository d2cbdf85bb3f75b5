"""Every monitoring endpoint and page refuses another organisation (404), roles that never
open a case file (403) and anonymous callers; and the outcome framework file is validated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from monitoring.framework import OUTCOMES_DIRECTORY, load_framework_file
from monitoring.services import NoteInput, contact_record

pytestmark = pytest.mark.django_db

API_READS = [
    "/api/v1/cases/{case}/monitoring",
    "/api/v1/cases/{case}/monitoring/contacts",
    "/api/v1/cases/{case}/monitoring/contacts/{contact}",
    "/api/v1/cases/{case}/monitoring/outcomes",
    "/api/v1/cases/{case}/monitoring/outcomes/chart.svg",
    "/api/v1/cases/{case}/monitoring/outcomes/print",
    "/api/v1/cases/{case}/monitoring/setbacks",
]
PAGES = [
    "/monitoring/cases/{case}/",
    "/monitoring/cases/{case}/contacts/{contact}/",
    "/monitoring/cases/{case}/outcomes/",
    "/monitoring/cases/{case}/outcomes/print/",
]


@pytest.fixture
def recorded(actors: Any, make_case: Any, acting: Any) -> dict[str, int]:
    case = make_case()
    contact = contact_record(
        acting=acting(actors.case_manager, actors.home_org),
        case=case,
        occurred_on=case.received_at,
        mode="phone",
        notes={"health": NoteInput("Fine", 4)},
    )
    return {"case": case.pk, "contact": contact.pk}


@pytest.mark.parametrize("template", API_READS)
def test_api_reads_allow_and_deny(
    client: Client, login: Any, actors: Any, recorded: dict[str, int], template: str
) -> None:
    url = template.format(**recorded)
    assert client.get(url).status_code == 401
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, actors.coordinator, actors.coordinator_org)
    assert client.get(url).status_code == 403
    client.logout()
    login(client, actors.case_manager, actors.home_org)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("template", PAGES)
def test_pages_allow_and_deny(
    client: Client, login: Any, actors: Any, recorded: dict[str, int], template: str
) -> None:
    url = template.format(**recorded)
    assert client.get(url).status_code == 302
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, actors.org_admin, actors.home_org)
    assert client.get(url).status_code == 403
    client.logout()
    login(client, actors.supervisor, actors.home_org)
    assert client.get(url).status_code == 200


def test_framework_and_work_queue_api_deny_anonymous_and_non_case_workers(
    client: Client, login: Any, actors: Any
) -> None:
    for url in (
        "/api/v1/outcome-framework",
        "/api/v1/monitoring/next-contacts",
        "/api/v1/monitoring/overdue-by-worker",
    ):
        assert client.get(url).status_code == 401
        login(client, actors.analyst, actors.coordinator_org)
        assert client.get(url).status_code == 403
        client.logout()


def test_the_shipped_framework_is_valid_and_complete() -> None:
    framework = load_framework_file(OUTCOMES_DIRECTORY / "reintegration-v1.yaml")
    assert len(framework.domains) == 13
    assert [level.score for level in framework.levels] == [1, 2, 3, 4, 5]
    employment = framework.domain("employment")
    assert employment is not None
    assert "more than two months" in employment.indicators[0].en


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  - score: 5\n", "  - score: 6\n"), "levels"),
        (
            (
                '    label: {en: "Employment", ro: "Angajare în câmpul muncii", ',
                '    label: {en: "Employment", ',
            ),
            "domains.2.label.ro",
        ),
        (("code: reintegration\n", "code: reintegration\ncolour: red\n"), "colour"),
    ],
)
def test_a_broken_framework_stops_the_start_naming_the_file_and_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    source = (OUTCOMES_DIRECTORY / "reintegration-v1.yaml").read_text(encoding="utf-8")
    assert change[0] in source
    broken = tmp_path / "reintegration-v1.yaml"
    broken.write_text(source.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"reintegration-v1\.yaml") as raised:
        load_framework_file(broken)
    assert message in str(raised.value)


def test_a_framework_file_must_match_its_name(tmp_path: Path) -> None:
    source = (OUTCOMES_DIRECTORY / "reintegration-v1.yaml").read_text(encoding="utf-8")
    renamed = tmp_path / "reintegration-v2.yaml"
    renamed.write_text(source, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="must match the file name"):
        load_framework_file(renamed)


def test_study_visit_report_and_iom_monitoring_form_ship_through_the_assessment_engine() -> None:
    from assessments.selectors import get_form

    study_visit = get_form("tdh_study_visit")
    iom = get_form("iom_monitoring")
    assert study_visit is not None and iom is not None
    assert {"visit_date", "participants", "adult_relations", "child_relations", "conclusions"} <= {
        q.id for q in study_visit.questions()
    }
    assert {"activities_done", "commitments", "results", "modification_needed"} <= {
        q.id for q in iom.questions()
    }
    assert study_visit.title.text("ro") == "Raportul vizitei de studiu (TdH)"
