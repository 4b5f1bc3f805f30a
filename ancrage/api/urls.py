from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
P = "programmes/<int:programme>"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar (no CDN); its script is a file, so the CSP holds.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("programmes/", views.ProgrammeList.as_view(), name="programmes"),
    path(f"{P}/", views.ProgrammeDetail.as_view(), name="programme"),
    path(f"{P}/territoires/", views.TerritoryList.as_view(), name="territories"),
    path(f"{P}/structures/", views.StructureList.as_view(), name="structures"),
    path(f"{P}/actions/", views.ActionList.as_view(), name="actions"),
    path(f"{P}/actions/<int:pk>/", views.ActionDetail.as_view(), name="action"),
    path(f"{P}/participations/", views.ParticipationList.as_view(), name="participations"),
    path(
        f"{P}/participations/<int:pk>/",
        views.ParticipationDetail.as_view(),
        name="participation",
    ),
    path(f"{P}/questionnaires/", views.QuestionnaireList.as_view(), name="questionnaires"),
    path(
        f"{P}/questionnaires/<int:pk>/",
        views.QuestionnaireDetail.as_view(),
        name="questionnaire",
    ),
    path(f"{P}/reponses/", views.ResponseList.as_view(), name="responses"),
    path(f"{P}/indicateurs/", views.Indicators.as_view(), name="indicators"),
]
