import datetime as dt

from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ancrage.core.schoolyear import school_year_label

from .registry import FIGURES_BY_KEY


class QualityWarning(models.Model):
    """A data-quality warning (not an error), refreshed after each import or `ancrage check`.

    Only the warning's parts are kept (`details`): its sentence is written when it is read, in
    the reader's language (French by default, English by choice)."""

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
    details = models.JSONField(
        _("détails"),
        default=dict,
        blank=True,
        help_text=_("Les éléments de l'alerte, mis en phrase dans la langue du lecteur."),
    )

    class Meta:
        verbose_name = _("alerte qualité")
        verbose_name_plural = _("alertes qualité")
        ordering = ["kind", "sheet", "reference"]

    def __str__(self) -> str:
        return f"{self.sheet}:{self.reference}: {self.message}"

    @property
    def message(self) -> str:
        """The warning's sentence, in the active language."""
        if "text" in self.details:  # kept from before the sentences were written on reading
            return self.details["text"]
        return MESSAGES[self.kind](self.details)


def _date(value: str | None) -> str:
    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else ""


def _number(value) -> str:
    # « 4 130 » for a French reader, « 4,130 » for an English one.
    return "—" if value is None else number_format(value, force_grouping=True)


def _structure_outside(d: dict) -> str:
    return gettext(
        "la structure « {structure} » ({commune}) n'est pas sur le territoire de l'action "
        "({territory})"
    ).format(**d)


def _no_children(d: dict) -> str:
    return gettext("co-intervention sans enfants : le nombre d'enfants est vide ou nul")


def _outside_dates(d: dict) -> str:
    if d["counted"]:  # it starts within the dates and ends after them
        counted = gettext("comptée dans les chiffres du programme (elle commence dans ses dates)")
    elif d["in_years"]:
        counted = gettext("exclue des chiffres du programme (elle commence hors de ses dates)")
    else:
        counted = gettext(
            "exclue des chiffres du programme (année scolaire {year} hors du programme)"
        ).format(year=school_year_label(d["school_year"]))
    period = " – ".join(filter(None, (_date(d["start"]), _date(d["end"]))))
    return gettext(
        "action du {period} hors des dates du programme ({first} – {last}) : {counted}"
    ).format(
        period=period,
        first=_date(d["programme_start"]),
        last=_date(d["programme_end"]),
        counted=counted,
    )


def _objective_unmatched(d: dict) -> str:
    return gettext(
        "aucune action ne correspond à l'objectif « {target} » du territoire « {territory} »"
    ).format(**d)


def _declared_mismatch(d: dict) -> str:
    figure = FIGURES_BY_KEY.get(d["figure"])
    if d["source"]:
        text = gettext(
            "{figure} : {declared} déclaré(s) ({source}), {computed} calculé(s) à partir des "
            "données"
        )
    else:
        text = gettext(
            "{figure} : {declared} déclaré(s), {computed} calculé(s) à partir des données"
        )
    return text.format(
        figure=figure.label if figure else d["figure"],
        declared=_number(d["declared"]),
        source=d["source"],
        computed=_number(d["computed"]),
    )


# One way to write each kind of warning: gettext is called on reading, not on computing.
MESSAGES = {
    QualityWarning.Kind.STRUCTURE_OUTSIDE: _structure_outside,
    QualityWarning.Kind.NO_CHILDREN: _no_children,
    QualityWarning.Kind.OUTSIDE_DATES: _outside_dates,
    QualityWarning.Kind.OBJECTIVE_UNMATCHED: _objective_unmatched,
    QualityWarning.Kind.DECLARED_MISMATCH: _declared_mismatch,
}
