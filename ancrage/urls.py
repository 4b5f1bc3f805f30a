from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ancrage.indicators.views import dashboard

admin.site.site_header = "Ancrage"
admin.site.site_title = "Ancrage"
admin.site.index_title = _("Administration du programme CPS")


def administrators_only(request) -> bool:
    # The admin does not filter by territory: it is for administrators; project managers and
    # funders use the scoped pages (accounts/selectors.py).
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = administrators_only

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", include("ancrage.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("ancrage.surveys.urls")),
    path("", include("ancrage.reports.urls")),
    path("", include("ancrage.territories.urls")),
    path("", include("ancrage.workbook.urls")),
    path("", include("ancrage.activities.urls")),
    path("", include("ancrage.evaluation.urls")),
    path("", include("ancrage.registers.urls")),
    path("", include("ancrage.tasks.urls")),
    path("", include("ancrage.audit.urls")),
    path("", include("ancrage.api.pages")),
    path("api/v1/", include("ancrage.api.urls")),
]
