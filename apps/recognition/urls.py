from django.urls import path

from . import views

app_name = "recognition"
urlpatterns = [
    path("", views.video_list, name="list"),
    path("<int:pk>/", views.video_detail, name="detail"),
    path("<int:pk>/retry/", views.video_retry, name="retry"),
]
