from django.urls import path

from . import views

app_name = "misuse"
urlpatterns = [
    path("", views.flag_list, name="flags"),
    path("<int:pk>/", views.flag_detail, name="detail"),
]
