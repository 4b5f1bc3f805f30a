from django.db import models
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """An intercommunal territory (EPCI) where the programme is deployed."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="territories"
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("nom"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    commune_count = models.PositiveIntegerField(_("nombre de communes"), null=True, blank=True)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="territory_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="communes"
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="communes", verbose_name=_("territoire")
    )
    insee_code = models.CharField(_("code INSEE"), max_length=5)
    name = models.CharField(_("nom"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "insee_code"], name="commune_insee_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"
