"""Policy pages and API: effective rules, all versions, and moving cases to a newer version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from policies.packs import load_packs
from policies.services import sync_policy_packs
from policies.tests.factories import make_case

pytestmark = pytest.mark.django_db

EFFECTIVE = reverse("policies:effective")
PACKS = reverse("policies:packs")
BEHIND = reverse("policies:cases_behind")


def new_md_version() -> None:
    rules = load_packs()["md-nrs"]
    sync_policy_packs(
        {
            "md-nrs": rules.model_copy(
                update={"plan": rules.plan.model_copy(update={"due_days": 15})}
            )
        }
    )


def sign_in(client, login, user):
    login(client, user, user.memberships.first().organisation)


@pytest.mark.parametrize("actor", ["supervisor", "org_admin", "system_admin"])
def test_effective_rules_shown_to_admins_and_supervisors(client, actors, login, actor):
    sign_in(client, login, getattr(actors, actor))
    response = client.get(EFFECTIVE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "md-nrs" in body
    # 000 L76: md-nrs counts the 20 days from the completed assessment.
    assert "Plan due after the comprehensive assessment is completed" in body
    assert "20 days" in body
    api = client.get("/api/v1/policies/effective").json()
    assert (api["code"], api["version"], api["rules"]["plan"]["due_days"]) == ("md-nrs", 1, 20)
    assert {
        "key": "plan.due_days",
        "label": "Plan due after the comprehensive assessment is completed",
        "value": "20 days",
    } in api["rows"]


def test_georgian_effective_rules(client, actors, login, make_user):
    fund_admin = make_user("gia_admin", actors.coordinator_org, "org_admin")
    sign_in(client, login, fund_admin)
    rows = {
        row["key"]: row["value"] for row in client.get("/api/v1/policies/effective").json()["rows"]
    }
    assert rows["plan.budget_cap"] == "GEL\xa02,000.00"
    assert rows["plan.final_approval_by"].startswith("coordinator organisation")


def test_effective_rules_in_the_users_language(client, actors, login):
    actors.org_admin.language = "ro"
    actors.org_admin.save()
    sign_in(client, login, actors.org_admin)
    assert client.get(EFFECTIVE).status_code == 200


@pytest.mark.parametrize("actor", ["case_manager", "specialist", "analyst", "coordinator"])
def test_effective_rules_denied_to_other_roles(client, actors, login, actor):
    sign_in(client, login, getattr(actors, actor))
    assert client.get(EFFECTIVE).status_code == 403
    assert client.get("/api/v1/policies/effective").status_code == 403


def test_effective_rules_denied_to_anonymous(client):
    assert client.get(EFFECTIVE).status_code == 302
    assert client.get("/api/v1/policies/effective").status_code == 401


def test_unknown_pack_is_explained(client, actors, login):
    actors.home_org.policy_pack = "xx-gone"
    actors.home_org.save()
    sign_in(client, login, actors.org_admin)
    assert "is not installed" in client.get(EFFECTIVE).content.decode()
    assert client.get("/api/v1/policies/effective").status_code == 409


def test_system_admin_sees_every_pack_and_version(client, actors, login):
    new_md_version()
    sign_in(client, login, actors.system_admin)
    body = client.get(PACKS).content.decode()
    for code in ("md-nrs", "ge-fund", "al-sop", "ro-guide", "default"):
        assert code in body
    detail = client.get(reverse("policies:pack_version", args=["md-nrs", 2]))
    assert detail.status_code == 200
    assert detail.context["changed"] == {"plan.due_days"}
    assert client.get(reverse("policies:pack_version", args=["md-nrs", 9])).status_code == 404
    api = client.get("/api/v1/policies/packs").json()
    assert {(p["code"], p["version"]) for p in api} >= {("md-nrs", 1), ("md-nrs", 2)}
    one = client.get("/api/v1/policies/packs/md-nrs/2").json()
    assert one["rules"]["plan"]["due_days"] == 15
    assert client.get("/api/v1/policies/packs/md-nrs/9").status_code == 404


@pytest.mark.parametrize("actor", ["supervisor", "org_admin", "case_manager"])
def test_pack_versions_denied_to_everyone_but_system_admins(client, actors, login, actor):
    sign_in(client, login, getattr(actors, actor))
    assert client.get(PACKS).status_code == 403
    assert client.get(reverse("policies:pack_version", args=["md-nrs", 1])).status_code == 403
    assert client.get("/api/v1/policies/packs").status_code == 403


def test_pack_versions_query_count_is_constant(
    client, actors, login, django_assert_max_num_queries
):
    sign_in(client, login, actors.system_admin)
    client.get(PACKS)
    with django_assert_max_num_queries(12) as few:
        client.get(PACKS)
    rules = load_packs()["md-nrs"]
    for days in range(1, 8):
        sync_policy_packs(
            {
                "md-nrs": rules.model_copy(
                    update={"plan": rules.plan.model_copy(update={"due_days": days})}
                )
            }
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(PACKS).context["page"].object_list) == 12


def test_supervisor_moves_a_case_to_the_new_version(client, actors, login):
    case = make_case(actors.home_org, manager=actors.case_manager)
    new_md_version()
    sign_in(client, login, actors.supervisor)
    response = client.get(BEHIND)
    assert case.code in response.content.decode()
    response = client.post(
        reverse("policies:case_migrate", args=[case.pk]),
        {"to_version": 2, "version": case.version},
        follow=True,
    )
    assert "now runs under md-nrs version 2" in response.content.decode()
    case.refresh_from_db()
    assert case.policy_pack_version == 2
    assert AuditEntry.objects.filter(case_id=case.pk, object_type="cases.case").exists()
    assert case.code not in client.get(BEHIND).content.decode()


def test_stale_migration_shows_the_current_values_and_changes_nothing(client, actors, login):
    case = make_case(actors.home_org, manager=actors.case_manager)
    new_md_version()
    sign_in(client, login, actors.supervisor)
    response = client.post(
        reverse("policies:case_migrate", args=[case.pk]),
        {"to_version": 2, "version": case.version - 1},
        follow=True,
    )
    assert "Someone changed case" in response.content.decode()
    assert "md-nrs version 1" in response.content.decode()
    case.refresh_from_db()
    assert case.policy_pack_version == 1


def test_bad_migration_input_names_the_field(client, actors, login):
    case = make_case(actors.home_org, manager=actors.case_manager)
    sign_in(client, login, actors.supervisor)
    response = client.post(
        reverse("policies:case_migrate", args=[case.pk]),
        {"to_version": "x", "version": 1},
        follow=True,
    )
    assert "Version: enter a whole number." in response.content.decode()
    response = client.post(
        reverse("policies:case_migrate", args=[case.pk]),
        {"to_version": 1, "version": case.version},
        follow=True,
    )
    assert "to_version: The case already runs under this version" in response.content.decode()


@pytest.mark.parametrize("actor", ["case_manager", "org_admin", "system_admin"])
def test_migration_denied_without_the_capability(client, actors, login, actor):
    case = make_case(actors.home_org, manager=actors.case_manager)
    new_md_version()
    sign_in(client, login, getattr(actors, actor))
    assert client.get(BEHIND).status_code == 403
    assert (
        client.post(
            reverse("policies:case_migrate", args=[case.pk]), {"to_version": 2, "version": 1}
        ).status_code
        == 403
    )
    response = client.post(
        f"/api/v1/cases/{case.pk}/policy-migration",
        {"to_version": 2, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.policy_pack_version == 1


def test_another_organisations_case_is_not_found(client, actors, login):
    case = make_case(actors.other_org, manager=actors.other_worker)
    sign_in(client, login, actors.supervisor)
    assert (
        client.post(
            reverse("policies:case_migrate", args=[case.pk]), {"to_version": 1, "version": 1}
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/v1/cases/{case.pk}/policy-migration",
        {"to_version": 1, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_migration(client, actors, login):
    case = make_case(actors.home_org, manager=actors.case_manager)
    new_md_version()
    sign_in(client, login, actors.supervisor)
    url = f"/api/v1/cases/{case.pk}/policy-migration"
    stale = client.post(
        url, {"to_version": 2, "version": case.version + 3}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["policy_pack_version"] == 1
    bad = client.post(
        url, {"to_version": 5, "version": case.version}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("to_version:")
    done = client.post(
        url, {"to_version": 2, "version": case.version}, content_type="application/json"
    )
    assert done.status_code == 200
    assert (done.json()["policy_pack_version"], done.json()["version"]) == (2, case.version + 1)


def test_cases_behind_query_count_is_constant(client, actors, login, django_assert_max_num_queries):
    make_case(actors.home_org, manager=actors.case_manager)
    new_md_version()
    sign_in(client, login, actors.supervisor)
    client.get(BEHIND)
    with django_assert_max_num_queries(12) as few:
        client.get(BEHIND)
    for _ in range(10):
        make_case(actors.home_org, manager=actors.case_manager)
    actors.home_org.refresh_from_db()
    # Cases created now start on version 2; move some back to look like older cases.
    from cases.models import Case

    Case.objects.filter(organisation=actors.home_org).update(policy_pack_version=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(BEHIND).context["page"].object_list) == 11
