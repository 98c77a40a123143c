from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.assessment_edit, name="edit"),
    path("<int:pk>/print/", views.assessment_print, name="print"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<str:code>/", views.review_create, name="review_create"),
]
