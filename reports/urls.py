from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("quarterly/", views.quarterly_view, name="quarterly"),
    path("quarterly/<str:fmt>/", views.quarterly_download_view, name="quarterly_download"),
    path("dashboard/team/", views.supervisor_dashboard_view, name="dashboard_team"),
    path("dashboard/national/", views.coordinator_dashboard_view, name="dashboard_national"),
    path("gaps/", views.gaps_view, name="gaps"),
    path("exchange/", views.exchange_view, name="exchange"),
    path("exchange/htcds/export/", views.htcds_export_view, name="htcds_export"),
    path("exchange/htcds/import/", views.htcds_import_view, name="htcds_import"),
    path("exchange/ctdc/", views.stats_export_view, name="ctdc_export"),
]
