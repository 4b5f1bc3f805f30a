"""Invitations: an administrator or a coordinator gives someone a role by e-mail; the link
lets them choose their password (never sent, never seen by the inviter)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ancrage.programmes.models import Programme

from .models import Membership, Preference

# The language chosen for this visit (the account keeps it too: Preference).
LANGUAGE_SESSION_KEY = "ancrage_language"


@transaction.atomic
def invitation_send(
    *, base_url: str, inviter, email: str, programme: Programme, role: str, territories
) -> Membership:
    """Create (or find) the account of this e-mail address, give it the role, and e-mail it
    a link to choose its password."""
    email = email.strip().lower()
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email, email=email)
        user.set_unusable_password()
        user.save()
    membership, _created = Membership.objects.update_or_create(
        user=user, programme=programme, defaults={"role": role}
    )
    membership.territories.set(territories)
    link = base_url.rstrip("/") + reverse(
        "accounts:accept",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    context = {"programme": programme, "membership": membership, "link": link, "inviter": inviter}
    send_mail(
        subject=render_to_string("accounts/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return membership


def language_choose(*, request, language: str) -> None:
    """Switches the interface language for this visit and, for a signed-in user, for good."""
    request.session[LANGUAGE_SESSION_KEY] = language
    if request.user.is_authenticated:
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
