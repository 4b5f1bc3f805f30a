"""Deployment checks of our own: `ancrage check --deploy` fails on the development key."""

from django.conf import settings
from django.core.checks import Error, Tags, register


def _key_missing() -> bool:
    """The development key, or the placeholder of deploy/ancrage.env.example left as it is."""
    key = settings.SECRET_KEY
    return key == settings.DEVELOPMENT_SECRET_KEY or "change-me" in key.lower()


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if _key_missing():
        return [
            Error(
                "SECRET_KEY n'est pas définie (ou garde l'exemple « change-me ») : une clé "
                "écrite dans le code source ne doit jamais servir en production.",
                hint="Exportez SECRET_KEY (par exemple la sortie de "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`).",
                id="ancrage.E001",
            )
        ]
    return []


def refuse_development_key() -> None:
    """Called by the WSGI entry point (gunicorn, runserver): with DEBUG off, serving needs a
    real SECRET_KEY, except for `ancrage start` in demonstration mode (it sets
    ANCRAGE_DEMO_SERVER)."""
    import os

    from django.core.exceptions import ImproperlyConfigured

    if _key_missing() and not settings.DEBUG and os.environ.get("ANCRAGE_DEMO_SERVER") != "1":
        raise ImproperlyConfigured(
            "SECRET_KEY n'est pas définie : Ancrage refuse de servir en production avec la clé "
            "de développement. Exportez SECRET_KEY (voir le README, « En production »)."
        )
