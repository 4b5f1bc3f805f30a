from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ancrage.core"
    verbose_name = "Ancrage"
