from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.privacy import ScrubbedCharField, ScrubbedTextField


class Framework(models.Model):
    """A reference grid (Ottawa, Swiss model, SPF CPS referential, efficacy criteria…)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    version = models.CharField(_("version"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("référentiel")
        verbose_name_plural = _("référentiels")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FrameworkItem(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("libellé"), max_length=300)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    to_confirm = models.BooleanField(_("à confirmer"), default=False)

    class Meta:
        verbose_name = _("élément de référentiel")
        verbose_name_plural = _("éléments de référentiels")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Verdict(models.TextChoices):
    VALIDATED = "valide", _("Validé")
    PARTLY = "partiel", _("Partiellement validé")
    NOT_VALIDATED = "non_valide", _("Non validé")


class Rule(models.TextChoices):
    AT_LEAST = "gte", _("au moins")
    AT_MOST = "lte", _("au plus")
    BETWEEN = "between", _("entre")


class Theme(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="themes"
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    label = models.CharField(_("libellé"), max_length=300)

    class Meta:
        verbose_name = _("thème d'indicateurs")
        verbose_name_plural = _("thèmes d'indicateurs")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="theme_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number:02d} {self.label}"


class EvaluationIndicator(models.Model):
    """An indicator of the evaluation: computed from a figure where one exists, otherwise
    judged by the evaluator with a justification and the evidence behind it."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("libellé"), max_length=300)
    ottawa_areas = models.ManyToManyField(
        FrameworkItem,
        related_name="ottawa_indicators",
        limit_choices_to={"framework__code": "OTTAWA"},
        verbose_name=_("axes de la Charte d'Ottawa"),
    )
    swiss_category = models.ForeignKey(
        FrameworkItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="swiss_indicators",
        limit_choices_to={"framework__code": "SMOC"},
        verbose_name=_("catégorie du modèle suisse"),
    )
    sources = ScrubbedTextField(
        _("sources"),
        blank=True,
        help_text=_("Questionnaires, fiches bilan, comptes rendus, documents."),
    )
    metric = models.CharField(
        _("chiffre calculé"),
        max_length=200,
        blank=True,
        help_text=_("Clé d'un chiffre d'Ancrage (ex. reach.structures) ; vide : avis évaluateur."),
    )
    rule = models.CharField(_("règle"), max_length=8, choices=Rule.choices, blank=True)
    target = models.FloatField(_("cible"), null=True, blank=True)
    target_max = models.FloatField(_("cible haute"), null=True, blank=True)
    partly_from = models.FloatField(
        _("partiel à partir de"),
        null=True,
        blank=True,
        help_text=_("Valeur à partir de laquelle un indicateur non atteint est « partiel »."),
    )
    evaluator_verdict = models.CharField(
        _("avis de l'évaluateur"), max_length=16, choices=Verdict.choices, blank=True
    )
    justification = ScrubbedTextField(_("justification"), blank=True)
    evidence = ScrubbedTextField(_("éléments de preuve"), blank=True)

    class Meta:
        verbose_name = _("indicateur d'évaluation")
        verbose_name_plural = _("indicateurs d'évaluation")
        ordering = ["theme", "position"]

    def __str__(self) -> str:
        return self.label


