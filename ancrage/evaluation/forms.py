from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.programmes.vocabulary import ParentFormat  # noqa: F401  (shared vocabulary)

from .models import ActionReport, CandidateTerritory, EvaluationSettings, Rating


class ActionReportForm(forms.ModelForm):
    class Meta:
        model = ActionReport
        fields = [
            "planned_sessions",
            "planned_hours",
            "progression",
            "tools",
            "experiential",
            "safe_sequenced",
            "safe_active",
            "safe_focused",
            "safe_explicit",
            "worked",
            "difficulties",
            "adaptations",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("tools", "worked", "difficulties", "adaptations")
        }
        localized_fields = ["planned_hours"]
        # What each field means, in the words of the evaluation frameworks (docs/frameworks.md).
        help_texts = {
            "planned_sessions": _(
                "Le dosage prévu : nombre de séances du programme pour ce groupe ; comparé aux "
                "séances réalisées de l'action."
            ),
            "planned_hours": _(
                "Le dosage prévu en heures (par exemple 13,5) ; un atelier efficace est intensif "
                "et inscrit dans la durée."
            ),
            "progression": _(
                "Cochez si les séances s'enchaînent avec une progression : chacune reprend et "
                "prolonge la précédente (le S de SAFE)."
            ),
            "tools": _("Manuel, conducteur de séance, jeux, cartes : les supports formalisés."),
            "experiential": _(
                "Les enfants apprennent en faisant : jeux de rôle, mises en situation, retour "
                "sur ce qui a été vécu."
            ),
            "safe_sequenced": _(
                "SAFE (Durlak et al. 2011), S : des activités coordonnées et progressives, "
                "étape par étape."
            ),
            "safe_active": _(
                "A : des méthodes actives, où les enfants pratiquent la compétence (et pas "
                "seulement l'écoutent)."
            ),
            "safe_focused": _(
                "F : un temps de séance réservé au développement des compétences psychosociales."
            ),
            "safe_explicit": _(
                "E : les compétences visées sont nommées et expliquées aux enfants."
            ),
            "worked": _("Sans nom de personne : le texte est expurgé des courriels et téléphones."),
        }


# What each efficacy criterion asks, shown under its name on the report sheet.
CRITERION_HELP = {
    "EF1": _(
        "Présent quand les quatre critères SAFE sont cochés plus haut : séquencé, actif, "
        "focalisé, explicite."
    ),
    "EF2": _(
        "Le programme s'appuie sur une intervention évaluée (référentiel Santé publique France)."
    ),
    "EF3": _(
        "Le dosage : assez de séances, assez longues et réparties dans le temps (au moins une "
        "dizaine de séances sur l'année)."
    ),
    "EF4": _("Un manuel ou un conducteur de séance est suivi par les animateur·rices."),
    "EF5": _("Climat bienveillant, valorisation, apprentissage par l'expérience."),
    "EF6": _("Les animateur·rices ont été formé·es et bénéficient d'un accompagnement."),
    "EF7": _("Le programme est mené comme prévu, avec le soutien des décideurs."),
    "EF8": _("Les adultes et les parents reprennent les compétences au quotidien."),
}


class CriterionForm(forms.Form):
    """One efficacy criterion of the sheet: absent, partial or present, with evidence."""

    rating = forms.ChoiceField(choices=[("", "—"), *Rating.choices], required=False)
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CandidateForm(forms.ModelForm):
    class Meta:
        model = CandidateTerritory
        fields = [
            "name",
            "population",
            "communes",
            "elected_commitment",
            "has_referent",
            "earlier_cps_actions",
            "partners",
            "priority_neighbourhoods",
        ]


class SettingsForm(forms.ModelForm):
    """What the report says of the programme beyond the data: its history and objectives,
    and the evaluation's assumptions."""

    class Meta:
        model = EvaluationSettings
        fields = [
            "description",
            "earlier_cps_actions",
            "free_actions",
            "structures_approached",
            "eligible_children",
            "eligible_share",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    # The share is typed as people say it, « 4,8 » (per cent), and kept as a fraction.
    eligible_share = forms.DecimalField(
        label=_("part des 8–11 ans dans la population (%)"),
        min_value=0,
        max_value=100,
        decimal_places=3,
        localize=True,
        help_text=_(
            "Par exemple 4,8 ; sert à estimer les enfants éligibles des communes mobilisées."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share = self.instance.eligible_share if self.instance.pk else None
        if share is None:
            share = EvaluationSettings._meta.get_field("eligible_share").default
        self.initial["eligible_share"] = round(share * 100, 3)

    def clean_eligible_share(self) -> float:
        return float(self.cleaned_data["eligible_share"]) / 100
