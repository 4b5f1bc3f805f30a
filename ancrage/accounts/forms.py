from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError


class ThrottledLoginForm(AuthenticationForm):
    """Refuses further tries after ANCRAGE_LOGIN_ATTEMPTS failures for one account from one
    address, for ANCRAGE_LOGIN_LOCKOUT seconds."""

    def _key(self) -> str:
        username = (self.data.get("username") or "").strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return f"ancrage-login:{address}:{username}"

    def clean(self):
        key = self._key()
        if cache.get(key, 0) >= settings.ANCRAGE_LOGIN_ATTEMPTS:
            raise ValidationError(
                "Trop de tentatives de connexion : réessayez dans 15 minutes.", code="throttled"
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            cache.set(key, cache.get(key, 0) + 1, timeout=settings.ANCRAGE_LOGIN_LOCKOUT)
            raise
        cache.delete(key)
        return cleaned