class EvaluationSettings(models.Model):
    """What the evaluation needs beyond the workbook: eligible population, structures
    approached, accessibility, history."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="evaluation_settings"
    )
    description = ScrubbedTextField(_("historique et objectifs"), blank=True)
    eligible_share = models.FloatField(
        _("part des 8–11 ans dans la population"),
        default=0.048,
        help_text=_("Sert à estimer les enfants éligibles des communes mobilisées."),
    )
    eligible_children = models.PositiveIntegerField(
        _("enfants de 8 à 11 ans (nombre saisi)"), null=True, blank=True
    )
    structures_approached = models.PositiveIntegerField(
        _("structures sollicitées"), null=True, blank=True
    )
    free_actions = models.BooleanField(_("actions gratuites"), default=True)
    earlier_cps_actions = ScrubbedTextField(
        _("actions CPS antérieures"), blank=True, help_text=_("Ex. programme ESAE.")
    )
    closing_title = ScrubbedCharField(
        _("titre de la dernière diapositive"),
        max_length=200,
        blank=True,
        help_text=_("Vide : « Merci de votre attention »."),
    )
    closing_text = ScrubbedTextField(
        _("texte de clôture"), blank=True, help_text=_("Ex. contacts de l'équipe du programme.")
    )

    class Meta:
        verbose_name = _("paramètres d'évaluation")
        verbose_name_plural = _("paramètres d'évaluation")

    def __str__(self) -> str:
        return str(self.programme)


class MeetingRecord(models.Model):
    """Who attended a COPIL or COTECH, what was decided, and its minutes."""

    action = models.OneToOneField(
        "activities.Action", on_delete=models.CASCADE, related_name="meeting_record"
    )
    technicians = models.PositiveIntegerField(_("technicien·nes"), default=0)
    institutional_partners = models.PositiveIntegerField(
        _("partenaires institutionnels"), default=0
    )
    structures = models.PositiveIntegerField(_("représentant·es de structures"), default=0)
    decisions = ScrubbedTextField(_("décisions"), blank=True)
    minutes = models.FileField(_("compte rendu"), upload_to="comptes-rendus/", blank=True)

    class Meta:
        verbose_name = _("compte rendu de réunion")
        verbose_name_plural = _("comptes rendus de réunions")

    def __str__(self) -> str:
        return str(self.action)


class Referent(models.Model):
    class Kind(models.TextChoices):
        ELECTED = "elu", _("Élu·e référent·e")
        TECHNICAL = "technique", _("Référent·e technique")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="referents"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    role = ScrubbedCharField(_("fonction"), max_length=200)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("référent·e de territoire")
        verbose_name_plural = _("référent·es de territoire")
        ordering = ["territory", "start"]

    def __str__(self) -> str:
        return self.role


class Partner(models.Model):
    class Kind(models.TextChoices):
        FUNDER = "financeur", _("Financeur")
        INSTITUTION = "institution", _("Institution")
        LOCAL_AUTHORITY = "collectivite", _("Collectivité")
        ASSOCIATION = "association", _("Association")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="partners"
    )
    name = ScrubbedCharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    role = ScrubbedCharField(_("rôle"), max_length=300, blank=True)
    thanked = models.BooleanField(
        _("remercié dans le rapport"),
        default=True,
        help_text=_("Nommé sur la diapositive « Merci à nos partenaires »."),
    )

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HealthContract(models.Model):
    class Kind(models.TextChoices):
        CLS = "CLS", _("Contrat local de santé")
        CLSI = "CLSI", _("Contrat local de santé intercommunal")
        CTG = "CTG", _("Convention territoriale globale (CAF)")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="health_contracts"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    name = ScrubbedCharField(_("nom"), max_length=200)
    written_in = models.BooleanField(_("la démarche y est inscrite"), default=False)

    class Meta:
        verbose_name = _("contrat local")
        verbose_name_plural = _("contrats locaux")

    def __str__(self) -> str:
        return self.name


class ContextNote(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "force", _("Force, levier")
        LIMIT = "limite", _("Limite, obstacle")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="context_notes"
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, null=True, blank=True
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True)
    text = ScrubbedCharField(_("constat"), max_length=300)
    evidence = ScrubbedTextField(_("éléments de preuve"), blank=True)

    class Meta:
        verbose_name = _("élément de contexte")
        verbose_name_plural = _("éléments de contexte")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.text


class Rating(models.TextChoices):
    ABSENT = "absent", _("Absent")
    PARTIAL = "partiel", _("Partiel")
    PRESENT = "present", _("Présent")


class ActionReport(models.Model):
    """The project manager's action report sheet (the seed's "fiche bilan")."""

    action = models.OneToOneField(
        "activities.Action", on_delete=models.CASCADE, related_name="report"
    )
    planned_sessions = models.PositiveIntegerField(_("séances prévues"), null=True, blank=True)
    planned_hours = models.DecimalField(
        _("heures prévues"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    progression = models.BooleanField(_("progression entre les séances"), default=False)
    tools = ScrubbedTextField(_("outils et supports utilisés"), blank=True)
    experiential = models.BooleanField(_("pédagogie expérientielle"), default=False)
    safe_sequenced = models.BooleanField(_("S : séquencé"), default=False)
    safe_active = models.BooleanField(_("A : actif"), default=False)
    safe_focused = models.BooleanField(_("F : focalisé"), default=False)
    safe_explicit = models.BooleanField(_("E : explicite"), default=False)
    worked = ScrubbedTextField(_("ce qui a fonctionné"), blank=True)
    difficulties = ScrubbedTextField(_("difficultés"), blank=True)
    adaptations = ScrubbedTextField(_("adaptations"), blank=True)

    class Meta:
        verbose_name = _("fiche bilan d'action")
        verbose_name_plural = _("fiches bilan d'action")

    def __str__(self) -> str:
        return str(self.action)


class ReportCriterion(models.Model):
    report = models.ForeignKey(ActionReport, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(
        FrameworkItem,
        on_delete=models.CASCADE,
        limit_choices_to={"framework__code": "EFFICACITE", "parent__isnull": True},
        verbose_name=_("critère d'efficacité"),
    )
    rating = models.CharField(_("appréciation"), max_length=8, choices=Rating.choices)
    evidence = ScrubbedTextField(_("éléments de preuve"), blank=True)

    class Meta:
        verbose_name = _("critère d'efficacité de l'action")
        verbose_name_plural = _("critères d'efficacité de l'action")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="report_criterion_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.rating}"


class AstaireRating(models.Model):
    """One ASTAIRE criterion documented for the programme's primary (pilot) context."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="astaire_ratings"
    )
    criterion = models.ForeignKey(
        FrameworkItem,
        on_delete=models.CASCADE,
        limit_choices_to={"framework__code": "ASTAIRE"},
        verbose_name=_("critère ASTAIRE"),
    )
    primary_value = ScrubbedTextField(_("dans le contexte d'origine"))
    key_function = models.BooleanField(
        _("fonction clé"), default=False, help_text=_("À garder ; sinon, forme adaptable.")
    )
    adaptation = ScrubbedTextField(_("adaptation possible"), blank=True)

    class Meta:
        verbose_name = _("critère ASTAIRE documenté")
        verbose_name_plural = _("grille ASTAIRE")
        constraints = [
            models.UniqueConstraint(fields=["programme", "criterion"], name="astaire_once")
        ]

    def __str__(self) -> str:
        return self.criterion.code


