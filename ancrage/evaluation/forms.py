from django import forms

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
