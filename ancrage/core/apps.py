from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ancrage.core"
    verbose_name = "Ancrage"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
