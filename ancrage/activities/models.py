from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.privacy import ScrubbedCharField
from ancrage.programmes.vocabulary import Modality, ParentFormat, StructureType


class Structure(models.Model):
    """A school, leisure centre, service… whose professionals or children take part."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="structures"
    )
    code = models.CharField(_("identifiant"), max_length=64)
    name = ScrubbedCharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=StructureType.choices)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.RESTRICT, verbose_name=_("commune")
    )
    qpv = models.BooleanField(_("en quartier prioritaire (QPV)"), default=False)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="structure_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A professional or adult, known only by a pseudonymous code: never a name.

    A code belongs to a territory: the same code in two territories names two people, so that
    a territorial project manager who types a code learns nothing about other territories
    (whether it is taken there or not). People of no territory belong to the whole programme
    (a trainer of the coordination who works everywhere): only the coordination creates them.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="people", db_index=False
    )  # indexed by person_code_unique_in_territory (its first column)
    code = models.CharField(_("code pseudonyme"), max_length=64)
    profession = ScrubbedCharField(_("profession"), max_length=120)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("structure"),
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("territoire"),
        help_text=_("Vide : une personne de tout le programme (plusieurs territoires)."),
    )

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "territory", "code"], name="person_code_unique_in_territory"
            ),
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=models.Q(territory__isnull=True),
                name="person_code_unique_programme_wide",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Action(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="actions", db_index=False
    )  # indexed by action_code_unique (its first column)
    code = models.CharField(_("identifiant"), max_length=64)
    modality = models.CharField(_("modalité"), max_length=32, choices=Modality.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.RESTRICT,
        related_name="actions",
        verbose_name=_("territoire"),
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        verbose_name=_("commune"),
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    # Copied from `start` by the services, so that figures filter by school year without a join.
    school_year = models.PositiveSmallIntegerField(_("année scolaire"), editable=False)
    structures = models.ManyToManyField(
        Structure, through="ActionStructure", blank=True, verbose_name=_("structures")
    )
    hours = models.DecimalField(
        _("heures"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sessions = models.PositiveIntegerField(_("séances"), null=True, blank=True)
    children = models.PositiveIntegerField(_("enfants"), null=True, blank=True)
    adults = models.PositiveIntegerField(
        _("adultes"),
        null=True,
        blank=True,
        help_text=_("Nombre d'adultes quand les participant·es ne sont pas listé·es."),
    )
    parents = models.PositiveIntegerField(_("parents"), null=True, blank=True)
    elected = models.PositiveIntegerField(_("élu·es"), null=True, blank=True)
    parent_format = models.CharField(
        _("format"), max_length=16, choices=ParentFormat.choices, blank=True
    )
    title = ScrubbedCharField(_("intitulé"), max_length=300, blank=True)
    # Set by the services that write participations: whether the action lists its people
    # (otherwise its `adults` count stands for them). Kept so that figures need no probe of
    # millions of participations (docs/performance.md).
    lists_people = models.BooleanField(_("participant·es listé·es"), default=False, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="action_code_unique"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="action_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "territory", "modality"]),
            # The actions list: most recent first, a page at a time.
            models.Index(fields=["programme", "-start", "code"], name="action_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_modality_display()})"


class ActionStructure(models.Model):
    """Which structures an action involved; territory and modality copied for grouped counts."""

    # Indexed by action_structure_once (its first column).
    action = models.ForeignKey(Action, on_delete=models.CASCADE, db_index=False)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE)
    # Copies of the action's, as for participations: no constraint in the database.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, db_constraint=False
    )
    modality = models.CharField(max_length=32, choices=Modality.choices)
    school_year = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("structure de l'action")
        verbose_name_plural = _("structures de l'action")
        constraints = [
            models.UniqueConstraint(fields=["action", "structure"], name="action_structure_once")
        ]
        indexes = [models.Index(fields=["programme", "territory", "modality", "structure"])]

    def __str__(self) -> str:
        return f"{self.structure_id} → {self.action_id}"


class Participation(models.Model):
    """A person listed as taking part in an action.

    Territory, modality and school year are copied from the action by the services that write
    participations: at national scale the join to actions dominates every figure
    (docs/performance.md).
    """

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("action"),
        db_index=False,  # indexed by participation_once (its first column)
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("personne"),
    )
    # Copies of the action's: no constraint in the database, whose per-row check at commit
    # took a quarter of a national import; the action's own keys vouch for them, and Django
    # still deletes a programme's or a territory's participations with it (on_delete).
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, db_constraint=False, db_index=False
    )  # indexed by participation_reach_idx (its first column)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, db_constraint=False
    )
    modality = models.CharField(max_length=32, choices=Modality.choices)
    school_year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="participation_once")
        ]
        indexes = [
            # Every figure filters on the scope's school years: with them in the index, the
            # distinct counts by territory read the index alone (the contract's figures at
            # national scale 3.6 → 2.6 s, one territory 89 → 14 ms).
            models.Index(
                fields=["programme", "territory", "modality", "school_year", "person"],
                name="participation_reach_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.action}"


class Reach(models.Model):
    """Who a programme reached, summarised for the distinct counts that do not add up across
    territories (one person or structure may take part in several): one row per programme,
    public, school year and person (or structure) with at least one participation; no row for
    `ALL_YEARS`, whose total counts the distinct members of the rows of the programme's school
    years. Kept exact by the write services in the write's transaction
    (`activities/summaries.py`); the programme's figures read their totals (`ReachTotal`)
    instead of counting millions of participations (docs/performance.md).
    """

    PROFESSIONALS = "professionals"
    TRAINED = "trained"
    STRUCTURES = "structures"
    ALL_YEARS = 0

    # No constraint in the database, as for the figures' versions: a cascade deleting the
    # programme refreshes these rows through signals, in any order.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, db_constraint=False, db_index=False
    )  # indexed by reach_once (its first column)
    public = models.CharField(max_length=16)
    school_year = models.PositiveSmallIntegerField()
    member = models.BigIntegerField()  # a person's or a structure's id, after `public`

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "public", "member", "school_year"], name="reach_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public} {self.school_year}: {self.member}"


class ReachTotal(models.Model):
    """How many rows `Reach` has per programme, public and school year, and (`ALL_YEARS`) how
    many distinct members its rows of the programme's school years have: the distinct count
    itself, read in one row."""

    # No constraint in the database, as for the figures' versions: a cascade deleting the
    # programme refreshes these rows through signals, in any order.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, db_constraint=False
    )
    public = models.CharField(max_length=16)
    school_year = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "public", "school_year"], name="reach_total_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public} {self.school_year}: {self.count}"
