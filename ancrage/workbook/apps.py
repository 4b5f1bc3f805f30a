from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "ancrage.workbook"
    verbose_name = _("Classeur d'import")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the database check)
