from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "ancrage.activities"
    verbose_name = _("Activités")

    def ready(self) -> None:
        from .summaries import connect_signals

        connect_signals()
