from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("carte/", views.map_view, name="map"),
    path("territoires/", views.territory_list, name="list"),
    path("territoires/nouveau/", views.territory_create, name="create"),
    path("territoires/epci/", views.epci_search, name="epci_search"),
    path("territoires/<str:code>/", views.territory_detail, name="detail"),
]
