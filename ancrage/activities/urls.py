from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("actions/", views.action_list, name="list"),
    path("actions/nouvelle/", views.action_create_view, name="create"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="edit"),
    path("actions/<int:pk>/dupliquer/", views.action_duplicate, name="duplicate"),
    path("actions/<int:pk>/supprimer/", views.action_delete_view, name="delete"),
    path("actions/supprimees/", views.deleted_actions_view, name="deleted"),
    path("actions/supprimees/<int:event_id>/restaurer/", views.action_restore_view, name="restore"),
]
