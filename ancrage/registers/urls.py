from django.urls import path

from . import views

app_name = "registers"
urlpatterns = [path("registres/<slug:slug>/", views.register, name="register")]
