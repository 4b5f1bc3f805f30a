from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("taches/", views.job_list, name="list"),
    path("taches/<uuid:pk>/", views.job_detail, name="detail"),
    path("taches/<uuid:pk>/etat/", views.job_status, name="status"),
    path("taches/<uuid:pk>/fichier/", views.job_file, name="file"),
    path("taches/<uuid:pk>/annuler/", views.job_cancel_view, name="cancel"),
    path("questionnaires/<int:pk>/import-reponses/", views.responses_import, name="responses"),
]
