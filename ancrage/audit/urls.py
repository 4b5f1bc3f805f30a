from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("journal/", views.log, name="log"),
    path("actions/<int:pk>/historique/", views.action_history, name="action"),
    path("registres/structures/<int:pk>/historique/", views.structure_history, name="structure"),
    path("registres/personnes/<int:pk>/historique/", views.person_history, name="person"),
]
