from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitations/", views.invite, name="invite"),
    path("invitation/<str:uid>/<str:token>/", views.accept, name="accept"),
    path("langue/", views.language, name="language"),
    path("invitations/proposition/<int:pk>/", views.proposal, name="proposal"),
]
