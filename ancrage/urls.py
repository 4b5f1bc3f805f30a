from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Ancrage"
admin.site.site_title = "Ancrage"
admin.site.index_title = "Administration du programme CPS"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("", include("ancrage.surveys.urls")),
]
