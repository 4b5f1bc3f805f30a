from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Role


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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires (chef·fe de projet)"),
        queryset=None,
        required=False,
        help_text=_("Pour un·e chef·fe de projet : les territoires qu'il ou elle suit."),
    )

    def __init__(self, programme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = programme.territories.order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PROJECT_MANAGER and not data.get("territories"):
            self.add_error("territories", _("Choisissez au moins un territoire."))
        if data.get("role") != Role.PROJECT_MANAGER:
            data["territories"] = []
        return data
