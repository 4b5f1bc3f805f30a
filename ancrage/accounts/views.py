from smtplib import SMTPException

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import InvitationForm, ThrottledLoginForm
from .models import Membership
from .selectors import can_coordinate, programme_for_request
from .services import (
    InvitationRefused,
    invitation_send,
    invitation_tokens,
    language_choose,
    proposal_answer,
)


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
        except InvitationRefused as refused:
            form.add_error("email", str(refused))
            return render(request, "accounts/invite.html", _invite_context(programme, form))
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
    # Only an account that never had a password: an invitation is never a password reset.
    if user is None or user.has_usable_password() or not invitation_tokens.check_token(user, token):
        return render(request, "accounts/accept_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # changes the password hash: the link no longer works
        login(request, user, backend="ancrage.accounts.throttle.ThrottledModelBackend")
        messages.success(request, _("Bienvenue dans Ancrage."))
        return redirect("dashboard")
    return render(request, "accounts/accept.html", {"form": form, "invited": user})


@require_POST
def language(request):
    """The language switcher (fr/en): remembered for the visit and, signed in, for the user."""
    chosen = request.POST.get("language", "")
    if chosen in {code for code, _name in settings.LANGUAGES}:
        language_choose(request=request, language=chosen)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


@login_required
def proposal(request, pk: int):
    """An existing account invited to a programme accepts or declines the role."""
    membership = get_object_or_404(
        Membership.objects.select_related("programme"), pk=pk, user=request.user, accepted=False
    )
    if request.method == "POST":
        accept = request.POST.get("reponse") == "accepter"
        proposal_answer(membership=membership, accept=accept)
        if accept:
            messages.success(request, _("Vous suivez désormais ce programme."))
            return redirect(f"{reverse('dashboard')}?programme={membership.programme_id}")
        messages.info(request, _("Invitation refusée."))
        return redirect("dashboard")
    return render(request, "accounts/proposal.html", {"membership": membership})
