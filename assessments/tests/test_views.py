"""The form catalogue, the preview and its htmx re-rendering."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = "/assessments/forms/"


def preview_url(code: str = "sample", version: int | None = None) -> str:
    url = reverse("assessments:preview", args=[code])
    return f"{url}?version={version}" if version else url


def refresh_url(code: str = "sample") -> str:
    return reverse("assessments:refresh", args=[code])


def test_urls_match_the_contract():
    assert reverse("assessments:forms") == LIST
    assert preview_url("risk_assessment") == "/assessments/forms/risk_assessment/"


def test_list_allowed_for_case_work(client, actors, login):
    for user in (actors.case_manager, actors.specialist, actors.supervisor):
        client = login(client, user, actors.home_org)
        response = client.get(LIST)
        assert response.status_code == 200
        assert b"Risk assessment" in response.content
        assert preview_url("risk_assessment").encode() in response.content


def test_list_denied_without_case_work(client, actors, login):
    assert client.get(LIST).status_code == 302  # anonymous: to the sign-in page
    for user, organisation in (
        (actors.analyst, actors.coordinator_org),
        (actors.coordinator, actors.coordinator_org),
        (actors.org_admin, actors.home_org),
        (actors.system_admin, actors.home_org),
    ):
        assert login(client, user, organisation).get(LIST).status_code == 403


def test_nav_links_to_the_forms_only_for_case_work(client, actors, login):
    assert LIST.encode() in login(client, actors.specialist, actors.home_org).get("/").content
    assert LIST.encode() not in login(client, actors.org_admin, actors.home_org).get("/").content


def test_preview_shows_the_form_in_the_users_language(client, actors, login, test_forms):
    actors.specialist.language = "ka"
    actors.specialist.save()
    response = login(client, actors.specialist, actors.home_org).get(preview_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "სანიმუშო ფორმა" in body
    assert "ჰყავს შვილები" in body
    # Conditional questions are not shown before the answer that opens them.
    assert "q-children_count" not in body
    assert 'name="q-has_children"' in body


def test_preview_denied(client, actors, login, test_forms):
    assert client.get(preview_url()).status_code == 302
    viewer = login(client, actors.analyst, actors.coordinator_org)
    assert viewer.get(preview_url()).status_code == 403
    assert viewer.post(refresh_url(), {"q-has_children": "yes"}).status_code == 403


def test_unknown_form_or_version_is_404(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    assert client.get(preview_url("nope")).status_code == 404
    assert client.get(preview_url("sample", 9)).status_code == 404
    assert client.get(preview_url() + "?version=latest").status_code == 404


def test_old_version_can_be_previewed(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    assert b"q-exam_place" in client.get(preview_url()).content
    assert b"q-exam_place" not in client.get(preview_url(version=1)).content


def test_conditional_question_appears_after_answering(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    page = client.get(preview_url()).content.decode()
    # The controlling answer asks the server for a fresh rendering of the form body.
    assert re.search(r'name="q-has_children"[^>]*hx-post="/assessments/forms/sample/fields/', page)
    response = client.post(
        refresh_url() + "?version=2", {"q-has_children": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="assessment-form-body">')
    assert 'name="q-children_count"' in body
    assert "<html" not in body
    hidden = client.post(refresh_url(), {"q-has_children": "no"}).content.decode()
    assert 'name="q-children_count"' not in hidden


def test_rows_are_added_and_removed(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    added = client.post(refresh_url(), {"q-has_children": "no", "add_row": "dependants"})
    body = added.content.decode()
    assert 'name="q-dependants-0-age"' in body
    assert 'name="q-dependants-rows" value="1"' in body
    two = client.post(
        refresh_url(),
        {"q-dependants-rows": "1", "q-dependants-0-age": "7", "add_row": "dependants"},
    ).content.decode()
    assert 'name="q-dependants-1-age"' in two
    assert 'value="7"' in two
    removed = client.post(
        refresh_url(),
        {
            "q-dependants-rows": "2",
            "q-dependants-0-age": "7",
            "q-dependants-1-age": "9",
            "remove_row": "dependants-0",
        },
    ).content.decode()
    assert 'name="q-dependants-1-age"' not in removed
    assert 'value="9"' in removed


def test_row_condition_opens_inside_the_row(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    data = {"q-dependants-rows": "1", "q-dependants-0-age": "7"}
    assert b"q-dependants-0-needs" not in client.post(refresh_url(), data).content
    data["q-dependants-0-has_needs"] = "yes"
    assert b"q-dependants-0-needs" in client.post(refresh_url(), data).content


def test_checking_wrong_answers_names_the_question(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    response = client.post(
        preview_url(),
        {
            "validate": "1",
            "q-has_children": "yes",
            "q-children_count": "40",
            "q-last_exam": "yesterday",
            "s-need_level": "extreme",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Number of children: Enter a number from 1 to 20." in body
    assert "Last medical exam: Enter a date as YYYY-MM-DD." in body
    assert "Need level: Choose one of the need levels." in body
    # Each error is tied to its field for screen readers and linked from the summary.
    assert 'aria-describedby="field-q-children_count-error"' in body
    assert 'href="#field-q-children_count"' in body
    assert 'value="40"' in body


def test_required_question_is_reported(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    response = client.post(preview_url(), {"validate": "1"})
    assert response.status_code == 422
    assert "Has children: This question is required." in response.content.decode()


def test_valid_answers_are_confirmed_and_nothing_is_saved(client, actors, login, test_forms):
    from audit.models import AuditEntry

    client = login(client, actors.case_manager, actors.home_org)
    before = AuditEntry.objects.count()
    response = client.post(
        preview_url(),
        {
            "validate": "1",
            "q-has_children": "yes",
            "q-children_count": "2",
            "q-problems": ["sleep", "eating"],
            "q-sleep_notes": "Wakes at night",
            "q-wellbeing": "3",
            "q-dependants-rows": "1",
            "q-dependants-0-age": "4",
            "s-category": "worrying",
            "s-need_level": "high",
            "s-evidence": "Seen by the doctor",
        },
    )
    assert response.status_code == 200
    assert "The answers are valid. Nothing was saved." in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_shipped_risk_assessment_opens_its_follow_up_question(client, actors, login):
    client = login(client, actors.case_manager, actors.home_org)
    url = reverse("assessments:refresh", args=["risk_assessment"])
    closed = client.post(url, {"q-stage": "intake"}).content.decode()
    assert "q-changes_since_last" not in closed
    opened = client.post(url, {"q-stage": "periodic_review"}).content.decode()
    assert 'name="q-changes_since_last"' in opened


def test_preview_contains_no_inline_script_or_style(client, actors, login, test_forms):
    body = login(client, actors.case_manager, actors.home_org).get(preview_url()).content
    text = body.decode()
    assert "<script>" not in text
    assert " style=" not in text
    assert not re.search(r"\son[a-z]+=", text)


def test_form_with_several_conclusions_accepts_one_or_more(client, actors, login):
    client = login(client, actors.case_manager, actors.home_org)
    url = reverse("assessments:preview", args=["de_legal"])
    base = {"validate": "1", "q-is_foreign": "no", "q-married": "no", "q-has_children": "no"}
    base |= {"q-charged": "no", "q-wishes_legal_action": "no"}
    one = client.post(url, {**base, "s-category": "none"})
    assert one.status_code == 200, one.content.decode()
    several = client.post(url, {**base, "s-category": ["family_law", "compensation"]})
    assert several.status_code == 200
    mixed = client.post(url, {**base, "s-category": ["none", "family_law"]})
    assert mixed.status_code == 422
    assert "“None” cannot be combined with other answers." in mixed.content.decode()


def test_conclusion_preselects_its_need_level_until_one_is_chosen(client, actors, login):
    client = login(client, actors.case_manager, actors.home_org)
    url = reverse("assessments:refresh", args=["de_security"])
    body = client.post(url, {"s-category": "high_risk"}).content.decode()
    assert '<option value="urgent" selected>' in body
    chosen = client.post(url, {"s-category": "high_risk", "s-need_level": "high"}).content.decode()
    assert '<option value="high" selected>' in chosen
    assert '<option value="urgent" selected>' not in chosen


def test_without_javascript_the_buttons_post_the_whole_page(client, actors, login, test_forms):
    client = login(client, actors.case_manager, actors.home_org)
    updated = client.post(preview_url(), {"refresh": "1", "q-has_children": "yes"})
    assert updated.status_code == 200
    body = updated.content.decode()
    assert "<html" in body
    assert 'name="q-children_count"' in body
    assert "Some answers need attention" not in body
    added = client.post(preview_url(), {"add_row": "dependants"}).content.decode()
    assert 'name="q-dependants-0-age"' in added
