from datetime import date

from django.urls import path, register_converter

from . import views


class DayConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)

    def to_url(self, value):
        return str(value)


register_converter(DayConverter, "day")

app_name = "reads"
urlpatterns = [
    path("", views.search, name="search"),
    path("history/", views.vehicle_history, name="history"),
    path("convoy/", views.convoy, name="convoy"),
    path("scenes/", views.scenes, name="scenes"),
    path("export.csv", views.export, name="export"),
    path("back-load/", views.back_load, name="back_load"),
    path("<day:day>/<int:read_id>/", views.read_detail, name="detail"),
    path("<day:day>/<int:read_id>/<slug:kind>/", views.read_image, name="image"),
]
