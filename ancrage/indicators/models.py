from django.db import models
from django.utils.translation import gettext_lazy as _


class QualityWarning(models.Model):
    """A data-quality warning (not an error), refreshed after each import or `ancrage check`."""

    class Kind(models.TextChoices):
        STRUCTURE_OUTSIDE = "structure_outside", _("Structure hors du territoire de l'action")
        NO_CHILDREN = "no_children", _("Co-intervention sans enfants")
        OUTSIDE_DATES = "outside_dates", _("Action hors des dates du programme")
        OBJECTIVE_UNMATCHED = "objective_unmatched", _("Objectif sans action correspondante")
        DECLARED_MISMATCH = "declared_mismatch", _("Total déclaré différent du total calculé")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="quality_warnings"
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    sheet = models.CharField(_("feuille"), max_length=32)
    reference = models.CharField(
        _("référence"), max_length=200, help_text=_("Identifiant de la ligne concernée.")
    )
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("alerte qualité")
        verbose_name_plural = _("alertes qualité")
        ordering = ["kind", "sheet", "reference"]

    def __str__(self) -> str:
        return f"{self.sheet}:{self.reference}: {self.message}"
