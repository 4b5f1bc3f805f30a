from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("evaluation/", views.overview, name="overview"),
    path("qualite/", views.quality, name="quality"),
    path("actions/<int:pk>/fiche-bilan/", views.report_sheet, name="report_sheet"),
]
