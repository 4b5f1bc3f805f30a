from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("actions/", views.action_list, name="list"),
    path("actions/nouvelle/", views.action_create_view, name="create"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="edit"),
    path("actions/<int:pk>/dupliquer/", views.action_duplicate, name="duplicate"),
]
