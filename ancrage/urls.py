from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Ancrage"
admin.site.site_title = "Ancrage"
admin.site.index_title = "Administration du programme CPS"


def administrators_only(request) -> bool:
    # The admin does not filter by territory: it is for administrators; project managers and
    # funders use the scoped pages (accounts/selectors.py).
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = administrators_only

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("", include("ancrage.surveys.urls")),
]
