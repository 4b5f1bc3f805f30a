from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ancrage.audit"
    verbose_name = _("Journal des modifications")

    def ready(self) -> None:
        from . import signals  # journal entries written from history records
        from .models import TRACKED

        signals.connect(TRACKED)
