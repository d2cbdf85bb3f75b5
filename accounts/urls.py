from django.urls import path

from accounts.views import admin, auth, profile

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("second-factor/", auth.second_factor_view, name="second_factor"),
    path("second-factor/setup/", auth.second_factor_setup_view, name="second_factor_setup"),
    path("set-password/<str:uidb64>/<str:token>/", auth.set_password_view, name="set_password"),
    path("profile/", profile.profile_view, name="profile"),
    path("profile/language/", profile.language_view, name="language"),
    path("profile/organisation/", profile.switch_organisation_view, name="switch_organisation"),
    path(
        "profile/organisation/choose/",
        profile.choose_organisation_view,
        name="choose_organisation",
    ),
    path("profile/recovery-codes/", profile.recovery_codes_view, name="recovery_codes"),
    path("profile/tokens/", profile.token_create_view, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", profile.token_revoke_view, name="token_revoke"),
    path("members/", admin.members_view, name="members"),
    path("members/new/", admin.member_create_view, name="member_create"),
    path("members/<int:user_id>/", admin.member_detail_view, name="member_detail"),
    path(
        "members/<int:user_id>/roles/<int:membership_id>/revoke/",
        admin.member_revoke_view,
        name="member_revoke",
    ),
    path(
        "members/<int:user_id>/second-factor/reset/",
        admin.member_reset_second_factor_view,
        name="member_reset_second_factor",
    ),
    path(
        "members/<int:user_id>/password-link/",
        admin.member_password_link_view,
        name="member_password_link",
    ),
    path("role-grants/", admin.grant_requests_view, name="grant_requests"),
    path(
        "role-grants/<int:request_id>/decide/",
        admin.grant_request_decide_view,
        name="grant_request_decide",
    ),
    path("organisations/", admin.organisations_view, name="organisations"),
    path("organisations/new/", admin.organisation_create_view, name="organisation_create"),
    path(
        "organisations/<int:organisation_id>/administrator/",
        admin.organisation_admin_view,
        name="organisation_admin",
    ),
    path(
        "organisations/<int:organisation_id>/",
        admin.organisation_edit_view,
        name="organisation_edit",
    ),
]
