from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("rapport/", views.report_form, name="form"),
    path("rapport/telecharger/", views.report_download, name="download"),
]
