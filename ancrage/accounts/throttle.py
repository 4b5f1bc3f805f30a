"""One attempt limit for every way of logging in (the login page, the administration, and any
later form or API that calls Django's `authenticate`): ANCRAGE_LOGIN_ATTEMPTS failures for one
account from one client address lock that pair for ANCRAGE_LOGIN_LOCKOUT seconds."""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ancrage.core.middleware import client_address

LOCKED_MESSAGE = _("Trop de tentatives de connexion : réessayez dans 15 minutes.")


def _key(request, username: str) -> str:
    # Hashed: the cache never holds a user name nor an address in clear.
    who = f"{client_address(request) if request else ''}|{(username or '').strip().lower()}"
    return "ancrage-login:" + hashlib.sha256(who.encode()).hexdigest()


def is_locked(request, username: str) -> bool:
    return cache.get(_key(request, username), 0) >= settings.ANCRAGE_LOGIN_ATTEMPTS


def failure_record(request, username: str) -> None:
    key = _key(request, username)
    cache.set(key, cache.get(key, 0) + 1, timeout=settings.ANCRAGE_LOGIN_LOCKOUT)


class ThrottledModelBackend(ModelBackend):
    """Django's backend behind the attempt limit: a locked pair is refused before the password
    is even checked, whichever form asked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.UserModel.USERNAME_FIELD)
        if is_locked(request, username):
            raise PermissionDenied  # stops authenticate(): no other backend is tried
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            failure_record(request, username)
        else:
            cache.delete(_key(request, username))
        return user


class ThrottledFormMixin:
    """For login forms: say plainly that the account is locked (rather than « wrong password »)."""

    def clean(self):
        if is_locked(self.request, self.data.get("username") or ""):
            from django.core.exceptions import ValidationError

            raise ValidationError(LOCKED_MESSAGE, code="throttled")
        return super().clean()
