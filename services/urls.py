from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("", views.directory_view, name="directory"),
    path("new/", views.service_create_view, name="create"),
    path("mine/", views.my_services_view, name="mine"),
    path("to-confirm/", views.to_confirm_view, name="to_confirm"),
    path("renewal/", views.renewal_view, name="renewal"),
    path("<int:service_id>/", views.service_detail_view, name="detail"),
    path("<int:service_id>/edit/", views.service_edit_view, name="edit"),
    path("<int:service_id>/confirm/", views.service_confirm_view, name="confirm"),
]
