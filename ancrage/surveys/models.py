"""Questionnaires written as XLSForm (as Kobo and ODK users write them), their collections at
actions, and the anonymous answers."""

import datetime as dt
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.privacy import ScrubbedTextField
from ancrage.programmes.vocabulary import Modality


class Public(models.TextChoices):
    ENFANTS = "enfants", _("Enfants")
    PROFESSIONNELS = "professionnels", _("Professionnel·les")
    REFERENTS = "referents", _("Personnes référentes")
    PARENTS = "parents", _("Parents")


class QuestionKind(models.TextChoices):
    SELECT_ONE = "select_one", _("Choix unique")
    SELECT_MULTIPLE = "select_multiple", _("Choix multiple")
    INTEGER = "integer", _("Nombre entier")
    DECIMAL = "decimal", _("Nombre décimal")
    DATE = "date", _("Date")
    TIME = "time", _("Heure")
    DATETIME = "datetime", _("Date et heure")
    TEXT = "text", _("Texte libre")


# Kinds whose answers are numbers, dates or times: summarised by their range and mean.
MEASURE_KINDS = (
    QuestionKind.INTEGER,
    QuestionKind.DECIMAL,
    QuestionKind.DATE,
    QuestionKind.TIME,
    QuestionKind.DATETIME,
)


class Category(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction")
    EFFECT = "effet", _("Effet")


class Questionnaire(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="questionnaires"
    )
    form_id = models.CharField(_("identifiant du formulaire"), max_length=64)
    title = models.CharField(_("titre"), max_length=200)
    version = models.CharField(_("version"), max_length=64, blank=True)
    public = models.CharField(_("public"), max_length=32, choices=Public.choices)
    modality = models.CharField(_("modalité"), max_length=32, choices=Modality.choices)
    pairing = models.BooleanField(
        _("appariement avant/après"),
        default=False,
        help_text=_("Demande un code anonyme que la personne seule sait refaire."),
    )
    # Paths of the form's fields that are never stored (metadata, notes, calculations, photos,
    # locations…): response exports carry their columns, which the import reads past.
    unstored_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["modality", "public", "form_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "form_id"], name="questionnaire_form_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def familiar(self) -> bool:
        """Children are addressed with « tu », adults (professionals, parents…) with « vous »:
        one form of address for the whole questionnaire."""
        return self.public == Public.ENFANTS


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    name = models.CharField(_("nom"), max_length=100)
    path = models.CharField(
        _("chemin"), max_length=300, help_text=_("Groupes et nom, séparés par « / ».")
    )
    group_label = models.CharField(_("groupe"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=32, choices=QuestionKind.choices)
    label = models.TextField(_("libellé"))
    list_name = models.CharField(_("liste de choix"), max_length=100, blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)
    category = models.CharField(_("catégorie"), max_length=32, choices=Category.choices, blank=True)
    # The repeat group the question sits in (its path), answered once per repetition.
    repeat = models.CharField(_("répétition"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            # XLSForm allows one name in two groups: the path is what is unique.
            models.UniqueConstraint(fields=["questionnaire", "path"], name="question_path_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    name = models.CharField(_("code"), max_length=100)
    label = models.CharField(_("libellé"), max_length=300)
    favorable = models.BooleanField(
        _("favorable"), default=False, help_text=_("Compte comme satisfait ou positif.")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="choice_name_unique")
        ]

    def __str__(self) -> str:
        return self.label


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Collection(models.Model):
    """A questionnaire proposed at an action: its beneficiaries are those the rate counts on."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="collections"
    )
    action = models.ForeignKey(
        "activities.Action", on_delete=models.CASCADE, related_name="collections"
    )
    # The anonymous online form's link: unguessable, and closed after the collection window.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    # Actions are often entered after they happen: a collection runs from the day it is opened
    # (empty for collections opened before this rule) to its end date, which can be moved.
    opens_on = models.DateField(_("début de collecte"), null=True, blank=True)
    closes_on = models.DateField(_("fin de collecte"))

    class Meta:
        verbose_name = _("collecte")
        verbose_name_plural = _("collectes")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "action"], name="collection_once_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.action}"

    def is_open(self, today: dt.date) -> bool:
        return (self.opens_on is None or self.opens_on <= today) and today <= self.closes_on


class Source(models.TextChoices):
    KOBO = "kobo", _("KoboToolbox")
    ODK = "odk", _("ODK Central")
    LIMESURVEY = "limesurvey", _("LimeSurvey")
    PAPER = "papier", _("Saisie de questionnaires papier")
    ONLINE = "en_ligne", _("Formulaire en ligne")


class Moment(models.TextChoices):
    PRE = "avant", _("Avant")
    POST = "apres", _("Après")


class Response(models.Model):
    """One filled questionnaire: never a name, at most a self-generated pairing code."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="responses")
    # Copied from the collection's action by the services, for grouped figures without joins.
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE)
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    modality = models.CharField(max_length=32, choices=Modality.choices)
    school_year = models.PositiveSmallIntegerField()
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    external_id = models.CharField(_("identifiant externe"), max_length=100, blank=True)
    # The survey the response comes from in its tool (LimeSurvey survey id, Kobo or ODK form
    # id): LimeSurvey numbers responses from 1 in every survey, so the id alone is not unique.
    source_survey = models.CharField(_("enquête d'origine"), max_length=100, blank=True)
    # The number a user gave this response in a workbook row added by hand (no source id): an
    # update applied again from the same file finds it by that number, never twice.
    workbook_key = models.CharField(_("numéro dans le classeur"), max_length=64, blank=True)
    pairing_code = models.CharField(_("code d'appariement"), max_length=16, blank=True)
    moment = models.CharField(_("moment"), max_length=8, choices=Moment.choices, blank=True)
    submitted_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "source_survey", "external_id"],
                condition=~models.Q(external_id=""),
                name="response_external_id_once",
            )
        ]
        indexes = [models.Index(fields=["questionnaire", "territory", "school_year"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    """One answer to one question (one row per ticked choice of a multiple choice)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True)
    number = models.IntegerField(null=True, blank=True)
    decimal = models.FloatField(null=True, blank=True)
    # A date, a time, or both for a date-and-time question (as typed, without time zone).
    date = models.DateField(null=True, blank=True)
    time = models.TimeField(null=True, blank=True)
    text = ScrubbedTextField(blank=True)
    # Free text's tone from the French lexicon (surveys/text.py), set on the way in.
    tone = models.CharField(max_length=8, blank=True)
    # Copied by the services: the figures group on them without joining responses.
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE)
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    school_year = models.PositiveSmallIntegerField()
    favorable = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        indexes = [models.Index(fields=["questionnaire", "question", "territory", "school_year"])]

    def __str__(self) -> str:
        return f"{self.question.name}"
