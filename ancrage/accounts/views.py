from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from .forms import InvitationForm, ThrottledLoginForm
from .selectors import can_coordinate, programme_for_request
from .services import invitation_send


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def invite(request):
    programme, _programmes = programme_for_request(request)
    if programme is None:
        raise Http404
    if not can_coordinate(request.user, programme):
        raise PermissionDenied
    form = InvitationForm(programme, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_send(
                base_url=request.build_absolute_uri("/"),
                inviter=request.user,
                programme=programme,
                **form.cleaned_data,
            )
        except (OSError, SMTPException):
            # The account and the role were not kept: invitation_send is all or nothing.
            form.add_error(
                None,
                _(
                    "L'invitation n'a pas pu être envoyée (serveur de courriel injoignable) : "
                    "rien n'a été enregistré. Réessayez ou prévenez l'administrateur."
                ),
            )
            return render(request, "accounts/invite.html", _invite_context(programme, form))
        messages.success(
            request,
            _("Invitation envoyée à {email}.").format(email=form.cleaned_data["email"]),
        )
        return redirect(f"{request.path}?programme={programme.pk}")
    return render(request, "accounts/invite.html", _invite_context(programme, form))


def _invite_context(programme, form) -> dict:
    memberships = programme.memberships.select_related("user").prefetch_related("territories")
    return {
        "programme": programme,
        "form": form,
        "memberships": memberships.order_by("user__email"),
    }


def accept(request, uid: str, token: str):
    """The invitation link: choose a password, then enter the app."""
    try:
        user = get_user_model().objects.get(pk=urlsafe_base64_decode(uid).decode())
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/accept_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # changes the password hash: the link no longer works
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue dans Ancrage."))
        return redirect("dashboard")
    return render(request, "accounts/accept.html", {"form": form, "invited": user})
