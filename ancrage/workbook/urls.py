from django.urls import path

from . import views

app_name = "workbook"
urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/confirmer/", views.import_confirm, name="confirm"),
    path("export/", views.export_download, name="export"),
]
