from django.urls import include, path

from api.urls import api
from reintegra import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("cases/", include("cases.urls")),
    path("work/", include("work.urls")),
    path("policies/", include("policies.urls")),
    path("services/", include("services.urls")),
    path("plans/", include("plans.urls")),
    path("assessments/", include("assessments.urls")),
    path("referrals/", include("referrals.urls")),
    path("assistance/", include("assistance.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("closure/", include("closure.urls")),
    path("complaints/", include("complaints.urls")),
    path("teamwork/", include("teamwork.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", api.urls),
    # Language choice before sign-in (signed-in users keep theirs on their account).
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, a download).
    path("favicon.ico", views.favicon_view),
]

handler400 = "reintegra.views.error_400"
handler403 = "reintegra.views.error_403"
handler404 = "reintegra.views.error_404"
handler500 = "reintegra.views.error_500"
