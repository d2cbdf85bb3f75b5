from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("", views.effective_rules_view, name="effective"),
    path("packs/", views.packs_view, name="packs"),
    path("packs/<slug:code>/<int:version>/", views.pack_version_view, name="pack_version"),
    path("cases/", views.cases_behind_view, name="cases_behind"),
    path("cases/<int:case_id>/migrate/", views.case_migrate_view, name="case_migrate"),
]
