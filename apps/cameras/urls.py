from django.urls import path

from . import views

app_name = "cameras"
urlpatterns = [
    path("", views.camera_list, name="list"),
    path("map/", views.camera_map, name="map"),
    path("new/", views.camera_create, name="create"),
    path("<str:code>/", views.camera_detail, name="detail"),
    path("<str:code>/edit/", views.camera_edit, name="edit"),
]
