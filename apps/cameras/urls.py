from django.urls import path

from . import views

app_name = "cameras"
urlpatterns = [
    path("", views.camera_list, name="list"),
    path("map/", views.camera_map, name="map"),
    path("new/", views.camera_create, name="create"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_binding, name="account"),
    path("<str:code>/", views.camera_detail, name="detail"),
    path("<str:code>/edit/", views.camera_edit, name="edit"),
]
