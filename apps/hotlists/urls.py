from django.urls import path

from . import stream, views

app_name = "hotlists"
urlpatterns = [
    path("hotlists/", views.hotlist_list, name="list"),
    path("hotlists/new/", views.hotlist_create, name="create"),
    path("hotlists/<int:pk>/", views.hotlist_detail, name="detail"),
    path("hotlists/<int:pk>/edit/", views.hotlist_edit, name="edit"),
    path("hotlists/<int:pk>/import/", views.hotlist_import, name="import"),
    path("hotlists/<int:pk>/entries/<int:entry_pk>/", views.entry_edit, name="entry_edit"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/stream/", stream.alert_stream, name="alert_stream"),
    path("alerts/historic/", views.historic_alerts, name="historic_alerts"),
    path("alerts/cloned-plates/", views.cloned_plates, name="cloned_plates"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/plate/", views.alert_plate, name="alert_plate"),
    path("alerts/<int:pk>/overview/", views.alert_overview, name="alert_overview"),
    path("alerts/<int:pk>/read/", views.alert_read_open, name="alert_read"),
    path("alerts/<int:pk>/cloned-plate/", views.cloned_plate_review, name="cloned_plate_review"),
]
