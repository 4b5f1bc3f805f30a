from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ancrage.indicators"
    verbose_name = _("Indicateurs")

    def ready(self) -> None:
        from .cache import connect_signals

        connect_signals()
