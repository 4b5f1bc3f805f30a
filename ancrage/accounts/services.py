"""Invitations: an administrator or a coordinator gives someone a role by e-mail. A new account
gets a link to choose its password (never sent, never seen by the inviter); an existing account
gets a proposal it accepts once logged in: an invitation never touches a password and never
changes a role already held."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ancrage.programmes.models import Programme

from .models import Membership, Preference

# The language chosen for this visit (the account keeps it too: Preference).
LANGUAGE_SESSION_KEY = "ancrage_language"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Invitation links: not interchangeable with password-reset links (own salt), and only
    for an account that has no password yet (accounts.views.accept)."""

    key_salt = "ancrage.accounts.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


class InvitationRefused(Exception):
    """The invitation cannot be made; the message says why, in French."""


@transaction.atomic
def invitation_send(
    *, base_url: str, inviter, email: str, programme: Programme, role: str, territories
) -> Membership:
    """Give this e-mail address a role in the programme and tell them by e-mail: a new account
    chooses its password through the link; an existing account is proposed the role."""
    email = email.strip().lower()
    User = get_user_model()
    user = (
        User.objects.filter(email__iexact=email).first()
        or User.objects.filter(username__iexact=email).first()
    )
    if user is not None and (user.is_superuser or user.is_staff):
        raise InvitationRefused(
            _("Ce compte est un compte d'administration : il a déjà accès à tout.")
        )
    if user is not None and Membership.objects.filter(user=user, programme=programme).exists():
        raise InvitationRefused(
            _(
                "Cette personne a déjà un rôle dans ce programme : une invitation ne le change "
                "pas (un·e administrateur·rice peut le modifier)."
            )
        )
    new_account = user is None or not user.has_usable_password()
    if user is None:
        user = User(username=email, email=email)
        user.set_unusable_password()
        user.save()
    membership = Membership.objects.create(
        user=user, programme=programme, role=role, accepted=new_account
    )
    membership.territories.set(territories)
    if new_account:
        link = reverse(
            "accounts:accept",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), invitation_tokens.make_token(user)],
        )
        template = "accounts/invitation_email.txt"
    else:
        link = reverse("accounts:proposal", args=[membership.pk])
        template = "accounts/proposal_email.txt"
    context = {
        "programme": programme,
        "membership": membership,
        "link": base_url.rstrip("/") + link,
        "inviter": inviter,
    }
    # Written in the recipient's language, not the inviter's: French unless they chose English.
    with translation.override(recipient_language(user)):
        send_mail(
            subject=render_to_string("accounts/invitation_subject.txt", context).strip(),
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[user.email or email],
        )
    return membership


def recipient_language(user) -> str:
    """The language an account chose (Preference), else French."""
    chosen = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen or settings.LANGUAGE_CODE


def language_choose(*, request, language: str) -> None:
    """Switches the interface language for this visit and, for a signed-in user, for good."""
    request.session[LANGUAGE_SESSION_KEY] = language
    if request.user.is_authenticated:
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})


@transaction.atomic
def proposal_answer(*, membership: Membership, accept: bool) -> None:
    """An existing account accepts (or declines) the role it was proposed."""
    if accept:
        membership.accepted = True
        membership.save(update_fields=["accepted"])
    else:
        membership.delete()
