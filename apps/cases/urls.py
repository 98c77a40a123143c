from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("file-read/", views.file_read, name="file_read"),
    path("file-search/", views.file_search, name="file_search"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/share/", views.case_share, name="share"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/items/<int:item_id>/<slug:kind>/", views.case_image, name="image"),
]
