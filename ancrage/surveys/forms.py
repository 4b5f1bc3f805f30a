"""The online questionnaire form, built from the questionnaire's questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core.limits import form_bounds

from .models import Answer, Moment, QuestionKind, Questionnaire


class QuestionnaireForm(forms.Form):
    def __init__(self, questionnaire: Questionnaire, questions, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            options = [(c.name, c.label) for c in choices[question.pk].values()]
            common = {"label": question.label, "required": question.required}
            if question.kind == QuestionKind.SELECT_ONE:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
            elif question.kind == QuestionKind.SELECT_MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple, **common
                )
            elif question.kind == QuestionKind.INTEGER:
                # Up to what Answer.number keeps: beyond, a message, not a 500.
                field = forms.IntegerField(min_value=0, **form_bounds(Answer, "number"), **common)
            elif question.kind == QuestionKind.DECIMAL:
                # « 1,5 » as typed in France; a decimal keyboard on phones. Up to what
                # Answer.decimal keeps (a FloatField would read 1E400 as infinity).
                field = forms.DecimalField(
                    localize=True,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    **form_bounds(Answer, "decimal"),
                    **common,
                )
            elif question.kind == QuestionKind.DATE:
                field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
            elif question.kind == QuestionKind.TIME:
                field = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), **common)
            elif question.kind == QuestionKind.DATETIME:
                field = forms.DateTimeField(
                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
                )
            else:
                field = forms.CharField(
                    max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common
                )
            field.group = question.group_label
            self.fields[question.key] = field
        if questionnaire.pairing:
            self._add_pairing(familiar=questionnaire.familiar)

    def _add_pairing(self, *, familiar: bool) -> None:
        if familiar:
            label, help_text = (
                _("Ton code secret"),
                _(
                    "Les 2 premières lettres du prénom de ta mère, ton jour de naissance "
                    "(2 chiffres) et la première lettre de ta ville. Exemple : MA07N."
                ),
            )
            moment = _("C'est avant ou après les ateliers ?")
        else:
            label, help_text = (
                _("Votre code secret"),
                _(
                    "Les 2 premières lettres du prénom de votre mère, votre jour de naissance "
                    "(2 chiffres) et la première lettre de votre ville. Exemple : MA07N."
                ),
            )
            moment = _("Répondez-vous avant ou après l'action ?")
        self.fields["code_anonyme"] = forms.CharField(
            label=label, help_text=help_text, max_length=16, required=False
        )
        self.fields["moment"] = forms.ChoiceField(
            label=moment, choices=Moment.choices, widget=forms.RadioSelect, required=False
        )

    def raw_values(self) -> dict[str, str]:
        """Answers as the importer reads them: codes, separated by spaces for several."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            if isinstance(value, list):
                value = " ".join(value)
            values[question.key] = "" if value is None else str(value)
        return values


class CollectionEndForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Fin de collecte"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
