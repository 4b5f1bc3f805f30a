"""French first: the interface speaks French whatever the browser asks (Accept-Language is
ignored), or the language the user chose with the switcher (kept in the session and, once
signed in, on their account)."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .services import LANGUAGE_SESSION_KEY

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        translation.deactivate()
        return response

    @staticmethod
    def language_for(request) -> str:
        language = request.session.get(LANGUAGE_SESSION_KEY)
        if language is None and request.user.is_authenticated:
            from .models import Preference

            language = (
                Preference.objects.filter(user=request.user)
                .values_list("language", flat=True)
                .first()
            ) or settings.LANGUAGE_CODE
            request.session[LANGUAGE_SESSION_KEY] = language
        return language if language in LANGUAGES else settings.LANGUAGE_CODE
