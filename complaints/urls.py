from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/", views.new_view, name="new"),
    path("<int:complaint_id>/", views.detail_view, name="detail"),
    path("<int:complaint_id>/link/", views.link_view, name="link"),
]
