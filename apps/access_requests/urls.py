from django.urls import path

from . import views

app_name = "access_requests"
urlpatterns = [
    path("", views.my_requests, name="mine"),
    path("new/", views.file_request, name="file"),
    path("queue/", views.queue, name="queue"),
    path("granted/", views.granted, name="granted"),
    path("granted/<int:pk>/revoke/", views.revoke_granted, name="revoke_granted"),
    path("report/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
]
