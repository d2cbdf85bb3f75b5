"""Every accounts page: anonymous visitors are sent to sign in, and a signed-in user whose
role does not allow the page is refused. Together with the allow tests in the other modules
this gives every view an allow and a deny test."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

pytestmark = pytest.mark.django_db

# (url name, args builder, method, a role that must be refused — or None when every
# signed-in user may use it)
PAGES = [
    ("home", lambda a: [], "get", None),
    ("accounts:profile", lambda a: [], "get", None),
    ("accounts:language", lambda a: [], "post", None),
    ("accounts:switch_organisation", lambda a: [], "post", None),
    ("accounts:choose_organisation", lambda a: [], "get", None),
    ("accounts:recovery_codes", lambda a: [], "post", None),
    ("accounts:token_create", lambda a: [], "post", "org_admin"),
    ("accounts:token_revoke", lambda a: [1], "post", None),
    ("accounts:members", lambda a: [], "get", "case_manager"),
    ("accounts:member_create", lambda a: [], "get", "supervisor"),
    ("accounts:member_detail", lambda a: [a.case_manager.pk], "get", "specialist"),
    ("accounts:member_revoke", lambda a: [a.case_manager.pk, 1], "post", "case_manager"),
    ("accounts:member_reset_second_factor", lambda a: [a.case_manager.pk], "post", "supervisor"),
    ("accounts:member_password_link", lambda a: [a.case_manager.pk], "post", "analyst"),
    ("accounts:grant_requests", lambda a: [], "get", "supervisor"),
    ("accounts:grant_request_decide", lambda a: [1], "post", "case_manager"),
    ("accounts:organisations", lambda a: [], "get", "org_admin"),
    ("accounts:organisation_create", lambda a: [], "get", "supervisor"),
    ("accounts:organisation_edit", lambda a: [a.home_org.pk], "get", "org_admin"),
    ("accounts:organisation_admin", lambda a: [a.other_org.pk], "get", "supervisor"),
]
# Pages that exist to sign in, and so are open to anonymous visitors by design.
SIGN_IN_PAGES = {
    "accounts:login",
    "accounts:logout",
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "accounts:set_password",
}


def test_every_accounts_page_is_in_the_matrix():
    resolver = get_resolver()
    names = {
        f"accounts:{name}"
        for name in resolver.namespace_dict["accounts"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {name for name, *_ in PAGES if name.startswith("accounts:")} | SIGN_IN_PAGES


@pytest.mark.parametrize(("name", "args", "method", "refused"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_is_sent_to_sign_in(client, actors, name, args, method, refused):
    response = getattr(client, method)(reverse(name, args=args(actors)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "args", "method", "refused"),
    [p for p in PAGES if p[3] is not None],
    ids=[p[0] for p in PAGES if p[3] is not None],
)
def test_role_without_the_capability_is_refused(client, actors, login, name, args, method, refused):
    user = getattr(actors, refused)
    login(client, user, user.memberships.first().organisation)
    response = getattr(client, method)(reverse(name, args=args(actors)))
    assert response.status_code == 403


def test_user_without_any_role_is_refused_role_pages(client, actors, login, make_user):
    nobody = make_user("nora_norole", actors.home_org)
    login(client, nobody)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "no active role" in home.content.decode()
    assert client.get(reverse("accounts:members")).status_code == 403
