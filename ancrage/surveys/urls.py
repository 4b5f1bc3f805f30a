from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("actions/<int:pk>/collectes/", views.action_collections, name="action_collections"),
    path("collectes/<int:pk>/saisie/", views.paper_entry, name="paper_entry"),
    path("collectes/<int:pk>/qr/", views.collection_qr, name="collection_qr"),
    path("questionnaires/<int:pk>/", views.results, name="results"),
    path("questionnaires/<int:pk>/nuage/<str:question>.png", views.cloud, name="cloud"),
    path("r/<str:token>/", views.public_form, name="public_form"),
    path("r/<str:token>/merci/", views.public_thanks, name="public_thanks"),
]