class CandidateTerritory(models.Model):
    """A territory considered for a transfer, compared with the primary territories."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="candidates"
    )
    name = ScrubbedCharField(_("nom"), max_length=200)
    population = models.PositiveIntegerField(_("population"))
    communes = models.PositiveIntegerField(_("communes"))
    elected_commitment = models.BooleanField(_("élu·es engagé·es"), default=False)
    has_referent = models.BooleanField(_("référent·e CPS dédié·e"), default=False)
    earlier_cps_actions = models.BooleanField(_("actions CPS antérieures"), default=False)
    partners = models.PositiveIntegerField(_("partenaires enfance mobilisables"), default=0)
    priority_neighbourhoods = models.PositiveIntegerField(
        _("quartiers prioritaires (QPV)"), default=0
    )

    class Meta:
        verbose_name = _("territoire candidat")
        verbose_name_plural = _("territoires candidats")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A dated step of the programme's history, drawn on the report's timeline."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="milestones"
    )
    start_year = models.PositiveSmallIntegerField(_("année de début"))
    end_year = models.PositiveSmallIntegerField(
        _("année de fin"), null=True, blank=True, help_text=_("Vide : une seule année.")
    )
    title = ScrubbedCharField(_("étape"), max_length=200)
    detail = ScrubbedCharField(_("précision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("jalon de l'historique")
        verbose_name_plural = _("jalons de l'historique")
        ordering = ["start_year", "end_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="milestone_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} : {self.title}"

    @property
    def period(self) -> str:
        if self.end_year is None or self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year} – {self.end_year}"


class Statement(models.Model):
    """A sentence the evaluation team writes for the report: an objective, an evaluative
    question, a recommendation or a condition of success."""

    class Kind(models.TextChoices):
        GENERAL_OBJECTIVE = "objectif_general", _("Objectif général")
        OPERATIONAL_OBJECTIVE = "objectif_operationnel", _("Objectif opérationnel")
        QUESTION = "question", _("Question évaluative")
        RECOMMENDATION = "recommandation", _("Recommandation")
        SUCCESS_CONDITION = "condition", _("Condition de réussite")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="statements"
    )
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    text = ScrubbedCharField(_("texte"), max_length=500)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("énoncé du rapport")
        verbose_name_plural = _("énoncés du rapport")
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return self.text
