from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.privacy import ScrubbedCharField
from ancrage.core.schoolyear import school_years_between
from ancrage.programmes.vocabulary import OBJECTIVE_TARGETS, Period

TARGET_CHOICES = [(value, value) for value in OBJECTIVE_TARGETS]


class Programme(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    # Indirect reach assumptions (docs/frameworks.md, « La portée indirecte… »).
    replication_rate = models.FloatField(
        _("taux de réplication"),
        default=0.7,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Part des adultes formés qui reproduisent des séances CPS avec des enfants."),
    )
    children_per_adult = models.FloatField(
        _("enfants par adulte"), default=20, validators=[MinValueValidator(0)]
    )
    multimodal_share = models.FloatField(
        _("part multimodalité"),
        default=1 / 3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Part des participations d'adultes qui sont des doublons (estimation)."),
    )
    days_per_fte = models.PositiveIntegerField(_("jours par ETP"), default=218)
    collection_days = models.PositiveIntegerField(
        _("durée d'une collecte (jours)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Un questionnaire ouvert aujourd'hui reste ouvert ce nombre de jours."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="programme_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def school_years(self) -> list[int]:
        return school_years_between(self.start, self.end)


class Objective(models.Model):
    """An expected range for a delivery or reach figure (the seed's 'Attendu')."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("territoire"),
        help_text=_("Vide : tout le programme."),
    )
    target = models.CharField(_("cible"), max_length=32, choices=TARGET_CHOICES)
    minimum = models.PositiveIntegerField(_("minimum"), null=True, blank=True)
    maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    period = models.CharField(_("période"), max_length=16, choices=Period.choices)
    position = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.target} ({self.territory or '*'})"


class CoordinationDays(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coordination")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, verbose_name=_("territoire")
    )
    school_year = models.PositiveSmallIntegerField(
        _("année scolaire"), help_text=_("Première année : 2023 pour 2023-2024.")
    )
    days = models.DecimalField(_("jours"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("jours de coordination")
        verbose_name_plural = _("jours de coordination")
        ordering = ["territory__code", "school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "school_year"], name="coordination_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.school_year}-{self.school_year + 1}"


class DeclaredTotal(models.Model):
    """A total stated elsewhere (a slide, a report) to check against the computed figure."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="declared_totals"
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("territoire"),
    )
    target = models.CharField(_("cible"), max_length=32, choices=TARGET_CHOICES)
    value = models.PositiveIntegerField(_("valeur déclarée"))
    source = ScrubbedCharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("total déclaré")
        verbose_name_plural = _("totaux déclarés")

    def __str__(self) -> str:
        return f"{self.target} = {self.value}"


class FiguresVersion(models.Model):
    """The version of a programme's figures, one row per territory written to and two for the
    whole programme: bumped by every write in the same transaction as the write, read by the
    figures cache (`programmes/versions.py`). Kept in the database, not in the cache: a cache
    may evict a version, a rolled-back write must not bump one, a committed write always has."""

    SHARED = 0  # writes that belong to no one territory (people, settings, the evaluation…)
    EVERYWHERE = -1  # writes that may touch any territory's rows (bulk writes)
    SURVEYS = -2  # writes to the questionnaires' rows (also bumped with the above)

    # No constraint in the database: a cascade deleting a programme sends signals that may
    # bump its versions after their rows went; the rows of a deleted programme are harmless.
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # A territory's id (no foreign key: territories sit above programmes), or one of the above.
    territory = models.IntegerField()
    version = models.BigIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "territory"], name="figures_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.territory} v{self.version}"
