from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordination", _("Coordination du programme (tous les territoires)")
    PROJECT_MANAGER = "chef_de_projet", _("Chef·fe de projet territorial")
    VIEWER = "lecture", _("Financeur ou partenaire (lecture des agrégats)")


class Membership(models.Model):
    """A user's role in a programme; the territories of a project manager or of a read-only
    role bound what they see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    # A project manager's territories; for a read-only role, the territories it may see (none:
    # the whole programme).
    territories = models.ManyToManyField(
        "territories.Territory", blank=True, verbose_name=_("territoires")
    )
    # An existing account invited to a programme is proposed the role: it counts once accepted.
    accepted = models.BooleanField(_("acceptée"), default=True)

    class Meta:
        verbose_name = _("rôle dans un programme")
        verbose_name_plural = _("rôles dans les programmes")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Preference(models.Model):
    """What a user chose for themselves: the interface language (French unless they switch)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("préférence")
        verbose_name_plural = _("préférences")

    def __str__(self) -> str:
        return f"{self.user} – {self.language}"
