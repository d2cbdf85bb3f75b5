from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("forms/", views.form_list_view, name="forms"),
    path("forms/<slug:code>/", views.form_preview_view, name="preview"),
    path("forms/<slug:code>/fields/", views.form_refresh_view, name="refresh"),
]
