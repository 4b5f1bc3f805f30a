from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Role
from .throttle import ThrottledFormMixin


class ThrottledLoginForm(ThrottledFormMixin, AuthenticationForm):
    """The login page; the limit itself is in the authentication backend (throttle.py)."""


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires"),
        queryset=None,
        required=False,
        help_text=_(
            "Chef·fe de projet : les territoires qu'il ou elle suit (au moins un). Financeur ou "
            "partenaire : les territoires qu'il ou elle peut voir (aucun : tout le programme)."
        ),
    )

    def __init__(self, programme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = programme.territories.order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PROJECT_MANAGER and not data.get("territories"):
            self.add_error("territories", _("Choisissez au moins un territoire."))
        if data.get("role") == Role.COORDINATOR:
            data["territories"] = []  # the coordination sees every territory
        return data
